//! P208: a `local` flow or a `local` output that is not on one host.

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
    diagnostic.help("remove `local`: traffic between two nodes crosses the network and needs a firewall rule")
}

/// `local` together with `via`.
pub fn local_via(db: &dyn Db, flow: Item<'_>, decl: &FlowDecl) -> Diagnostic {
    let span = decl.local.unwrap_or(decl.span);
    Diagnostic::new(Code::InvalidLocalFlow, "a `local` flow cannot go via a proxy")
        .primary(flow.at(db, span), "`local` means the traffic never leaves the host")
        .help("remove `local` or remove `via`")
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

/// `local` followed by something other than `Component.port`.
pub fn bad_local_path(db: &dyn Db, component: Item<'_>, path: &Path) -> Diagnostic {
    Diagnostic::new(Code::InvalidLocalFlow, format!("`{}` does not name a port of a component", path.text()))
        .primary(component.at(db, path.span), "expected `Component.port`")
        .help("write the component and its input: `local MasterStack.core`")
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
