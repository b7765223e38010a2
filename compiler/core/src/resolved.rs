//! The resolved model: what each protocol, component, zone, node, flow and policy means once its
//! names are resolved and its expressions evaluated. Each is the value of one tracked query in
//! `resolve/`, and carries the problems found while computing it (`problem::Problem`).

use portolan_syntax::ast::{Action, Condition, Direction, Expr, PortKind, PortSpec, ReplicaCount};
use portolan_syntax::{Name, Span};

use crate::eval::{ParamType, Value};
use crate::items::Item;
use crate::location::Location;
use crate::net::Network;
use crate::problem::Problem;
use portolan_model::ports::{PortSet, Transport};
pub use portolan_model::{DocumentSection, Section, Trust};

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct ProtocolInfo<'db> {
    pub name: Name,
    /// The title as documentation writes it (`HTTPS`), or the name in capitals.
    pub title: String,
    pub docs: String,
    /// The ports a listener uses when it names none; `None` for bare transports (`tcp`).
    pub default_ports: Option<PortSet>,
    pub transports: Vec<Transport>,
    pub encrypted: bool,
    pub problems: Vec<Problem<'db>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamInfo {
    pub name: Name,
    pub ty: Option<ParamType>,
    pub default: Option<Expr>,
    /// The setting's name as the vendor writes it (`HTTPSIISPORT`).
    pub title: Option<String>,
    pub docs: String,
    pub span: Span,
    pub name_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortInfo {
    pub name: Name,
    pub kind: PortKind,
    pub spec: Option<PortSpec>,
    pub optional: bool,
    pub shared: bool,
    pub relay: bool,
    pub condition: Option<Condition>,
    /// `local Component.port`: served on the host when that component shares the node.
    pub local_peer: Option<(Name, Name)>,
    /// `configurable "..."`: the vendor's words for the Configurable column.
    pub configurable: Option<String>,
    pub title: Option<String>,
    pub docs: String,
    pub span: Span,
    pub name_span: Span,
    pub protocol_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct ComponentInfo<'db> {
    pub name: Name,
    pub title: String,
    pub docs: String,
    pub params: Vec<ParamInfo>,
    pub ports: Vec<PortInfo>,
    /// The protocol of each port, parallel to `ports`; `None` when it did not resolve.
    pub protocols: Vec<Option<Item<'db>>>,
    /// True when every name resolved, so that checks depending on completeness may run.
    pub complete: bool,
    pub problems: Vec<Problem<'db>>,
}

impl ComponentInfo<'_> {
    pub fn param(&self, name: &str) -> Option<&ParamInfo> {
        self.params.iter().find(|p| p.name == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct ZoneInfo<'db> {
    pub name: Name,
    pub title: String,
    pub docs: String,
    /// `internal` when the zone does not say.
    pub trust: Trust,
    pub trust_given: bool,
    pub cidrs: Vec<Network>,
    pub problems: Vec<Problem<'db>>,
}

/// A port of a node: one port of one of its components, with the node's parameters applied.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct NodePort<'db> {
    pub component: Item<'db>,
    /// Which of the node's components (index into `NodeInfo::components`).
    pub component_index: u32,
    /// Which port of the component (index into `ComponentInfo::ports`).
    pub port_index: u32,
    pub name: Name,
    pub kind: PortKind,
    pub protocol: Option<Item<'db>>,
    /// The ports it listens on, or (for an output) the ports it is pinned to or its protocol's.
    pub ports: PortSet,
    /// For an output: true when it names its port (`on tcp/...`), so it only connects there.
    pub pinned: bool,
    pub optional: bool,
    pub shared: bool,
    pub relay: bool,
    /// False when its `when` condition does not hold on this node.
    pub active: bool,
    pub local_peer: Option<(Name, Name)>,
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct NodeInfo<'db> {
    pub name: Name,
    pub title: Option<String>,
    pub docs: String,
    pub zone: Option<Item<'db>>,
    pub components: Vec<Item<'db>>,
    /// True when every component resolved and parsed: checks needing all ports may run.
    pub complete: bool,
    pub replicas: Option<ReplicaCount>,
    pub addresses: Vec<Network>,
    pub ports: Vec<NodePort<'db>>,
    /// The value of every parameter of every component, per component (parallel to `components`).
    pub params: Vec<Vec<(Name, Option<Value>)>>,
    pub problems: Vec<Problem<'db>>,
}

