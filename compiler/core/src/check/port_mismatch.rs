//! P204: an output pinned to a port that the input it is wired to does not listen on, by a flow
//! or on the host (`local Component.port`).
//!
//! The help solves for a parameter where it can: when the output's port is a linear expression
//! in one parameter (`tcp/(switch_port + 1)`), the value that makes it a port the input listens
//! on, set on the output's node (`switch_port = 4010` for an input on 4011); when the output's
//! port is a constant, the same for the input's parameter on the input's node. Otherwise it says
//! which expression must equal which port.

use portolan_syntax::ast::{Expr, ExprKind, PortKind, PortSpec, PortValue};

use super::edit;
use super::unmatched_output::served_on_the_host;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::eval::{self, ParamType};
use crate::items::Item;
use crate::resolve::{End, component_info, node_info, port_decl_location};
use crate::resolved::{NodeInfo, NodePort};
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
    diagnostic = ports_set_here(db, diagnostic, [a, b]);
    let a = Side { node: from.node, info: from.info, port: a, path: from.path.text() };
    let b = Side { node: to.node, info: to.info, port: b, path: to.path.text() };
    help(db, diagnostic, &a, &b)
}

/// One end of a mismatch: its node, the port, and how the message names it.
struct Side<'db> {
    node: Item<'db>,
    info: &'db NodeInfo<'db>,
    port: &'db NodePort<'db>,
    path: String,
}

/// An output that a role on the same node serves on the host (`local Component.port`), pinned to
/// a port that role's input does not listen on: on the host the two roles would not meet, so the
/// mismatch is the same mistake as a flow's.
pub fn on_the_host<'db>(db: &'db dyn Db, node: Item<'db>) -> Vec<Diagnostic> {
    let info = node_info(db, node);
    if !info.complete {
        return Vec::new();
    }
    let mut out = Vec::new();
    for output in info.ports.iter().filter(|p| p.kind == PortKind::Connect && p.active && p.pinned) {
        let Some(input) = served_on_the_host(db, info, output) else { continue };
        if input.ports.is_empty() || !output.ports.intersection(&input.ports).is_empty() {
            continue;
        }
        let name = node.name(db);
        let path = |port: &NodePort<'_>| format!("{name}.{}.{}", port.component.name(db), port.name);
        let (a, b) = (output.ports.describe(), input.ports.describe());
        let mut diagnostic = Diagnostic::new(
            Code::PortMismatch,
            format!(
                "`{}` is configured for {a}, but `{}`, which serves it on the host, listens on {b}",
                path(output),
                path(input)
            ),
        )
        .primary(node.name_location(db), format!("its roles do not meet on the host: {a} against {b}"));
        diagnostic = ports_set_here(db, diagnostic, [output, input]);
        let a = Side { node, info, port: output, path: path(output) };
        let b = Side { node, info, port: input, path: path(input) };
        out.push(help(db, diagnostic, &a, &b));
    }
    out
}

/// Labels at the declarations of the two ports, where their numbers are set.
fn ports_set_here(db: &dyn Db, mut diagnostic: Diagnostic, ports: [&NodePort<'_>; 2]) -> Diagnostic {
    for port in ports {
        if let Some(location) = port_decl_location(db, port) {
            diagnostic = diagnostic.secondary(location, format!("`{}`'s port is set here", port.name));
        }
    }
    diagnostic
}

/// The help (and, where a parameter can be solved for, the fix) that makes `a`, an output,
/// connect where `b` listens.
fn help<'db>(db: &'db dyn Db, mut diagnostic: Diagnostic, a: &Side<'db>, b: &Side<'db>) -> Diagnostic {
    let (output, input) = (a.path.as_str(), b.path.as_str());
    let output_side = spec_of(db, a.port).and_then(one_param);
    // Move the output to where the input listens.
    if let Some(written) = &output_side
        && let Some((target, value)) = solve(db, a.port, written, &b.port.ports)
    {
        let node = a.node.name(db);
        let param = &written.param;
        let setting = edit::setting_name(db, &a.info.components, a.port.component, param);
        let help = if eval::linear_in(written.expr, param) == Some((1, 0)) {
            format!("set `{setting} = {value}` on node `{node}` so that it connects where `{input}` listens")
        } else {
            format!(
                "set `{setting} = {value}` on node `{node}`: then `{}` is {target}, where `{input}` listens",
                shown(written.expr)
            )
        };
        diagnostic = diagnostic.help(help);
        if let Some(edit) = edit::set_param(db, a.node, &a.info.components, a.port.component, param, &value.to_string())
        {
            diagnostic = diagnostic.fix(format!("set `{setting} = {value}` on `{node}`"), vec![edit]);
        }
        return diagnostic;
    }
    // An output pinned to a constant: move the input to where the output connects.
    if let Some(written) = spec_of(db, b.port).and_then(one_param)
        && let Some((target, value)) = solve(db, b.port, &written, &a.port.ports)
    {
        let node = b.node.name(db);
        let param = &written.param;
        let setting = edit::setting_name(db, &b.info.components, b.port.component, param);
        let help = if eval::linear_in(written.expr, param) == Some((1, 0)) {
            format!("set `{setting} = {value}` on node `{node}` so that `{input}` listens where `{output}` connects")
        } else {
            format!(
                "set `{setting} = {value}` on node `{node}`: then `{}` is {target}, where `{output}` connects",
                shown(written.expr)
            )
        };
        diagnostic = diagnostic.help(help);
        if let Some(edit) = edit::set_param(db, b.node, &b.info.components, b.port.component, param, &value.to_string())
        {
            diagnostic = diagnostic.fix(format!("set `{setting} = {value}` on `{node}`"), vec![edit]);
        }
        return diagnostic;
    }
    // No parameter to solve for: say what must equal what.
    let output_expr = spec_of(db, a.port).and_then(|spec| match spec.terms.as_slice() {
        [term] => match &term.value {
            Some(PortValue::Single(expr)) if !matches!(expr.kind, ExprKind::Int(_)) => Some(shown(expr)),
            _ => None,
        },
        _ => None,
    });
    match output_expr {
        Some(expr) => diagnostic.help(format!(
            "make `{expr}` on node `{}` equal a port `{input}` listens on ({})",
            a.node.name(db),
            b.port.ports.describe()
        )),
        None => diagnostic.help("make both ends agree on the port"),
    }
}
