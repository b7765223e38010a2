//! Edge paths: from the side of the first box, straight across each layer the edge crosses at
//! its slot's height (round its label, in a turn), a cubic curve through each gap between
//! layers, to the side of the second box. A curve's control points are at the ends' heights
//! halfway across the gap, so the whole curve stays in the gap.

use super::order::{Kind, Layers};
use super::place::{Placed, on_right};
use super::{EdgeSpec, Point, Route, Step, TURN_IN};

pub fn routes(layers: &Layers, placed: &Placed, edges: &[EdgeSpec]) -> Vec<Route> {
    layers.chains.iter().enumerate().map(|(e, chain)| route(layers, placed, edges, e, chain)).collect()
}

struct Pen {
    at: Point,
    /// Where the last step started.
    before: Point,
    steps: Vec<Step>,
}

impl Pen {
    /// A line; one that goes on straight in the direction of the last one lengthens it.
    fn line(&mut self, to: Point) {
        if to == self.at {
            return;
        }
        let from = self.at;
        self.at = to;
        if let Some(Step::Line(last)) = self.steps.last_mut() {
            let before = self.before;
            let level =
                before.y == from.y && from.y == to.y && (from.x - before.x).signum() == (to.x - from.x).signum();
            let plumb =
                before.x == from.x && from.x == to.x && (from.y - before.y).signum() == (to.y - from.y).signum();
            if level || plumb {
                *last = to;
                return;
            }
        }
        self.before = from;
        self.steps.push(Step::Line(to));
    }

    /// Across a gap: a line when level, else a curve leaving and arriving level.
    fn curve(&mut self, to: Point) {
        if to.y == self.at.y {
            self.line(to);
            return;
        }
        let mid = (self.at.x + to.x) / 2;
        self.steps.push(Step::Curve(Point { x: mid, y: self.at.y }, Point { x: mid, y: to.y }, to));
        self.before = self.at;
        self.at = to;
    }
}

fn route(layers: &Layers, placed: &Placed, edges: &[EdgeSpec], e: usize, chain: &[usize]) -> Route {
    let edge = edges[e];
    let end = |first: bool| -> (Point, Point) {
        let (item, b, offset) = if first {
            (chain[0], edge.from, placed.ends[e].0)
        } else {
            (chain[chain.len() - 1], edge.to, placed.ends[e].1)
        };
        let l = layers.items[item].layer;
        let rect = placed.boxes[b];
        let y = rect.y + offset;
        if on_right(layers, chain, first) {
            (Point { x: rect.x + rect.w, y }, Point { x: placed.x[l] + placed.w[l], y })
        } else {
            (Point { x: rect.x, y }, Point { x: placed.x[l], y })
        }
    };
    let (start, boundary) = end(true);
    let mut pen = Pen { at: start, before: start, steps: Vec::new() };
    pen.line(boundary);
    for j in 1..chain.len() - 1 {
        let item = chain[j];
        let l = layers.items[item].layer;
        let rightwards = l > layers.items[chain[j - 1]].layer;
        let (left, right) = (placed.x[l], placed.x[l] + placed.w[l]);
        let (entry, exit) = if rightwards { (left, right) } else { (right, left) };
        let top = placed.top[item];
        pen.curve(Point { x: entry, y: top });
        match layers.items[item].kind {
            Kind::Turn(_) => {
                let label = placed.labels[e];
                let turn = if rightwards { label.x + label.w + TURN_IN } else { label.x - TURN_IN };
                let bottom = top + placed.h[item];
                pen.line(Point { x: turn, y: top });
                pen.line(Point { x: turn, y: bottom });
                pen.line(Point { x: entry, y: bottom });
            }
            _ => pen.line(Point { x: exit, y: top }),
        }
    }
    let (finish, boundary) = end(false);
    pen.curve(boundary);
    pen.line(finish);
    Route { start, steps: pen.steps, label: placed.labels[e] }
}
