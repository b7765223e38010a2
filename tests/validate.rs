//! The real tools accept what `portolan build` writes for every example, for a spec of
//! hostile strings and for one of very long names: `nft -c -f` (inside `unshare -n`),
//! `iptables-restore --test`, `ip6tables-restore --test`, `dot -Tsvg`, and Aerleon's `aclgen`
//! (whose nftables output `nft -c -f` must accept too), and renders the policies of every
//! Aerleon platform with as many rules as they have terms. A missing tool skips with a reason,
//! and fails on CI.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::{Path, PathBuf};
use std::process::Command;

use portolan_emit::{AerleonPlatform, Options, Target, emit_with};
use portolan_tests as support;

/// Every spec the validators run on: each example, and the hostile spec.
fn specs() -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<_> = support::examples()
        .iter()
        .map(|dir| (dir.file_name().unwrap().to_string_lossy().into_owned(), support::read_folder(dir)))
        .collect();
    out.push(("hostile".into(), support::split_files(support::HOSTILE)));
    out.push(("long-names".into(), support::split_files(&support::long_names())));
    out
}

/// Builds every spec into its own folder of a temporary directory.
fn built() -> (tempfile::TempDir, Vec<(String, PathBuf)>) {
    let root = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    for (name, files) in specs() {
        let outputs = support::build(&files).unwrap_or_else(|e| panic!("{name} does not build:\n{e}"));
        let dir = root.path().join(&name);
        support::write_outputs(&dir, &outputs).unwrap();
        out.push((name, dir));
    }
    (root, out)
}

fn files_with(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Runs a command; fails the test with its output when it does not succeed.
fn accepts(command: &mut Command, what: &Path) {
    let output = command.output().unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} rejects {}:\n{}{}\n--- file ---\n{}",
        what.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        std::fs::read_to_string(what).unwrap_or_default()
    );
}

/// `nft -c -f` in a new network namespace, so that checking needs no host firewall.
fn nft_available() -> bool {
    support::tool_available("nft", &["--version"]) && support::tool_available("unshare", &["-n", "nft", "--version"])
}

#[test]
fn nft_accepts_the_nftables_files() {
    if !nft_available() {
        return;
    }
    let (_root, dirs) = built();
    for (name, dir) in &dirs {
        let files = files_with(dir, "nft");
        assert!(!files.is_empty(), "{name}: no .nft file");
        for file in files {
            accepts(Command::new("unshare").args(["-n", "nft", "-c", "-f"]).arg(&file), &file);
        }
    }
}

#[test]
fn iptables_restore_accepts_the_iptables_files() {
    let v4 = support::tool_available("iptables-restore", &["--version"]);
    let v6 = support::tool_available("ip6tables-restore", &["--version"]);
    let (_root, dirs) = built();
    for (name, dir) in &dirs {
        let files = files_with(dir, "iptables");
        assert!(!files.is_empty(), "{name}: no .iptables file");
        for file in files.iter().filter(|_| v4) {
            accepts(Command::new("iptables-restore").arg("--test").arg(file), file);
        }
        for file in files_with(dir, "ip6tables").iter().filter(|_| v6) {
            accepts(Command::new("ip6tables-restore").arg("--test").arg(file), file);
        }
    }
    let hostile = &dirs.iter().find(|(n, _)| n == "hostile").unwrap().1;
    assert!(!files_with(hostile, "ip6tables").is_empty(), "IPv6 addresses appear but no .ip6tables file was written");
}

#[test]
fn graphviz_accepts_the_dot_file_and_draws_the_labels() {
    if !support::tool_available("dot", &["-V"]) {
        return;
    }
    let (_root, dirs) = built();
    for (name, dir) in &dirs {
        let file = dir.join("diagram.dot");
        accepts(Command::new("dot").args(["-Tsvg", "-o"]).arg(dir.join("dot.svg")).arg(&file), &file);
        if name == "hostile" {
            let svg = std::fs::read_to_string(dir.join("dot.svg")).unwrap();
            let options = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
            let doc = roxmltree::Document::parse_with_options(&svg, options).expect("dot writes XML");
            let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
            let wanted = "Route 2: end\" ; flush ruleset ; é 中 🚀 \\";
            assert!(texts.iter().any(|t| t.contains(wanted)), "Graphviz does not draw the label as written: {texts:?}");
        }
    }
}

