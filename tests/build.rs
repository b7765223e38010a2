//! `portolan build`'s emitters: insta snapshots of every target for three examples, every
//! example builds, identical input gives identical bytes, and hostile titles and labels come
//! out escaped, checked with Rust parsers (JSON, Markdown, XML for HTML and SVG); a property
//! test feeds random hostile text through them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::Path;

use portolan_emit::{Output, Target, emit};
use portolan_tests as support;
use proptest::prelude::*;

const SNAPSHOT_EXAMPLES: &[&str] = &["three-tier", "sync-proxy", "portal"];

fn example(name: &str) -> Vec<(String, String)> {
    support::read_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name))
}

fn target_of(output: &Output) -> &'static str {
    let path = output.path.to_string_lossy();
    match output.path.extension().and_then(|e| e.to_str()) {
        _ if path.starts_with("aerleon/") => "aerleon",
        _ if path.starts_with("probes/") => "probes",
        Some("json") => "json",
        Some("nft") => "nftables",
        Some("iptables" | "ip6tables") => "iptables",
        Some("md") => "markdown",
        Some("html") => "html",
        Some("dot") => "dot",
        Some("mmd") => "mermaid",
        Some("svg") => "svg",
        other => panic!("an output of no known target: {path} ({other:?})"),
    }
}

#[test]
fn snapshots_of_every_target() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    for name in SNAPSHOT_EXAMPLES {
        let outputs = support::build(&example(name)).unwrap_or_else(|e| panic!("{name} does not build:\n{e}"));
        for target in Target::ALL {
            let text: String = outputs
                .iter()
                .filter(|o| target_of(o) == target.name())
                .map(|o| format!("=== {} ===\n{}", o.path.display(), o.text))
                .collect();
            assert!(!text.is_empty(), "{name}: no output for {}", target.name());
            settings.bind(|| insta::assert_snapshot!(format!("build-{name}-{}", target.name()), text));
        }
    }
}

#[test]
fn every_example_builds_every_target() {
    let examples = support::examples();
    assert!(examples.len() >= 3, "examples/ holds fewer than three examples");
    for dir in examples {
        let outputs = support::build(&support::read_folder(&dir))
            .unwrap_or_else(|e| panic!("{} does not build:\n{e}", dir.display()));
        for target in Target::ALL {
            assert!(
                outputs.iter().any(|o| target_of(o) == target.name()),
                "{}: nothing for {}",
                dir.display(),
                target.name()
            );
        }
    }
}

#[test]
fn identical_input_gives_identical_bytes() {
    for dir in support::examples() {
        let files = support::read_folder(&dir);
        let first = support::build(&files).unwrap();
        // A second database, the files added in the opposite order.
        let reversed: Vec<_> = files.iter().rev().cloned().collect();
        let second = support::build(&reversed).unwrap();
        assert_eq!(first, second, "{}: two builds differ", dir.display());
    }
}

#[test]
fn many_hosts_come_out_in_model_order_each_with_its_own_rules() {
    // Enough hosts that the rule targets write them on several threads.
    let mut spec = String::from(
        "component Web { listen web: https  connect up: https optional }\nzone dc {\n    trust internal\n    cidr 10.0.0.0/16\n",
    );
    for i in 0..100 {
        spec.push_str(&format!("    node web{i}: Web {{ address 10.0.{}.{} }}\n", i / 200, i % 200 + 1));
    }
    spec.push_str("}\n");
    for i in 0..100 {
        spec.push_str(&format!("flow web{}.up -> web{i}.web \"to {i}\"\n", (i + 1) % 100));
    }
    let db = support::database(&[("hosts.ptl".to_string(), spec)]);
    assert!(portolan::diagnostics(&db).is_empty(), "{:#?}", portolan::diagnostics(&db));
    let model = portolan::export::export(&db).model;
    for (target, folder, extension) in
        [(Target::Iptables, "iptables", "iptables"), (Target::Nftables, "nftables", "nft")]
    {
        let outputs = emit(&model, target).unwrap();
        let paths: Vec<String> = outputs.iter().map(|o| o.path.to_string_lossy().into_owned()).collect();
        let expected: Vec<String> = model.nodes.iter().map(|n| format!("{folder}/{}.{extension}", n.name)).collect();
        assert_eq!(paths, expected, "{}", target.name());
        for (output, node) in outputs.iter().zip(&model.nodes) {
            assert!(output.text.contains(&format!("\"to {}\"", &node.name[3..])), "{} lacks its input rule", node.name);
        }
    }
}

