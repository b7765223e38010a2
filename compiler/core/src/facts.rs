//! Spec-wide facts the checks read: which ports flows serve and reach, which components and
//! zones are used, the combined policy, the user's files and the hops of each file's flows. Each
//! is built per file and then merged, so that an edit recomputes one file's part and the merge
//! runs only when that part changed. Below `check/`, above resolution.

use portolan_syntax::Span;
use portolan_syntax::ast::Action;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::db::{Db, Origin, SourceFile};
use crate::items::{Item, ItemKind, file_items};
use crate::resolve::{flow_info, node_info, policy_info, protocol_info, zone_info};
use crate::resolved::{
    DefaultInfo, EndToEnd, Endpoint, FlowInfo, Hop, HopEnds, HopFacts, ProxiedFacts, RequireInfo, RuleInfo,
};

/// What one file's nodes, flows and policies use.
#[derive(Clone, Debug, Default, PartialEq, Eq, salsa::SalsaValue)]
pub struct FileUsage<'db> {
    pub components: Vec<Item<'db>>,
    pub zones: Vec<Item<'db>>,
    /// Ports that flows open connections from.
    pub served: Vec<Endpoint<'db>>,
    /// Ports that flows connect to.
    pub reached: Vec<Endpoint<'db>>,
    pub policies: Vec<Item<'db>>,
    pub nodes: Vec<Item<'db>>,
    pub flows: Vec<Item<'db>>,
    /// True when a node or zone of the file has a syntax error: what it uses is unknown.
    pub incomplete: bool,
    /// True when a flow of the file has no hops (a syntax error, or an end that did not
    /// resolve): which policy rules it would use is unknown.
    pub unresolved_flows: bool,
}

#[salsa::tracked(returns(ref))]
pub fn file_usage(db: &dyn Db, file: SourceFile) -> FileUsage<'_> {
    let mut usage = FileUsage::default();
    for &item in file_items(db, file) {
        usage.incomplete |= is_incomplete_placement(db, item);
        match item.kind(db) {
            ItemKind::Node => {
                let info = node_info(db, item);
                usage.components.extend(info.components.iter().copied());
                usage.zones.extend(info.zone);
                usage.nodes.push(item);
            }
            ItemKind::Flow | ItemKind::Broken => {
                if item.kind(db) == ItemKind::Broken && item.broken(db).and_then(|b| b.flow_ends.as_ref()).is_none() {
                    continue;
                }
                let info = flow_info(db, item);
                usage.unresolved_flows |= !info.local && info.hops.is_empty();
                if info.hops.is_empty() {
                    usage.served.extend(info.from);
                    usage.reached.extend(info.to);
                    usage.reached.extend(info.via.iter().copied());
                } else {
                    for hop in &info.hops {
                        usage.served.push(hop.from);
                        usage.reached.push(hop.to);
                    }
                }
                if item.kind(db) == ItemKind::Flow {
                    usage.flows.push(item);
                }
            }
            ItemKind::Policy => usage.policies.push(item),
            _ => {}
        }
    }
    dedup(&mut usage.components);
    dedup(&mut usage.zones);
    usage
}

/// True for a node or zone whose components or nodes are unknown: it has a syntax error, or a
/// component of a node did not resolve.
fn is_incomplete_placement(db: &dyn Db, item: Item<'_>) -> bool {
    match item.kind(db) {
        ItemKind::Node => !node_info(db, item).complete,
        ItemKind::Broken => {
            let keyword = item.broken(db).and_then(|b| b.keyword.as_ref()).map(|k| k.name.clone());
            matches!(keyword.as_deref(), Some("node" | "zone"))
        }
        _ => false,
    }
}

/// Removes repeated items, keeping the first of each.
fn dedup(items: &mut Vec<Item<'_>>) {
    let mut seen = FxHashSet::default();
    items.retain(|item| seen.insert(*item));
}

/// The spec's `document`: the first in the user's files, in workspace order. Any other is a
/// duplicate (P102) and has no effect.
#[salsa::tracked]
pub fn spec_document(db: &dyn Db) -> Option<Item<'_>> {
    user_files(db)
        .iter()
        .flat_map(|&file| file_items(db, file).iter().copied())
        .find(|item| item.kind(db) == ItemKind::Document)
}

