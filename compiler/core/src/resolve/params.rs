//! Parameter values of one component instance: defaults, overridden by what a node sets.

use portolan_syntax::{Name, Span};
use rustc_hash::FxHashMap;

use crate::eval::{self, EvalError, Value};
use crate::resolved::ParamInfo;

/// Evaluates parameter references for one component: a node's value if it sets one, else the
/// default (which may use other parameters). A value that breaks its type, a missing required
/// value or a cycle evaluates to [`EvalError::Poisoned`]; those are reported where they arise.
pub struct ParamEnv<'a> {
    params: &'a [ParamInfo],
    overrides: FxHashMap<Name, Value>,
    cache: FxHashMap<Name, Result<Value, EvalError>>,
    in_progress: Vec<Name>,
    /// Cycles of parameters whose defaults depend on each other, each in dependency order.
    pub cycles: Vec<Vec<Name>>,
}

impl<'a> ParamEnv<'a> {
    pub fn new(params: &'a [ParamInfo], overrides: FxHashMap<Name, Value>) -> ParamEnv<'a> {
        ParamEnv { params, overrides, cache: FxHashMap::default(), in_progress: Vec::new(), cycles: Vec::new() }
    }

    /// The value of a parameter, `None` if the component has no such parameter.
    pub fn value(&mut self, name: &Name) -> Option<Result<Value, EvalError>> {
        if let Some(cached) = self.cache.get(name) {
            return Some(cached.clone());
        }
        let param = self.params.iter().find(|p| &p.name == name)?;
        let result = if let Some(value) = self.overrides.get(name) {
            Ok(value.clone())
        } else if let Some(at) = self.in_progress.iter().position(|n| n == name) {
            let cycle: Vec<Name> = self.in_progress[at..].to_vec();
            if !self.cycles.iter().any(|known| known.contains(name)) {
                self.cycles.push(cycle);
            }
            Err(EvalError::Poisoned)
        } else if let Some(default) = &param.default {
            self.in_progress.push(name.clone());
            let value = eval::eval(default, self);
            self.in_progress.pop();
            value.map_err(|_| EvalError::Poisoned)
        } else {
            Err(EvalError::Poisoned)
        };
        let result = match (result, param.ty) {
            (Ok(value), Some(ty)) if ty.check(&value).is_err() => Err(EvalError::Poisoned),
            (result, _) => result,
        };
        self.cache.insert(name.clone(), result.clone());
        Some(result)
    }
}

impl eval::Scope for ParamEnv<'_> {
    fn lookup(&mut self, name: &Name, _span: Span) -> Option<Result<Value, EvalError>> {
        self.value(name)
    }
}
