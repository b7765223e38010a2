//! The layers and what is in them: boxes in their clusters' layers, each edge's slots in the
//! layers it crosses (its label in one label layer), and the order of each layer, chosen by
//! barycenter sweeps that keep the order with the fewest crossings.

use super::{BoxSpec, EdgeSpec, GAP, LABEL_GAP, TURN_IN};

/// How many sweeps (alternately left to right and right to left) reduce crossings.
const SWEEPS: usize = 8;
/// A pixel of width costs this many pixels of height when a label layer is chosen.
const WIDTH_COST: i64 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A box.
    Box(usize),
    /// An edge passing straight through a layer.
    Pass(usize),
    /// An edge passing through a label layer, its label under it.
    Label(usize),
    /// An edge between two boxes of one layer, turning in the label layer beside it around
    /// its label: in along its top, out along its bottom.
    Turn(usize),
}

#[derive(Clone, Copy, Debug)]
pub struct Item {
    pub layer: usize,
    pub kind: Kind,
}

pub struct Layers {
    pub count: usize,
    pub items: Vec<Item>,
    /// Each layer's items, top to bottom.
    pub order: Vec<Vec<usize>>,
    /// Each item's place in its layer.
    pub pos: Vec<usize>,
    /// Each box's item.
    pub box_item: Vec<usize>,
    /// Each edge's items, from its first box's to its second's.
    pub chains: Vec<Vec<usize>>,
    /// Items next to each item along an edge.
    neighbours: Vec<Vec<usize>>,
}

/// The layer of a cluster's boxes; label layers are the even ones.
pub fn box_layer(cluster: usize) -> usize {
    2 * cluster + 1
}

impl Layers {
    pub fn new(clusters: usize, boxes: &[BoxSpec], edges: &[EdgeSpec]) -> Layers {
        let count = 2 * clusters + 1;
        let mut items = Vec::new();
        let mut order = vec![Vec::new(); count];
        let mut box_item = Vec::with_capacity(boxes.len());
        for (i, b) in boxes.iter().enumerate() {
            let layer = box_layer(b.cluster);
            box_item.push(items.len());
            order[layer].push(items.len());
            items.push(Item { layer, kind: Kind::Box(i) });
        }
        // What each label layer holds so far: the height of its labels and the widest, to put
        // each label where it widens the drawing least, then where it lengthens it least.
        let mut load = vec![0i64; count];
        let mut widest = vec![0i64; count];
        let cost = |layer: usize, w: i64, load: &[i64], widest: &[i64]| {
            let outer = (layer == 0 || layer + 1 == count) && widest[layer] == 0;
            let widen = (w - widest[layer]).max(0) + if outer { GAP } else { 0 };
            WIDTH_COST * widen + load[layer]
        };
        let mut chains = Vec::with_capacity(edges.len());
        for (e, edge) in edges.iter().enumerate() {
            let (a, b) = (box_layer(boxes[edge.from].cluster), box_layer(boxes[edge.to].cluster));
            let mut chain = vec![box_item[edge.from]];
            let mut add = |layer: usize, kind: Kind, chain: &mut Vec<usize>| {
                chain.push(items.len());
                order[layer].push(items.len());
                items.push(Item { layer, kind });
            };
            let label = if a == b {
                let w = edge.label.w + 2 * TURN_IN;
                let layer = [a + 1, a - 1].into_iter().min_by_key(|&l| cost(l, w, &load, &widest)).unwrap_or(a + 1);
                add(layer, Kind::Turn(e), &mut chain);
                (layer, w)
            } else {
                let crossed: Vec<usize> = if a < b { (a + 1..b).collect() } else { (b + 1..a).rev().collect() };
                let w = edge.label.w;
                let label = crossed
                    .iter()
                    .copied()
                    .filter(|l| l % 2 == 0)
                    .min_by_key(|&l| cost(l, w, &load, &widest))
                    .unwrap_or(crossed.first().copied().unwrap_or(a));
                for &layer in &crossed {
                    add(layer, if layer == label { Kind::Label(e) } else { Kind::Pass(e) }, &mut chain);
                }
                (label, w)
            };
            load[label.0] += edge.label.h + 2 * LABEL_GAP;
            widest[label.0] = widest[label.0].max(label.1);
            chain.push(box_item[edge.to]);
            chains.push(chain);
        }
        let mut neighbours = vec![Vec::new(); items.len()];
        for chain in &chains {
            for pair in chain.windows(2) {
                neighbours[pair[0]].push(pair[1]);
                neighbours[pair[1]].push(pair[0]);
            }
        }
        let mut layers = Layers { count, items, order, pos: Vec::new(), box_item, chains, neighbours };
        layers.number();
        layers
    }

