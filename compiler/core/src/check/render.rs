//! The one place a problem found by resolution becomes a diagnostic: each kind of problem goes
//! to the function of the check file for its code, which writes its message, labels, help and
//! fixes.

use super::{
    ambiguous, document, duplicate, flow_direction, import_cycle, invalid_address, invalid_port, invalid_proxy,
    local_flow, missing_port, node_zone, param_type, port_mismatch, protocol_mismatch, required_param, self_flow,
    trust, unresolved, wrong_kind,
};
use portolan_syntax::Name;

use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::{Item, NodeSyntax};
use crate::resolve::{End, FlowEnd, Problem, component_info, node_info};
use crate::resolved::ParamInfo;
use crate::scope::ScopeProblem;

/// The diagnostic for a problem that resolving `item` found; `None` for a problem whose
/// diagnostic another item already carries. The syntax and resolved parts a problem names are
/// looked up here, so that each check file's function receives what it words.
pub fn problem<'db>(db: &'db dyn Db, item: Item<'db>, problem: &Problem<'db>) -> Option<Diagnostic> {
    let flow = || item.flow_decl(db);
    let node = || match item.node_syntax(db) {
        Some(NodeSyntax::Parsed { decl, zone }) => Some((decl, zone)),
        _ => None,
    };
    let params = || &component_info(db, item).params;
    let param_of = |component: Item<'db>, name: &Name| component_info(db, component).param(name);
    let port_of = |node: Item<'db>, port: u32| node_info(db, node).ports.get(port as usize);
    Some(match problem {
        Problem::WrongKind { span, found, kinds } => wrong_kind::diagnostic(db, item, *span, *found, kinds),
        Problem::NotFound { path, segment, kinds } => unresolved::name(db, item, path, segment, kinds),
        Problem::NotInModule { segment, module, kinds } => unresolved::in_module(db, item, segment, *module, kinds),
        Problem::ModuleNotItem { span, module, kinds } => wrong_kind::module(db, item, *span, *module, kinds),
        Problem::AmbiguousGlob { segment, items } => ambiguous::glob(db, item, segment, items),
        Problem::NoMember { ident, part, parent, candidates } => {
            unresolved::member(db, item, ident, *part, *parent, candidates)
        }
        Problem::DuplicateMember { part, ident, previous } => duplicate::member(db, item, *part, ident, *previous),
        Problem::InvalidPort { error } => return invalid_port::from_error(db, item, error, None),
        Problem::UnknownTrust { level } => trust::unknown(db, item, level),
        Problem::UnknownSection { ident } => document::unknown_section(db, item, ident),
        Problem::SecondSections { keyword, previous } => duplicate::sections(db, item, *keyword, *previous),
        Problem::InvalidAddress { address, error } => invalid_address::diagnostic(db, item, address, error),
        Problem::UnknownType { ty } => param_type::unknown_type(db, item, ty),
        Problem::BadDefault { param, ty, value, mismatch } => {
            param_type::bad_default(db, item, param_of(item, param)?, *ty, value, mismatch)
        }
        Problem::Eval { error } => return param_type::eval(db, item, error),
        Problem::UnknownParam { ident, wanted } => unresolved::param(db, item, ident, *wanted),
        Problem::ParamCycle { members } => {
            let members: Vec<&ParamInfo> =
                members.iter().filter_map(|name| params().iter().find(|p| &p.name == name)).collect();
            param_type::cycle(db, item, &members)
        }
        Problem::ConditionNotBool { condition, param } => {
            param_type::condition_not_bool(db, item, condition, param_of(item, param)?)
        }
        Problem::LocalOnInput { port } => local_flow::local_on_input(db, item, port),
        Problem::BadLocalPath { path, peer, port } => {
            local_flow::bad_local_path(db, item, path, peer.map(|peer| (peer, port)))
        }
        Problem::BadPeerPort { port, peer, found, inputs } => {
            let inputs: Vec<String> = inputs.iter().map(|i| i.to_string()).collect();
            local_flow::bad_peer_port(db, item, port, *peer, *found, &inputs)
        }
        Problem::RelayOnOutput { port, span } => invalid_proxy::relay_on_output(db, item, port, *span),
        Problem::MissingPort { port, protocol } => missing_port::diagnostic(db, item, port, *protocol),
        Problem::TwoZones { path } => {
            let (decl, zone) = node()?;
            node_zone::two_zones(db, item, decl, zone?, path)
        }
        Problem::NoZone => node_zone::no_zone(db, item, node()?.0),
        Problem::DuplicateComponent { first, again, component } => {
            duplicate::component(db, item, node()?.0, *first, *again, *component)
        }
        Problem::NodeValue { set, error, meant } => param_type::node_value(db, item, set, error, meant.as_ref()),
        Problem::OverrideTarget { set, components } => unresolved::override_target(db, item, set, components),
        Problem::BadOverride { set, component, param, mismatch } => {
            param_type::bad_override(db, item, set, *component, param_of(*component, param)?, mismatch)
        }
        Problem::RequiredParam { components, component, param } => {
            required_param::diagnostic(db, item, node()?.0, components, *component, param_of(*component, param)?)
        }
        Problem::NodePort { component, port, set, error } => {
            return invalid_port::from_node_setting(db, item, *component, *port, set, error);
        }
        Problem::InactivePort { path, node, port } => return unresolved::inactive_port(db, item, path, *node, *port),
        Problem::FlowDirection { from, to } => {
            flow_direction::diagnostic(db, item, flow()?, &end(db, from), &end(db, to))
        }
        Problem::SelfFlow { from, to } => self_flow::diagnostic(db, item, flow()?, &end(db, from), &end(db, to)),
        Problem::SameComponent { from } => self_flow::same_component(db, item, flow()?, &end(db, from)),
        Problem::LocalDifferentNodes { from, to } => {
            local_flow::different_nodes(db, item, flow()?, &end(db, from), &end(db, to))
        }
        Problem::LocalVia => local_flow::local_via(db, item, flow()?),
        Problem::ProtocolMismatch { from, to } => {
            protocol_mismatch::diagnostic(db, item, flow()?, &end(db, from), &end(db, to))
        }
        Problem::PortMismatch { from, to } => port_mismatch::diagnostic(db, item, &end(db, from), &end(db, to)),
        Problem::TwoWayVia => invalid_proxy::two_way_via(db, item, flow()?),
        Problem::AmbiguousPort { path, node, ports } => {
            ambiguous::port(db, item, path, *node, node_info(db, *node), ports)
        }
        Problem::NoPort { from, to } => unresolved::no_port(db, item, from, to),
        Problem::NoPortFor { path, node, other, port } => {
            protocol_mismatch::no_port_for(db, item, path, *node, port_of(*other, *port)?)
        }
        Problem::NotRelaying { path, node, port } => {
            invalid_proxy::not_relaying_port(db, item, path, *node, port_of(*node, *port)?)
        }
        Problem::CannotRelay { path, node, relays, destination } => {
            let destination = port_of(destination.0, destination.1)?;
            invalid_proxy::cannot_relay(db, item, path, *node, node_info(db, *node), relays, destination)
        }
    })
}

/// A flow's end as the check files read it.
fn end<'db, 'a>(db: &'db dyn Db, end: &'a FlowEnd<'db>) -> End<'db, 'a> {
    End { node: end.node, info: node_info(db, end.node), port: end.port, path: &end.path }
}

/// The diagnostic for a problem found while gathering a module's names and imports.
pub fn scope_problem<'db>(db: &'db dyn Db, problem: &ScopeProblem<'db>) -> Option<Diagnostic> {
    Some(match problem {
        ScopeProblem::Duplicate { previous, item } => duplicate::diagnostic(db, *previous, *item),
        ScopeProblem::UnknownModule { item } => return unresolved::module(db, *item),
        ScopeProblem::SelfImport { item } => import_cycle::self_import(db, *item, item.use_decl(db)?),
        ScopeProblem::ImportedName { item, name, module } => unresolved::imported_name(db, *item, name, *module),
    })
}
