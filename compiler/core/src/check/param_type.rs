//! P501: a parameter value or expression of the wrong type, an unknown type, or a parameter
//! defined in terms of itself.

use portolan_syntax::Span;
use portolan_syntax::ast::{BinOp, Condition, Ident, ParamSet};

use super::suggest;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::eval::{EvalError, ParamType, TypeMismatch, Value};
use crate::items::Item;
use crate::resolved::ParamInfo;

pub fn unknown_type(db: &dyn Db, component: Item<'_>, ty: &Ident) -> Diagnostic {
    let diagnostic = Diagnostic::new(Code::ParamType, format!("`{}` is not a parameter type", ty.name))
        .primary(component.at(db, ty.span), "unknown type")
        .note("the types are `port` (1 to 65535), `int`, `bool` and `string`");
    match suggest(&ty.name, ParamType::NAMES.iter().copied()) {
        Some(best) => diagnostic
            .help(format!("did you mean `{best}`?"))
            .fix(format!("replace with `{best}`"), vec![Edit { location: component.at(db, ty.span), text: best }]),
        None => diagnostic,
    }
}

fn code_for(ty: ParamType, value: &Value) -> Code {
    if ty == ParamType::Port && matches!(value, Value::Int(_)) { Code::InvalidPort } else { Code::ParamType }
}

/// What is wrong with a value of the wrong type, in words.
fn mismatch_text(mismatch: &TypeMismatch) -> String {
    match mismatch {
        TypeMismatch::NotAPort(n) => format!("{n} is not a port: ports are 1 to 65535"),
        TypeMismatch::Expected { expected, found } => {
            format!("expected {}, found {} `{found}`", expected.article(), found.type_name())
        }
    }
}

pub fn bad_default(
    db: &dyn Db,
    component: Item<'_>,
    param: &ParamInfo,
    ty: ParamType,
    value: &Value,
    mismatch: &TypeMismatch,
) -> Diagnostic {
    let problem = mismatch_text(mismatch);
    let span = param.default.as_ref().map_or(param.span, |d| d.span);
    Diagnostic::new(
        code_for(ty, value),
        format!("the default of `{}` does not fit its type `{}`: {problem}", param.name, ty.name()),
    )
    .primary(component.at(db, span), problem)
    .secondary(component.at(db, param.name_span), format!("`{}` is declared as `{}` here", param.name, ty.name()))
}

/// Parameters whose defaults depend on each other in a cycle (`members` in dependency order).
pub fn cycle(db: &dyn Db, component: Item<'_>, members: &[&ParamInfo]) -> Diagnostic {
    let Some(first) = members.first() else {
        return Diagnostic::new(Code::ParamType, "parameters are defined in terms of each other");
    };
    let path: Vec<String> = members.iter().chain([first]).map(|p| format!("`{}`", p.name)).collect();
    let message = if members.len() == 1 {
        format!("parameter `{}` is defined in terms of itself", first.name)
    } else {
        format!("parameters are defined in terms of each other: {}", path.join(" → "))
    };
    let mut diagnostic = Diagnostic::new(Code::ParamType, message)
        .primary(component.at(db, first.span), "its default needs its own value");
    for member in &members[1..] {
        diagnostic = diagnostic.secondary(component.at(db, member.span), "part of the cycle");
    }
    diagnostic.help("give one of the parameters in the cycle a constant default")
}

pub fn condition_not_bool(db: &dyn Db, component: Item<'_>, condition: &Condition, param: &ParamInfo) -> Diagnostic {
    let ty = param.ty.map_or("?", |t| t.name());
    Diagnostic::new(
        Code::ParamType,
        format!("`when {}` needs a `bool` parameter, but `{}` is a `{ty}`", param.name, param.name),
    )
    .primary(component.at(db, condition.span), "not a boolean")
    .secondary(component.at(db, param.name_span), format!("declared as `{ty}` here"))
}

/// An expression of a component that could not be evaluated; `None` for a value poisoned by a
/// problem reported where it arose.
pub fn eval(db: &dyn Db, component: Item<'_>, error: &EvalError) -> Option<Diagnostic> {
    match error {
        EvalError::UnknownName { name, span } => {
            let ident = Ident { name: name.clone(), span: *span };
            Some(super::unresolved::param(db, component, &ident, ParamType::Port))
        }
        EvalError::Type { span, op, found } => Some(operator(db, component, *span, *op, found)),
        EvalError::Overflow { span } => Some(overflow(db, component, *span)),
        EvalError::Poisoned => None,
    }
}

/// An operator applied to a value that is not a number.
pub fn operator(db: &dyn Db, item: Item<'_>, span: Span, op: BinOp, found: &Value) -> Diagnostic {
    Diagnostic::new(
        Code::ParamType,
        format!("`{}` needs numbers, but this is {} `{found}`", op.symbol(), found.type_name()),
    )
    .primary(item.at(db, span), "wrong type")
}

/// A number, or the result of an operator, that does not fit in 64 bits: the one wording of
/// an overflow, wherever the value is computed.
pub fn overflow(db: &dyn Db, item: Item<'_>, span: Span) -> Diagnostic {
    Diagnostic::new(Code::ParamType, "this value is too large to compute").primary(item.at(db, span), "overflows")
}

/// A node setting whose value could not be computed; `meant` is its value with the node's
/// other (constant) settings in place of the names it uses, when that can be computed.
pub fn node_value(db: &dyn Db, node: Item<'_>, set: &ParamSet, error: &EvalError, meant: Option<&Value>) -> Diagnostic {
    match error {
        EvalError::UnknownName { name, span } => {
            let diagnostic = Diagnostic::new(
                Code::UnresolvedName,
                format!("`{name}` is not known here: a node's settings are constants"),
            )
            .primary(node.at(db, *span), "names cannot be used in a node's settings");
            let target = set.target.text();
            match meant {
                Some(value) => diagnostic
                    .help(format!("write the value itself: `{target} = {value}`, what the node's settings make it"))
                    .fix(
                        format!("write `{target} = {value}`"),
                        vec![Edit { location: node.at(db, set.value.span), text: value.to_string() }],
                    ),
                None => diagnostic.help(format!("write the value itself: `{target} = <value>`")),
            }
        }
        EvalError::Type { span, op, found } => operator(db, node, *span, *op, found),
        EvalError::Overflow { span } => overflow(db, node, *span),
        EvalError::Poisoned => Diagnostic::new(Code::ParamType, "this value cannot be computed")
            .primary(node.at(db, set.value.span), "invalid value"),
    }
}

/// A node setting whose value does not fit the parameter's type.
pub fn bad_override(
    db: &dyn Db,
    node: Item<'_>,
    set: &ParamSet,
    component: Item<'_>,
    param: &ParamInfo,
    mismatch: &TypeMismatch,
) -> Diagnostic {
    let problem = mismatch_text(mismatch);
    let ty = param.ty.map_or("?", |t| t.name());
    let code = if param.ty == Some(ParamType::Port) && matches!(mismatch, TypeMismatch::NotAPort(_)) {
        Code::InvalidPort
    } else {
        Code::ParamType
    };
    Diagnostic::new(code, format!("`{}` of `{}` is a `{ty}`: {problem}", param.name, component.name(db)))
        .primary(node.at(db, set.value.span), problem.to_string())
        .secondary(component.at(db, param.name_span), format!("`{}` is declared as `{ty}` here", param.name))
}
