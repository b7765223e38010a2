//! What the SVG diagram shows, before any geometry: the clusters (zones, left to right from
//! least to most trusted), the boxes (nodes) and the edges, one per pair of nodes and kind of
//! line, whose label has a line or more per flow.
//!
//! A model too large to read node by node is drawn coarser, and the diagram says so in a note:
//! past `MAX_BOXES` nodes, `MAX_EDGES` edges or `MAX_CLUSTERS` zones, each box is a zone (in a
//! column per trust level) and each edge sums up the flows between two zones; past those
//! limits again, each box is a trust level. Nothing is left out unsaid.

use portolan_model::{Flow, HopKind, Model, Node, Trust};
use rustc_hash::FxHashMap;

use crate::mermaid::{both_ways, edge_label};

pub const MAX_BOXES: usize = 150;
pub const MAX_EDGES: usize = 250;
pub const MAX_CLUSTERS: usize = 30;
/// The flows an edge lists before it says how many more it stands for.
pub const MAX_ENTRIES: usize = 12;
/// The kinds of flow (ports and protocol) a summing-up edge lists.
const MAX_KINDS: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    /// An arrow from the connecting end to the listening one.
    Plain,
    /// A two-way flow's one hop: arrows at both ends.
    BothWays,
    /// A `local` flow: dashed.
    Local,
}

pub struct Cluster {
    pub title: String,
}

pub struct Box {
    pub cluster: usize,
    pub title: String,
    /// A second text, under the title (counts, for a coarser drawing).
    pub detail: Option<String>,
    pub tooltip: String,
}

pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub style: Style,
    /// One text per flow (or per kind of flow), each wrapped on its own lines.
    pub entries: Vec<String>,
    /// Every flow's text, whole.
    pub tooltip: String,
}

#[derive(Default)]
pub struct Scene {
    pub note: Option<String>,
    pub clusters: Vec<Cluster>,
    pub boxes: Vec<Box>,
    pub edges: Vec<Edge>,
}

fn style(model: &Model, flow: &Flow) -> Style {
    match flow.kind {
        HopKind::Local => Style::Local,
        _ if both_ways(model, flow) => Style::BothWays,
        _ => Style::Plain,
    }
}

/// The columns: zones from least to most trusted (in model order among equals), then the
/// nodes whose zone the model does not have.
fn zone_order(model: &Model) -> Vec<(Option<usize>, Vec<usize>)> {
    let mut zones: Vec<usize> = (0..model.zones.len()).collect();
    zones.sort_by_key(|&z| model.zones[z].trust);
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    for (slot, &z) in zones.iter().enumerate() {
        index.entry(model.zones[z].name.as_str()).or_insert(slot);
    }
    let mut columns: Vec<(Option<usize>, Vec<usize>)> = zones.iter().map(|&z| (Some(z), Vec::new())).collect();
    let mut loose = Vec::new();
    for (n, node) in model.nodes.iter().enumerate() {
        match index.get(node.zone.as_str()) {
            Some(&slot) => columns[slot].1.push(n),
            None => loose.push(n),
        }
    }
    if !loose.is_empty() {
        columns.push((None, loose));
    }
    columns
}

/// An edge's two boxes, its style and its flows.
type Group<'m> = (usize, usize, Style, Vec<&'m Flow>);

/// Groups flows into edges: one per (box, box, style), in the order of their first flows.
/// `place` gives each flow's two boxes, or `None` for a flow it cannot place.
fn group(model: &Model, place: impl Fn(&Flow) -> Option<(usize, usize)>) -> (Vec<Group<'_>>, usize) {
    let mut index: FxHashMap<(usize, usize, Style), usize> = FxHashMap::default();
    let mut edges: Vec<Group> = Vec::new();
    let mut unplaced = 0;
    for flow in &model.flows {
        let Some((from, to)) = place(flow) else {
            unplaced += 1;
            continue;
        };
        let key = (from, to, style(model, flow));
        let slot = *index.entry(key).or_insert_with(|| {
            edges.push((from, to, key.2, Vec::new()));
            edges.len() - 1
        });
        edges[slot].3.push(flow);
    }
    (edges, unplaced)
}

pub fn scene(model: &Model) -> Scene {
    let columns = zone_order(model);
    let mut node_box: FxHashMap<&str, usize> = FxHashMap::default();
    let mut order: Vec<(usize, &Node)> = Vec::new();
    for (c, (_, nodes)) in columns.iter().enumerate() {
        for &n in nodes {
            node_box.entry(model.nodes[n].name.as_str()).or_insert(order.len());
            order.push((c, &model.nodes[n]));
        }
    }
    let place = |f: &Flow| Some((*node_box.get(f.from.node.as_str())?, *node_box.get(f.to.node.as_str())?));
    let (edges, unplaced) = group(model, place);
    let mut scene = if model.nodes.is_empty() {
        Scene { note: Some("The spec has no nodes to draw.".into()), ..Scene::default() }
    } else if order.len() <= MAX_BOXES && edges.len() <= MAX_EDGES && columns.len() <= MAX_CLUSTERS {
        by_node(model, &columns, &order, edges)
    } else {
        let note = format!(
            "Too large to draw node by node ({} nodes in {} zones, {} connections between them): ",
            order.len(),
            model.zones.len(),
            edges.len()
        );
        by_zone(model, &columns, note)
    };
    if unplaced > 0 {
        let text = format!("{unplaced} flow(s) name a node the model does not have and are not drawn.");
        scene.note = Some(match scene.note.take() {
            Some(note) => format!("{note} {text}"),
            None => text,
        });
    }
    scene
}