#[test]
fn every_hop_appears_in_every_rule_output() {
    for dir in support::examples() {
        let db = support::database(&support::read_folder(&dir));
        let model = portolan::export::export(&db).model;
        for target in [Target::Nftables, Target::Iptables, Target::Aerleon] {
            let text: String = emit(&model, target).unwrap().iter().map(|o| o.text.clone()).collect();
            for flow in model.flows.iter() {
                let needle = format!("{}.{} -> {}.{}", flow.from.node, flow.from.port, flow.to.node, flow.to.port);
                assert!(text.contains(&needle), "{}: {} does not mention {needle}", dir.display(), target.name());
            }
        }
    }
}

#[test]
fn a_node_without_address_in_a_zone_without_cidr_fails_rule_targets() {
    let db = support::spec(
        "component A { connect db: tds }\ncomponent S { listen tds: tds }\n\
         zone dc { node a: A { address 10.0.0.1 }  node s: S }\nflow a.db -> s.tds\n",
    );
    let export = portolan::export::export(&db);
    assert_eq!(support::codes(&export.rule_problems), vec!["P603"]);
    assert!(emit(&export.model, Target::Nftables).is_err(), "an emitter wrote a rule for a node without address");
    assert!(emit(&export.model, Target::Markdown).is_ok(), "documentation needs no address");
}

#[test]
fn a_hop_between_internet_nodes_is_named_in_every_rule_output() {
    let spec = "component C { peer p2p: tcp on tcp/7000  connect web: https }\ncomponent S { listen web: https }\n\
                zone internet { trust untrusted  node clients[*]: C }\n\
                zone dc { node s: S { address 10.0.0.1 } }\n\
                flow clients.p2p -> clients.p2p \"clients among themselves\"\nflow clients.web -> s.web\n";
    let model = portolan::export::export(&support::spec(spec)).model;
    for target in [Target::Nftables, Target::Iptables, Target::Aerleon] {
        let text: String = emit(&model, target).unwrap().iter().map(|o| o.text.clone()).collect();
        assert!(text.contains("Flow 1 (clients.p2p -> clients.p2p) is between nodes on the internet"), "{text}");
    }
    let only_internet = "component C { peer p2p: tcp on tcp/7000 }\nzone internet { trust untrusted  node c[*]: C }\n\
                         flow c.p2p -> c.p2p\n";
    let model = portolan::export::export(&support::spec(only_internet)).model;
    assert!(emit(&model, Target::Nftables).is_err(), "a hop no rule file names was dropped");
}

