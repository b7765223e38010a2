//! `flow` items: their two ends, the proxies they go via, and the hops they open; with the checks
//! that need nothing but the flow and the nodes it names (direction, protocol, port, self-flow,
//! proxy and `local` checks).

use portolan_syntax::ast::{self, Direction};

use super::{PortLookup, find_port, resolve_to};
use crate::check;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Location};
use crate::items::{Item, ItemKind};
use crate::model::{Endpoint, FlowInfo, Hop, NodeInfo, NodePort};
use crate::resolve::{component_info, node_info, protocol_info};

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
        hops: Vec::new(),
        diagnostics: Vec::new(),
    };
    let Some(decl) = item.flow_decl(db) else {
        salvage_broken(db, item, &mut info);
        return info;
    };
    info.label = decl.label.as_ref().map(|l| l.value.clone());
    info.docs = decl.docs.text.clone();
    info.direction = decl.direction;
    info.local = decl.local.is_some();
    info.route = decl.route.as_ref().and_then(|r| r.number);
    let diagnostics = &mut info.diagnostics;

    let from = resolve_end(db, item, &decl.from, diagnostics);
    let to = resolve_end(db, item, &decl.to, diagnostics);
    let (Some(mut from), Some(mut to)) = (from, to) else {
        info.from = from.and_then(|e| e.port.map(|port| Endpoint { node: e.node, port }));
        info.to = to.and_then(|e| e.port.map(|port| Endpoint { node: e.node, port }));
        return info;
    };
    let inferred = infer_ports(db, item, &mut from, &mut to, diagnostics);
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
            diagnostics.push(check::unresolved::inactive_port(db, item, end.path, end.node, port));
            valid = false;
        }
    }
    let two_way_peers = decl.direction == Direction::Both
        && from_port.kind.accepts()
        && from_port.kind.initiates()
        && to_port.kind.accepts()
        && to_port.kind.initiates();
    if !from_port.kind.initiates() || !to_port.kind.accepts() {
        diagnostics.push(check::flow_direction::diagnostic(db, item, decl, &from, &to));
        valid = false;
    }

    // Both ends on one node: a cluster talking to itself, roles on one host (`local`), or a mistake.
    let same_node = from.node == to.node;
    match (same_node, info.local) {
        (true, false) if !from.info.is_cluster() => {
            diagnostics.push(check::self_flow::diagnostic(db, item, decl, &from, &to));
            valid = false;
        }
        (true, true) if from_port.component_index == to_port.component_index => {
            diagnostics.push(check::self_flow::same_component(db, item, decl, &from));
            valid = false;
        }
        (false, true) => {
            diagnostics.push(check::local_flow::different_nodes(db, item, decl, &from, &to));
            valid = false;
        }
        (_, true) if !decl.via.is_empty() => {
            diagnostics.push(check::local_flow::local_via(db, item, decl));
            valid = false;
        }
        _ => {}
    }

    if let (Some(a), Some(b)) = (from_port.protocol, to_port.protocol)
        && a != b
    {
        diagnostics.push(check::protocol_mismatch::diagnostic(db, item, decl, &from, &to));
        valid = false;
    }
    let ports = if from_port.pinned { from_port.ports.intersection(&to_port.ports) } else { to_port.ports.clone() };
    if from_port.pinned && ports.is_empty() && !to_port.ports.is_empty() && valid {
        diagnostics.push(check::port_mismatch::diagnostic(db, item, &from, &to));
        valid = false;
    }

    // The proxies the flow goes through, each entered at a port that relays.
    let mut via_entries: Vec<Endpoint<'db>> = Vec::new();
    for path in &decl.via {
        match resolve_via(db, item, path, to_port, diagnostics) {
            Some(entry) => via_entries.push(entry),
            None => valid = false,
        }
    }
    if two_way_peers && !decl.via.is_empty() {
        diagnostics.push(check::invalid_proxy::two_way_via(db, item, decl));
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
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<End<'db, 'a>> {
    let target = resolve_to(db, flow, path, &[ItemKind::Node], diagnostics)?;
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
        [port] => lookup(db, flow, path, target.item, info, None, port, diagnostics)?,
        [component, port] => lookup(db, flow, path, target.item, info, Some(component), port, diagnostics)?,
        [_, _, extra, ..] => {
            diagnostics.push(check::unresolved::member(db, flow, extra, "port", target.item, &[]));
            return None;
        }
    };
    Some(End { node: target.item, info, port, path })
}

#[allow(clippy::too_many_arguments)]
fn lookup(
    db: &dyn Db,
    flow: Item<'_>,
    path: &ast::Path,
    node: Item<'_>,
    info: &NodeInfo<'_>,
    component: Option<&ast::Ident>,
    port: &ast::Ident,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Option<u32>> {
    match find_port(db, info, component.map(|c| c.name.as_str()), &port.name) {
        PortLookup::Found(index) => Some(Some(index)),
        PortLookup::NotFound => {
            let names: Vec<String> = info.ports.iter().map(|p| p.name.to_string()).collect();
            diagnostics.push(check::unresolved::member(db, flow, port, "port", node, &names));
            None
        }
        PortLookup::Ambiguous(indices) => {
            diagnostics.push(check::ambiguous::port(db, flow, path, node, info, &indices));
            None
        }
    }
}

/// Picks the port of an end that names only its node: the one whose protocol matches the other end.
fn infer_ports(
    db: &dyn Db,
    flow: Item<'_>,
    from: &mut End<'_, '_>,
    to: &mut End<'_, '_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    match (from.port(), to.port()) {
        (Some(_), Some(_)) => true,
        (None, None) => {
            diagnostics.push(check::unresolved::no_port(db, flow, from.path, to.path));
            false
        }
        (Some(known), None) => pick(db, flow, to, known, |p| p.kind.accepts(), diagnostics),
        (None, Some(known)) => pick(db, flow, from, known, |p| p.kind.initiates(), diagnostics),
    }
}

fn pick(
    db: &dyn Db,
    flow: Item<'_>,
    end: &mut End<'_, '_>,
    other: &NodePort<'_>,
    fits: impl Fn(&NodePort<'_>) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
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
            diagnostics.push(check::protocol_mismatch::no_port_for(db, flow, end.path, end.node, other));
            false
        }
        _ => {
            diagnostics.push(check::ambiguous::port(db, flow, end.path, end.node, end.info, &candidates));
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
    destination: &NodePort<'db>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Endpoint<'db>> {
    let end = resolve_end(db, flow, path, diagnostics)?;
    if !end.info.complete {
        return None;
    }
    if let Some(port) = end.port() {
        if !(port.relay && port.active) {
            diagnostics.push(check::invalid_proxy::not_relaying_port(db, flow, path, end.node, port));
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
            diagnostics.push(check::invalid_proxy::cannot_relay(
                db,
                flow,
                path,
                end.node,
                end.info,
                &relays,
                destination,
            ));
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
