//! `portolan diff` on the vendor examples: each case edits an example's files (a node renamed,
//! moved, added; a port changed; a flow removed, moved, or sent through a proxy; a rule changed; hostile labels) and the
//! diff of the two checked models is snapshotted in all three formats. The Markdown is held to
//! the document checks (no markup or HTML from spec text, every row as wide as its header).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::Path;

use portolan::Severity;
use portolan_model::Model;
use portolan_tests::formats::check_markdown;

/// One edit: in `file`, replace the first `from` with `to`.
type Edit = (&'static str, &'static str, &'static str);

struct Case {
    name: &'static str,
    example: &'static str,
    edits: &'static [Edit],
}

const HOSTILE: &str = r#""a | b <script>alert(1)</script> `code` *bold* _em_ [link](http://x) <!-- c -->\n# heading""#;

const CASES: &[Case] = &[
    Case { name: "unchanged", example: "three-tier", edits: &[] },
    Case {
        name: "rename_node",
        example: "three-tier",
        edits: &[("site.ptl", "node sql \"Database\"", "node db \"Database\""), ("site.ptl", "sql.tds", "db.tds")],
    },
    Case {
        name: "change_port",
        example: "three-tier",
        edits: &[
            ("components.ptl", "param https_port: port = 8443", "param https_port: port = 9443"),
            ("site.ptl", "on tcp/8443", "on tcp/9443"),
        ],
    },
    Case {
        name: "move_flow",
        example: "kobil-mid",
        edits: &[
            ("site.ptl", "flow admins.https -> idp.health \"Health page\"\n", ""),
            ("site.ptl", "flow apps.oidc", "flow admins.https -> idp.health \"Health page\"\nflow apps.oidc"),
        ],
    },
    Case {
        name: "flow_through_a_proxy",
        example: "kobil-mid",
        edits: &[(
            "site.ptl",
            "flow mobile.channel -> ssms.channel route 4",
            "flow mobile.channel -> ssms.channel via nginx route 4",
        )],
    },
    Case {
        name: "remove_flow_add_node",
        example: "kobil-mid",
        edits: &[
            ("site.ptl", "flow admins.https -> idp.health \"Health page\"\n", ""),
            (
                "site.ptl",
                "    node admins[*]",
                "    node auditors[*] \"Auditors\": infra.Browser { address 10.40.201.0/24 }\n    node admins[*]",
            ),
            ("site.ptl", "flow ssms.apns", "flow auditors.https -> idp.health \"Audit health page\"\nflow ssms.apns"),
        ],
    },
    Case {
        name: "move_node_to_another_zone",
        example: "kobil-mid",
        edits: &[
            ("site.ptl", "    node grafana \"Grafana, Loki\": kobil.Grafana { address 10.40.1.20 }\n", ""),
            (
                "site.ptl",
                "    node pooler",
                "    node grafana \"Grafana, Loki\": kobil.Grafana { address 172.18.0.20 }\n    node pooler",
            ),
            (
                "site.ptl",
                "    allow within local\n",
                "    allow within local\n    allow private -> grafana \"dashboards\"\n",
            ),
        ],
    },
    Case {
        name: "change_rule",
        example: "eko-ad-sync",
        edits: &[(
            "site.ptl",
            "allow internet -> adc on https \"authentication and webhooks to EkoADC only\"",
            "allow internet -> adc on https, tcp/8080 \"authentication and webhooks to EkoADC only\"",
        )],
    },
    Case {
        name: "hostile_labels",
        example: "three-tier",
        edits: &[
            ("site.ptl", "\"Route 2: proxy to the application\"", HOSTILE),
            ("site.ptl", "\"public web site\"", HOSTILE),
        ],
    },
];

fn example(name: &str) -> Vec<(String, String)> {
    portolan_tests::read_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name))
}

/// The checked model of these files; the case fails when they do not check.
fn model(case: &str, files: &[(String, String)]) -> Model {
    let spec = portolan_tests::load_files(files);
    let mut diagnostics = spec.problems.clone();
    diagnostics.extend(portolan::diagnostics(&spec.db));
    let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{case}: the edited spec has errors:\n{}", portolan_tests::rendered(&spec.db, &errors));
    portolan::export::export(&spec.db).model
}

