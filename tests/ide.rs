//! The editor layer (`portolan_ide`) on the database: the name index stays incremental, and
//! references and rename follow names across files, imports and aliases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use portolan::{Database, SourceFile};
use portolan_ide::RenameError;

const COMPONENTS: &str = r#"component Server "Web server" {
    param port: port = 443
    listen web: https on tcp/port
    connect db: tds optional
}
component Browser {
    connect web: https
}
"#;

const SITE: &str = r#"use components.*
zone dc {
    node web1: Server { port = 8443 }
    node web2: Server
}
zone internet { trust untrusted  node users[*]: Browser }
"#;

fn flows(label: &str) -> String {
    format!(
        "use site.{{web1 as first, web2, users}}\nflow users.web -> first.web \"{label}\"\nflow users.web -> web2.web \"two\"\n"
    )
}

fn setup() -> (Database, portolan::ExecutionLog, [SourceFile; 3]) {
    let (mut db, log) = Database::with_execution_log();
    let components = db.set_file("components.ptl", "components", COMPONENTS.to_string());
    let site = db.set_file("site.ptl", "site", SITE.to_string());
    let flows = db.set_file("flows.ptl", "flows", flows("one"));
    (db, log, [components, site, flows])
}

fn offset(text: &str, needle: &str, shift: usize) -> u32 {
    (text.find(needle).unwrap_or_else(|| panic!("`{needle}` not found")) + shift) as u32
}

fn texts(db: &Database, ranges: &[portolan_ide::FileRange]) -> Vec<String> {
    ranges
        .iter()
        .map(|r| {
            let text = r.file.text(db);
            format!("{}:{}", r.file.path(db), &text[r.span.start as usize..r.span.end as usize])
        })
        .collect()
}

#[test]
fn relabelling_a_flow_reindexes_that_flow_only() {
    let (mut db, log, [_, _, flows_file]) = setup();
    let before = portolan_ide::index::file_refs(&db, flows_file).len();
    log.take();
    db.set_file("flows.ptl", "flows", flows("the first web server"));
    assert_eq!(portolan_ide::index::file_refs(&db, flows_file).len(), before);
    let ran: Vec<String> = log.take();
    let item_refs = ran.iter().filter(|name| name.as_str() == "item_refs").count();
    assert_eq!(item_refs, 1, "only the edited flow's names are indexed again: {ran:?}");
}

#[test]
fn references_follow_names_through_imports_and_aliases() {
    let (db, _, [components, site, flows_file]) = setup();
    // `web1`, reached from flows.ptl through the alias `first`.
    let at = offset(SITE, "web1", 1);
    let found = portolan_ide::references(&db, site, at, true);
    assert_eq!(texts(&db, &found), ["site.ptl:web1", "flows.ptl:web1", "flows.ptl:first", "flows.ptl:first"]);
    // The port `web` of `Server`: declared in components.ptl, used through two nodes.
    let at = offset(&flows("one"), "first.web", 7);
    let found = portolan_ide::references(&db, flows_file, at, false);
    assert_eq!(texts(&db, &found), ["flows.ptl:web", "flows.ptl:web"]);
    // The parameter `port`: its declaration, its use in the port, and web1's setting.
    let at = offset(COMPONENTS, "param port", 7);
    let found = portolan_ide::references(&db, components, at, true);
    assert_eq!(texts(&db, &found), ["components.ptl:port", "components.ptl:port", "site.ptl:port"]);
}

#[test]
fn rename_keeps_aliases_and_refuses_the_standard_library() {
    let (db, _, [components, site, _]) = setup();
    let edits = portolan_ide::rename(&db, site, offset(SITE, "web1", 0), "front").unwrap();
    let renamed: Vec<String> = texts(&db, &edits.iter().map(|e| e.range).collect::<Vec<_>>());
    // `first` stays: the import `web1 as first` is renamed, the alias and its uses are not.
    assert_eq!(renamed, ["site.ptl:web1", "flows.ptl:web1"]);
    assert!(edits.iter().all(|e| e.text == "front"));

    let https = offset(COMPONENTS, "https on", 1);
    assert_eq!(portolan_ide::prepare_rename(&db, components, https), Err(RenameError::Stdlib("https".into())));
    assert_eq!(
        portolan_ide::rename(&db, site, offset(SITE, "web1", 0), "9lives"),
        Err(RenameError::InvalidName("9lives".into()))
    );
    let module = offset(SITE, "components", 1);
    assert!(matches!(portolan_ide::rename(&db, site, module, "parts"), Err(RenameError::Module(_))));
    assert_eq!(portolan_ide::prepare_rename(&db, site, 0), Err(RenameError::NothingToRename));
}

