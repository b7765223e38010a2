//! The checked model as plain data: what `portolan build` writes as `model.json` (format
//! `portolan-model`, version 3, documented in `spec/model.md`) and what every emitter reads.
//!
//! This crate depends on no other crate of the compiler: the core's export builds a [`Model`]
//! from the database, and the emitters, which depend on this crate alone, never see more.
//! Everything is in a fixed order — files by path, items in source order — so identical input
//! gives identical output.

pub mod policy;
pub mod ports;
mod trust;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::ports::{PortRange, PortSet, Transport};
pub use crate::trust::Trust;

/// The value of the model's `format` field.
pub const FORMAT: &str = "portolan-model";
/// The version of the model's shape; it changes when a field changes meaning or disappears.
pub const VERSION: u32 = 3;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Model {
    pub format: &'static str,
    pub version: u32,
    pub zones: Vec<Zone>,
    pub nodes: Vec<Node>,
    /// Every hop of every flow, in flow order: what opens a connection to what.
    pub flows: Vec<Flow>,
    /// Every `flow` as written, in spec order, with the indices of its hops in `flows`.
    pub routes: Vec<Route>,
    /// The spec's policy blocks combined; absent (not serialized) when the spec has none.
    #[serde(skip_serializing_if = "policy::Policy::is_empty")]
    pub policy: policy::Policy,
    /// The spec's `document`: the documents' title and sections; absent (not serialized) when
    /// the spec has none.
    #[serde(skip_serializing_if = "Document::is_default")]
    pub document: Document,
    /// Lookups by name, built on first use, so that emitters stay linear in the model's size.
    #[serde(skip)]
    pub lookup: OnceLock<Lookup>,
}

/// What a spec's `document` says of the port-matrix documents (`ports.md`, `ports.html`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The documents' title; when `None`, the title is made from the spec's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The sections, in order; when `None`, every section of [`Section::DEFAULT`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<DocumentSection>>,
}

impl Document {
    pub fn is_default(&self) -> bool {
        self == &Document::default()
    }

    /// The sections to write, in order.
    pub fn sections(&self) -> Vec<DocumentSection> {
        match &self.sections {
            Some(sections) => sections.clone(),
            None => Section::DEFAULT.iter().map(|&section| DocumentSection { section, title: None }).collect(),
        }
    }
}

/// One section of the documents, with the heading the spec gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentSection {
    pub section: Section,
    /// Its heading; when `None`, the section's own ("Devices", "Inbound ports").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A section of the port-matrix documents, named in a `document`'s `sections`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// The diagram.
    Diagram,
    /// Zone | Trust | CIDRs | Nodes.
    Zones,
    /// One firewall table per node (the 1E pages' shape).
    Devices,
    /// Consolidated inbound ports: public, private, local (the KOBIL page's shape).
    Inbound,
    /// Consolidated outbound ports.
    Outbound,
    /// The routes, one row per flow.
    Routes,
    /// The policy's rules, zone-to-zone matrix, cleartext and blocked-port tables.
    Policy,
    /// The connections that stay inside the network (the Eko page's "Internal Communication").
    Internal,
    /// The connections to or from the internet (the Eko page's "External Communication").
    External,
}

impl Section {
    /// The sections of a document whose spec does not choose, in order: the first seven of
    /// [`Section::ALL`] (the communication sections only when a spec names them).
    pub const DEFAULT: &'static [Section] = Section::ALL.split_at(7).0;

    /// Every section a `sections` statement can name.
    pub const ALL: [Section; 9] = [
        Section::Diagram,
        Section::Zones,
        Section::Devices,
        Section::Inbound,
        Section::Outbound,
        Section::Routes,
        Section::Policy,
        Section::Internal,
        Section::External,
    ];

    /// The name a `sections` statement uses.
    pub fn name(self) -> &'static str {
        match self {
            Section::Diagram => "diagram",
            Section::Zones => "zones",
            Section::Devices => "devices",
            Section::Inbound => "inbound",
            Section::Outbound => "outbound",
            Section::Routes => "routes",
            Section::Policy => "policy",
            Section::Internal => "internal",
            Section::External => "external",
        }
    }

    /// What the section holds, in a few words (the editor's completion detail).
    pub fn summary(self) -> &'static str {
        match self {
            Section::Diagram => "the diagram",
            Section::Zones => "the zones, their trust and networks",
            Section::Devices => "a firewall table per node",
            Section::Inbound => "the inbound ports: public, private, local",
            Section::Outbound => "the connections to the internet",
            Section::Routes => "the routes, one row per flow",
            Section::Policy => "the policy's rules and tables",
            Section::Internal => "the connections inside the network",
            Section::External => "the connections to or from the internet",
        }
    }

    /// The section a name stands for.
    pub fn from_name(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Nodes and zones by name, and the hops leaving and reaching each node's port.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lookup {
    nodes: FxHashMap<String, usize>,
    zones: FxHashMap<String, usize>,
    leaving: FxHashMap<(String, String), Vec<usize>>,
    reaching: FxHashMap<(String, String), Vec<usize>>,
}

