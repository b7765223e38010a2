//! `dot`: `diagram.dot` for Graphviz: zones as clusters, nodes as boxes, each hop of each flow
//! as an edge labelled with its ports, protocol and label.

use std::fmt::Write as _;

use super::mermaid::{both_ways, edge_label};
use crate::export::{HopKind, Model};

pub fn emit(model: &Model) -> String {
    let mut out = String::from("digraph portolan {\n");
    out.push_str("    graph [rankdir=LR, fontname=\"Helvetica\", compound=true];\n");
    out.push_str("    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    out.push_str("    edge [fontname=\"Helvetica\", fontsize=10];\n");
    for zone in &model.zones {
        let _ = writeln!(out, "    subgraph {} {{", quote(&format!("cluster_{}", zone.name)));
        let _ = writeln!(out, "        label={};", quote(&format!("{} ({})", zone.title, zone.trust.as_str())));
        for node in model.nodes.iter().filter(|n| n.zone == zone.name) {
            let _ = writeln!(out, "        {} [label={}];", quote(&node.name), quote(&node.title));
        }
        out.push_str("    }\n");
    }
    for node in model.nodes.iter().filter(|n| model.zone(&n.zone).is_none()) {
        let _ = writeln!(out, "    {} [label={}];", quote(&node.name), quote(&node.title));
    }
    for flow in &model.flows {
        let mut attributes = format!("label={}", quote(&edge_label(flow)));
        if flow.kind == HopKind::Local {
            attributes.push_str(", style=dashed");
        } else if both_ways(model, flow) {
            attributes.push_str(", dir=both");
        }
        let _ = writeln!(out, "    {} -> {} [{attributes}];", quote(&flow.from.node), quote(&flow.to.node));
    }
    out.push_str("}\n");
    out
}

/// A DOT quoted string: `"` and `\` escaped with `\` (so no Graphviz escape such as `\N` is
/// formed), line breaks and other control characters as spaces.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
