//! `portolan drift` on real rulesets: for every example and every host, the rules the spec
//! builds are loaded into a network namespace of this test's own (`nft -f`, `iptables-restore`,
//! `ip6tables-restore`), listed with the real tools (`nft -j list ruleset`, `iptables-save`,
//! `ip6tables-save`) and must be in sync; then the ruleset is changed — an accept added, a flow's
//! rule deleted, a chain's policy changed, the table deleted or never loaded — and each change
//! must be reported as the drift it is (exit 1). Needs root: without it each test skips with the
//! reason, and fails when `CI=true`. Every namespace is deleted by a guard, also on failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use portolan_drift::{Expected, Family, Kind, Live, Report, Source, compare, expected, parse_iptables, parse_nft};
use portolan_emit::{Output, Target, emit, host_file_stems};
use portolan_lab::Rules;
use portolan_model::Model;
use portolan_tests as support;

/// Whether the tools and root are there; without them the test skips, or fails on CI.
fn can_run(rules: Rules) -> bool {
    let listing = match rules {
        Rules::Nftables => vec!["nft"],
        Rules::Iptables => vec!["iptables-save", "ip6tables-save"],
    };
    let found = portolan_lab::preflight(rules).map_err(|e| e.to_string()).and_then(|()| {
        match listing.iter().find(|t| !support::tool_available(t, &["--version"])) {
            Some(tool) => Err(format!("`{tool}` does not run")),
            None => Ok(()),
        }
    });
    match found {
        Ok(()) => true,
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!("drift cannot be tested on CI: {e}"),
        Err(e) => {
            eprintln!("skipped: drift cannot be tested on a real ruleset here: {e}");
            false
        }
    }
}

static MADE: AtomicUsize = AtomicUsize::new(0);

/// The names of one test's namespaces: the process and the test (`n`, `i`) in them, so that
/// each test finds only its own left behind while the other runs.
fn prefix(test: char) -> String {
    format!("ptd{}{test}-", std::process::id())
}

/// A network namespace of this test, deleted when dropped.
struct Netns(String);

impl Netns {
    fn new(test: char) -> Netns {
        let name = format!("{}{}", prefix(test), MADE.fetch_add(1, Ordering::Relaxed));
        run("ip", &["netns", "add", &name], "");
        Netns(name)
    }

    /// Runs a command inside; its standard output. Fails the test when it fails.
    fn exec(&self, program: &str, args: &[&str], input: &str) -> String {
        let mut all = vec!["netns", "exec", &self.0, program];
        all.extend_from_slice(args);
        run("ip", &all, input)
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "delete", &self.0]).status();
    }
}

fn run(program: &str, args: &[&str], input: &str) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `{program}`: {e}"));
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "`{program} {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The namespaces of one test of this process still there.
fn leftovers(test: char) -> Vec<String> {
    let out = run("ip", &["netns", "list"], "");
    let prefix = prefix(test);
    out.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| n.starts_with(&prefix))
        .map(str::to_string)
        .collect()
}

struct Example {
    name: String,
    model: Model,
}

fn examples() -> Vec<Example> {
    let examples: Vec<Example> = support::examples()
        .into_iter()
        .map(|dir| {
            let db = support::database(&support::read_folder(&dir));
            let errors = portolan::diagnostics(&db).into_iter().any(|d| d.severity == portolan::Severity::Error);
            assert!(!errors, "{} has errors", dir.display());
            Example {
                name: dir.file_name().unwrap().to_string_lossy().into_owned(),
                model: portolan::export::export(&db).model,
            }
        })
        .collect();
    assert!(examples.len() >= 3);
    examples
}

/// Each host of the example with its expected rules and the text of its file `folder/STEM.ext`.
fn hosts(example: &Example, target: Target, ext: &str) -> Vec<(Expected, Option<String>)> {
    let files: Vec<Output> = emit(&example.model, target).unwrap();
    host_file_stems(&example.model)
        .into_iter()
        .map(|(host, stem)| {
            let path = format!("{}/{stem}.{ext}", target.name());
            let text = files.iter().find(|f| f.path.to_string_lossy() == path).map(|f| f.text.clone());
            (expected(&example.model, &host).unwrap(), text)
        })
        .collect()
}

fn assert_in_sync(what: &str, report: &Report) {
    assert_eq!(report.exit_code(), 0, "{what}: not in sync:\n{}", report.human());
}

/// The report must drift (exit 1) with a finding of `kind` that `test` accepts.
fn assert_reported(what: &str, report: &Report, kind: Kind, test: impl Fn(&portolan_drift::Finding) -> bool) {
    assert_eq!(report.exit_code(), 1, "{what}: not reported:\n{}", report.human());
    assert!(
        report.findings.iter().any(|f| f.kind == kind && test(f)),
        "{what}: no {kind:?} finding:\n{}",
        report.human()
    );
}

/// The first flow's rule of a host that a listing from `source` shows: its chain's name in
/// nftables and its label.
fn first_flow(expected: &Expected, source: Source) -> Option<(&'static str, String)> {
    use portolan_emit::rules::Direction;
    let families = source.families();
    let rule = expected.rules.iter().find(|r| !r.accept.only(&families).is_empty())?;
    let chain = if rule.direction == Direction::Input { "input" } else { "output" };
    Some((chain, rule.label.clone()))
}

