//! `textDocument/hover`: what the name under the cursor is, as Markdown.

use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::offset;
use crate::state::Snapshot;

pub fn hover(snapshot: &Snapshot, position: Position) -> Option<Hover> {
    let found = portolan_ide::hover(&snapshot.db, snapshot.file, offset(snapshot, position))?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: found.markdown }),
        range: Some(snapshot.lines(snapshot.file).range(found.span)),
    })
}
