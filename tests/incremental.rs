//! Which tracked functions re-run after an edit: salsa's `WillExecute` events, counted by name.
//!
//! Editing one flow must re-parse its file and re-check that flow, not the other flows, nodes or
//! components of the workspace.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::collections::BTreeMap;

use portolan::{Database, ExecutionLog};

const COMPONENTS: &str = r#"
component Server "Web server" {
    param port: port = 443
    listen web: https on tcp/port
    connect db: tds "application database"
}
component Sql "SQL Server" {
    listen tds: tds
}
component Browser "Browser" {
    connect web: https
}
"#;

const SITE: &str = r#"
use components.*
zone dc "Data center" {
    trust internal
    cidr 10.0.0.0/16
    node web1: Server { address 10.0.0.11 }
    node web2: Server { address 10.0.0.12 }
    node web3: Server { address 10.0.0.13 }
    node sql: Sql { address 10.0.0.20 }
}
zone internet { trust untrusted  node users[*]: Browser }
policy { default deny  allow internet -> dc on https  allow within dc }
"#;

fn flows(label: &str) -> String {
    let mut text = String::from("use site.*\n");
    for web in ["web1", "web2", "web3"] {
        text.push_str(&format!("flow users.web -> {web}.web \"users to {web}\"\n"));
    }
    text.push_str(&format!("flow web1.db -> sql.tds \"{label}\"\n"));
    text.push_str("flow web2.db -> sql.tds \"web2 database\"\n");
    text.push_str("flow web3.db -> sql.tds \"web3 database\"\n");
    text
}

fn setup() -> (Database, ExecutionLog) {
    let (mut db, log) = Database::with_execution_log();
    db.set_file("components.ptl", "components", COMPONENTS.to_string());
    db.set_file("site.ptl", "site", SITE.to_string());
    db.set_file("flows.ptl", "flows", flows("web1 database"));
    assert!(portolan::diagnostics(&db).is_empty(), "{:#?}", portolan::diagnostics(&db));
    log.take();
    (db, log)
}

/// How many times each tracked function ran.
fn counts(log: &ExecutionLog) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for name in log.take() {
        *counts.entry(name).or_insert(0) += 1;
    }
    counts
}

fn ran(counts: &BTreeMap<String, usize>, name: &str) -> usize {
    counts.get(name).copied().unwrap_or(0)
}

#[test]
fn editing_one_flows_label_rechecks_that_flow_only() {
    let (mut db, log) = setup();
    // A longer label moves every flow after it: their offsets change, their syntax does not.
    db.set_file("flows.ptl", "flows", flows("the database of the first web server"));
    assert!(portolan::diagnostics(&db).is_empty());
    let counts = counts(&log);
    insta::assert_debug_snapshot!("label_edit", counts);

    assert_eq!(ran(&counts, "parse_file"), 1, "only the edited file is parsed again");
    assert_eq!(ran(&counts, "flow_info"), 1, "only the edited flow is resolved again");
    assert_eq!(ran(&counts, "item_diagnostics"), 1, "only the edited flow is checked again");
    assert_eq!(ran(&counts, "file_diagnostics"), 1, "only the edited file's diagnostics are collected again");
    assert_eq!(ran(&counts, "file_hops"), 1, "only the edited file's hops are gathered again");
    assert_eq!(ran(&counts, "file_policy"), 0, "the hops did not change, so the policy is not applied again");
    for untouched in [
        "node_info",
        "component_info",
        "zone_info",
        "policy_info",
        "protocol_info",
        "spec_usage",
        "spec_policy",
        "module_scope",
    ] {
        assert_eq!(ran(&counts, untouched), 0, "`{untouched}` must not re-run after a label edit");
    }
}

#[test]
fn removing_one_flow_rechecks_the_node_it_served() {
    let (mut db, log) = setup();
    // Without its database flow, web3's output is unmatched.
    let edited = flows("web1 database").replace("flow web3.db -> sql.tds \"web3 database\"\n", "");
    db.set_file("flows.ptl", "flows", edited);
    let diagnostics = portolan::diagnostics(&db);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["P201"], "{diagnostics:#?}");
    let counts = counts(&log);
    insta::assert_debug_snapshot!("flow_removed", counts);

    assert_eq!(ran(&counts, "flow_info"), 0, "the other flows are not resolved again");
    assert_eq!(ran(&counts, "node_info"), 0, "nodes are not resolved again");
    assert_eq!(ran(&counts, "spec_usage"), 1, "the spec-wide usage is merged again");
    assert_eq!(ran(&counts, "item_diagnostics"), 1, "only web3, whose output lost its flow, is checked again");
}

