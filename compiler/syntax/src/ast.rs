//! The typed syntax tree: one value per construct, every node with the span it covers.
//!
//! Spans inside an [`Item`] are relative to the start of that item's text (see
//! [`crate::ParsedItem::offset`]), so that editing one item leaves the trees of the items after
//! it unchanged. That is what lets the incremental checker re-check only what an edit touched.

use crate::{Name, Span};

/// A name as written, with its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: Name,
    pub span: Span,
}

/// A dotted name: `onee.MasterStack`, `server.switch`, `server.MasterStack.portal`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Path {
    pub segments: Vec<Ident>,
    pub span: Span,
}

impl Path {
    /// The last segment: the name the path ends at.
    pub fn last(&self) -> &Ident {
        static EMPTY: Ident = Ident { name: Name::new_static(""), span: Span::EMPTY };
        // The grammar never produces an empty path; `EMPTY` only keeps this total.
        self.segments.last().unwrap_or(&EMPTY)
    }

    /// The first segment: the name resolution starts from.
    pub fn first(&self) -> &Ident {
        static EMPTY: Ident = Ident { name: Name::new_static(""), span: Span::EMPTY };
        self.segments.first().unwrap_or(&EMPTY)
    }

    /// The path as the user wrote it, with dots.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(&segment.name);
        }
        out
    }
}

/// A string literal after escapes are applied.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StringLit {
    pub value: String,
    pub span: Span,
}

/// The `///` lines before an item or member, joined with newlines, markers stripped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Docs {
    pub text: String,
    pub span: Option<Span>,
}

impl Docs {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// One top-level item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    Use(UseDecl),
    Protocol(ProtocolDecl),
    Component(ComponentDecl),
    Zone(ZoneDecl),
    Node(NodeDecl),
    Flow(FlowDecl),
    Policy(PolicyDecl),
    Document(DocumentDecl),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Use(d) => d.span,
            Item::Protocol(d) => d.span,
            Item::Component(d) => d.span,
            Item::Zone(d) => d.span,
            Item::Node(d) => d.span,
            Item::Flow(d) => d.span,
            Item::Policy(d) => d.span,
            Item::Document(d) => d.span,
        }
    }

    pub fn docs(&self) -> &Docs {
        match self {
            Item::Use(d) => &d.docs,
            Item::Protocol(d) => &d.docs,
            Item::Component(d) => &d.docs,
            Item::Zone(d) => &d.docs,
            Item::Node(d) => &d.docs,
            Item::Flow(d) => &d.docs,
            Item::Policy(d) => &d.docs,
            Item::Document(d) => &d.docs,
        }
    }
}

/// `use std.proto`, `use site as s`, `use site.*`, `use site.{web, db as database}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UseDecl {
    pub docs: Docs,
    pub module: Path,
    pub kind: UseKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum UseKind {
    /// `use a.b` binds `b`; `use a.b as c` binds `c`.
    Module { alias: Option<Ident> },
    /// `use a.b.*` brings every name of `a.b` into scope.
    Glob { span: Span },
    /// `use a.b.{x, y as z}`.
    Names(Vec<UseName>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UseName {
    pub name: Ident,
    pub alias: Option<Ident>,
}

impl UseName {
    /// The name this import binds in the importing module.
    pub fn binding(&self) -> &Ident {
        self.alias.as_ref().unwrap_or(&self.name)
    }
}

/// `protocol https "HTTPS" = tcp/443 encrypted`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProtocolDecl {
    pub docs: Docs,
    pub name: Ident,
    pub title: Option<StringLit>,
    pub ports: PortSpec,
    pub encrypted: Option<Span>,
    pub span: Span,
}

/// `component Name "Title" { members }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ComponentDecl {
    pub docs: Docs,
    pub name: Ident,
    pub title: Option<StringLit>,
    pub params: Vec<ParamDecl>,
    pub ports: Vec<PortDecl>,
    pub span: Span,
}