/// The user's files, in workspace order.
#[salsa::tracked(returns(ref))]
pub fn user_files(db: &dyn Db) -> Vec<SourceFile> {
    db.workspace().files(db).iter().copied().filter(|f| f.origin(db) == Origin::User).collect()
}

/// What the whole spec uses.
#[derive(Clone, Debug, Default, PartialEq, Eq, salsa::SalsaValue)]
pub struct SpecUsage<'db> {
    pub components: FxHashSet<Item<'db>>,
    pub zones: FxHashSet<Item<'db>>,
    pub served: FxHashMap<Item<'db>, Vec<u32>>,
    pub reached: FxHashMap<Item<'db>, Vec<u32>>,
    pub policies: Vec<Item<'db>>,
    /// True when some node or zone has a syntax error or an unresolved component.
    pub incomplete: bool,
}

#[salsa::tracked(returns(ref))]
pub fn spec_usage(db: &dyn Db) -> SpecUsage<'_> {
    let mut usage = SpecUsage::default();
    for &file in user_files(db) {
        let part = file_usage(db, file);
        usage.components.extend(part.components.iter().copied());
        usage.zones.extend(part.zones.iter().copied());
        for end in &part.served {
            usage.served.entry(end.node).or_default().push(end.port);
        }
        for end in &part.reached {
            usage.reached.entry(end.node).or_default().push(end.port);
        }
        usage.policies.extend(part.policies.iter().copied());
        usage.incomplete |= part.incomplete;
    }
    for ports in usage.served.values_mut().chain(usage.reached.values_mut()) {
        ports.sort_unstable();
        ports.dedup();
    }
    usage
}

/// Which ports of one node flows serve and reach.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeUsage {
    pub served: Vec<u32>,
    pub reached: Vec<u32>,
}

#[salsa::tracked(returns(ref))]
pub fn node_usage<'db>(db: &'db dyn Db, node: Item<'db>) -> NodeUsage {
    let usage = spec_usage(db);
    NodeUsage {
        served: usage.served.get(&node).cloned().unwrap_or_default(),
        reached: usage.reached.get(&node).cloned().unwrap_or_default(),
    }
}

/// True when some node is built from this component, or when that cannot be known because a
/// node has a syntax error.
#[salsa::tracked(returns(copy))]
pub fn component_used<'db>(db: &'db dyn Db, component: Item<'db>) -> bool {
    let usage = spec_usage(db);
    usage.incomplete || usage.components.contains(&component)
}

/// True when some node sits in this zone, or when that cannot be known.
#[salsa::tracked(returns(copy))]
pub fn zone_used<'db>(db: &'db dyn Db, zone: Item<'db>) -> bool {
    let usage = spec_usage(db);
    usage.incomplete || usage.zones.contains(&zone)
}

/// Every `policy` of the spec, merged.
#[derive(Clone, Debug, Default, PartialEq, Eq, salsa::SalsaValue)]
pub struct SpecPolicy<'db> {
    pub defaults: Vec<DefaultInfo<'db>>,
    pub rules: Vec<RuleInfo<'db>>,
    pub requires: Vec<RequireInfo<'db>>,
}

impl SpecPolicy<'_> {
    /// The default action: the first `default` written; `None` when the spec states none.
    pub fn default_action(&self) -> Option<Action> {
        self.defaults.first().map(|d| d.action)
    }
}

#[salsa::tracked(returns(ref))]
pub fn spec_policy(db: &dyn Db) -> SpecPolicy<'_> {
    let mut policy = SpecPolicy::default();
    for &item in &spec_usage(db).policies {
        let info = policy_info(db, item);
        policy.defaults.extend(info.defaults.iter().cloned());
        policy.rules.extend(info.rules.iter().cloned());
        policy.requires.extend(info.requires.iter().cloned());
    }
    policy
}

