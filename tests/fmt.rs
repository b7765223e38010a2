//! The formatter: golden layouts of messy inputs, the repository's own `.ptl` files, and
//! properties over generated specs (idempotence, one layout whatever the input's whitespace,
//! every comment kept, the checked model unchanged).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

mod fmt_gen;

use std::path::{Path, PathBuf};

use fmt_gen::{Builder, render};
use portolan::items::{ItemKind, file_items};
use portolan::resolve::{flow_info, node_info};
use portolan_fmt::format;
use portolan_tests as support;
use portolan_tests::comments_of;
use proptest::prelude::*;

const GOLDEN: [(&str, &str); 6] = [
    (
        "every_item",
        "use std.proto\nuse  vendor.onee  as  tachyon\nuse zones .*\nuse zones.{ dmz,datacenter as dc , }\n\
         protocol wmi \"WMI (DCOM)\"=tcp/135,tcp/445\nprotocol ntp=tcp+udp/123 encrypted\n\
         component Switch \"1E Switch\"{param switch_port:port=4000 \"Switch port\" param poke : bool = true\n\
         listen clients:wss on tcp/switch_port listen poke_port: tcp on tcp/(switch_port+1) when poke\n\
         connect core: ws on tcp/3901 \"Core\" connect mail:smtp optional peer cluster:jgroups on udp/7600..7610\n\
         connect db: tds local Sql.tds}\n\
         zone dc \"Data center\"{trust internal cidr 10.20.0.0/16,2001:db8:1::/48\n\
         node server \"1E Server\":onee.MasterStack+onee.ResponseStack{address 10.20.1.10 https_port=8443 ResponseStack.switch_port = 4010}\n\
         node ssms[ 3 ]:kobil.Ssms{address 10.20.2.10,10.20.2.11} node clients[*]:Client}\n\
         node lonely:Proxy in dc\nflow adc.cloud->idm.api via proxy , proxy2 \"sync\"\nflow a.b<->c.d local\n\
         policy ssms \"Ports\"{default deny allow internet->dmz on https,tcp/80 \"portal\" deny any->ssms on tcp/8009\n\
         allow within dc require encrypted across dmz \"no cleartext\"}\n",
    ),
    (
        "comments",
        "//! Module docs.\n// A file comment.\n\n/// Docs of A.\n///\n/// More docs.\ncomponent A { // after the brace\n\
         // before the param\nparam p: port = 4000 // after the param\n  /// Docs of x.\n  // between docs and member\n\
         listen x: https on tcp/p // after on\n  // last in A\n}\n// between items\nflow a.b // after the start\n\
         -> c.d \"label\" // after the label\n// at the end\n",
    ),
    (
        "blank_lines_and_whitespace",
        "\n\n\nzone z {\n\n\n   trust dmz   \n\n\n\n   cidr 10.0.0.0/8\t\n\n}\n\n\n\nflow a.b -> c.d\r\nflow e.f -> g.h\r\n\n\n",
    ),
    (
        "node_bodies",
        "zone z {\n  node a: C {}\n  node b: C { address 10.0.0.1 }\n  node c: C { p = 1 }\n\
         node d: C { address 10.0.0.1  p = 1 }\n  node e: C { address 10.0.0.1 // why\n }\n  node f: C\n}\n\
         zone empty {}\npolicy {}\n",
    ),
    (
        "broken_items_are_kept",
        "component Good{listen x:https}\ncomponent Broken {\n    listen x: https on tcp/   \n      // keep this\n}\n\
         flow   a.b  ->  \nflow c.d->e.f\n",
    ),
    (
        "expressions_and_ports",
        "component A{param a:int=(1+2)*3-4 param b: string = \"x \\\"y\\\" \\\\ z\"\n\
         listen l: tcp on tcp/(a + 1)..( a*2 ), udp / 53 , tcp+udp/a-1}\n",
    ),
];

#[test]
fn golden_layouts() {
    for (name, input) in GOLDEN {
        let output = format(input);
        assert_eq!(format(&output), output, "{name}: not idempotent");
        assert_eq!(comments_of(&output), comments_of(input), "{name}: comments changed");
        insta::with_settings!({ description => input, omit_expression => true }, {
            insta::assert_snapshot!(name, output);
        });
    }
}

