//! Parsing as a query, and the per-file item index: one tracked [`Item`] per top-level item and
//! per node declared inside a zone.
//!
//! An item's identity is its kind, its name (a flow's is its two ends) and its occurrence among
//! items of the same name in the file; its syntax and its offset in the file are tracked fields.
//! Spans in the syntax are relative to the item's anchor (the top-level item holding it), so a
//! query that reads only an item's syntax does not re-run when an edit above moves the item.

use std::sync::Arc;

use portolan_syntax::ast::{self, FlowDecl, NodeDecl};
use portolan_syntax::{BrokenItem, ItemSyntax, Name, Parse};
use rustc_hash::FxHashMap;

use crate::db::{Db, SourceFile};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Use,
    Protocol,
    Component,
    Zone,
    Node,
    Flow,
    Policy,
    Document,
    /// An item with a syntax error; it still binds its name when one could be read.
    Broken,
}

impl ItemKind {
    /// "component", "zone", ...: how messages name this kind of thing.
    pub fn noun(self) -> &'static str {
        match self {
            ItemKind::Use => "import",
            ItemKind::Protocol => "protocol",
            ItemKind::Component => "component",
            ItemKind::Zone => "zone",
            ItemKind::Node => "node",
            ItemKind::Flow => "flow",
            ItemKind::Policy => "policy",
            ItemKind::Document => "document",
            ItemKind::Broken => "item",
        }
    }
}

/// What identifies an item within its file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemKey {
    pub kind: ItemKind,
    pub name: Name,
    pub occurrence: u32,
}

/// An item's syntax: a top-level item, or the `index`-th node inside a zone.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ItemData {
    Top(Arc<ItemSyntax>),
    Nested { zone: Arc<ItemSyntax>, index: u32 },
}

#[salsa::tracked(debug)]
pub struct Item<'db> {
    #[returns(copy)]
    pub file: SourceFile,
    #[returns(ref)]
    pub key: ItemKey,
    /// The key of the top-level item whose start the spans in `data` count from.
    #[returns(ref)]
    pub anchor: ItemKey,
    #[tracked]
    #[returns(ref)]
    pub data: ItemData,
    /// Where the anchor starts in the file.
    #[tracked]
    #[returns(copy)]
    pub offset: u32,
}

/// A node's syntax, whether declared at the top level or inside a zone.
pub enum NodeSyntax<'a> {
    Parsed { decl: &'a NodeDecl, zone: Option<&'a ast::ZoneDecl> },
    Broken { name: &'a ast::Ident },
}

impl<'db> Item<'db> {
    pub fn kind(self, db: &'db dyn Db) -> ItemKind {
        self.key(db).kind
    }