/// `param switch_port: port = 4000 "Switch port"`. Its span starts at `param`, after its docs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParamDecl {
    pub docs: Docs,
    pub name: Ident,
    pub ty: Ident,
    pub default: Option<Expr>,
    /// The setting's name as the vendor writes it (`HTTPSIISPORT`).
    pub title: Option<StringLit>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PortKind {
    /// An input: the component accepts connections on it.
    Listen,
    /// An output: the component opens connections from it.
    Connect,
    /// Both: members of a cluster or peers that connect to each other.
    Peer,
}

impl PortKind {
    pub fn keyword(self) -> &'static str {
        match self {
            PortKind::Listen => "listen",
            PortKind::Connect => "connect",
            PortKind::Peer => "peer",
        }
    }
    pub fn accepts(self) -> bool {
        matches!(self, PortKind::Listen | PortKind::Peer)
    }
    pub fn initiates(self) -> bool {
        matches!(self, PortKind::Connect | PortKind::Peer)
    }
}

/// `listen portal: https on tcp/https_port shared "1E Portal"`. Its span starts at the kind,
/// after its docs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PortDecl {
    pub docs: Docs,
    pub kind: PortKind,
    pub kind_span: Span,
    pub name: Ident,
    pub protocol: Path,
    pub ports: Option<PortSpec>,
    pub optional: Option<Span>,
    pub shared: Option<Span>,
    pub relay: Option<Span>,
    pub condition: Option<Condition>,
    pub local_peer: Option<Path>,
    /// `configurable "..."`: what documentation shows in the Configurable column.
    pub configurable: Option<StringLit>,
    pub title: Option<StringLit>,
    pub span: Span,
}

/// `when named_instance`, `when not use_proxy`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Condition {
    pub negated: bool,
    pub param: Ident,
    pub span: Span,
}

/// `zone dmz "DMZ" { trust dmz  cidr 192.0.2.0/24  node ... }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ZoneDecl {
    pub docs: Docs,
    pub name: Ident,
    pub title: Option<StringLit>,
    pub trust: Vec<Ident>,
    pub cidrs: Vec<AddressLit>,
    pub nodes: Vec<NodeDecl>,
    pub span: Span,
}

/// An address or network as written: `10.0.0.1`, `10.0.0.0/16`, `2001:db8::/32`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AddressLit {
    pub text: String,
    pub span: Span,
}

/// `node server[2] "Title": a.B + a.C in zone { address ...  param = value }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeDecl {
    pub docs: Docs,
    pub name: Ident,
    pub replicas: Option<Replicas>,
    pub title: Option<StringLit>,
    pub components: Vec<Path>,
    pub zone: Option<Path>,
    pub addresses: Vec<AddressLit>,
    pub params: Vec<ParamSet>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReplicaCount {
    /// `[3]`: a cluster of this many hosts.
    Count(u64),
    /// `[*]`: a group of hosts of unknown size (clients, workstations).
    Any,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Replicas {
    pub count: ReplicaCount,
    pub span: Span,
}

/// `switch_port = 4010` or `MasterStack.https_port = 8443` inside a node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParamSet {
    pub target: Path,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `->`: the left end opens connections to the right end.
    Forward,
    /// `<->`: traffic goes both ways (see the language reference for which end opens).
    Both,
}

impl Direction {
    /// The arrow as written: `->` or `<->`.
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Forward => "->",
            Direction::Both => "<->",
        }
    }
}

/// `flow a.out -> b.in via proxy local "label"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowDecl {
    pub docs: Docs,
    pub from: Path,
    pub direction: Direction,
    pub arrow_span: Span,
    pub to: Path,
    pub via: Vec<Path>,
    /// `via nginx intended`: the flow is meant to reach, through its proxies, what a hop rule
    /// denies from its origin.
    pub intended: Option<Span>,
    pub local: Option<Span>,
    /// `route 20`: the route's number as the vendor's documents give it.
    pub route: Option<RouteNumber>,
    pub label: Option<StringLit>,
    pub span: Span,
}