impl<'db> NodeInfo<'db> {
    /// A cluster is a node with replicas: flows between its members are allowed.
    pub fn is_cluster(&self) -> bool {
        self.replicas.as_ref().is_some_and(|r| !matches!(r, ReplicaCount::Count(0 | 1)))
    }
}

/// One end of a flow: a node and the index of one of its ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, salsa::SalsaValue)]
pub struct Endpoint<'db> {
    pub node: Item<'db>,
    pub port: u32,
}

/// One leg of a flow: a direct connection between two nodes.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct Hop<'db> {
    pub from: Endpoint<'db>,
    pub to: Endpoint<'db>,
    pub protocol: Option<Item<'db>>,
    pub ports: PortSet,
    pub encrypted: bool,
}

/// What the policy and encryption checks need to know of one hop of a flow, gathered once per
/// file (`facts::file_hops`) so that those checks depend on one query per file.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct HopFacts<'db> {
    pub hop: Hop<'db>,
    pub from_zone: Option<Item<'db>>,
    pub to_zone: Option<Item<'db>>,
    pub from_zone_name: Option<Name>,
    pub to_zone_name: Option<Name>,
    pub from_trust: Option<Trust>,
    pub to_trust: Option<Trust>,
    pub from_node_name: Name,
    pub to_node_name: Name,
    pub protocol_name: Option<Name>,
    pub protocol_title: Option<String>,
    /// Where the hop's protocol is declared.
    pub protocol_location: Option<Location>,
    /// The flow's two ends as written: where its diagnostics point.
    pub location: Location,
    /// For a hop of a flow through proxies: the flow from its origin to its final destination,
    /// which end-to-end rules match; `None` when the flow is direct (the hop is the flow).
    pub end_to_end: Option<EndToEnd<'db>>,
    /// Which hop of its flow this is, from 0.
    pub position: usize,
}

impl<'db> HopFacts<'db> {
    /// The hop as the policy decides it.
    pub fn policy_hop(&self) -> PolicyHop<'_, 'db> {
        let ends = HopEnds {
            from_node: self.hop.from.node,
            to_node: self.hop.to.node,
            from_zone: self.from_zone,
            to_zone: self.to_zone,
        };
        PolicyHop::new(&self.hop, ends, self.end_to_end.as_ref())
    }
}

/// A flow through proxies seen from its origin to its final destination, as one hop: the first
/// hop's source, the last hop's destination, protocol and ports.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct EndToEnd<'db> {
    pub hop: Hop<'db>,
    pub ends: HopEnds<'db>,
}

/// A hop as the policy decides it: the hop and where it runs, which hop rules match; and its
/// flow from origin to final destination, which end-to-end rules (`deny flows a -> b`) match.
/// For a direct flow the two are the same.
#[derive(Clone, Copy, Debug)]
pub struct PolicyHop<'a, 'db> {
    pub hop: &'a Hop<'db>,
    pub ends: HopEnds<'db>,
    pub flow: &'a Hop<'db>,
    pub flow_ends: HopEnds<'db>,
}

impl<'a, 'db> PolicyHop<'a, 'db> {
    /// A hop of a flow: `end_to_end` is the flow's, `None` when the flow is this one hop.
    pub fn new(hop: &'a Hop<'db>, ends: HopEnds<'db>, end_to_end: Option<&'a EndToEnd<'db>>) -> Self {
        match end_to_end {
            Some(flow) => PolicyHop { hop, ends, flow: &flow.hop, flow_ends: flow.ends },
            None => PolicyHop { hop, ends, flow: hop, flow_ends: ends },
        }
    }

    /// The hop, or the flow for an end-to-end rule: what a rule of that kind matches.
    pub fn seen_by(&self, end_to_end: bool) -> (&'a Hop<'db>, HopEnds<'db>) {
        if end_to_end { (self.flow, self.flow_ends) } else { (self.hop, self.ends) }
    }
}