    pub fn name(self, db: &'db dyn Db) -> &'db Name {
        &self.key(db).name
    }

    /// The parsed top-level item, if this is one that parsed.
    pub fn ast(self, db: &'db dyn Db) -> Option<&'db ast::Item> {
        match self.data(db) {
            ItemData::Top(syntax) => match &**syntax {
                ItemSyntax::Parsed(item) => Some(item),
                ItemSyntax::Broken(_) => None,
            },
            ItemData::Nested { .. } => None,
        }
    }

    pub fn broken(self, db: &'db dyn Db) -> Option<&'db BrokenItem> {
        match self.data(db) {
            ItemData::Top(syntax) => match &**syntax {
                ItemSyntax::Broken(broken) => Some(broken),
                ItemSyntax::Parsed(_) => None,
            },
            ItemData::Nested { zone, .. } => match &**zone {
                ItemSyntax::Broken(broken) => Some(broken),
                ItemSyntax::Parsed(_) => None,
            },
        }
    }

    pub fn node_syntax(self, db: &'db dyn Db) -> Option<NodeSyntax<'db>> {
        match self.data(db) {
            ItemData::Top(syntax) => match &**syntax {
                ItemSyntax::Parsed(ast::Item::Node(decl)) => Some(NodeSyntax::Parsed { decl, zone: None }),
                _ => None,
            },
            ItemData::Nested { zone, index } => match &**zone {
                ItemSyntax::Parsed(ast::Item::Zone(zone)) => {
                    zone.nodes.get(*index as usize).map(|decl| NodeSyntax::Parsed { decl, zone: Some(zone) })
                }
                ItemSyntax::Broken(broken) => {
                    broken.nested_nodes.get(*index as usize).map(|name| NodeSyntax::Broken { name })
                }
                ItemSyntax::Parsed(_) => None,
            },
        }
    }

    pub fn node_decl(self, db: &'db dyn Db) -> Option<&'db NodeDecl> {
        match self.node_syntax(db)? {
            NodeSyntax::Parsed { decl, .. } => Some(decl),
            NodeSyntax::Broken { .. } => None,
        }
    }

    pub fn flow_decl(self, db: &'db dyn Db) -> Option<&'db FlowDecl> {
        match self.ast(db)? {
            ast::Item::Flow(flow) => Some(flow),
            _ => None,
        }
    }

    pub fn component_decl(self, db: &'db dyn Db) -> Option<&'db ast::ComponentDecl> {
        match self.ast(db)? {
            ast::Item::Component(c) => Some(c),
            _ => None,
        }
    }

    pub fn protocol_decl(self, db: &'db dyn Db) -> Option<&'db ast::ProtocolDecl> {
        match self.ast(db)? {
            ast::Item::Protocol(p) => Some(p),
            _ => None,
        }
    }

    pub fn zone_decl(self, db: &'db dyn Db) -> Option<&'db ast::ZoneDecl> {
        match self.ast(db)? {
            ast::Item::Zone(z) => Some(z),
            _ => None,
        }
    }

    pub fn policy_decl(self, db: &'db dyn Db) -> Option<&'db ast::PolicyDecl> {
        match self.ast(db)? {
            ast::Item::Policy(p) => Some(p),
            _ => None,
        }
    }

    pub fn document_decl(self, db: &'db dyn Db) -> Option<&'db ast::DocumentDecl> {
        match self.ast(db)? {
            ast::Item::Document(d) => Some(d),
            _ => None,
        }
    }

    pub fn use_decl(self, db: &'db dyn Db) -> Option<&'db ast::UseDecl> {
        match self.ast(db)? {
            ast::Item::Use(u) => Some(u),
            _ => None,
        }
    }

    /// The span of the name this item declares (relative to the anchor), or of the whole item.
    pub fn name_span(self, db: &'db dyn Db) -> portolan_syntax::Span {
        if let Some(node) = self.node_syntax(db) {
            return match node {
                NodeSyntax::Parsed { decl, .. } => decl.name.span,
                NodeSyntax::Broken { name } => name.span,
            };
        }
        if let Some(broken) = self.broken(db) {
            return broken.name.as_ref().map_or(broken.span, |n| n.span);
        }
        match self.ast(db) {
            Some(ast::Item::Protocol(p)) => p.name.span,
            Some(ast::Item::Component(c)) => c.name.span,
            Some(ast::Item::Zone(z)) => z.name.span,
            Some(ast::Item::Flow(f)) => f.from.span.cover(f.to.span),
            Some(ast::Item::Policy(p)) => p.name.as_ref().map_or(p.span, |n| n.span),
            Some(ast::Item::Use(u)) => u.module.span,
            Some(ast::Item::Node(n)) => n.name.span,
            Some(ast::Item::Document(d)) => d.title.as_ref().map_or(d.span, |t| t.span),
            None => portolan_syntax::Span::EMPTY,
        }
    }

    pub fn is_user(self, db: &'db dyn Db) -> bool {
        self.file(db).origin(db) == crate::db::Origin::User
    }
}

/// Parses one file. Re-runs whenever the file's text changes, and then parses again only the
/// items whose text the edit changed.
#[salsa::tracked(returns(ref))]
pub fn parse_file(db: &dyn Db, file: SourceFile) -> Arc<Parse> {
    db.parse_cache().parse(file, file.text(db))
}

/// The items of one file, in source order.
#[salsa::tracked(returns(ref))]
pub fn file_items(db: &dyn Db, file: SourceFile) -> Vec<Item<'_>> {
    let parse = parse_file(db, file);
    let mut counts: FxHashMap<(ItemKind, Name), u32> = FxHashMap::default();
    let mut next_key = |kind: ItemKind, name: Name| {
        let occurrence = counts.entry((kind, name.clone())).or_insert(0);
        let key = ItemKey { kind, name, occurrence: *occurrence };
        *occurrence += 1;
        key
    };
    let mut items = Vec::with_capacity(parse.items.len());
    for parsed in &parse.items {
        let (kind, name) = identity(&parsed.item);
        let key = next_key(kind, name);
        items.push(Item::new(db, file, key.clone(), key.clone(), ItemData::Top(parsed.item.clone()), parsed.offset));
        let nested: Vec<Name> = match &*parsed.item {
            ItemSyntax::Parsed(ast::Item::Zone(zone)) => zone.nodes.iter().map(|n| n.name.name.clone()).collect(),
            ItemSyntax::Broken(broken) => broken.nested_nodes.iter().map(|n| n.name.clone()).collect(),
            ItemSyntax::Parsed(_) => Vec::new(),
        };
        for (index, name) in nested.into_iter().enumerate() {
            let node_key = next_key(ItemKind::Node, name);
            let data = ItemData::Nested { zone: parsed.item.clone(), index: index as u32 };
            items.push(Item::new(db, file, node_key, key.clone(), data, parsed.offset));
        }
    }
    items
}

/// Where each top-level item of a file starts; used to turn item-relative spans into file offsets.
#[salsa::tracked(returns(ref))]
pub fn anchor_offsets(db: &dyn Db, file: SourceFile) -> FxHashMap<ItemKey, u32> {
    file_items(db, file)
        .iter()
        .filter(|item| item.key(db) == item.anchor(db))
        .map(|item| (item.key(db).clone(), item.offset(db)))
        .collect()
}

fn identity(syntax: &ItemSyntax) -> (ItemKind, Name) {
    match syntax {
        ItemSyntax::Parsed(item) => match item {
            ast::Item::Use(u) => (ItemKind::Use, Name::new(use_key(u))),
            ast::Item::Protocol(p) => (ItemKind::Protocol, p.name.name.clone()),
            ast::Item::Component(c) => (ItemKind::Component, c.name.name.clone()),
            ast::Item::Zone(z) => (ItemKind::Zone, z.name.name.clone()),
            ast::Item::Node(n) => (ItemKind::Node, n.name.name.clone()),
            ast::Item::Flow(f) => (ItemKind::Flow, Name::new(flow_key(f))),
            ast::Item::Policy(p) => (ItemKind::Policy, p.name.as_ref().map(|n| n.name.clone()).unwrap_or_default()),
            ast::Item::Document(_) => (ItemKind::Document, Name::default()),
        },
        ItemSyntax::Broken(broken) => {
            let keyword = broken.keyword.as_ref().map_or("", |k| k.name.as_str());
            let name = broken.name.as_ref().map_or("", |n| n.name.as_str());
            (ItemKind::Broken, Name::new(format!("{keyword} {name}")))
        }
    }
}

fn use_key(decl: &ast::UseDecl) -> String {
    let tail = match &decl.kind {
        ast::UseKind::Module { alias: Some(alias) } => format!(" as {}", alias.name),
        ast::UseKind::Module { alias: None } => String::new(),
        ast::UseKind::Glob { .. } => ".*".to_string(),
        ast::UseKind::Names(_) => ".{}".to_string(),
    };
    format!("{}{tail}", decl.module.text())
}

fn flow_key(flow: &FlowDecl) -> String {
    format!("{}{}{}", flow.from.text(), flow.direction.arrow(), flow.to.text())
}
