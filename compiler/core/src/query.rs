//! `portolan query`: can X reach Y, and why? The flows and hops of a checked spec that connect
//! two places (nodes, zones, addresses or `any`), each hop with the rule that decides it; when
//! none does, the rule or default that would decide such a hop, and the flow that is missing.

use portolan_model::ports::{PortRange, PortSet, Transport};
use portolan_model::{Decision, Flow, Model, Node, Route};
use serde::Serialize;

use crate::db::Db;
use crate::export::export;
use crate::items::{Item, ItemKind, file_items};
use crate::net::Network;
use crate::policy::cite::Citer;
use crate::policy::{HopEnds, PolicyHop, decide, policy_index};
use crate::resolved::{Endpoint, Hop};

/// One side of a query, as written: `any`, a node, a zone or an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Any,
    Node(String),
    Zone(String),
    Address(Network),
}

impl Place {
    /// What `text` names in the model, or an error message.
    pub fn parse(model: &Model, text: &str) -> Result<Place, String> {
        if text == "any" {
            return Ok(Place::Any);
        }
        if model.node(text).is_some() {
            return Ok(Place::Node(text.to_string()));
        }
        if model.zone(text).is_some() {
            return Ok(Place::Zone(text.to_string()));
        }
        match Network::parse(text) {
            Ok(network) => Ok(Place::Address(network)),
            Err(_) => Err(format!("`{text}` is not a node, a zone, an address or `any` of this spec")),
        }
    }

    fn holds(&self, node: &Node) -> bool {
        match self {
            Place::Any => true,
            Place::Node(name) => node.name == *name,
            Place::Zone(name) => node.zone == *name,
            Place::Address(address) => node
                .rule_addresses
                .networks
                .iter()
                .filter_map(|n| Network::parse(n).ok())
                .any(|n| n.contains(address) || address.contains(&n)),
        }
    }
}

/// A query: `--from`, `--to` (with a port name or number after `:`), `--on`.
#[derive(Clone, Debug)]
pub struct Query {
    pub from: Place,
    pub to: Place,
    /// `Y:port`: a port name of the destination, or a port number.
    pub to_port: Option<String>,
    pub on: Option<PortSet>,
}

/// `tcp/443`, `udp/53`, `tcp/8000..8010`.
pub fn parse_ports(text: &str) -> Option<PortSet> {
    let (transport, ports) = text.split_once('/')?;
    let transport = match transport {
        "tcp" => Transport::Tcp,
        "udp" => Transport::Udp,
        _ => return None,
    };
    let (start, end) = ports.split_once("..").unwrap_or((ports, ports));
    let (start, end) = (start.parse::<u16>().ok()?, end.parse::<u16>().ok()?);
    (start >= 1 && start <= end).then(|| PortSet::new(vec![PortRange { transport, start, end }]))
}

