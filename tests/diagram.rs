//! The SVG diagram as a person reads it, checked on the emitted SVG of every example (and of the
//! hostile, long-name and large specs), for `diagram.svg` and the inline SVG of `ports.html`:
//! no two label boxes overlap, no label overlaps a node box, no edge segment enters a label box
//! or a node box (a line's, or a curve's control points', bounding box), every text lies
//! inside its declared box (measured with the emitter's documented width estimate) and inside
//! the viewBox, every flow is on its edge, and parallel flows share one edge.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::collections::BTreeSet;

use portolan_emit::{Target, emit, emit_named, text_width};
use portolan_tests as support;

#[derive(Clone, Copy, Debug)]
struct Box {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Box {
    /// Whether the insides meet; a segment (no width or no height) meets a box whose inside it
    /// crosses, not one it only touches.
    fn meets(&self, other: &Box) -> bool {
        self.x0 < other.x1 && self.x1 > other.x0 && self.y0 < other.y1 && self.y1 > other.y0
    }

    fn holds(&self, other: &Box) -> bool {
        const SLACK: f64 = 0.01;
        other.x0 >= self.x0 - SLACK
            && other.y0 >= self.y0 - SLACK
            && other.x1 <= self.x1 + SLACK
            && other.y1 <= self.y1 + SLACK
    }
}

fn number(node: roxmltree::Node, name: &str) -> f64 {
    let text = node.attribute(name).unwrap_or_else(|| panic!("<{}> has no {name}", node.tag_name().name()));
    text.parse().unwrap_or_else(|_| panic!("{name}=\"{text}\" is not a number"))
}

fn rect(node: roxmltree::Node) -> Box {
    let (x, y) = (number(node, "x"), number(node, "y"));
    Box { x0: x, y0: y, x1: x + number(node, "width"), y1: y + number(node, "height") }
}

fn has_class(node: &roxmltree::Node, class: &str) -> bool {
    node.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == class))
}

/// Segments of a path written `M x y`, then `L x y` and `C x y x y x y`: each as the points
/// that bound it.
fn segments(d: &str) -> Vec<Vec<(f64, f64)>> {
    let tokens: Vec<&str> = d.split_whitespace().collect();
    let mut out = Vec::new();
    let mut at = (0.0, 0.0);
    let mut i = 0;
    let num = |t: &str| -> f64 { t.parse().unwrap_or_else(|_| panic!("not a number in a path: {t} in {d}")) };
    while i < tokens.len() {
        let take = match tokens[i] {
            "M" | "L" => 2,
            "C" => 6,
            other => panic!("a path command the test does not read: {other} in {d}"),
        };
        let values: Vec<f64> = tokens[i + 1..i + 1 + take].iter().map(|t| num(t)).collect();
        let mut points = vec![at];
        points.extend(values.chunks(2).map(|p| (p[0], p[1])));
        if tokens[i] != "M" {
            out.push(points.clone());
        }
        at = *points.last().unwrap();
        i += 1 + take;
    }
    out
}

fn hull(points: &[(f64, f64)]) -> Box {
    let xs = points.iter().map(|p| p.0);
    let ys = points.iter().map(|p| p.1);
    Box {
        x0: xs.clone().fold(f64::INFINITY, f64::min),
        y0: ys.clone().fold(f64::INFINITY, f64::min),
        x1: xs.fold(f64::NEG_INFINITY, f64::max),
        y1: ys.fold(f64::NEG_INFINITY, f64::max),
    }
}

/// What a diagram holds, once checked.
struct Checked {
    /// Each edge's label text (its lines joined by spaces) and tooltip.
    edges: Vec<(String, String)>,
    note: Option<String>,
}

