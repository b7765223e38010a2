//! A layered layout for the SVG diagram, in the manner of Sugiyama: boxes in columns (one
//! column per cluster, clusters left to right as given), edges routed through the columns
//! they cross, and each edge's label a box of its own, so that nothing is drawn over anything.
//!
//! The layers, from left to right, are: a label layer, the first cluster's layer, a label
//! layer, the second cluster's layer, … and a last label layer. An edge from one cluster to
//! another crosses every layer between its ends, holding one slot in each (a straight passage
//! at one height), and its label takes the slot of one label layer on its way. An edge within
//! one cluster (or from a box to itself) turns in the label layer beside it, around its label.
//! Crossings are reduced by barycenter sweeps (`order.rs`); heights come from the neighbours,
//! with slots kept apart by least-squares placement (`place.rs`); paths are straight inside
//! layers and cubic curves in the gaps between them (`route.rs`). Every box — cluster titles,
//! boxes, labels — lies inside a layer, in a slot of its own, and every curve lies in a gap
//! (inside the hull of its control points, all in the gap), so no line crosses a box and no
//! two boxes overlap.
//!
//! Everything is integer arithmetic or a fixed sequence of floating-point operations, in a
//! fixed order: the same graph gives the same layout. The work is linear in the number of
//! slots (the edges times the layers they cross) for a fixed number of sweeps.

mod order;
mod place;
mod route;

/// Width and height, in pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Size {
    pub w: i64,
    pub h: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    pub x: i64,
    pub y: i64,
}

/// What is laid out: clusters (columns, left to right), the boxes in them, and edges between
/// boxes, each with the size of its label.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// The height kept free above everything (for a note).
    pub top: i64,
    /// The least width of the whole drawing (for that note).
    pub min_width: i64,
    /// The size of each cluster's title.
    pub clusters: Vec<Size>,
    pub boxes: Vec<BoxSpec>,
    pub edges: Vec<EdgeSpec>,
}

#[derive(Clone, Copy, Debug)]
pub struct BoxSpec {
    pub cluster: usize,
    /// The least size: a box grows taller when many edges meet it.
    pub size: Size,
}

#[derive(Clone, Copy, Debug)]
pub struct EdgeSpec {
    pub from: usize,
    pub to: usize,
    pub label: Size,
}

/// Where everything goes.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub width: i64,
    pub height: i64,
    pub clusters: Vec<Rect>,
    /// Each cluster's title box, inside its rectangle at the top.
    pub titles: Vec<Rect>,
    pub boxes: Vec<Rect>,
    pub edges: Vec<Route>,
}

/// An edge's path: a start, then lines and cubic curves; and its label's box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub start: Point,
    pub steps: Vec<Step>,
    pub label: Rect,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Line(Point),
    Curve(Point, Point, Point),
}

/// Space around the drawing.
pub const MARGIN: i64 = 16;
/// Between a cluster's rectangle and what it holds.
pub const PAD: i64 = 10;
/// Between two layers: room for the curves.
pub const GAP: i64 = 40;
/// Between a label and the line over it, and (in a turn) the line under it.
pub const LABEL_GAP: i64 = 4;
/// A turn's label sits this far inside its layer; the turn's line goes down this far beyond it.
pub const TURN_IN: i64 = 6;

/// Lays a graph out. Boxes and edges naming a cluster or box that does not exist are laid
/// out in the last cluster or left out by the caller; here an edge to a missing box is
/// given an empty route (the caller never makes one).
pub fn layout(graph: &Graph) -> Layout {
    let clusters = graph.clusters.len();
    let valid = |b: usize| b < graph.boxes.len();
    let boxes: Vec<BoxSpec> = graph
        .boxes
        .iter()
        .map(|b| BoxSpec { cluster: b.cluster.min(clusters.saturating_sub(1)), size: b.size })
        .collect();
    if clusters == 0 {
        let width = graph.min_width + 2 * MARGIN;
        let route = Route { start: Point { x: 0, y: 0 }, steps: Vec::new(), label: Rect::default() };
        return Layout {
            width,
            height: graph.top + 2 * MARGIN,
            edges: graph.edges.iter().map(|_| route.clone()).collect(),
            ..Layout::default()
        };
    }
    let edges: Vec<EdgeSpec> = graph.edges.iter().copied().filter(|e| valid(e.from) && valid(e.to)).collect();
    let mut layers = order::Layers::new(clusters, &boxes, &edges);
    layers.reduce_crossings();
    let placed = place::place(&layers, graph, &boxes, &edges);
    let routes = route::routes(&layers, &placed, &edges);
    let mut routes = routes.into_iter();
    let empty = Route { start: Point { x: 0, y: 0 }, steps: Vec::new(), label: Rect::default() };
    let all = graph
        .edges
        .iter()
        .map(|e| if valid(e.from) && valid(e.to) { routes.next().unwrap_or(empty.clone()) } else { empty.clone() })
        .collect();
    Layout {
        width: placed.width,
        height: placed.height,
        clusters: placed.clusters,
        titles: placed.titles,
        boxes: placed.boxes,
        edges: all,
    }
}

#[cfg(test)]
mod tests;