#[test]
fn editing_a_components_title_reresolves_no_flow() {
    let (mut db, log) = setup();
    db.set_file("components.ptl", "components", COMPONENTS.replace("\"SQL Server\"", "\"Microsoft SQL Server\""));
    assert!(portolan::diagnostics(&db).is_empty());
    let counts = counts(&log);
    assert_eq!(ran(&counts, "parse_file"), 1, "only components.ptl is parsed again");
    assert_eq!(ran(&counts, "component_info"), 1, "only the edited component is resolved again");
    assert_eq!(ran(&counts, "node_info"), 1, "only the node built from it is resolved again");
    assert_eq!(ran(&counts, "flow_info"), 0, "the node's ports did not change, so no flow is resolved again");
}

#[test]
fn changing_a_port_reresolves_the_flows_to_it() {
    let (mut db, log) = setup();
    db.set_file("components.ptl", "components", COMPONENTS.replace("listen tds: tds", "listen tds: tds on tcp/1444"));
    assert!(portolan::diagnostics(&db).is_empty());
    let counts = counts(&log);
    assert_eq!(ran(&counts, "node_info"), 1, "only the SQL node's ports changed");
    assert_eq!(ran(&counts, "flow_info"), 3, "the three database flows, not the three flows to the web servers");
}

#[test]
fn one_edit_in_a_hundred_flows_resolves_one_flow() {
    let (mut db, log) = Database::with_execution_log();
    db.set_file("components.ptl", "components", COMPONENTS.to_string());
    db.set_file("site.ptl", "site", SITE.to_string());
    let many = |changed: &str| {
        let mut text = String::from("use site.*\n");
        for i in 0..100 {
            let label = if i == 50 { changed.to_string() } else { format!("route {i}") };
            let web = ["web1", "web2", "web3"][i % 3];
            text.push_str(&format!("flow users.web -> {web}.web \"{label}\"\n"));
        }
        text.push_str("flow web1.db -> sql.tds\nflow web2.db -> sql.tds\nflow web3.db -> sql.tds\n");
        text
    };
    db.set_file("flows.ptl", "flows", many("route 50"));
    assert!(portolan::diagnostics(&db).is_empty());
    log.take();
    db.set_file("flows.ptl", "flows", many("route fifty, relabelled"));
    assert!(portolan::diagnostics(&db).is_empty());
    let counts = counts(&log);
    assert_eq!(ran(&counts, "flow_info"), 1, "{counts:#?}");
    assert_eq!(ran(&counts, "item_diagnostics"), 1, "{counts:#?}");
}

#[test]
fn diagnostics_move_with_their_item() {
    // A cached diagnostic keeps pointing at its item when an edit above moves that item.
    let (mut db, _log) = setup();
    let broken = flows("web1 database").replace("flow web3.db -> sql.tds", "flow web3.db -> sql.nothing");
    db.set_file("flows.ptl", "flows", broken.clone());
    let before = portolan::diagnostics(&db);
    let shifted = format!("// a new first line\n{broken}");
    db.set_file("flows.ptl", "flows", shifted.clone());
    let after = portolan::diagnostics(&db);
    let span = |d: &[portolan::Diagnostic]| d[0].location().map(|l| l.span).unwrap();
    let (b, a) = (span(&before), span(&after));
    assert_eq!(a.start - b.start, "// a new first line\n".len() as u32);
    assert_eq!(&shifted[a.start as usize..a.end as usize], "nothing");
}

#[test]
fn a_nodes_quick_fix_does_not_tie_its_check_to_its_files_text() {
    // A node with an unmatched output offers "add a flow" at the end of its file; editing a
    // flow's label in that file must still re-check only the flow.
    let (mut db, log) = Database::with_execution_log();
    let spec = |label: &str| {
        format!(
            "component A {{\n    connect x: https\n    listen y: https optional\n}}\nzone z {{\n    node n: A\n    node m: A\n}}\nflow m.x -> n.y \"{label}\"\n"
        )
    };
    db.set_file("a.ptl", "a", spec("one"));
    let before = portolan::diagnostics(&db);
    assert_eq!(before.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["P201"]);
    log.take();
    db.set_file("a.ptl", "a", spec("two, longer"));
    let after = portolan::diagnostics(&db);
    let counts = counts(&log);
    assert_eq!(ran(&counts, "item_diagnostics"), 1, "{counts:#?}");
    // The suggested flow is appended at the end of the file as it is now.
    let edit = &after[0].fixes[0].edits[0];
    let text = spec("two, longer");
    assert_eq!(edit.location.span.start as usize, text.len());
}

