//! The server's state: one database per spec folder, the open documents and their versions.
//! Every edit goes through [`State`] under the server's one lock; requests read a clone of a
//! spec's database (a [`Snapshot`]), which salsa cancels when the next edit comes.

use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use portolan::{Database, Durability, SourceFile, stdlib};
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::convert::Lines;
use crate::stdlib::StdlibDir;

/// The largest `.ptl` file read from disk; larger ones are left out of the spec.
const MAX_FILE_BYTES: u64 = 16 << 20;
/// How many `.ptl` files one spec folder may bring in, and how deep they may be.
const MAX_FOLDER_FILES: usize = 2000;
const MAX_FOLDER_DEPTH: usize = 8;

/// The files of one spec folder, in one database.
pub struct Spec {
    /// `None` for a document that is not a file on disk (an unsaved buffer).
    pub root: Option<PathBuf>,
    pub db: Database,
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
                (index, display_path(path), module_name(&root, path))
            }
            None => {
                self.specs.push(Spec { root: None, db: Database::new() });
                let name = uri.as_str().rsplit('/').next().unwrap_or("main").trim_end_matches(".ptl");
                let module = if portolan::ide::is_name(name) { name.to_string() } else { "main".to_string() };
                (self.specs.len() - 1, uri.as_str().to_string(), module)
            }
        };
        self.specs[index].db.set_file(&display, &module, text);
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
        match file_path(uri).and_then(|p| read(&p)) {
            Some(text) => {
                let module = spec.db.file(&doc.path).map(|f| f.module(&spec.db).clone()).unwrap_or_default();
                spec.db.set_file_with_durability(&doc.path, &module, text, Durability::MEDIUM);
            }
            None => spec.db.remove_file(&doc.path),
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
                        let display = display_path(&path);
                        let index = self.specs.iter().position(|s| s.db.file(&display).is_some())?;
                        self.recent.set(Some(index));
                        (&self.specs[index].db, display)
                    }
                }
            }
        };
        let file = db.file(&path)?;
        Some(Snapshot { db: db.clone(), file, uris: self.uris.clone(), stdlib: self.stdlib.clone() })
    }

    /// A snapshot of every spec (the fallback database when none is open), each with a file
    /// standing for it.
    pub fn all_snapshots(&self) -> Vec<Snapshot> {
        let dbs: Vec<&Database> =
            if self.specs.is_empty() { vec![&self.fallback] } else { self.specs.iter().map(|s| &s.db).collect() };
        dbs.into_iter()
            .filter_map(|db| {
                let file = db.workspace().files(db).first().copied()?;
                Some(Snapshot { db: db.clone(), file, uris: self.uris.clone(), stdlib: self.stdlib.clone() })
            })
            .collect()
    }

    /// A snapshot of one spec, and the version of each of its open documents by display path.
    pub fn spec_snapshot(&self, index: usize) -> Option<(Snapshot, HashMap<String, i32>)> {
        let spec = self.specs.get(index)?;
        let file = spec.db.workspace().files(&spec.db).first().copied()?;
        let versions =
            self.docs.values().filter(|d| d.spec == Some(index)).map(|d| (d.path.clone(), d.version)).collect();
        let snapshot = Snapshot { db: spec.db.clone(), file, uris: self.uris.clone(), stdlib: self.stdlib.clone() };
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
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut db = Database::new();
        for file in folder_files(&root) {
            if let Some(text) = read(&file) {
                // Files nobody is editing change rarely: a keystroke in an open document then
                // re-validates only what depends on low-durability inputs.
                db.set_file_with_durability(&display_path(&file), &module_name(&root, &file), text, Durability::MEDIUM);
                if let Some(uri) = Uri::from_file_path(&file) {
                    Arc::make_mut(&mut self.uris).entry(display_path(&file)).or_insert(uri);
                }
            }
        }
        self.specs.push(Spec { root: Some(root), db });
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

fn display_path(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// `zones/dmz.ptl` under the root is module `zones.dmz`.
fn module_name(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    stdlib::module_name(&parts.join("/"))
}

/// The `.ptl` files under a spec folder, skipping hidden and build folders.
fn folder_files(root: &Path) -> Vec<PathBuf> {
    let skip = |name: &str| name.starts_with('.') || name == "target" || name == "node_modules";
    walkdir::WalkDir::new(root)
        .max_depth(MAX_FOLDER_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "ptl"))
        .take(MAX_FOLDER_FILES)
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// A file's text, if it is UTF-8 and not too large.
fn read(path: &Path) -> Option<String> {
    if std::fs::metadata(path).ok()?.len() > MAX_FILE_BYTES {
        return None;
    }
    String::from_utf8(std::fs::read(path).ok()?).ok()
}