#[test]
fn hover_evaluates_ports_with_defaults_or_the_nodes_settings() {
    let (db, _, [components, _, flows_file]) = setup();
    let declared = portolan_ide::hover(&db, components, offset(COMPONENTS, "web: https on", 1)).unwrap();
    assert!(declared.markdown.contains("TCP 443 (`tcp/443`)"), "{}", declared.markdown);
    let text = flows("one");
    let on_web1 = portolan_ide::hover(&db, flows_file, offset(&text, "first.web", 7)).unwrap();
    assert!(on_web1.markdown.contains("TCP 8443 (`tcp/8443`) on node `web1`"), "{}", on_web1.markdown);
    let on_web2 = portolan_ide::hover(&db, flows_file, offset(&text, "web2.web", 6)).unwrap();
    assert!(on_web2.markdown.contains("TCP 443 (`tcp/443`) on node `web2`"), "{}", on_web2.markdown);
}

#[test]
fn hover_on_a_flow_shows_each_hops_decision_and_rule() {
    let (mut db, _, [_, _, flows_file]) = setup();
    db.set_file(
        "policy.ptl",
        "policy",
        "use site.*\npolicy {\n    default deny\n    /// The public site.\n    allow internet -> web1 on https \"public\"\n}\n".to_string(),
    );
    let text = flows("one");
    let on_first = portolan_ide::hover(&db, flows_file, offset(&text, "flow users.web -> first", 1)).unwrap();
    assert!(
        on_first.markdown.contains(
            "hop 1: `users` → `web1` on TCP 8443: allowed by `allow internet -> web1 on https`, policy.ptl:5"
        ),
        "{}",
        on_first.markdown
    );
    let on_second = portolan_ide::hover(&db, flows_file, offset(&text, "-> web2", 0)).unwrap();
    assert!(
        on_second.markdown.contains("denied by the default `default deny`, policy.ptl:3: no rule matches"),
        "{}",
        on_second.markdown
    );
}

/// The labels of the completions at the end of `text`, added to the spec as `deploy.ptl`.
fn completions_at_end(db: &mut Database, text: &str) -> Vec<String> {
    let file = db.set_file("deploy.ptl", "deploy", text.to_string());
    portolan_ide::completions(db, file, text.len() as u32).into_iter().map(|c| c.label).collect()
}

#[test]
fn the_outline_lists_a_document_with_its_title() {
    let (mut db, _, _) = setup();
    let text = "/// The matrix.\ndocument \"Firewall requirements\" {\n    sections devices, routes\n}\n";
    let file = db.set_file("document.ptl", "document", text.to_string());
    let symbols = portolan_ide::document_symbols(&db, file);
    let [symbol] = symbols.as_slice() else { panic!("one symbol: {symbols:?}") };
    assert_eq!(symbol.kind, portolan_ide::SymbolKind::Document);
    assert_eq!(symbol.name, "document");
    assert_eq!(symbol.detail.as_deref(), Some("Firewall requirements"));
    assert_eq!(&text[symbol.name_span.start as usize..symbol.name_span.end as usize], "\"Firewall requirements\"");
}

#[test]
fn completion_in_a_sections_list_offers_the_section_names() {
    let (mut db, _, _) = setup();
    let all = ["devices", "diagram", "external", "inbound", "internal", "outbound", "policy", "routes", "zones"];
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(sorted(completions_at_end(&mut db, "document {\n    sections ")), all);
    assert_eq!(sorted(completions_at_end(&mut db, "document {\n    sections dev")), all);
    assert_eq!(sorted(completions_at_end(&mut db, "document {\n    sections devices \"A, b\",\n        ro")), all);
    // Not inside a heading, not after a name without its comma, not outside a document.
    for text in [
        "document {\n    sections devices \"A, ",
        "document {\n    sections devices ",
        "zone z {\n    sections ",
        "document { sections devices }\nzone z { ",
    ] {
        let found = completions_at_end(&mut db, text);
        assert!(!found.contains(&"outbound".to_string()), "{text:?}: {found:?}");
    }
}