#[derive(Clone, Debug, Serialize)]
pub struct HopAnswer {
    pub hop: usize,
    pub from: String,
    pub to: String,
    pub protocol: String,
    pub ports: String,
    pub decision: Option<Decision>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RouteAnswer {
    pub number: usize,
    pub label: Option<String>,
    pub from: String,
    pub to: String,
    pub via: Vec<String>,
    pub hops: Vec<HopAnswer>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub reachable: bool,
    pub routes: Vec<RouteAnswer>,
    /// When nothing connects them: what the policy would decide for such a hop.
    pub would_decide: Option<Decision>,
    /// When nothing connects them: the flow that would be needed.
    pub needed: Option<String>,
}

fn hop_answer(flow: &Flow) -> HopAnswer {
    HopAnswer {
        hop: flow.hop,
        from: flow.from.to_string(),
        to: flow.to.to_string(),
        protocol: flow.protocol_title.clone(),
        ports: flow.port_set().describe(),
        decision: flow.decision.clone(),
    }
}

/// True when this hop goes from `from` to `to` (on the port asked for, if one is).
fn hop_connects(model: &Model, query: &Query, flow: &Flow, from: &Place, to: &Place) -> bool {
    let (Some(a), Some(b)) = (model.node(&flow.from.node), model.node(&flow.to.node)) else { return false };
    let port = query.to_port.as_ref().is_none_or(|p| {
        flow.to.port == *p || p.parse::<u16>().is_ok_and(|n| flow.ports.iter().any(|r| r.start <= n && n <= r.end))
    });
    let on = query.on.as_ref().is_none_or(|on| on.intersects(&flow.port_set()));
    from.holds(a) && to.holds(b) && port && on
}

/// The routes that connect the query's two places: from its origin to its final destination,
/// or through one of its hops.
pub fn answer(db: &dyn Db, model: &Model, query: &Query) -> Answer {
    let mut routes = Vec::new();
    for route in &model.routes {
        let hops: Vec<&Flow> = route.hops.iter().filter_map(|&i| model.flows.get(i)).collect();
        let end_to_end = match (hops.first(), hops.iter().rev().find(|h| h.to.node == route.to.node)) {
            (Some(first), Some(last)) => {
                model.node(&first.from.node).is_some_and(|n| query.from.holds(n))
                    && hop_connects(model, query, last, &Place::Any, &query.to)
            }
            _ => false,
        };
        let some_hop = hops.iter().any(|h| hop_connects(model, query, h, &query.from, &query.to));
        if (end_to_end || some_hop) && !route.local {
            routes.push(route_answer(route, &hops));
        }
    }
    let reachable = !routes.is_empty();
    let (would_decide, needed) = if reachable { (None, None) } else { missing(db, model, query) };
    Answer { reachable, routes, would_decide, needed }
}

fn route_answer(route: &Route, hops: &[&Flow]) -> RouteAnswer {
    RouteAnswer {
        number: route.number,
        label: route.label.clone(),
        from: route.from.to_string(),
        to: route.to.to_string(),
        via: route.via.clone(),
        hops: hops.iter().map(|h| hop_answer(h)).collect(),
    }
}

/// What the policy would decide for a hop between the two places, and the flow that is missing.
fn missing(db: &dyn Db, model: &Model, query: &Query) -> (Option<Decision>, Option<String>) {
    let first = |place: &Place| model.nodes.iter().find(|n| place.holds(n)).map(|n| n.name.clone());
    let (Some(from), Some(to)) = (first(&query.from), first(&query.to)) else { return (None, None) };
    let nodes: Vec<Item<'_>> = crate::facts::user_files(db)
        .iter()
        .flat_map(|&f| file_items(db, f).iter().copied())
        .filter(|i| i.kind(db) == ItemKind::Node)
        .collect();
    let item = |name: &str| nodes.iter().copied().find(|i| i.name(db).as_str() == name);
    let (Some(a), Some(b)) = (item(&from), item(&to)) else { return (None, None) };
    let ports = query.on.clone().unwrap_or_default();
    let hop = Hop {
        from: Endpoint { node: a, port: 0 },
        to: Endpoint { node: b, port: 0 },
        protocol: None,
        ports,
        encrypted: true,
    };
    let ends = HopEnds::of(db, &hop);
    let policy = crate::facts::spec_policy(db);
    let decision =
        Citer::default().state(db, policy, decide(policy, policy_index(db), PolicyHop::new(&hop, ends, None)));
    let port = query.to_port.clone().unwrap_or_else(|| "<input>".into());
    (Some(decision), Some(format!("flow {from}.<output> -> {to}.{port}")))
}

/// The answer, for a terminal.
pub fn human(query_text: &str, answer: &Answer) -> String {
    let mut out = String::new();
    if answer.reachable {
        out.push_str(&format!("{query_text}: reachable, by {} flow(s)\n", answer.routes.len()));
        for route in &answer.routes {
            let via = if route.via.is_empty() { String::new() } else { format!(" via {}", route.via.join(", ")) };
            let label = route.label.as_ref().map_or_else(String::new, |l| format!(" \"{l}\""));
            out.push_str(&format!("\nflow {}: {} -> {}{via}{label}\n", route.number, route.from, route.to));
            for hop in &route.hops {
                let decision = hop.decision.as_ref().map_or_else(|| "no policy (local)".into(), Decision::describe);
                out.push_str(&format!(
                    "  hop {}: {} -> {}, {} on {}: {decision}\n",
                    hop.hop, hop.from, hop.to, hop.protocol, hop.ports
                ));
            }
        }
    } else {
        out.push_str(&format!("{query_text}: not reachable: no flow connects them\n"));
        if let Some(decision) = &answer.would_decide {
            out.push_str(&format!("such a hop would be {}\n", decision.describe()));
        }
        if let Some(needed) = &answer.needed {
            out.push_str(&format!("it would need a flow: `{needed}`\n"));
        }
    }
    out
}

/// The model a query reads: the checked spec's.
pub fn model(db: &dyn Db) -> Model {
    export(db).model
}
