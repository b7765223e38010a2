//! `portolan build`: refuses specs with errors and leaves the output folder alone, writes
//! byte-identical files for identical input, leaves the folder as it was when it fails
//! halfway, gives files the modes a user expects, removes the stale files of earlier builds
//! and nothing else, `--check` writes nothing and shows a unified diff, and `--aerleon-target`
//! chooses Aerleon's platforms or stops the build before anything is written.

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

/// Every file under a folder (and every folder), with its bytes and mode: what "as it was"
/// means.
fn tree(dir: &Path) -> BTreeMap<PathBuf, (u32, Option<Vec<u8>>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(dir).unwrap().to_path_buf();
            let mode = mode(&path);
            if path.is_dir() {
                out.insert(relative, (mode, None));
                stack.push(path);
            } else {
                out.insert(relative, (mode, Some(std::fs::read(&path).unwrap())));
            }
        }
    }
    out
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A spec of two nodes: `host` serves `c`.
fn two_nodes(host: &str) -> String {
    format!(
        "component S {{ listen web: https }}\ncomponent C {{ connect web: https }}\n\
         zone dc {{ cidr 10.0.0.0/8  node {host}: S {{ address 10.0.0.1 }}  node c: C {{ address 10.0.0.2 }} }}\n\
         flow c.web -> {host}.web\n"
    )
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
fn the_documents_are_titled_by_the_spec_or_after_its_folder_or_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = portolan(&["build", &example("three-tier"), "--emit", "html,markdown", "--out", "a"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let page = std::fs::read_to_string(dir.path().join("a/ports.html")).unwrap();
    assert!(page.contains("<title>three-tier: ports and flows</title>"), "{page}");
    assert!(page.contains("<h1>three-tier: ports and flows</h1>"));
    let markdown = std::fs::read_to_string(dir.path().join("a/ports.md")).unwrap();
    assert!(markdown.starts_with("# three-tier: ports and flows\n"));
    // A spec's `document` title wins over the folder's name.
    let run = portolan(&["build", &example("kobil-mid"), "--emit", "html,markdown", "--out", "k"], dir.path());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let page = std::fs::read_to_string(dir.path().join("k/ports.html")).unwrap();
    assert!(page.contains("<title>KOBIL mIDentity: network architecture</title>"), "{page}");
    let markdown = std::fs::read_to_string(dir.path().join("k/ports.md")).unwrap();
    assert!(markdown.starts_with("# KOBIL mIDentity: network architecture\n"));
    // A file: its stem; `.`: the folder's own name.
    let spec = dir.path().join("shop & co");
    std::fs::create_dir(&spec).unwrap();
    std::fs::write(spec.join("site.ptl"), "component A { listen a: https }\nzone dc { node x: A }\n").unwrap();
    let run = portolan(&["build", "site.ptl", "--emit", "html", "--out", "../b"], &spec);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let page = std::fs::read_to_string(dir.path().join("b/ports.html")).unwrap();
    assert!(page.contains("<title>site: ports and flows</title>"), "{page}");
    let run = portolan(&["build", ".", "--emit", "html", "--out", "../c"], &spec);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let page = std::fs::read_to_string(dir.path().join("c/ports.html")).unwrap();
    assert!(page.contains("<title>shop &amp; co: ports and flows</title>"), "{page}");
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
        let hosts: Vec<_> =
            files.iter().filter(|(p, (_, bytes))| p.starts_with("nftables/") && bytes.is_some()).collect();
        assert_eq!(hosts.len(), 2, "one file per host");
    }
}

/// `chattr` sets an attribute, or the test cannot run here: skips with a reason, and fails on CI.
fn chattr(flag: &str, path: &Path) -> bool {
    let done = Command::new("chattr").arg(flag).arg(path).output();
    let ok = done.as_ref().is_ok_and(|o| o.status.success());
    if !ok {
        let why = done.map_or_else(|e| e.to_string(), |o| String::from_utf8_lossy(&o.stderr).into_owned());
        assert!(std::env::var("CI").as_deref() != Ok("true"), "`chattr {flag}` is required on CI: {why}");
        eprintln!("skipping: `chattr {flag}` fails here: {why}");
    }
    ok
}

/// Clears the immutable attribute when the test ends, however it ends.
struct Immutable(PathBuf);

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// Found by a user: a build that failed while renaming files into place (a name the file
/// system refused) left the files renamed before it replaced. An immutable file, which not
/// even root can replace, fails the build after the files before it were renamed; an
/// immutable folder fails it while staging.
#[test]
fn a_build_that_cannot_replace_a_file_or_write_in_a_folder_changes_nothing() {
    for (locked, what) in [("ports.md", "an immutable file"), ("nftables", "an immutable folder")] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = portolan(&["build", &example("sync-proxy"), "--emit", ALL, "--out", "out"], dir.path());
        assert_eq!(first.status.code(), Some(0), "{}", text(&first));
        std::fs::write(out.join("README.md"), "the user's own\n").unwrap();
        if !chattr("+i", &out.join(locked)) {
            return;
        }
        let _guard = Immutable(out.join(locked));
        let before = tree(&out);
        // Another spec: most files change, some are new and some stale.
        let run = portolan(&["build", &example("three-tier"), "--emit", ALL, "--out", "out"], dir.path());
        assert_eq!(run.status.code(), Some(2), "{what}: {}", text(&run));
        let words = text(&run).replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("nothing was changed in `out`"), "{what}: {words}");
        assert_eq!(tree(&out), before, "{what}: the failed build changed the output folder");
    }
}

