//! The salsa database: source files are inputs, every derived fact a tracked function.
//!
//! The CLI and the language server both drive this one type: they set file texts, then ask for
//! diagnostics or the checked model; salsa re-runs only the queries an edit invalidated.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use salsa::{Durability, Setter};

use crate::stdlib;

mod parse_cache;

pub use parse_cache::ParseCache;

/// The module a file is, from its `/`-separated path under its spec's root (or under `stdlib/`):
/// the path without `.ptl`, with dots between folders (`zones/dmz.ptl` is `zones.dmz`,
/// `vendor/onee.ptl` is `vendor.onee`). The one place this rule is written.
pub fn module_of(relative: &str) -> String {
    relative.strip_suffix(".ptl").unwrap_or(relative).replace(['/', '\\'], ".")
}

/// Where a file comes from: the user's spec, or the standard library embedded in the binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    User,
    Stdlib,
}

/// One source file of the spec or of the standard library.
#[salsa::input(debug)]
pub struct SourceFile {
    /// The path shown to a user: relative to where the tool was started, or `<stdlib>/...`.
    #[returns(ref)]
    pub path: String,
    /// The module this file is: `site`, `zones.dmz`, `std.proto`, `vendor.onee`.
    #[returns(ref)]
    pub module: String,
    #[returns(ref)]
    pub text: String,
    #[returns(copy)]
    pub origin: Origin,
}

/// The set of files that form one spec, the standard library's included.
#[salsa::input(debug)]
pub struct Workspace {
    #[returns(ref)]
    pub files: Vec<SourceFile>,
}

/// The database trait every query takes.
#[salsa::db]
pub trait Db: salsa::Database {
    /// The workspace input. Its handle never changes; its fields are tracked like any input.
    fn workspace(&self) -> Workspace;

    /// The last parse of each file, for [`crate::items::parse_file`] to reuse after an edit.
    fn parse_cache(&self) -> &ParseCache;
}

#[salsa::db]
impl Db for Database {
    fn workspace(&self) -> Workspace {
        Database::workspace(self)
    }

    fn parse_cache(&self) -> &ParseCache {
        &self.parses
    }
}

/// The one database type of Portolan.
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    workspace: Option<Workspace>,
    by_path: Arc<FxHashMap<String, SourceFile>>,
    /// Files that left the spec, by path. Salsa never frees an input, so a file added again at
    /// one of these paths takes its old input back: a new input per removal would keep every
    /// removed file's text, parse and checks for as long as the database lives.
    removed: Arc<FxHashMap<String, SourceFile>>,
    /// Shared by the clones of one database (a language server's snapshots).
    parses: Arc<ParseCache>,
    log: Option<ExecutionLog>,
}

#[salsa::db]
impl salsa::Database for Database {}

/// The names of the tracked functions that ran, in order; for tests of incrementality.
#[derive(Clone, Default)]
pub struct ExecutionLog(Arc<Mutex<Vec<String>>>);

impl ExecutionLog {
    /// Returns the names recorded since the last call, and forgets them.
    pub fn take(&self) -> Vec<String> {
        match self.0.lock() {
            Ok(mut names) => std::mem::take(&mut *names),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }
}

impl Default for Database {
    fn default() -> Self {
        Database::new()
    }
}

impl Database {
    /// A database holding the standard library and no user files.
    pub fn new() -> Database {
        Database::build(None)
    }

    /// A database that records every tracked function it executes.
    pub fn with_execution_log() -> (Database, ExecutionLog) {
        let log = ExecutionLog::default();
        (Database::build(Some(log.clone())), log)
    }

