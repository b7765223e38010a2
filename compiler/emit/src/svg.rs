//! `svg`: `diagram.svg`, drawn here without Graphviz: zones as clusters from least to most
//! trusted, left to right, nodes as boxes in them, and one edge per pair of nodes (and kind of
//! line) labelled with each of its flows (`scene.rs`), laid out in layers so that no label
//! overlaps another label or a box and no line crosses either (`layout.rs`). Long texts are
//! wrapped over lines (`text.rs`) and given whole in `<title>` tooltips.
//!
//! Every text is drawn inside a box the SVG declares: a node's in its `rect.node`, every other
//! (zone titles, edge labels, the note) in a `rect.label-box`, made from the widths `text.rs`
//! estimates. Lines are `<tspan>`s with their own `x` and `y` (the baseline).

mod scene;

use std::fmt::Write as _;

use super::layout::{self, BoxSpec, EdgeSpec, Graph, Point, Rect, Size, Step};
use super::text::{line_height, widest, wrap};
use super::xml::escape;
use portolan_model::Model;
use scene::{Scene, Style};

/// Font sizes, in pixels: titles and boxes, edge labels.
const SIZE: f64 = 12.0;
const LABEL_SIZE: f64 = 11.0;
/// The widest a line may be, in pixels.
const BOX_TEXT: f64 = 176.0;
const TITLE_TEXT: f64 = 200.0;
const LABEL_TEXT: f64 = 190.0;
const NOTE_TEXT: f64 = 640.0;
/// Continuation lines of a label entry are indented this much.
const INDENT: i64 = 8;
/// The most lines a title or one entry takes before it ends with `…`.
const MAX_LINES: usize = 6;
/// Space between a box's edge and its text.
const BOX_PAD: i64 = 8;
const LABEL_PAD: i64 = 3;

/// A drawn diagram: the SVG's content and its size.
pub struct Diagram {
    pub width: i64,
    pub height: i64,
    /// Everything inside the `<svg>` element.
    pub body: String,
}

/// `diagram.svg`, a file of its own: sized in pixels.
pub fn emit(model: &Model) -> String {
    let d = draw(model);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">\n{}</svg>\n",
        d.body,
        w = d.width,
        h = d.height
    )
}

/// The diagram inside an HTML page: as wide as the page allows, never wider than its own size,
/// its height following.
pub fn inline(model: &Model) -> String {
    let d = draw(model);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" style=\"max-width: {w}px; height: auto;\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"Diagram of zones, nodes and flows\">\n{}</svg>\n",
        d.body,
        w = d.width,
        h = d.height
    )
}

/// Lines of a label: each entry wrapped, its later lines indented.
struct Lines {
    lines: Vec<(i64, String)>,
    size: Size,
}

fn label_lines(entries: &[String]) -> Lines {
    let mut lines = Vec::new();
    for entry in entries {
        for (k, line) in wrap(entry, LABEL_TEXT - INDENT as f64, LABEL_SIZE, false, MAX_LINES).into_iter().enumerate() {
            lines.push((if k == 0 { 0 } else { INDENT }, line));
        }
    }
    let w =
        lines.iter().map(|(indent, l)| indent + widest(std::slice::from_ref(l), LABEL_SIZE, false)).max().unwrap_or(0);
    let h = lines.len() as i64 * line_height(LABEL_SIZE);
    Lines { lines, size: Size { w: w + 2 * LABEL_PAD, h: h + 2 * LABEL_PAD } }
}

pub fn draw(model: &Model) -> Diagram {
    let scene = scene::scene(model);
    let note = scene.note.as_ref().map(|n| wrap(n, NOTE_TEXT, SIZE, false, MAX_LINES * 4));
    let note_size = note.as_ref().map_or(Size::default(), |lines| Size {
        w: widest(lines, SIZE, false) + 2 * LABEL_PAD,
        h: lines.len() as i64 * line_height(SIZE) + 2 * LABEL_PAD,
    });
    let titles: Vec<Vec<String>> = scene.clusters.iter().map(|c| wrap(&c.title, TITLE_TEXT, SIZE, true, 3)).collect();
    let boxes: Vec<Vec<String>> = scene
        .boxes
        .iter()
        .map(|b| {
            let mut lines = wrap(&b.title, BOX_TEXT, SIZE, false, MAX_LINES);
            if let Some(detail) = &b.detail {
                lines.extend(wrap(detail, BOX_TEXT, SIZE, false, 2));
            }
            lines
        })
        .collect();
    let labels: Vec<Lines> = scene.edges.iter().map(|e| label_lines(&e.entries)).collect();
    let graph = Graph {
        top: if note.is_some() { note_size.h + layout::PAD } else { 0 },
        min_width: note_size.w,
        clusters: titles
            .iter()
            .map(|t| Size { w: widest(t, SIZE, true), h: t.len() as i64 * line_height(SIZE) })
            .collect(),
        boxes: scene
            .boxes
            .iter()
            .zip(&boxes)
            .map(|(b, lines)| BoxSpec {
                cluster: b.cluster,
                size: Size {
                    w: (widest(lines, SIZE, false) + 2 * BOX_PAD).max(96),
                    h: lines.len() as i64 * line_height(SIZE) + 2 * BOX_PAD,
                },
            })
            .collect(),
        edges: scene
            .edges
            .iter()
            .zip(&labels)
            .map(|(e, l)| EdgeSpec { from: e.from, to: e.to, label: l.size })
            .collect(),
    };
    let placed = layout::layout(&graph);
    let mut out = String::new();
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#444\"/></marker></defs>\n");
    if let (Some(lines), Some(text)) = (&note, &scene.note) {
        let rect = Rect { x: layout::MARGIN, y: layout::MARGIN, w: note_size.w, h: note_size.h };
        let _ = writeln!(out, "<g class=\"note\"><title>{}</title>", escape(text));
        label_box(&mut out, rect, "#fff8dc", "#cdb");
        text_lines(&mut out, rect, LABEL_PAD, lines.iter().map(|l| (0, l)), SIZE, "");
        out.push_str("</g>\n");
    }
    write_scene(&mut out, &scene, &placed, &titles, &boxes, &labels);
    Diagram { width: placed.width, height: placed.height, body: out }
}

