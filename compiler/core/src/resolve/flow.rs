//! `flow` items: their two ends, the proxies they go via, and the hops they open; with the checks
//! that need nothing but the flow and the nodes it names (direction, protocol, port, self-flow,
//! proxy and `local` checks).

use portolan_syntax::ast::{self, Direction};

use super::{PortLookup, find_port, resolve_to};
use crate::db::Db;
use crate::items::{Item, ItemKind};
use crate::location::Location;
use crate::resolve::{FlowEnd, Part, Problem, component_info, node_info, protocol_info};
use crate::resolved::{Endpoint, FlowInfo, Hop, NodeInfo, NodePort};

/// One resolved end of a flow as written.
#[derive(Clone, Copy)]
pub struct End<'db, 'a> {
    pub node: Item<'db>,
    pub info: &'db NodeInfo<'db>,
    /// `None` when the path names only the node.
    pub port: Option<u32>,
    pub path: &'a ast::Path,
}

impl<'db> End<'db, '_> {
    pub fn port(&self) -> Option<&'db NodePort<'db>> {
        self.port.and_then(|p| self.info.ports.get(p as usize))
    }

    /// The end as a problem names it.
    fn owned(&self) -> FlowEnd<'db> {
        FlowEnd { node: self.node, port: self.port, path: self.path.clone() }
    }
}

#[salsa::tracked(returns(ref))]
pub fn flow_info<'db>(db: &'db dyn Db, item: Item<'db>) -> FlowInfo<'db> {
    let mut info = FlowInfo {
        label: None,
        docs: String::new(),
        direction: Direction::Forward,
        local: false,
        route: None,
        from: None,
        to: None,
        via: Vec::new(),
        intended: false,
        hops: Vec::new(),
        problems: Vec::new(),
    };
    let Some(decl) = item.flow_decl(db) else {
        salvage_broken(db, item, &mut info);
        return info;
    };
    info.label = decl.label.as_ref().map(|l| l.value.clone());
    info.docs = decl.docs.text.clone();
    info.direction = decl.direction;
    info.local = decl.local.is_some();
    info.intended = decl.intended.is_some();
    info.route = decl.route.as_ref().and_then(|r| r.number);
    let problems = &mut info.problems;

    let from = resolve_end(db, item, &decl.from, problems);
    let to = resolve_end(db, item, &decl.to, problems);
    let (Some(mut from), Some(mut to)) = (from, to) else {
        info.from = from.and_then(|e| e.port.map(|port| Endpoint { node: e.node, port }));
        info.to = to.and_then(|e| e.port.map(|port| Endpoint { node: e.node, port }));
        return info;
    };
    let inferred = infer_ports(&mut from, &mut to, problems);
    // Count the ends that are known even when the other did not resolve, so that the output a
    // broken flow was meant to serve is not reported as unmatched on top of the flow's error.
    info.from = from.port.map(|port| Endpoint { node: from.node, port });
    info.to = to.port.map(|port| Endpoint { node: to.node, port });
    if !inferred {
        return info;
    }
    let (Some(from_port), Some(to_port)) = (from.port(), to.port()) else { return info };
    if !from.info.complete || !to.info.complete {
        return info;
    }

    let mut valid = true;
    for end in [&from, &to] {
        if let Some(port) = end.port()
            && !port.active
        {
            problems.push(Problem::InactivePort {
                path: end.path.clone(),
                node: end.node,
                port: end.port.unwrap_or_default(),
            });
            valid = false;
        }
    }
    let two_way_peers = decl.direction == Direction::Both
        && from_port.kind.accepts()
        && from_port.kind.initiates()
        && to_port.kind.accepts()
        && to_port.kind.initiates();
    if !from_port.kind.initiates() || !to_port.kind.accepts() {
        problems.push(Problem::FlowDirection { from: from.owned(), to: to.owned() });
        valid = false;
    }

    // Both ends on one node: a cluster talking to itself, roles on one host (`local`), or a mistake.
    let same_node = from.node == to.node;
    match (same_node, info.local) {
        (true, false) if !from.info.is_cluster() => {
            problems.push(Problem::SelfFlow { from: from.owned(), to: to.owned() });
            valid = false;
        }
        (true, true) if from_port.component_index == to_port.component_index => {
            problems.push(Problem::SameComponent { from: from.owned() });
            valid = false;
        }
        (false, true) => {
            problems.push(Problem::LocalDifferentNodes { from: from.owned(), to: to.owned() });
            valid = false;
        }
        (_, true) if !decl.via.is_empty() => {
            problems.push(Problem::LocalVia);
            valid = false;
        }
        _ => {}
    }

    if let (Some(a), Some(b)) = (from_port.protocol, to_port.protocol)
        && a != b
    {
        problems.push(Problem::ProtocolMismatch { from: from.owned(), to: to.owned() });
        valid = false;
    }
    let ports = if from_port.pinned { from_port.ports.intersection(&to_port.ports) } else { to_port.ports.clone() };
    if from_port.pinned && ports.is_empty() && !to_port.ports.is_empty() && valid {
        problems.push(Problem::PortMismatch { from: from.owned(), to: to.owned() });
        valid = false;
    }

    // The proxies the flow goes through, each entered at a port that relays.
    let mut via_entries: Vec<Endpoint<'db>> = Vec::new();
    for path in &decl.via {
        match resolve_via(db, item, path, &to, problems) {
            Some(entry) => via_entries.push(entry),
            None => valid = false,
        }
    }
    if two_way_peers && !decl.via.is_empty() {
        problems.push(Problem::TwoWayVia);
        valid = false;
    }
    info.via = via_entries.clone();
    if !valid {
        return info;
    }

    let flow_protocol = to_port.protocol;
    let flow_encrypted = flow_protocol.is_some_and(|p| protocol_info(db, p).encrypted);
    let start = Endpoint { node: from.node, port: from.port.unwrap_or_default() };
    let end = Endpoint { node: to.node, port: to.port.unwrap_or_default() };
    let mut source = start;
    for (k, entry) in via_entries.iter().enumerate() {
        let entry_port = port_of(db, *entry);
        let protocol = entry_port.and_then(|p| p.protocol);
        let tunnel = protocol != flow_protocol;
        let encrypted = protocol.is_some_and(|p| protocol_info(db, p).encrypted) || (tunnel && flow_encrypted);
        info.hops.push(Hop {
            from: source,
            to: *entry,
            protocol,
            ports: entry_port.map(|p| p.ports.clone()).unwrap_or_default(),
            encrypted,
        });
        // The proxy sends the next hop from its output of that hop's protocol, if it has one
        // (which that hop then serves), else from the input it relays.
        let next_protocol = match via_entries.get(k + 1) {
            Some(next) => port_of(db, *next).and_then(|p| p.protocol),
            None => flow_protocol,
        };
        source = relay_source(db, *entry, next_protocol);
    }
    info.hops.push(Hop {
        from: source,
        to: end,
        protocol: flow_protocol,
        ports: ports.clone(),
        encrypted: flow_encrypted,
    });
    // Between two peers of one cluster the hop back is the same hop: one is enough.
    if two_way_peers && !(from.node == to.node && from.port == to.port) {
        let back = if to_port.pinned { to_port.ports.intersection(&from_port.ports) } else { from_port.ports.clone() };
        info.hops.push(Hop {
            from: end,
            to: start,
            protocol: from_port.protocol,
            ports: back,
            encrypted: flow_encrypted,
        });
    }
    info
}