#[test]
fn parsing_again_after_edits_gives_what_a_fresh_database_gives() {
    let (mut db, _log) = setup();
    let steps: Vec<String> = vec![
        flows("edited"),
        // Two edits with no check between them, the second breaking a flow.
        flows("edited twice"),
        flows("edited twice").replace("web2.db -> sql.tds", "web2.db -> sql.tds tds"),
        // Back to a text parsed before, then a flow removed and one duplicated.
        flows("web1 database"),
        flows("web1 database").replace("flow web3.db -> sql.tds \"web3 database\"\n", ""),
        flows("web1 database") + "flow web2.db -> sql.tds \"web2 database\"\n",
    ];
    for (i, text) in steps.iter().enumerate() {
        db.set_file("flows.ptl", "flows", text.clone());
        if i == 1 {
            continue;
        }
        let file = db.file("flows.ptl").expect("the file is in the database");
        let reused = portolan::items::parse_file(&db, file);
        assert_eq!(**reused, portolan_syntax::parse(text), "step {i}");
        let mut fresh = Database::new();
        fresh.set_file("components.ptl", "components", COMPONENTS.to_string());
        fresh.set_file("site.ptl", "site", SITE.to_string());
        fresh.set_file("flows.ptl", "flows", text.clone());
        let rendered = |db: &Database| portolan::render::json(db, &portolan::diagnostics(db));
        assert_eq!(rendered(&db), rendered(&fresh), "step {i}");
    }
}

/// Found by fuzzing (the database of a fuzz target grew with every run that dropped a file and
/// a later one that had it again): removing a file and adding it back made a new salsa input each
/// time, and salsa never frees an input, so every removed file's text, parse and checks stayed
/// for as long as the database lived (a language server's, across closing and reopening an
/// unsaved document).
#[test]
fn a_file_removed_and_added_again_takes_its_input_back() {
    let (mut db, log) = setup();
    let file = db.file("flows.ptl").expect("the file is in the database");
    db.remove_file("flows.ptl");
    assert!(db.file("flows.ptl").is_none());
    let codes: Vec<&str> = portolan::diagnostics(&db).iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"P201"), "without the flows, outputs are unmatched: {codes:?}");
    log.take();

    let again = db.set_file("flows.ptl", "flows", flows("web1 database"));
    assert_eq!(again, file, "a new input for a path the database held before");
    assert!(portolan::diagnostics(&db).is_empty());
    assert_eq!(ran(&counts(&log), "parse_file"), 0, "the unchanged file is not parsed again");

    // Removed and added back with other text and another module, it is that text and module.
    db.remove_file("flows.ptl");
    let edited = flows("web1 database").replace("flow web3.db -> sql.tds \"web3 database\"\n", "");
    assert_eq!(db.set_file("flows.ptl", "flows2", edited.clone()), file);
    assert_eq!(file.text(&db), &edited);
    assert_eq!(file.module(&db), "flows2");
    let codes: Vec<&str> = portolan::diagnostics(&db).iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["P201"]);
}

#[test]
fn a_flow_files_diagnostics_do_not_wait_for_the_policy_analyses() {
    let (mut db, log) = setup();
    // Without the users' flows, `allow internet -> dc on https` matches no hop: which rules are
    // used changes, and the policy's file gets a warning (P303).
    let edited: String =
        flows("web1 database").lines().filter(|l| !l.contains("users.web")).map(|l| format!("{l}\n")).collect();
    let file = db.set_file("flows.ptl", "flows", edited);
    let _ = portolan::collect::file_diagnostics(&db, file);
    let first = counts(&log);
    assert_eq!(ran(&first, "file_policy"), 1, "the edited file's hops are decided again");
    for later in ["used_rules", "spec_policy_diagnostics", "default_reached"] {
        assert_eq!(ran(&first, later), 0, "`{later}` belongs to the policy's file, not to a flow file");
    }
    let site = db.file("site.ptl").unwrap();
    let diagnostics = portolan::collect::file_diagnostics(&db, site);
    assert!(diagnostics.iter().any(|d| d.code.as_str() == "P303"), "{diagnostics:#?}");
    assert_eq!(ran(&counts(&log), "used_rules"), 1);
}
