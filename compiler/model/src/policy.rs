//! The spec's policy as plain data: its default, its rules in spec order (their labels are the
//! reasons documentation shows) and its encryption requirements; and how a rule matches a
//! connection, for emitters that render the policy.

use serde::Serialize;

use crate::ports::{PortRange, PortSet};
use crate::{Flow, Trust};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// `default allow` or `default deny`; `None` when the spec states none (every hop allowed).
    pub default: Option<Action>,
    pub rules: Vec<Rule>,
    pub requires: Vec<Require>,
}

impl Policy {
    pub fn is_empty(&self) -> bool {
        self.default.is_none() && self.rules.is_empty() && self.requires.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Allow,
    Deny,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Deny => "deny",
        }
    }
}

/// A zone or a node a rule names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "lowercase")]
pub enum Target {
    Zone(String),
    Node(String),
}

/// One side of a rule: `any`, or a list of zones and nodes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Selector {
    pub any: bool,
    pub targets: Vec<Target>,
}

impl Selector {
    /// True when the selector takes in a node of a zone.
    pub fn matches(&self, node: &str, zone: &str) -> bool {
        self.any
            || self.targets.iter().any(|t| match t {
                Target::Zone(z) => z == zone,
                Target::Node(n) => n == node,
            })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Scope {
    /// `A -> B`.
    Between { from: Selector, to: Selector },
    /// `within Z`: both ends in one zone of the selector.
    Within { zones: Selector },
}

/// What a rule's `on` names: a protocol, or ports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Service {
    Protocol { name: String, title: String },
    Ports { ports: Vec<PortRange> },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub action: Action,
    /// `allow cleartext`: the hops it matches may be cleartext across trust levels.
    pub cleartext: bool,
    /// `allow flows a -> b`: the rule matches every hop of a flow whose origin and final
    /// destination it matches (with the last hop's protocol and ports), whatever proxies the
    /// flow goes through; `false`: it matches each hop by the hop's own ends.
    pub end_to_end: bool,
    pub scope: Scope,
    /// Empty: every protocol and port.
    pub services: Vec<Service>,
    /// Its label: what it is for (for `allow cleartext`, why cleartext is accepted).
    pub label: Option<String>,
}

/// A connection a rule may match: from a node of a zone to a node of a zone, on ports, with a
/// protocol (`None` for ports a rule names without a listener behind them).
#[derive(Clone, Copy)]
pub struct Connection<'a> {
    pub from_node: &'a str,
    pub from_zone: &'a str,
    pub to_node: &'a str,
    pub to_zone: &'a str,
    pub protocol: Option<&'a str>,
    pub ports: &'a PortSet,
}

impl<'a> Connection<'a> {
    /// From the source of hop `from` to the destination of hop `to`, with `to`'s protocol.
    fn between(from: &'a Flow, to: &'a Flow, ports: &'a PortSet) -> Self {
        Connection {
            from_node: &from.from.node,
            from_zone: &from.from_zone,
            to_node: &to.to.node,
            to_zone: &to.to_zone,
            protocol: Some(&to.protocol),
            ports,
        }
    }
}

/// A hop as a rule sees it: the hop itself, and its flow from origin to final destination (with
/// the last hop's protocol and ports). For a direct flow both are the hop.
pub struct HopInFlow<'a> {
    pub hop: Connection<'a>,
    pub flow: Connection<'a>,
}

impl<'a> HopInFlow<'a> {
    /// A hop of the model, its ports (`hop.port_set()`), its route's first and last hops
    /// (`Model::route_ends`) and the last one's ports.
    pub fn of(hop: &'a Flow, ports: &'a PortSet, ends: (&'a Flow, &'a Flow), flow_ports: &'a PortSet) -> Self {
        HopInFlow { hop: Connection::between(hop, hop, ports), flow: Connection::between(ends.0, ends.1, flow_ports) }
    }

    /// A connection that is a whole flow: both kinds of rule see it.
    pub fn direct(c: Connection<'a>) -> HopInFlow<'a> {
        HopInFlow { hop: c, flow: c }
    }
}

impl Rule {
    /// True when the rule matches the hop, as the checker decides: a hop rule by the hop, an
    /// end-to-end rule by its flow.
    pub fn matches_hop(&self, h: &HopInFlow<'_>) -> bool {
        self.matches(if self.end_to_end { &h.flow } else { &h.hop })
    }

    /// True when the rule's scope takes in the connection's ends and its services the
    /// connection: no `on` matches everything, a protocol matches its own hops, and ports match
    /// when, for an `allow`, they include all of the connection's ports and, for a `deny`, share
    /// one. Which connection a rule is to see is [`Rule::matches_hop`]'s choice.
    pub fn matches(&self, c: &Connection<'_>) -> bool {
        let scope = match &self.scope {
            Scope::Between { from, to } => from.matches(c.from_node, c.from_zone) && to.matches(c.to_node, c.to_zone),
            Scope::Within { zones } => {
                c.from_zone == c.to_zone
                    && (zones.any || zones.targets.iter().any(|t| *t == Target::Zone(c.from_zone.to_string())))
            }
        };
        scope
            && (self.services.is_empty()
                || self.services.iter().any(|s| match s {
                    Service::Protocol { name, .. } => c.protocol == Some(name.as_str()),
                    Service::Ports { ports } => {
                        let set = PortSet::new(ports.clone());
                        match self.action {
                            Action::Allow => set.is_superset(c.ports),
                            Action::Deny => set.intersects(c.ports),
                        }
                    }
                }))
    }
}

/// What the policy decides for a connection: the rule that decides it (an index into `rules`),
/// or `None` for the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub rule: Option<usize>,
}

impl Policy {
    /// A `deny` rule that matches denies; else an `allow` rule that matches allows; else the
    /// default decides (no default: allowed).
    pub fn decide(&self, h: &HopInFlow<'_>) -> Decision {
        let first = |action: Action| self.rules.iter().position(|r| r.action == action && r.matches_hop(h));
        if let Some(rule) = first(Action::Deny) {
            return Decision { allowed: false, rule: Some(rule) };
        }
        if let Some(rule) = first(Action::Allow) {
            return Decision { allowed: true, rule: Some(rule) };
        }
        Decision { allowed: self.default != Some(Action::Deny), rule: None }
    }
}

/// `require encrypted across LEVEL`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Require {
    pub level: Trust,
    pub label: Option<String>,
}
