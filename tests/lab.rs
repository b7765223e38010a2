//! `portolan lab` on a real kernel: every example and a generated spec pass with both rule
//! targets, the probe scripts pass inside the lab, and rule files changed by hand — one accept
//! too many, one rule removed — are each caught and explained. Needs root (network namespaces):
//! without it each test skips with the reason, and fails when `CI=true`. After each lab, no
//! namespace of this process is left.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::process::Command;
use std::sync::Mutex;

use portolan_emit::{Output, Target, emit};
use portolan_lab::{Options, Report, Rules};
use portolan_model::Model;
use portolan_tests as support;

/// One lab at a time in this process, so that "no namespace left" is exact.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Whether the lab can run; without root or its tools the test skips, or fails on CI.
fn can_run(rules: Rules) -> bool {
    match portolan_lab::preflight(rules) {
        Ok(()) => true,
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("the lab cannot run on CI: {e}"),
        Err(e) => {
            eprintln!("skipped: the lab cannot run here: {e}");
            false
        }
    }
}

/// The namespaces this process has left behind.
fn leftovers() -> Vec<String> {
    let out = Command::new("ip").args(["netns", "list"]).output().unwrap();
    let prefix = format!("ptl{}-", std::process::id());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| n.starts_with(&prefix))
        .map(str::to_string)
        .collect()
}