/// What the proxied-path check needs of one flow that goes `via` proxies: its origin and final
/// destination as one hop (the last hop's protocol and ports), and the hops it really opens.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct ProxiedFacts<'db> {
    /// From the flow's origin to its final destination.
    pub end_to_end: EndToEnd<'db>,
    /// The hops the flow opens, with their ends' zones.
    pub hops: Vec<(Hop<'db>, HopEnds<'db>)>,
    /// The flow as written (`evil.https -> ssms.management`) and its proxies' node names.
    pub flow_text: String,
    pub proxies: Vec<Name>,
    pub to_node_name: Name,
    pub from_zone_name: Option<Name>,
    pub location: Location,
    /// Just after the flow's last proxy: where `intended` goes.
    pub intended_at: Location,
}

/// Where a hop runs: its ends' nodes and zones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct HopEnds<'db> {
    pub from_node: Item<'db>,
    pub to_node: Item<'db>,
    pub from_zone: Option<Item<'db>>,
    pub to_zone: Option<Item<'db>>,
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct FlowInfo<'db> {
    pub label: Option<String>,
    pub docs: String,
    pub direction: Direction,
    pub local: bool,
    /// `route 20`: the route's number as the vendor's documents give it.
    pub route: Option<u64>,
    pub from: Option<Endpoint<'db>>,
    pub to: Option<Endpoint<'db>>,
    pub via: Vec<Endpoint<'db>>,
    /// `via ... intended`: the flow is meant to reach, through its proxies, what a hop rule
    /// denies from its origin.
    pub intended: bool,
    /// The connections this flow opens, in order; for a two-way flow between peers, both ways.
    /// Empty when an end did not resolve or the flow is invalid.
    pub hops: Vec<Hop<'db>>,
    pub problems: Vec<Problem<'db>>,
}

/// Zones and nodes a policy rule names; empty means `any`.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct Selector<'db> {
    pub any: bool,
    pub targets: Vec<Item<'db>>,
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub enum ServiceMatch<'db> {
    Protocol(Item<'db>),
    Ports(PortSet),
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub enum RuleScopeInfo<'db> {
    Between { from: Selector<'db>, to: Selector<'db> },
    Within(Selector<'db>),
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct RuleInfo<'db> {
    pub policy: Item<'db>,
    pub action: Action,
    /// `allow cleartext`: hops it matches may be cleartext across trust levels.
    pub cleartext: bool,
    /// `allow flows a -> b`: the rule matches every hop of a flow whose origin and final
    /// destination (with the last hop's protocol and ports) it matches, whatever proxies the flow
    /// goes through; otherwise it matches each hop by the hop's own ends.
    pub end_to_end: bool,
    /// The span of `allow` or `deny`.
    pub action_span: Span,
    /// False when a name in the rule did not resolve (reported); such a rule matches nothing,
    /// rather than more than it says.
    pub valid: bool,
    pub scope: RuleScopeInfo<'db>,
    /// Empty: every protocol and port.
    pub services: Vec<ServiceMatch<'db>>,
    pub label: Option<String>,
    pub span: Span,
    /// The rule as outputs cite it: its span without the label (doc comment lines are dropped
    /// when it is cited).
    pub text_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct RequireInfo<'db> {
    pub policy: Item<'db>,
    pub level: Trust,
    pub label: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct DefaultInfo<'db> {
    pub policy: Item<'db>,
    pub action: Action,
    pub span: Span,
}

/// The `document` item, resolved: what the port-matrix documents are titled and which sections
/// they hold, in order (`None`: every section).
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct DocumentInfo<'db> {
    pub title: Option<String>,
    pub sections: Option<Vec<DocumentSection>>,
    pub problems: Vec<Problem<'db>>,
}

/// One `policy` block, resolved.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct PolicyInfo<'db> {
    pub defaults: Vec<DefaultInfo<'db>>,
    pub rules: Vec<RuleInfo<'db>>,
    pub requires: Vec<RequireInfo<'db>>,
    pub problems: Vec<Problem<'db>>,
}
