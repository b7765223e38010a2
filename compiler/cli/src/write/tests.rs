//! The writer's tests: a failure injected at each file system call in turn (no space, no
//! permission, a name refused, a folder in the way) leaves the folder exactly as it was, names,
//! contents and modes; the real file system's own refusals do too; a build that succeeds
//! removes stale files and the folders they leave, keeps other files, and gives new files the
//! umask's mode and replaced ones their own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fs::Permissions;
use std::io::{self, ErrorKind};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use portolan_emit::{Output, Target};

use super::manifest;
use super::plan::{Write, plan};
use super::transaction::{Fs, RealFs, apply};

/// A file system whose `fail_at`-th call (and `also_at`-th) fails with `error`; with
/// `no_links`, it has no hard links (as FAT has not).
struct Faulty {
    fail_at: usize,
    also_at: usize,
    calls: Cell<usize>,
    error: Injected,
    no_links: bool,
}

impl Faulty {
    fn new(fail_at: usize, error: Injected, no_links: bool) -> Faulty {
        Faulty { fail_at, also_at: 0, calls: Cell::new(0), error, no_links }
    }

    fn call(&self) -> io::Result<()> {
        self.calls.set(self.calls.get() + 1);
        if [self.fail_at, self.also_at].contains(&self.calls.get()) { Err((self.error)()) } else { Ok(()) }
    }
}

impl Fs for Faulty {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        self.call()?;
        RealFs.create_dir(path)
    }
    fn create_new(&self, path: &Path, bytes: &[u8], permissions: Option<&Permissions>) -> io::Result<()> {
        self.call()?;
        RealFs.create_new(path, bytes, permissions)
    }
    fn hard_link(&self, original: &Path, link: &Path) -> io::Result<()> {
        self.call()?;
        if self.no_links {
            return Err(io::Error::from(ErrorKind::Unsupported));
        }
        RealFs.hard_link(original, link)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.call()?;
        RealFs.rename(from, to)
    }
    fn remove_file(&self, path: &Path) -> io::Result<()> {
        self.call()?;
        RealFs.remove_file(path)
    }
    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        self.call()?;
        RealFs.remove_dir(path)
    }
    fn set_permissions(&self, path: &Path, permissions: &Permissions) -> io::Result<()> {
        self.call()?;
        RealFs.set_permissions(path, permissions)
    }
}

/// Makes the error a call fails with.
type Injected = fn() -> io::Error;

const ERRORS: &[(&str, Injected)] = &[
    ("a full disk", || io::Error::new(ErrorKind::StorageFull, "no space left on device (injected)")),
    ("an unwritable file", || io::Error::new(ErrorKind::PermissionDenied, "permission denied (injected)")),
    ("a name refused", || io::Error::new(ErrorKind::InvalidFilename, "file name too long (injected)")),
    ("a folder in the way", || io::Error::new(ErrorKind::IsADirectory, "is a directory (injected)")),
];

trait Backup {
    fn starts_with_backup(&self) -> bool;
}

impl Backup for PathBuf {
    /// A temporary file or backup of the writer: `.portolan-PID-N.tmp` or `.old`.
    fn starts_with_backup(&self) -> bool {
        let name = self.file_name().unwrap_or_default().to_string_lossy();
        name.starts_with(".portolan-") && (name.ends_with(".tmp") || name.ends_with(".old"))
    }
}

/// Every entry under `dir`: its mode, and a file's bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, (u32, Option<Vec<u8>>)> {
    let mut out = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let metadata = std::fs::symlink_metadata(&path).unwrap();
            let mode = metadata.permissions().mode() & 0o7777;
            let bytes = metadata.is_file().then(|| std::fs::read(&path).unwrap());
            if metadata.is_dir() {
                folders.push(path.clone());
            }
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), (mode, bytes));
        }
    }
    out
}

fn put(dir: &Path, path: &str, text: &str, mode: u32) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, Permissions::from_mode(mode)).unwrap();
}

