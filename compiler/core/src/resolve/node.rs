//! `node` items: their zone, components, addresses, parameter values and resulting ports.

use portolan_syntax::Name;
use portolan_syntax::ast;
use rustc_hash::FxHashMap;

use super::{ParamEnv, resolve_to};
use crate::db::Db;
use crate::eval::{self, NoNames, PortError, Value, eval_ports};
use crate::items::{Item, ItemKind, NodeSyntax};
use crate::net::Network;
use crate::resolve::{Part, Problem, component_info, protocol_info};
use crate::resolved::{NodeInfo, NodePort};
use crate::scope::module_locals;

#[salsa::tracked(returns(ref))]
pub fn node_info<'db>(db: &'db dyn Db, item: Item<'db>) -> NodeInfo<'db> {
    let mut info = NodeInfo {
        name: item.name(db).clone(),
        title: None,
        docs: String::new(),
        zone: None,
        components: Vec::new(),
        complete: false,
        replicas: None,
        addresses: Vec::new(),
        ports: Vec::new(),
        params: Vec::new(),
        problems: Vec::new(),
    };
    let (decl, enclosing) = match item.node_syntax(db) {
        Some(NodeSyntax::Parsed { decl, zone }) => (decl, zone),
        Some(NodeSyntax::Broken { .. }) | None => return info,
    };
    info.title = decl.title.as_ref().map(|t| t.value.clone());
    info.docs = decl.docs.text.clone();
    info.replicas = decl.replicas.as_ref().map(|r| r.count.clone());
    let problems = &mut info.problems;
    let mut complete = true;

    // The zone: the enclosing `zone` block, or `in zone` at the top level; never both, never none.
    info.zone = match (enclosing, &decl.zone) {
        (Some(zone), written) => {
            let found = module_locals(db, item.file(db)).all(&zone.name.name).find(|z| z.kind(db) == ItemKind::Zone);
            if let (Some(path), Some(found)) = (written, found) {
                let target = resolve_to(db, item, path, &[ItemKind::Zone], problems);
                if target.is_some_and(|t| t.item != found) {
                    problems.push(Problem::TwoZones { path: path.clone() });
                }
            }
            found
        }
        (None, Some(path)) => match resolve_to(db, item, path, &[ItemKind::Zone], problems) {
            Some(target) if target.rest.is_empty() => Some(target.item),
            Some(target) => {
                problems.push(Problem::NoMember {
                    ident: target.rest[0].clone(),
                    part: Part::Zone,
                    parent: target.item,
                    candidates: Vec::new(),
                });
                None
            }
            None => None,
        },
        (None, None) => {
            problems.push(Problem::NoZone);
            None
        }
    };

    // Each component once: a repeat is reported, and left out so that its ports do not conflict
    // with (and make ambiguous) the ports of the first.
    let mut listed: Vec<(Item<'db>, usize)> = Vec::new();
    for (index, path) in decl.components.iter().enumerate() {
        match resolve_to(db, item, path, &[ItemKind::Component], problems) {
            Some(target) if target.rest.is_empty() => {
                if let Some(&(_, first)) = listed.iter().find(|(c, _)| *c == target.item) {
                    problems.push(Problem::DuplicateComponent { first, again: index, component: target.item });
                    continue;
                }
                listed.push((target.item, index));
                complete &= target.known && component_info(db, target.item).complete;
                if target.known {
                    info.components.push(target.item);
                }
            }
            Some(target) => {
                problems.push(Problem::NoMember {
                    ident: target.rest[0].clone(),
                    part: Part::Component,
                    parent: target.item,
                    candidates: Vec::new(),
                });
                complete = false;
            }
            None => complete = false,
        }
    }

    for address in &decl.addresses {
        match Network::parse(&address.text) {
            Ok(network) => info.addresses.push(network),
            Err(error) => problems.push(Problem::InvalidAddress { address: address.clone(), error }),
        }
    }

    // What the node sets: each value is a constant, applied to every component with that param
    // (or to one component, when written `Component.param = value`).
    let mut overrides: Vec<FxHashMap<Name, Value>> = vec![FxHashMap::default(); info.components.len()];
    let mut override_spans: Vec<FxHashMap<Name, &ast::ParamSet>> = vec![FxHashMap::default(); info.components.len()];
    for set in &decl.params {
        let value = match eval::eval(&set.value, &mut NoNames) {
            Ok(value) => value,
            Err(error) => {
                // What the value would be with the node's constant settings in its place.
                let meant = eval::eval(&set.value, &mut Constants(&decl.params)).ok();
                problems.push(Problem::NodeValue { set: set.clone(), error, meant });
                continue;
            }
        };
        let (component_name, param_name) = match set.target.segments.as_slice() {
            [param] => (None, param),
            [component, param] => (Some(component), param),
            _ => {
                problems.push(Problem::OverrideTarget { set: set.clone(), components: info.components.clone() });
                continue;
            }
        };
        let mut applied = false;
        for (index, &component) in info.components.iter().enumerate() {
            if component_name.is_some_and(|c| c.name != *component.name(db)) {
                continue;
            }
            if component_info(db, component).param(&param_name.name).is_some() {
                if override_spans[index].contains_key(&param_name.name) {
                    let previous = override_spans[index][&param_name.name].target.span;
                    problems.push(Problem::DuplicateMember {
                        part: Part::Setting,
                        ident: param_name.clone(),
                        previous,
                    });
                } else {
                    overrides[index].insert(param_name.name.clone(), value.clone());
                    override_spans[index].insert(param_name.name.clone(), set);
                }
                applied = true;
            }
        }
        if !applied && complete {
            problems.push(Problem::OverrideTarget { set: set.clone(), components: info.components.clone() });
        }
    }

    for (index, &component) in info.components.iter().enumerate() {
        let component_data = component_info(db, component);
        // Type-check what the node sets, and require what has no default.
        for param in &component_data.params {
            match (overrides[index].get(&param.name), &param.default, param.ty) {
                (Some(value), _, Some(ty)) => {
                    if let Err(mismatch) = ty.check(value) {
                        let set = override_spans[index][&param.name];
                        problems.push(Problem::BadOverride {
                            set: set.clone(),
                            component,
                            param: param.name.clone(),
                            mismatch,
                        });
                    }
                }
                (None, None, _) => {
                    problems.push(Problem::RequiredParam {
                        components: info.components.clone(),
                        component,
                        param: param.name.clone(),
                    });
                }
                _ => {}
            }
        }
        let mut env = ParamEnv::new(&component_data.params, overrides[index].clone());
        for (port_index, port) in component_data.ports.iter().enumerate() {
            let protocol = component_data.protocols.get(port_index).copied().flatten();
            let active = match &port.condition {
                None => true,
                Some(condition) => match env.value(&condition.param.name) {
                    Some(Ok(Value::Bool(b))) => b != condition.negated,
                    _ => true,
                },
            };
            let default_ports = protocol.and_then(|p| protocol_info(db, p).default_ports.clone());
            let (ports, pinned) = match &port.spec {
                Some(spec) => {
                    let (ports, errors) = eval_ports(spec, &mut env, false);
                    if !overrides[index].is_empty() {
                        node_port_problems(component, port_index, port, errors, &override_spans[index], problems);
                    }
                    (ports, port.kind.initiates())
                }
                None => (default_ports.unwrap_or_default(), false),
            };
            info.ports.push(NodePort {
                component,
                component_index: index as u32,
                port_index: port_index as u32,
                name: port.name.clone(),
                kind: port.kind,
                protocol,
                ports,
                pinned,
                optional: port.optional,
                shared: port.shared,
                relay: port.relay,
                active,
                local_peer: port.local_peer.clone(),
            });
        }
        let values =
            component_data.params.iter().map(|p| (p.name.clone(), env.value(&p.name).and_then(Result::ok))).collect();
        info.params.push(values);
    }
    info.complete = complete;
    info
}

/// How a node's port was found by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortLookup {
    Found(u32),
    NotFound,
    /// More than one component of the node has a port of this name.
    Ambiguous(Vec<u32>),
}

