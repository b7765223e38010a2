//! P702 (warning): a parameter of a user's component that no port, condition or other
//! parameter's default uses, so that setting it changes nothing.

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::eval::{self, ParamType};
use crate::items::Item;
use crate::resolve::component_info;

pub fn check<'db>(db: &'db dyn Db, component: Item<'db>) -> Vec<Diagnostic> {
    if !component.is_user(db) {
        return Vec::new();
    }
    let info = component_info(db, component);
    let mut used = Vec::new();
    for port in &info.ports {
        if let Some(spec) = &port.spec {
            eval::names_in_ports(spec, &mut used);
        }
        if let Some(condition) = &port.condition {
            used.push((condition.param.name.clone(), condition.span));
        }
    }
    for param in &info.params {
        if let Some(default) = &param.default {
            eval::names_in(default, &mut used);
        }
    }
    info.params
        .iter()
        .filter(|param| !used.iter().any(|(name, _)| name == &param.name))
        .map(|param| {
            Diagnostic::new(
                Code::UnusedParam,
                format!("parameter `{}` of component `{}` is never used", param.name, component.name(db)),
            )
            .primary(component.at(db, param.name_span), "no port or condition uses it, so setting it changes nothing")
            .help(match param.ty {
                Some(ParamType::Bool) => format!("use it in a condition (`when {}`), or remove it", param.name),
                Some(ParamType::Port | ParamType::Int) => {
                    format!("use it in a port (`on tcp/{}`), or remove it", param.name)
                }
                _ => "remove it: only ports and conditions use parameters".to_string(),
            })
        })
        .collect()
}
