//! Builds the [`Model`] from the database: the user's zones, nodes and flows, names made
//! unique across modules, ports described, every hop of every flow, and the P603 problems of
//! flow ends that no rule can name.

use portolan_syntax::ast::{Direction, PortKind as SyntaxKind, ReplicaCount};
use rustc_hash::FxHashMap;

use portolan_model::{
    AddressOrigin, Component, Decision, End, Flow, HopKind, Model, Node, Port, PortKind, Replicas, Route,
    RuleAddresses, Zone,
};

use super::Export;
use crate::check;
use crate::db::{Db, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::eval::names_in_ports;
use crate::facts::SpecPolicy;
use crate::items::{Item, ItemKind, file_items};
use crate::policy::cite::Citer;
use crate::policy::{HopEnds, PolicyHop, PolicyIndex, decide, policy_index};
use crate::resolve::{component_info, flow_info, node_info, protocol_info, zone_info};
use crate::resolved::{EndToEnd, Endpoint, Hop, NodeInfo, NodePort, Trust};

/// The model of the user's spec. Call it on a spec that checks without errors: items that did
/// not resolve are left out.
/// The spec's `document`, as the model states it.
fn document(db: &dyn Db) -> portolan_model::Document {
    match crate::facts::spec_document(db) {
        Some(item) => {
            let info = crate::resolve::document_info(db, *item);
            portolan_model::Document { title: info.title.clone(), sections: info.sections.clone() }
        }
        None => portolan_model::Document::default(),
    }
}

pub fn export(db: &dyn Db) -> Export {
    let mut files: Vec<SourceFile> = crate::facts::user_files(db).clone();
    files.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    let items: Vec<Item<'_>> = files.iter().flat_map(|&f| file_items(db, f).iter().copied()).collect();
    let of_kind = |kind: ItemKind| items.iter().copied().filter(move |i| i.kind(db) == kind);
    let zone_names = unique_names(db, of_kind(ItemKind::Zone).collect());
    let node_names = unique_names(db, of_kind(ItemKind::Node).collect());

    let zones = of_kind(ItemKind::Zone).map(|item| zone(db, item, &zone_names)).collect();
    let mut nodes = Vec::new();
    let mut port_names: FxHashMap<Item<'_>, Vec<String>> = FxHashMap::default();
    let mut origins = FxHashMap::default();
    for item in of_kind(ItemKind::Node) {
        let info = node_info(db, item);
        let node = node(db, item, info, &zone_names, &node_names);
        port_names.insert(item, info.ports.iter().map(|p| port_name(db, info, p)).collect());
        origins.insert(item, node.rule_addresses.origin);
        nodes.push(node);
    }
    let names = Names { nodes: &node_names, zones: &zone_names, ports: &port_names, origins: &origins };

    let mut model = Model {
        format: portolan_model::FORMAT,
        version: portolan_model::VERSION,
        zones,
        nodes,
        flows: Vec::new(),
        routes: Vec::new(),
        policy: super::policy::policy(db, &zone_names, &node_names),
        document: document(db),
        lookup: Default::default(),
    };
    let mut rule_problems = Vec::new();
    let mut decisions =
        Decisions { policy: crate::facts::spec_policy(db), index: policy_index(db), citer: Citer::default() };
    for item in of_kind(ItemKind::Flow) {
        route(db, item, &names, &mut decisions, &mut model, &mut rule_problems);
    }
    Export { model, rule_problems }
}

/// What the policy decides for each hop, cited.
struct Decisions<'a, 'db> {
    policy: &'a SpecPolicy<'db>,
    index: &'a PolicyIndex<'db>,
    citer: Citer,
}

impl<'db> Decisions<'_, 'db> {
    fn of(&mut self, db: &'db dyn Db, hop: &Hop<'db>, end_to_end: Option<&EndToEnd<'db>>) -> Decision {
        let ends = HopEnds::of(db, hop);
        let decision = decide(self.policy, self.index, PolicyHop::new(hop, ends, end_to_end));
        self.citer.state(db, self.policy, decision)
    }
}

struct Names<'a, 'db> {
    nodes: &'a FxHashMap<Item<'db>, String>,
    zones: &'a FxHashMap<Item<'db>, String>,
    ports: &'a FxHashMap<Item<'db>, Vec<String>>,
    origins: &'a FxHashMap<Item<'db>, AddressOrigin>,
}

