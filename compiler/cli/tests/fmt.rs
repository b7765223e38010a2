//! `portolan fmt`: rewriting files and folders, `--check` for CI, `--stdin`, exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const MESSY: &str = "zone dc {trust internal   node web:Server{address 10.0.0.1}}\nflow a.b->c.d   \n";
const TIDY: &str = "zone dc {\n    trust internal\n    node web: Server { address 10.0.0.1 }\n}\nflow a.b -> c.d\n";

fn portolan(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portolan")).args(args).current_dir(cwd).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Every entry of a folder, recursively, so a test can see that no temporary file is left.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        walk(dir).into_iter().map(|p| p.strip_prefix(dir).unwrap().display().to_string()).collect();
    names.sort();
    names
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn rewrites_files_under_a_folder_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec/zones")).unwrap();
    std::fs::write(dir.path().join("spec/site.ptl"), MESSY).unwrap();
    std::fs::write(dir.path().join("spec/zones/dmz.ptl"), TIDY).unwrap();
    std::fs::write(dir.path().join("spec/notes.txt"), MESSY).unwrap();
    let out = portolan(&["fmt", "spec"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(read(&dir.path().join("spec/site.ptl")), TIDY);
    assert_eq!(read(&dir.path().join("spec/zones/dmz.ptl")), TIDY);
    assert_eq!(read(&dir.path().join("spec/notes.txt")), MESSY, "only .ptl files are formatted");
    assert_eq!(entries(dir.path()), ["spec", "spec/notes.txt", "spec/site.ptl", "spec/zones", "spec/zones/dmz.ptl"]);
}

#[test]
fn formats_the_current_folder_by_default_and_named_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.ptl"), MESSY).unwrap();
    std::fs::write(dir.path().join("b.ptl"), MESSY).unwrap();
    assert_eq!(portolan(&["fmt", "a.ptl"], dir.path()).status.code(), Some(0));
    assert_eq!(read(&dir.path().join("a.ptl")), TIDY);
    assert_eq!(read(&dir.path().join("b.ptl")), MESSY);
    assert_eq!(portolan(&["fmt"], dir.path()).status.code(), Some(0));
    assert_eq!(read(&dir.path().join("b.ptl")), TIDY);
}

#[test]
fn check_lists_unformatted_files_exits_one_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("messy.ptl"), MESSY).unwrap();
    std::fs::write(dir.path().join("tidy.ptl"), TIDY).unwrap();
    let out = portolan(&["fmt", "--check", "."], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "messy.ptl\n");
    assert_eq!(read(&dir.path().join("messy.ptl")), MESSY);
    let out = portolan(&["fmt", "--check", "tidy.ptl"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[test]
fn stdin_is_formatted_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .args(["fmt", "--stdin"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(MESSY.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), TIDY);
    assert!(entries(dir.path()).is_empty(), "--stdin writes no file");
}

#[test]
fn io_errors_exit_two_and_other_files_are_still_formatted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.ptl"), [0x66, 0x6c, 0xff, 0xfe]).unwrap();
    std::fs::write(dir.path().join("good.ptl"), MESSY).unwrap();
    let out = portolan(&["fmt", "missing.ptl", "bad.ptl", "good.ptl"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot read `missing.ptl`"), "{stderr}");
    assert!(stderr.contains("`bad.ptl` is not UTF-8"), "{stderr}");
    assert_eq!(read(&dir.path().join("good.ptl")), TIDY);
    assert_eq!(portolan(&["fmt", "--stdin", "good.ptl"], dir.path()).status.code(), Some(2), "usage error");
}

#[test]
fn a_broken_file_keeps_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "component A {\n  listen x: https on tcp/ // unfinished\n}\nflow   a.b  ->  c.d\n";
    std::fs::write(dir.path().join("broken.ptl"), broken).unwrap();
    assert_eq!(portolan(&["fmt", "broken.ptl"], dir.path()).status.code(), Some(0));
    let text = read(&dir.path().join("broken.ptl"));
    assert_eq!(text, "component A {\n  listen x: https on tcp/ // unfinished\n}\nflow a.b -> c.d\n");
}
