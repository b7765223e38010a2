//! The last parse of each file, kept beside salsa's memo so that parsing a file again after an
//! edit parses only the items whose text changed ([`portolan_syntax::reparse`]).
//!
//! Salsa forgets a query's old value when it re-runs, and the text an edit replaced is gone once
//! the input is set. This cache keeps both until the file's next parse: [`ParseCache::store`]
//! records each parse, and [`ParseCache::replaced`] the text an edit replaced. It never changes a
//! result: `reparse` gives exactly what `parse` gives, it only skips work.
//!
//! The invariant that makes the old parse usable: an entry's `replaced_text` is the text its
//! `parse` was made from. A parse always reads the file's current text, and a text is replaced
//! only through [`crate::Database::set_file`], which salsa runs with no query in flight; so the
//! text replaced first after a parse is that parse's text, and later replacements keep it.

use std::sync::{Arc, Mutex, MutexGuard};

use portolan_syntax::Parse;
use rustc_hash::FxHashMap;

use super::SourceFile;

#[derive(Default)]
pub struct ParseCache {
    entries: Mutex<FxHashMap<SourceFile, Entry>>,
}

struct Entry {
    parse: Arc<Parse>,
    /// The length of the text `parse` was made from, checked against `replaced_text`.
    text_len: usize,
    /// The text `parse` was made from, once an edit replaced it.
    replaced_text: Option<String>,
}

impl ParseCache {
    /// Parses `text`, the current text of `file`, reusing its last parse when an edit since then
    /// left some of its items unchanged.
    pub fn parse(&self, file: SourceFile, text: &str) -> Arc<Parse> {
        let previous = self.entries().get_mut(&file).and_then(|entry| {
            let replaced = entry.replaced_text.take().filter(|old| old.len() == entry.text_len)?;
            Some((entry.parse.clone(), replaced))
        });
        // The lock is not held while parsing: other files parse in parallel.
        let parse = match previous {
            Some((parse, replaced)) => portolan_syntax::reparse(text, &replaced, &parse),
            None => portolan_syntax::parse(text),
        };
        let parse = Arc::new(parse);
        let entry = Entry { parse: parse.clone(), text_len: text.len(), replaced_text: None };
        self.entries().insert(file, entry);
        parse
    }

    /// Records the text an edit of `file` replaced, unless an earlier edit since the file's last
    /// parse already did.
    pub fn replaced(&self, file: SourceFile, old_text: String) {
        if let Some(entry) = self.entries().get_mut(&file)
            && entry.replaced_text.is_none()
        {
            entry.replaced_text = Some(old_text);
        }
    }

    /// Forgets a file that left the spec.
    pub fn forget(&self, file: SourceFile) {
        self.entries().remove(&file);
    }

    fn entries(&self) -> MutexGuard<'_, FxHashMap<SourceFile, Entry>> {
        // The map stays consistent when a holder panics: every update is a single insert/take.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
