//! P204: an output pinned to a port that the input it is wired to does not listen on.
//!
//! The help solves for a parameter where it can: when the output's port is a linear expression
//! in one parameter (`tcp/(switch_port + 1)`), the value that makes it a port the input listens
//! on, set on the output's node (`switch_port = 4010` for an input on 4011); when the output's
//! port is a constant, the same for the input's parameter on the input's node. Otherwise it says
//! which expression must equal which port.

use portolan_syntax::ast::{Expr, ExprKind, PortSpec, PortValue};

use super::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::eval::{self, ParamType};
use crate::items::Item;
use crate::resolve::{End, component_info, port_decl_location};
use crate::resolved::NodePort;
use portolan_model::ports::{PortSet, Transport};

/// A port written as one expression in one parameter: `tcp/switch_port`, `tcp/(switch_port + 1)`.
struct OneParam<'a> {
    transports: &'static [Transport],
    expr: &'a Expr,
    param: portolan_syntax::Name,
}

fn one_param(spec: &PortSpec) -> Option<OneParam<'_>> {
    let [term] = spec.terms.as_slice() else { return None };
    let Some(PortValue::Single(expr)) = &term.value else { return None };
    let mut names = Vec::new();
    eval::names_in(expr, &mut names);
    names.sort_by(|a, b| a.0.cmp(&b.0));
    names.dedup_by(|a, b| a.0 == b.0);
    let [(param, _)] = names.as_slice() else { return None };
    Some(OneParam { transports: crate::eval::transports_of(term.transports), expr, param: param.clone() })
}

/// An expression as the help shows it, without outer parentheses.
fn shown(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Paren(inner) => shown(inner),
        _ => eval::expr_text(expr),
    }
}

/// The port specification a node's port was computed from.
fn spec_of<'db>(db: &'db dyn Db, port: &NodePort<'db>) -> Option<&'db PortSpec> {
    component_info(db, port.component).ports.get(port.port_index as usize)?.spec.as_ref()
}

/// The first port of `targets` that the expression can be made to equal, and the parameter's
/// value that does it.
fn solve(db: &dyn Db, port: &NodePort<'_>, written: &OneParam<'_>, targets: &PortSet) -> Option<(u16, i64)> {
    let line = eval::linear_in(written.expr, &written.param)?;
    let ty = component_info(db, port.component).param(&written.param)?.ty;
    for range in targets.ranges().iter().filter(|r| written.transports.contains(&r.transport)) {
        for target in range.start..=range.end {
            if let Some(value) = eval::solve_linear(line, i64::from(target))
                && match ty {
                    Some(ParamType::Port) => (1..=65535).contains(&value),
                    Some(ParamType::Int) => true,
                    _ => false,
                }
            {
                return Some((target, value));
            }
        }
    }
    None
}

pub fn diagnostic<'db>(db: &'db dyn Db, flow: Item<'db>, from: &End<'db, '_>, to: &End<'db, '_>) -> Diagnostic {
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
    let (output, input) = (from.path.text(), to.path.text());
    let output_side = spec_of(db, a).and_then(one_param);
    // Move the output to where the input listens.
    if let Some(written) = &output_side
        && let Some((target, value)) = solve(db, a, written, &b.ports)
    {
        let node = from.node.name(db);
        let param = &written.param;
        let help = if eval::linear_in(written.expr, param) == Some((1, 0)) {
            format!("set `{param} = {value}` on node `{node}` so that it connects where `{input}` listens")
        } else {
            format!(
                "set `{param} = {value}` on node `{node}`: then `{}` is {target}, where `{input}` listens",
                shown(written.expr)
            )
        };
        diagnostic = diagnostic.help(help);
        if let Some(edit) =
            edit::set_param(db, from.node, &from.info.components, a.component, param, &value.to_string())
        {
            diagnostic = diagnostic.fix(format!("set `{param} = {value}` on `{node}`"), vec![edit]);
        }
        return diagnostic;
    }
    // An output pinned to a constant: move the input to where the output connects.
    if let Some(written) = spec_of(db, b).and_then(one_param)
        && let Some((target, value)) = solve(db, b, &written, &a.ports)
    {
        let node = to.node.name(db);
        let param = &written.param;
        let help = if eval::linear_in(written.expr, param) == Some((1, 0)) {
            format!("set `{param} = {value}` on node `{node}` so that `{input}` listens where `{output}` connects")
        } else {
            format!(
                "set `{param} = {value}` on node `{node}`: then `{}` is {target}, where `{output}` connects",
                shown(written.expr)
            )
        };
        diagnostic = diagnostic.help(help);
        if let Some(edit) = edit::set_param(db, to.node, &to.info.components, b.component, param, &value.to_string()) {
            diagnostic = diagnostic.fix(format!("set `{param} = {value}` on `{node}`"), vec![edit]);
        }
        return diagnostic;
    }
    // No parameter to solve for: say what must equal what.
    let output_expr = spec_of(db, a).and_then(|spec| match spec.terms.as_slice() {
        [term] => match &term.value {
            Some(PortValue::Single(expr)) if !matches!(expr.kind, ExprKind::Int(_)) => Some(shown(expr)),
            _ => None,
        },
        _ => None,
    });
    match output_expr {
        Some(expr) => diagnostic.help(format!(
            "make `{expr}` on node `{}` equal a port `{input}` listens on ({})",
            from.node.name(db),
            b.ports.describe()
        )),
        None => diagnostic.help("make both ends agree on the port"),
    }
}
