//! `textDocument/completion`: keywords, names in scope, the ports of a node after `node.` (or the components
//! that qualify them), module paths and imported names in `use` items.

use portolan_ide::{CompletionKind, NameKind};
use tower_lsp_server::ls_types::{CompletionItem, CompletionItemKind, Position};

use crate::state::Snapshot;

fn kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Name(name) => match name {
            NameKind::Module | NameKind::Zone => CompletionItemKind::MODULE,
            NameKind::Protocol => CompletionItemKind::INTERFACE,
            NameKind::Component => CompletionItemKind::CLASS,
            NameKind::Node => CompletionItemKind::VARIABLE,
            NameKind::Port => CompletionItemKind::FIELD,
            NameKind::Param => CompletionItemKind::PROPERTY,
        },
    }
}

pub fn completion(snapshot: &Snapshot, position: Position) -> Vec<CompletionItem> {
    let offset = snapshot.lines(snapshot.file).offset(position);
    portolan_ide::completions(&snapshot.db, snapshot.file, offset)
        .into_iter()
        .map(|c| CompletionItem {
            label: c.label,
            kind: Some(kind(c.kind)),
            detail: c.detail,
            ..CompletionItem::default()
        })
        .collect()
}