/// Found by a user: outputs were written with mode 0600, so a web server could not serve
/// `ports.html`. A new file gets the umask's mode; a replaced file keeps its own.
#[test]
fn new_files_get_the_umasks_mode_and_replaced_files_keep_theirs() {
    let dir = tempfile::tempdir().unwrap();
    // The mode a new file gets from this process's umask, which the binary inherits.
    std::fs::File::create(dir.path().join("probe")).unwrap();
    let umask_mode = mode(&dir.path().join("probe"));
    let out = dir.path().join("out");
    let first = portolan(&["build", &example("three-tier"), "--emit", "markdown,html", "--out", "out"], dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert_eq!(mode(&out.join("ports.html")), umask_mode);
    assert_eq!(mode(&out.join("ports.md")), umask_mode);
    set_mode(&out.join("ports.md"), 0o640);
    let old = std::fs::read(out.join("ports.md")).unwrap();
    let second = portolan(&["build", &example("sync-proxy"), "--emit", "markdown,html", "--out", "out"], dir.path());
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    assert_ne!(std::fs::read(out.join("ports.md")).unwrap(), old, "the rebuild did not change ports.md");
    assert_eq!(mode(&out.join("ports.md")), 0o640, "a replaced file lost its mode");
    assert_eq!(mode(&out.join("ports.html")), umask_mode);
}

/// Found by a user: after a host was renamed its old rule file stayed, and `--check` passed.
/// A build removes the files an earlier build wrote that it no longer writes, only for the
/// targets it builds, and never a file it did not write; `--check` shows them as deletions.
#[test]
fn stale_files_of_earlier_builds_are_removed_and_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let build = |host: &str, emit: &str, check: bool| {
        std::fs::write(dir.path().join("site.ptl"), two_nodes(host)).unwrap();
        let mut args = vec!["build", "site.ptl", "--emit", emit, "--out", "out"];
        if check {
            args.push("--check");
        }
        portolan(&args, dir.path())
    };
    let first = build("old", "nftables,markdown", false);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    std::fs::write(out.join("README.md"), "the user's own\n").unwrap();
    std::fs::write(out.join("nftables/notes.txt"), "the user's own too\n").unwrap();
    assert!(out.join("nftables/old.nft").is_file());

    // `--check` sees the stale file, and writes nothing.
    let before = tree(&out);
    let check = build("renamed", "nftables,markdown", true);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    let diff = String::from_utf8_lossy(&check.stdout);
    assert!(diff.contains("--- a/nftables/old.nft\n+++ /dev/null\n"), "{diff}");
    assert!(diff.contains("--- /dev/null\n+++ b/nftables/renamed.nft\n"), "{diff}");
    assert_eq!(tree(&out), before, "--check wrote something");

    // A build of other targets keeps the files of nftables, which it does not build.
    let docs = build("renamed", "markdown", false);
    assert_eq!(docs.status.code(), Some(0), "{}", text(&docs));
    assert!(out.join("nftables/old.nft").is_file(), "a file of a target not built was removed");

    let rules = build("renamed", "nftables,markdown", false);
    assert_eq!(rules.status.code(), Some(0), "{}", text(&rules));
    assert!(text(&rules).contains("removed 1 stale file(s)"), "{}", text(&rules));
    assert!(!out.join("nftables/old.nft").exists(), "the stale file is still there");
    assert!(out.join("nftables/renamed.nft").is_file());
    assert_eq!(std::fs::read_to_string(out.join("README.md")).unwrap(), "the user's own\n");
    assert!(out.join("nftables/notes.txt").is_file(), "a file the build did not write was removed");
    let fresh = build("renamed", "nftables,markdown", true);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh));
}

