//! `textDocument/formatting`: the formatter `portolan fmt` runs, as one edit replacing the document.

use tower_lsp_server::ls_types::TextEdit;

use crate::state::Snapshot;

/// No edit when the text is already formatted.
pub fn format(snapshot: &Snapshot) -> Vec<TextEdit> {
    let text = snapshot.text();
    let formatted = portolan_fmt::format(text);
    if formatted == text {
        return Vec::new();
    }
    vec![TextEdit { range: snapshot.lines(snapshot.file).full(), new_text: formatted }]
}