/// The folder an earlier build of markdown, nftables and json left, with a user's README: the
/// next build replaces `ports.md` (mode 0640), keeps `keep.nft`, removes the stale `old.nft`
/// and `gone/deep/x.nft` (and the folders `gone/deep` and `gone`, which it made), writes
/// `nftables/new.nft` and `new/sub/diagram.dot`, and leaves `model.json` (json is not built).
fn earlier_build(out: &Path) {
    let mut old = manifest::Manifest::default();
    for (path, target) in [
        ("ports.md", "markdown"),
        ("nftables/old.nft", "nftables"),
        ("nftables/keep.nft", "nftables"),
        ("gone/deep/x.nft", "nftables"),
        ("model.json", "json"),
    ] {
        put(out, path, &format!("old {path}\n"), 0o644);
        old.files.insert(path.into(), target.into());
    }
    old.folders.extend(["nftables".to_string(), "gone".into(), "gone/deep".into()]);
    std::fs::set_permissions(out.join("ports.md"), Permissions::from_mode(0o640)).unwrap();
    std::fs::set_permissions(out.join("gone/deep"), Permissions::from_mode(0o750)).unwrap();
    put(out, "README.md", "the user's own\n", 0o600);
    put(out, manifest::FILE, &old.render(), 0o644);
}

fn outputs() -> (Vec<(Target, Output)>, Vec<Target>) {
    let output = |path: &str, text: &str| Output { path: path.into(), text: text.into() };
    let outputs = vec![
        (Target::Dot, output("new/sub/diagram.dot", "digraph {}\n")),
        (Target::Nftables, output("nftables/keep.nft", "old nftables/keep.nft\n")),
        (Target::Nftables, output("nftables/new.nft", "new\n")),
        (Target::Markdown, output("ports.md", "new ports\n")),
    ];
    (outputs, vec![Target::Nftables, Target::Markdown, Target::Dot])
}

/// The mode a new file gets here: 0666 less the umask.
fn new_file_mode() -> u32 {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("probe");
    std::fs::File::create(&path).unwrap();
    std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_build_replaces_adds_and_removes_what_it_owns_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    earlier_build(&out);
    let (outputs, targets) = outputs();
    let first = plan(&out, outputs.clone(), &targets).unwrap();
    assert_eq!(first.unchanged, 1);
    let done = apply(&first, &RealFs).unwrap();
    assert_eq!((done.written, done.removed, done.warnings.len()), (3, 2, 0));
    let after = tree(&out);
    let names: Vec<String> = after.keys().map(|p| p.to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            manifest::FILE,
            "README.md",
            "model.json",
            "new",
            "new/sub",
            "new/sub/diagram.dot",
            "nftables",
            "nftables/keep.nft",
            "nftables/new.nft",
            "ports.md"
        ]
    );
    assert_eq!(after[Path::new("ports.md")], (0o640, Some(b"new ports\n".to_vec())), "a replaced file keeps its mode");
    assert_eq!(after[Path::new("nftables/new.nft")].0, new_file_mode(), "a new file gets the umask's mode");
    let manifest = std::fs::read_to_string(out.join(manifest::FILE)).unwrap();
    let manifest = manifest::Manifest::parse(&manifest).unwrap();
    let files: Vec<&str> = manifest.files.keys().map(String::as_str).collect();
    assert_eq!(files, ["model.json", "new/sub/diagram.dot", "nftables/keep.nft", "nftables/new.nft", "ports.md"]);
    let folders: Vec<&str> = manifest.folders.iter().map(String::as_str).collect();
    assert_eq!(folders, ["new", "new/sub", "nftables"]);
    assert!(plan(&out, outputs, &targets).unwrap().is_empty(), "a second build changes nothing");
}

/// Runs the build with a failure at each call in turn until one runs through: every failed
/// run leaves the folder as it was; the one that runs through leaves it as a build does.
fn fail_at_every_step(no_links: bool) {
    let reference = tempfile::tempdir().unwrap();
    earlier_build(reference.path());
    let (outputs, targets) = outputs();
    apply(&plan(reference.path(), outputs.clone(), &targets).unwrap(), &RealFs).unwrap();
    let expected = tree(reference.path());
    for (what, error) in ERRORS {
        let mut failures = 0;
        for fail_at in 1.. {
            let dir = tempfile::tempdir().unwrap();
            earlier_build(dir.path());
            let before = tree(dir.path());
            let plan = plan(dir.path(), outputs.clone(), &targets).unwrap();
            let fs = Faulty::new(fail_at, *error, no_links);
            match apply(&plan, &fs) {
                Err(report) => {
                    failures += 1;
                    assert!(report.to_string().contains("nothing was changed"), "{what} at call {fail_at}: {report}");
                    assert_eq!(tree(dir.path()), before, "{what} at call {fail_at} changed the folder");
                }
                Ok(done) => {
                    // A failure only a backup's removal met, after the build succeeded, is a
                    // warning that names the backup left behind; a hard link refused, a rename.
                    let mut after = tree(dir.path());
                    after.retain(|path, _| path == Path::new(manifest::FILE) || !path.starts_with_backup());
                    assert_eq!(
                        tree(dir.path()).len() - after.len(),
                        done.warnings.len(),
                        "{what} at {fail_at}: {:?} {:?}",
                        tree(dir.path()).keys().collect::<Vec<_>>(),
                        done.warnings
                    );
                    assert_eq!(after, expected, "{what} at call {fail_at}: the build that ran through");
                    if fs.calls.get() < fail_at {
                        break;
                    }
                }
            }
        }
        assert!(failures >= 12, "{what}: only {failures} calls could fail");
    }
}