/// Checks one `<svg>` element; `what` names it in failures.
fn check_svg(svg: roxmltree::Node, what: &str) -> Checked {
    let view: Vec<f64> = svg.attribute("viewBox").expect("a viewBox").split(' ').map(|v| v.parse().unwrap()).collect();
    let view = Box { x0: view[0], y0: view[1], x1: view[0] + view[2], y1: view[1] + view[3] };
    let root_size: f64 = svg.attribute("font-size").map_or(12.0, |s| s.parse().unwrap());
    let nodes: Vec<Box> =
        svg.descendants().filter(|n| n.has_tag_name("rect") && has_class(n, "node")).map(rect).collect();
    let labels: Vec<Box> =
        svg.descendants().filter(|n| n.has_tag_name("rect") && has_class(n, "label-box")).map(rect).collect();
    for (i, a) in labels.iter().enumerate() {
        assert!(view.holds(a), "{what}: a label box {a:?} is outside the viewBox {view:?}");
        for b in &labels[i + 1..] {
            assert!(!a.meets(b), "{what}: label boxes {a:?} and {b:?} overlap");
        }
        for n in &nodes {
            assert!(!a.meets(n), "{what}: label box {a:?} overlaps node box {n:?}");
        }
    }
    for (i, a) in nodes.iter().enumerate() {
        assert!(view.holds(a), "{what}: a node box {a:?} is outside the viewBox");
        for b in &nodes[i + 1..] {
            assert!(!a.meets(b), "{what}: node boxes {a:?} and {b:?} overlap");
        }
    }
    // Texts: each line inside the box its group declares, and inside the viewBox.
    for text in svg.descendants().filter(|n| n.has_tag_name("text")) {
        let group = text.parent().unwrap();
        let declared = group
            .children()
            .find(|n| n.has_tag_name("rect") && (has_class(n, "node") || has_class(n, "label-box")))
            .map(rect)
            .unwrap_or_else(|| panic!("{what}: a text without a declared box"));
        let size: f64 = text.attribute("font-size").map_or(root_size, |s| s.parse().unwrap());
        let bold = text.attribute("font-weight") == Some("bold");
        let middle = text.attribute("text-anchor") == Some("middle");
        let line_height = (size * 1.25).ceil();
        for tspan in text.children().filter(|n| n.has_tag_name("tspan")) {
            let line = tspan.text().unwrap_or("");
            let (x, y) = (number(tspan, "x"), number(tspan, "y"));
            let w = text_width(line, size, bold);
            let x0 = if middle { x - w / 2.0 } else { x };
            let line_box = Box { x0, y0: y - size, x1: x0 + w, y1: y - size + line_height };
            assert!(
                declared.holds(&line_box),
                "{what}: the line {line:?} at {line_box:?} is outside its box {declared:?}"
            );
            assert!(view.holds(&line_box), "{what}: the line {line:?} is outside the viewBox");
        }
    }
    // Edges: no segment enters a node box or a label box, its own ends' included.
    let solid: Vec<Box> = nodes.iter().chain(&labels).copied().collect();
    let mut edges = Vec::new();
    for group in svg.descendants().filter(|n| n.has_tag_name("g") && has_class(n, "flow")) {
        let path = group.children().find(|n| n.has_tag_name("path")).expect("a flow has a path");
        for points in segments(path.attribute("d").unwrap()) {
            let bounds = hull(&points);
            assert!(view.holds(&bounds), "{what}: a segment {points:?} leaves the viewBox");
            for b in &solid {
                assert!(!bounds.meets(b), "{what}: the segment {points:?} goes through the box {b:?}");
            }
        }
        let label: Vec<&str> =
            group.descendants().filter(|n| n.has_tag_name("tspan")).filter_map(|n| n.text()).collect();
        let tooltip = group.children().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).unwrap_or("");
        edges.push((label.join(" "), tooltip.to_string()));
    }
    let note = svg.descendants().find(|n| n.has_tag_name("g") && has_class(n, "note")).map(|g| {
        g.descendants().filter(|n| n.has_tag_name("tspan")).filter_map(|n| n.text()).collect::<Vec<_>>().join(" ")
    });
    Checked { edges, note }
}