impl Lookup {
    fn build(model: &Model) -> Lookup {
        let mut lookup = Lookup::default();
        for (i, node) in model.nodes.iter().enumerate() {
            lookup.nodes.entry(node.name.clone()).or_insert(i);
        }
        for (i, zone) in model.zones.iter().enumerate() {
            lookup.zones.entry(zone.name.clone()).or_insert(i);
        }
        for (i, flow) in model.flows.iter().enumerate() {
            lookup.leaving.entry((flow.from.node.clone(), flow.from.port.clone())).or_default().push(i);
            lookup.reaching.entry((flow.to.node.clone(), flow.to.port.clone())).or_default().push(i);
        }
        lookup
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Zone {
    pub name: String,
    pub title: String,
    pub trust: Trust,
    pub cidrs: Vec<String>,
    pub docs: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Node {
    pub name: String,
    pub zone: String,
    /// The node's title, or its name when the spec gives none.
    pub title: String,
    pub addresses: Vec<String>,
    pub components: Vec<Component>,
    /// `null` for one host, a number for a cluster (`[3]`), `"*"` for a group of unknown size.
    pub replicas: Option<Replicas>,
    pub docs: String,
    /// What firewall rules use for this node's addresses.
    pub rule_addresses: RuleAddresses,
    /// The node's ports whose condition holds, in component then declaration order.
    pub ports: Vec<Port>,
}

impl Node {
    pub fn port(&self, name: &str) -> Option<&Port> {
        self.ports.iter().find(|p| p.name == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Replicas {
    Count(u64),
    Any(&'static str),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Component {
    pub name: String,
    pub title: String,
}

/// Where the addresses a rule uses for a node come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressOrigin {
    /// The node's own `address` list.
    Node,
    /// The node has none: its zone's `cidr` list.
    ZoneCidrs,
    /// Neither, in an `untrusted` zone: the internet, any address.
    Any,
    /// Neither, in a zone that is not `untrusted`: no rule can name it (P603).
    None,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleAddresses {
    pub origin: AddressOrigin,
    /// Empty for `any` and `none`.
    pub networks: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Port {
    /// The name flows use: `https`, or `Component.https` when two components of the node
    /// declare a port of that name.
    pub name: String,
    pub component: String,
    pub kind: PortKind,
    pub protocol: String,
    pub protocol_title: String,
    pub encrypted: bool,
    /// For an input, where it listens; for an output, the ports it is pinned to, or (not
    /// pinned) its protocol's default ports: the ports it uses are those of its flows.
    pub ports: Vec<PortRange>,
    pub pinned: bool,
    pub optional: bool,
    pub shared: bool,
    pub relay: bool,
    /// `local Component.port`: served on the host by that component's input.
    pub local: Option<String>,
    /// What the port is for: its title, else its doc comment's first paragraph.
    pub usage: String,
    /// The settings that configure its port numbers (a parameter's setting name, else the
    /// parameter's name); empty when the port is fixed.
    pub configurable: Vec<String>,
    /// `configurable "..."`: the vendor's own words for whether and how the port is configured;
    /// absent (not serialized) when the spec gives none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configurable_text: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PortKind {
    Listen,
    Connect,
    Peer,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct End {
    pub node: String,
    pub port: String,
}

impl std::fmt::Display for End {
    /// `node.port`, as a flow writes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.node, self.port)
    }
}

/// One hop: a connection opened from one node's port to another's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flow {
    pub from: End,
    pub to: End,
    pub protocol: String,
    pub label: Option<String>,
    pub from_zone: String,
    pub to_zone: String,
    pub ports: Vec<PortRange>,
    pub protocol_title: String,
    pub encrypted: bool,
    /// The route this hop belongs to: its `number`.
    pub route: usize,
    /// Which hop of the route, from 1.
    pub hop: usize,
    pub kind: HopKind,
    /// What the policy decided for this hop and what decided it; `null` for a `local` flow,
    /// which no policy covers.
    pub decision: Option<Decision>,
}

/// The policy's decision on one hop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub action: Verdict,
    pub by: DecidedBy,
    /// The rule that decided, as written (one line, without its doc comment or label); for
    /// `by: default`, the `default` statement; `null` when no policy decides.
    pub rule: Option<String>,
    /// The rule's label.
    pub label: Option<String>,
    /// Where that rule or default is written: the file's path in the spec and the line, from 1.
    pub file: Option<String>,
    pub line: Option<u32>,
}

impl Decision {
    /// "allowed by `allow dmz -> datacenter on tcp/8443`, site.ptl:52", "allowed: no rule
    /// matches and the spec states no default".
    pub fn describe(&self) -> String {
        let verb = match self.action {
            Verdict::Allow => "allowed",
            Verdict::Deny => "denied",
        };
        let place = match (&self.file, self.line) {
            (Some(file), Some(line)) => format!(", {file}:{line}"),
            _ => String::new(),
        };
        match (&self.by, &self.rule) {
            (DecidedBy::Rule, Some(rule)) => format!("{verb} by `{rule}`{place}"),
            (DecidedBy::Default, Some(rule)) => format!("{verb} by the default `{rule}`{place}: no rule matches"),
            _ => format!("{verb}: no rule matches and the spec states no default"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allow,
    Deny,
}

/// What decided a hop: a rule, the `default`, or nothing (no rule matches and no `default` is
/// stated: allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecidedBy {
    Rule,
    Default,
    NoPolicy,
}

impl Flow {
    pub fn port_set(&self) -> PortSet {
        PortSet::new(self.ports.clone())
    }

    pub fn transports(&self) -> Vec<Transport> {
        self.port_set().transports()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HopKind {
    /// The one hop of a flow without proxies.
    Direct,
    /// A hop of a flow `via` proxies: into a proxy, between proxies, or out of the last one.
    Via,
    /// The way back of a two-way flow between peers: the right end opens this connection.
    Reverse,
    /// A `local` flow: two roles on one host; no firewall rule.
    Local,
}

/// A `flow` as the spec writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    /// From 1, in spec order.
    pub number: usize,
    /// `route 20`: the number the spec gives the route (a vendor's route number); absent (not
    /// serialized) when it gives none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_number: Option<u64>,
    pub label: Option<String>,
    pub docs: String,
    pub from: End,
    pub to: End,
    /// The proxies it goes through, in order.
    pub via: Vec<String>,
    /// Written `<->`.
    pub bidirectional: bool,
    pub local: bool,
    /// Indices into the model's `flows`.
    pub hops: Vec<usize>,
}

impl Model {
    /// The first and the last hop of the route a hop belongs to, when it goes through proxies
    /// (what an end-to-end rule sees of it); otherwise the hop itself, twice.
    pub fn route_ends<'a>(&'a self, hop: &'a Flow) -> (&'a Flow, &'a Flow) {
        match self.routes.get(hop.route.wrapping_sub(1)) {
            Some(route) if hop.kind == HopKind::Via => {
                let at = |i: Option<&usize>| i.and_then(|&i| self.flows.get(i)).unwrap_or(hop);
                (at(route.hops.first()), at(route.hops.last()))
            }
            _ => (hop, hop),
        }
    }

    fn lookup(&self) -> &Lookup {
        self.lookup.get_or_init(|| Lookup::build(self))
    }

    pub fn node(&self, name: &str) -> Option<&Node> {
        self.lookup().nodes.get(name).and_then(|&i| self.nodes.get(i))
    }

    pub fn zone(&self, name: &str) -> Option<&Zone> {
        self.lookup().zones.get(name).and_then(|&i| self.zones.get(i))
    }

    /// The hops leaving (`leaving`) or reaching a port of a node, in flow order.
    pub fn hops_at(&self, node: &str, port: &str, leaving: bool) -> Vec<&Flow> {
        let lookup = self.lookup();
        let map = if leaving { &lookup.leaving } else { &lookup.reaching };
        map.get(&(node.to_string(), port.to_string()))
            .map(|indices| indices.iter().filter_map(|&i| self.flows.get(i)).collect())
            .unwrap_or_default()
    }

    pub fn route(&self, number: usize) -> Option<&Route> {
        number.checked_sub(1).and_then(|i| self.routes.get(i))
    }

    /// The model as pretty JSON, with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}
