//! `portolan query` on the vendor examples: a flow through a proxy with each hop's deciding rule,
//! a hop the policy denies, everything that reaches a listener, everything a node reaches, JSON,
//! addresses standing for the nodes that have them, and the exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::Path;
use std::process::{Command, Output};

fn query(args: &[&str]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    Command::new(env!("CARGO_BIN_EXE_portolan")).arg("query").args(args).current_dir(root).output().expect("runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_flow_through_a_proxy_shows_each_hop_and_its_rule() {
    let output = query(&["examples/kobil-mid", "--from", "apps", "--to", "idp:oidc"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("flow 1: apps.oidc -> idp.oidc via nginx"), "{text}");
    assert!(
        text.contains("hop 1: apps.oidc -> nginx.https, HTTPS on TCP 443: allowed by `allow internet -> nginx on https`, site.ptl:"),
        "{text}"
    );
    assert!(text.contains("hop 2: nginx.https -> idp.oidc, HTTPS on TCP 8443: allowed by"), "{text}");
}

#[test]
fn a_denied_hop_names_the_rule_that_would_deny_it_and_the_missing_flow() {
    let output = query(&["examples/kobil-mid", "--from", "apps", "--to", "ssms", "--on", "tcp/8443"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("not reachable: no flow connects them"), "{text}");
    assert!(text.contains("would be denied by `deny flows internet -> ssms on tcp/8009, tcp/8443"), "{text}");
    assert!(text.contains("`flow apps.<output> -> ssms.<input>`"), "{text}");
}

#[test]
fn to_a_listener_alone_and_from_a_node_alone() {
    let to = query(&["examples/kobil-mid", "--to", "db:sql", "--format", "json"]);
    assert_eq!(to.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_str(&stdout(&to)).unwrap();
    assert_eq!(value["reachable"], true);
    let froms: Vec<&str> = value["routes"].as_array().unwrap().iter().map(|r| r["from"].as_str().unwrap()).collect();
    assert!(froms.iter().any(|f| f.starts_with("idp.")), "{froms:?}");
    assert!(value["routes"][0]["hops"][0]["decision"]["by"].is_string(), "{value}");
    let from = query(&["examples/kobil-mid", "--from", "admins"]);
    assert_eq!(from.status.code(), Some(0));
    assert!(stdout(&from).contains("admins.https -> idp.admin"), "{}", stdout(&from));
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        &["examples/kobil-mid"][..],
        &["examples/kobil-mid", "--to", "nowhere"],
        &["examples/kobil-mid", "--to", "db", "--on", "tcp/none"],
    ] {
        let output = query(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
}

#[test]
fn addresses_stand_for_the_nodes_that_have_them() {
    // 10.20.1.10 is the first replica of `app`, 10.20.2.5 is `sql` (examples/three-tier).
    let output = query(&["examples/three-tier", "--from", "10.20.1.10", "--to", "10.20.2.5"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("flow 3: app.db -> sql.tds"), "{text}");
    assert!(text.contains("allowed by `allow within datacenter on tds`, site.ptl:"), "{text}");
    // An address no node has connects nothing.
    let output = query(&["examples/three-tier", "--from", "10.99.0.1", "--to", "10.20.2.5"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
}
