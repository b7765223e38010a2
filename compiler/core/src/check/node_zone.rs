//! P601: a node in no zone, or in two.

use portolan_syntax::Span;
use portolan_syntax::ast::{NodeDecl, Path, ZoneDecl};

use super::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::{Item, ItemKind};
use crate::scope::{module_scope, visible_names};

pub fn no_zone(db: &dyn Db, node: Item<'_>, decl: &NodeDecl) -> Diagnostic {
    let name = &decl.name.name;
    let diagnostic = Diagnostic::new(Code::NodeZone, format!("node `{name}` is in no zone"))
        .primary(node.at(db, decl.name.span), "every node sits in exactly one zone");
    let zones = visible_names(db, module_scope(db, node.file(db)), &[ItemKind::Zone]);
    let Some(first) = zones.first() else {
        return diagnostic
            .help(format!("declare a zone, and the node inside its block: `zone <zone> {{ node {name}: ... }}`"));
    };
    let others = match zones.as_slice() {
        [_] => String::new(),
        all => format!(" (the zones here are {})", all.iter().map(|z| format!("`{z}`")).collect::<Vec<_>>().join(", ")),
    };
    let mut diagnostic = diagnostic.help(format!(
        "declare it inside a `zone` block, or place it with `in`: `node {name}: ... in {first}`{others}"
    ));
    let at = decl.components.last().map_or(decl.name.span.end, |c| c.span.end);
    for zone in zones.iter().take(3) {
        diagnostic = diagnostic.fix(
            format!("place `{name}` in `{zone}`"),
            vec![edit::replace(db, node, Span::new(at, at), format!(" in {zone}"))],
        );
    }
    diagnostic
}

pub fn two_zones(db: &dyn Db, node: Item<'_>, decl: &NodeDecl, zone: &ZoneDecl, written: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::NodeZone,
        format!("node `{}` is in two zones: `{}` and `{}`", decl.name.name, zone.name.name, written.text()),
    )
    .primary(node.at(db, written.span), format!("places the node in `{}`", written.text()))
    .secondary(node.at(db, zone.name.span), format!("but it is declared inside `{}`", zone.name.name))
    .help("a node sits in exactly one zone: remove `in ...` or move the node")
    .fix(
        format!("remove `in {}`", written.text()),
        vec![edit::remove(
            db,
            node,
            Span::new(decl.components.last().map_or(decl.name.span.end, |c| c.span.end), written.span.end),
        )],
    )
}
