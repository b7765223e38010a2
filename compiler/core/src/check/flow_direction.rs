//! P205: a flow that starts at an input or ends at an output.

use portolan_syntax::ast::{FlowDecl, Path};

use super::candidates;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::resolve::{End, port_decl_location};
use crate::resolved::NodePort;

pub fn diagnostic(db: &dyn Db, flow: Item<'_>, decl: &FlowDecl, from: &End<'_, '_>, to: &End<'_, '_>) -> Diagnostic {
    let (Some(from_port), Some(to_port)) = (from.port(), to.port()) else {
        return Diagnostic::new(Code::FlowDirection, "this flow's direction is wrong")
            .primary(flow.at(db, decl.span), "");
    };
    let from_wrong = !from_port.kind.initiates();
    let to_wrong = !to_port.kind.accepts();
    let from_text = decl.from.text();
    let to_text = decl.to.text();
    let mut diagnostic = if from_wrong && to_wrong {
        Diagnostic::new(
            Code::FlowDirection,
            format!("this flow runs backwards: `{from_text}` is an input and `{to_text}` an output"),
        )
        .primary(flow.at(db, decl.arrow_span), "connections go from an output to an input")
        .help(format!("swap the ends: `flow {to_text} -> {from_text}`"))
        .fix(
            "swap the ends of the flow",
            vec![
                Edit { location: flow.at(db, decl.from.span), text: to_text.clone() },
                Edit { location: flow.at(db, decl.to.span), text: from_text.clone() },
            ],
        )
    } else if from_wrong {
        let wrong = Diagnostic::new(
            Code::FlowDirection,
            format!("a flow starts at an output, but `{from_text}` is an input (`{}`)", from_port.kind.keyword()),
        )
        .primary(flow.at(db, decl.from.span), "an input: it accepts connections, it does not open them");
        let ports = fitting(db, from, to_port, true);
        instead(db, flow, wrong, &decl.from, ports, "start the flow at a `connect` (or `peer`) port of this node")
    } else {
        let wrong = Diagnostic::new(
            Code::FlowDirection,
            format!("a flow ends at an input, but `{to_text}` is an output (`{}`)", to_port.kind.keyword()),
        )
        .primary(flow.at(db, decl.to.span), "an output: it opens connections, it does not accept them");
        let ports = fitting(db, to, from_port, false);
        instead(db, flow, wrong, &decl.to, ports, "end the flow at a `listen` (or `peer`) port of that node")
    };
    for (wrong, port) in [(from_wrong, from_port), (to_wrong, to_port)] {
        if wrong && let Some(location) = port_decl_location(db, port) {
            diagnostic = diagnostic
                .secondary(location, format!("`{}` is declared with `{}` here", port.name, port.kind.keyword()));
        }
    }
    diagnostic
}

/// How the flow would name the ports of `end`'s node that open (`initiate`) or accept
/// connections in the protocol of `other`.
fn fitting(db: &dyn Db, end: &End<'_, '_>, other: &NodePort<'_>, initiate: bool) -> Vec<String> {
    let Some(port) = end.port() else { return Vec::new() };
    let node = candidates::node_text(db, end.path, end.node, port);
    end.info
        .ports
        .iter()
        .filter(|p| p.active && p.protocol.is_some() && p.protocol == other.protocol)
        .filter(|p| if initiate { p.kind.initiates() } else { p.kind.accepts() })
        .map(|p| candidates::port_text(db, &node, end.node, p))
        .collect()
}

/// The help, and a fix for each port the wrong end could be instead.
fn instead(
    db: &dyn Db,
    flow: Item<'_>,
    diagnostic: Diagnostic,
    path: &Path,
    ports: Vec<String>,
    generic: &str,
) -> Diagnostic {
    let mut diagnostic = diagnostic.help(generic);
    for port in ports.into_iter().take(3) {
        diagnostic = diagnostic
            .fix(format!("write `{port}`"), vec![Edit { location: flow.at(db, path.span), text: port.clone() }]);
    }
    diagnostic
}
