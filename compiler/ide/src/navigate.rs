//! Go to definition, find references, and rename.

use std::fmt;

use super::FileRange;
use super::defs::{Declaration, Definition};
use super::index::{file_refs, ref_at};
use portolan::db::{Db, SourceFile};

/// Where the name at `offset` is declared.
pub fn definition(db: &dyn Db, file: SourceFile, offset: u32) -> Option<Declaration> {
    ref_at(db, file, offset)?.def.declaration(db)
}

/// Every place the thing named at `offset` is written, in every file of the workspace (the
/// standard library's included), its declaration first when `include_declaration`.
pub fn references(db: &dyn Db, file: SourceFile, offset: u32, include_declaration: bool) -> Vec<FileRange> {
    let Some(target) = ref_at(db, file, offset) else { return Vec::new() };
    let mut declarations = Vec::new();
    let mut uses = Vec::new();
    for &other in db.workspace().files(db) {
        for r in file_refs(db, other).iter().filter(|r| r.def == target.def) {
            let range = FileRange { file: other, span: r.span };
            if r.decl { declarations.push(range) } else { uses.push(range) }
        }
    }
    if include_declaration {
        declarations.extend(uses);
        declarations
    } else {
        uses
    }
}

/// Why a rename cannot be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameError {
    /// No name at the cursor.
    NothingToRename,
    /// The name belongs to the standard library.
    Stdlib(String),
    /// A module is named by its file.
    Module(String),
    /// The new name is not a name.
    InvalidName(String),
}

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameError::NothingToRename => f.write_str("there is no name here to rename"),
            RenameError::Stdlib(name) => {
                write!(f, "`{name}` belongs to the standard library, which cannot be renamed")
            }
            RenameError::Module(name) => write!(f, "module `{name}` is named by its file: rename the file instead"),
            RenameError::InvalidName(name) => {
                write!(f, "`{name}` is not a name: use ASCII letters, digits and `_`, not starting with a digit")
            }
        }
    }
}

impl std::error::Error for RenameError {}

/// One text replacement in one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextEdit {
    pub range: FileRange,
    pub text: String,
}

/// The name at `offset` if it can be renamed: its range and its current text.
pub fn prepare_rename(db: &dyn Db, file: SourceFile, offset: u32) -> Result<(FileRange, String), RenameError> {
    let target = ref_at(db, file, offset).ok_or(RenameError::NothingToRename)?;
    let name = target.def.name(db);
    check_renamable(db, &target.def, &name)?;
    let text = file.text(db).get(target.span.start as usize..target.span.end as usize).unwrap_or_default();
    Ok((FileRange { file, span: target.span }, text.to_string()))
}

/// The edits that rename the thing named at `offset` to `new_name`: its declaration and every
/// use written with its name (a use through an alias, `use m.{x as y}`, keeps the alias).
pub fn rename(db: &dyn Db, file: SourceFile, offset: u32, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
    let target = ref_at(db, file, offset).ok_or(RenameError::NothingToRename)?;
    let old = target.def.name(db);
    check_renamable(db, &target.def, &old)?;
    if !is_name(new_name) {
        return Err(RenameError::InvalidName(new_name.to_string()));
    }
    let mut edits = Vec::new();
    for range in references(db, file, offset, true) {
        let text = range.file.text(db);
        if text.get(range.span.start as usize..range.span.end as usize) == Some(old.as_str()) {
            edits.push(TextEdit { range, text: new_name.to_string() });
        }
    }
    Ok(edits)
}

fn check_renamable(db: &dyn Db, def: &Definition<'_>, name: &str) -> Result<(), RenameError> {
    if def.is_stdlib(db) {
        return Err(RenameError::Stdlib(name.to_string()));
    }
    if let Definition::Module(_) = def {
        return Err(RenameError::Module(name.to_string()));
    }
    Ok(())
}

/// True for ASCII letters, digits and `_`, not starting with a digit.
pub fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
