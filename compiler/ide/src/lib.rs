//! The editor layer: hover, navigation, rename, outline, completion, quick fixes, inlay hints,
//! semantic tokens and folding, over the same database as the checker. Plain types with byte
//! offsets from the start of a file; the language server turns them into LSP positions.
//!
//! Everything starts from the name index ([`index`]): one tracked query per item records every
//! name written in it and what it refers to, so hover, definition, references and rename look
//! a name up instead of re-resolving the file.

mod actions;
mod complete;
mod defs;
mod folding;
mod hints;
mod hover;
pub mod index;
mod navigate;
mod symbols;
mod tokens;

pub use actions::{CodeAction, code_actions};
pub use complete::{Completion, CompletionKind, KEYWORDS, completions};
pub use defs::{Declaration, Definition, NameKind};
pub use folding::{Fold, FoldKind, folding_ranges};
pub use hints::{InlayHint, inlay_hints};
pub use hover::{Hover, hover};
pub use navigate::{RenameError, TextEdit, definition, is_name, prepare_rename, references, rename};
pub use symbols::{Symbol, SymbolKind, WorkspaceSymbol, document_symbols, workspace_symbols};
pub use tokens::{Token, TokenKind, semantic_tokens};

use portolan_syntax::Span;

use portolan::db::SourceFile;

/// A byte range of one file, counted from the start of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileRange {
    pub file: SourceFile,
    pub span: Span,
}
