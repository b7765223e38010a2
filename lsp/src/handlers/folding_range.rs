//! `textDocument/foldingRange`: items, nested nodes and runs of comments over several lines.

use portolan_ide::FoldKind;
use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeKind};

use crate::state::Snapshot;

pub fn folding_ranges(snapshot: &Snapshot) -> Vec<FoldingRange> {
    let lines = snapshot.lines(snapshot.file);
    portolan_ide::folding_ranges(&snapshot.db, snapshot.file)
        .into_iter()
        .filter_map(|fold| {
            let range = lines.range(fold.span);
            (range.end.line > range.start.line).then_some(FoldingRange {
                start_line: range.start.line,
                start_character: None,
                end_line: range.end.line,
                end_character: None,
                kind: Some(match fold.kind {
                    FoldKind::Region => FoldingRangeKind::Region,
                    FoldKind::Comment => FoldingRangeKind::Comment,
                }),
                collapsed_text: None,
            })
        })
        .collect()
}
