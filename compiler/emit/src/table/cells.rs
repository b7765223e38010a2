//! What one port of a node is in the documents: the connections that use it (across the
//! network, or on the host between the node's roles) and its Configurable cell.

use portolan_model::{Flow, HopKind, Model, Node, Port, PortKind};

/// How a port of a node is used by the spec's flows.
pub struct Use<'m> {
    /// Hops leaving the port that cross the network (not `local`).
    pub out: Vec<&'m Flow>,
    /// Hops reaching the port that cross the network.
    pub into: Vec<&'m Flow>,
    /// The ports of the same node it talks to on the host: `local` flows, and outputs declared
    /// `local Component.port` served by that component's input.
    pub host: Vec<&'m Port>,
}

impl Use<'_> {
    /// A firewall row: some connection crosses the network.
    pub fn network(&self) -> bool {
        !self.out.is_empty() || !self.into.is_empty()
    }
}

pub fn port_use<'m>(model: &'m Model, node: &'m Node, port: &'m Port) -> Use<'m> {
    let network = |f: &&Flow| f.kind != HopKind::Local;
    let out: Vec<&Flow> = model.hops_at(&node.name, &port.name, true).into_iter().filter(network).collect();
    let into: Vec<&Flow> = model.hops_at(&node.name, &port.name, false).into_iter().filter(network).collect();
    let mut host: Vec<&Port> = Vec::new();
    let mut add = |p: &'m Port| {
        if !host.iter().any(|h| h.name == p.name) {
            host.push(p);
        }
    };
    for flow in model.flows.iter().filter(|f| f.kind == HopKind::Local && f.from.node == node.name) {
        if flow.from.port == port.name
            && let Some(p) = node.port(&flow.to.port)
        {
            add(p);
        }
        if flow.to.port == port.name
            && let Some(p) = node.port(&flow.from.port)
        {
            add(p);
        }
    }
    if let Some(input) = local_input(node, port) {
        add(input);
    }
    for output in node.ports.iter().filter(|p| local_input(node, p).is_some_and(|i| i.name == port.name)) {
        add(output);
    }
    Use { out, into, host }
}

/// The input of the node that serves an output declared `local Component.port`, when the node
/// runs that component.
pub fn local_input<'m>(node: &'m Node, port: &Port) -> Option<&'m Port> {
    let (component, name) = port.local.as_deref()?.split_once('.')?;
    node.ports.iter().find(|p| {
        p.kind != PortKind::Connect
            && p.component == component
            && (p.name == name || p.name.strip_prefix(component).and_then(|n| n.strip_prefix('.')) == Some(name))
    })
}

/// The port's own Configurable cell: its `configurable` text, else the settings its port numbers
/// depend on, else "No".
pub fn own_configurable(port: &Port) -> String {
    match &port.configurable_text {
        Some(text) => text.clone(),
        None if port.configurable.is_empty() => "No".into(),
        None => format!("Yes: {}", port.configurable.join(", ")),
    }
}

/// The Configurable cell of a port as a row shows it. An input that only outputs pinned to fixed
/// ports reach cannot move without them, so it shows what those outputs' vendor says; an output
/// that names no ports, and has no `configurable` text of its own, connects wherever its input
/// listens, so it shows the input's cell.
pub fn configurable(model: &Model, node: &Node, port: &Port, used: &Use<'_>) -> String {
    let mut cells: Vec<String> = Vec::new();
    let mut push = |cell: String| {
        if !cells.contains(&cell) {
            cells.push(cell);
        }
    };
    match port.kind {
        PortKind::Connect if !port.pinned && port.configurable_text.is_none() => {
            for flow in used.out.iter().filter(|f| f.hop == 1) {
                if let Some(input) = model.node(&flow.to.node).and_then(|n| n.port(&flow.to.port)) {
                    push(own_configurable(input));
                }
            }
            if let Some(input) = local_input(node, port) {
                push(own_configurable(input));
            }
        }
        PortKind::Listen if !used.into.is_empty() => {
            let sources: Vec<&Port> =
                used.into.iter().filter_map(|f| model.node(&f.from.node).and_then(|n| n.port(&f.from.port))).collect();
            let fixed = sources.len() == used.into.len()
                && sources.iter().all(|s| s.kind == PortKind::Connect && s.pinned && s.configurable.is_empty());
            if fixed {
                for text in sources.iter().filter_map(|s| s.configurable_text.clone()) {
                    push(text);
                }
            }
        }
        _ => {}
    }
    if cells.is_empty() { own_configurable(port) } else { cells.join("; ") }
}
