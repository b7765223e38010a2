//! Values, parameter types, and the evaluation of expressions and port specifications.

use portolan_syntax::ast::{BinOp, Expr, ExprKind, PortSpec, PortValue};
use portolan_syntax::{Name, Span};

use portolan_model::ports::{PortRange, PortSet, Transport};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    Int(i64),
    Bool(bool),
    Str(String),
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Str(_) => "a string",
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Str(s) => write!(f, "{s:?}"),
        }
    }
}

/// The type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// A number in 1..65535.
    Port,
    Int,
    Bool,
    Str,
}

impl ParamType {
    pub const NAMES: &'static [&'static str] = &["port", "int", "bool", "string"];

    pub fn parse(name: &str) -> Option<ParamType> {
        Some(match name {
            "port" => ParamType::Port,
            "int" => ParamType::Int,
            "bool" => ParamType::Bool,
            "string" => ParamType::Str,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ParamType::Port => "port",
            ParamType::Int => "int",
            ParamType::Bool => "bool",
            ParamType::Str => "string",
        }
    }

    /// Checks a value against this type; the error says what is wrong.
    pub fn check(self, value: &Value) -> Result<(), String> {
        match (self, value) {
            (ParamType::Port, Value::Int(n)) if (1..=65535).contains(n) => Ok(()),
            (ParamType::Port, Value::Int(n)) => Err(format!("{n} is not a port: ports are 1 to 65535")),
            (ParamType::Int, Value::Int(_)) | (ParamType::Bool, Value::Bool(_)) | (ParamType::Str, Value::Str(_)) => {
                Ok(())
            }
            (ty, value) => Err(format!("expected {}, found {} `{value}`", ty.article(), value.type_name())),
        }
    }

    fn article(self) -> &'static str {
        match self {
            ParamType::Port => "a port",
            ParamType::Int => "a number",
            ParamType::Bool => "a boolean",
            ParamType::Str => "a string",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EvalError {
    /// A name that is not a parameter here.
    UnknownName {
        name: Name,
        span: Span,
    },
    /// An operator applied to a value of the wrong type.
    Type {
        span: Span,
        message: String,
    },
    Overflow {
        span: Span,
    },
    /// A value that could not be computed because of an error reported elsewhere.
    Poisoned,
}

/// Looks up a name while evaluating: `None` when the name is unknown.
pub trait Scope {
    fn lookup(&mut self, name: &Name, span: Span) -> Option<Result<Value, EvalError>>;
}

/// Evaluates an expression.
pub fn eval(expr: &Expr, scope: &mut dyn Scope) -> Result<Value, EvalError> {
    match &expr.kind {
        ExprKind::Int(Some(n)) => {
            i64::try_from(*n).map(Value::Int).map_err(|_| EvalError::Overflow { span: expr.span })
        }
        ExprKind::Int(None) => Err(EvalError::Poisoned),
        ExprKind::Bool(b) => Ok(Value::Bool(*b)),
        ExprKind::Str(s) => Ok(Value::Str(s.clone())),
        ExprKind::Paren(inner) => eval(inner, scope),
        ExprKind::Name(path) => {
            let name = path.text();
            if path.segments.len() == 1
                && let Some(result) = scope.lookup(&path.last().name, path.span)
            {
                return result;
            }
            Err(EvalError::UnknownName { name: Name::new(name), span: path.span })
        }
        ExprKind::Binary(left, op, right) => {
            let l = eval(left, scope)?;
            let r = eval(right, scope)?;
            match (l, r) {
                (Value::Int(a), Value::Int(b)) => {
                    let result = match op {
                        BinOp::Add => a.checked_add(b),
                        BinOp::Sub => a.checked_sub(b),
                        BinOp::Mul => a.checked_mul(b),
                    };
                    result.map(Value::Int).ok_or(EvalError::Overflow { span: expr.span })
                }
                (l, r) => {
                    let (bad, span) = if matches!(l, Value::Int(_)) { (r, right.span) } else { (l, left.span) };
                    Err(EvalError::Type {
                        span,
                        message: format!("`{}` needs numbers, but this is {} `{bad}`", op.symbol(), bad.type_name()),
                    })
                }
            }
        }
    }
}

/// A problem found while turning a port specification into ports.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PortError {
    Eval(EvalError),
    /// A value outside 1..65535.
    Invalid {
        span: Span,
        value: i64,
    },
    /// A range whose start is after its end.
    Reversed {
        span: Span,
        start: i64,
        end: i64,
    },
    /// A value that is not a number.
    NotANumber {
        span: Span,
        found: Value,
    },
    /// `tcp` without `/port` where a port is needed.
    Missing {
        span: Span,
    },
}

/// Evaluates a port specification. With `allow_bare`, a bare transport means every port of it.
pub fn eval_ports(spec: &PortSpec, scope: &mut dyn Scope, allow_bare: bool) -> (PortSet, Vec<PortError>) {
    let mut ranges = Vec::new();
    let mut errors = Vec::new();
    for term in &spec.terms {
        let transports = transports_of(term.transports);
        let (start, end) = match &term.value {
            None if allow_bare => (1, 65535),
            None => {
                errors.push(PortError::Missing { span: term.span });
                continue;
            }
            Some(PortValue::Single(expr)) => match port_number(expr, scope) {
                Ok(port) => (port, port),
                Err(err) => {
                    errors.push(err);
                    continue;
                }
            },
            Some(PortValue::Range(low, high)) => {
                let (low_value, high_value) = (port_number(low, scope), port_number(high, scope));
                match (low_value, high_value) {
                    (Ok(a), Ok(b)) if a <= b => (a, b),
                    (Ok(a), Ok(b)) => {
                        let span = low.span.cover(high.span);
                        errors.push(PortError::Reversed { span, start: i64::from(a), end: i64::from(b) });
                        continue;
                    }
                    (a, b) => {
                        errors.extend(a.err());
                        errors.extend(b.err());
                        continue;
                    }
                }
            }
        };
        for &transport in transports {
            ranges.push(PortRange { transport, start, end });
        }
    }
    (PortSet::new(ranges), errors)
}

fn port_number(expr: &Expr, scope: &mut dyn Scope) -> Result<u16, PortError> {
    match eval(expr, scope).map_err(PortError::Eval)? {
        Value::Int(n) if (1..=65535).contains(&n) => Ok(n as u16),
        Value::Int(n) => Err(PortError::Invalid { span: expr.span, value: n }),
        other => Err(PortError::NotANumber { span: expr.span, found: other }),
    }
}

/// Every parameter name an expression mentions.
pub fn names_in(expr: &Expr, out: &mut Vec<(Name, Span)>) {
    match &expr.kind {
        ExprKind::Name(path) if path.segments.len() == 1 => out.push((path.last().name.clone(), path.span)),
        ExprKind::Binary(l, _, r) => {
            names_in(l, out);
            names_in(r, out);
        }
        ExprKind::Paren(inner) => names_in(inner, out),
        _ => {}
    }
}

/// Every parameter name a port specification mentions.
pub fn names_in_ports(spec: &PortSpec, out: &mut Vec<(Name, Span)>) {
    for term in &spec.terms {
        match &term.value {
            Some(PortValue::Single(e)) => names_in(e, out),
            Some(PortValue::Range(a, b)) => {
                names_in(a, out);
                names_in(b, out);
            }
            None => {}
        }
    }
}

/// A scope with no names: for constants.
pub struct NoNames;

impl Scope for NoNames {
    fn lookup(&mut self, _name: &Name, _span: Span) -> Option<Result<Value, EvalError>> {
        None
    }
}

/// The transports a syntax `tcp`, `udp` or `tcp+udp` names.
pub fn transports_of(transports: portolan_syntax::ast::Transports) -> &'static [Transport] {
    use portolan_syntax::ast::Transports;
    match transports {
        Transports::Tcp => &[Transport::Tcp],
        Transports::Udp => &[Transport::Udp],
        Transports::Both => &[Transport::Tcp, Transport::Udp],
    }
}
