//! `portolan build`: refuses specs with errors and leaves the output folder alone, writes
//! byte-identical files for identical input, leaves the folder as it was when it fails
//! halfway, and `--check` writes nothing and shows a unified diff.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ALL: &str = "nftables,iptables,aerleon,markdown,html,dot,mermaid,svg,json";

fn portolan(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portolan")).args(args).current_dir(cwd).output().expect("the binary runs")
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name).to_string_lossy().into_owned()
}

/// Every file under a folder (and every folder), with its bytes: what "as it was" means.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(dir).unwrap().to_path_buf();
            if path.is_dir() {
                out.insert(relative, None);
                stack.push(path);
            } else {
                out.insert(relative, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let run = portolan(&["build", &example("sync-proxy"), "--emit", ALL, "--out", out], dir.path());
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    }
    let (a, b) = (tree(&dir.path().join("a")), tree(&dir.path().join("b")));
    assert!(a.len() > 20, "too few files: {:?}", a.keys());
    assert_eq!(a, b);
}

#[test]
fn a_spec_with_errors_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.ptl"), "flow a.b -> c.d\n").unwrap();
    let run = portolan(&["build", "site.ptl", "--emit", "json", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    assert!(text(&run).contains("error[P101]"), "{}", text(&run));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_rule_target_refuses_a_flow_end_without_address() {
    let dir = tempfile::tempdir().unwrap();
    let spec = "component A { connect db: tds }\ncomponent S { listen tds: tds }\n\
                zone dc { node a: A { address 10.0.0.1 }  node s: S }\nflow a.db -> s.tds\n";
    std::fs::write(dir.path().join("site.ptl"), spec).unwrap();
    let run = portolan(&["build", "site.ptl", "--emit", "markdown,nftables", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    assert!(text(&run).contains("error[P603]"), "{}", text(&run));
    assert!(!dir.path().join("out").exists(), "a refused build wrote files");
    let docs = portolan(&["build", "site.ptl", "--emit", "markdown", "--out", "out"], dir.path());
    assert_eq!(docs.status.code(), Some(0), "documentation needs no address: {}", text(&docs));
}

#[test]
fn a_build_that_fails_halfway_leaves_the_folder_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let first = portolan(&["build", &example("three-tier"), "--emit", "json,markdown", "--out", "out"], dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    // A file where the nftables folder must go: the build fails after staging the files that
    // sort before it (aerleon/, diagram.*, iptables/, model.json).
    std::fs::write(out.join("nftables"), "in the way").unwrap();
    let before = tree(&out);
    let run = portolan(&["build", &example("sync-proxy"), "--emit", ALL, "--out", "out"], dir.path());
    assert_ne!(run.status.code(), Some(0), "{}", text(&run));
    assert_eq!(tree(&out), before, "the failed build changed the output folder");
}

#[test]
fn check_writes_nothing_and_shows_a_diff_when_stale() {
    let dir = tempfile::tempdir().unwrap();
    let build = ["build", &example("three-tier"), "--emit", "markdown,json", "--out", "out"];
    assert_eq!(portolan(&build, dir.path()).status.code(), Some(0));
    let check = [&build[..], &["--check"]].concat();
    let fresh = portolan(&check, dir.path());
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh));
    let md = dir.path().join("out/ports.md");
    let edited = std::fs::read_to_string(&md).unwrap().replace("Reverse proxy", "Edited by hand");
    std::fs::write(&md, &edited).unwrap();
    std::fs::remove_file(dir.path().join("out/model.json")).unwrap();
    let before = tree(&dir.path().join("out"));
    let stale = portolan(&check, dir.path());
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale));
    let diff = String::from_utf8_lossy(&stale.stdout);
    assert!(diff.contains("--- a/ports.md\n+++ b/ports.md\n"), "{diff}");
    assert!(diff.contains("-| Edited by hand |") && diff.contains("+| Reverse proxy |"), "{diff}");
    assert!(diff.contains("+++ b/model.json"), "a missing file is not in the diff: {diff}");
    assert_eq!(tree(&dir.path().join("out")), before, "--check wrote something");
}

/// Found by a user: a valid node or zone name of 300 characters failed the build with "File
/// name too long" and left files behind. Long names get short file names.
#[test]
fn long_node_and_zone_names_build() {
    let dir = tempfile::tempdir().unwrap();
    for length in [300, 1 << 20] {
        let (node, zone) = ("n".repeat(length), "z".repeat(length));
        let spec = format!(
            "component S {{ listen web: https }}\ncomponent C {{ connect web: https }}\n\
             zone {zone} {{ cidr 10.0.0.0/8  node {node}: S {{ address 10.0.0.1 }}  node c: C {{ address 10.0.0.2 }} }}\n\
             flow c.web -> {node}.web\n"
        );
        std::fs::write(dir.path().join("site.ptl"), spec).unwrap();
        let out = format!("out-{length}");
        let run = portolan(&["build", "site.ptl", "--emit", ALL, "--out", &out], dir.path());
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
        let files = tree(&dir.path().join(&out));
        let longest = files.keys().filter_map(|p| p.file_name()).map(|n| n.len()).max().unwrap();
        assert!(longest <= 110, "a file name of {longest} bytes");
        let hosts: Vec<_> = files.iter().filter(|(p, bytes)| p.starts_with("nftables/") && bytes.is_some()).collect();
        assert_eq!(hosts.len(), 2, "one file per host");
    }
}

#[test]
fn an_unknown_target_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = portolan(&["build", &example("three-tier"), "--emit", "json,pdf", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert!(text(&run).contains("unknown target `pdf`"), "{}", text(&run));
}
