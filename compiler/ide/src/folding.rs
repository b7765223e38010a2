//! Folding ranges: items and nodes that span lines, and runs of comment lines.

use portolan_syntax::Span;

use portolan::db::{Db, SourceFile};
use portolan::items::{file_items, parse_file};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FoldKind {
    Region,
    Comment,
}

/// A range to fold, offsets from the start of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fold {
    pub span: Span,
    pub kind: FoldKind,
}

/// Every top-level item and nested node of more than one line, and every run of two or more
/// comment lines. The caller drops ranges that fit on one line.
pub fn folding_ranges(db: &dyn Db, file: SourceFile) -> Vec<Fold> {
    let text = file.text(db);
    let mut out = Vec::new();
    for parsed in &parse_file(db, file).items {
        // An item's text runs to the next item: fold up to its last non-blank character.
        let item_text = text.get(parsed.offset as usize..(parsed.offset + parsed.len) as usize).unwrap_or("");
        let end = parsed.offset + item_text.trim_end().len() as u32;
        out.push(Fold { span: Span::new(parsed.offset, end), kind: FoldKind::Region });
    }
    for &item in file_items(db, file) {
        if item.key(db) != item.anchor(db)
            && let Some(decl) = item.node_decl(db)
        {
            out.push(Fold { span: decl.span.shifted(item.offset(db)), kind: FoldKind::Region });
        }
    }
    let mut run: Option<Span> = None;
    let mut offset = 0u32;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len() as u32;
        if line.trim_start().starts_with("//") {
            let end = start + line.trim_end().len() as u32;
            run = Some(run.map_or(Span::new(start, end), |r| Span::new(r.start, end)));
        } else if let Some(r) = run.take() {
            out.push(Fold { span: r, kind: FoldKind::Comment });
        }
    }
    out.extend(run.map(|r| Fold { span: r, kind: FoldKind::Comment }));
    out.sort_by_key(|f| (f.span.start, f.span.end));
    out
}
