//! The one loader of specs, for every entry point (`portolan check`, `build` and `fmt`, the
//! language server, the tests): which files form a spec, how a path becomes a module, the limits,
//! and what is reported for a file or folder it leaves out. It reads through a [`System`], so a
//! test reads from memory and the language server lays its open documents over the disk.

mod system;
mod walk;

use std::path::{Path, PathBuf};

pub use system::{DirEntry, EntryKind, MemorySystem, Metadata, OsSystem, Overlay, Rooted, System};
pub use walk::{SKIPPED_FOLDERS, Walk, is_skipped, spec_root, walk};

use salsa::Durability;

use crate::check;
use crate::db::Database;
use crate::diagnostic::Diagnostic;

/// How much one spec may hold. Every entry point uses [`Limits::DEFAULT`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest file read: the parser's own limit.
    pub max_file_bytes: u64,
    /// The most `.ptl` files in one spec.
    pub max_files: usize,
    /// The most entries (files and folders of any kind) a walk looks at.
    pub max_entries: usize,
    /// How many folders deep below its root a spec's files may be.
    pub max_depth: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: portolan_syntax::MAX_FILE_LEN as u64,
        max_files: 2_000,
        max_entries: 100_000,
        max_depth: 16,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

pub use crate::load_problem::LoadProblem;

/// Why a spec could not be loaded at all: the command cannot run (exit 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// One file's text as the loader read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileText {
    pub text: String,
    pub problem: Option<LoadProblem>,
}

/// Reads one file within the limits: a file too large or unreadable is an empty text and a
/// problem; one that is not UTF-8 is read with U+FFFD for each invalid sequence, and a problem.
pub fn read_file(system: &dyn System, path: &Path, limits: &Limits) -> FileText {
    let file = display(path);
    let size = system.metadata(path).map(|m| m.len).unwrap_or(0);
    if size > limits.max_file_bytes {
        return FileText {
            text: String::new(),
            problem: Some(LoadProblem::TooLarge { file, size, limit: limits.max_file_bytes }),
        };
    }
    let bytes = match system.read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            return FileText {
                text: String::new(),
                problem: Some(LoadProblem::Unreadable { file, error: error.to_string() }),
            };
        }
    };
    // The size may have changed since it was asked.
    if bytes.len() as u64 > limits.max_file_bytes {
        let size = bytes.len() as u64;
        return FileText {
            text: String::new(),
            problem: Some(LoadProblem::TooLarge { file, size, limit: limits.max_file_bytes }),
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => FileText { text, problem: None },
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let byte = error.as_bytes().get(offset).copied().unwrap_or_default();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            FileText { text, problem: Some(LoadProblem::NotUtf8 { file, offset: offset as u32, byte }) }
        }
    }
}

/// How a path is shown in diagnostics: as given, without a leading `./`.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

/// The module a file is: its path under the spec's root without `.ptl`, with dots between
/// folders (`zones/dmz.ptl` is `zones.dmz`).
pub fn module_name(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    module_of(&parts.join("/"))
}

pub use crate::db::module_of;

/// A spec read into a database.
pub struct Spec {
    pub db: Database,
    /// The folder module names count from.
    pub root: PathBuf,
    /// What the loader found: the diagnostics of [`LoadProblem`]s.
    pub problems: Vec<Diagnostic>,
}

/// The files of a spec folder, added to `db` at `durability`. Returns the diagnostics of what
/// was left out or read in part, and the paths added.
pub fn load_folder(
    system: &dyn System,
    root: &Path,
    db: &mut Database,
    limits: &Limits,
    durability: Durability,
) -> (Vec<Diagnostic>, Vec<PathBuf>) {
    let found = walk(system, root, limits);
    let mut diagnostics: Vec<Diagnostic> =
        found.problems.iter().map(|p| check::not_loaded::diagnostic(db, p)).collect();
    for path in &found.files {
        diagnostics.extend(add_file(system, root, path, db, limits, durability));
    }
    (diagnostics, found.files)
}

/// Reads one file of the spec rooted at `root` into `db`; the diagnostic of what reading it
/// found, if anything.
pub fn add_file(
    system: &dyn System,
    root: &Path,
    path: &Path,
    db: &mut Database,
    limits: &Limits,
    durability: Durability,
) -> Option<Diagnostic> {
    let read = read_file(system, path, limits);
    let module = module_name(path.strip_prefix(root).unwrap_or(path));
    db.set_file_with_durability(&display(path), &module, read.text, durability);
    read.problem.map(|problem| check::not_loaded::diagnostic(db, &problem))
}

/// Loads the spec at `path` into a new database: every `.ptl` file under a folder (see [`walk`]);
/// for a file, the file and the modules it uses, transitively, from its spec's root (see
/// [`spec_root`]).
pub fn load(system: &dyn System, path: &Path, limits: &Limits) -> Result<Spec, LoadError> {
    let metadata = system
        .metadata(path)
        .map_err(|error| LoadError { message: format!("cannot read `{}`: {error}", display(path)), help: None })?;
    let mut db = Database::new();
    match metadata.kind {
        EntryKind::Folder => {
            let (problems, files) = load_folder(system, path, &mut db, limits, Durability::MEDIUM);
            if files.is_empty() && problems.is_empty() {
                return Err(LoadError {
                    message: format!("`{}` holds no `.ptl` file", display(path)),
                    help: Some("a spec is made of `.ptl` files".into()),
                });
            }
            Ok(Spec { db, root: path.to_path_buf(), problems })
        }
        EntryKind::File => {
            let root = spec_root(system, path);
            let mut problems: Vec<Diagnostic> = Vec::new();
            problems.extend(add_file(system, &root, path, &mut db, limits, Durability::MEDIUM));
            // The modules the spec uses, from its root, until none is missing.
            loop {
                let mut added = false;
                for module in crate::collect::missing_modules(&db) {
                    let candidate = root.join(format!("{}.ptl", module.replace('.', "/")));
                    let is_file = system.metadata(&candidate).is_ok_and(|m| m.kind == EntryKind::File);
                    if is_file && db.file(&display(&candidate)).is_none() {
                        problems.extend(add_file(system, &root, &candidate, &mut db, limits, Durability::MEDIUM));
                        added = true;
                    }
                }
                if !added {
                    break;
                }
            }
            Ok(Spec { db, root, problems })
        }
        EntryKind::Other => Err(LoadError {
            message: format!("`{}` is neither a file nor a folder", display(path)),
            help: Some("give a `.ptl` file, or a folder whose `.ptl` files form one spec".into()),
        }),
    }
}

#[cfg(test)]
mod tests;
