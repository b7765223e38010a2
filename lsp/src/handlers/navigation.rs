//! Hover, go to definition, find references, prepareRename and rename.

use std::collections::HashMap;

use portolan_ide::{FileRange, RenameError};
use tower_lsp_server::ls_types::{
    GotoDefinitionResponse, Hover, HoverContents, Location, MarkupContent, MarkupKind, Position, PrepareRenameResponse,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::state::Snapshot;

fn offset(snapshot: &Snapshot, position: Position) -> u32 {
    snapshot.lines(snapshot.file).offset(position)
}

/// An LSP location of a byte range of any file of the snapshot.
pub fn location(snapshot: &Snapshot, range: FileRange) -> Option<Location> {
    Some(Location { uri: snapshot.uri(range.file)?, range: snapshot.lines(range.file).range(range.span) })
}

pub fn hover(snapshot: &Snapshot, position: Position) -> Option<Hover> {
    let found = portolan_ide::hover(&snapshot.db, snapshot.file, offset(snapshot, position))?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: found.markdown }),
        range: Some(snapshot.lines(snapshot.file).range(found.span)),
    })
}

pub fn definition(snapshot: &Snapshot, position: Position) -> Option<GotoDefinitionResponse> {
    let declaration = portolan_ide::definition(&snapshot.db, snapshot.file, offset(snapshot, position))?;
    location(snapshot, declaration.name).map(GotoDefinitionResponse::Scalar)
}

pub fn references(snapshot: &Snapshot, position: Position, include_declaration: bool) -> Option<Vec<Location>> {
    let found = portolan_ide::references(&snapshot.db, snapshot.file, offset(snapshot, position), include_declaration);
    if found.is_empty() {
        return None;
    }
    Some(found.into_iter().filter_map(|r| location(snapshot, r)).collect())
}

pub fn prepare_rename(snapshot: &Snapshot, position: Position) -> Result<Option<PrepareRenameResponse>, RenameError> {
    match portolan_ide::prepare_rename(&snapshot.db, snapshot.file, offset(snapshot, position)) {
        Ok((range, placeholder)) => {
            let range = snapshot.lines(range.file).range(range.span);
            Ok(Some(PrepareRenameResponse::RangeWithPlaceholder { range, placeholder }))
        }
        Err(RenameError::NothingToRename) => Ok(None),
        Err(error) => Err(error),
    }
}

pub fn rename(snapshot: &Snapshot, position: Position, new_name: &str) -> Result<Option<WorkspaceEdit>, RenameError> {
    let edits = portolan_ide::rename(&snapshot.db, snapshot.file, offset(snapshot, position), new_name)?;
    Ok(Some(workspace_edit(snapshot, &edits)))
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
