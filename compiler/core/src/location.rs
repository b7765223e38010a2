//! A place in a file, as checks and the resolved model record it: relative to an item's start
//! while cached, so that an edit moving the item leaves it right, and absolute for readers.

use portolan_syntax::Span;

use crate::db::{Db, SourceFile};
use crate::items::{ItemKey, anchor_offsets};

/// The offset [`Location::end_of`] stands for until it is made absolute.
const END_OF_FILE: u32 = u32::MAX;

/// A place in a file. Inside the checker a span counts from the start of an item (`anchor`), so
/// that cached diagnostics stay right when an edit moves the item; [`Location::absolute`] turns it
/// into an offset from the start of the file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: SourceFile,
    pub anchor: Option<ItemKey>,
    pub span: Span,
}

impl Location {
    /// A location whose span counts from the start of the file.
    pub fn in_file(file: SourceFile, span: Span) -> Location {
        Location { file, anchor: None, span }
    }

    /// The end of a file, whatever its length: where a suggested edit appends. Checks use it so
    /// that they need not read the file's text (which would make them re-run on every edit).
    pub fn end_of(file: SourceFile) -> Location {
        Location { file, anchor: None, span: Span { start: END_OF_FILE, end: END_OF_FILE } }
    }

    /// True for [`Location::end_of`].
    pub fn is_end_of_file(&self) -> bool {
        self.anchor.is_none() && self.span.start == END_OF_FILE
    }

    /// The same place, its span counted from the start of the file.
    pub fn absolute(&self, db: &dyn Db) -> Location {
        match &self.anchor {
            None if self.is_end_of_file() => {
                let end = self.file.text(db).len() as u32;
                Location { file: self.file, anchor: None, span: Span::new(end, end) }
            }
            None => self.clone(),
            Some(key) => {
                let offset = anchor_offsets(db, self.file).get(key).copied().unwrap_or(0);
                Location { file: self.file, anchor: None, span: self.span.shifted(offset) }
            }
        }
    }
}
