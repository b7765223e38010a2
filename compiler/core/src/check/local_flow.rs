//! P208: a `local` flow or a `local` output that is not on one host.

use portolan_syntax::Span;
use portolan_syntax::ast::{FlowDecl, Ident, Path, PortDecl, PortKind};

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::resolve::End;

/// `local` on a flow whose ends are different nodes.
pub fn different_nodes(
    db: &dyn Db,
    flow: Item<'_>,
    decl: &FlowDecl,
    from: &End<'_, '_>,
    to: &End<'_, '_>,
) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::InvalidLocalFlow,
        format!(
            "this flow is marked `local`, but `{}` and `{}` are different nodes",
            from.node.name(db),
            to.node.name(db)
        ),
    );
    if let Some(local) = decl.local {
        diagnostic = diagnostic.primary(flow.at(db, local), "`local` means both ends are on one host");
    }
    let diagnostic =
        diagnostic.help("remove `local`: traffic between two nodes crosses the network and needs a firewall rule");
    match remove_local(db, flow, decl) {
        Some(edit) => diagnostic.fix("remove `local`", vec![edit]),
        None => diagnostic,
    }
}

/// The edit that removes ` local` from a flow: from the end of what comes before it (its last
/// proxy, or its destination) to the end of the keyword.
fn remove_local(db: &dyn Db, flow: Item<'_>, decl: &FlowDecl) -> Option<Edit> {
    let local = decl.local?;
    let before = decl.via.last().map_or(decl.to.span.end, |v| v.span.end);
    Some(Edit { location: flow.at(db, Span::new(before, local.end)), text: String::new() })
}

/// `local` together with `via`.
pub fn local_via(db: &dyn Db, flow: Item<'_>, decl: &FlowDecl) -> Diagnostic {
    let span = decl.local.unwrap_or(decl.span);
    let mut diagnostic = Diagnostic::new(Code::InvalidLocalFlow, "a `local` flow cannot go via a proxy")
        .primary(flow.at(db, span), "`local` means the traffic never leaves the host")
        .help("remove `local` or remove `via`");
    if let Some(edit) = remove_local(db, flow, decl) {
        diagnostic = diagnostic.fix("remove `local`", vec![edit]);
    }
    if let Some(last) = decl.via.last() {
        let via = Span::new(decl.to.span.end, last.span.end);
        diagnostic = diagnostic.fix("remove `via`", vec![Edit { location: flow.at(db, via), text: String::new() }]);
    }
    diagnostic
}

/// `local Component.port` on a port that is not an output.
pub fn local_on_input(db: &dyn Db, component: Item<'_>, port: &PortDecl) -> Diagnostic {
    let span = port.local_peer.as_ref().map_or(port.span, |p| p.span);
    Diagnostic::new(
        Code::InvalidLocalFlow,
        format!(
            "only an output can be served locally, but `{}` is declared with `{}`",
            port.name.name,
            port.kind.keyword()
        ),
    )
    .primary(component.at(db, span), "`local` names the input that serves this output on the same host")
    .help("put `local` on the `connect` port of the component that opens the connection")
}

/// `local` followed by something other than `Component.port`; `peer` is the component the path
/// names when it names one but no port, with the output being declared.
pub fn bad_local_path(
    db: &dyn Db,
    component: Item<'_>,
    path: &Path,
    peer: Option<(Item<'_>, &PortDecl)>,
) -> Diagnostic {
    let diagnostic =
        Diagnostic::new(Code::InvalidLocalFlow, format!("`{}` does not name a port of a component", path.text()))
            .primary(component.at(db, path.span), "expected `Component.port`");
    let Some((peer, output)) = peer else {
        return diagnostic.help(format!("write the component and its input: `local <Component>.{}`", path.last().name));
    };
    // Read the peer's syntax, not its resolved info, as the caller does: no query cycle.
    let inputs: Vec<&PortDecl> = peer
        .component_decl(db)
        .map(|decl| decl.ports.iter().filter(|p| p.kind.accepts()).collect())
        .unwrap_or_default();
    let same: Vec<&&PortDecl> = inputs.iter().filter(|p| p.protocol.text() == output.protocol.text()).collect();
    match same.as_slice() {
        [input] => {
            let written = format!("{}.{}", path.text(), input.name.name);
            diagnostic.help(format!("name the input of `{}` that serves it: `local {written}`", peer.name(db))).fix(
                format!("write `local {written}`"),
                vec![Edit { location: component.at(db, path.span), text: written.clone() }],
            )
        }
        _ if !inputs.is_empty() => {
            let listed: Vec<String> = inputs.iter().map(|p| format!("`{}.{}`", path.text(), p.name.name)).collect();
            diagnostic.help(format!("name the input that serves it: {}", listed.join(" or ")))
        }
        _ => diagnostic
            .help(format!("`{}` has no input: `local` names the input that serves this output", peer.name(db))),
    }
}

/// `local Component.port` where that component has no input of that name.
pub fn bad_peer_port(
    db: &dyn Db,
    component: Item<'_>,
    port: &Ident,
    peer: Item<'_>,
    found: Option<PortKind>,
    inputs: &[String],
) -> Diagnostic {
    let message = match found {
        Some(kind) => format!(
            "`{}.{}` is an output (`{}`): only an input can serve `local`",
            peer.name(db),
            port.name,
            kind.keyword()
        ),
        None => format!("component `{}` has no input `{}`", peer.name(db), port.name),
    };
    let diagnostic = Diagnostic::new(Code::InvalidLocalFlow, message)
        .primary(component.at(db, port.span), "not an input of that component")
        .secondary(peer.name_location(db), format!("`{}` is declared here", peer.name(db)));
    match super::suggest(&port.name, inputs.iter().map(String::as_str)) {
        Some(best) => diagnostic
            .help(format!("did you mean `{best}`?"))
            .fix(format!("replace with `{best}`"), vec![Edit { location: component.at(db, port.span), text: best }]),
        None if !inputs.is_empty() => {
            let list: Vec<String> = inputs.iter().map(|i| format!("`{i}`")).collect();
            diagnostic.help(format!("its inputs are: {}", list.join(", ")))
        }
        None => diagnostic,
    }
}
