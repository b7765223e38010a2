//! The file system the loader reads through: the real one ([`OsSystem`]), one held in memory for
//! tests ([`MemorySystem`]), and open documents laid over another ([`Overlay`]).
//!
//! [`OsSystem`] is the only code of the core that touches the disk, and only the loader calls it:
//! the rest of the core is handed texts.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// What a path is, symbolic links followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Folder,
    /// A device, a socket, a dangling link: never read.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub kind: EntryKind,
    /// The size in bytes of a file; 0 for anything else.
    pub len: u64,
}

/// One entry of a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: OsString,
    pub path: PathBuf,
    pub kind: EntryKind,
}

/// The few operations the loader needs. Paths are the loader's own (relative to where the tool
/// runs, or absolute), passed through unchanged.
pub trait System: Send + Sync {
    fn metadata(&self, path: &Path) -> io::Result<Metadata>;
    /// The entries of a folder, in no particular order.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>>;
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// The path with symbolic links resolved: how the loader notices a folder it has seen.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
}

/// The operating system's file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsSystem;

fn kind_of(metadata: &std::fs::Metadata) -> EntryKind {
    if metadata.is_file() {
        EntryKind::File
    } else if metadata.is_dir() {
        EntryKind::Folder
    } else {
        EntryKind::Other
    }
}

impl System for OsSystem {
    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let metadata = std::fs::metadata(path)?;
        let kind = kind_of(&metadata);
        Ok(Metadata { kind, len: if kind == EntryKind::File { metadata.len() } else { 0 } })
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            let path = entry.path();
            // Follows a symbolic link; a dangling one is `Other`.
            let kind = std::fs::metadata(&path).map_or(EntryKind::Other, |m| kind_of(&m));
            out.push(DirEntry { name: entry.file_name(), path, kind });
        }
        Ok(out)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

/// A file system of files held in memory; folders are the ancestors of its files.
#[derive(Clone, Debug, Default)]
pub struct MemorySystem {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemorySystem {
    pub fn new() -> MemorySystem {
        MemorySystem::default()
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    fn is_folder(&self, path: &Path) -> bool {
        self.files.keys().any(|file| file.starts_with(path) && file != path)
    }
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, format!("`{}` does not exist", path.display()))
}

impl System for MemorySystem {
    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        if let Some(bytes) = self.files.get(path) {
            return Ok(Metadata { kind: EntryKind::File, len: bytes.len() as u64 });
        }
        if self.is_folder(path) {
            return Ok(Metadata { kind: EntryKind::Folder, len: 0 });
        }
        Err(not_found(path))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        if !self.is_folder(path) {
            return Err(not_found(path));
        }
        let mut out: Vec<DirEntry> = Vec::new();
        for file in self.files.keys() {
            let Ok(rest) = file.strip_prefix(path) else { continue };
            let mut parts = rest.components();
            let Some(first) = parts.next() else { continue };
            let kind = if parts.next().is_some() { EntryKind::Folder } else { EntryKind::File };
            let name = first.as_os_str().to_os_string();
            if !out.iter().any(|e| e.name == name) {
                out.push(DirEntry { path: path.join(&name), name, kind });
            }
        }
        Ok(out)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files.get(path).cloned().ok_or_else(|| not_found(path))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        Ok(path.to_path_buf())
    }
}

/// Documents whose texts stand in for what another file system holds at their paths (a language
/// server's open, possibly unsaved, documents); documents with no file there are listed too.
pub struct Overlay<'a> {
    base: &'a dyn System,
    documents: BTreeMap<PathBuf, String>,
}

impl<'a> Overlay<'a> {
    pub fn new(base: &'a dyn System, documents: BTreeMap<PathBuf, String>) -> Overlay<'a> {
        Overlay { base, documents }
    }
}

impl System for Overlay<'_> {
    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        match self.documents.get(path) {
            Some(text) => Ok(Metadata { kind: EntryKind::File, len: text.len() as u64 }),
            None => self.base.metadata(path),
        }
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut out = self.base.read_dir(path).or_else(|error| {
            let has_document = self.documents.keys().any(|d| d.parent() == Some(path));
            if has_document { Ok(Vec::new()) } else { Err(error) }
        })?;
        for document in self.documents.keys().filter(|d| d.parent() == Some(path)) {
            let Some(name) = document.file_name() else { continue };
            if !out.iter().any(|e| e.name == name) {
                out.push(DirEntry { name: name.to_os_string(), path: document.clone(), kind: EntryKind::File });
            }
        }
        Ok(out)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.documents.get(path) {
            Some(text) => Ok(text.clone().into_bytes()),
            None => self.base.read(path),
        }
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.base.canonicalize(path).or_else(|_| Ok(path.to_path_buf()))
    }
}

/// Another file system seen from one of its folders: a path is taken relative to that folder, and
/// the entries listed are relative to it too. Loading `.` through it shows a spec's files by their
/// paths inside the folder (`site.ptl`), wherever the folder is.
pub struct Rooted<'a> {
    base: &'a dyn System,
    root: PathBuf,
}

impl<'a> Rooted<'a> {
    pub fn new(base: &'a dyn System, root: impl Into<PathBuf>) -> Rooted<'a> {
        Rooted { base, root: root.into() }
    }
}

impl System for Rooted<'_> {
    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        self.base.metadata(&self.root.join(path))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut entries = self.base.read_dir(&self.root.join(path))?;
        for entry in &mut entries {
            entry.path = path.join(&entry.name);
        }
        Ok(entries)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.base.read(&self.root.join(path))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.base.canonicalize(&self.root.join(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_system_has_the_folders_of_its_files() {
        let mut system = MemorySystem::new();
        system.insert("spec/site.ptl", "zone a {}");
        system.insert("spec/zones/dmz.ptl", "zone dmz {}");
        assert_eq!(system.metadata(Path::new("spec")).map(|m| m.kind).ok(), Some(EntryKind::Folder));
        assert_eq!(system.metadata(Path::new("spec/site.ptl")).map(|m| m.len).ok(), Some(9));
        let mut names: Vec<(OsString, EntryKind)> =
            system.read_dir(Path::new("spec")).unwrap_or_default().into_iter().map(|e| (e.name, e.kind)).collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(names, [("site.ptl".into(), EntryKind::File), ("zones".into(), EntryKind::Folder)]);
        assert!(system.metadata(Path::new("spe")).is_err());
    }

    #[test]
    fn an_overlay_lists_and_reads_its_documents_first() {
        let mut base = MemorySystem::new();
        base.insert("spec/site.ptl", "old");
        let documents = BTreeMap::from([
            (PathBuf::from("spec/site.ptl"), "new".to_string()),
            (PathBuf::from("spec/unsaved.ptl"), "draft".to_string()),
        ]);
        let overlay = Overlay::new(&base, documents);
        assert_eq!(overlay.read(Path::new("spec/site.ptl")).ok(), Some(b"new".to_vec()));
        let names: Vec<OsString> =
            overlay.read_dir(Path::new("spec")).unwrap_or_default().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["site.ptl", "unsaved.ptl"]);
    }
}
