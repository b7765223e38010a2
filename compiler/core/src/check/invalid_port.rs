//! P401 and P402: ports outside 1..65535, and ranges that are reversed (and so empty).

use portolan_syntax::Span;
use portolan_syntax::ast::ParamSet;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::eval::{EvalError, PortError};
use crate::items::Item;
use crate::resolve::component_info;
use crate::resolved::PortInfo;

/// Where a node's setting made a component's port invalid: the node, the setting, the port.
pub type NodeContext<'a, 'db> = (Item<'db>, &'a ParamSet, &'a PortInfo);

/// A node's setting (`set`) that makes port `port` of `component` invalid.
pub fn from_node_setting(
    db: &dyn Db,
    node: Item<'_>,
    component: Item<'_>,
    port: u32,
    set: &ParamSet,
    error: &PortError,
) -> Option<Diagnostic> {
    let port = component_info(db, component).ports.get(port as usize)?;
    from_error(db, component, error, Some((node, set, port)))
}

/// The diagnostic for a problem found while evaluating ports in `item`; `None` for errors that
/// were already reported where they arose.
pub fn from_error(
    db: &dyn Db,
    item: Item<'_>,
    error: &PortError,
    node: Option<NodeContext<'_, '_>>,
) -> Option<Diagnostic> {
    let diagnostic = match error {
        PortError::Invalid { span, value } => {
            let diagnostic =
                Diagnostic::new(Code::InvalidPort, format!("port {value} is out of range: ports are 1 to 65535"));
            match node {
                Some((node, set, port)) => diagnostic
                    .primary(node.at(db, set.value.span), format!("this setting makes `{}` port {value}", port.name))
                    .secondary(item.at(db, *span), "the port is computed here")
                    .help("choose a value that keeps every port it feeds between 1 and 65535"),
                None => diagnostic
                    .primary(item.at(db, *span), format!("{value} is not a port"))
                    .help("a port is a number from 1 to 65535"),
            }
        }
        PortError::Reversed { span, start, end } => {
            let diagnostic = Diagnostic::new(
                Code::InvalidRange,
                format!("the range {start}..{end} is reversed: it contains no port"),
            );
            match node {
                Some((node, set, port)) => diagnostic
                    .primary(node.at(db, set.value.span), format!("this setting reverses the range of `{}`", port.name))
                    .secondary(item.at(db, *span), "the range is computed here")
                    .help(format!("choose a value that keeps the start of `{}` at or below its end", port.name)),
                None => diagnostic
                    .help(format!("ranges are inclusive and run low to high: `{end}..{start}`"))
                    .primary(item.at(db, *span), "reversed range")
                    .fix(
                        "swap the ends of the range",
                        vec![Edit { location: item.at(db, *span), text: format!("{end}..{start}") }],
                    ),
            }
        }
        PortError::NotANumber { span, found } => Diagnostic::new(
            Code::ParamType,
            format!("a port must be a number, but this is {} `{found}`", found.type_name()),
        )
        .primary(item.at(db, *span), "not a number"),
        PortError::Missing { span } => {
            let diagnostic = Diagnostic::new(Code::MissingPort, "this port names a transport but no port number")
                .primary(item.at(db, *span), "which port?")
                .help("write the port after the transport: `tcp/443`, `udp/7600..7610`");
            if item.is_user(db) {
                let end = Span::new(span.end, span.end);
                diagnostic.template("name the port", vec![Edit { location: item.at(db, end), text: "/<port>".into() }])
            } else {
                diagnostic
            }
        }
        PortError::Eval(EvalError::UnknownName { name, span }) => {
            Diagnostic::new(Code::UnresolvedName, format!("`{name}` is not known here: this port is a constant"))
                .primary(item.at(db, *span), "names cannot be used here")
                .help("parameters can be used in a component's ports; protocols and policies take numbers")
        }
        PortError::Eval(EvalError::Type { span, op, found }) => {
            super::param_type::operator(db, item, *span, *op, found)
        }
        PortError::Eval(EvalError::Overflow { span }) => super::param_type::overflow(db, item, *span),
        PortError::Eval(EvalError::Poisoned) => return None,
    };
    Some(diagnostic)
}
