//! `mermaid`: `diagram.mmd`, a Mermaid flowchart: zones as subgraphs, nodes as boxes, each hop
//! of each flow as an edge labelled with its ports, protocol and label.

use std::fmt::Write as _;

use super::ident::{Alphabet, Idents};
use portolan_model::{Flow, HopKind, Model};

/// The longest node or subgraph id.
const MAX_ID: usize = 255;

pub fn emit(model: &Model) -> String {
    let mut ids = Idents::new(Alphabet::Word, MAX_ID);
    let mut out = String::from("flowchart LR\n");
    for zone in &model.zones {
        let id = ids.get(&format!("z_{}", zone.name));
        let _ = writeln!(out, "    subgraph {id}[\"{}\"]", label(&format!("{} ({})", zone.title, zone.trust.as_str())));
        for node in model.nodes.iter().filter(|n| n.zone == zone.name) {
            let _ = writeln!(out, "        {}[\"{}\"]", ids.get(&format!("n_{}", node.name)), label(&node.title));
        }
        out.push_str("    end\n");
    }
    for node in model.nodes.iter().filter(|n| model.zone(&n.zone).is_none()) {
        let _ = writeln!(out, "    {}[\"{}\"]", ids.get(&format!("n_{}", node.name)), label(&node.title));
    }
    for flow in &model.flows {
        let from = ids.get(&format!("n_{}", flow.from.node));
        let to = ids.get(&format!("n_{}", flow.to.node));
        let arrow = match flow.kind {
            HopKind::Local => "-.->",
            _ if both_ways(model, flow) => "<-->",
            _ => "-->",
        };
        let _ = writeln!(out, "    {from} {arrow}|\"{}\"| {to}", label(&edge_label(flow)));
    }
    out
}

/// A flow written `<->` whose one hop carries the replies (not two peers, which get a hop each way).
pub fn both_ways(model: &Model, flow: &Flow) -> bool {
    model.route(flow.route).is_some_and(|r| r.bidirectional && r.hops.len() == 1)
}

/// What an edge says: ports and protocol, then the flow's label.
pub fn edge_label(flow: &Flow) -> String {
    let ports = if flow.kind == HopKind::Local { "local".to_string() } else { flow.port_set().describe() };
    let mut text = format!("{ports} {}", flow.protocol_title);
    if let Some(label) = &flow.label {
        text.push_str(": ");
        text.push_str(label);
    }
    text
}

/// Text inside a quoted Mermaid label: characters Mermaid or Markdown could read as syntax are
/// written as Mermaid entity codes (`#quot;`, `#35;`), line breaks as spaces.
pub fn label(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' | '`' | '|' | ';' | '[' | ']' | '{' | '}' | '\\' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
