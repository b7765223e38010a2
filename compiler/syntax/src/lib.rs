//! Portolan's syntax: the pest grammar, the typed AST, and a parser that never fails.
//!
//! [`parse`] splits a file into top-level items, parses each item on its own, and returns every
//! item that parsed together with every syntax error, so that one broken item never hides the
//! others. [`reparse`] does the same after an edit, reusing every item whose text is unchanged.
//! This crate knows nothing of salsa, files on disk or editors.

pub mod ast;
mod chunk;
mod error;
mod grammar;
mod line_index;
mod lower;

pub use error::{Suggestion, SyntaxError};
pub use line_index::{LineCol, LineIndex};
pub use smol_str::SmolStr as Name;

use std::collections::HashMap;
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
    /// This item's syntax errors, relative to the item's start (also in [`Parse::errors`]).
    pub errors: Vec<SyntaxError>,
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
    parse_chunks(text, |_| None)
}

/// Parses a file again after an edit. `previous` is the parse of `previous_text`; an item whose
/// text is unchanged (wherever it moved) is taken from it instead of being parsed again. The
/// result is the one [`parse`] gives for `text`: an item is parsed from its own text alone.
pub fn reparse(text: &str, previous_text: &str, previous: &Parse) -> Parse {
    if text.len() > MAX_FILE_LEN {
        return parse(text);
    }
    let mut reusable: HashMap<&str, &ParsedItem> = HashMap::with_capacity(previous.items.len());
    for item in &previous.items {
        let range = item.offset as usize..item.offset as usize + item.len as usize;
        if let Some(item_text) = previous_text.get(range) {
            reusable.insert(item_text, item);
        }
    }
    parse_chunks(text, |chunk_text| reusable.get(chunk_text).map(|item| (item.item.clone(), item.errors.clone())))
}

/// Splits `text` into items and parses each one that `reuse` does not already know.
fn parse_chunks(text: &str, reuse: impl Fn(&str) -> Option<(Arc<ItemSyntax>, Vec<SyntaxError>)>) -> Parse {
    let split = chunk::split(text);
    let mut items = Vec::with_capacity(split.chunks.len());
    let mut errors = Vec::new();
    for range in split.chunks {
        let chunk_text = &text[range.clone()];
        let offset = range.start as u32;
        let (item, chunk_errors) = match reuse(chunk_text) {
            Some((item, chunk_errors)) => (Some(item), chunk_errors),
            None => {
                let (item, chunk_errors) = lower::parse_item(chunk_text);
                (item.map(Arc::new), chunk_errors)
            }
        };
        errors.extend(chunk_errors.iter().map(|error| {
            let mut error = error.clone();
            error.span = error.span.shifted(offset);
            if let Some(suggestion) = &mut error.suggestion {
                suggestion.span = suggestion.span.shifted(offset);
            }
            error
        }));
        if let Some(item) = item {
            items.push(ParsedItem { offset, len: chunk_text.len() as u32, item, errors: chunk_errors });
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