/// What the policy and encryption checks need of every hop of one file's flows (not `local`).
#[salsa::tracked(returns(ref))]
pub fn file_hops(db: &dyn Db, file: SourceFile) -> Vec<HopFacts<'_>> {
    let mut out = Vec::new();
    for &flow in &file_usage(db, file).flows {
        let info = flow_info(db, flow);
        let Some(decl) = flow.flow_decl(db) else { continue };
        if info.local {
            continue;
        }
        let location = flow.at(db, decl.from.span.cover(decl.to.span));
        let end_to_end = end_to_end(db, info);
        for (position, hop) in info.hops.iter().enumerate() {
            let (from_zone, to_zone) = (node_info(db, hop.from.node).zone, node_info(db, hop.to.node).zone);
            let (from, to) = (from_zone.map(|z| zone_info(db, z)), to_zone.map(|z| zone_info(db, z)));
            let protocol = hop.protocol.map(|p| protocol_info(db, p));
            out.push(HopFacts {
                hop: hop.clone(),
                from_zone,
                to_zone,
                from_zone_name: from.map(|z| z.name.clone()),
                to_zone_name: to.map(|z| z.name.clone()),
                from_trust: from.map(|z| z.trust),
                to_trust: to.map(|z| z.trust),
                from_node_name: hop.from.node.name(db).clone(),
                to_node_name: hop.to.node.name(db).clone(),
                protocol_name: protocol.map(|p| p.name.clone()),
                protocol_title: protocol.map(|p| p.title.clone()),
                protocol_location: hop.protocol.map(|p| p.name_location(db)),
                location: location.clone(),
                end_to_end: end_to_end.clone(),
                position,
            });
        }
    }
    out
}

/// The route numbers the flows of one file give (`route N`), each with the flow and the span of
/// `route N` in it, in source order. Kept per file so that the spec-wide check of repeated
/// numbers re-runs only when some file's numbers change.
#[salsa::tracked(returns(ref))]
pub fn file_routes(db: &dyn Db, file: SourceFile) -> Vec<RouteNumberAt<'_>> {
    let mut out = Vec::new();
    for &item in file_items(db, file) {
        let Some(decl) = item.flow_decl(db) else { continue };
        if let Some(route) = &decl.route
            && let Some(number) = route.number
        {
            out.push(RouteNumberAt { number, flow: item, span: route.span });
        }
    }
    out
}

/// A flow's `route N`: the number, the flow, and the span of `route N` in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct RouteNumberAt<'db> {
    pub number: u64,
    pub flow: Item<'db>,
    pub span: Span,
}

impl<'db> HopEnds<'db> {
    /// Where a hop runs: its ends' nodes and the zones they sit in.
    pub fn of(db: &'db dyn Db, hop: &Hop<'db>) -> HopEnds<'db> {
        let zone = |node: Item<'db>| node_info(db, node).zone;
        HopEnds {
            from_node: hop.from.node,
            to_node: hop.to.node,
            from_zone: zone(hop.from.node),
            to_zone: zone(hop.to.node),
        }
    }
}

/// A flow through proxies from its origin to its final destination, as end-to-end rules see it;
/// `None` for a direct flow (each of its hops is the flow) or one without hops.
pub fn end_to_end<'db>(db: &'db dyn Db, info: &FlowInfo<'db>) -> Option<EndToEnd<'db>> {
    if info.via.is_empty() {
        return None;
    }
    let (first, last) = (info.hops.first()?, info.hops.last()?);
    let hop = Hop { from: first.from, to: last.to, ..last.clone() };
    Some(EndToEnd { ends: HopEnds::of(db, &hop), hop })
}

/// What the proxied-path check needs of each of one file's flows that go `via` proxies (not
/// `local`, not marked `intended`, with hops).
#[salsa::tracked(returns(ref))]
pub fn file_proxied<'db>(db: &'db dyn Db, file: SourceFile) -> Vec<ProxiedFacts<'db>> {
    let mut out = Vec::new();
    for &flow in &file_usage(db, file).flows {
        let info = flow_info(db, flow);
        let Some(decl) = flow.flow_decl(db) else { continue };
        if info.local || info.intended || info.via.is_empty() {
            continue;
        }
        let Some(end_to_end) = end_to_end(db, info) else { continue };
        let via_end = decl.via.last().map_or(decl.to.span.end, |p| p.span.end);
        let hops = info.hops.iter().map(|hop| (hop.clone(), HopEnds::of(db, hop))).collect();
        out.push(ProxiedFacts {
            hops,
            flow_text: decl.ends_text(),
            proxies: info.via.iter().map(|e| e.node.name(db).clone()).collect(),
            to_node_name: end_to_end.hop.to.node.name(db).clone(),
            from_zone_name: end_to_end.ends.from_zone.map(|z| zone_info(db, z).name.clone()),
            location: flow.at(db, decl.from.span.cover(decl.to.span)),
            intended_at: flow.at(db, Span::new(via_end, via_end)),
            end_to_end,
        });
    }
    out
}
