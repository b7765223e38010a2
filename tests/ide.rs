//! The editor layer (`portolan::ide`) on the database: the name index stays incremental, and
//! references and rename follow names across files, imports and aliases.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use portolan::ide::{self, RenameError};
use portolan::{Database, SourceFile};

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

fn texts(db: &Database, ranges: &[ide::FileRange]) -> Vec<String> {
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
    let before = ide::index::file_refs(&db, flows_file).len();
    log.take();
    db.set_file("flows.ptl", "flows", flows("the first web server"));
    assert_eq!(ide::index::file_refs(&db, flows_file).len(), before);
    let ran: Vec<String> = log.take();
    let item_refs = ran.iter().filter(|name| name.as_str() == "item_refs").count();
    assert_eq!(item_refs, 1, "only the edited flow's names are indexed again: {ran:?}");
}

#[test]
fn references_follow_names_through_imports_and_aliases() {
    let (db, _, [components, site, flows_file]) = setup();
    // `web1`, reached from flows.ptl through the alias `first`.
    let at = offset(SITE, "web1", 1);
    let found = ide::references(&db, site, at, true);
    assert_eq!(texts(&db, &found), ["site.ptl:web1", "flows.ptl:web1", "flows.ptl:first", "flows.ptl:first"]);
    // The port `web` of `Server`: declared in components.ptl, used through two nodes.
    let at = offset(&flows("one"), "first.web", 7);
    let found = ide::references(&db, flows_file, at, false);
    assert_eq!(texts(&db, &found), ["flows.ptl:web", "flows.ptl:web"]);
    // The parameter `port`: its declaration, its use in the port, and web1's setting.
    let at = offset(COMPONENTS, "param port", 7);
    let found = ide::references(&db, components, at, true);
    assert_eq!(texts(&db, &found), ["components.ptl:port", "components.ptl:port", "site.ptl:port"]);
}

#[test]
fn rename_keeps_aliases_and_refuses_the_standard_library() {
    let (db, _, [components, site, _]) = setup();
    let edits = ide::rename(&db, site, offset(SITE, "web1", 0), "front").unwrap();
    let renamed: Vec<String> = texts(&db, &edits.iter().map(|e| e.range).collect::<Vec<_>>());
    // `first` stays: the import `web1 as first` is renamed, the alias and its uses are not.
    assert_eq!(renamed, ["site.ptl:web1", "flows.ptl:web1"]);
    assert!(edits.iter().all(|e| e.text == "front"));

    let https = offset(COMPONENTS, "https on", 1);
    assert_eq!(ide::prepare_rename(&db, components, https), Err(RenameError::Stdlib("https".into())));
    assert_eq!(
        ide::rename(&db, site, offset(SITE, "web1", 0), "9lives"),
        Err(RenameError::InvalidName("9lives".into()))
    );
    let module = offset(SITE, "components", 1);
    assert!(matches!(ide::rename(&db, site, module, "parts"), Err(RenameError::Module(_))));
    assert_eq!(ide::prepare_rename(&db, site, 0), Err(RenameError::NothingToRename));
}

#[test]
fn hover_evaluates_ports_with_defaults_or_the_nodes_settings() {
    let (db, _, [components, _, flows_file]) = setup();
    let declared = ide::hover(&db, components, offset(COMPONENTS, "web: https on", 1)).unwrap();
    assert!(declared.markdown.contains("TCP 443 (`tcp/443`)"), "{}", declared.markdown);
    let text = flows("one");
    let on_web1 = ide::hover(&db, flows_file, offset(&text, "first.web", 7)).unwrap();
    assert!(on_web1.markdown.contains("TCP 8443 (`tcp/8443`) on node `web1`"), "{}", on_web1.markdown);
    let on_web2 = ide::hover(&db, flows_file, offset(&text, "web2.web", 6)).unwrap();
    assert!(on_web2.markdown.contains("TCP 443 (`tcp/443`) on node `web2`"), "{}", on_web2.markdown);
}