/// Where a proxy sends a hop from: its output speaking that hop's protocol, if it has one,
/// else the relaying input the flow entered it at.
fn relay_source<'db>(db: &'db dyn Db, entry: Endpoint<'db>, protocol: Option<Item<'db>>) -> Endpoint<'db> {
    let info = node_info(db, entry.node);
    let output = info
        .ports
        .iter()
        .position(|p| p.active && p.kind.initiates() && p.protocol.is_some() && p.protocol == protocol);
    match output {
        Some(port) => Endpoint { node: entry.node, port: port as u32 },
        None => entry,
    }
}

/// The node port an endpoint names.
pub fn port_of<'db>(db: &'db dyn Db, endpoint: Endpoint<'db>) -> Option<&'db NodePort<'db>> {
    node_info(db, endpoint.node).ports.get(endpoint.port as usize)
}

/// Where a node's port is declared: in its component.
pub fn port_decl_location(db: &dyn Db, port: &NodePort<'_>) -> Option<Location> {
    let component = component_info(db, port.component);
    let decl = component.ports.get(port.port_index as usize)?;
    Some(port.component.at(db, decl.span))
}

fn resolve_end<'db, 'a>(
    db: &'db dyn Db,
    flow: Item<'db>,
    path: &'a ast::Path,
    problems: &mut Vec<Problem<'db>>,
) -> Option<End<'db, 'a>> {
    let target = resolve_to(db, flow, path, &[ItemKind::Node], problems)?;
    let info = node_info(db, target.item);
    if !target.known {
        return None;
    }
    let port = match target.rest {
        [] => None,
        rest if !info.complete => {
            let _ = rest;
            return None;
        }
        [port] => lookup(db, path, target.item, info, None, port, problems)?,
        [component, port] => lookup(db, path, target.item, info, Some(component), port, problems)?,
        [_, _, extra, ..] => {
            problems.push(Problem::NoMember {
                ident: extra.clone(),
                part: Part::Port,
                parent: target.item,
                candidates: Vec::new(),
            });
            return None;
        }
    };
    Some(End { node: target.item, info, port, path })
}

