//! What the loader leaves out of a spec, end to end through `portolan check`: a folder too large to
//! be one spec, a file over the size limit, folders nested too deep, and the skip rules. The
//! language server's side of the same cases is in `lsp/tests/load.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::Path;
use std::process::{Command, Output};

fn portolan(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portolan")).args(args).current_dir(cwd).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(path: &Path, text: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `count` one-protocol specs, each in a folder of its own: unrelated to each other.
fn many_specs(dir: &Path, count: usize) {
    for i in 0..count {
        write(&dir.join(format!("spec{i:04}/main.ptl")), format!("protocol p{i} = tcp/{}\n", i + 1).as_bytes());
    }
}

#[test]
fn a_folder_of_thousands_of_files_ends_with_one_diagnostic_about_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    many_specs(dir.path(), 2_001);
    let out = portolan(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out), @r"
    error[P002]: `.` holds more than 2000 `.ptl` files, more than one spec may have; nothing was checked
     = help: name the spec's own folder (`portolan check path/to/spec`): a folder of many specs is not one spec

    1 error
    ");
    // The JSON output says the same, with no location.
    let out = portolan(&["check", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    assert_eq!(json[0]["code"], "P002");
    assert_eq!(json[0]["file"], "");
}

#[test]
fn a_folder_at_the_limit_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    many_specs(dir.path(), 2_000);
    let out = portolan(&["check"], dir.path());
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), "no problems found\n"));
}

#[test]
fn a_file_over_the_size_limit_is_reported_and_the_rest_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = b"protocol big = tcp/9\n".to_vec();
    big.resize((32 << 20) + 1, b'\n');
    write(&dir.path().join("spec/big.ptl"), &big);
    write(&dir.path().join("spec/site.ptl"), b"use big\nzone z { trust internal cidr 10.0.0.0/300 }\n");
    let out = portolan(&["check", "spec"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("error[P002]: `spec/big.ptl` is 32.0 MiB; a spec's files are at most 32 MiB"), "{text}");
    assert!(text.contains("error[P403]"), "the other file is still checked: {text}");
    assert!(!text.contains("P104"), "the module of the file left out still exists: {text}");
}

#[test]
fn folders_nested_too_deep_are_reported_and_one_less_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let chain = |n: usize| (1..=n).map(|i| format!("d{i}")).collect::<Vec<_>>().join("/");
    write(&dir.path().join(format!("deep/{}/far.ptl", chain(17))), b"protocol far = tcp/9\n");
    write(&dir.path().join(format!("ok/{}/far.ptl", chain(16))), b"protocol far = tcp/9\n");
    write(&dir.path().join("ok/site.ptl"), format!("use {}.far\n", chain(16).replace('/', ".")).as_bytes());
    let out = portolan(&["check", "deep"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains(&format!("error[P002]: `deep/{}` is more than 16 folders below", chain(17))), "{text}");
    let out = portolan(&["check", "ok"], dir.path());
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), "no problems found\n"));
}

#[test]
fn hidden_build_and_dependency_folders_are_not_part_of_a_spec() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("spec/site.ptl"), b"protocol p = tcp/1\n");
    for skipped in [".git/x.ptl", ".#site.ptl", "target/x.ptl", "node_modules/m/x.ptl", ".cache/x.ptl"] {
        write(&dir.path().join("spec").join(skipped), b"this is not a spec\n");
    }
    let out = portolan(&["check", "spec"], dir.path());
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), "no problems found\n"));
    // `fmt` finds the same files.
    let out = portolan(&["fmt", "--check", "spec"], dir.path());
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), ""));
}

#[test]
fn a_nested_module_checked_alone_is_named_from_its_specs_root() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("infra/site.ptl"), b"use zones.dmz\n");
    write(&dir.path().join("infra/zones/dmz.ptl"), b"use site\nprotocol p = tcp/1\n");
    let out = portolan(&["check", "infra/zones/dmz.ptl", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // `zones.dmz` and `site` use each other: the cycle is found because both resolve.
    assert_eq!(json[0]["code"], "P103", "{json}");
}