/// Text as a label shows it: blanks (line breaks included) as single spaces.
fn squeeze(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Builds a spec and checks `diagram.svg` and the SVG in `ports.html`; both must be alike.
fn check_spec(name: &str, files: &[(String, String)]) -> (portolan_model::Model, Checked) {
    let db = support::database(files);
    let model = portolan::export::export(&db).model;
    let svg = &emit(&model, Target::Svg).unwrap()[0].text;
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: diagram.svg is not XML: {e}"));
    let checked = check_svg(doc.root_element(), &format!("{name}/diagram.svg"));
    let html = &emit(&model, Target::Html).unwrap()[0].text;
    let html = html.strip_prefix("<!DOCTYPE html>\n").unwrap();
    let page = roxmltree::Document::parse(html).unwrap_or_else(|e| panic!("{name}: ports.html is not XML: {e}"));
    let inline = page.descendants().find(|n| n.has_tag_name("svg")).expect("ports.html has the diagram");
    assert_eq!(inline.attribute("width"), Some("100%"), "{name}: the page's diagram does not scale");
    let style = inline.attribute("style").unwrap_or("");
    assert!(style.contains("max-width") && style.contains("height: auto"), "{name}: {style}");
    let again = check_svg(inline, &format!("{name}/ports.html"));
    assert_eq!(checked.edges, again.edges, "{name}: the page's diagram differs from diagram.svg");
    (model, checked)
}

/// Every flow of a model drawn node by node is on one edge: its text in the edge's label (when
/// the edge lists it) and its tooltip; one edge per pair of nodes and kind of line.
fn every_flow_on_its_edge(name: &str, model: &portolan_model::Model, checked: &Checked) {
    assert!(checked.note.is_none(), "{name}: drawn coarser than node by node: {:?}", checked.note);
    let mut pairs = BTreeSet::new();
    for flow in &model.flows {
        let route = model.route(flow.route).unwrap();
        let kind = if route.local {
            "local"
        } else if route.bidirectional && route.hops.len() == 1 {
            "both"
        } else {
            "plain"
        };
        pairs.insert((flow.from.node.clone(), flow.to.node.clone(), kind));
        let ports =
            if flow.kind == portolan_model::HopKind::Local { "local".into() } else { flow.port_set().describe() };
        let mut text = format!("{ports} {}", flow.protocol_title);
        if let Some(label) = &flow.label {
            text = format!("{text}: {label}");
        }
        let text = squeeze(&text);
        assert!(
            checked.edges.iter().any(|(_, tooltip)| squeeze(tooltip).contains(&text)),
            "{name}: no edge's tooltip has {text}"
        );
        assert!(
            checked.edges.iter().any(|(label, _)| squeeze(label).contains(&text)),
            "{name}: no edge's label has {text}"
        );
    }
    assert_eq!(checked.edges.len(), pairs.len(), "{name}: not one edge per pair of nodes and kind of line");
}

#[test]
fn every_example_draws_without_overlaps() {
    for dir in support::examples() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (model, checked) = check_spec(&name, &support::read_folder(&dir));
        every_flow_on_its_edge(&name, &model, &checked);
    }
}

#[test]
fn hostile_and_long_texts_wrap_inside_their_boxes() {
    let (model, checked) = check_spec("hostile", &support::split_files(support::HOSTILE));
    every_flow_on_its_edge("hostile", &model, &checked);
    let (_, checked) = check_spec("long-names", &support::split_files(&support::long_names()));
    assert_eq!(checked.edges.len(), 3);
}

#[test]
fn parallel_flows_share_an_edge_and_the_two_directions_have_one_each() {
    let spec = "component A { listen a: https  listen b: ssh  connect out: https  connect back: ssh }\n\
                zone dc { cidr 10.0.0.0/8\n  node x: A { address 10.0.0.1 }\n  node y: A { address 10.0.0.2 } }\n\
                flow x.out -> y.a \"one\"\nflow x.back -> y.b \"two\"\nflow y.out -> x.a \"three\"\n";
    let (model, checked) = check_spec("parallel", &support::split_files(spec));
    every_flow_on_its_edge("parallel", &model, &checked);
    assert_eq!(checked.edges.len(), 2);
    let both = checked.edges.iter().find(|(label, _)| label.contains("one")).unwrap();
    assert!(both.0.contains("two") && !both.0.contains("three"), "{both:?}");
}