fn model_of(files: &[(String, String)]) -> Model {
    let db = support::database(files);
    let errors: Vec<_> =
        portolan::diagnostics(&db).into_iter().filter(|d| d.severity == portolan::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    portolan::export::export(&db).model
}

/// Runs the lab with the given files and checks that it left no namespace, whatever happened.
fn lab(model: &Model, rules: &[Output], probes: &[Output], options: &Options) -> Report {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let result = portolan_lab::run_with_files(model, rules, probes, options);
    assert_eq!(leftovers(), Vec::<String>::new(), "the lab left namespaces behind");
    result.unwrap_or_else(|e| panic!("the lab could not run: {e}"))
}

fn built(model: &Model, rules: Rules) -> (Vec<Output>, Vec<Output>) {
    (emit(model, rules.target()).unwrap(), emit(model, Target::Probes).unwrap())
}

fn assert_passes(name: &str, model: &Model, rules: Rules) {
    let (files, probes) = built(model, rules);
    let report = lab(model, &files, &probes, &Options::new(rules));
    assert_eq!(report.exit_code(), 0, "{name} with {}:\n{}", rules.name(), report.human());
    assert!(report.rows.iter().all(|r| r.probes > 0 && r.open == r.probes), "{name}: a hop not probed open");
    assert!(report.scripts.iter().all(|s| s.passed), "{name}: a probe script failed:\n{}", report.human());
    assert!(report.scripts.iter().any(|s| s.probes > 0), "{name}: no probe script probed anything");
    assert!(report.refused.iter().all(|(_, n)| *n > 0), "{name}: nothing probed that must be refused");
}

fn every_example(rules: Rules) {
    if !can_run(rules) {
        return;
    }
    let examples = support::examples();
    assert!(examples.len() >= 3);
    for dir in examples {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert_passes(&name, &model_of(&support::read_folder(&dir)), rules);
    }
}

#[test]
fn every_example_passes_with_nftables() {
    every_example(Rules::Nftables);
}

#[test]
fn every_example_passes_with_iptables() {
    every_example(Rules::Iptables);
}

fn generated() -> Model {
    let files = portolan_bench::generate(portolan_bench::Size::new(400, 4));
    model_of(&files)
}

#[test]
fn a_generated_spec_passes_with_both_rule_targets() {
    for rules in [Rules::Nftables, Rules::Iptables] {
        if can_run(rules) {
            assert_passes("generated", &generated(), rules);
        }
    }
}

/// Changes one host's rule file: `edit` takes its text and returns the changed text.
fn tampered(files: &[Output], path: &str, edit: impl Fn(&str) -> String) -> Vec<Output> {
    let mut files = files.to_vec();
    let file = files.iter_mut().find(|f| f.path.to_string_lossy() == path).unwrap();
    let changed = edit(&file.text);
    assert_ne!(changed, file.text, "{path} was not changed");
    file.text = changed;
    files
}

fn three_tier() -> Model {
    model_of(&support::read_folder(&support::examples().into_iter().find(|d| d.ends_with("three-tier")).unwrap()))
}

/// The lab on three-tier with one host's file changed: exit 1, and a mismatch whose
/// explanation says each of `said`.
fn caught(rules: Rules, path: &str, edit: impl Fn(&str) -> String, said: &[&str]) -> Report {
    let model = three_tier();
    let (files, probes) = built(&model, rules);
    let report = lab(&model, &tampered(&files, path, edit), &probes, &Options::new(rules));
    let text = report.human();
    assert_eq!(report.exit_code(), 1, "a changed {path} was not caught:\n{text}");
    assert!(
        report.mismatches.iter().any(|m| said.iter().all(|s| m.explanation.contains(s))),
        "no mismatch says {said:?}:\n{text}"
    );
    report
}

fn without_line(text: &str, needle: &str) -> String {
    text.lines().filter(|l| !l.contains(needle)).map(|l| format!("{l}\n")).collect()
}

fn with_line_after(text: &str, after: &str, line: &str) -> String {
    text.lines()
        .flat_map(|l| if l.contains(after) { vec![l, line] } else { vec![l] })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn a_narrowed_rule_file_is_caught() {
    for rules in [Rules::Nftables, Rules::Iptables] {
        if !can_run(rules) {
            continue;
        }
        let (path, chain) = match rules {
            Rules::Nftables => ("nftables/sql.nft", "the input chain of `nftables/sql.nft` drops it"),
            Rules::Iptables => ("iptables/sql.iptables", "the INPUT chain of `iptables/sql.iptables` drops it"),
        };
        let policy = "the spec's policy: allowed by `allow within datacenter on tds`, site.ptl:";
        let report = caught(rules, path, |t| without_line(t, "dport 1433"), &[chain, policy]);
        // The hop shows as not open in the matrix, its deciding rule is named, and app's probe
        // script fails too.
        assert!(report.rows.iter().any(|r| r.route == 3 && r.open == 0), "{}", report.human());
        assert!(report.scripts.iter().any(|s| s.script == "probes/app.sh" && !s.passed), "{}", report.human());
    }
}

#[test]
fn a_narrowed_output_chain_is_caught() {
    let rules = Rules::Nftables;
    if can_run(rules) {
        let said = ["the output chain of `nftables/app.nft` drops it"];
        caught(rules, "nftables/app.nft", |t| without_line(t, "dport 1433"), &said);
    }
}

#[test]
fn a_widened_rule_file_is_caught() {
    for rules in [Rules::Nftables, Rules::Iptables] {
        if !can_run(rules) {
            continue;
        }
        // One accept too many on the database: TDS from anywhere, where only `app` may connect.
        match rules {
            Rules::Nftables => {
                let extra = "\t\ttcp dport 1433 accept";
                let said = ["the input chain of `nftables/sql.nft` admits it from `proxy`"];
                caught(rules, "nftables/sql.nft", |t| with_line_after(t, "type filter hook input", extra), &said);
            }
            Rules::Iptables => {
                let extra = "-A INPUT -p tcp --dport 1433 -j ACCEPT";
                let said = [
                    "the INPUT chain of `iptables/sql.iptables` admits it from `proxy`",
                    "the rule that accepted it: -A INPUT -p tcp -m tcp --dport 1433 -j ACCEPT",
                ];
                caught(rules, "iptables/sql.iptables", |t| with_line_after(t, ":OUTPUT DROP", extra), &said);
            }
        }
    }
}

#[test]
fn a_widened_output_chain_is_caught() {
    let rules = Rules::Iptables;
    if can_run(rules) {
        let extra = "-A OUTPUT -p tcp --dport 1433 -j ACCEPT";
        let said = ["the OUTPUT chain of `iptables/proxy.iptables` lets it out towards `sql`"];
        caught(rules, "iptables/proxy.iptables", |t| with_line_after(t, ":OUTPUT DROP", extra), &said);
    }
}