impl<'db> Names<'_, 'db> {
    fn end(&self, db: &'db dyn Db, end: Endpoint<'db>) -> End {
        let node = self.nodes.get(&end.node).cloned().unwrap_or_else(|| end.node.name(db).to_string());
        let port =
            self.ports.get(&end.node).and_then(|ports| ports.get(end.port as usize)).cloned().unwrap_or_default();
        End { node, port }
    }

    fn zone_of(&self, db: &'db dyn Db, node: Item<'db>) -> String {
        node_info(db, node).zone.and_then(|z| self.zones.get(&z)).cloned().unwrap_or_default()
    }
}

/// Each item's name, or `module.name` when another item of the same kind has that name.
fn unique_names<'db>(db: &'db dyn Db, items: Vec<Item<'db>>) -> FxHashMap<Item<'db>, String> {
    let mut count: FxHashMap<&str, usize> = FxHashMap::default();
    for item in &items {
        *count.entry(item.name(db).as_str()).or_default() += 1;
    }
    items
        .iter()
        .map(|&item| {
            let name = item.name(db).to_string();
            let name = if count.get(name.as_str()).copied().unwrap_or(0) > 1 {
                format!("{}.{name}", item.file(db).module(db))
            } else {
                name
            };
            (item, name)
        })
        .collect()
}

fn zone(db: &dyn Db, item: Item<'_>, names: &FxHashMap<Item<'_>, String>) -> Zone {
    let info = zone_info(db, item);
    Zone {
        name: names.get(&item).cloned().unwrap_or_else(|| info.name.to_string()),
        title: info.title.clone(),
        trust: info.trust,
        cidrs: info.cidrs.iter().map(ToString::to_string).collect(),
        docs: info.docs.clone(),
    }
}

fn node<'db>(
    db: &'db dyn Db,
    item: Item<'db>,
    info: &'db NodeInfo<'db>,
    zones: &FxHashMap<Item<'db>, String>,
    nodes: &FxHashMap<Item<'db>, String>,
) -> Node {
    let zone = info.zone.map(|z| (zones.get(&z).cloned().unwrap_or_default(), zone_info(db, z)));
    let addresses: Vec<String> = info.addresses.iter().map(ToString::to_string).collect();
    let rule_addresses = match &zone {
        _ if !addresses.is_empty() => RuleAddresses { origin: AddressOrigin::Node, networks: addresses.clone() },
        Some((_, z)) if !z.cidrs.is_empty() => RuleAddresses {
            origin: AddressOrigin::ZoneCidrs,
            networks: z.cidrs.iter().map(ToString::to_string).collect(),
        },
        Some((_, z)) if z.trust == Trust::Untrusted => {
            RuleAddresses { origin: AddressOrigin::Any, networks: Vec::new() }
        }
        _ => RuleAddresses { origin: AddressOrigin::None, networks: Vec::new() },
    };
    Node {
        name: nodes.get(&item).cloned().unwrap_or_else(|| info.name.to_string()),
        zone: zone.map(|(name, _)| name).unwrap_or_default(),
        title: info.title.clone().unwrap_or_else(|| info.name.to_string()),
        addresses,
        components: info
            .components
            .iter()
            .map(|&c| Component { name: c.name(db).to_string(), title: component_info(db, c).title.clone() })
            .collect(),
        replicas: info.replicas.as_ref().map(|r| match r {
            ReplicaCount::Count(n) => Replicas::Count(*n),
            ReplicaCount::Any => Replicas::Any("*"),
        }),
        docs: info.docs.clone(),
        rule_addresses,
        ports: info.ports.iter().filter(|p| p.active).map(|p| port(db, info, p)).collect(),
    }
}

/// The name a flow uses for a port: `Component.port` when the node has two ports of that name.
fn port_name(db: &dyn Db, node: &NodeInfo<'_>, port: &NodePort<'_>) -> String {
    if node.ports.iter().filter(|p| p.name == port.name).count() > 1 {
        format!("{}.{}", port.component.name(db), port.name)
    } else {
        port.name.to_string()
    }
}

