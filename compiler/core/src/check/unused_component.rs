//! P701 (warning): a component of the user's spec that no node uses.

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::component_used;
use crate::items::Item;

pub fn check<'db>(db: &'db dyn Db, component: Item<'db>) -> Vec<Diagnostic> {
    if !component.is_user(db) || component_used(db, component) {
        return Vec::new();
    }
    vec![
        Diagnostic::new(Code::UnusedComponent, format!("component `{}` is never used", component.name(db)))
            .primary(component.name_location(db), "no node is built from it")
            .help(format!("build a node from it (`node name: {}`), or remove it", component.name(db))),
    ]
}