/// Found by a user: a node named with 300 characters made `portolan build` fail with "File
/// name too long". Long names give short, safe file names, and identifiers within each
/// target's limits, unique and the same from build to build (the real tools' verdict is in
/// `validate.rs`).
#[test]
fn long_names_give_short_file_names_and_identifiers_within_limits() {
    let files = support::split_files(&support::long_names());
    let outputs = support::build(&files).unwrap_or_else(|e| panic!("the spec does not build:\n{e}"));
    assert_eq!(outputs, support::build(&files).unwrap(), "two builds differ");
    let mut seen = std::collections::BTreeSet::new();
    for output in &outputs {
        let path = output.path.to_string_lossy();
        let name = output.path.file_name().unwrap().to_string_lossy();
        assert!(name.len() <= 100 + ".ip6tables".len(), "a long file name: {path}");
        assert!(seen.insert(path.to_lowercase()), "two files named {path} but for case");
        let lines = output.text.lines();
        match target_of(output) {
            "nftables" => {
                for set in output.text.split('@').skip(1).map(|s| s.split(' ').next().unwrap()) {
                    assert!(set.len() <= 255, "{path}: a set name of {} bytes", set.len());
                }
            }
            "iptables" => {
                let longest = lines.map(str::len).max().unwrap_or(0);
                assert!(longest < 10 * 1024, "{path}: a line of {longest} bytes, longer than iptables-restore reads");
            }
            "aerleon" if path.starts_with("aerleon/def/") => {
                for token in lines.filter(|l| l.starts_with("  ") && !l.starts_with("   ")) {
                    assert!(token.trim().len() <= 32, "{path}: a token longer than 31 characters: {token}");
                }
            }
            "dot" => {
                for quoted in output.text.split('"').skip(1).step_by(2) {
                    assert!(quoted.len() < 16 * 1024, "{path}: a string longer than Graphviz reads");
                }
            }
            _ => {}
        }
    }
    let nft: Vec<_> = outputs.iter().filter(|o| target_of(o) == "nftables").collect();
    assert_eq!(nft.len(), 3, "one file per host");
    let long = format!("nftables/{}-", "n".repeat(83));
    assert!(nft.iter().any(|o| o.path.to_string_lossy().starts_with(&long)), "the file name starts like the name");
}

/// The hostile spec's files.
fn hostile(outputs: &[Output], path: &str) -> String {
    outputs.iter().find(|o| o.path == Path::new(path)).map(|o| o.text.clone()).unwrap()
}

/// What a title or label becomes in a one-line context: control characters as spaces.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || c == '\u{2028}' || c == '\u{2029}' { ' ' } else { c }).collect()
}

fn check_json(text: &str, label: &str) {
    let value: serde_json::Value = serde_json::from_str(text).expect("model.json is JSON");
    assert_eq!(value["flows"][0]["label"].as_str(), Some(label));
}

fn check_markdown(text: &str, label: &str) {
    let texts = support::formats::check_markdown(text, "ports.md");
    let label = one_line(label);
    assert!(texts.contains(label.trim()), "the label does not come out as text: {label}");
}

fn check_xml(text: &str, label: &str, what: &str) {
    let all = support::formats::check_xml(text, what);
    // XML keeps tabs and line breaks; other control characters become spaces.
    let expected: String =
        label.chars().map(|c| if c.is_control() && c != '\t' && c != '\n' { ' ' } else { c }).collect();
    assert!(all.contains(&expected), "{what}: the label does not come out as text");
}

fn check_text_targets(files: &[(String, String)], label: &str) {
    let outputs = support::build(files).unwrap_or_else(|e| panic!("the spec does not build:\n{e}"));
    check_json(&hostile(&outputs, "model.json"), label);
    check_markdown(&hostile(&outputs, "ports.md"), label);
    check_xml(&hostile(&outputs, "ports.html"), label, "ports.html");
    let svg = hostile(&outputs, "diagram.svg");
    roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("diagram.svg is not well-formed: {e}"));
}

#[test]
fn hostile_strings_come_out_escaped() {
    let files = support::split_files(support::HOSTILE);
    let label = "Route 1: \"quoted\" ; } \n -A INPUT -j ACCEPT # </script> | `tick` {brace} \\";
    check_text_targets(&files, label);
}

