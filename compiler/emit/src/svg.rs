//! `svg`: `diagram.svg`, drawn here without Graphviz: zones as columns from least to most
//! trusted, nodes as boxes in them, each hop of each flow as an arrow labelled like the DOT
//! edges. Long texts are shortened in the drawing and given whole in `<title>` tooltips.

use std::fmt::Write as _;

use super::html::escape;
use super::mermaid::edge_label;
use portolan_model::{HopKind, Model, Node};

const MARGIN: i64 = 20;
const COLUMN: i64 = 220;
const GAP: i64 = 160;
const BOX_W: i64 = 180;
const BOX_H: i64 = 44;
const ROW: i64 = 84;
const TOP: i64 = 44;
const LABEL_CHARS: usize = 34;

pub fn emit(model: &Model) -> String {
    let columns = columns(model);
    let rows = columns.iter().map(|(_, nodes)| nodes.len()).max().unwrap_or(0).max(1);
    // The gap after the last column holds the curves and labels of flows within it.
    let width = MARGIN * 2 + columns.len().max(1) as i64 * (COLUMN + GAP) + 100;
    let height = MARGIN * 2 + TOP + rows as i64 * ROW + 20;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"
    );
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#444\"/></marker></defs>\n");
    let mut places: Vec<(&str, i64, i64)> = Vec::new();
    for (index, (title, nodes)) in columns.iter().enumerate() {
        let x = MARGIN + index as i64 * (COLUMN + GAP);
        let _ = writeln!(out, "<g class=\"zone\"><title>{}</title>", escape(title));
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{MARGIN}\" width=\"{COLUMN}\" height=\"{}\" rx=\"8\" fill=\"#f4f6f8\" stroke=\"#99a\"/>",
            height - 2 * MARGIN
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text></g>",
            x + 10,
            MARGIN + 20,
            escape(&short(title, 30))
        );
        for (row, node) in nodes.iter().enumerate() {
            let bx = x + (COLUMN - BOX_W) / 2;
            let by = MARGIN + TOP + row as i64 * ROW;
            places.push((node.name.as_str(), bx, by));
            let _ = writeln!(
                out,
                "<g class=\"node\"><title>{}</title>",
                escape(&format!("{} ({})", node.title, node.name))
            );
            let _ = writeln!(
                out,
                "<rect x=\"{bx}\" y=\"{by}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"6\" fill=\"#fff\" stroke=\"#333\"/>"
            );
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
                bx + BOX_W / 2,
                by + BOX_H / 2 + 4,
                escape(&short(&node.title, 26))
            );
        }
    }
    let place = |name: &str| places.iter().find(|(n, _, _)| *n == name).map(|&(_, x, y)| (x, y));
    for (index, flow) in model.flows.iter().enumerate() {
        let (Some(a), Some(b)) = (place(&flow.from.node), place(&flow.to.node)) else { continue };
        let text = edge_label(flow);
        let shift = (index as i64 % 3) * 12;
        let (path, lx, ly, anchor) = if a == b {
            let (x, y) = (a.0 + BOX_W, a.1 + BOX_H / 2);
            let path = format!("M {x} {} C {} {}, {} {}, {x} {}", y - 8, x + 50, y - 40, x + 50, y + 40, y + 8);
            (path, x + 44, y + shift, "start")
        } else if a.0 == b.0 {
            let (x, y1, y2) = (a.0 + BOX_W, a.1 + BOX_H / 2, b.1 + BOX_H / 2);
            let bulge = 40 + (y1 - y2).abs() / 4;
            let path = format!("M {x} {y1} C {} {y1}, {} {y2}, {x} {y2}", x + bulge, x + bulge);
            (path, x + bulge * 3 / 4 + 4, (y1 + y2) / 2 + shift, "start")
        } else {
            let forward = a.0 < b.0;
            let (x1, x2) = if forward { (a.0 + BOX_W, b.0) } else { (a.0, b.0 + BOX_W) };
            let (y1, y2) = (a.1 + BOX_H / 2 + 6, b.1 + BOX_H / 2 - 6);
            (format!("M {x1} {y1} L {x2} {y2}"), (x1 + x2) / 2, (y1 + y2) / 2 - 6 + shift, "middle")
        };
        let dash = if flow.kind == HopKind::Local { " stroke-dasharray=\"4 3\"" } else { "" };
        let _ = writeln!(out, "<g class=\"flow\"><title>{}</title>", escape(&text));
        let _ = writeln!(out, "<path d=\"{path}\" fill=\"none\" stroke=\"#444\"{dash} marker-end=\"url(#arrow)\"/>");
        let _ = writeln!(
            out,
            "<text x=\"{lx}\" y=\"{ly}\" text-anchor=\"{anchor}\" font-size=\"10\" fill=\"#333\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text></g>",
            escape(&short(&text, LABEL_CHARS))
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Zones from least to most trusted (model order among equals), each with its nodes; nodes
/// without a zone of the model last.
fn columns(model: &Model) -> Vec<(String, Vec<&Node>)> {
    let mut zones: Vec<_> = model.zones.iter().collect();
    zones.sort_by_key(|z| z.trust);
    let mut out: Vec<(String, Vec<&Node>)> = zones
        .iter()
        .map(|z| {
            (format!("{} ({})", z.title, z.trust.as_str()), model.nodes.iter().filter(|n| n.zone == z.name).collect())
        })
        .collect();
    let loose: Vec<&Node> = model.nodes.iter().filter(|n| model.zone(&n.zone).is_none()).collect();
    if !loose.is_empty() {
        out.push(("no zone".to_string(), loose));
    }
    out
}

/// The text cut to `max` characters, with an ellipsis when cut; line breaks as spaces.
fn short(text: &str, max: usize) -> String {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