fn edited(case: &Case) -> Vec<(String, String)> {
    let mut files = example(case.example);
    for (file, from, to) in case.edits {
        let (_, text) = files.iter_mut().find(|(path, _)| path == file).unwrap_or_else(|| panic!("{file}"));
        assert!(text.contains(from), "{}: `{from}` is not in {file}", case.name);
        *text = text.replacen(from, to, 1);
    }
    files
}

#[test]
fn each_case_in_every_format() {
    for case in CASES {
        let old = model(case.name, &example(case.example));
        let new = model(case.name, &edited(case));
        let diff = portolan_diff::diff(&old, &new);
        assert_eq!(diff.changed, !case.edits.is_empty() && case.name != "move_flow", "{}", case.name);
        let human = portolan_diff::human::render(&diff, false);
        let markdown = portolan_diff::markdown::render(&diff);
        let json = diff.to_json();
        check_markdown(&markdown, case.name);
        serde_json::from_str::<serde_json::Value>(&json).unwrap();
        insta::assert_snapshot!(format!("diff_{}_human", case.name), human);
        insta::assert_snapshot!(format!("diff_{}_markdown", case.name), markdown);
        insta::assert_snapshot!(format!("diff_{}_json", case.name), json);
        // Identical input, identical output.
        assert_eq!(portolan_diff::diff(&old, &new).to_json(), json, "{}", case.name);
    }
}

#[test]
fn hostile_labels_are_escaped_for_markdown_and_the_terminal() {
    let case = CASES.iter().find(|c| c.name == "hostile_labels").unwrap();
    let diff = portolan_diff::diff(&model(case.name, &example(case.example)), &model(case.name, &edited(case)));
    let markdown = portolan_diff::markdown::render(&diff);
    let text = check_markdown(&markdown, case.name);
    // The label reaches the reader as text, whole.
    assert!(text.contains("a | b <script>alert(1)</script> `code` *bold* _em_ [link](http://x)"), "{text}");
    // Every `<` and `|` of spec text is escaped: the only bare `|` are the tables' own.
    assert!(!markdown.contains(" <script"), "{markdown}");
    for line in markdown.lines().filter(|l| l.starts_with("| changed")) {
        assert_eq!(line.replace("\\|", "").matches('|').count(), line.matches(" | ").count() + 2, "{line}");
    }
    let human = portolan_diff::human::render(&diff, false);
    assert!(human.contains(r"<!-- c -->\n# heading"), "the line break is written escaped: {human}");
    assert!(!human.contains("\n# heading"), "{human}");
}

#[test]
fn colour_only_when_asked() {
    let case = CASES.iter().find(|c| c.name == "change_port").unwrap();
    let diff = portolan_diff::diff(&model(case.name, &example(case.example)), &model(case.name, &edited(case)));
    assert!(portolan_diff::human::render(&diff, true).contains("\x1b[32m+\x1b[0m"));
    assert!(!portolan_diff::human::render(&diff, false).contains('\x1b'));
}

#[test]
fn a_rename_is_told_only_by_a_unique_shape() {
    // Renaming one of two nodes of the same component, addresses and zone cannot be told from
    // removing one and adding another, unless its shape is its own.
    let case = CASES.iter().find(|c| c.name == "rename_node").unwrap();
    let diff = portolan_diff::diff(&model(case.name, &example(case.example)), &model(case.name, &edited(case)));
    let renamed: Vec<_> = diff.nodes.iter().filter_map(|c| c.old_name.as_deref()).collect();
    assert_eq!(renamed, ["sql"]);
    let mut files = example("three-tier");
    let site = &mut files.iter_mut().find(|(p, _)| p == "site.ptl").unwrap().1;
    *site = site.replacen(
        "node sql \"Database\": Database { address 10.20.2.5 }",
        "node db \"Database\": Database { address 10.20.2.6 }",
        1,
    );
    *site = site.replacen("sql.tds", "db.tds", 1);
    let diff = portolan_diff::diff(&model("readdressed", &example("three-tier")), &model("readdressed", &files));
    let kinds: Vec<_> = diff.nodes.iter().map(|c| (c.change, c.name.as_str())).collect();
    assert_eq!(kinds, [(portolan_diff::ChangeKind::Added, "db"), (portolan_diff::ChangeKind::Removed, "sql")]);
}