#[test]
fn a_failure_at_any_call_leaves_the_folder_as_it_was() {
    fail_at_every_step(false);
}

#[test]
fn without_hard_links_too() {
    fail_at_every_step(true);
}

#[test]
fn an_undo_that_fails_too_is_reported_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    earlier_build(dir.path());
    let (outputs, targets) = outputs();
    let plan = plan(dir.path(), outputs.clone(), &targets).unwrap();
    // Call 8 renames `nftables/new.nft` into place and fails; call 9, the first undo, removes
    // `new/sub/diagram.dot`, placed before it, and fails too: it and its folders stay.
    let fs = Faulty { also_at: 9, ..Faulty::new(8, ERRORS[1].1, false) };
    let report = apply(&plan, &fs).unwrap_err().to_string();
    assert!(report.contains("cannot write") && report.contains("is not as it was"), "{report}");
    assert!(report.contains("cannot remove `") && report.contains("diagram.dot`: permission denied"), "{report}");
    assert!(report.contains("cannot remove the folder"), "{report}");
    // Every other step is still undone: no temporary file is left, the old files are back.
    let after = tree(dir.path());
    assert!(!after.keys().any(|p| p.starts_with_backup()), "{:?}", after.keys());
    assert_eq!(after[Path::new("ports.md")].1.as_deref(), Some(&b"old ports.md\n"[..]));
}

#[test]
fn a_name_the_file_system_refuses_after_files_were_replaced_undoes_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    earlier_build(out);
    let before = tree(out);
    let (outputs, targets) = outputs();
    let mut plan = plan(out, outputs.clone(), &targets).unwrap();
    // After `ports.md`, which is replaced first: the rename to this name fails. (Planning
    // refuses such a name already: this is a file system that refuses it only when written.)
    let long = format!("{}.md", "z".repeat(300));
    plan.writes.push(Write { path: long, bytes: b"x\n".to_vec(), old: None, manifest: false });
    let error = apply(&plan, &RealFs).unwrap_err().to_string();
    assert!(error.contains("cannot write") && error.contains("nothing was changed"), "{error}");
    assert_eq!(tree(out), before);
}

#[test]
fn a_folder_that_appears_where_a_file_goes_undoes_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    earlier_build(out);
    let (outputs, targets) = outputs();
    let plan = plan(out, outputs.clone(), &targets).unwrap();
    // After planning: the last file, `ports.md`, has a folder in its place.
    std::fs::remove_file(out.join("ports.md")).unwrap();
    std::fs::create_dir(out.join("ports.md")).unwrap();
    std::fs::write(out.join("ports.md/inside"), "x").unwrap();
    let before = tree(out);
    assert!(apply(&plan, &RealFs).is_err());
    assert_eq!(tree(out), before);
}

#[test]
fn a_name_too_long_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (mut outputs, targets) = outputs();
    outputs.push((Target::Markdown, Output { path: "z".repeat(300).into(), text: "x\n".into() }));
    let error = plan(dir.path(), outputs.clone(), &targets).unwrap_err().to_string();
    assert!(error.contains("the file system refuses the name"), "{error}");
}

#[test]
fn a_folder_in_the_way_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("ports.md")).unwrap();
    let (outputs, targets) = outputs();
    let error = plan(dir.path(), outputs.clone(), &targets).unwrap_err().to_string();
    assert!(error.contains("a folder is in the way"), "{error}");
}

#[test]
fn a_manifest_that_names_a_path_outside_the_folder_stops_the_build() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "x", "a file outside\n", 0o644);
    let out = dir.path().join("out");
    put(&out, manifest::FILE, "portolan-manifest 1\nfile markdown ../x\n", 0o644);
    let (outputs, targets) = outputs();
    let error = format!("{:?}", plan(&out, outputs.clone(), &targets).unwrap_err());
    assert!(error.contains("is not a manifest"), "{error}");
    assert!(dir.path().join("x").exists());
}