/// Found with the YAML check of the `build_all` fuzz target: a title with a line or paragraph
/// separator ended a comment line of Aerleon's YAML early (PyYAML reads them as line breaks, so
/// the rest of the title became YAML), and U+FFFE or U+FFFF made PyYAML reject the whole file.
/// Comments in rule files are one line in every reader.
#[test]
fn rule_file_comments_hold_no_line_separator_or_noncharacter() {
    let spec = "protocol p \"P\u{2029}proto: x\" = tcp/1000\n\
                component S { listen l: p }\ncomponent C { connect l: p }\n\
                zone dc { cidr 10.0.0.0/8  node s \"S\u{2028}filters: x\u{ffff}\": S { address 10.0.0.1 } }\n\
                zone lan { cidr 10.1.0.0/16  node c \"C\u{fffe}\": C { address 10.1.0.1 } }\n\
                flow c.l -> s.l \"L\u{2028}x: y\u{ffff}\"\n";
    let outputs =
        support::build(&support::split_files(spec)).unwrap_or_else(|e| panic!("the spec does not build:\n{e}"));
    for output in outputs.iter().filter(|o| matches!(target_of(o), "aerleon" | "nftables" | "iptables")) {
        let bad =
            output.text.chars().find(|c| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'));
        assert_eq!(bad, None, "{}:\n{}", output.path.display(), output.text);
    }
}

/// Text of any Unicode that a spec string can hold, heavy in characters the targets treat
/// specially.
fn hostile_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "\"",
        "\\",
        "\n",
        "\t",
        ";",
        "|",
        "`",
        "{",
        "}",
        "[",
        "]",
        "<",
        ">",
        "&",
        "#",
        "$",
        "*",
        "_",
        "<script>",
        "</script>",
        "]]>",
        "-->",
        "1. ",
        "- ",
        "\u{2028}",
        "é",
        "中",
        "🚀",
        " ",
        "a",
        "Z",
        "0",
    ]);
    prop::collection::vec(prop_oneof![special.prop_map(str::to_string), "[ -~]{1,3}"], 1..24)
        .prop_map(|parts| parts.concat())
        .prop_filter("a label that is only blanks is a different test", |s| !s.trim().is_empty())
}

/// A spec string literal for `text`.
fn literal(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn random_hostile_titles_and_labels_never_break_a_target(label in hostile_text(), title in hostile_text()) {
        let spec = format!(
            "component S {title} {{ listen web: https {title} }}\ncomponent B {{ connect web: https }}\n\
             zone dc {title} {{ cidr 10.0.0.0/8  node s {title}: S {{ address 10.0.0.1 }} }}\n\
             zone internet {{ trust untrusted  node b[*] {title}: B }}\nflow b.web -> s.web {label}\n\
             document {title} {{ }}\n",
            title = literal(&title),
            label = literal(&label),
        );
        check_text_targets(&support::split_files(&spec), &label);
    }
}

/// The policy as the documents render it (rules, zone × zone, cleartext, per-node tables), for
/// the vendor examples whose policies say the most.
#[test]
fn snapshots_of_the_rendered_policy() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    for name in ["kobil-mid", "1e-dmz", "eko-ad-sync-proxy"] {
        let outputs = support::build(&example(name)).unwrap_or_else(|e| panic!("{name} does not build:\n{e}"));
        let markdown = outputs.iter().find(|o| target_of(o) == "markdown").expect("ports.md");
        let policy = markdown.text.split_once("\n## Policy\n").map(|(_, p)| p).expect("a policy section");
        // The policy section ends where the next section starts, when the document has one after it.
        let policy = policy.split_once("\n## ").map_or(policy, |(p, _)| p);
        settings.bind(|| insta::assert_snapshot!(format!("policy-{name}"), policy));
    }
}

/// The port-matrix document of each vendor example, whole: the sections its `document` picks,
/// under the vendor page's headings.
#[test]
fn snapshots_of_the_vendor_documents() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    for name in ["kobil-mid", "eko-ad-sync", "eko-ad-sync-proxy", "1e-single-server", "1e-dmz"] {
        let outputs = support::build(&example(name)).unwrap_or_else(|e| panic!("{name} does not build:\n{e}"));
        let markdown = outputs.iter().find(|o| target_of(o) == "markdown").expect("ports.md");
        settings.bind(|| insta::assert_snapshot!(format!("document-{name}"), markdown.text));
    }
}

