//! The layout's promises on random graphs: no two boxes overlap, no path enters a box (a
//! curve's control points bound it), everything inside the drawing, the same graph the same
//! layout.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use proptest::prelude::*;

use super::*;

/// Whether the insides of two rectangles meet (a line is a rectangle of no width or height:
/// it meets a rectangle whose inside it crosses).
fn meets(a: (i64, i64, i64, i64), b: Rect) -> bool {
    a.0 < b.x + b.w && a.2 > b.x && a.1 < b.y + b.h && a.3 > b.y
}

fn bounds(points: &[Point]) -> (i64, i64, i64, i64) {
    let xs = points.iter().map(|p| p.x);
    let ys = points.iter().map(|p| p.y);
    (xs.clone().min().unwrap(), ys.clone().min().unwrap(), xs.max().unwrap(), ys.max().unwrap())
}

fn check(graph: &Graph) {
    let layout = layout(graph);
    assert_eq!(layout.boxes.len(), graph.boxes.len());
    assert_eq!(layout.edges.len(), graph.edges.len());
    let mut solid: Vec<Rect> = layout.boxes.clone();
    solid.extend(layout.titles.iter().copied());
    solid.extend(layout.edges.iter().map(|r| r.label).filter(|r| r.w > 0 || r.h > 0));
    let inside = |r: Rect| r.x >= 0 && r.y >= 0 && r.x + r.w <= layout.width && r.y + r.h <= layout.height;
    for (i, a) in solid.iter().enumerate() {
        assert!(inside(*a), "{a:?} is outside {}x{}", layout.width, layout.height);
        for b in &solid[i + 1..] {
            assert!(!meets((a.x, a.y, a.x + a.w, a.y + a.h), *b), "{a:?} overlaps {b:?}");
        }
    }
    for (e, route) in layout.edges.iter().enumerate() {
        let mut at = route.start;
        for step in &route.steps {
            let points = match *step {
                Step::Line(p) => vec![at, p],
                Step::Curve(c1, c2, p) => vec![at, c1, c2, p],
            };
            let hull = bounds(&points);
            for r in &solid {
                assert!(!meets(hull, *r), "edge {e}: {points:?} crosses {r:?}");
            }
            at = *points.last().unwrap();
        }
        let edge = graph.edges[e];
        let (from, to) = (layout.boxes[edge.from], layout.boxes[edge.to]);
        let on_side = |p: Point, r: Rect| (p.x == r.x || p.x == r.x + r.w) && p.y > r.y && p.y < r.y + r.h;
        assert!(on_side(route.start, from), "edge {e} starts off its box");
        assert!(on_side(at, to), "edge {e} ends off its box");
    }
    let again = super::layout(graph);
    assert_eq!(format!("{layout:?}"), format!("{again:?}"), "two layouts differ");
}

#[test]
fn an_empty_graph_and_one_box() {
    let layout = layout(&Graph::default());
    assert!(layout.width > 0 && layout.height > 0);
    check(&Graph {
        clusters: vec![Size { w: 80, h: 15 }],
        boxes: vec![BoxSpec { cluster: 0, size: Size { w: 120, h: 30 } }],
        ..Graph::default()
    });
}

#[test]
fn loops_both_ways_and_long_edges() {
    let size = Size { w: 100, h: 30 };
    let label = Size { w: 150, h: 40 };
    let graph = Graph {
        top: 20,
        min_width: 10,
        clusters: vec![Size { w: 60, h: 15 }; 4],
        boxes: (0..8).map(|i| BoxSpec { cluster: i % 4, size }).collect(),
        edges: [(0, 0), (0, 4), (4, 0), (0, 7), (7, 0), (3, 1), (5, 5), (1, 2), (2, 6), (6, 2)]
            .into_iter()
            .map(|(from, to)| EdgeSpec { from, to, label })
            .collect(),
    };
    check(&graph);
}

fn graphs() -> impl Strategy<Value = Graph> {
    (1usize..6, 1usize..14).prop_flat_map(|(clusters, boxes)| {
        let size = (20i64..200, 10i64..60).prop_map(|(w, h)| Size { w, h });
        let titles = prop::collection::vec(size.clone(), clusters);
        let specs = prop::collection::vec((0..clusters, size.clone()), boxes);
        let edges = prop::collection::vec((0..boxes, 0..boxes, size), 0..30);
        (titles, specs, edges, 0i64..40).prop_map(|(titles, specs, edges, top)| Graph {
            top,
            min_width: 0,
            clusters: titles,
            boxes: specs.into_iter().map(|(cluster, size)| BoxSpec { cluster, size }).collect(),
            edges: edges.into_iter().map(|(from, to, label)| EdgeSpec { from, to, label }).collect(),
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn nothing_overlaps_and_no_path_crosses_a_box(graph in graphs()) {
        check(&graph);
    }
}
