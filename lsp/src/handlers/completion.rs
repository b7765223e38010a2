//! Completion: keywords, names in scope, and the ports of a node after `node.`.

use portolan::ide::{self, CompletionKind};
use tower_lsp_server::ls_types::{CompletionItem, CompletionItemKind, Position};

use crate::state::Snapshot;

fn kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Module => CompletionItemKind::MODULE,
        CompletionKind::Protocol => CompletionItemKind::INTERFACE,
        CompletionKind::Component => CompletionItemKind::CLASS,
        CompletionKind::Zone => CompletionItemKind::MODULE,
        CompletionKind::Node => CompletionItemKind::VARIABLE,
        CompletionKind::Port => CompletionItemKind::FIELD,
        CompletionKind::Param => CompletionItemKind::PROPERTY,
    }
}

pub fn completion(snapshot: &Snapshot, position: Position) -> Vec<CompletionItem> {
    let offset = snapshot.lines(snapshot.file).offset(position);
    ide::completions(&snapshot.db, snapshot.file, offset)
        .into_iter()
        .map(|c| CompletionItem {
            label: c.label,
            kind: Some(kind(c.kind)),
            detail: c.detail,
            ..CompletionItem::default()
        })
        .collect()
}
