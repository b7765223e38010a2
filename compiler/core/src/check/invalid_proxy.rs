//! P207: a flow `via` a node that cannot relay it, and `relay` where it cannot apply.

use portolan_syntax::Span;
use portolan_syntax::ast::{FlowDecl, Path, PortDecl};

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
use crate::model::{NodeInfo, NodePort};
use crate::resolve::port_decl_location;

/// `relay` on a port that is not an input.
pub fn relay_on_output(db: &dyn Db, component: Item<'_>, port: &PortDecl, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidProxy,
        format!("only an input can relay, but `{}` is declared with `{}`", port.name.name, port.kind.keyword()),
    )
    .primary(component.at(db, span), "`relay` marks the input a proxy accepts connections on")
    .help("put `relay` on the proxy's `listen` port")
}

/// `via node.port` where that port does not relay.
pub fn not_relaying_port(db: &dyn Db, flow: Item<'_>, path: &Path, node: Item<'_>, port: &NodePort<'_>) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::InvalidProxy,
        format!("port `{}` of node `{}` does not relay connections", port.name, node.name(db)),
    )
    .primary(flow.at(db, path.span), "not a proxy's input");
    if let Some(location) = port_decl_location(db, port) {
        diagnostic = diagnostic.secondary(location, "declared without `relay` here");
    }
    diagnostic.help("a flow goes `via` a proxy's input that is declared with `relay`")
}

/// `via node` where the node has no relaying input, or several that could fit.
pub fn cannot_relay(
    db: &dyn Db,
    flow: Item<'_>,
    path: &Path,
    node: Item<'_>,
    info: &NodeInfo<'_>,
    relays: &[u32],
) -> Diagnostic {
    if relays.is_empty() {
        return Diagnostic::new(
            Code::InvalidProxy,
            format!("node `{}` is not a proxy: none of its inputs relays", node.name(db)),
        )
        .primary(flow.at(db, path.span), "cannot relay this flow")
        .secondary(node.name_location(db), format!("`{}` is declared here", node.name(db)))
        .help("go via a node built from a proxy component (`std.infra.HttpProxy`, `std.infra.ReverseProxy`)");
    }
    let names: Vec<String> = relays
        .iter()
        .filter_map(|&i| info.ports.get(i as usize))
        .map(|p| format!("`{}.{}`", node.name(db), p.name))
        .collect();
    Diagnostic::new(Code::InvalidProxy, format!("node `{}` relays on more than one input", node.name(db)))
        .primary(flow.at(db, path.span), "which input does this flow enter?")
        .help(format!("name the input after `via`: {}", names.join(" or ")))
}

/// `<->` between peers together with `via`.
pub fn two_way_via(db: &dyn Db, flow: Item<'_>, decl: &FlowDecl) -> Diagnostic {
    Diagnostic::new(Code::InvalidProxy, "a two-way flow between peers cannot go via a proxy")
        .primary(flow.at(db, decl.arrow_span), "`<->` between two `peer` ports")
        .help("write one flow in each direction, each with its own `via`")
}
