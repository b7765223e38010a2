//! The loader on specs held in memory and, for links and permissions, on disk.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use super::*;
use crate::codes::Code;

fn system(files: &[(&str, &str)]) -> MemorySystem {
    let mut system = MemorySystem::new();
    for (path, text) in files {
        system.insert(*path, text.as_bytes());
    }
    system
}

fn paths(db: &Database) -> Vec<(String, String)> {
    db.user_files().iter().map(|f| (f.path(db).clone(), f.module(db).clone())).collect()
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn a_folder_is_its_ptl_files_in_name_order_without_hidden_and_build_folders() {
    let system = system(&[
        ("spec/site.ptl", ""),
        ("spec/b/x.ptl", ""),
        ("spec/a.ptl", ""),
        ("spec/.git/hooks.ptl", ""),
        ("spec/.#site.ptl", ""),
        ("spec/target/out.ptl", ""),
        ("spec/node_modules/m.ptl", ""),
        ("spec/notes.txt", ""),
        ("spec/.ptl", ""),
    ]);
    let spec = load(&system, Path::new("spec"), &Limits::DEFAULT).unwrap();
    assert_eq!(
        paths(&spec.db),
        [("spec/a.ptl", "a"), ("spec/b/x.ptl", "b.x"), ("spec/site.ptl", "site")]
            .map(|(p, m)| (p.to_string(), m.to_string()))
    );
    assert!(spec.problems.is_empty());
}

#[test]
fn a_folder_named_on_the_command_line_is_searched_whatever_its_name() {
    let system = system(&[(".hidden/site.ptl", ""), (".hidden/target/x.ptl", "")]);
    let spec = load(&system, Path::new(".hidden"), &Limits::DEFAULT).unwrap();
    assert_eq!(paths(&spec.db), [(".hidden/site.ptl".to_string(), "site".to_string())]);
}

#[test]
fn a_file_too_large_is_an_empty_module_and_one_p002() {
    let system = system(&[("spec/big.ptl", "zone a { trust dmz }\n"), ("spec/site.ptl", "use big\n")]);
    let limits = Limits { max_file_bytes: 10, ..Limits::DEFAULT };
    let spec = load(&system, Path::new("spec"), &limits).unwrap();
    assert_eq!(codes(&spec.problems), ["P002"]);
    let file = spec.db.file("spec/big.ptl").unwrap();
    assert_eq!(file.text(&spec.db), "");
    assert_eq!(spec.problems[0].location().map(|l| l.file), Some(file));
    // The module exists, so its `use` is not reported too.
    assert!(crate::collect::diagnostics(&spec.db).iter().all(|d| d.code != Code::UnresolvedModule));
}

#[test]
fn a_file_that_is_not_utf8_is_read_and_reported_at_its_first_invalid_byte() {
    let mut system = MemorySystem::new();
    system.insert("spec/site.ptl", b"zone a \"\xff\" {}\n".to_vec());
    let spec = load(&system, Path::new("spec"), &Limits::DEFAULT).unwrap();
    assert_eq!(codes(&spec.problems), ["P001"]);
    let location = spec.problems[0].location().unwrap();
    assert_eq!((location.span.start, location.span.end), (8, 11));
    assert_eq!(location.file.text(&spec.db), "zone a \"\u{fffd}\" {}\n");
}

#[test]
fn too_many_files_load_nothing_and_say_so_once() {
    let files: Vec<(String, &str)> = (0..5).map(|i| (format!("here/s{i}/site.ptl"), "zone z {}")).collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let limits = Limits { max_files: 4, ..Limits::DEFAULT };
    let spec = load(&system(&files), Path::new("here"), &limits).unwrap();
    assert!(spec.db.user_files().is_empty());
    assert_eq!(codes(&spec.problems), ["P002"]);
    assert!(spec.problems[0].message.contains("more than 4 `.ptl` files"), "{}", spec.problems[0].message);
    // At the limit, everything loads.
    let limits = Limits { max_files: 5, ..Limits::DEFAULT };
    assert_eq!(load(&system(&files), Path::new("here"), &limits).unwrap().db.user_files().len(), 5);
}

#[test]
fn too_many_entries_stop_the_walk() {
    let files: Vec<String> = (0..50).map(|i| format!("home/f{i:02}.txt")).collect();
    let mut files: Vec<(&str, &str)> = files.iter().map(|p| (p.as_str(), "")).collect();
    files.push(("home/spec/site.ptl", ""));
    let limits = Limits { max_entries: 20, ..Limits::DEFAULT };
    let spec = load(&system(&files), Path::new("home"), &limits).unwrap();
    assert_eq!(codes(&spec.problems), ["P002"]);
    assert!(spec.db.user_files().is_empty());
}

#[test]
fn folders_too_deep_are_reported_not_searched() {
    let system = system(&[("spec/site.ptl", ""), ("spec/a/b/c/deep.ptl", "")]);
    let limits = Limits { max_depth: 2, ..Limits::DEFAULT };
    let spec = load(&system, Path::new("spec"), &limits).unwrap();
    assert_eq!(paths(&spec.db), [("spec/site.ptl".to_string(), "site".to_string())]);
    assert_eq!(codes(&spec.problems), ["P002"]);
    assert!(spec.problems[0].message.contains("spec/a/b/c"), "{}", spec.problems[0].message);
}

#[test]
fn an_empty_folder_cannot_be_loaded() {
    let error = load(&system(&[("spec/notes.txt", "")]), Path::new("spec"), &Limits::DEFAULT).err().unwrap();
    assert_eq!(error.message, "`spec` holds no `.ptl` file");
    assert!(load(&system(&[]), Path::new("nowhere"), &Limits::DEFAULT).is_err());
}

#[test]
fn a_file_is_checked_with_the_modules_it_uses_from_its_specs_root() {
    let system = system(&[
        ("infra/site.ptl", "use zones.dmz\n"),
        ("infra/zones/dmz.ptl", "use components\n"),
        ("infra/components.ptl", ""),
        ("infra/unrelated.ptl", ""),
    ]);
    let spec = load(&system, Path::new("infra/zones/dmz.ptl"), &Limits::DEFAULT).unwrap();
    assert_eq!(spec.root, PathBuf::from("infra"));
    assert_eq!(
        paths(&spec.db),
        [("infra/zones/dmz.ptl", "zones.dmz"), ("infra/components.ptl", "components")]
            .map(|(p, m)| (p.to_string(), m.to_string()))
    );
}

#[test]
fn a_specs_root_stops_below_a_folder_without_ptl_files_and_at_a_repository() {
    let system = system(&[
        ("repo/.git/HEAD", ""),
        ("repo/top.ptl", ""),
        ("repo/examples/one/site.ptl", ""),
        ("repo/examples/one/zones/dmz.ptl", ""),
        ("repo/spec/site.ptl", ""),
        ("repo/.hidden/site.ptl", ""),
    ]);
    assert_eq!(spec_root(&system, Path::new("repo/.hidden/site.ptl")), PathBuf::from("repo/.hidden"));
    assert_eq!(spec_root(&system, Path::new("repo/examples/one/zones/dmz.ptl")), PathBuf::from("repo/examples/one"));
    assert_eq!(spec_root(&system, Path::new("repo/spec/site.ptl")), PathBuf::from("repo"));
    assert_eq!(spec_root(&system, Path::new("repo/top.ptl")), PathBuf::from("repo"));
}

#[test]
fn module_names_count_from_the_root() {
    assert_eq!(module_name(Path::new("zones/dmz.ptl")), "zones.dmz");
    assert_eq!(module_name(Path::new("./site.ptl")), "site");
    assert_eq!(module_of("vendor/onee.ptl"), "vendor.onee");
    assert_eq!(display(Path::new("./site.ptl")), "site.ptl");
}

#[cfg(unix)]
#[test]
fn a_folder_linked_into_itself_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec");
    std::fs::create_dir_all(spec.join("zones")).unwrap();
    std::fs::write(spec.join("site.ptl"), "").unwrap();
    std::fs::write(spec.join("zones/dmz.ptl"), "").unwrap();
    std::os::unix::fs::symlink(&spec, spec.join("zones/loop")).unwrap();
    let loaded = load(&OsSystem, &spec, &Limits::DEFAULT).unwrap();
    assert_eq!(loaded.db.user_files().len(), 2);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
}