impl FlowDecl {
    /// The flow's two ends as written, `a.out -> b.in`: how messages and outlines name a flow.
    pub fn ends_text(&self) -> String {
        format!("{} {} {}", self.from.text(), self.direction.arrow(), self.to.text())
    }
}

/// `route 20` on a flow. `number` is `None` when the number does not fit (a syntax error).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RouteNumber {
    pub number: Option<u64>,
    pub span: Span,
}

/// `policy name "Title" { statements }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PolicyDecl {
    pub docs: Docs,
    pub name: Option<Ident>,
    pub title: Option<StringLit>,
    pub statements: Vec<PolicyStmt>,
    pub span: Span,
}

/// `document "Title" { sections devices, routes }`: the port-matrix documents' title and
/// sections.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DocumentDecl {
    pub docs: Docs,
    pub title: Option<StringLit>,
    pub sections: Vec<SectionsStmt>,
    pub span: Span,
}

/// `sections zones, devices "1E Servers", routes`: the sections, in the order written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SectionsStmt {
    pub docs: Docs,
    /// The span of `sections`.
    pub keyword: Span,
    pub sections: Vec<SectionRef>,
    pub span: Span,
}

/// One section of a `sections` list: its name and the heading the documents give it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SectionRef {
    pub name: Ident,
    pub title: Option<StringLit>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Allow,
    Deny,
}

impl Action {
    pub fn keyword(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Deny => "deny",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PolicyStmt {
    /// `default deny`.
    Default { docs: Docs, action: Action, span: Span },
    /// `allow internet -> dmz on https, tcp/8443 "reason"`.
    Rule(RuleStmt),
    /// `require encrypted across dmz "reason"`.
    RequireEncrypted { docs: Docs, level: Ident, label: Option<StringLit>, span: Span },
}

impl PolicyStmt {
    pub fn span(&self) -> Span {
        match self {
            PolicyStmt::Default { span, .. } | PolicyStmt::RequireEncrypted { span, .. } => *span,
            PolicyStmt::Rule(rule) => rule.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RuleStmt {
    pub docs: Docs,
    pub action: Action,
    /// The span of `allow` or `deny`.
    pub action_span: Span,
    /// `allow cleartext`: the rule also accepts cleartext across trust levels.
    pub cleartext: Option<Span>,
    /// `deny flows a -> b`: the rule matches a flow by its origin and final destination, through
    /// any proxies, rather than each hop by its two ends. The span of `flows`.
    pub end_to_end: Option<Span>,
    pub scope: RuleScope,
    /// Empty: every protocol and port.
    pub services: Vec<Service>,
    pub label: Option<StringLit>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RuleScope {
    /// `a, b -> c`.
    Between { from: Selector, to: Selector },
    /// `within a, b`: flows whose two ends are in the same zone among these.
    Within(Selector),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Selector {
    /// `any`.
    Any(Span),
    /// Zones or nodes by name.
    Names(Vec<Path>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// A protocol by name: `https`.
    Protocol(Path),
    /// A transport and port: `tcp/8443`, `udp/7600..7610`, `tcp` (every TCP port).
    Port(PortTerm),
}

/// A comma-separated list of port terms.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PortSpec {
    pub terms: Vec<PortTerm>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Transports {
    Tcp,
    Udp,
    Both,
}

/// `tcp/443`, `udp/7600..7610`, `tcp+udp/123`, or a bare `tcp` (no port given).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PortTerm {
    pub transports: Transports,
    pub value: Option<PortValue>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PortValue {
    Single(Expr),
    /// Inclusive at both ends: `7600..7610` is eleven ports.
    Range(Expr, Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExprKind {
    /// A decimal literal; `None` when it does not fit in 64 bits (reported by the parser).
    Int(Option<u64>),
    Bool(bool),
    Str(String),
    Name(Path),
    Binary(Box<Expr>, BinOp, Box<Expr>),
    Paren(Box<Expr>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}
