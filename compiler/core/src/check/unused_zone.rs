//! P703 (warning): a zone of the user's spec with no nodes.

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::zone_used;
use crate::items::Item;

pub fn check<'db>(db: &'db dyn Db, zone: Item<'db>) -> Vec<Diagnostic> {
    if !zone.is_user(db) || zone_used(db, zone) {
        return Vec::new();
    }
    vec![
        Diagnostic::new(Code::UnusedZone, format!("zone `{}` has no nodes", zone.name(db)))
            .primary(zone.name_location(db), "no node is placed in this zone")
            .help("place a node in it (inside its block, or `node name: Component in zone`), or remove it"),
    ]
}
