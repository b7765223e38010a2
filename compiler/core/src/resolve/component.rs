//! `component` items: parameters, ports, and their protocols; defaults evaluated once here.

use portolan_syntax::ast::{PortKind, PortSpec};

use super::{ParamEnv, resolve_to};
use crate::check;
use crate::db::Db;
use crate::eval::{self, EvalError, ParamType, eval_ports};
use crate::items::{Item, ItemKind};
use crate::model::{ComponentInfo, ParamInfo, PortInfo};
use crate::resolve::protocol_info;

#[salsa::tracked(returns(ref))]
pub fn component_info<'db>(db: &'db dyn Db, item: Item<'db>) -> ComponentInfo<'db> {
    let Some(decl) = item.component_decl(db) else {
        return ComponentInfo {
            name: item.name(db).clone(),
            title: item.name(db).to_string(),
            docs: String::new(),
            params: Vec::new(),
            ports: Vec::new(),
            protocols: Vec::new(),
            complete: false,
            diagnostics: Vec::new(),
        };
    };
    let mut diagnostics = Vec::new();
    let mut complete = true;

    let mut params: Vec<ParamInfo> = Vec::new();
    for param in &decl.params {
        if let Some(previous) = params.iter().find(|p| p.name == param.name.name) {
            diagnostics.push(check::duplicate::member(db, item, "parameter", &param.name, previous.name_span));
            continue;
        }
        let ty = ParamType::parse(&param.ty.name);
        if ty.is_none() {
            diagnostics.push(check::param_type::unknown_type(db, item, &param.ty));
        }
        params.push(ParamInfo {
            name: param.name.name.clone(),
            ty,
            default: param.default.clone(),
            title: param.title.as_ref().map(|t| t.value.clone()),
            docs: param.docs.text.clone(),
            span: param.span,
            name_span: param.name.span,
        });
    }

    let mut ports: Vec<PortInfo> = Vec::new();
    let mut protocols = Vec::new();
    for port in &decl.ports {
        if let Some(previous) = ports.iter().find(|p| p.name == port.name.name) {
            diagnostics.push(check::duplicate::member(db, item, "port", &port.name, previous.name_span));
            continue;
        }
        let protocol = match resolve_to(db, item, &port.protocol, &[ItemKind::Protocol], &mut diagnostics) {
            Some(target) if target.rest.is_empty() => {
                complete &= target.known;
                Some(target.item).filter(|_| target.known)
            }
            Some(target) => {
                diagnostics.push(check::unresolved::member(db, item, &target.rest[0], "protocol", target.item, &[]));
                complete = false;
                None
            }
            None => {
                complete = false;
                None
            }
        };
        let local_peer = port.local_peer.as_ref().and_then(|path| {
            if port.kind != PortKind::Connect {
                diagnostics.push(check::local_flow::local_on_input(db, item, port));
                return None;
            }
            let target = resolve_to(db, item, path, &[ItemKind::Component], &mut diagnostics)?;
            match target.rest {
                [port_name] => {
                    // Read the other component's syntax, not its resolved info: two components
                    // naming each other's ports must not make a query cycle.
                    if let Some(peer) = target.item.component_decl(db) {
                        match peer.ports.iter().find(|p| p.name.name == port_name.name) {
                            Some(input) if input.kind.accepts() => {}
                            found => {
                                let candidates: Vec<String> = peer
                                    .ports
                                    .iter()
                                    .filter(|p| p.kind.accepts())
                                    .map(|p| p.name.name.to_string())
                                    .collect();
                                complete = false;
                                diagnostics.push(check::local_flow::bad_peer_port(
                                    db,
                                    item,
                                    port_name,
                                    target.item,
                                    found.map(|p| p.kind),
                                    &candidates,
                                ));
                                return None;
                            }
                        }
                    }
                    Some((target.item.name(db).clone(), port_name.name.clone()))
                }
                [] => {
                    diagnostics.push(check::local_flow::bad_local_path(db, item, path, Some((target.item, port))));
                    None
                }
                _ => {
                    diagnostics.push(check::local_flow::bad_local_path(db, item, path, None));
                    None
                }
            }
        });
        if let (Some(span), false) = (port.relay, port.kind == PortKind::Listen) {
            diagnostics.push(check::invalid_proxy::relay_on_output(db, item, port, span));
        }
        if port.ports.is_none()
            && port.kind.accepts()
            && let Some(protocol) = protocol
            && protocol_info(db, protocol).default_ports.is_none()
        {
            diagnostics.push(check::missing_port::diagnostic(db, item, port, protocol));
        }
        protocols.push(protocol);
        ports.push(PortInfo {
            name: port.name.name.clone(),
            kind: port.kind,
            spec: port.ports.clone(),
            optional: port.optional.is_some(),
            shared: port.shared.is_some(),
            relay: port.relay.is_some(),
            condition: port.condition.clone(),
            local_peer,
            configurable: port.configurable.as_ref().map(|t| t.value.clone()),
            title: port.title.as_ref().map(|t| t.value.clone()),
            docs: port.docs.text.clone(),
            span: port.span,
            name_span: port.name.span,
            protocol_span: port.protocol.span,
        });
    }

    // Evaluate every default and every port with the defaults, once, so that an error in the
    // component is reported here and not again on every node that uses it.
    let mut env = ParamEnv::new(&params, Default::default());
    for param in &params {
        let Some(default) = &param.default else { continue };
        match eval::eval(default, &mut env) {
            Ok(value) => {
                if let Some(ty) = param.ty
                    && let Err(problem) = ty.check(&value)
                {
                    diagnostics.push(check::param_type::bad_default(db, item, param, ty, &value, problem));
                }
            }
            Err(error) => report_eval(db, item, &params, &error, &mut diagnostics),
        }
    }
    for cycle in std::mem::take(&mut env.cycles) {
        let members: Vec<&ParamInfo> =
            cycle.iter().filter_map(|name| params.iter().find(|p| &p.name == name)).collect();
        diagnostics.push(check::param_type::cycle(db, item, &members));
    }
    for port in &ports {
        if let Some(spec) = &port.spec {
            report_ports(db, item, &params, spec, &mut env, &mut diagnostics);
        }
        if let Some(condition) = &port.condition {
            match params.iter().find(|p| p.name == condition.param.name) {
                None => diagnostics.push(check::unresolved::param(db, item, &condition.param, &params, "bool")),
                Some(param) if param.ty.is_some_and(|t| t != ParamType::Bool) => {
                    diagnostics.push(check::param_type::condition_not_bool(db, item, condition, param));
                }
                Some(_) => {}
            }
        }
    }

    ComponentInfo {
        name: decl.name.name.clone(),
        title: decl.title.as_ref().map_or_else(|| decl.name.name.to_string(), |t| t.value.clone()),
        docs: decl.docs.text.clone(),
        params,
        ports,
        protocols,
        complete,
        diagnostics,
    }
}

fn report_ports(
    db: &dyn Db,
    item: Item<'_>,
    params: &[ParamInfo],
    spec: &PortSpec,
    env: &mut ParamEnv<'_>,
    diagnostics: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    let (_, errors) = eval_ports(spec, env, false);
    for error in &errors {
        match error {
            eval::PortError::Eval(error) => report_eval(db, item, params, error, diagnostics),
            other => diagnostics.extend(check::invalid_port::from_error(db, item, other, None)),
        }
    }
}

fn report_eval(
    db: &dyn Db,
    item: Item<'_>,
    params: &[ParamInfo],
    error: &EvalError,
    diagnostics: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    match error {
        EvalError::UnknownName { name, span } => {
            let ident = portolan_syntax::ast::Ident { name: name.clone(), span: *span };
            diagnostics.push(check::unresolved::param(db, item, &ident, params, "port"));
        }
        EvalError::Type { span, message } => diagnostics.push(check::param_type::operator(db, item, *span, message)),
        EvalError::Overflow { span } => diagnostics.push(check::param_type::overflow(db, item, *span)),
        EvalError::Poisoned => {}
    }
}
