//! P201: a node's output that no flow serves.
//!
//! An output (`connect`) that is not `optional` and whose `when` condition holds must be the start
//! of a flow, or be served on the host: declared `local Component.port` with that component on
//! the same node.

use portolan_syntax::ast::PortKind;

use super::{candidates, edit, node_phrase, port_path, port_phrase};
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit, Location};
use crate::facts::node_usage;
use crate::items::{Item, ItemKind};
use crate::resolve::{node_info, port_decl_location, protocol_info};
use crate::resolved::{NodeInfo, NodePort};
use crate::scope::declared_kind;

/// The input of another component on the node that serves this output on the host itself.
pub fn served_on_the_host<'i, 'db>(
    db: &dyn Db,
    info: &'i NodeInfo<'db>,
    port: &NodePort<'db>,
) -> Option<&'i NodePort<'db>> {
    let (component, input) = port.local_peer.as_ref()?;
    info.ports.iter().find(|p| {
        p.active
            && p.kind.accepts()
            && &p.name == input
            && p.component.name(db) == component
            && p.component != port.component
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
        if port.kind != PortKind::Connect || !port.active || port.optional {
            continue;
        }
        if usage.served.contains(&(index as u32)) || served_on_the_host(db, info, port).is_some() {
            continue;
        }
        out.push(diagnostic(db, node, port));
    }
    out
}

fn diagnostic<'db>(db: &'db dyn Db, node: Item<'db>, port: &NodePort<'db>) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::UnmatchedOutput,
        format!(
            "{} needs {}, but no flow provides it",
            node_phrase(db, node, Some(port.component)),
            port_phrase(db, port)
        ),
    )
    .primary(node.name_location(db), format!("`{}` is not served by any flow", port_path(db, node, port)));
    if let Some(location) = port_decl_location(db, port) {
        diagnostic = diagnostic.secondary(location, format!("`{}` is declared here", port.name));
    }
    let candidates = candidates::serving_inputs(db, node.file(db), node, port, None);
    // The role that would serve it on the host, when the component says one does and no node of
    // the spec serves it across the network.
    let mut on_the_host = None;
    if let Some((component, input)) = &port.local_peer
        && candidates.is_empty()
        && let Some((path, edit)) = add_local_peer(db, node, port, component)
    {
        on_the_host = Some(format!(
            "`{component}` serves it on the host (`local {component}.{input}`): add `{path}` to the node's \
             components if it runs there; otherwise "
        ));
        diagnostic = diagnostic.fix(format!("add `{path}` to `{}`", node.name(db)), vec![edit]);
    }
    let protocol = port.protocol.map_or_else(|| "it".into(), |p| protocol_info(db, p).title.clone());
    let source = port_path(db, node, port);
    for candidate in candidates.iter().take(5) {
        let flow = format!("flow {source} -> {}", candidate.path);
        diagnostic = diagnostic.fix(
            format!("add a flow to {}", candidate.path),
            vec![Edit { location: Location::end_of(node.file(db)), text: format!("{flow}\n") }],
        );
    }
    let mut help = match candidates.first() {
        Some(best) => {
            let mut help = format!(
                "add a flow from this output to an input that serves {protocol}: `flow {source} -> {}`",
                best.path
            );
            if let Some(why) = candidates::why_first(db, &candidates, &source, port) {
                help.push_str(&format!(", the likeliest of {} because {why}", candidates.len()));
            }
            help
        }
        None => format!("no node of the spec serves {protocol}: add one, and a flow from `{source}` to it"),
    };
    if let Some(edit) = edit::mark_port(db, port, "optional") {
        help.push_str(&format!(
            "; or, if the deployment does without it, mark `{}` `optional` in its component",
            port.name
        ));
        diagnostic = diagnostic.fix(format!("mark `{}` optional", port.name), vec![edit]);
    }
    match on_the_host {
        Some(first) => diagnostic.help(format!("{first}{help}")),
        None => diagnostic.help(help),
    }
}

/// The component that would serve `port` on the host, as the node's file can name it (the
/// qualifier the node writes for the output's own component), and the edit that adds it to the
/// node's components. `None` when the output's module declares no component of that name.
fn add_local_peer(db: &dyn Db, node: Item<'_>, port: &NodePort<'_>, peer: &str) -> Option<(String, Edit)> {
    let peer_item = crate::scope::module_locals(db, port.component.file(db)).get(peer)?;
    if declared_kind(db, peer_item) != Some(ItemKind::Component) {
        return None;
    }
    let decl = node.node_decl(db)?;
    let own = port.component.name(db);
    let written = decl.components.iter().find(|p| p.segments.last().is_some_and(|s| s.name == *own))?;
    let qualifier: Vec<&str> = written.segments[..written.segments.len() - 1].iter().map(|s| s.name.as_str()).collect();
    let path = if qualifier.is_empty() { peer.to_string() } else { format!("{}.{peer}", qualifier.join(".")) };
    let last = decl.components.last()?;
    let at = node.at(db, portolan_syntax::Span::new(last.span.end, last.span.end));
    Some((path.clone(), Edit { location: at, text: format!(" + {path}") }))
}