    fn number(&mut self) {
        self.pos = vec![0; self.items.len()];
        for layer in &self.order {
            for (p, &item) in layer.iter().enumerate() {
                self.pos[item] = p;
            }
        }
    }

    /// Barycenter sweeps; the order with the fewest crossings is kept (the first of equals).
    pub fn reduce_crossings(&mut self) {
        let mut best = self.crossings();
        let mut best_order = self.order.clone();
        for sweep in 0..SWEEPS {
            if best == 0 {
                break;
            }
            if sweep % 2 == 0 {
                for layer in 1..self.count {
                    self.sort_layer(layer, layer - 1);
                }
            } else {
                for layer in (0..self.count - 1).rev() {
                    self.sort_layer(layer, layer + 1);
                }
            }
            let crossings = self.crossings();
            if crossings < best {
                best = crossings;
                best_order = self.order.clone();
            }
        }
        self.order = best_order;
        self.number();
    }

    /// Sorts a layer by the mean place of each item's neighbours in `fixed` (as a fraction of
    /// that layer); an item with none there keeps its own place (as a fraction of its layer).
    fn sort_layer(&mut self, layer: usize, fixed: usize) {
        let own = self.order[layer].len().max(1) as f64;
        let other = self.order[fixed].len().max(1) as f64;
        let mut keyed: Vec<(f64, usize, usize)> = self.order[layer]
            .iter()
            .map(|&item| {
                let (mut sum, mut n) = (0.0, 0u32);
                for &nb in &self.neighbours[item] {
                    if self.items[nb].layer == fixed {
                        sum += (self.pos[nb] as f64 + 0.5) / other;
                        n += 1;
                    }
                }
                let key = if n == 0 { (self.pos[item] as f64 + 0.5) / own } else { sum / f64::from(n) };
                (key, self.pos[item], item)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        self.order[layer] = keyed.into_iter().map(|(_, _, item)| item).collect();
        for (p, &item) in self.order[layer].iter().enumerate() {
            self.pos[item] = p;
        }
    }

    /// Crossings between each two neighbouring layers, counted as inversions (a Fenwick tree
    /// per gap: O(E log V)).
    pub fn crossings(&self) -> u64 {
        let mut segments: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.count];
        for chain in &self.chains {
            for pair in chain.windows(2) {
                let (u, v) = (pair[0], pair[1]);
                let (lu, lv) = (self.items[u].layer, self.items[v].layer);
                if lu + 1 == lv {
                    segments[lu].push((self.pos[u], self.pos[v]));
                } else if lv + 1 == lu {
                    segments[lv].push((self.pos[v], self.pos[u]));
                }
            }
        }
        let mut total = 0u64;
        for (layer, mut list) in segments.into_iter().enumerate() {
            if list.len() < 2 {
                continue;
            }
            list.sort_unstable();
            let size = self.order.get(layer + 1).map_or(0, Vec::len) + 1;
            let mut tree = vec![0u64; size + 1];
            for (seen, &(_, right)) in list.iter().enumerate() {
                // Segments seen so far that end below this one's right end cross it.
                let mut not_above = 0u64;
                let mut i = right + 1;
                while i > 0 {
                    not_above += tree[i];
                    i -= i & i.wrapping_neg();
                }
                total += seen as u64 - not_above;
                let mut i = right + 1;
                while i <= size {
                    tree[i] += 1;
                    i += i & i.wrapping_neg();
                }
            }
        }
        total
    }
}
