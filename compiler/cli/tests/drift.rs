//! `portolan drift` on listings captured from real rulesets (`tests/drift/`): each file is
//! `EXAMPLE.HOST.CASE.EXT`, the listing of HOST of `examples/EXAMPLE` after CASE, read with
//! `--nft` (`.json`), `--iptables` or `--ip6tables`. A case named `in-sync` or `ok-*` must be in
//! sync (exit 0), `unreadable-*` must not be read (exit 2), any other must drift (exit 1); what
//! is printed is a snapshot. Then JSON output, standard input and the usage errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn drift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portolan")).arg("drift").args(args).current_dir(root()).output().expect("runs")
}

fn text(output: &Output) -> String {
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn listings() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drift");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

#[test]
fn every_captured_listing() {
    let files = listings();
    assert!(files.len() >= 10, "{files:?}");
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let parts: Vec<&str> = name.split('.').collect();
        let [example, host, case, ext] = parts.as_slice() else { panic!("`{name}` is not EXAMPLE.HOST.CASE.EXT") };
        let flag = match *ext {
            "json" => "--nft",
            "iptables" => "--iptables",
            "ip6tables" => "--ip6tables",
            _ => panic!("`{name}`: unknown extension"),
        };
        let relative = format!("compiler/cli/tests/drift/{name}");
        let output = drift(&[&format!("examples/{example}"), "--host", host, flag, &relative]);
        let want = if *case == "in-sync" || case.starts_with("ok-") {
            0
        } else if case.starts_with("unreadable-") {
            2
        } else {
            1
        };
        let shown = text(&output);
        assert_eq!(output.status.code(), Some(want), "{name}:\n{shown}");
        insta::assert_snapshot!(name.clone(), shown);
    }
}

#[test]
fn json_names_each_drift_with_its_flow() {
    let output = drift(&[
        "examples/three-tier",
        "--host",
        "app",
        "--nft",
        "compiler/cli/tests/drift/three-tier.app.deleted-rule.json",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["in_sync"], false);
    let drift = value["drift"].as_array().unwrap();
    assert_eq!(drift.len(), 1, "{value}");
    assert_eq!(drift[0]["kind"], "missing");
    assert_eq!(drift[0]["chain"], "output");
    assert_eq!(drift[0]["flow"]["route"], 3);
    assert_eq!(drift[0]["rule"], "Route 3: application database");
    let synced = drift_stdin("compiler/cli/tests/drift/three-tier.app.in-sync.json", &["--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert_eq!((value["in_sync"].clone(), value["drift"].as_array().map(Vec::len)), (true.into(), Some(0)));
}

fn drift_stdin(listing: &str, more: &[&str]) -> Output {
    let input = std::fs::read(root().join(listing)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .args(["drift", "examples/three-tier", "--host", "app", "--nft", "-"])
        .args(more)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_listing_is_read_from_standard_input() {
    let synced = drift_stdin("compiler/cli/tests/drift/three-tier.app.in-sync.json", &[]);
    assert_eq!(synced.status.code(), Some(0), "{}", text(&synced));
    let drifted = drift_stdin("compiler/cli/tests/drift/three-tier.app.policy-accept.json", &[]);
    assert_eq!(drifted.status.code(), Some(1), "{}", text(&drifted));
    let broken = drift_stdin("compiler/cli/tests/drift/three-tier.app.unreadable-expr.json", &[]);
    assert_eq!(broken.status.code(), Some(2), "{}", text(&broken));
    assert!(text(&broken).contains("cannot read standard input as `nft -j list ruleset` JSON"), "{}", text(&broken));
}

#[test]
fn usage_errors_exit_two() {
    let listing = "compiler/cli/tests/drift/three-tier.app.in-sync.json";
    let cases: [&[&str]; 5] = [
        &["examples/three-tier", "--host", "app"],
        &["examples/three-tier", "--host", "nowhere", "--nft", listing],
        &["examples/three-tier", "--host", "app", "--nft", listing, "--iptables", listing],
        &["examples/three-tier", "--host", "app", "--nft", "no/such/file.json"],
        &["examples/three-tier", "--host", "app", "--ip6tables", listing],
    ];
    for args in cases {
        let output = drift(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}:\n{}", text(&output));
    }
    let no_ipv6 = drift(&["examples/three-tier", "--host", "app", "--ip6tables", listing]);
    assert!(text(&no_ipv6).contains("the spec builds no `.ip6tables` file for it"), "{}", text(&no_ipv6));
    let unknown = drift(&["examples/three-tier", "--host", "nowhere", "--nft", listing]);
    assert!(
        text(&unknown).contains("`nowhere` is not a host of the spec; its hosts: `proxy`, `app`, `sql`"),
        "{}",
        text(&unknown)
    );
}
