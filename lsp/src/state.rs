//! The server's state: one database per spec folder, the open documents and their versions.
//! Every edit goes through [`State`] under the server's one lock; requests read a clone of a
//! spec's database (a [`Snapshot`]), which salsa cancels when the next edit comes.

use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use portolan::load::{self, Limits, OsSystem, System};
use portolan::{Database, Diagnostic, Durability, SourceFile};
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::convert::Lines;
use crate::stdlib::StdlibDir;

/// The files of one spec folder, in one database.
pub struct Spec {
    /// `None` for a document that is not a file on disk (an unsaved buffer).
    pub root: Option<PathBuf>,
    pub db: Database,
    /// What the loader reported about the spec's files on disk (each with a location in the
    /// file it is about); a file's entry goes when an editor opens it and holds its text.
    pub problems: Arc<Vec<Diagnostic>>,
}

/// An open document.
pub struct Doc {
    pub version: i32,
    /// The spec holding it; `None` for a standard-library source opened read-only.
    pub spec: Option<usize>,
    /// Its display path in the database.
    pub path: String,
}

/// Why an edit was not applied.
#[derive(Debug, PartialEq, Eq)]
pub enum EditError {
    UnknownDocument,
    /// The edit's version is not newer than the document's.
    Stale {
        have: i32,
        got: i32,
    },
    ReadOnly,
}

pub struct State {
    pub specs: Vec<Spec>,
    pub docs: HashMap<Uri, Doc>,
    /// Display path → URI, for every user file of every spec.
    uris: Arc<HashMap<String, Uri>>,
    stdlib: StdlibDir,
    /// Answers requests about standard-library sources when no spec is open.
    fallback: Database,
    /// What the loader reported that belongs to no file (a folder too large to be a spec), for
    /// the server to show once.
    pub messages: Vec<String>,
    /// The spec last opened, edited or asked about; a standard-library source is answered
    /// against it (when it still has an open document).
    recent: Cell<Option<usize>>,
}

/// A read-only view of one spec for one request.
pub struct Snapshot {
    pub db: Database,
    pub file: SourceFile,
    uris: Arc<HashMap<String, Uri>>,
    stdlib: StdlibDir,
    /// The loader's diagnostics of the spec's files.
    pub problems: Arc<Vec<Diagnostic>>,
}

impl Snapshot {
    /// The URI of any file of the snapshot's database.
    pub fn uri(&self, file: SourceFile) -> Option<Uri> {
        let path = file.path(&self.db);
        self.uris.get(path).cloned().or_else(|| self.stdlib.uri(path))
    }

    /// The file's text and line index.
    pub fn lines(&self, file: SourceFile) -> Lines<'_> {
        Lines::new(file.text(&self.db))
    }

    /// The requested file's text.
    pub fn text(&self) -> &str {
        self.file.text(&self.db)
    }
}

impl State {
    pub fn new(stdlib: StdlibDir) -> State {
        State {
            specs: Vec::new(),
            docs: HashMap::new(),
            uris: Arc::default(),
            stdlib,
            fallback: Database::new(),
            messages: Vec::new(),
            recent: Cell::new(None),
        }
    }

    /// Opens a document: finds or creates its spec (loading the spec folder's other files from
    /// disk) and sets its text. Returns its spec, `None` for a standard-library source.
    pub fn open(&mut self, uri: &Uri, version: i32, text: String) -> Option<usize> {
        let path = file_path(uri);
        if let Some(display) = path.as_deref().and_then(|p| self.stdlib.display_path(p)) {
            self.docs.insert(uri.clone(), Doc { version, spec: None, path: display });
            return None;
        }
        let (index, display, module) = match &path {
            Some(path) => {
                let index = self.spec_for(path);
                let root = self.specs[index].root.clone().unwrap_or_default();
                (index, load::display(path), load::module_name(path.strip_prefix(&root).unwrap_or(path)))
            }
            None => {
                self.specs.push(Spec { root: None, db: Database::new(), problems: Arc::default() });
                let name = uri.as_str().rsplit('/').next().unwrap_or("main").trim_end_matches(".ptl");
                let module = if portolan_ide::is_name(name) { name.to_string() } else { "main".to_string() };
                (self.specs.len() - 1, uri.as_str().to_string(), module)
            }
        };
        self.specs[index].db.set_file(&display, &module, text);
        self.specs[index].set_problem(&display, None);
        Arc::make_mut(&mut self.uris).insert(display.clone(), uri.clone());
        self.docs.insert(uri.clone(), Doc { version, spec: Some(index), path: display });
        self.recent.set(Some(index));
        Some(index)
    }