    fn build(log: Option<ExecutionLog>) -> Database {
        let callback: Option<Box<dyn Fn(salsa::Event) + Send + Sync>> = log.clone().map(|log| {
            Box::new(move |event: salsa::Event| {
                if let salsa::EventKind::WillExecute { database_key } = event.kind {
                    let text = format!("{database_key:?}");
                    let name = text.split('(').next().unwrap_or(&text).to_string();
                    if let Ok(mut names) = log.0.lock() {
                        names.push(name);
                    }
                }
            }) as Box<dyn Fn(salsa::Event) + Send + Sync>
        });
        let mut db = Database {
            storage: salsa::Storage::new(callback),
            workspace: None,
            by_path: Arc::default(),
            removed: Arc::default(),
            parses: Arc::default(),
            log,
        };
        let mut files = Vec::new();
        let mut by_path = FxHashMap::default();
        for (relative, text) in stdlib::FILES {
            let path = format!("{}{relative}", stdlib::PATH_PREFIX);
            let module = module_of(relative);
            let file = SourceFile::builder(path.clone(), module, text.to_string(), Origin::Stdlib)
                .durability(Durability::HIGH)
                .new(&db);
            by_path.insert(path, file);
            files.push(file);
        }
        // The set of files changes only when a file is added or removed.
        db.workspace = Some(Workspace::builder(files).durability(Durability::MEDIUM).new(&db));
        db.by_path = Arc::new(by_path);
        db
    }

    /// The workspace input: every file of the spec and of the standard library.
    pub fn workspace(&self) -> Workspace {
        match self.workspace {
            Some(ws) => ws,
            // `build` always sets it; this arm only keeps the function total.
            None => Workspace::new(self, Vec::new()),
        }
    }

    /// The file with this display path, if the database holds it.
    pub fn file(&self, path: &str) -> Option<SourceFile> {
        self.by_path.get(path).copied()
    }

    /// Every user file, in the order they were added.
    pub fn user_files(&self) -> Vec<SourceFile> {
        let ws = self.workspace();
        ws.files(self).iter().copied().filter(|f| f.origin(self) == Origin::User).collect()
    }

    /// Adds a user file, or replaces the text of the file already at `path`, as a file being
    /// edited ([`Durability::LOW`]).
    pub fn set_file(&mut self, path: &str, module: &str, text: String) -> SourceFile {
        self.set_file_with_durability(path, module, text, Durability::LOW)
    }

    /// Adds or updates a user file with a durability: `LOW` for a file being edited, `MEDIUM`
    /// for one read from disk that nobody edits. Salsa re-validates a query that depends only on
    /// inputs of higher durability than what changed without looking at its dependencies, so
    /// an edit to one file does not make every query of the spec be verified again.
    pub fn set_file_with_durability(
        &mut self,
        path: &str,
        module: &str,
        text: String,
        durability: Durability,
    ) -> SourceFile {
        if let Some(file) = self.file(path) {
            self.update(file, module, text, durability);
            return file;
        }
        let file = match Arc::make_mut(&mut self.removed).remove(path) {
            Some(file) => {
                self.update(file, module, text, durability);
                file
            }
            None => SourceFile::builder(path.to_string(), module.to_string(), text, Origin::User)
                .durability(Durability::MEDIUM)
                .text_durability(durability)
                .new(self),
        };
        let ws = self.workspace();
        let mut files = ws.files(self).clone();
        files.push(file);
        ws.set_files(self).with_durability(Durability::MEDIUM).to(files);
        Arc::make_mut(&mut self.by_path).insert(path.to_string(), file);
        file
    }

    /// Removes a user file from the spec.
    pub fn remove_file(&mut self, path: &str) {
        let Some(file) = self.file(path) else { return };
        if file.origin(self) != Origin::User {
            return;
        }
        let ws = self.workspace();
        let files: Vec<SourceFile> = ws.files(self).iter().copied().filter(|f| *f != file).collect();
        ws.set_files(self).with_durability(Durability::MEDIUM).to(files);
        Arc::make_mut(&mut self.by_path).remove(path);
        Arc::make_mut(&mut self.removed).insert(path.to_string(), file);
        self.parses.forget(file);
    }

    /// Sets the text and module of a file's input, each only when it changed.
    fn update(&mut self, file: SourceFile, module: &str, text: String, durability: Durability) {
        if file.text(self) != &text {
            let old_text = file.set_text(self).with_durability(durability).to(text);
            self.parses.replaced(file, old_text);
        }
        if file.module(self) != module {
            file.set_module(self).with_durability(Durability::MEDIUM).to(module.to_string());
        }
    }

    /// True when this database records executions (see [`Database::with_execution_log`]).
    pub fn is_logging(&self) -> bool {
        self.log.is_some()
    }
}
