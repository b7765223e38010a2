//! P602: two listeners on one host on the same transport and port, unless both are `shared`
//! listeners of one protocol (one server process, such as IIS or nginx, serving both).

use super::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
use crate::resolve::{node_info, port_decl_location};
use crate::resolved::NodePort;

pub fn check<'db>(db: &'db dyn Db, node: Item<'db>) -> Vec<Diagnostic> {
    let info = node_info(db, node);
    let listeners: Vec<_> = info.ports.iter().filter(|p| p.active && p.kind.accepts() && !p.ports.is_empty()).collect();
    let mut out = Vec::new();
    // The edit that marks a listener `shared`: none needed when it is already, `None` when its
    // component is not the user's to edit.
    let mark = |p: &NodePort<'db>| if p.shared { Some(None) } else { edit::mark_port(db, p, "shared").map(Some) };
    for (i, a) in listeners.iter().enumerate() {
        for b in &listeners[i + 1..] {
            let overlap = a.ports.intersection(&b.ports);
            if overlap.is_empty() || (a.shared && b.shared && a.protocol == b.protocol) {
                continue;
            }
            let qualify = |p: &NodePort<'_>| {
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
                "move one to another port, or mark both `shared` if one server process serves both"
            } else {
                "move one of them to another port"
            };
            let mut diagnostic = diagnostic.help(help);
            // Both declared in the user's components, and one protocol: `shared` is the fix.
            if a.protocol == b.protocol
                && let (Some(first), Some(second)) = (mark(a), mark(b))
            {
                diagnostic = diagnostic.fix("mark both `shared`", [first, second].into_iter().flatten().collect());
            }
            out.push(diagnostic);
        }
    }
    out
}
