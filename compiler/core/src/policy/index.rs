//! The policy's rules by what they can match: hop rules and end-to-end rules apart, then by the
//! zone or node (or `any`) each side names, then by protocol. A hop looks up the few buckets its
//! ends and protocol select (and those its flow's origin, destination and protocol select), so
//! deciding it costs the rules written for those zones, nodes and protocol, whatever the
//! policy's size.

use rustc_hash::FxHashMap;

use super::{HopEnds, PolicyHop};
use crate::db::Db;
use crate::facts::spec_policy;
use crate::items::Item;
use crate::resolved::{RuleInfo, RuleScopeInfo, Selector, ServiceMatch};

/// One side of a rule: `any`, or a zone or node it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, salsa::SalsaValue)]
enum Side<'db> {
    Any,
    Named(Item<'db>),
}

/// Rules (indices into `SpecPolicy::rules`) whose scope selects one pair of sides: those that
/// name only protocols, by protocol; the others (ports, or no `on`) in `other`.
#[derive(Clone, Debug, Default, PartialEq, Eq, salsa::SalsaValue)]
struct Bucket<'db> {
    by_protocol: FxHashMap<Item<'db>, Vec<u32>>,
    other: Vec<u32>,
}

impl<'db> Bucket<'db> {
    fn add(&mut self, index: u32, rule: &RuleInfo<'db>) {
        let protocols: Option<Vec<Item<'db>>> = rule
            .services
            .iter()
            .map(|s| match s {
                ServiceMatch::Protocol(p) => Some(*p),
                ServiceMatch::Ports(_) => None,
            })
            .collect();
        match protocols {
            Some(protocols) if !protocols.is_empty() => {
                for protocol in protocols {
                    let rules = self.by_protocol.entry(protocol).or_default();
                    // `on https, https` names one protocol.
                    if rules.last() != Some(&index) {
                        rules.push(index);
                    }
                }
            }
            _ => self.other.push(index),
        }
    }

    fn visit(&self, protocol: Option<Item<'db>>, visit: &mut impl FnMut(u32)) {
        if let Some(rules) = protocol.and_then(|p| self.by_protocol.get(&p)) {
            rules.iter().copied().for_each(&mut *visit);
        }
        self.other.iter().copied().for_each(visit);
    }
}

/// Rules of one kind (hop or end-to-end) in buckets by the sides their scopes name.
#[derive(Clone, Debug, Default, PartialEq, Eq, salsa::SalsaValue)]
struct Scopes<'db> {
    between: FxHashMap<(Side<'db>, Side<'db>), Bucket<'db>>,
    within: FxHashMap<Side<'db>, Bucket<'db>>,
}

/// Every valid rule of the spec's policy: hop rules and end-to-end rules, each kind in buckets by
/// the sides its scope names.
#[derive(Clone, Debug, Default, PartialEq, Eq, salsa::SalsaValue)]
pub struct PolicyIndex<'db> {
    hops: Scopes<'db>,
    flows: Scopes<'db>,
}

fn sides<'db>(selector: &Selector<'db>) -> Vec<Side<'db>> {
    if selector.any { vec![Side::Any] } else { selector.targets.iter().map(|&t| Side::Named(t)).collect() }
}

impl<'db> Scopes<'db> {
    fn add(&mut self, i: u32, rule: &RuleInfo<'db>) {
        match &rule.scope {
            RuleScopeInfo::Between { from, to } => {
                let to = sides(to);
                for f in sides(from) {
                    for &t in &to {
                        self.between.entry((f, t)).or_default().add(i, rule);
                    }
                }
            }
            RuleScopeInfo::Within(zones) => {
                for side in sides(zones) {
                    self.within.entry(side).or_default().add(i, rule);
                }
            }
        }
    }

    fn candidates(&self, protocol: Option<Item<'db>>, ends: HopEnds<'db>, visit: &mut impl FnMut(u32)) {
        let named = |zone: Option<Item<'db>>, node: Item<'db>| {
            [Some(Side::Any), zone.map(Side::Named), Some(Side::Named(node))]
        };
        let to = named(ends.to_zone, ends.to_node);
        for f in named(ends.from_zone, ends.from_node).into_iter().flatten() {
            for &t in to.iter().flatten() {
                if let Some(bucket) = self.between.get(&(f, t)) {
                    bucket.visit(protocol, &mut *visit);
                }
            }
        }
        if let Some(zone) = ends.from_zone
            && ends.from_zone == ends.to_zone
        {
            for side in [Side::Any, Side::Named(zone)] {
                if let Some(bucket) = self.within.get(&side) {
                    bucket.visit(protocol, &mut *visit);
                }
            }
        }
    }

