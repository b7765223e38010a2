//! Inlay hints: the transport and ports each flow resolves to, after the end it reaches.

use portolan_syntax::ast;

use portolan::db::{Db, SourceFile};
use portolan::items::{ItemKind, file_items};
use portolan::resolve::flow_info;
use portolan::resolved::Hop;

/// A label to show at a byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: u32,
    pub label: String,
}

/// A hint after each proxy a flow goes via (the hop into it) and after its destination (the last
/// hop; for two-way flows between peers, both directions).
pub fn inlay_hints(db: &dyn Db, file: SourceFile) -> Vec<InlayHint> {
    let mut out = Vec::new();
    for &item in file_items(db, file) {
        if item.kind(db) != ItemKind::Flow {
            continue;
        }
        let Some(decl) = item.flow_decl(db) else { continue };
        let info = flow_info(db, item);
        if info.hops.is_empty() {
            continue;
        }
        let offset = item.offset(db);
        let ends: Vec<&ast::Path> = decl.via.iter().chain(std::iter::once(&decl.to)).collect();
        for (hop, path) in info.hops.iter().zip(&ends) {
            out.push(InlayHint { offset: path.span.end + offset, label: format!(": {}", label(hop)) });
        }
        if let Some(back) = info.hops.get(ends.len()) {
            out.push(InlayHint { offset: decl.to.span.end + offset, label: format!(" ← {}", label(back)) });
        }
    }
    out
}

fn label(hop: &Hop<'_>) -> String {
    if hop.ports.is_empty() { "no port".to_string() } else { hop.ports.to_string() }
}
