//! Code actions: the fixes the checks attach to their diagnostics ("add a flow to
//! `node.input`", "mark `x` optional", "replace with `name`"), for the diagnostics in a range.

use portolan_syntax::Span;

use super::FileRange;
use super::navigate::TextEdit;
use portolan::collect::file_diagnostics;
use portolan::db::{Db, SourceFile};
use portolan::diagnostic::Diagnostic;

/// A quick fix: its title, the diagnostic it fixes, and its edits (possibly in several files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    /// With locations counted from the start of their files.
    pub diagnostic: Diagnostic,
    pub edits: Vec<TextEdit>,
}

/// The fixes of the diagnostics of `file` whose primary span touches `range`.
pub fn code_actions(db: &dyn Db, file: SourceFile, range: Span) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for diagnostic in file_diagnostics(db, file) {
        let Some(location) = diagnostic.location() else { continue };
        if location.file != file || location.span.end < range.start || range.end < location.span.start {
            continue;
        }
        for fix in &diagnostic.fixes {
            let edits = fix
                .edits
                .iter()
                .map(|edit| {
                    let location = edit.location.absolute(db);
                    TextEdit { range: FileRange { file: location.file, span: location.span }, text: edit.text.clone() }
                })
                .collect();
            out.push(CodeAction { title: fix.title.clone(), diagnostic: diagnostic.clone(), edits });
        }
    }
    out
}