fn write_scene(
    out: &mut String,
    scene: &Scene,
    placed: &layout::Layout,
    titles: &[Vec<String>],
    boxes: &[Vec<String>],
    labels: &[Lines],
) {
    for (c, cluster) in scene.clusters.iter().enumerate() {
        let (Some(rect), Some(title)) = (placed.clusters.get(c), placed.titles.get(c)) else { continue };
        let _ = writeln!(out, "<g class=\"zone\"><title>{}</title>", escape(&cluster.title));
        let _ = writeln!(
            out,
            "<rect class=\"zone\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"#f4f6f8\" stroke=\"#99a\"/>",
            rect.x, rect.y, rect.w, rect.h
        );
        label_box(out, *title, "none", "none");
        text_lines(out, *title, 0, titles[c].iter().map(|l| (0, l)), SIZE, " font-weight=\"bold\"");
        out.push_str("</g>\n");
    }
    for (e, edge) in scene.edges.iter().enumerate() {
        let Some(route) = placed.edges.get(e) else { continue };
        let _ = writeln!(out, "<g class=\"flow\"><title>{}</title>", escape(&edge.tooltip));
        let dash = if edge.style == Style::Local { " stroke-dasharray=\"4 3\"" } else { "" };
        let start = if edge.style == Style::BothWays { " marker-start=\"url(#arrow)\"" } else { "" };
        let _ = writeln!(
            out,
            "<path class=\"edge\" d=\"{}\" fill=\"none\" stroke=\"#444\"{dash}{start} marker-end=\"url(#arrow)\"/>",
            path(route.start, &route.steps)
        );
        label_box(out, route.label, "#fff", "#ccd");
        let lines = labels[e].lines.iter().map(|(indent, l)| (*indent, l));
        text_lines(out, route.label, LABEL_PAD, lines, LABEL_SIZE, " font-size=\"11\" fill=\"#222\"");
        out.push_str("</g>\n");
    }
    for (b, node) in scene.boxes.iter().enumerate() {
        let Some(rect) = placed.boxes.get(b) else { continue };
        let _ = writeln!(out, "<g class=\"node\"><title>{}</title>", escape(&node.tooltip));
        let _ = writeln!(
            out,
            "<rect class=\"node\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#fff\" stroke=\"#333\"/>",
            rect.x, rect.y, rect.w, rect.h
        );
        let lh = line_height(SIZE);
        let first = rect.y + (rect.h - boxes[b].len() as i64 * lh) / 2 + SIZE as i64;
        let cx = rect.x + rect.w / 2;
        let _ = write!(out, "<text text-anchor=\"middle\">");
        for (k, line) in boxes[b].iter().enumerate() {
            let _ = write!(out, "<tspan x=\"{cx}\" y=\"{}\">{}</tspan>", first + k as i64 * lh, escape(line));
        }
        out.push_str("</text></g>\n");
    }
}

fn label_box(out: &mut String, rect: Rect, fill: &str, stroke: &str) {
    let _ = writeln!(
        out,
        "<rect class=\"label-box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\"/>",
        rect.x, rect.y, rect.w, rect.h
    );
}

/// Lines of text from the top left of their box (inside its padding when the box has one).
fn text_lines<'a>(
    out: &mut String,
    rect: Rect,
    pad: i64,
    lines: impl Iterator<Item = (i64, &'a String)>,
    size: f64,
    attributes: &str,
) {
    let lh = line_height(size);
    let _ = write!(out, "<text{attributes}>");
    for (k, (indent, line)) in lines.enumerate() {
        let (x, y) = (rect.x + pad + indent, rect.y + pad + k as i64 * lh + size as i64);
        let _ = write!(out, "<tspan x=\"{x}\" y=\"{y}\">{}</tspan>", escape(line));
    }
    out.push_str("</text>\n");
}

fn path(start: Point, steps: &[Step]) -> String {
    let mut d = format!("M {} {}", start.x, start.y);
    for step in steps {
        match step {
            Step::Line(p) => {
                let _ = write!(d, " L {} {}", p.x, p.y);
            }
            Step::Curve(a, b, p) => {
                let _ = write!(d, " C {} {} {} {} {} {}", a.x, a.y, b.x, b.y, p.x, p.y);
            }
        }
    }
    d
}