/// Runs aclgen on the Aerleon policies of a build in `dir`, into `rendered`; it must succeed
/// and log no error. Returns its log.
fn run_aclgen(aclgen: &Path, name: &str, dir: &Path, rendered: &Path) -> String {
    std::fs::create_dir_all(rendered).unwrap();
    let output = Command::new(aclgen)
        .arg("--base_directory")
        .arg(dir.join("aerleon/policies"))
        .arg("--definitions_directory")
        .arg(dir.join("aerleon/def"))
        .arg("--output_directory")
        .arg(rendered)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success() && !log.contains("error encountered"), "aclgen fails on {name}:\n{log}");
    log
}

#[test]
fn aclgen_compiles_the_aerleon_policies() {
    let Some(aclgen) = support::tool_path("PORTOLAN_AERLEON", "aclgen") else { return };
    let check_nft = nft_available();
    let (root, dirs) = built();
    for (name, dir) in &dirs {
        let rendered = root.path().join(format!("{name}-aclgen"));
        let policies = dir.join("aerleon/policies");
        let log = run_aclgen(&aclgen, name, dir, &rendered);
        // aclgen logs errors and carries on: every policy must have been rendered.
        for policy in files_with(&policies, "yaml") {
            let stem = policy.file_stem().unwrap().to_string_lossy();
            let nft = rendered.join(format!("{stem}.nft"));
            assert!(nft.is_file(), "aclgen wrote nothing for {}:\n{log}", policy.display());
            if check_nft {
                accepts(Command::new("unshare").args(["-n", "nft", "-c", "-f"]).arg(&nft), &nft);
            }
        }
    }
}

/// The platforms each spec is built for: every one, but the zone-based ones for the spec of
/// long names, whose zone is longer than they take (the build fails, tested in `build.rs`).
fn platforms(spec: &str) -> Vec<AerleonPlatform> {
    let all = AerleonPlatform::ALL.iter().copied();
    all.filter(|p| spec != "long-names" || !p.zone_based()).collect()
}

/// Every spec's policies for its [`platforms`], in one folder per spec.
fn built_for_every_platform() -> (tempfile::TempDir, Vec<(String, PathBuf)>) {
    let root = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    for (name, files) in specs() {
        let model = portolan::export::export(&support::database(&files)).model;
        let options = Options { aerleon: platforms(&name) };
        let outputs = emit_with(&model, Target::Aerleon, None, &options)
            .unwrap_or_else(|e| panic!("{name}: no policies for every platform: {e}"));
        let dir = root.path().join(&name);
        support::write_outputs(&dir, &outputs).unwrap();
        out.push((name, dir));
    }
    (root, out)
}

/// The folder of `aclgen`'s output a platform's files go to, and their suffix.
fn rendered_as(platform: AerleonPlatform) -> (&'static str, &'static str) {
    let folder = platform.folder().trim_end_matches("pol").trim_end_matches('/');
    let suffix = match platform {
        AerleonPlatform::Nftables => ".nft",
        AerleonPlatform::Iptables => "",
        AerleonPlatform::Juniper => ".jcl",
        AerleonPlatform::Srx => ".srx",
        AerleonPlatform::Cisco => ".acl",
        AerleonPlatform::Paloalto => ".xml",
        AerleonPlatform::K8s => ".yml",
        AerleonPlatform::Gce => ".gce",
    };
    (folder, suffix)
}

/// The terms of a policy: its `- name:` entries.
fn policy_terms(policy: &str) -> usize {
    policy.lines().filter(|l| l.starts_with("      - name: ")).count()
}

