//! What a name can stand for in an editor: an item, a module, or a port or parameter of a
//! component; and where each is declared.

use portolan_syntax::{Name, Span};

use super::FileRange;
use portolan::db::{Db, Origin, SourceFile};
use portolan::items::{Item, ItemKind, NodeSyntax};
use portolan::resolve::component_info;
use portolan::scope::declared_kind;

/// The thing a name refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, salsa::SalsaValue)]
pub enum Definition<'db> {
    Item(Item<'db>),
    Module(SourceFile),
    /// A port of a component, by name.
    Port {
        component: Item<'db>,
        name: Name,
    },
    /// A parameter of a component, by name.
    Param {
        component: Item<'db>,
        name: Name,
    },
}

/// What kind of thing a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    Module,
    Protocol,
    Component,
    Zone,
    Node,
    Port,
    Param,
}

impl NameKind {
    /// The kind of name an item declares (looking through syntax errors); `None` for items that
    /// declare no name (imports, flows, policies).
    pub fn of_item(db: &dyn Db, item: Item<'_>) -> Option<NameKind> {
        Some(match declared_kind(db, item)? {
            ItemKind::Protocol => NameKind::Protocol,
            ItemKind::Component => NameKind::Component,
            ItemKind::Zone => NameKind::Zone,
            ItemKind::Node => NameKind::Node,
            _ => return None,
        })
    }
}

/// Where something is declared: the whole declaration and the name in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Declaration {
    pub full: FileRange,
    pub name: FileRange,
}

impl<'db> Definition<'db> {
    /// The file that declares it.
    pub fn file(&self, db: &'db dyn Db) -> SourceFile {
        match self {
            Definition::Item(item) => item.file(db),
            Definition::Module(file) => *file,
            Definition::Port { component, .. } | Definition::Param { component, .. } => component.file(db),
        }
    }

    /// True when the standard library declares it.
    pub fn is_stdlib(&self, db: &'db dyn Db) -> bool {
        self.file(db).origin(db) == Origin::Stdlib
    }

    /// What kind of thing it is.
    pub fn kind(&self, db: &'db dyn Db) -> Option<NameKind> {
        match self {
            Definition::Item(item) => NameKind::of_item(db, *item),
            Definition::Module(_) => Some(NameKind::Module),
            Definition::Port { .. } => Some(NameKind::Port),
            Definition::Param { .. } => Some(NameKind::Param),
        }
    }

    /// The name as declared (a module's full dotted name).
    pub fn name(&self, db: &'db dyn Db) -> String {
        match self {
            Definition::Item(item) => match item.broken(db).and_then(|b| b.name.as_ref()) {
                Some(name) if item.node_syntax(db).is_none() => name.name.to_string(),
                _ => item.name(db).to_string(),
            },
            Definition::Module(file) => file.module(db).clone(),
            Definition::Port { name, .. } | Definition::Param { name, .. } => name.to_string(),
        }
    }

    /// Where it is declared, offsets from the start of its file.
    pub fn declaration(&self, db: &'db dyn Db) -> Option<Declaration> {
        match self {
            Definition::Item(item) => {
                let offset = item.offset(db);
                let at = |span: Span| FileRange { file: item.file(db), span: span.shifted(offset) };
                Some(Declaration { full: at(item_span(db, *item)), name: at(item.name_span(db)) })
            }
            Definition::Module(file) => {
                let len = file.text(db).len() as u32;
                Some(Declaration {
                    full: FileRange { file: *file, span: Span::new(0, len) },
                    name: FileRange { file: *file, span: Span::EMPTY },
                })
            }
            Definition::Port { component, name } => {
                let port = component_info(db, *component).ports.iter().find(|p| &p.name == name)?;
                Some(member_declaration(db, *component, port.span, port.name_span))
            }
            Definition::Param { component, name } => {
                let param = component_info(db, *component).param(name)?;
                Some(member_declaration(db, *component, param.span, param.name_span))
            }
        }
    }
}

fn member_declaration(db: &dyn Db, component: Item<'_>, full: Span, name: Span) -> Declaration {
    let offset = component.offset(db);
    let file = component.file(db);
    Declaration {
        full: FileRange { file, span: full.shifted(offset) },
        name: FileRange { file, span: name.shifted(offset) },
    }
}

/// The span of a whole item (relative to its anchor).
pub fn item_span(db: &dyn Db, item: Item<'_>) -> Span {
    if let Some(node) = item.node_syntax(db) {
        return match node {
            NodeSyntax::Parsed { decl, .. } => decl.span,
            NodeSyntax::Broken { name } => name.span,
        };
    }
    if let Some(broken) = item.broken(db) {
        return broken.span;
    }
    item.ast(db).map_or(Span::EMPTY, |ast| ast.span())
}
