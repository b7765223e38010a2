//! `component` items: parameters, ports, and their protocols; defaults evaluated once here.

use portolan_syntax::ast::PortKind;

use super::{ParamEnv, resolve_to};
use crate::db::Db;
use crate::eval::{self, EvalError, ParamType, eval_ports};
use crate::items::{Item, ItemKind};
use crate::resolve::protocol_info;
use crate::resolve::{Part, Problem};
use crate::resolved::{ComponentInfo, ParamInfo, PortInfo};

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
            problems: Vec::new(),
        };
    };
    let mut problems = Vec::new();
    let mut complete = true;

    let mut params: Vec<ParamInfo> = Vec::new();
    for param in &decl.params {
        if let Some(previous) = params.iter().find(|p| p.name == param.name.name) {
            problems.push(Problem::DuplicateMember {
                part: Part::Parameter,
                ident: param.name.clone(),
                previous: previous.name_span,
            });
            continue;
        }
        let ty = ParamType::parse(&param.ty.name);
        if ty.is_none() {
            problems.push(Problem::UnknownType { ty: param.ty.clone() });
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
            problems.push(Problem::DuplicateMember {
                part: Part::Port,
                ident: port.name.clone(),
                previous: previous.name_span,
            });
            continue;
        }
        let protocol = match resolve_to(db, item, &port.protocol, &[ItemKind::Protocol], &mut problems) {
            Some(target) if target.rest.is_empty() => {
                complete &= target.known;
                Some(target.item).filter(|_| target.known)
            }
            Some(target) => {
                problems.push(Problem::NoMember {
                    ident: target.rest[0].clone(),
                    part: Part::Protocol,
                    parent: target.item,
                    candidates: Vec::new(),
                });
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
                problems.push(Problem::LocalOnInput { port: port.clone() });
                return None;
            }
            let target = resolve_to(db, item, path, &[ItemKind::Component], &mut problems)?;
            match target.rest {
                [port_name] => {
                    // Read the other component's syntax, not its resolved info: two components
                    // naming each other's ports must not make a query cycle.
                    if let Some(peer) = target.item.component_decl(db) {
                        match peer.ports.iter().find(|p| p.name.name == port_name.name) {
                            Some(input) if input.kind.accepts() => {}
                            found => {
                                let inputs = peer
                                    .ports
                                    .iter()
                                    .filter(|p| p.kind.accepts())
                                    .map(|p| p.name.name.clone())
                                    .collect();
                                complete = false;
                                problems.push(Problem::BadPeerPort {
                                    port: port_name.clone(),
                                    peer: target.item,
                                    found: found.map(|p| p.kind),
                                    inputs,
                                });
                                return None;
                            }
                        }
                    }
                    Some((target.item.name(db).clone(), port_name.name.clone()))
                }
                [] => {
                    problems.push(Problem::BadLocalPath {
                        path: path.clone(),
                        peer: Some(target.item),
                        port: port.clone(),
                    });
                    None
                }
                _ => {
                    problems.push(Problem::BadLocalPath { path: path.clone(), peer: None, port: port.clone() });
                    None
                }
            }
        });
        if let (Some(span), false) = (port.relay, port.kind == PortKind::Listen) {
            problems.push(Problem::RelayOnOutput { port: port.clone(), span });
        }
        if port.ports.is_none()
            && port.kind.accepts()
            && let Some(protocol) = protocol
            && protocol_info(db, protocol).default_ports.is_none()
        {
            problems.push(Problem::MissingPort { port: port.clone(), protocol });
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
                    && let Err(mismatch) = ty.check(&value)
                {
                    problems.push(Problem::BadDefault { param: param.name.clone(), ty, value, mismatch });
                }
            }
            Err(error) => problems.extend(eval_problem(error)),
        }
    }
    for cycle in std::mem::take(&mut env.cycles) {
        problems.push(Problem::ParamCycle { members: cycle });
    }
    for port in &ports {
        if let Some(spec) = &port.spec {
            let (_, errors) = eval_ports(spec, &mut env, false);
            problems.extend(errors.into_iter().filter_map(|error| match error {
                eval::PortError::Eval(error) => eval_problem(error),
                other => Some(Problem::InvalidPort { error: other }),
            }));
        }
        if let Some(condition) = &port.condition {
            match params.iter().find(|p| p.name == condition.param.name) {
                None => {
                    problems.push(Problem::UnknownParam { ident: condition.param.clone(), wanted: ParamType::Bool })
                }
                Some(param) if param.ty.is_some_and(|t| t != ParamType::Bool) => {
                    problems
                        .push(Problem::ConditionNotBool { condition: condition.clone(), param: param.name.clone() });
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
        problems,
    }
}

/// The problem an expression of the component could not be evaluated for; `None` for a value
/// poisoned by a problem reported where it arose.
fn eval_problem<'db>(error: EvalError) -> Option<Problem<'db>> {
    match error {
        EvalError::UnknownName { name, span } => {
            Some(Problem::UnknownParam { ident: portolan_syntax::ast::Ident { name, span }, wanted: ParamType::Port })
        }
        EvalError::Poisoned => None,
        error => Some(Problem::Eval { error }),
    }
}