fn lookup<'db>(
    db: &'db dyn Db,
    path: &ast::Path,
    node: Item<'db>,
    info: &NodeInfo<'db>,
    component: Option<&ast::Ident>,
    port: &ast::Ident,
    problems: &mut Vec<Problem<'db>>,
) -> Option<Option<u32>> {
    match find_port(db, info, component.map(|c| c.name.as_str()), &port.name) {
        PortLookup::Found(index) => Some(Some(index)),
        PortLookup::NotFound => {
            let candidates = info.ports.iter().map(|p| p.name.clone()).collect();
            problems.push(Problem::NoMember { ident: port.clone(), part: Part::Port, parent: node, candidates });
            None
        }
        PortLookup::Ambiguous(ports) => {
            problems.push(Problem::AmbiguousPort { path: path.clone(), node, ports });
            None
        }
    }
}

/// Picks the port of an end that names only its node: the one whose protocol matches the other end.
fn infer_ports<'db>(from: &mut End<'db, '_>, to: &mut End<'db, '_>, problems: &mut Vec<Problem<'db>>) -> bool {
    match (from.port, to.port) {
        (Some(_), Some(_)) => true,
        (None, None) => {
            problems.push(Problem::NoPort { from: from.path.clone(), to: to.path.clone() });
            false
        }
        (Some(known), None) => pick(to, (from.node, from.info, known), |p| p.kind.accepts(), problems),
        (None, Some(known)) => pick(from, (to.node, to.info, known), |p| p.kind.initiates(), problems),
    }
}

/// `other` is the end whose port is known: its node, the node's info and the port.
fn pick<'db>(
    end: &mut End<'db, '_>,
    other: (Item<'db>, &NodeInfo<'db>, u32),
    fits: impl Fn(&NodePort<'_>) -> bool,
    problems: &mut Vec<Problem<'db>>,
) -> bool {
    let (other_node, other_info, other_port) = other;
    let Some(other) = other_info.ports.get(other_port as usize) else { return false };
    if !end.info.complete {
        return false;
    }
    let candidates: Vec<u32> = end
        .info
        .ports
        .iter()
        .enumerate()
        .filter(|(_, p)| p.active && fits(p) && p.protocol.is_some() && p.protocol == other.protocol)
        .map(|(i, _)| i as u32)
        .collect();
    match candidates.as_slice() {
        [one] => {
            end.port = Some(*one);
            true
        }
        [] => {
            problems.push(Problem::NoPortFor {
                path: end.path.clone(),
                node: end.node,
                other: other_node,
                port: other_port,
            });
            false
        }
        _ => {
            problems.push(Problem::AmbiguousPort { path: end.path.clone(), node: end.node, ports: candidates });
            false
        }
    }
}

/// Finds where a flow enters a proxy: the named port, or the node's relaying input for the
/// flow's protocol, or its only relaying input.
fn resolve_via<'db>(
    db: &'db dyn Db,
    flow: Item<'db>,
    path: &ast::Path,
    to: &End<'db, '_>,
    problems: &mut Vec<Problem<'db>>,
) -> Option<Endpoint<'db>> {
    let destination = to.port()?;
    let end = resolve_end(db, flow, path, problems)?;
    if !end.info.complete {
        return None;
    }
    if let Some(port) = end.port() {
        if !(port.relay && port.active) {
            problems.push(Problem::NotRelaying {
                path: path.clone(),
                node: end.node,
                port: end.port.unwrap_or_default(),
            });
            return None;
        }
        return end.port.map(|p| Endpoint { node: end.node, port: p });
    }
    let relays: Vec<u32> =
        end.info.ports.iter().enumerate().filter(|(_, p)| p.relay && p.active).map(|(i, _)| i as u32).collect();
    let same_protocol: Vec<u32> = relays
        .iter()
        .copied()
        .filter(|&i| end.info.ports.get(i as usize).is_some_and(|p| p.protocol == destination.protocol))
        .collect();
    let chosen = match (same_protocol.as_slice(), relays.as_slice()) {
        ([one], _) => Some(*one),
        ([], [one]) => Some(*one),
        _ => None,
    };
    match chosen {
        Some(port) => Some(Endpoint { node: end.node, port }),
        None => {
            problems.push(Problem::CannotRelay {
                path: path.clone(),
                node: end.node,
                relays,
                destination: (to.node, to.port.unwrap_or_default()),
            });
            None
        }
    }
}

/// For a flow with a syntax error whose ends could still be read: the ends, so that the ports
/// it was meant to serve do not turn into "unmatched" errors on top of the syntax error.
fn salvage_broken<'db>(db: &'db dyn Db, item: Item<'db>, info: &mut FlowInfo<'db>) {
    let Some((from, to)) = item.broken(db).and_then(|b| b.flow_ends.as_ref()) else { return };
    let mut ignored = Vec::new();
    let from = resolve_end(db, item, from, &mut ignored);
    let to = resolve_end(db, item, to, &mut ignored);
    info.from = from.and_then(|e| e.port.map(|port| Endpoint { node: e.node, port }));
    info.to = to.and_then(|e| e.port.map(|port| Endpoint { node: e.node, port }));
}
