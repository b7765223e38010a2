//! `textDocument/codeAction`: the quick fixes of the diagnostics in the requested range.

use tower_lsp_server::ls_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range};

use super::publish_diagnostics::to_lsp;
use super::workspace_edit;
use crate::state::Snapshot;

pub fn code_actions(snapshot: &Snapshot, range: Range) -> Vec<CodeActionOrCommand> {
    let span = snapshot.lines(snapshot.file).span(range);
    portolan_ide::code_actions(&snapshot.db, snapshot.file, span)
        .into_iter()
        .map(|action| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title: action.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: to_lsp(snapshot, &action.diagnostic).map(|d| vec![d]),
                edit: Some(workspace_edit(snapshot, &action.edits)),
                ..CodeAction::default()
            })
        })
        .collect()
}
