//! Diagnostics rendered for people (codespan-reporting), for tools (a JSON array) and for CI
//! code scanning (SARIF 2.1.0). Every renderer takes absolute diagnostics.

mod human;
mod json;
mod sarif;

pub use human::{human, summary};
pub use json::{json, json_values};
pub use sarif::{sarif, sarif_log, sarif_run};

use portolan_syntax::LineIndex;
use rustc_hash::FxHashMap;

use crate::db::{Db, SourceFile};
use crate::diagnostic::Location;

/// A 1-based line and column range; columns count Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Line indexes of the files a rendering touches, built once each.
#[derive(Default)]
pub struct Lines {
    indexes: FxHashMap<SourceFile, LineIndex>,
}

impl Lines {
    pub fn region(&mut self, db: &dyn Db, location: &Location) -> Region {
        let location = location.absolute(db);
        let text = location.file.text(db);
        let index = self.indexes.entry(location.file).or_insert_with(|| LineIndex::new(text));
        let start = index.line_col_chars(text, location.span.start);
        let end = index.line_col_chars(text, location.span.end);
        Region { line: start.line + 1, column: start.col + 1, end_line: end.line + 1, end_column: end.col + 1 }
    }
}
