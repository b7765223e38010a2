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

    /// Checks a value against this type.
    pub fn check(self, value: &Value) -> Result<(), TypeMismatch> {
        match (self, value) {
            (ParamType::Port, Value::Int(n)) if (1..=65535).contains(n) => Ok(()),
            (ParamType::Port, Value::Int(n)) => Err(TypeMismatch::NotAPort(*n)),
            (ParamType::Int, Value::Int(_)) | (ParamType::Bool, Value::Bool(_)) | (ParamType::Str, Value::Str(_)) => {
                Ok(())
            }
            (expected, found) => Err(TypeMismatch::Expected { expected, found: found.clone() }),
        }
    }

    /// The type's name with its article: "a port", "a number".
    pub fn article(self) -> &'static str {
        match self {
            ParamType::Port => "a port",
            ParamType::Int => "a number",
            ParamType::Bool => "a boolean",
            ParamType::Str => "a string",
        }
    }
}

/// Why a value does not fit a parameter type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeMismatch {
    /// A number outside 1..65535 for a `port`.
    NotAPort(i64),
    /// A value of another type.
    Expected { expected: ParamType, found: Value },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EvalError {
    /// A name that is not a parameter here.
    UnknownName { name: Name, span: Span },
    /// An operator applied to a value that is not a number (`found`, at `span`).
    Type { span: Span, op: BinOp, found: Value },
    /// A number or a result outside what a 64-bit integer holds.
    Overflow { span: Span },
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
                    Err(EvalError::Type { span, op: *op, found: bad })
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

/// `(a, b)` when an expression is `a * name + b` for integers `a` and `b`: numbers, `name`, and
/// `+`, `-`, `*` with at least one side of each `*` free of `name`. `None` for any other name,
/// for a value that is not a number, and on overflow.
pub fn linear_in(expr: &Expr, name: &str) -> Option<(i64, i64)> {
    match &expr.kind {
        ExprKind::Int(Some(n)) => Some((0, i64::try_from(*n).ok()?)),
        ExprKind::Paren(inner) => linear_in(inner, name),
        ExprKind::Name(path) if path.segments.len() == 1 && path.last().name == name => Some((1, 0)),
        ExprKind::Binary(left, op, right) => {
            let ((a1, b1), (a2, b2)) = (linear_in(left, name)?, linear_in(right, name)?);
            match op {
                BinOp::Add => Some((a1.checked_add(a2)?, b1.checked_add(b2)?)),
                BinOp::Sub => Some((a1.checked_sub(a2)?, b1.checked_sub(b2)?)),
                BinOp::Mul if a1 == 0 => Some((b1.checked_mul(a2)?, b1.checked_mul(b2)?)),
                BinOp::Mul if a2 == 0 => Some((a1.checked_mul(b2)?, b1.checked_mul(b2)?)),
                BinOp::Mul => None,
            }
        }
        _ => None,
    }
}

/// The value of `name` that makes `a * name + b` equal `target`, if there is an integer one.
pub fn solve_linear((a, b): (i64, i64), target: i64) -> Option<i64> {
    let difference = target.checked_sub(b)?;
    (a != 0 && difference % a == 0).then(|| difference / a)
}

/// An expression as a spec would write it: `switch_port + 1`, `(base + 2) * 10`.
pub fn expr_text(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Int(Some(n)) => n.to_string(),
        ExprKind::Int(None) => "?".to_string(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Name(path) => path.text(),
        ExprKind::Paren(inner) => format!("({})", expr_text(inner)),
        ExprKind::Binary(left, op, right) => format!("{} {} {}", expr_text(left), op.symbol(), expr_text(right)),
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

#[cfg(test)]
#[allow(clippy::panic)] // a test fails by panicking
mod tests {
    use super::{linear_in, solve_linear};
    use portolan_syntax::ast::{Item, PortValue};

    /// The expression of `tcp/EXPR` in a listener of a parsed component.
    fn port_expr(expr: &str) -> portolan_syntax::ast::Expr {
        let parse = portolan_syntax::parse(&format!("component C {{ listen x: tcp on tcp/{expr} }}\n"));
        let item = parse.items.first().map(|i| &*i.item);
        let Some(portolan_syntax::ItemSyntax::Parsed(Item::Component(component))) = item else {
            panic!("`{expr}` does not parse")
        };
        match component.ports[0].ports.as_ref().map(|s| &s.terms[0].value) {
            Some(Some(PortValue::Single(expr))) => expr.clone(),
            _ => panic!("no single port value"),
        }
    }

    #[test]
    fn linear_expressions_in_one_parameter_are_solved() {
        assert_eq!(linear_in(&port_expr("p"), "p"), Some((1, 0)));
        assert_eq!(linear_in(&port_expr("(p + 1)"), "p"), Some((1, 1)));
        assert_eq!(linear_in(&port_expr("2 * (p - 3) + 10"), "p"), Some((2, 4)));
        assert_eq!(linear_in(&port_expr("4000"), "p"), Some((0, 4000)));
        assert_eq!(linear_in(&port_expr("p * p"), "p"), None);
        assert_eq!(linear_in(&port_expr("p + q"), "p"), None);
        assert_eq!(solve_linear((1, 1), 4011), Some(4010));
        assert_eq!(solve_linear((2, 4), 4011), None);
        assert_eq!(solve_linear((2, 4), 4012), Some(2004));
        assert_eq!(solve_linear((0, 4000), 4000), None);
    }
}
