//! P601: a node in no zone, or in two.

use portolan_syntax::ast::{NodeDecl, Path, ZoneDecl};

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;

pub fn no_zone(db: &dyn Db, node: Item<'_>, decl: &NodeDecl) -> Diagnostic {
    Diagnostic::new(Code::NodeZone, format!("node `{}` is in no zone", decl.name.name))
        .primary(node.at(db, decl.name.span), "every node sits in exactly one zone")
        .help(format!(
            "declare it inside a `zone` block, or add `in <zone>`: `node {}: ... in datacenter`",
            decl.name.name
        ))
}

pub fn two_zones(db: &dyn Db, node: Item<'_>, decl: &NodeDecl, zone: &ZoneDecl, written: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::NodeZone,
        format!("node `{}` is in two zones: `{}` and `{}`", decl.name.name, zone.name.name, written.text()),
    )
    .primary(node.at(db, written.span), format!("places the node in `{}`", written.text()))
    .secondary(node.at(db, zone.name.span), format!("but it is declared inside `{}`", zone.name.name))
    .help("a node sits in exactly one zone: remove `in ...` or move the node")
}
