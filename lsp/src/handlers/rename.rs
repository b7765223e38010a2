//! `textDocument/rename`: the declaration and every use, renamed.

use portolan_ide::RenameError;
use tower_lsp_server::ls_types::{Position, WorkspaceEdit};

use super::{offset, workspace_edit};
use crate::state::Snapshot;

pub fn rename(snapshot: &Snapshot, position: Position, new_name: &str) -> Result<Option<WorkspaceEdit>, RenameError> {
    let edits = portolan_ide::rename(&snapshot.db, snapshot.file, offset(snapshot, position), new_name)?;
    Ok(Some(workspace_edit(snapshot, &edits)))
}
