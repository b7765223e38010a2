//! P105: a name of the wrong kind of thing, such as a zone where a component is expected.

use portolan_syntax::Span;

use super::unresolved::kinds_phrase;
use crate::codes::Code;
use crate::db::{Db, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::items::{Item, ItemKind};
use crate::scope::declared_kind;

pub fn diagnostic(db: &dyn Db, owner: Item<'_>, span: Span, found: Item<'_>, kinds: &[ItemKind]) -> Diagnostic {
    let noun = declared_kind(db, found).map_or("item", |k| k.noun());
    let expected = kinds_phrase(kinds);
    let mut diagnostic = Diagnostic::new(
        Code::WrongKind,
        format!("`{}` is a {noun}, but a {expected} is expected here", found.name(db)),
    )
    .primary(owner.at(db, span), format!("expected a {expected}"))
    .secondary(found.name_location(db), format!("`{}` is declared as a {noun} here", found.name(db)));
    if kinds == [ItemKind::Node] && noun == "zone" {
        diagnostic = diagnostic.help("a flow connects ports of nodes: `flow node.output -> node.input`");
    }
    diagnostic
}

/// A module alias used where an item of the module is expected.
pub fn module(db: &dyn Db, owner: Item<'_>, span: Span, module: SourceFile, kinds: &[ItemKind]) -> Diagnostic {
    let expected = kinds_phrase(kinds);
    Diagnostic::new(Code::WrongKind, format!("`{}` is a module, but a {expected} is expected here", module.module(db)))
        .primary(owner.at(db, span), format!("expected a {expected}"))
        .help(format!(
            "name one of the module's items: `{}.<name>`",
            module.module(db).rsplit('.').next().unwrap_or("")
        ))
}