fn port(db: &dyn Db, node: &NodeInfo<'_>, port: &NodePort<'_>) -> Port {
    let component = component_info(db, port.component);
    let decl = component.ports.get(port.port_index as usize);
    let protocol = port.protocol.map(|p| protocol_info(db, p));
    let mut configurable = Vec::new();
    if let Some(spec) = decl.and_then(|d| d.spec.as_ref()) {
        let mut used = Vec::new();
        names_in_ports(spec, &mut used);
        for (name, _) in used {
            if let Some(param) = component.param(&name) {
                let setting = param.title.clone().unwrap_or_else(|| param.name.to_string());
                if !configurable.contains(&setting) {
                    configurable.push(setting);
                }
            }
        }
    }
    let usage = decl
        .and_then(|d| d.title.clone())
        .or_else(|| decl.map(|d| first_paragraph(&d.docs)).filter(|d| !d.is_empty()))
        .unwrap_or_default();
    Port {
        name: port_name(db, node, port),
        component: component.name.to_string(),
        kind: match port.kind {
            SyntaxKind::Listen => PortKind::Listen,
            SyntaxKind::Connect => PortKind::Connect,
            SyntaxKind::Peer => PortKind::Peer,
        },
        protocol: protocol.map(|p| p.name.to_string()).unwrap_or_default(),
        protocol_title: protocol.map(|p| p.title.clone()).unwrap_or_default(),
        encrypted: protocol.is_some_and(|p| p.encrypted),
        ports: port.ports.ranges().to_vec(),
        pinned: port.pinned,
        optional: port.optional,
        shared: port.shared,
        relay: port.relay,
        local: port.local_peer.as_ref().map(|(c, p)| format!("{c}.{p}")),
        usage,
        configurable,
        configurable_text: decl.and_then(|d| d.configurable.clone()),
    }
}

/// A doc comment's first paragraph, on one line.
fn first_paragraph(docs: &str) -> String {
    let paragraph = docs.trim().split("\n\n").next().unwrap_or_default();
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn route<'db>(
    db: &'db dyn Db,
    item: Item<'db>,
    names: &Names<'_, 'db>,
    decisions: &mut Decisions<'_, 'db>,
    model: &mut Model,
    problems: &mut Vec<Diagnostic>,
) {
    let info = flow_info(db, item);
    let (Some(from), Some(to)) = (info.from, info.to) else { return };
    let number = model.routes.len() + 1;
    let mut hops = Vec::new();
    let mut unnamed: Vec<Item<'db>> = Vec::new();
    let end_to_end = crate::facts::end_to_end(db, info);
    for (index, hop) in info.hops.iter().enumerate() {
        let kind = match () {
            _ if info.local => HopKind::Local,
            _ if !info.via.is_empty() => HopKind::Via,
            _ if index > 0 => HopKind::Reverse,
            _ => HopKind::Direct,
        };
        if kind != HopKind::Local {
            for end in [hop.from.node, hop.to.node] {
                if names.origins.get(&end) == Some(&AddressOrigin::None) && !unnamed.contains(&end) {
                    unnamed.push(end);
                    problems.push(check::no_address::diagnostic(db, item, end));
                }
            }
        }
        let protocol = hop.protocol.map(|p| protocol_info(db, p));
        hops.push(model.flows.len());
        model.flows.push(Flow {
            from: names.end(db, hop.from),
            to: names.end(db, hop.to),
            protocol: protocol.map(|p| p.name.to_string()).unwrap_or_default(),
            label: info.label.clone(),
            from_zone: names.zone_of(db, hop.from.node),
            to_zone: names.zone_of(db, hop.to.node),
            ports: hop.ports.ranges().to_vec(),
            protocol_title: protocol.map(|p| p.title.clone()).unwrap_or_default(),
            encrypted: hop.encrypted,
            route: number,
            hop: index + 1,
            kind,
            decision: (kind != HopKind::Local).then(|| decisions.of(db, hop, end_to_end.as_ref())),
        });
    }
    model.routes.push(Route {
        number,
        declared_number: info.route,
        label: info.label.clone(),
        docs: info.docs.clone(),
        from: names.end(db, from),
        to: names.end(db, to),
        via: info.via.iter().map(|v| names.end(db, *v).node).collect(),
        bidirectional: info.direction == Direction::Both,
        local: info.local,
        hops,
    });
}
