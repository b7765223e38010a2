//! P203: a flow between ports that speak different protocols.

use portolan_syntax::ast::{FlowDecl, Path};

use super::{candidates, edit, port_phrase};
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
use crate::resolve::{End, node_info, port_decl_location, protocol_info};
use crate::resolved::NodePort;

fn protocol_title(db: &dyn Db, port: &NodePort<'_>) -> String {
    port.protocol.map_or_else(|| "an unknown protocol".into(), |p| protocol_info(db, p).title.clone())
}

pub fn diagnostic<'db>(
    db: &'db dyn Db,
    flow: Item<'db>,
    decl: &FlowDecl,
    from: &End<'db, '_>,
    to: &End<'db, '_>,
) -> Diagnostic {
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
    // A flow that ends at a forward proxy's entry instead of going through it.
    if b.relay {
        return through_proxy(db, flow, decl, from, to, a, b, diagnostic);
    }
    // Name the inputs of the target node that would fit, else the spec's.
    let node = candidates::node_text(db, to.path, to.node, b);
    let fitting: Vec<String> = node_info(db, to.node)
        .ports
        .iter()
        .filter(|p| p.active && p.kind.accepts() && p.protocol.is_some() && p.protocol == a.protocol)
        .map(|p| candidates::port_text(db, &node, to.node, p))
        .collect();
    let listed = |paths: &[String]| paths.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" or ");
    let fitting = if fitting.is_empty() {
        let spec: Vec<String> = candidates::serving_inputs(db, flow.file(db), from.node, a, None)
            .into_iter()
            .take(3)
            .map(|c| c.path)
            .collect();
        // The spec's inputs that fit are the fixes.
        diagnostic = diagnostic.help(format!("connect `{}` to an input that speaks {pa}", from.path.text()));
        spec
    } else {
        diagnostic = diagnostic.help(format!("{} speaks {pa}", listed(&fitting)));
        fitting
    };
    for path in fitting {
        diagnostic =
            diagnostic.fix(format!("connect to `{path}`"), vec![edit::replace(db, flow, to.path.span, path.clone())]);
    }
    diagnostic
}

/// `flow adc.sync -> proxy.clients`: the flow was meant to go `via` the proxy, to an input the
/// proxy reaches for it; the help and the fix say which (ranked as P201 ranks them).
#[allow(clippy::too_many_arguments)]
fn through_proxy<'db>(
    db: &'db dyn Db,
    flow: Item<'db>,
    decl: &FlowDecl,
    from: &End<'db, '_>,
    to: &End<'db, '_>,
    a: &NodePort<'db>,
    b: &NodePort<'db>,
    diagnostic: Diagnostic,
) -> Diagnostic {
    let (pa, proxy) = (protocol_title(db, a), candidates::node_text(db, to.path, to.node, b));
    let relays = to.info.ports.iter().filter(|p| p.relay && p.active).count();
    let entry = if relays == 1 { proxy.clone() } else { candidates::port_text(db, &proxy, to.node, b) };
    let targets = candidates::serving_inputs(db, flow.file(db), from.node, a, Some(to.node));
    let Some(target) = targets.first() else {
        return diagnostic.help(format!(
            "`{}` is a proxy's entry: go `via {entry}` to an input that speaks {pa}, beyond the proxy",
            to.path.text()
        ));
    };
    let mut via: Vec<String> = decl.via.iter().map(|p| p.text()).collect();
    via.push(entry.clone());
    let written = format!("flow {} -> {} via {}", from.path.text(), target.path, via.join(", "));
    let mut help = format!("a flow goes `via` a proxy, not to its entry `{}`: `{written}`", to.path.text());
    if let Some(why) = candidates::why_first(db, &targets, &from.path.text(), a) {
        help.push_str(&format!(", `{}` being the likeliest input that speaks {pa} because {why}", target.path));
    }
    let edits = match decl.via.last() {
        None => vec![edit::replace(db, flow, to.path.span, format!("{} via {entry}", target.path))],
        Some(last) => vec![
            edit::replace(db, flow, to.path.span, target.path.clone()),
            edit::replace(db, flow, portolan_syntax::Span::new(last.span.end, last.span.end), format!(", {entry}")),
        ],
    };
    diagnostic.help(help).fix(format!("go via `{entry}` to `{}`", target.path), edits)
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
