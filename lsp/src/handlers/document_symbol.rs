//! `textDocument/documentSymbol`: the outline of a document.

use portolan_ide::SymbolKind;
use tower_lsp_server::ls_types::{self as lsp, DocumentSymbol};

use crate::convert::Lines;
use crate::state::Snapshot;

/// The LSP kind of a symbol (`workspace/symbol` uses it too).
pub fn kind(kind: SymbolKind) -> lsp::SymbolKind {
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
        SymbolKind::Document => lsp::SymbolKind::FILE,
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
