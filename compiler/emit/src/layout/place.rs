//! Coordinates: each layer's x and width, each slot's height. Heights are found by sweeps
//! that move each slot towards where its neighbours along its edges meet it, then keep the
//! layer's slots in order and apart at least squares (pool-adjacent-violators, linear in the
//! layer's size); last, every position is a whole pixel with the gaps kept exactly.

use super::order::{Kind, Layers, box_layer};
use super::{BoxSpec, EdgeSpec, GAP, Graph, LABEL_GAP, MARGIN, PAD, Rect, TURN_IN};

/// How far apart the ends of edges on one side of a box are, at least.
const END_SPACING: i64 = 10;
/// Between two boxes in a layer, and between other slots.
const BOX_SPACING: i64 = 18;
const SLOT_SPACING: i64 = 8;
const SWEEPS: usize = 24;

pub struct Placed {
    pub width: i64,
    pub height: i64,
    /// Each layer's left and width.
    pub x: Vec<i64>,
    pub w: Vec<i64>,
    /// Each item's top and height.
    pub top: Vec<i64>,
    pub h: Vec<i64>,
    /// For each edge, how far below its boxes' tops its two ends are.
    pub ends: Vec<(i64, i64)>,
    pub clusters: Vec<Rect>,
    pub titles: Vec<Rect>,
    pub boxes: Vec<Rect>,
    pub labels: Vec<Rect>,
}

/// Whether an edge leaves (or reaches) its box on the right: its next slot is to the right.
pub fn on_right(layers: &Layers, chain: &[usize], first: bool) -> bool {
    let (end, next) = if first { (chain[0], chain[1]) } else { (chain[chain.len() - 1], chain[chain.len() - 2]) };
    layers.items[next].layer > layers.items[end].layer
}