/// Finds a port of a node by name, optionally qualified by the component that declares it.
pub fn find_port(db: &dyn Db, node: &NodeInfo<'_>, component: Option<&str>, name: &str) -> PortLookup {
    let found: Vec<u32> = node
        .ports
        .iter()
        .enumerate()
        .filter(|(_, p)| p.name == name && component.is_none_or(|c| p.component.name(db) == c))
        .map(|(i, _)| i as u32)
        .collect();
    match found.as_slice() {
        [] => PortLookup::NotFound,
        [one] => PortLookup::Found(*one),
        _ => PortLookup::Ambiguous(found),
    }
}

/// The errors of a component's port that a node's settings cause, as problems of the node.
fn node_port_problems<'db>(
    component: Item<'db>,
    port_index: usize,
    port: &crate::resolved::PortInfo,
    errors: Vec<PortError>,
    overrides: &FxHashMap<Name, &ast::ParamSet>,
    problems: &mut Vec<Problem<'db>>,
) {
    // Errors that the component's defaults already produce were reported on the component.
    let mut names = Vec::new();
    if let Some(spec) = &port.spec {
        eval::names_in_ports(spec, &mut names);
    }
    let Some(set) = names.iter().find_map(|(name, _)| overrides.get(name)) else { return };
    for error in errors {
        if matches!(error, PortError::Invalid { .. } | PortError::Reversed { .. }) {
            problems.push(Problem::NodePort { component, port: port_index as u32, set: (*set).clone(), error });
        }
    }
}

/// A node's settings whose values are constants, by the name of the parameter they set: what a
/// setting that names another one (`poke_port = switch_port + 1`) would mean.
struct Constants<'a>(&'a [ast::ParamSet]);

impl eval::Scope for Constants<'_> {
    fn lookup(&mut self, name: &Name, _span: portolan_syntax::Span) -> Option<Result<Value, eval::EvalError>> {
        let set = self.0.iter().find(|set| set.target.last().name == *name)?;
        Some(eval::eval(&set.value, &mut NoNames))
    }
}
