//! `textDocument/definition`: where the name under the cursor is declared, in any file.

use tower_lsp_server::ls_types::{GotoDefinitionResponse, Position};

use super::{location, offset};
use crate::state::Snapshot;

pub fn definition(snapshot: &Snapshot, position: Position) -> Option<GotoDefinitionResponse> {
    let declaration = portolan_ide::definition(&snapshot.db, snapshot.file, offset(snapshot, position))?;
    location(snapshot, declaration.name).map(GotoDefinitionResponse::Scalar)
}
