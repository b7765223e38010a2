//! What a build changes in its output folder, decided before anything is touched: the files to
//! write (those that differ), the files of earlier builds to remove (stale), the folders that
//! removing them leaves empty, and the new manifest. `--check` shows the plan as a diff; a
//! build carries it out as one transaction (`transaction.rs`).

use std::collections::BTreeSet;
use std::fs::Permissions;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::{Result, error};
use portolan_emit::{Output, Target};

use super::manifest::{self, Manifest};

/// The changes one build makes in `out`.
#[derive(Debug)]
pub struct Plan {
    pub out: PathBuf,
    /// Files to write, in path order, the manifest last.
    pub writes: Vec<Write>,
    /// Files earlier builds wrote that this one does not, in path order.
    pub stale: Vec<Stale>,
    /// Folders earlier builds made that removing the stale files leaves empty, deepest first.
    pub empty_folders: Vec<String>,
    /// Folders to make for the writes, parents first (`out` itself too, when it is missing).
    pub new_folders: Vec<PathBuf>,
    /// Outputs already identical in `out`.
    pub unchanged: usize,
}

#[derive(Debug)]
pub struct Write {
    /// Relative to `out`, with `/`.
    pub path: String,
    pub bytes: Vec<u8>,
    /// What `out` holds there now, when it holds a file.
    pub old: Option<Old>,
    /// True for the manifest, which is not one of the build's outputs.
    pub manifest: bool,
}

#[derive(Debug)]
pub struct Old {
    pub bytes: Vec<u8>,
    /// Kept by the new file.
    pub permissions: Permissions,
}

#[derive(Debug)]
pub struct Stale {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Plan {
    /// True when the build would change nothing.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.stale.is_empty()
    }
}

/// The plan for writing `outputs` (each with the target that made it; `targets` are all the
/// targets built, even one that wrote nothing) into `out`.
pub fn plan(out: &Path, outputs: Vec<(Target, Output)>, targets: &[Target]) -> Result<Plan> {
    let manifest_path = out.join(manifest::FILE);
    let old_manifest_file = read(&manifest_path)?;
    let old_manifest = match &old_manifest_file {
        Some((bytes, _)) => Manifest::parse(&String::from_utf8_lossy(bytes)).map_err(|why| {
            error!("`{}` is not a manifest `portolan build` wrote: {why}", manifest_path.display())
                .tip("delete it to start over: the next build then removes no file of an earlier one")
        })?,
        None => Manifest::default(),
    };
    let built: BTreeSet<&str> = targets.iter().map(|t| t.name()).collect();
    let mut manifest = Manifest::default();
    // Files of targets not built this time stay theirs while they are there.
    for (path, target) in &old_manifest.files {
        if !built.contains(target.as_str()) && is_file(&out.join(path)) {
            manifest.files.insert(path.clone(), target.clone());
        }
    }
    let mut writes = Vec::new();
    let mut unchanged = 0;
    for (target, output) in outputs {
        let path = output.path.to_string_lossy().replace('\\', "/");
        manifest::check_path(&path).map_err(|why| error!("cannot write `{path}`: {why}"))?;
        let destination = out.join(&path);
        let old = read(&destination)?;
        if old.as_ref().is_some_and(|(old, _)| *old == output.text.as_bytes()) {
            unchanged += 1;
        } else {
            let old = old.map(|(bytes, permissions)| Old { bytes, permissions });
            writes.push(Write { path: path.clone(), bytes: output.text.into_bytes(), old, manifest: false });
        }
        manifest.files.insert(path, target.name().to_string());
    }
    let mut stale = Vec::new();
    for (path, target) in &old_manifest.files {
        if !built.contains(target.as_str()) || manifest.files.contains_key(path) {
            continue;
        }
        let destination = out.join(path);
        // A folder there now is not the file the build wrote: left alone.
        if std::fs::symlink_metadata(&destination).is_ok_and(|m| !m.is_dir()) {
            let bytes = std::fs::read(&destination).unwrap_or_default();
            stale.push(Stale { path: path.clone(), bytes });
        }
    }
    let new_folders = missing_folders(out, &writes);
    let empty_folders = emptied_folders(out, &old_manifest, &stale, &writes);
    manifest.folders = old_manifest.folders.iter().filter(|f| out.join(f).is_dir()).cloned().collect();
    manifest.folders.extend(new_folders.iter().filter_map(|f| relative(out, f)));
    for folder in &empty_folders {
        manifest.folders.remove(folder);
    }
    let text = manifest.render();
    if old_manifest_file.as_ref().is_none_or(|(bytes, _)| *bytes != text.as_bytes()) {
        let old = old_manifest_file.map(|(bytes, permissions)| Old { bytes, permissions });
        writes.push(Write { path: manifest::FILE.to_string(), bytes: text.into_bytes(), old, manifest: true });
    }
    Ok(Plan { out: out.to_path_buf(), writes, stale, empty_folders, new_folders, unchanged })
}

