//! The outline of a file, and the declared names of the whole workspace.

use portolan_syntax::Span;
use portolan_syntax::ast;

use super::FileRange;
use super::defs::{Definition, item_span};
use portolan::db::{Db, SourceFile};
use portolan::items::{Item, ItemKind, file_items};
use portolan::resolve::{component_info, protocol_info};
use portolan::scope::declared_kind;

/// What kind of thing a symbol is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Import,
    Protocol,
    Component,
    Param,
    Port,
    Zone,
    Node,
    Flow,
    Policy,
    Document,
}

/// One entry of an outline, offsets from the start of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole declaration.
    pub span: Span,
    /// The name in it.
    pub name_span: Span,
    pub children: Vec<Symbol>,
}

/// The outline of a file: its items, components with their parameters and ports, zones with
/// their nodes.
pub fn document_symbols(db: &dyn Db, file: SourceFile) -> Vec<Symbol> {
    let mut out: Vec<Symbol> = Vec::new();
    for &item in file_items(db, file) {
        let Some(symbol) = item_symbol(db, item) else { continue };
        // A node declared inside a zone goes under that zone, which comes just before it.
        if item.key(db) != item.anchor(db)
            && let Some(zone) = out.last_mut()
            && zone.kind == SymbolKind::Zone
        {
            zone.children.push(symbol);
            continue;
        }
        out.push(symbol);
    }
    out
}

fn item_symbol(db: &dyn Db, item: Item<'_>) -> Option<Symbol> {
    let offset = item.offset(db);
    let kind = match item.kind(db) {
        ItemKind::Broken => match declared_kind(db, item)? {
            ItemKind::Protocol => SymbolKind::Protocol,
            ItemKind::Component => SymbolKind::Component,
            ItemKind::Zone => SymbolKind::Zone,
            _ => SymbolKind::Node,
        },
        ItemKind::Use => SymbolKind::Import,
        ItemKind::Protocol => SymbolKind::Protocol,
        ItemKind::Component => SymbolKind::Component,
        ItemKind::Zone => SymbolKind::Zone,
        ItemKind::Node => SymbolKind::Node,
        ItemKind::Flow => SymbolKind::Flow,
        ItemKind::Policy => SymbolKind::Policy,
        ItemKind::Document => SymbolKind::Document,
    };
    let name = match item.kind(db) {
        ItemKind::Use => format!("use {}", item.name(db)),
        ItemKind::Policy if item.name(db).is_empty() => "policy".to_string(),
        ItemKind::Document => "document".to_string(),
        ItemKind::Flow => match item.flow_decl(db) {
            Some(flow) => flow.ends_text(),
            None => item.name(db).to_string(),
        },
        _ => Definition::Item(item).name(db),
    };
    let mut children = Vec::new();
    let detail = match item.ast(db) {
        Some(ast::Item::Protocol(_)) => {
            let info = protocol_info(db, item);
            Some(info.default_ports.as_ref().map_or_else(|| info.title.clone(), |p| format!("{} {p}", info.title)))
        }
        Some(ast::Item::Component(decl)) => {
            children = component_children(db, item, decl, offset);
            decl.title.as_ref().map(|t| t.value.clone())
        }
        Some(ast::Item::Zone(decl)) => decl.title.as_ref().map(|t| t.value.clone()),
        Some(ast::Item::Flow(decl)) => decl.label.as_ref().map(|t| t.value.clone()),
        Some(ast::Item::Policy(decl)) => decl.title.as_ref().map(|t| t.value.clone()),
        Some(ast::Item::Document(decl)) => decl.title.as_ref().map(|t| t.value.clone()),
        _ => item.node_decl(db).and_then(|n| n.title.as_ref().map(|t| t.value.clone())),
    };
    Some(Symbol {
        name,
        detail,
        kind,
        span: item_span(db, item).shifted(offset),
        name_span: item.name_span(db).shifted(offset),
        children,
    })
}

fn component_children(db: &dyn Db, item: Item<'_>, decl: &ast::ComponentDecl, offset: u32) -> Vec<Symbol> {
    let info = component_info(db, item);
    let mut children: Vec<Symbol> = decl
        .params
        .iter()
        .map(|p| Symbol {
            name: p.name.name.to_string(),
            detail: Some(p.ty.name.to_string()),
            kind: SymbolKind::Param,
            span: p.span.shifted(offset),
            name_span: p.name.span.shifted(offset),
            children: Vec::new(),
        })
        .collect();
    for (port, protocol) in info.ports.iter().zip(&info.protocols) {
        let protocol = protocol.map_or_else(String::new, |p| format!(" {}", p.name(db)));
        children.push(Symbol {
            name: port.name.to_string(),
            detail: Some(format!("{}{protocol}", port.kind.keyword())),
            kind: SymbolKind::Port,
            span: port.span.shifted(offset),
            name_span: port.name_span.shifted(offset),
            children: Vec::new(),
        });
    }
    children.sort_by_key(|s| s.span.start);
    children
}

/// A declared name found by a workspace search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The module that declares it.
    pub module: String,
    pub range: FileRange,
}

/// The protocols, components, zones and nodes of every file (the standard library's included)
/// whose name contains the query's characters in order, ignoring case; the user's first.
pub fn workspace_symbols(db: &dyn Db, query: &str) -> Vec<WorkspaceSymbol> {
    let query = query.to_lowercase();
    let mut out = Vec::new();
    let mut files: Vec<SourceFile> = db.workspace().files(db).clone();
    files.sort_by_key(|f| f.origin(db));
    for file in files {
        for &item in file_items(db, file) {
            let kind = match declared_kind(db, item) {
                Some(ItemKind::Protocol) => SymbolKind::Protocol,
                Some(ItemKind::Component) => SymbolKind::Component,
                Some(ItemKind::Zone) => SymbolKind::Zone,
                Some(ItemKind::Node) => SymbolKind::Node,
                _ => continue,
            };
            let name = Definition::Item(item).name(db);
            if !matches_fuzzy(&name.to_lowercase(), &query) {
                continue;
            }
            let span = item.name_span(db).shifted(item.offset(db));
            out.push(WorkspaceSymbol { name, kind, module: file.module(db).clone(), range: FileRange { file, span } });
        }
    }
    out
}

/// True when every character of `query` appears in `name`, in order.
fn matches_fuzzy(name: &str, query: &str) -> bool {
    let mut chars = name.chars();
    query.chars().all(|q| chars.any(|c| c == q))
}