/// A zone of many nodes, each with flows to several others, in every trust level.
fn many(nodes: usize, flows_each: usize, zones: usize) -> String {
    let mut spec = String::from("component A { listen a: https  connect out: https }\n");
    for z in 0..zones {
        let trust = ["untrusted", "dmz", "internal", "restricted"][z % 4];
        spec.push_str(&format!("zone z{z} \"Zone {z}\" {{\n  trust {trust}\n  cidr 10.{z}.0.0/16\n"));
        for n in (0..nodes).filter(|n| n % zones == z) {
            spec.push_str(&format!(
                "  node n{n} \"Node number {n}\": A {{ address 10.{z}.{}.{} }}\n",
                n / 250,
                n % 250 + 1
            ));
        }
        spec.push_str("}\n");
    }
    for n in 0..nodes {
        for k in 1..=flows_each {
            let to = (n * 7 + k) % nodes;
            if to != n {
                spec.push_str(&format!("flow n{n}.out -> n{to}.a \"from {n} to {to}\"\n"));
            }
        }
    }
    spec
}

#[test]
fn a_hundred_nodes_draw_node_by_node() {
    let (model, checked) = check_spec("hundred", &support::split_files(&many(100, 2, 4)));
    every_flow_on_its_edge("hundred", &model, &checked);
}

#[test]
fn larger_models_are_drawn_by_zone_and_say_so() {
    let (model, checked) = check_spec("by-zone", &support::split_files(&many(400, 2, 8)));
    let note = checked.note.expect("a note says how the diagram is drawn");
    assert!(note.contains("400 nodes") && note.contains("each box is a zone"), "{note}");
    let flows: usize = checked
        .edges
        .iter()
        .map(|(_, tooltip)| tooltip.lines().next().unwrap().trim_end_matches(" flow(s)").parse::<usize>().unwrap())
        .sum();
    assert_eq!(flows, model.flows.len(), "the edges do not sum up every flow");
    let (_, checked) = check_spec("by-trust", &support::split_files(&many(200, 1, 200)));
    let note = checked.note.expect("a note");
    assert!(note.contains("every zone of one trust level"), "{note}");
    assert!(checked.edges.len() <= 16, "{} edges between four trust levels", checked.edges.len());
}

#[test]
fn a_spec_without_nodes_draws_a_note() {
    let (_, checked) = check_spec("empty", &support::split_files("component A { listen a: https }\n"));
    assert!(checked.note.unwrap().contains("no nodes"));
    assert!(checked.edges.is_empty());
}

