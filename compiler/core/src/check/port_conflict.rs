//! P602: two listeners on one host on the same transport and port, unless both are `shared`
//! listeners of one protocol (one server process, such as IIS or nginx, serving both).

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
use crate::resolve::{node_info, port_decl_location};

pub fn check<'db>(db: &'db dyn Db, node: Item<'db>) -> Vec<Diagnostic> {
    let info = node_info(db, node);
    let listeners: Vec<_> = info.ports.iter().filter(|p| p.active && p.kind.accepts() && !p.ports.is_empty()).collect();
    let mut out = Vec::new();
    for (i, a) in listeners.iter().enumerate() {
        for b in &listeners[i + 1..] {
            let overlap = a.ports.intersection(&b.ports);
            if overlap.is_empty() || (a.shared && b.shared && a.protocol == b.protocol) {
                continue;
            }
            let qualify = |p: &crate::model::NodePort<'_>| {
                if info.components.len() > 1 {
                    format!("{}.{}", p.component.name(db), p.name)
                } else {
                    p.name.to_string()
                }
            };
            let mut diagnostic = Diagnostic::new(
                Code::PortConflict,
                format!(
                    "`{}` and `{}` both listen on {} on node `{}`",
                    qualify(a),
                    qualify(b),
                    overlap.describe(),
                    node.name(db)
                ),
            )
            .primary(node.name_location(db), format!("two listeners on {} on one host", overlap.describe()));
            for port in [a, b] {
                if let Some(location) = port_decl_location(db, port) {
                    diagnostic = diagnostic.secondary(location, format!("`{}` listens here", port.name));
                }
            }
            let help = if a.protocol == b.protocol {
                "move one to another port, or mark both `shared` if one server process (IIS, nginx) serves both"
            } else {
                "move one of them to another port"
            };
            out.push(diagnostic.help(help));
        }
    }
    out
}