fn nft_listing(ns: &Netns) -> Live {
    parse_nft(&ns.exec("nft", &["-j", "list", "ruleset"], "")).unwrap_or_else(|e| panic!("unreadable listing: {e}"))
}

#[test]
fn every_host_of_every_example_with_nftables() {
    if !can_run(Rules::Nftables) {
        return;
    }
    for example in examples() {
        for (expected, file) in hosts(&example, Target::Nftables, "nft") {
            let what = format!("{} host `{}` (nftables)", example.name, expected.host);
            let file = file.unwrap_or_else(|| panic!("{what}: no file"));
            let ns = Netns::new('n');
            let load = || {
                ns.exec("nft", &["flush", "ruleset"], "");
                ns.exec("nft", &["-f", "/dev/stdin"], &file);
            };
            let check = || compare(&expected, &nft_listing(&ns));
            load();
            assert_in_sync(&what, &check());

            ns.exec("nft", &["add", "rule", "inet", "portolan", "input", "tcp", "dport", "65000", "accept"], "");
            assert_reported(&format!("{what}, an accept added"), &check(), Kind::Unexpected, |f| {
                f.detail.contains("accepts tcp 65000 from any address")
            });

            load();
            if let Some((chain, label)) = first_flow(&expected, Source::Nftables) {
                let listing: serde_json::Value =
                    serde_json::from_str(&ns.exec("nft", &["-j", "list", "chain", "inet", "portolan", chain], ""))
                        .unwrap();
                let handles: Vec<String> = listing["nftables"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|i| i["rule"]["comment"].as_str() == Some(label.as_str()))
                    .map(|i| i["rule"]["handle"].to_string())
                    .collect();
                assert!(!handles.is_empty(), "{what}: no rule with the comment {label:?}");
                for handle in &handles {
                    ns.exec("nft", &["delete", "rule", "inet", "portolan", chain, "handle", handle], "");
                }
                assert_reported(&format!("{what}, {label:?} deleted"), &check(), Kind::Missing, |f| f.rule == label);
            }

            load();
            ns.exec("nft", &["chain", "inet", "portolan", "output", "{ policy accept; }"], "");
            assert_reported(&format!("{what}, output's policy accept"), &check(), Kind::Policy, |f| {
                f.chain.as_deref() == Some("output") && f.detail.starts_with("accept on the host")
            });

            ns.exec("nft", &["delete", "table", "inet", "portolan"], "");
            let report = check();
            assert_reported(&format!("{what}, the table deleted"), &report, Kind::TableAbsent, |_| true);
            assert_eq!(report.findings.len(), 1, "{what}: more than the absent table:\n{}", report.human());
        }
    }
    assert_eq!(leftovers('n'), Vec::<String>::new(), "namespaces left behind");
}

/// `text` without the lines that contain `needle`.
fn without(text: &str, needle: &str) -> String {
    text.lines().filter(|l| !l.contains(needle)).map(|l| format!("{l}\n")).collect()
}

fn iptables_family(example: &Example, family: Family) {
    let (ext, restore, save, tool) = match family {
        Family::V4 => ("iptables", "iptables-restore", "iptables-save", "iptables"),
        Family::V6 => ("ip6tables", "ip6tables-restore", "ip6tables-save", "ip6tables"),
    };
    for (expected, file) in hosts(example, Target::Iptables, ext) {
        let what = format!("{} host `{}` ({ext})", example.name, expected.host);
        let Some(file) = file else {
            assert!(family == Family::V6 && !expected.ipv6, "{what}: no file");
            continue;
        };
        let ns = Netns::new('i');
        let check = || {
            let live = parse_iptables(&ns.exec(save, &[], ""), family).unwrap_or_else(|e| panic!("{what}: {e}"));
            compare(&expected, &live)
        };
        // Nothing loaded yet: the filter table is not there.
        assert_reported(&format!("{what}, nothing loaded"), &check(), Kind::TableAbsent, |_| true);

        ns.exec(restore, &[], &file);
        assert_in_sync(&what, &check());

        ns.exec(tool, &["-A", "INPUT", "-p", "tcp", "--dport", "65000", "-j", "ACCEPT"], "");
        assert_reported(&format!("{what}, an accept added"), &check(), Kind::Unexpected, |f| {
            f.detail.contains("accepts tcp 65000 from any IPv")
        });

        if let Some((_, label)) = first_flow(&expected, Source::Iptables(family)) {
            let comment = format!("--comment \"{label}\"");
            ns.exec(restore, &[], &without(&file, &comment));
            assert_reported(&format!("{what}, {label:?} deleted"), &check(), Kind::Missing, |f| f.rule == label);
        }

        ns.exec(restore, &[], &file);
        ns.exec(tool, &["-P", "INPUT", "ACCEPT"], "");
        assert_reported(&format!("{what}, INPUT's policy ACCEPT"), &check(), Kind::Policy, |f| {
            f.chain.as_deref() == Some("INPUT") && f.detail.starts_with("ACCEPT on the host")
        });
    }
}

#[test]
fn every_host_of_every_example_with_iptables() {
    if !can_run(Rules::Iptables) {
        return;
    }
    for example in examples() {
        iptables_family(&example, Family::V4);
        iptables_family(&example, Family::V6);
    }
    assert_eq!(leftovers('i'), Vec::<String>::new(), "namespaces left behind");
}