/// Every `.ptl` file of the examples, the standard library and the fixtures.
fn repository_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for folder in ["examples", "stdlib", "tests/fixtures"] {
        let dir = root.join(folder);
        files.extend(support::read_folder(&dir).into_iter().map(|(relative, _)| dir.join(relative)));
    }
    files
}

#[test]
fn repository_files_are_formatted_and_keep_their_comments() {
    let files = repository_files();
    assert!(files.len() >= 4, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let output = format(&text);
        assert_eq!(comments_of(&output), comments_of(&text), "{}: comments changed", file.display());
        assert_eq!(output, text, "{} is not formatted: run `portolan fmt`", file.display());
    }
}

/// What the checker makes of a one-file spec: diagnostics, and every node and flow by name.
fn model(text: &str) -> Vec<String> {
    let db = support::database(&[("main.ptl".to_string(), text.to_string())]);
    let mut facts: Vec<String> =
        portolan::diagnostics(&db).iter().map(|d| format!("{} {}", d.code.as_str(), d.message)).collect();
    facts.sort();
    let Some(file) = db.file("main.ptl") else { return facts };
    for &item in file_items(&db, file) {
        match item.kind(&db) {
            ItemKind::Node => {
                let info = node_info(&db, item);
                let ports: Vec<String> = info.ports.iter().map(|p| format!("{}:{:?}", p.name, p.ports)).collect();
                let components: Vec<&str> = info.components.iter().map(|c| c.name(&db).as_str()).collect();
                let zone = info.zone.map(|z| z.name(&db).to_string());
                facts.push(format!(
                    "node {} in {zone:?}: {components:?} {ports:?} {:?}",
                    item.name(&db),
                    info.addresses
                ));
            }
            ItemKind::Flow => {
                let info = flow_info(&db, item);
                let end = |e: portolan::resolved::Endpoint| {
                    let port = node_info(&db, e.node).ports.get(e.port as usize).map(|p| p.name.to_string());
                    format!("{}.{port:?}", e.node.name(&db))
                };
                for hop in &info.hops {
                    facts.push(format!("hop {} -> {} {:?} {}", end(hop.from), end(hop.to), hop.ports, hop.encrypted));
                }
            }
            _ => {}
        }
    }
    facts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn formatting_is_idempotent_and_keeps_every_comment(spec in any::<u64>(), ws in any::<u64>()) {
        let pieces = Builder::spec(spec);
        let text = render(&pieces, ws);
        let errors = portolan_syntax::parse(&text).errors;
        prop_assert!(errors.is_empty(), "the generator wrote a syntax error: {errors:?}\n{text}");
        let once = format(&text);
        prop_assert_eq!(&format(&once), &once, "not idempotent; input:\n{}", text);
        prop_assert_eq!(comments_of(&once), fmt_gen::comments(&pieces), "input:\n{}", text);
    }

    #[test]
    fn the_layout_does_not_depend_on_the_inputs_whitespace(spec in any::<u64>(), a in any::<u64>(), b in any::<u64>()) {
        let pieces = Builder::spec(spec);
        let (first, second) = (render(&pieces, a), render(&pieces, b));
        prop_assert_eq!(format(&first), format(&second), "inputs:\n{}\n----\n{}", first, second);
    }

    #[test]
    fn formatting_keeps_the_checked_model(spec in any::<u64>(), ws in any::<u64>()) {
        let text = render(&Builder::spec(spec), ws);
        let formatted = format(&text);
        prop_assert_eq!(model(&text), model(&formatted), "input:\n{}\n----\n{}", text, formatted);
    }
}

/// Text made of the language's pieces in any order: mostly broken specs.
fn soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "zone",
        "node",
        "flow",
        "policy",
        "component",
        "use",
        "protocol",
        "{",
        "}",
        "a.b",
        "->",
        "\"s\"",
        "\"open",
        "// c",
        "/// d",
        "//! m",
        "\n",
        "\n\n",
        " ",
        "\t",
        "tcp/1",
        "x",
        ":",
        "=",
        ",",
        "[*]",
        "10.0.0.1",
        "\\",
        "é",
        "\r\n",
        "..",
        "(",
        ")",
        "+",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_formats_idempotently_and_keeps_its_comments(text in soup()) {
        let once = format(&text);
        prop_assert_eq!(&format(&once), &once, "input: {:?}", text);
        prop_assert_eq!(comments_of(&once), comments_of(&text), "input: {:?}", text);
    }
}
