//! `textDocument/inlayHint`: the ports each flow uses, after its destination.

use tower_lsp_server::ls_types::{InlayHint, InlayHintKind, InlayHintLabel, Range};

use crate::state::Snapshot;

pub fn inlay_hints(snapshot: &Snapshot, range: Range) -> Vec<InlayHint> {
    let lines = snapshot.lines(snapshot.file);
    let span = lines.span(range);
    portolan_ide::inlay_hints(&snapshot.db, snapshot.file)
        .into_iter()
        .filter(|hint| span.contains(hint.offset))
        .map(|hint| InlayHint {
            position: lines.position(hint.offset),
            label: InlayHintLabel::String(hint.label),
            kind: Some(InlayHintKind::TYPE),
            text_edits: None,
            tooltip: None,
            padding_left: None,
            padding_right: None,
            data: None,
        })
        .collect()
}
