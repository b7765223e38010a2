//! `textDocument/references`: every use of the name under the cursor, in every file.

use tower_lsp_server::ls_types::{Location, Position};

use super::{location, offset};
use crate::state::Snapshot;

pub fn references(snapshot: &Snapshot, position: Position, include_declaration: bool) -> Option<Vec<Location>> {
    let found = portolan_ide::references(&snapshot.db, snapshot.file, offset(snapshot, position), include_declaration);
    if found.is_empty() {
        return None;
    }
    Some(found.into_iter().filter_map(|r| location(snapshot, r)).collect())
}
