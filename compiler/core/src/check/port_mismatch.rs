//! P204: an output pinned to a port that the input it is wired to does not listen on.

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::eval;
use crate::items::Item;
use crate::resolve::{End, component_info, port_decl_location};

pub fn diagnostic(db: &dyn Db, flow: Item<'_>, from: &End<'_, '_>, to: &End<'_, '_>) -> Diagnostic {
    let (Some(a), Some(b)) = (from.port(), to.port()) else {
        return Diagnostic::new(Code::PortMismatch, "the two ends of this flow use different ports");
    };
    let mut diagnostic = Diagnostic::new(
        Code::PortMismatch,
        format!(
            "`{}` is configured for {}, but `{}` listens on {}",
            from.path.text(),
            a.ports.describe(),
            to.path.text(),
            b.ports.describe()
        ),
    )
    .primary(flow.at(db, from.path.span), format!("connects to {}", a.ports.describe()))
    .secondary(flow.at(db, to.path.span), format!("listens on {}", b.ports.describe()));
    for port in [a, b] {
        if let Some(location) = port_decl_location(db, port) {
            diagnostic = diagnostic.secondary(location, format!("`{}`'s port is set here", port.name));
        }
    }
    // When the output's port is one parameter, say which value to set on the node.
    let component = component_info(db, a.component);
    let spec = component.ports.get(a.port_index as usize).and_then(|p| p.spec.as_ref());
    let mut names = Vec::new();
    if let Some(spec) = spec {
        eval::names_in_ports(spec, &mut names);
    }
    let single = b.ports.ranges().first().filter(|r| b.ports.ranges().len() == 1 && r.is_single());
    match (names.as_slice(), single) {
        ([(param, _)], Some(range)) => diagnostic.help(format!(
            "set `{param} = {}` on node `{}` so that it connects where `{}` listens",
            range.start,
            from.node.name(db),
            to.path.text()
        )),
        _ => diagnostic.help("make both ends agree on the port"),
    }
}