#[test]
fn help_describes_format_and_color_with_their_values() {
    for command in ["build", "check"] {
        let help = portolan(&[command, "-h"], Path::new("."));
        let help = String::from_utf8_lossy(&help.stdout);
        let line = |flag: &str| help.lines().find(|l| l.trim_start().starts_with(flag)).unwrap_or("").to_string();
        let format = line("--format");
        assert!(format.contains("How diagnostics are printed: human"), "{command}: {format}");
        assert!(format.contains("json") && format.contains("sarif"), "{command}: {format}");
        let color = line("--color");
        assert!(color.contains("When human output is coloured: auto"), "{command}: {color}");
        assert!(color.contains("always or never"), "{command}: {color}");
    }
}

#[test]
fn an_unknown_target_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = portolan(&["build", &example("three-tier"), "--emit", "json,pdf", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert!(text(&run).contains("unknown target `pdf`"), "{}", text(&run));
}

#[test]
fn aerleon_targets_choose_the_platforms_policies_are_written_for() {
    let dir = tempfile::tempdir().unwrap();
    let run = portolan(
        &["build", &example("three-tier"), "--emit", "aerleon", "--aerleon-target", "juniper,srx", "--out", "a"],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let policies = dir.path().join("a/aerleon/policies");
    assert!(policies.join("juniper/pol/app.yaml").is_file());
    assert!(policies.join("srx/pol/zones.yaml").is_file());
    assert!(!policies.join("pol").exists(), "nftables' policies written though not asked");
    let default = portolan(&["build", &example("three-tier"), "--emit", "aerleon", "--out", "b"], dir.path());
    assert_eq!(default.status.code(), Some(0), "{}", text(&default));
    assert!(dir.path().join("b/aerleon/policies/pol/app.yaml").is_file());
    assert!(!dir.path().join("b/aerleon/policies/juniper").exists());
}

#[test]
fn aerleon_targets_that_cannot_be_written_stop_the_build_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 2] = [
        (&["--emit", "json", "--aerleon-target", "juniper"], "needs `--emit aerleon`"),
        (&["--emit", "aerleon", "--aerleon-target", "junos"], "unknown Aerleon platform `junos`"),
    ];
    let spec = example("three-tier");
    for (args, message) in cases {
        let mut all = vec!["build", spec.as_str(), "--out", "out"];
        all.extend_from_slice(args);
        let run = portolan(&all, dir.path());
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", text(&run));
        assert!(text(&run).contains(message), "{args:?}: {}", text(&run));
        assert!(!dir.path().join("out").exists(), "{args:?}: a refused build wrote files");
    }
    // A zone named `all` is SRX's word for every zone: no SRX policy, nothing written.
    let zones = "component S { listen web: https }\ncomponent C { connect web: https }\n\
                zone all { cidr 10.1.0.0/16  node c: C { address 10.1.0.1 } }\n\
                zone dc { cidr 10.0.0.0/16  node s: S { address 10.0.0.1 } }\nflow c.web -> s.web\n";
    std::fs::write(dir.path().join("site.ptl"), zones).unwrap();
    let args = ["build", "site.ptl", "--emit", "json,aerleon", "--aerleon-target", "nftables,srx", "--out", "out"];
    let run = portolan(&args, dir.path());
    assert_eq!(run.status.code(), Some(2), "{}", text(&run));
    assert!(text(&run).contains("flow 1 (c.web -> s.web) cannot be written for Aerleon's `srx`"), "{}", text(&run));
    assert!(!dir.path().join("out").exists(), "a refused build wrote files");
    let run = portolan(
        &["build", "site.ptl", "--emit", "aerleon", "--aerleon-target", "juniper", "--out", "out"],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
}