pub fn place(layers: &Layers, graph: &Graph, boxes: &[BoxSpec], edges: &[EdgeSpec]) -> Placed {
    let n = layers.items.len();
    // The ends on each side of each box, in the order of what they lead to.
    let mut sides: Vec<[Vec<(usize, usize, bool)>; 2]> = vec![[Vec::new(), Vec::new()]; boxes.len()];
    for (e, chain) in layers.chains.iter().enumerate() {
        for first in [true, false] {
            let (end, next) =
                if first { (chain[0], chain[1]) } else { (chain[chain.len() - 1], chain[chain.len() - 2]) };
            if let Kind::Box(b) = layers.items[end].kind {
                sides[b][usize::from(on_right(layers, chain, first))].push((layers.pos[next], e, !first));
            }
        }
    }
    let mut box_h: Vec<i64> = boxes.iter().map(|b| b.size.h).collect();
    let mut ends = vec![(0i64, 0i64); edges.len()];
    for (b, sides) in sides.iter_mut().enumerate() {
        let most = sides.iter().map(Vec::len).max().unwrap_or(0) as i64;
        box_h[b] = box_h[b].max((most + 1) * END_SPACING);
        for side in sides.iter_mut() {
            // (place of what it leads to, edge, whether it is the edge's second end)
            side.sort_unstable();
            let count = side.len() as i64;
            for (k, &(_, e, second)) in side.iter().enumerate() {
                let offset = (k as i64 + 1) * box_h[b] / (count + 1);
                if second { ends[e].1 = offset } else { ends[e].0 = offset }
            }
        }
    }
    let mut h = vec![0i64; n];
    let mut width = vec![0i64; n];
    for (i, item) in layers.items.iter().enumerate() {
        (width[i], h[i]) = match item.kind {
            Kind::Box(b) => (boxes[b].size.w, box_h[b]),
            Kind::Pass(_) => (0, 0),
            Kind::Label(e) => (edges[e].label.w, LABEL_GAP + edges[e].label.h),
            Kind::Turn(e) => (edges[e].label.w + 2 * TURN_IN, edges[e].label.h + 2 * LABEL_GAP),
        };
    }
    // Links: (own offset, other item, other's offset): the two meet at one height.
    let mut links: Vec<Vec<(i64, usize, i64)>> = vec![Vec::new(); n];
    for (e, chain) in layers.chains.iter().enumerate() {
        let last = chain.len() - 1;
        let offset = |k: usize, towards_next: bool| -> i64 {
            match layers.items[chain[k]].kind {
                Kind::Box(_) if k == 0 => ends[e].0,
                Kind::Box(_) => ends[e].1,
                Kind::Turn(_) if towards_next => h[chain[k]],
                _ => 0,
            }
        };
        for k in 0..last {
            let (a, b) = (offset(k, true), offset(k + 1, false));
            links[chain[k]].push((a, chain[k + 1], b));
            links[chain[k + 1]].push((b, chain[k], a));
        }
    }

    // x: layers left to right; an outer label layer with nothing in it takes no room.
    let count = layers.count;
    let mut lx = vec![0i64; count];
    let mut lw = vec![0i64; count];
    let mut cursor = MARGIN + PAD;
    for layer in 0..count {
        let empty_outer = (layer == 0 || layer + 1 == count) && layers.order[layer].is_empty();
        let mut w = layers.order[layer].iter().map(|&i| width[i]).max().unwrap_or(0);
        if layer % 2 == 1 {
            w = w.max(graph.clusters.get(layer / 2).map_or(0, |t| t.w));
        }
        lx[layer] = cursor;
        lw[layer] = w;
        if !empty_outer {
            cursor += w;
            let next_empty = layer + 2 == count && layers.order[layer + 1].is_empty();
            if layer + 1 < count && !next_empty {
                cursor += GAP;
            }
        }
    }
    let right = cursor + PAD + MARGIN;
    let top = MARGIN + graph.top;
    let floor: Vec<i64> = (0..count)
        .map(|l| if l % 2 == 1 { top + PAD + graph.clusters.get(l / 2).map_or(0, |t| t.h) + PAD } else { top })
        .collect();

    // y: sweeps, then whole pixels.
    let spacing = |a: usize, b: usize| match (layers.items[a].kind, layers.items[b].kind) {
        (Kind::Box(_), Kind::Box(_)) => BOX_SPACING,
        _ => SLOT_SPACING,
    };
    let mut y = vec![0.0f64; n];
    for (layer, items) in layers.order.iter().enumerate() {
        let mut at = floor[layer] as f64;
        for (k, &i) in items.iter().enumerate() {
            y[i] = at;
            at += (h[i] + items.get(k + 1).map_or(0, |&j| spacing(i, j))) as f64;
        }
    }
    for sweep in 0..SWEEPS {
        let forward = sweep % 2 == 0;
        for step in 0..count {
            let layer = if forward { step } else { count - 1 - step };
            let items = &layers.order[layer];
            let wanted: Vec<(f64, f64)> = items
                .iter()
                .map(|&i| {
                    if links[i].is_empty() {
                        return (y[i], 1.0);
                    }
                    let sum: f64 = links[i].iter().map(|&(own, other, theirs)| y[other] + (theirs - own) as f64).sum();
                    (sum / links[i].len() as f64, links[i].len() as f64)
                })
                .collect();
            let sizes: Vec<i64> =
                items.iter().enumerate().map(|(k, &i)| h[i] + items.get(k + 1).map_or(0, |&j| spacing(i, j))).collect();
            for (&i, value) in items.iter().zip(apart(&wanted, &sizes, floor[layer] as f64)) {
                y[i] = value;
            }
        }
    }
    let mut tops = vec![0i64; n];
    let mut bottom = top;
    for (layer, items) in layers.order.iter().enumerate() {
        let mut least = floor[layer];
        for (k, &i) in items.iter().enumerate() {
            tops[i] = (y[i].round() as i64).max(least);
            least = tops[i] + h[i] + items.get(k + 1).map_or(0, |&j| spacing(i, j));
            bottom = bottom.max(tops[i] + h[i]);
        }
        if layer % 2 == 1 {
            bottom = bottom.max(floor[layer]);
        }
    }
    let height = bottom + PAD + MARGIN;

    let clusters = (0..graph.clusters.len())
        .map(|c| {
            let l = box_layer(c);
            Rect { x: lx[l] - PAD, y: top, w: lw[l] + 2 * PAD, h: height - MARGIN - top }
        })
        .collect();
    let titles = graph
        .clusters
        .iter()
        .enumerate()
        .map(|(c, t)| Rect { x: lx[box_layer(c)], y: top + PAD, w: t.w, h: t.h })
        .collect();
    let boxes_out = (0..boxes.len())
        .map(|b| {
            let i = layers.box_item[b];
            let l = layers.items[i].layer;
            Rect { x: lx[l] + (lw[l] - width[i]) / 2, y: tops[i], w: width[i], h: h[i] }
        })
        .collect();
    let mut labels = vec![Rect::default(); edges.len()];
    for (e, chain) in layers.chains.iter().enumerate() {
        for &i in chain {
            let l = layers.items[i].layer;
            let size = edges[e].label;
            match layers.items[i].kind {
                Kind::Label(_) => {
                    labels[e] = Rect { x: lx[l] + (lw[l] - size.w) / 2, y: tops[i] + LABEL_GAP, w: size.w, h: size.h }
                }
                Kind::Turn(_) => {
                    let from_left = on_right(layers, chain, true);
                    let x = if from_left { lx[l] + TURN_IN } else { lx[l] + lw[l] - TURN_IN - size.w };
                    labels[e] = Rect { x, y: tops[i] + LABEL_GAP, w: size.w, h: size.h };
                }
                _ => {}
            }
        }
    }
    Placed {
        width: right.max(graph.min_width + 2 * MARGIN),
        height,
        x: lx,
        w: lw,
        top: tops,
        h,
        ends,
        clusters,
        titles,
        boxes: boxes_out,
        labels,
    }
}

/// Positions as close as can be (least squares, weighted) to `wanted`, in the given order,
/// each at least its size (height and the spacing after it) below the one before, none above
/// `floor`: pool-adjacent-violators on the positions less the sizes before them.
fn apart(wanted: &[(f64, f64)], sizes: &[i64], floor: f64) -> Vec<f64> {
    let mut before = 0.0;
    // Blocks of (weighted sum, weight, how many).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(wanted.len());
    for (k, &(value, weight)) in wanted.iter().enumerate() {
        blocks.push(((value - before) * weight, weight, 1));
        before += sizes[k] as f64;
        while blocks.len() > 1 {
            let (s2, w2, n2) = blocks[blocks.len() - 1];
            let (s1, w1, n1) = blocks[blocks.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.pop();
            if let Some(last) = blocks.last_mut() {
                *last = (s1 + s2, w1 + w2, n1 + n2);
            }
        }
    }
    let mut out = Vec::with_capacity(wanted.len());
    let mut before = 0.0;
    let mut k = 0;
    for (sum, weight, count) in blocks {
        let value = (sum / weight).max(floor);
        for _ in 0..count {
            out.push(value + before);
            before += sizes[k] as f64;
            k += 1;
        }
    }
    out
}
