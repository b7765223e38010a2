//! P207: a flow `via` a node that cannot relay it, and `relay` where it cannot apply.

use portolan_syntax::Span;
use portolan_syntax::ast::{FlowDecl, Path, PortDecl};

use super::{candidates, edit};
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::user_files;
use crate::items::{Item, ItemKind, file_items};
use crate::resolve::{node_info, port_decl_location};
use crate::resolved::{NodeInfo, NodePort};
use crate::scope::{Resolved, lookup, module_scope};

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
pub fn not_relaying_port<'db>(
    db: &'db dyn Db,
    flow: Item<'db>,
    path: &Path,
    node: Item<'db>,
    port: &NodePort<'db>,
) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::InvalidProxy,
        format!("port `{}` of node `{}` does not relay connections", port.name, node.name(db)),
    )
    .primary(flow.at(db, path.span), "not a proxy's input");
    if let Some(location) = port_decl_location(db, port) {
        diagnostic = diagnostic.secondary(location, "declared without `relay` here");
    }
    let written = candidates::node_text(db, path, node, port);
    let relays: Vec<String> = node_info(db, node)
        .ports
        .iter()
        .filter(|p| p.relay && p.active)
        .map(|p| candidates::port_text(db, &written, node, p))
        .collect();
    diagnostic = diagnostic.help("a flow goes `via` a proxy's input that is declared with `relay`");
    for relay in relays {
        diagnostic = diagnostic.fix(format!("go via `{relay}`"), vec![edit::replace(db, flow, path.span, relay)]);
    }
    diagnostic
}

/// `via node` where the node has no relaying input, or several that could fit.
pub fn cannot_relay<'db>(
    db: &'db dyn Db,
    flow: Item<'db>,
    path: &Path,
    node: Item<'db>,
    info: &NodeInfo<'db>,
    relays: &[u32],
    destination: &NodePort<'db>,
) -> Diagnostic {
    if relays.is_empty() {
        let diagnostic = Diagnostic::new(
            Code::InvalidProxy,
            format!("node `{}` is not a proxy: none of its inputs relays", node.name(db)),
        )
        .primary(flow.at(db, path.span), "cannot relay this flow")
        .secondary(node.name_location(db), format!("`{}` is declared here", node.name(db)));
        let proxies = proxies(db, flow, destination);
        if proxies.is_empty() {
            return diagnostic.help(
                "no node of the spec relays: go via a proxy, a node whose input is declared `relay` (such as one built from `std.infra`'s `HttpProxy` or `ReverseProxy`)",
            );
        }
        let listed: Vec<String> = proxies.iter().map(|p| format!("`{p}`")).collect();
        let mut diagnostic = diagnostic.help(format!("go via a node that relays this flow: {}", listed.join(" or ")));
        for proxy in proxies.into_iter().take(3) {
            diagnostic = diagnostic.fix(format!("go via `{proxy}`"), vec![edit::replace(db, flow, path.span, proxy)]);
        }
        return diagnostic;
    }
    let written = path.text();
    let names: Vec<String> = relays
        .iter()
        .filter_map(|&i| info.ports.get(i as usize))
        .map(|p| candidates::port_text(db, &written, node, p))
        .collect();
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let mut diagnostic =
        Diagnostic::new(Code::InvalidProxy, format!("node `{}` relays on more than one input", node.name(db)))
            .primary(flow.at(db, path.span), "which input does this flow enter?")
            .help(format!("name the input after `via`: {}", listed.join(" or ")));
    for name in names {
        diagnostic = diagnostic.fix(format!("go via `{name}`"), vec![edit::replace(db, flow, path.span, name)]);
    }
    diagnostic
}

/// The nodes the flow's module can name that a flow to `destination` can go `via` as written:
/// one relaying input of the destination's protocol, or a single relaying input.
fn proxies<'db>(db: &'db dyn Db, flow: Item<'db>, destination: &NodePort<'db>) -> Vec<String> {
    let scope = module_scope(db, flow.file(db));
    let mut out = Vec::new();
    for &file in user_files(db) {
        for &node in file_items(db, file).iter().filter(|i| i.kind(db) == ItemKind::Node) {
            let relays: Vec<&NodePort<'db>> =
                node_info(db, node).ports.iter().filter(|p| p.relay && p.active).collect();
            let same = relays.iter().filter(|p| p.protocol == destination.protocol).count();
            let fits = same == 1 || (same == 0 && relays.len() == 1);
            if fits && lookup(db, scope, node.name(db)) == Ok(Resolved::Item(node)) {
                out.push(node.name(db).to_string());
            }
        }
    }
    out
}

/// `<->` between peers together with `via`.
pub fn two_way_via(db: &dyn Db, flow: Item<'_>, decl: &FlowDecl) -> Diagnostic {
    Diagnostic::new(Code::InvalidProxy, "a two-way flow between peers cannot go via a proxy")
        .primary(flow.at(db, decl.arrow_span), "`<->` between two `peer` ports")
        .help("write one flow in each direction, each with its own `via`")
}