/// The file at `path` and its permissions; `None` when there is none.
fn read(path: &Path) -> Result<Option<(Vec<u8>, Permissions)>> {
    if path.is_dir() {
        return Err(error!("cannot write `{}`: a folder is in the way", path.display()));
    }
    match std::fs::read(path) {
        Ok(bytes) => {
            let permissions =
                std::fs::metadata(path).map_err(|e| error!("cannot read `{}`: {e}", path.display()))?.permissions();
            Ok(Some((bytes, permissions)))
        }
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == ErrorKind::NotADirectory => {
            Err(error!("cannot write `{}`: a file is in the way of its folder", path.display()))
        }
        Err(e) if e.kind() == ErrorKind::InvalidFilename => {
            Err(error!("cannot write `{}`: the file system refuses the name: {e}", path.display()))
        }
        Err(e) => Err(error!("cannot read `{}`: {e}", path.display())),
    }
}

fn is_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir())
}

fn relative(out: &Path, folder: &Path) -> Option<String> {
    let relative = folder.strip_prefix(out).ok()?.to_string_lossy().replace('\\', "/");
    (!relative.is_empty()).then_some(relative)
}

/// The folders that the writes need and that do not exist, parents first (`out` too: the
/// manifest, in `out`, is written only with other files or when `out` exists).
fn missing_folders(out: &Path, writes: &[Write]) -> Vec<PathBuf> {
    let mut missing = BTreeSet::new();
    for write in writes {
        let mut current = out.join(&write.path).parent().map(Path::to_path_buf);
        while let Some(folder) = current.filter(|f| !f.as_os_str().is_empty() && !f.exists()) {
            current = folder.parent().map(Path::to_path_buf);
            missing.insert(folder);
        }
    }
    // Sorted paths put each parent before its children.
    missing.into_iter().collect()
}

/// The folders of the manifest that hold only stale files and such folders, and that no write
/// goes into, deepest first.
fn emptied_folders(out: &Path, old: &Manifest, stale: &[Stale], writes: &[Write]) -> Vec<String> {
    let removed: BTreeSet<&str> = stale.iter().map(|s| s.path.as_str()).collect();
    let mut candidates: BTreeSet<&str> = BTreeSet::new();
    for file in &removed {
        let mut path = *file;
        while let Some((parent, _)) = path.rsplit_once('/') {
            if old.folders.contains(parent) {
                candidates.insert(parent);
            }
            path = parent;
        }
    }
    let written = |folder: &str| writes.iter().any(|w| w.path.starts_with(&format!("{folder}/")));
    // Deepest first, so that a folder whose only entry is an emptied folder is emptied too.
    let mut ordered: Vec<&str> = candidates.into_iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    let mut emptied: Vec<String> = Vec::new();
    for folder in ordered {
        if written(folder) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(out.join(folder)) else { continue };
        let all_gone = entries.into_iter().all(|entry| {
            entry.is_ok_and(|entry| {
                let path = format!("{folder}/{}", entry.file_name().to_string_lossy());
                removed.contains(path.as_str()) || emptied.contains(&path)
            })
        });
        if all_gone {
            emptied.push(folder.to_string());
        }
    }
    emptied
}