#[test]
fn a_document_titles_the_pages_and_orders_their_sections() {
    let spec = "component A { listen a: https }\ncomponent B { connect a: https }\n\
                zone dc { cidr 10.0.0.0/8  node x: A { address 10.0.0.1 }  node y: B { address 10.0.0.2 } }\n\
                flow y.a -> x.a\ndocument \"Firewall <requirements>\" { sections routes, devices \"1E *Servers*\" }\n";
    let db = support::spec(spec);
    let model = portolan::export::export(&db).model;
    let markdown = &emit_named(&model, Target::Markdown, Some("site")).unwrap()[0].text;
    assert!(markdown.starts_with("# Firewall \\<requirements\\>\n"), "{markdown}");
    let headings: Vec<&str> = markdown.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(headings, ["## Routes", "## 1E \\*Servers\\*"], "{markdown}");
    assert!(!markdown.contains("```mermaid"), "no diagram section: {markdown}");
    let page = &emit_named(&model, Target::Html, Some("site")).unwrap()[0].text;
    assert!(page.contains("<title>Firewall &lt;requirements&gt;</title>"), "{page}");
    let h2: Vec<&str> = page.lines().filter(|l| l.starts_with("<h2>")).collect();
    assert_eq!(h2, ["<h2>Routes</h2>", "<h2>1E *Servers*</h2>"]);
    assert!(!page.contains("<svg"), "no diagram section");
    let json: serde_json::Value = serde_json::from_str(&model.to_json()).unwrap();
    let sections = serde_json::json!([{"section": "routes"}, {"section": "devices", "title": "1E *Servers*"}]);
    assert_eq!(json["document"], serde_json::json!({"title": "Firewall <requirements>", "sections": sections}));

    // Without `sections`, every section in the default order; without a `document`, the model
    // says nothing of it.
    let db = support::spec(&spec.replace(" sections routes, devices \"1E *Servers*\" ", " "));
    let model = portolan::export::export(&db).model;
    let markdown = &emit_named(&model, Target::Markdown, Some("site")).unwrap()[0].text;
    let headings: Vec<&str> = markdown.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        ["## Diagram", "## Zones", "## Devices", "## Inbound ports", "## Outbound ports", "## Routes", "## Policy"]
    );
    let db = support::spec(&spec[..spec.find("document").unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&portolan::export::export(&db).model.to_json()).unwrap();
    assert!(json.get("document").is_none(), "{json}");
}

#[test]
fn internal_and_external_sections_split_the_hops_by_the_trust_of_their_ends() {
    let spec = "component A { listen a: https\n listen t: ntp }\ncomponent B { connect a: https\n connect t: ntp }\n\
                zone dc { cidr 10.0.0.0/8  node x: A { address 10.0.0.1 }  node y: B { address 10.0.0.2 } }\n\
                zone internet { trust untrusted  node cloud: A }\n\
                flow y.a -> cloud.a \"sync to the cloud\"\nflow y.t -> x.t \"time\"\nflow y.a -> x.a\n\
                document { sections internal \"1. Internal Communication (customer-side)\", external }\n";
    let db = support::spec(spec);
    let model = portolan::export::export(&db).model;
    let blocks = portolan_emit::table::document(&model, "t");
    let tables: Vec<(String, Vec<Vec<String>>)> = {
        let mut heading = String::new();
        let mut out = Vec::new();
        for block in blocks {
            match block {
                portolan_emit::table::Block::Heading(2, text) => heading = text,
                portolan_emit::table::Block::Table(table) => {
                    assert_eq!(table.header, ["Protocol", "Port", "Purpose", "From → To"]);
                    out.push((heading.clone(), table.rows));
                }
                _ => {}
            }
        }
        out
    };
    let row = |cells: [&str; 4]| cells.iter().map(|c| c.to_string()).collect::<Vec<String>>();
    assert_eq!(
        tables,
        [
            (
                "1. Internal Communication (customer-side)".to_string(),
                vec![row(["NTP", "TCP+UDP 123", "time", "y → x"]), row(["HTTPS", "TCP 443", "flow 3", "y → x"])]
            ),
            ("External communication".to_string(), vec![row(["HTTPS", "TCP 443", "sync to the cloud", "y → cloud"])]),
        ]
    );
}

#[test]
fn the_page_is_titled_after_the_spec() {
    let db = support::spec("component A { listen a: https }\nzone dc { node x: A }\n");
    let model = portolan::export::export(&db).model;
    let page = &emit_named(&model, Target::Html, Some("site <b>&</b>")).unwrap()[0].text;
    assert!(page.contains("<title>site &lt;b&gt;&amp;&lt;/b&gt;: ports and flows</title>"), "{page}");
    assert!(page.contains("<h1>site &lt;b&gt;&amp;&lt;/b&gt;: ports and flows</h1>"), "{page}");
    let markdown = &emit_named(&model, Target::Markdown, Some("kobil-mid")).unwrap()[0].text;
    assert!(markdown.starts_with("# kobil-mid: ports and flows\n"), "{markdown}");
    let untitled = &emit(&model, Target::Html).unwrap()[0].text;
    assert!(untitled.contains("<title>Ports and flows</title>"));
}
