//! `workspace/symbol`: symbols of every spec whose name matches a query.

use tower_lsp_server::ls_types::{Location, OneOf, WorkspaceSymbol};

use super::document_symbol::kind;
use super::location;
use crate::state::Snapshot;

/// Matching symbols of every spec, each standard-library symbol once.
pub fn workspace_symbols(snapshots: &[Snapshot], query: &str) -> Vec<WorkspaceSymbol> {
    let mut out: Vec<WorkspaceSymbol> = Vec::new();
    let mut seen: Vec<Location> = Vec::new();
    for snapshot in snapshots {
        for symbol in portolan_ide::workspace_symbols(&snapshot.db, query) {
            let Some(location) = location(snapshot, symbol.range) else { continue };
            if seen.contains(&location) {
                continue;
            }
            seen.push(location.clone());
            out.push(WorkspaceSymbol {
                name: symbol.name,
                kind: kind(symbol.kind),
                tags: None,
                container_name: Some(symbol.module),
                location: OneOf::Left(location),
                data: None,
            });
        }
    }
    out
}
