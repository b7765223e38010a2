//! Finding a spec's files: the `.ptl` files under a folder, in name order, with the skip rules and
//! the limits every entry point shares, and the folder a lone file's spec is rooted in.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

use super::system::{EntryKind, System};
use super::{Limits, LoadProblem, display};

/// Folders never searched below a spec's root: hidden ones (`.git`), build outputs and
/// dependencies. A folder named on the command line is searched whatever its name.
pub const SKIPPED_FOLDERS: [&str; 2] = ["target", "node_modules"];

/// What a walk found: the `.ptl` files, and what it left out and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub problems: Vec<LoadProblem>,
}

/// True for an entry below the root that the walk does not enter or read: a hidden entry
/// (`.git`, an editor's `.#site.ptl` lock file), `target`, `node_modules`.
pub fn is_skipped(name: &str, kind: EntryKind) -> bool {
    name.starts_with('.') || (kind == EntryKind::Folder && SKIPPED_FOLDERS.contains(&name))
}

fn is_spec_file(name: &str, kind: EntryKind) -> bool {
    kind == EntryKind::File && name.ends_with(".ptl") && name.len() > ".ptl".len()
}

/// The `.ptl` files under `root`, depth first, each folder's entries in byte order of their
/// names. Past [`Limits::max_files`] files or [`Limits::max_entries`] entries the walk stops and
/// returns no file at all, only the problem: a folder that large is not one spec, and checking
/// part of it would bury the one message that matters under unrelated ones.
pub fn walk(system: &dyn System, root: &Path, limits: &Limits) -> Walk {
    let mut walk = Walk::default();
    let mut seen: FxHashSet<PathBuf> = FxHashSet::default();
    let mut entries = 0usize;
    // (folder, depth), last to visit first.
    let mut stack: Vec<(PathBuf, usize)> = vec![(root.to_path_buf(), 0)];
    while let Some((folder, depth)) = stack.pop() {
        // A folder reached twice (through a symbolic link) is walked once.
        if let Ok(canonical) = system.canonicalize(&folder)
            && !seen.insert(canonical)
        {
            continue;
        }
        let mut listed = match system.read_dir(&folder) {
            Ok(listed) => listed,
            Err(error) => {
                walk.problems
                    .push(LoadProblem::UnlistableFolder { folder: display(&folder), error: error.to_string() });
                continue;
            }
        };
        listed.sort_by(|a, b| a.name.cmp(&b.name));
        let mut folders = Vec::new();
        for entry in listed {
            entries += 1;
            if entries > limits.max_entries {
                return too_large(LoadProblem::TooManyEntries { folder: display(root), limit: limits.max_entries });
            }
            let name = entry.name.to_string_lossy();
            if is_skipped(&name, entry.kind) {
                continue;
            }
            match entry.kind {
                EntryKind::Folder if depth + 1 > limits.max_depth => {
                    walk.problems.push(LoadProblem::TooDeep { folder: display(&entry.path), limit: limits.max_depth });
                }
                EntryKind::Folder => folders.push(entry.path),
                kind if is_spec_file(&name, kind) => {
                    walk.files.push(entry.path);
                    if walk.files.len() > limits.max_files {
                        return too_large(LoadProblem::TooManyFiles { folder: display(root), limit: limits.max_files });
                    }
                }
                _ => {}
            }
        }
        // Depth first, in name order: the first folder is visited next.
        stack.extend(folders.into_iter().rev().map(|f| (f, depth + 1)));
    }
    walk.files.sort_by(|a, b| a.components().cmp(b.components()));
    walk
}

fn too_large(problem: LoadProblem) -> Walk {
    Walk { files: Vec::new(), problems: vec![problem] }
}

/// The folder a file's spec is rooted in: its own folder, or, while the folder above directly
/// holds a `.ptl` file too, that folder (`infra/zones/dmz.ptl` belongs to `infra/` when
/// `infra/site.ptl` exists: its module is `zones.dmz`). A folder holding `.git` is a
/// repository's root and is never passed, nor is a folder that a walk of its parent would skip
/// (a hidden folder, `target`, `node_modules`).
pub fn spec_root(system: &dyn System, file: &Path) -> PathBuf {
    let mut root = file.parent().map(Path::to_path_buf).unwrap_or_default();
    loop {
        let skipped = root.file_name().is_some_and(|name| is_skipped(&name.to_string_lossy(), EntryKind::Folder));
        if skipped || has_entry(system, &root, |name, _| name == ".git") {
            return root;
        }
        let Some(parent) = root.parent().filter(|p| *p != root) else { return root };
        // The parent of a relative `dmz` is ``: the current folder.
        let listed = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
        if !has_entry(system, listed, is_spec_file) {
            return root;
        }
        root = parent.to_path_buf();
    }
}

fn has_entry(system: &dyn System, folder: &Path, test: impl Fn(&str, EntryKind) -> bool) -> bool {
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    system.read_dir(folder).is_ok_and(|entries| entries.iter().any(|e| test(&e.name.to_string_lossy(), e.kind)))
}
