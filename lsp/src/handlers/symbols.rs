//! The outline of a document, and workspace symbol search.

use portolan_ide::SymbolKind;
use tower_lsp_server::ls_types::{self as lsp, DocumentSymbol, Location, OneOf, WorkspaceSymbol};

use super::navigation::location;
use crate::convert::Lines;
use crate::state::Snapshot;

fn kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Import => lsp::SymbolKind::MODULE,
        SymbolKind::Protocol => lsp::SymbolKind::INTERFACE,
        SymbolKind::Component => lsp::SymbolKind::CLASS,
        SymbolKind::Param => lsp::SymbolKind::PROPERTY,
        SymbolKind::Port => lsp::SymbolKind::FIELD,
        SymbolKind::Zone => lsp::SymbolKind::NAMESPACE,
        SymbolKind::Node => lsp::SymbolKind::OBJECT,
        SymbolKind::Flow => lsp::SymbolKind::EVENT,
        SymbolKind::Policy => lsp::SymbolKind::STRUCT,
    }
}

pub fn document_symbols(snapshot: &Snapshot) -> Vec<DocumentSymbol> {
    let lines = snapshot.lines(snapshot.file);
    portolan_ide::document_symbols(&snapshot.db, snapshot.file).iter().map(|s| convert(&lines, s)).collect()
}

fn convert(lines: &Lines<'_>, symbol: &portolan_ide::Symbol) -> DocumentSymbol {
    let range = lines.range(symbol.span);
    let mut selection_range = lines.range(symbol.name_span);
    // The name must lie inside the whole; when a syntax error leaves it outside, select the whole.
    if selection_range.start < range.start || selection_range.end > range.end {
        selection_range = range;
    }
    let children = (!symbol.children.is_empty()).then(|| symbol.children.iter().map(|c| convert(lines, c)).collect());
    #[allow(deprecated)] // `deprecated` is a field the LSP type still requires
    DocumentSymbol {
        name: if symbol.name.is_empty() { "?".to_string() } else { symbol.name.clone() },
        detail: symbol.detail.clone(),
        kind: kind(symbol.kind),
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children,
    }
}

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