/// Labels that would run a command if a probe script let the shell read them unquoted.
const INJECTING: &[&str] = &[
    "$(touch injected-dollar)",
    "`touch injected-backtick`",
    "it's '; touch injected-quote; '",
    "\"; touch injected-double; \"",
    "line\ntouch injected-newline\n",
    "${HOME:+x}$((1+1)) \\ ; | & > injected-redirect",
];

/// Runs `sh` with `args` in `dir`; its status and standard output.
fn sh(dir: &Path, args: &[&str], wrapper: &[&str]) -> (std::process::ExitStatus, String) {
    let mut command = match wrapper {
        [program, rest @ ..] => {
            let mut c = std::process::Command::new(program);
            c.args(rest).arg("sh");
            c
        }
        [] => std::process::Command::new("sh"),
    };
    let output = command.args(args).current_dir(dir).env("PORTOLAN_PROBE_TIMEOUT", "0.2").output().unwrap();
    (output.status, String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn the_shell_quote_gives_back_the_text_as_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for text in INJECTING.iter().copied().chain([support::HOSTILE, "", "'", "''\\'"]) {
        let script = format!("printf '%s' {}", portolan_emit::shell_quote(text));
        let out = std::process::Command::new("sh").arg("-c").arg(&script).current_dir(dir.path()).output().unwrap();
        assert!(out.status.success(), "{script}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), one_line(text), "{script}");
    }
    assert_eq!(walk(dir.path()).len(), 0, "a quoted text was executed");
}

#[test]
fn probe_scripts_run_hostile_labels_and_titles_as_text() {
    let mut spec = String::from(
        "component S \"S $(touch injected-title) `x`\" { listen web: https }\ncomponent C { connect web: https }\n\
         zone dc \"DC'; touch injected-zone; '\" { cidr 10.0.0.0/8\n\
         node s \"S\\n$(touch injected-node)\": S { address 10.0.0.1 }\n",
    );
    for i in 0..INJECTING.len() {
        spec.push_str(&format!("node c{i}: C {{ address 10.0.1.{} }}\n", i + 1));
    }
    spec.push_str("}\n");
    for (i, label) in INJECTING.iter().enumerate() {
        spec.push_str(&format!("flow c{i}.web -> s.web {}\n", literal(label)));
    }
    let outputs = support::build(&support::split_files(&spec)).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let probes: Vec<_> = outputs.iter().filter(|o| target_of(o) == "probes").cloned().collect();
    support::write_outputs(dir.path(), &probes).unwrap();
    let written: std::collections::BTreeSet<_> = walk(dir.path());
    let root = std::process::Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    for (i, label) in INJECTING.iter().enumerate() {
        let script = format!("probes/c{i}.sh");
        let (status, out) = sh(dir.path(), &[&script, "-n"], &[]);
        assert!(status.success(), "{script} -n failed:\n{out}");
        assert!(out.contains(&one_line(label)), "{script} does not print its label as text:\n{out}");
        assert!(out.contains("plan open    tcp 10.0.0.1 port 443"), "{out}");
        // Sent for real, in an empty network namespace of its own: every probe fails at once
        // (no route), so the script exits 1; and nothing is executed either way.
        if root {
            let (status, out) = sh(dir.path(), &[&script], &["unshare", "--net"]);
            assert_eq!(status.code(), Some(1), "{script} in an empty namespace:\n{out}");
            assert!(out.contains("FAIL open    tcp 10.0.0.1 port 443"), "{out}");
        }
    }
    assert_eq!(walk(dir.path()), written, "a probe script created a file: a label was executed");
}

fn walk(dir: &Path) -> std::collections::BTreeSet<std::path::PathBuf> {
    let mut out = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.insert(path);
    }
    out
}
