//! P203: a flow between ports that speak different protocols.

use portolan_syntax::ast::Path;

use super::port_phrase;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
use crate::model::NodePort;
use crate::resolve::{End, node_info, port_decl_location, protocol_info};

fn protocol_title(db: &dyn Db, port: &NodePort<'_>) -> String {
    port.protocol.map_or_else(|| "an unknown protocol".into(), |p| protocol_info(db, p).title.clone())
}

pub fn diagnostic(db: &dyn Db, flow: Item<'_>, from: &End<'_, '_>, to: &End<'_, '_>) -> Diagnostic {
    let (Some(a), Some(b)) = (from.port(), to.port()) else {
        return Diagnostic::new(Code::ProtocolMismatch, "the two ends of this flow speak different protocols");
    };
    let (pa, pb) = (protocol_title(db, a), protocol_title(db, b));
    let mut diagnostic = Diagnostic::new(
        Code::ProtocolMismatch,
        format!("`{}` speaks {pa}, but `{}` speaks {pb}", from.path.text(), to.path.text()),
    )
    .primary(flow.at(db, from.path.span), pa.to_string())
    .secondary(flow.at(db, to.path.span), pb.to_string());
    for port in [a, b] {
        if let Some(location) = port_decl_location(db, port) {
            diagnostic = diagnostic.secondary(location, format!("`{}` is declared here", port.name));
        }
    }
    // Name the inputs of the target node that would fit.
    let fitting: Vec<String> = node_info(db, to.node)
        .ports
        .iter()
        .filter(|p| p.active && p.kind.accepts() && p.protocol.is_some() && p.protocol == a.protocol)
        .map(|p| format!("`{}.{}`", to.node.name(db), p.name))
        .collect();
    if fitting.is_empty() {
        diagnostic.help(format!("connect `{}` to an input that speaks {pa}", from.path.text()))
    } else {
        diagnostic.help(format!("{} speaks {pa}", fitting.join(" or ")))
    }
}

/// An end written as a bare node where no port of that node fits the other end.
pub fn no_port_for(db: &dyn Db, flow: Item<'_>, path: &Path, node: Item<'_>, other: &NodePort<'_>) -> Diagnostic {
    let wanted = port_phrase(db, other);
    let title = protocol_title(db, other);
    Diagnostic::new(
        Code::ProtocolMismatch,
        format!("node `{}` has no port that speaks {title}, for {wanted}", node.name(db)),
    )
    .primary(flow.at(db, path.span), format!("no {title} port on this node"))
    .secondary(node.name_location(db), format!("`{}` is declared here", node.name(db)))
}