/// The rules `aclgen` rendered for a platform, each counted once whatever its addresses: a
/// chain per term (nftables, iptables), a `term` (Juniper) or `policy` (SRX), an access-list
/// entry's leading remark (Cisco), a security rule (Palo Alto), a NetworkPolicy (Kubernetes), a
/// firewall rule (GCE).
fn rendered_rules(platform: AerleonPlatform, text: &str) -> usize {
    let trimmed = || text.lines().map(str::trim);
    match platform {
        AerleonPlatform::Nftables => {
            trimmed().filter(|l| l.starts_with("chain ") && !l.starts_with("chain root")).count()
        }
        AerleonPlatform::Iptables => text.lines().filter(|l| l.starts_with("-N ")).count(),
        AerleonPlatform::Juniper => trimmed().filter(|l| l.starts_with("term ") && l.ends_with(" {")).count(),
        AerleonPlatform::Srx => trimmed().filter(|l| l.starts_with("policy ") && l.ends_with(" {")).count(),
        AerleonPlatform::Cisco => {
            let lines: Vec<&str> = text.lines().collect();
            lines.windows(2).filter(|w| w[0].trim().is_empty() && w[1].starts_with(" remark ")).count()
        }
        AerleonPlatform::Paloalto => {
            let doc = roxmltree::Document::parse(text).expect("Palo Alto output is XML");
            let rules = doc
                .descendants()
                .filter(|n| n.has_tag_name("rules") && n.parent().is_some_and(|p| p.has_tag_name("security")));
            rules.flat_map(|r| r.children().filter(|c| c.has_tag_name("entry"))).count()
        }
        AerleonPlatform::K8s => text.lines().filter(|l| l.starts_with("- apiVersion: ")).count(),
        AerleonPlatform::Gce => {
            let rules: serde_json::Value = serde_json::from_str(text).expect("GCE output is JSON");
            rules.as_array().map_or(0, Vec::len)
        }
    }
}

#[test]
fn aclgen_renders_every_platform_and_drops_no_term() {
    let Some(aclgen) = support::tool_path("PORTOLAN_AERLEON", "aclgen") else { return };
    let (root, dirs) = built_for_every_platform();
    for (name, dir) in &dirs {
        let rendered = root.path().join(format!("{name}-aclgen"));
        let log = run_aclgen(&aclgen, name, dir, &rendered);
        // Aerleon warns where it leaves a term out ("will not be rendered", "not rendering").
        assert!(!log.contains("WARNING") && !log.contains("not render"), "aclgen leaves out a term of {name}:\n{log}");
        for platform in platforms(name) {
            let policies = files_with(&dir.join("aerleon/policies").join(platform.folder()), "yaml");
            assert!(!policies.is_empty(), "{name}: no policy for {}", platform.name());
            let (folder, suffix) = rendered_as(platform);
            // GCE rules of one network, and NetworkPolicies of one namespace, need names of
            // their own across every host's file.
            let mut names = std::collections::BTreeSet::new();
            for policy in policies {
                let stem = policy.file_stem().unwrap().to_string_lossy();
                let file = rendered.join(folder).join(format!("{stem}{suffix}"));
                let text = std::fs::read_to_string(&file)
                    .unwrap_or_else(|_| panic!("{name}: aclgen wrote nothing for {}:\n{log}", policy.display()));
                let terms = policy_terms(&std::fs::read_to_string(&policy).unwrap());
                assert!(terms > 0, "{name}: {} has no term", policy.display());
                let rules = rendered_rules(platform, &text);
                assert_eq!(
                    rules,
                    terms,
                    "{name}, {}: {terms} terms in {}, {rules} rules out:\n{text}",
                    platform.name(),
                    policy.display()
                );
                for rule in cloud_names(platform, &text) {
                    assert!(names.insert(rule.clone()), "{name}, {}: two rules named {rule}", platform.name());
                }
            }
        }
    }
}

/// The names of the GCE rules or Kubernetes NetworkPolicies of a rendered file.
fn cloud_names(platform: AerleonPlatform, text: &str) -> Vec<String> {
    match platform {
        AerleonPlatform::Gce => {
            let rules: serde_json::Value = serde_json::from_str(text).unwrap();
            let rules = rules.as_array().unwrap().iter();
            rules.map(|r| r["name"].as_str().unwrap().to_string()).collect()
        }
        AerleonPlatform::K8s => text.lines().filter_map(|l| l.strip_prefix("    name: ")).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}
