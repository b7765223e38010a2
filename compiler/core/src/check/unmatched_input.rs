//! P202 (warning): a node's input that no flow reaches: an open port nobody uses.

use super::{edit, node_phrase, port_path, port_phrase};
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::node_usage;
use crate::items::Item;
use crate::resolve::{node_info, port_decl_location};
use crate::resolved::NodeInfo;

/// True when another component on the node connects to this input on the host (`local`).
fn reached_locally(db: &dyn Db, info: &NodeInfo<'_>, index: usize) -> bool {
    let Some(input) = info.ports.get(index) else { return false };
    let component = input.component.name(db);
    info.ports.iter().any(|p| {
        p.active
            && p.component != input.component
            && p.local_peer.as_ref().is_some_and(|(c, name)| c == component && name == &input.name)
    })
}

pub fn check<'db>(db: &'db dyn Db, node: Item<'db>) -> Vec<Diagnostic> {
    let info = node_info(db, node);
    if !info.complete {
        return Vec::new();
    }
    let usage = node_usage(db, node);
    let mut out = Vec::new();
    for (index, port) in info.ports.iter().enumerate() {
        if !port.kind.accepts() || !port.active || port.optional {
            continue;
        }
        if usage.reached.contains(&(index as u32)) || reached_locally(db, info, index) {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnmatchedInput,
            format!(
                "nothing connects to {} of {}: an open port that no flow uses",
                port_phrase(db, port),
                node_phrase(db, node, Some(port.component))
            ),
        )
        .primary(node.name_location(db), format!("`{}` is not reached by any flow", port_path(db, node, port)));
        if let Some(location) = port_decl_location(db, port) {
            diagnostic = diagnostic.secondary(location, format!("`{}` is declared here", port.name));
        }
        let mut diagnostic = diagnostic.help(
            "add a flow to it; or, if the deployment does not use it, switch it off with the component's `when` parameter or mark it `optional`",
        );
        if let Some(edit) = edit::mark_port(db, port, "optional") {
            diagnostic = diagnostic.fix(format!("mark `{}` optional", port.name), vec![edit]);
        }
        out.push(diagnostic);
    }
    out
}