#[test]
fn completion_after_use_offers_module_paths_segment_by_segment() {
    let (mut db, _, _) = setup();
    db.set_file("zones/dmz.ptl", "zones.dmz", "zone dmz { trust dmz }\n".to_string());
    let after_use = completions_at_end(&mut db, "use ");
    for expected in [
        "std.",
        "vendor.",
        "std.proto",
        "std.infra",
        "vendor.eko",
        "vendor.onee",
        "vendor.kobil",
        "components",
        "site",
        "flows",
        "zones.",
        "zones.dmz",
    ] {
        assert!(after_use.contains(&expected.to_string()), "`{expected}` missing from {after_use:?}");
    }
    assert!(!after_use.contains(&"deploy".to_string()), "a module does not import itself: {after_use:?}");
    assert!(!after_use.contains(&"flow".to_string()), "no keywords in a module path: {after_use:?}");
    // A word already begun changes nothing: the editor filters.
    assert_eq!(completions_at_end(&mut db, "use ven"), after_use);

    assert_eq!(completions_at_end(&mut db, "use vendor."), ["eko", "kobil", "onee"]);
    assert_eq!(completions_at_end(&mut db, "use vendor.ko"), ["eko", "kobil", "onee"]);
    assert_eq!(completions_at_end(&mut db, "use std."), ["infra", "proto"]);
    assert_eq!(completions_at_end(&mut db, "use zones."), ["dmz"], "`zones` is no module: no `*`");
    // After a whole module: its glob and its list of names; inside the list, its items.
    assert_eq!(completions_at_end(&mut db, "use components."), ["*", "{"]);
    assert_eq!(completions_at_end(&mut db, "use zones.dmz."), ["*", "{"]);
    assert_eq!(completions_at_end(&mut db, "use components.{"), ["Browser", "Server"]);
    assert_eq!(completions_at_end(&mut db, "use components.{Server, "), ["Browser"], "not what is listed");
    assert_eq!(
        completions_at_end(&mut db, "use site.{\n    web1 as first,\n    "),
        ["dc", "internet", "users", "web2"]
    );
    // After the path, and in other items, it is not a module path any more.
    assert_eq!(completions_at_end(&mut db, "use site as "), Vec::<String>::new());
    assert_eq!(completions_at_end(&mut db, "use components.{Server} "), Vec::<String>::new());
    let in_a_zone = completions_at_end(&mut db, "use site\nzone z {\n    node n: ");
    assert!(in_a_zone.contains(&"site".to_string()) && in_a_zone.contains(&"node".to_string()), "{in_a_zone:?}");
}

const STACKS: &str = r#"component Master "Master stack" {
    listen web: https
    listen status: https
    connect db: tds
    connect log: syslog
}
component Response "Response stack" {
    listen api: https
    listen status: https
    connect db: tds
}
component Sql { listen tds: tds }
component Browser { connect web: https }
zone dc {
    node server: Master + Response
    node sql: Sql
    node users[*]: Browser
}
"#;

#[test]
fn completion_on_a_node_of_two_components_offers_the_qualifiers_a_flow_needs() {
    let mut db = Database::new();
    let at_end = |db: &mut Database, line: &str| completions_at_end(db, &format!("{STACKS}{line}"));
    // Outputs: `db` is declared by both components, so a flow needs `server.Master.db`.
    assert_eq!(at_end(&mut db, "flow server."), ["Master", "Response", "log"]);
    assert_eq!(at_end(&mut db, "flow server.Master."), ["db", "log"]);
    assert_eq!(at_end(&mut db, "flow server.Response."), ["db"]);
    // Inputs speaking HTTPS: `status` is both components'.
    assert_eq!(at_end(&mut db, "flow users.web -> server."), ["Master", "Response", "api", "web"]);
    assert_eq!(at_end(&mut db, "flow users.web -> server.Response."), ["api", "status"]);
    // A qualified output on the left picks the inputs of its protocol on the right.
    assert_eq!(at_end(&mut db, "flow server.Master.db -> sql."), ["tds"]);
    // Near miss: a node of one component has no qualifier to offer.
    assert_eq!(at_end(&mut db, "flow users."), ["web"]);

    let file = db.set_file("deploy.ptl", "deploy", format!("{STACKS}flow server."));
    let found = portolan_ide::completions(&db, file, STACKS.len() as u32 + 12);
    let master = found.iter().find(|c| c.label == "Master").unwrap();
    assert_eq!(master.detail.as_deref(), Some("Master stack: for `db`"));
}

#[test]
fn hover_on_a_proxied_flow_cites_the_end_to_end_rule_on_every_hop() {
    let mut db = Database::new();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/P301-policy-violation-end-to-end.ptl"),
    )
    .unwrap();
    let file = db.set_file("site.ptl", "site", text.clone());
    let hover = portolan_ide::hover(&db, file, offset(&text, "flow users.web", 1)).unwrap();
    for hop in ["hop 1: `users` → `proxy` on TCP 443", "hop 2: `proxy` → `console` on TCP 8443"] {
        assert!(
            hover.markdown.contains(&format!("{hop}: denied by `deny flows internet -> console on tcp/8443`")),
            "{hop}: {}",
            hover.markdown
        );
    }
}
