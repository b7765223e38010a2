//! One module per LSP method, named after it. Each handler is a plain function from a snapshot
//! and the request's parameters to the LSP answer; `crate::server` runs it through `crate::guard`.
//! This file holds what several of them share: positions to offsets, byte ranges to locations,
//! edits to a workspace edit.

pub mod code_action;
pub mod completion;
pub mod definition;
pub mod document_symbol;
pub mod folding_range;
pub mod formatting;
pub mod hover;
pub mod inlay_hint;
pub mod prepare_rename;
pub mod publish_diagnostics;
pub mod references;
pub mod rename;
pub mod semantic_tokens;
pub mod workspace_symbol;

use std::collections::HashMap;

use portolan_ide::FileRange;
use tower_lsp_server::ls_types::{Location, Position, TextEdit, Uri, WorkspaceEdit};

use crate::state::Snapshot;

/// The byte offset in the snapshot's file of an LSP position.
pub fn offset(snapshot: &Snapshot, position: Position) -> u32 {
    snapshot.lines(snapshot.file).offset(position)
}

/// An LSP location of a byte range of any file of the snapshot.
pub fn location(snapshot: &Snapshot, range: FileRange) -> Option<Location> {
    Some(Location { uri: snapshot.uri(range.file)?, range: snapshot.lines(range.file).range(range.span) })
}

/// Edits grouped by file; edits in files without a URI are left out.
pub fn workspace_edit(snapshot: &Snapshot, edits: &[portolan_ide::TextEdit]) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in edits {
        let Some(uri) = snapshot.uri(edit.range.file) else { continue };
        let range = snapshot.lines(edit.range.file).range(edit.range.span);
        changes.entry(uri).or_default().push(TextEdit { range, new_text: edit.text.clone() });
    }
    WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }
}