fn zone_title(model: &Model, zone: Option<usize>) -> String {
    match zone {
        Some(z) => format!("{} ({})", model.zones[z].title, model.zones[z].trust.as_str()),
        None => "no zone".into(),
    }
}

fn by_node(
    model: &Model,
    columns: &[(Option<usize>, Vec<usize>)],
    order: &[(usize, &Node)],
    edges: Vec<Group>,
) -> Scene {
    let clusters = columns.iter().map(|(z, _)| Cluster { title: zone_title(model, *z) }).collect();
    let boxes = order
        .iter()
        .map(|&(cluster, node)| Box {
            cluster,
            title: node.title.clone(),
            detail: None,
            tooltip: format!("{} ({})", node.title, node.name),
        })
        .collect();
    let edges = edges
        .into_iter()
        .map(|(from, to, style, flows)| {
            let texts: Vec<String> = flows.iter().map(|f| edge_label(f)).collect();
            let tooltip = texts.join("\n");
            let mut entries = texts;
            if entries.len() > MAX_ENTRIES {
                let more = entries.len() - (MAX_ENTRIES - 1);
                entries.truncate(MAX_ENTRIES - 1);
                entries.push(format!("… and {more} more flows (see Routes)"));
            }
            Edge { from, to, style, entries, tooltip }
        })
        .collect();
    Scene { note: None, clusters, boxes, edges }
}

/// Zones as boxes, in a column per trust level; or, when even those are too many, one box per
/// trust level.
fn by_zone(model: &Model, columns: &[(Option<usize>, Vec<usize>)], note: String) -> Scene {
    let trust_of = |zone: Option<usize>| zone.map(|z| model.zones[z].trust);
    let mut levels: Vec<Option<Trust>> = columns.iter().map(|(z, _)| trust_of(*z)).collect();
    levels.dedup();
    let level_of = |zone: Option<usize>| levels.iter().position(|&t| t == trust_of(zone)).unwrap_or(0);
    let level_title = |t: Option<Trust>| t.map_or("no zone".to_string(), |t| t.as_str().to_string());
    let mut boxes: Vec<Box> = columns
        .iter()
        .map(|(zone, nodes)| {
            let title = zone_title(model, *zone);
            let detail = format!("{} node(s)", nodes.len());
            Box { cluster: level_of(*zone), tooltip: format!("{title}: {detail}"), title, detail: Some(detail) }
        })
        .collect();
    let mut column_box: Vec<usize> = (0..columns.len()).collect();
    let mut edges = summed_edges(model, columns, &column_box);
    let mut what = "each box is a zone";
    if boxes.len() > MAX_BOXES || edges.len() > MAX_EDGES {
        what = "each box is every zone of one trust level";
        column_box = columns.iter().map(|(z, _)| level_of(*z)).collect();
        boxes = levels
            .iter()
            .enumerate()
            .map(|(level, &trust)| {
                let members: Vec<usize> = (0..columns.len()).filter(|&c| column_box[c] == level).collect();
                let nodes: usize = members.iter().map(|&c| columns[c].1.len()).sum();
                let title = trust.map_or("no zone".to_string(), |t| format!("{} zones", t.as_str()));
                let detail = format!("{} zone(s), {nodes} node(s)", members.len());
                Box { cluster: level, tooltip: format!("{title}: {detail}"), title, detail: Some(detail) }
            })
            .collect();
        edges = summed_edges(model, columns, &column_box);
    }
    Scene {
        note: Some(format!(
            "{note}{what}, and each arrow sums up the flows between two boxes. The tables list every flow."
        )),
        clusters: levels.iter().map(|&t| Cluster { title: level_title(t) }).collect(),
        boxes,
        edges,
    }
}

/// The edges between the boxes that stand for whole columns (zones).
fn summed_edges(model: &Model, columns: &[(Option<usize>, Vec<usize>)], column_box: &[usize]) -> Vec<Edge> {
    let mut node_box: FxHashMap<&str, usize> = FxHashMap::default();
    for (c, (_, nodes)) in columns.iter().enumerate() {
        for &n in nodes {
            node_box.entry(model.nodes[n].name.as_str()).or_insert(column_box[c]);
        }
    }
    let place = |f: &Flow| Some((*node_box.get(f.from.node.as_str())?, *node_box.get(f.to.node.as_str())?));
    let (grouped, _) = group(model, place);
    grouped.into_iter().map(|(from, to, style, flows)| summed(from, to, style, &flows)).collect()
}

/// An edge for many flows: how many, then how many of each kind (ports and protocol).
fn summed(from: usize, to: usize, style: Style, flows: &[&Flow]) -> Edge {
    let mut kinds: Vec<(String, usize)> = Vec::new();
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    for flow in flows {
        let ports = if flow.kind == HopKind::Local { "local".to_string() } else { flow.port_set().describe() };
        let kind = format!("{ports} {}", flow.protocol_title);
        let slot = *index.entry(kind.clone()).or_insert_with(|| {
            kinds.push((kind, 0));
            kinds.len() - 1
        });
        kinds[slot].1 += 1;
    }
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let lines: Vec<String> = kinds.iter().map(|(kind, n)| format!("{kind} ×{n}")).collect();
    let mut entries = vec![format!("{} flow(s)", flows.len())];
    entries.extend(lines.iter().take(MAX_KINDS).cloned());
    if lines.len() > MAX_KINDS {
        entries.push(format!("… and {} more kinds", lines.len() - MAX_KINDS));
    }
    let tooltip = std::iter::once(entries[0].clone()).chain(lines).collect::<Vec<_>>().join("\n");
    Edge { from, to, style, entries, tooltip }
}
