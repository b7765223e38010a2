//! What the loader left out of a spec or read only in part, as data: below the checks, which
//! word each problem (`check/not_loaded.rs`), and the loader, which finds them.

/// Something the loader left out of a spec, or read only in part. Paths are display paths.
/// `check/not_loaded.rs` turns each into its diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadProblem {
    /// Read with each invalid sequence replaced by U+FFFD; the first is at `offset`.
    NotUtf8 { file: String, offset: u32, byte: u8 },
    /// Left empty in the spec: larger than `load::Limits::max_file_bytes`.
    TooLarge { file: String, size: u64, limit: u64 },
    /// Left empty in the spec: the system refused to read it.
    Unreadable { file: String, error: String },
    /// A folder whose entries could not be listed.
    UnlistableFolder { folder: String, error: String },
    /// Nothing was loaded: the folder holds more `.ptl` files than a spec may.
    TooManyFiles { folder: String, limit: usize },
    /// Nothing was loaded: the folder holds more entries than a walk looks at.
    TooManyEntries { folder: String, limit: usize },
    /// A folder deeper than `load::Limits::max_depth` below the root, not searched.
    TooDeep { folder: String, limit: usize },
}

impl LoadProblem {
    /// The file the problem is about, when it is one file of the spec.
    pub fn file(&self) -> Option<&str> {
        match self {
            LoadProblem::NotUtf8 { file, .. }
            | LoadProblem::TooLarge { file, .. }
            | LoadProblem::Unreadable { file, .. } => Some(file),
            _ => None,
        }
    }
}