    /// Applies the changes of one `didChange`, in order. Returns the document's spec.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Result<usize, EditError> {
        let doc = self.docs.get_mut(uri).ok_or(EditError::UnknownDocument)?;
        if version <= doc.version {
            return Err(EditError::Stale { have: doc.version, got: version });
        }
        let index = doc.spec.ok_or(EditError::ReadOnly)?;
        let spec = self.specs.get_mut(index).ok_or(EditError::UnknownDocument)?;
        let file = spec.db.file(&doc.path).ok_or(EditError::UnknownDocument)?;
        let mut text = file.text(&spec.db).clone();
        for change in changes {
            match change.range {
                Some(range) => {
                    let span = Lines::new(&text).span(range);
                    text.replace_range(span.start as usize..span.end as usize, &change.text);
                }
                None => text = change.text,
            }
        }
        let module = file.module(&spec.db).clone();
        spec.db.set_file(&doc.path, &module, text);
        doc.version = version;
        self.recent.set(Some(index));
        Ok(index)
    }

    /// Closes a document: its text becomes the file's text on disk again, or it leaves the spec
    /// when it has no file. Returns its spec.
    pub fn close(&mut self, uri: &Uri) -> Option<usize> {
        let doc = self.docs.remove(uri)?;
        let index = doc.spec?;
        let spec = self.specs.get_mut(index)?;
        let on_disk = file_path(uri).filter(|p| OsSystem.metadata(p).is_ok_and(|m| m.kind == load::EntryKind::File));
        match (on_disk, spec.root.clone()) {
            (Some(path), Some(root)) => {
                let problem =
                    load::add_file(&OsSystem, &root, &path, &mut spec.db, &Limits::DEFAULT, Durability::MEDIUM);
                spec.set_problem(&doc.path, problem);
            }
            _ => spec.db.remove_file(&doc.path),
        }
        Some(index)
    }

    /// A snapshot for a request about `uri`: an open document, a file of a loaded spec folder,
    /// or a standard-library source (answered against the spec most recently used).
    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let (db, path) = match self.docs.get(uri) {
            Some(doc) => {
                if doc.spec.is_some() {
                    self.recent.set(doc.spec);
                }
                (self.spec_db(doc.spec), doc.path.clone())
            }
            None => {
                let path = file_path(uri)?;
                match self.stdlib.display_path(&path) {
                    Some(display) => (self.spec_db(None), display),
                    None => {
                        let display = load::display(&path);
                        let index = self.specs.iter().position(|s| s.db.file(&display).is_some())?;
                        self.recent.set(Some(index));
                        (&self.specs[index].db, display)
                    }
                }
            }
        };
        let file = db.file(&path)?;
        let problems = Arc::default();
        Some(Snapshot { db: db.clone(), file, uris: self.uris.clone(), stdlib: self.stdlib.clone(), problems })
    }

    /// A snapshot of every spec (the fallback database when none is open), each with a file
    /// standing for it.
    pub fn all_snapshots(&self) -> Vec<Snapshot> {
        let dbs: Vec<&Database> =
            if self.specs.is_empty() { vec![&self.fallback] } else { self.specs.iter().map(|s| &s.db).collect() };
        dbs.into_iter()
            .filter_map(|db| {
                let file = db.workspace().files(db).first().copied()?;
                let (uris, stdlib, problems) = (self.uris.clone(), self.stdlib.clone(), Arc::default());
                Some(Snapshot { db: db.clone(), file, uris, stdlib, problems })
            })
            .collect()
    }

    /// A snapshot of one spec, and the version of each of its open documents by display path.
    pub fn spec_snapshot(&self, index: usize) -> Option<(Snapshot, HashMap<String, i32>)> {
        let spec = self.specs.get(index)?;
        let file = spec.db.workspace().files(&spec.db).first().copied()?;
        let versions =
            self.docs.values().filter(|d| d.spec == Some(index)).map(|d| (d.path.clone(), d.version)).collect();
        let snapshot = Snapshot {
            db: spec.db.clone(),
            file,
            uris: self.uris.clone(),
            stdlib: self.stdlib.clone(),
            problems: spec.problems.clone(),
        };
        Some((snapshot, versions))
    }

    /// The database of a spec; for a standard-library source (`None`), the spec most recently
    /// used that has an open document, else the first with one, else the first spec.
    fn spec_db(&self, spec: Option<usize>) -> &Database {
        let open = |index: usize| self.docs.values().any(|d| d.spec == Some(index));
        let spec = spec
            .or_else(|| self.recent.get().filter(|&i| open(i)))
            .or_else(|| self.docs.values().filter_map(|d| d.spec).min());
        spec.and_then(|i| self.specs.get(i)).or(self.specs.first()).map_or(&self.fallback, |s| &s.db)
    }

    /// The spec whose folder holds `path` (the innermost), or a new one for the file's folder.
    fn spec_for(&mut self, path: &Path) -> usize {
        let found = self
            .specs
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.root.as_ref().filter(|r| path.starts_with(r)).map(|r| (r.components().count(), i)))
            .max();
        if let Some((_, index)) = found {
            return index;
        }
        // The spec `portolan check` would load for the file's folder, read by the same loader, with
        // the open documents' texts in place of what is on disk.
        let documents = self
            .docs
            .iter()
            .filter_map(|(uri, doc)| {
                let spec = self.specs.get(doc.spec?)?;
                Some((file_path(uri)?, spec.db.file(&doc.path)?.text(&spec.db).clone()))
            })
            .collect();
        let system = load::Overlay::new(&OsSystem, documents);
        let root = load::spec_root(&system, path);
        let mut db = Database::new();
        // Files nobody is editing change rarely: a keystroke in an open document then
        // re-validates only what depends on low-durability inputs.
        let (diagnostics, files) = load::load_folder(&system, &root, &mut db, &Limits::DEFAULT, Durability::MEDIUM);
        for file in files {
            if let Some(uri) = Uri::from_file_path(&file) {
                Arc::make_mut(&mut self.uris).entry(load::display(&file)).or_insert(uri);
            }
        }
        let (placed, unplaced): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diagnostics.into_iter().partition(|d| d.location().is_some());
        for diagnostic in unplaced {
            let help = diagnostic.help.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
            self.messages.push(format!("{}: {}{help}", diagnostic.code, diagnostic.message));
        }
        self.specs.push(Spec { root: Some(root), db, problems: Arc::new(placed) });
        self.specs.len() - 1
    }
}

/// The local path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

impl Spec {
    /// Replaces the loader's diagnostic of one file.
    fn set_problem(&mut self, path: &str, problem: Option<Diagnostic>) {
        let problems = Arc::make_mut(&mut self.problems);
        problems.retain(|d| d.location().is_none_or(|l| l.file.path(&self.db) != path));
        problems.extend(problem);
    }
}