    fn covering(
        &self,
        rule: &RuleInfo<'db>,
        zone_of: &impl Fn(Item<'db>) -> Option<Item<'db>>,
        visit: &mut impl FnMut(u32),
    ) {
        let protocol = match rule.services.first() {
            Some(ServiceMatch::Protocol(p)) if rule.services.iter().all(|s| matches!(s, ServiceMatch::Protocol(_))) => {
                Some(*p)
            }
            _ => None,
        };
        let first = |selector: &Selector<'db>| sides(selector).first().copied();
        // The sides a covering rule can name for this one: `any`, the very zone or node, or the
        // node's zone.
        let with_any = |side: Side<'db>| match side {
            Side::Any => vec![Side::Any],
            Side::Named(item) => {
                let mut sides = vec![side, Side::Any];
                sides.extend(zone_of(item).map(Side::Named));
                sides
            }
        };
        match &rule.scope {
            RuleScopeInfo::Between { from, to } => {
                let (Some(f), Some(t)) = (first(from), first(to)) else { return };
                for f in with_any(f) {
                    for &t in &with_any(t) {
                        if let Some(bucket) = self.between.get(&(f, t)) {
                            bucket.visit(protocol, &mut *visit);
                        }
                    }
                }
            }
            RuleScopeInfo::Within(zones) => {
                let Some(z) = first(zones) else { return };
                for side in with_any(z) {
                    if let Some(bucket) = self.within.get(&side) {
                        bucket.visit(protocol, &mut *visit);
                    }
                    for &other in &with_any(z) {
                        if let Some(bucket) = self.between.get(&(side, other)) {
                            bucket.visit(protocol, &mut *visit);
                        }
                    }
                }
            }
        }
    }

    fn len(&self) -> usize {
        self.between.len() + self.within.len()
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'db> PolicyIndex<'db> {
    pub fn new(rules: &[RuleInfo<'db>]) -> PolicyIndex<'db> {
        let mut index = PolicyIndex::default();
        for (i, rule) in rules.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            // A rule with a name that did not resolve matches nothing.
            if !rule.valid {
                continue;
            }
            let scopes = if rule.end_to_end { &mut index.flows } else { &mut index.hops };
            scopes.add(i, rule);
        }
        index
    }

    /// Calls `visit` with every rule that may match the hop (some more than once): hop rules
    /// by the hop's ends and protocol, end-to-end rules by its flow's; the caller tests each.
    pub fn candidates(&self, hop: PolicyHop<'_, 'db>, mut visit: impl FnMut(u32)) {
        self.hops.candidates(hop.hop.protocol, hop.ends, &mut visit);
        if !self.flows.is_empty() {
            self.flows.candidates(hop.flow.protocol, hop.flow_ends, &mut visit);
        }
    }

    /// Calls `visit` with every hop rule (not end-to-end) that may match a hop between these
    /// ends with this protocol (some more than once).
    pub fn hop_candidates(&self, protocol: Option<Item<'db>>, ends: HopEnds<'db>, mut visit: impl FnMut(u32)) {
        self.hops.candidates(protocol, ends, &mut visit);
    }

    /// Calls `visit` with every rule of `rule`'s kind that may match everything `rule` matches
    /// (some more than once; `rule` itself among them); the caller tests each with
    /// `policy::covers`. Such a rule names `any`, the very zone or node, or the node's zone
    /// (`zone_of`) for each of `rule`'s sides, and either no services, ports, or (when `rule`
    /// names only protocols) its first protocol: so it sits in one of the few buckets of
    /// `rule`'s first pair of sides.
    pub fn covering(
        &self,
        rule: &RuleInfo<'db>,
        zone_of: &impl Fn(Item<'db>) -> Option<Item<'db>>,
        mut visit: impl FnMut(u32),
    ) {
        let scopes = if rule.end_to_end { &self.flows } else { &self.hops };
        scopes.covering(rule, zone_of, &mut visit);
    }

    /// How many buckets the index holds (for tests of its shape).
    pub fn buckets(&self) -> usize {
        self.hops.len() + self.flows.len()
    }
}

/// The index of the spec's policy: rebuilt when a rule changes, at a cost linear in the rules.
#[salsa::tracked(returns(ref))]
pub fn policy_index(db: &dyn Db) -> PolicyIndex<'_> {
    PolicyIndex::new(&spec_policy(db).rules)
}
