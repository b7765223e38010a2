//! `textDocument/prepareRename`: whether the name under the cursor can be renamed, and its range.

use portolan_ide::RenameError;
use tower_lsp_server::ls_types::{Position, PrepareRenameResponse};

use super::offset;
use crate::state::Snapshot;

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
