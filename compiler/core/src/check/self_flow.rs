//! P206: a flow whose two ends are one node that is not a cluster.

use portolan_syntax::ast::FlowDecl;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::resolve::End;

pub fn diagnostic(db: &dyn Db, flow: Item<'_>, decl: &FlowDecl, from: &End<'_, '_>, to: &End<'_, '_>) -> Diagnostic {
    let node = from.node.name(db);
    let different_components = match (from.port(), to.port()) {
        (Some(a), Some(b)) => a.component_index != b.component_index,
        _ => false,
    };
    let diagnostic = Diagnostic::new(Code::SelfFlow, format!("both ends of this flow are node `{node}`"))
        .primary(flow.at(db, decl.from.span.cover(decl.to.span)), "a flow from a node to itself")
        .secondary(from.node.name_location(db), format!("`{node}` is one host, not a cluster"));
    if different_components {
        let insert_at = portolan_syntax::Span::new(decl.to.span.end, decl.to.span.end);
        diagnostic
            .help(
                "roles on one host talk over the host itself: mark the flow `local` (no firewall rule is made for it)",
            )
            .fix("mark the flow `local`", vec![Edit { location: flow.at(db, insert_at), text: " local".into() }])
    } else {
        diagnostic.help(format!(
            "if `{node}` stands for several hosts, make it a cluster: `node {node}[3]: ...`, or `[*]` for a group"
        ))
    }
}

/// A `local` flow from a component to itself.
pub fn same_component(db: &dyn Db, flow: Item<'_>, decl: &FlowDecl, from: &End<'_, '_>) -> Diagnostic {
    let component = from.port().map(|p| p.component.name(db).to_string()).unwrap_or_default();
    Diagnostic::new(
        Code::SelfFlow,
        format!("both ends of this flow are component `{component}` on node `{}`", from.node.name(db)),
    )
    .primary(flow.at(db, decl.from.span.cover(decl.to.span)), "a component connecting to itself")
    .help("a `local` flow connects two different components that share one node")
}
