//! `portolan diff` run as a command: two folders (copies of a vendor example, one edited), its
//! exit codes (no change, `--exit-code`, a side with errors, what cannot be read), and two
//! revisions of a throwaway git repository, read without touching its work tree or index.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name)
}

fn diff(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portolan"))
        .arg("diff")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Copies an example's files into `to`.
fn copy(name: &str, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(example(name)).unwrap().flatten() {
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "`{from}` is not in {}", file.display());
    fs::write(file, text.replacen(from, to, 1)).unwrap();
}

/// Two copies of three-tier, the new one with the application's port changed.
fn two_folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy("three-tier", &dir.path().join("old"));
    copy("three-tier", &dir.path().join("new"));
    edit(&dir.path().join("new/components.ptl"), "port = 8443", "port = 9443");
    edit(&dir.path().join("new/site.ptl"), "on tcp/8443", "on tcp/9443");
    dir
}

#[test]
fn two_folders_in_each_format_and_the_exit_codes() {
    let dir = two_folders();
    let human = diff(dir.path(), &["old", "new"]);
    assert_eq!(human.status.code(), Some(0), "{}", text(&human));
    let out = text(&human);
    assert!(out.starts_with("1 node changed; 1 flow changed; 1 policy statement changed;"), "{out}");
    assert!(out.contains("+ opened: input tcp 9443 from 192.0.2.10"), "{out}");
    assert!(!out.contains('\x1b'), "NO_COLOR: {out}");

    let changed = diff(dir.path(), &["old", "new", "--exit-code", "--format", "json"]);
    assert_eq!(changed.status.code(), Some(1), "{}", text(&changed));
    let value: serde_json::Value = serde_json::from_slice(&changed.stdout).unwrap();
    assert_eq!((value["format"].as_str(), value["version"].as_u64()), (Some("portolan-diff"), Some(1)));
    assert_eq!(value["changed"], true);

    let same = diff(dir.path(), &["old", "old", "--exit-code"]);
    assert_eq!((same.status.code(), text(&same).as_str()), (Some(0), "no change\n"));

    let markdown = diff(dir.path(), &["old", "new", "--format", "markdown"]);
    assert!(text(&markdown).contains("#### Firewall rules"), "{}", text(&markdown));
}

#[test]
fn a_side_with_errors_is_reported_and_exits_1() {
    let dir = two_folders();
    edit(&dir.path().join("new/site.ptl"), "flow users.web", "flow nobody.web");
    let output = diff(dir.path(), &["old", "new"]);
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("error[P101]"), "{out}");
    assert!(out.contains("`new` has errors"), "{out}");
    assert!(output.stdout.is_empty(), "no diff is printed: {out}");
}

#[test]
fn what_cannot_be_read_exits_2() {
    let dir = two_folders();
    // Not a folder, and no repository to find a revision in.
    let output = diff(dir.path(), &["old", "nothing"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("not in a git repository"), "{}", text(&output));
    let output = diff(dir.path(), &["old"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}

/// Runs git in `dir`; skips (`None`) when git is missing, except under CI.
fn git(dir: &Path, args: &[&str]) -> Option<Output> {
    let output = Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output();
    match output {
        Ok(output) => {
            assert!(output.status.success(), "git {args:?}: {}", text(&output));
            Some(output)
        }
        Err(error) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipped: git cannot run ({error})");
            None
        }
        Err(error) => panic!("git cannot run under CI: {error}"),
    }
}

/// Every file of the work tree (outside `.git`) and its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut next = vec![dir.to_path_buf()];
    while let Some(folder) = next.pop() {
        for entry in fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != ".git" {
                    next.push(path);
                }
            } else {
                out.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn two_revisions_and_the_work_tree_against_a_base_leave_the_work_tree_alone() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    if git(repo, &["init", "-q", "-b", "main"]).is_none() {
        return;
    }
    copy("three-tier", &repo.join("specs/site"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "one"]);
    edit(&repo.join("specs/site/site.ptl"), "node sql \"Database\"", "node db \"Database\"");
    edit(&repo.join("specs/site/site.ptl"), "sql.tds", "db.tds");
    git(repo, &["commit", "-q", "-am", "two"]);
    // An edit not committed: the work tree differs from HEAD.
    edit(&repo.join("specs/site/components.ptl"), "port = 8443", "port = 9443");
    edit(&repo.join("specs/site/site.ptl"), "on tcp/8443", "on tcp/9443");
    let status = |repo: &Path| {
        git(repo, &["--no-optional-locks", "status", "--porcelain"]).map(|o| o.stdout).unwrap_or_default()
    };
    let before = (tree(repo), status(repo), fs::read(repo.join(".git/index")).unwrap());

    let revisions = diff(repo, &["main~1", "main", "--", "specs/site"]);
    let out = text(&revisions);
    assert_eq!(revisions.status.code(), Some(0), "{out}");
    assert_eq!(out.lines().next(), Some("1 node changed; 1 flow changed"), "{out}");
    assert!(out.contains("~ db (was sql)"), "{out}");

    // From inside the spec's folder, `.` is the default path.
    let inside = diff(&repo.join("specs/site"), &["main~1", "main"]);
    assert_eq!(text(&inside), out);

    let base = diff(repo, &["--base", "main", "--exit-code", "--", "specs/site"]);
    let base_out = text(&base);
    assert_eq!(base.status.code(), Some(1), "{base_out}");
    assert!(base_out.contains("port https: listen https on TCP 8443 -> listen https on TCP 9443"), "{base_out}");
    assert!(!base_out.contains("was sql"), "{base_out}");

    let unknown = diff(repo, &["nope", "main", "--", "specs/site"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    assert!(text(&unknown).contains("`nope` is neither a folder nor a revision"), "{}", text(&unknown));
    let missing = diff(repo, &["main~1", "main", "--", "specs/elsewhere"]);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
    assert!(text(&missing).contains("`specs/elsewhere` does not exist at `main~1`"), "{}", text(&missing));

    let after = (tree(repo), status(repo), fs::read(repo.join(".git/index")).unwrap());
    assert!(before == after, "the work tree or the index changed");
}
