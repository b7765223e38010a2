//! `dot`: `diagram.dot` for Graphviz: zones as clusters, nodes as boxes, each hop of each flow
//! as an edge labelled with its ports, protocol and label.

use std::fmt::Write as _;

use super::ident::{Alphabet, Idents};
use super::mermaid::{both_ways, edge_label};
use portolan_model::{HopKind, Model};

/// The longest node or cluster id, in bytes.
const MAX_ID: usize = 255;
/// The longest quoted string written, in bytes: Graphviz refuses one over 16 KiB.
const MAX_STRING: usize = 16_000;

pub fn emit(model: &Model) -> String {
    let mut ids = Idents::new(Alphabet::Quoted, MAX_ID);
    let mut out = String::from("digraph portolan {\n");
    out.push_str("    graph [rankdir=LR, fontname=\"Helvetica\", compound=true];\n");
    out.push_str("    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    out.push_str("    edge [fontname=\"Helvetica\", fontsize=10];\n");
    for zone in &model.zones {
        let cluster = ids.assign(&format!("\u{0}{}", zone.name), &format!("cluster_{}", zone.name)).0;
        let _ = writeln!(out, "    subgraph {} {{", quote(&cluster));
        let _ = writeln!(out, "        label={};", quote(&format!("{} ({})", zone.title, zone.trust.as_str())));
        for node in model.nodes.iter().filter(|n| n.zone == zone.name) {
            let _ = writeln!(out, "        {} [label={}];", quote(&ids.get(&node.name)), quote(&node.title));
        }
        out.push_str("    }\n");
    }
    for node in model.nodes.iter().filter(|n| model.zone(&n.zone).is_none()) {
        let _ = writeln!(out, "    {} [label={}];", quote(&ids.get(&node.name)), quote(&node.title));
    }
    for flow in &model.flows {
        let mut attributes = format!("label={}", quote(&edge_label(flow)));
        if flow.kind == HopKind::Local {
            attributes.push_str(", style=dashed");
        } else if both_ways(model, flow) {
            attributes.push_str(", dir=both");
        }
        let (from, to) = (ids.get(&flow.from.node), ids.get(&flow.to.node));
        let _ = writeln!(out, "    {} -> {} [{attributes}];", quote(&from), quote(&to));
    }
    out.push_str("}\n");
    out
}

/// A DOT quoted string: `"` and `\` escaped with `\` (so no Graphviz escape such as `\N` is
/// formed), line breaks and other control characters as spaces; cut, with `…`, to what
/// Graphviz reads (a label is a zone's or node's name when it has no title).
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if out.len() + 2 * c.len_utf8() > MAX_STRING {
            out.push('…');
            break;
        }
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
