//! Portolan's syntax: the pest grammar, the typed AST, and a parser that never fails.
//!
//! [`parse`] splits a file into top-level items, parses each item on its own, and returns every
//! item that parsed together with every syntax error, so that one broken item never hides the
//! others. This crate knows nothing of salsa, files on disk or editors.

pub mod ast;
mod chunk;
mod error;
mod line_index;
mod lower;

pub use error::SyntaxError;
pub use line_index::{LineCol, LineIndex};
pub use smol_str::SmolStr as Name;

use std::sync::Arc;

use ast::Item;

/// A byte range. Inside an [`ast::Item`] it is relative to the item's start; elsewhere it is
/// relative to the start of the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const EMPTY: Span = Span { start: 0, end: 0 };

    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end: end.max(start) }
    }

    /// This span moved right by `offset` bytes.
    pub fn shifted(self, offset: u32) -> Span {
        Span { start: self.start.saturating_add(offset), end: self.end.saturating_add(offset) }
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// What [`parse`] returns: the items that parsed, and the errors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parse {
    /// `//!` lines at the top of the file, markers stripped.
    pub module_docs: String,
    pub items: Vec<ParsedItem>,
    /// Spans relative to the start of the file.
    pub errors: Vec<SyntaxError>,
}

/// One top-level item and where its text starts in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedItem {
    pub offset: u32,
    pub len: u32,
    /// Shared, so that the checker's per-item index holds the same tree without copying it.
    pub item: Arc<ItemSyntax>,
}

/// A top-level item that parsed, or what could be salvaged from one that did not.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ItemSyntax {
    Parsed(Item),
    Broken(BrokenItem),
}

/// What is known of an item with a syntax error: the keyword it starts with and the name it
/// declares. Resolution binds the name, so that an error inside a component does not also turn
/// every use of that component into an "unresolved name".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BrokenItem {
    pub keyword: Option<ast::Ident>,
    pub name: Option<ast::Ident>,
    /// For a broken flow whose two ends still read `flow a.b -> c.d`: the two ends, so the ports
    /// it serves are still counted.
    pub flow_ends: Option<(ast::Path, ast::Path)>,
    /// For a broken zone: the nodes declared in it before the error, by name.
    pub nested_nodes: Vec<ast::Ident>,
    pub span: Span,
}

/// The largest file [`parse`] parses. A larger file is one syntax error: a spec that large is
/// generated, and splitting it into files keeps checking fast and incremental.
pub const MAX_FILE_LEN: usize = 32 << 20;

/// How deeply parentheses may nest in an expression.
pub const MAX_NESTING: usize = 256;

/// How many terms one expression may have.
pub const MAX_TERMS: usize = 1024;

/// Parses a whole file. Never fails: errors are returned beside the items that parsed.
pub fn parse(text: &str) -> Parse {
    if text.len() > MAX_FILE_LEN {
        return Parse {
            module_docs: String::new(),
            items: Vec::new(),
            errors: vec![
                SyntaxError::new(
                    Span::EMPTY,
                    format!(
                        "this file is {:.1} MiB; files up to {} MiB are checked",
                        text.len() as f64 / (1 << 20) as f64,
                        MAX_FILE_LEN >> 20
                    ),
                    "file too large",
                )
                .with_help("split the spec into several files: a folder's `.ptl` files form one spec"),
            ],
        };
    }
    let split = chunk::split(text);
    let mut items = Vec::with_capacity(split.chunks.len());
    let mut errors = Vec::new();
    for range in split.chunks {
        let chunk_text = &text[range.clone()];
        let offset = range.start as u32;
        let (item, mut chunk_errors) = lower::parse_item(chunk_text);
        for error in &mut chunk_errors {
            error.span = error.span.shifted(offset);
        }
        errors.extend(chunk_errors);
        if let Some(item) = item {
            items.push(ParsedItem { offset, len: chunk_text.len() as u32, item: Arc::new(item) });
        }
    }
    Parse { module_docs: split.module_docs, items, errors }
}

/// Parses the text of one expression, as used for `-P name=value` overrides and tests.
pub fn parse_expr(text: &str) -> Result<ast::Expr, Vec<SyntaxError>> {
    lower::parse_expr(text)
}

/// True when `word` is a keyword that starts a top-level item.
pub fn is_item_keyword(word: &str) -> bool {
    chunk::ITEM_KEYWORDS.contains(&word)
}
