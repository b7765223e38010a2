//! What the policy decides for a hop, and which rule (or default) decided it: the rules of every
//! `policy` block indexed by what they can match (`policy/index.rs`), so that deciding a hop
//! costs the rules that name its zones, nodes or protocol, not the whole policy.
//!
//! A hop rule (`deny internet -> ssms`) matches a hop by the hop's two ends; an end-to-end rule
//! (`deny flows internet -> ssms`) matches every hop of a flow by the flow's origin and final
//! destination, with the last hop's protocol and ports, whatever proxies it goes through. A hop
//! is denied when a `deny` rule of either kind matches it; otherwise it is allowed when an
//! `allow` rule matches it; otherwise the policy's `default` decides (no `default`: allowed).
//! When several rules of the deciding action match, the first written decides (spec order of the
//! files, then order in the file), so the same spec always names the same rule.

pub mod cite;
pub mod index;

use portolan_syntax::ast::Action;

pub use index::{PolicyIndex, policy_index};

use crate::facts::SpecPolicy;
use crate::items::Item;
use crate::resolved::{Hop, RuleInfo, RuleScopeInfo, Selector, ServiceMatch};

pub use crate::resolved::PolicyHop;

/// What the policy says about one hop, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision<'a, 'db> {
    /// Allowed by this rule, or (`None`) by the default or the absence of one.
    Allowed(Option<&'a RuleInfo<'db>>),
    Denied(&'a RuleInfo<'db>),
    DeniedByDefault,
}

impl<'a, 'db> Decision<'a, 'db> {
    pub fn rule(self) -> Option<&'a RuleInfo<'db>> {
        match self {
            Decision::Allowed(rule) => rule,
            Decision::Denied(rule) => Some(rule),
            Decision::DeniedByDefault => None,
        }
    }

    pub fn allowed(self) -> bool {
        matches!(self, Decision::Allowed(_))
    }
}

pub use crate::resolved::HopEnds;

/// The policy's decision on a hop.
pub fn decide<'a, 'db>(
    policy: &'a SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    hop: PolicyHop<'_, 'db>,
) -> Decision<'a, 'db> {
    decide_matching(policy, index, hop, &mut Vec::new())
}

/// The policy's decision on a hop, leaving in `matched` the index of every rule that matches it,
/// sorted, each once.
pub fn decide_matching<'a, 'db>(
    policy: &'a SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    hop: PolicyHop<'_, 'db>,
    matched: &mut Vec<u32>,
) -> Decision<'a, 'db> {
    matched.clear();
    matching(policy, index, hop, |i| matched.push(i));
    matched.sort_unstable();
    matched.dedup();
    let first = |action: Action| {
        matched.iter().filter_map(|&i| policy.rules.get(i as usize)).find(|rule| rule.action == action)
    };
    if let Some(rule) = first(Action::Deny) {
        return Decision::Denied(rule);
    }
    if let Some(rule) = first(Action::Allow) {
        return Decision::Allowed(Some(rule));
    }
    match policy.default_action() {
        Some(Action::Deny) => Decision::DeniedByDefault,
        _ => Decision::Allowed(None),
    }
}

/// Calls `found` with the index of every rule that matches the hop (some more than once).
pub fn matching<'db>(
    policy: &SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    hop: PolicyHop<'_, 'db>,
    mut found: impl FnMut(u32),
) {
    index.candidates(hop, |i| {
        if policy.rules.get(i as usize).is_some_and(|rule| matches_hop(rule, hop)) {
            found(i);
        }
    });
}

/// The first `allow cleartext` rule that matches a hop, if any: its cleartext is accepted on
/// purpose.
pub fn cleartext_accepted<'a, 'db>(
    policy: &'a SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    hop: PolicyHop<'_, 'db>,
) -> Option<&'a RuleInfo<'db>> {
    let mut first: Option<u32> = None;
    index.candidates(hop, |i| {
        if first.is_none_or(|f| i < f)
            && let Some(rule) = policy.rules.get(i as usize)
            && rule.cleartext
            && matches_hop(rule, hop)
        {
            first = Some(i);
        }
    });
    first.and_then(|i| policy.rules.get(i as usize))
}

/// True when the rule matches the hop: a hop rule by the hop, an end-to-end rule by its flow.
pub fn matches_hop<'db>(rule: &RuleInfo<'db>, hop: PolicyHop<'_, 'db>) -> bool {
    let (seen, ends) = hop.seen_by(rule.end_to_end);
    matches(rule, seen, ends)
}

fn selects(selector: &Selector<'_>, zone: Option<Item<'_>>, node: Item<'_>) -> bool {
    selector.any || selector.targets.iter().any(|&t| Some(t) == zone || t == node)
}

/// True when the rule's scope takes in these ends and one of its services (or it has none) the
/// hop's protocol or ports, whatever kind the rule is: [`matches_hop`] chooses what it sees.
pub fn matches<'db>(rule: &RuleInfo<'db>, hop: &Hop<'db>, ends: HopEnds<'db>) -> bool {
    if !rule.valid {
        return false;
    }
    let scope = match &rule.scope {
        RuleScopeInfo::Between { from, to } => {
            selects(from, ends.from_zone, ends.from_node) && selects(to, ends.to_zone, ends.to_node)
        }
        RuleScopeInfo::Within(zones) => {
            ends.from_zone.is_some()
                && ends.from_zone == ends.to_zone
                && (zones.any || zones.targets.iter().any(|&t| Some(t) == ends.from_zone))
        }
    };
    scope
        && (rule.services.is_empty()
            || rule.services.iter().any(|service| match service {
                ServiceMatch::Protocol(p) => hop.protocol == Some(*p),
                ServiceMatch::Ports(ports) => match rule.action {
                    Action::Allow => ports.is_superset(&hop.ports),
                    Action::Deny => ports.intersects(&hop.ports),
                },
            }))
}

/// True when `cover` matches every hop `rule` matches, whatever the spec's hops: each side of
/// `rule` is `any` only where `cover`'s is, and otherwise names only zones and nodes that
/// `cover`'s takes in — the same zone or node, or the zone a node sits in (`zone_of`) — (`within
/// Z` is covered by `within` or by `Z -> Z`); and each service of `rule` is one of `cover`'s (the
/// same protocol, or ports within `cover`'s ports), or `cover` names no services. Both rules
/// must be valid and of one kind: a hop rule and an end-to-end rule see different things.
pub fn covers<'db>(
    cover: &RuleInfo<'db>,
    rule: &RuleInfo<'db>,
    zone_of: &impl Fn(Item<'db>) -> Option<Item<'db>>,
) -> bool {
    let side = |cover: &Selector<'db>, rule: &Selector<'db>| {
        cover.any
            || (!rule.any
                && rule.targets.iter().all(|t| {
                    cover.targets.contains(t) || zone_of(*t).is_some_and(|zone| cover.targets.contains(&zone))
                }))
    };
    let scope = match (&cover.scope, &rule.scope) {
        (RuleScopeInfo::Between { from: cf, to: ct }, RuleScopeInfo::Between { from, to }) => {
            side(cf, from) && side(ct, to)
        }
        (RuleScopeInfo::Within(cz), RuleScopeInfo::Within(zones)) => side(cz, zones),
        (RuleScopeInfo::Between { from: cf, to: ct }, RuleScopeInfo::Within(zones)) => {
            side(cf, zones) && side(ct, zones)
        }
        (RuleScopeInfo::Within(_), RuleScopeInfo::Between { .. }) => false,
    };
    let service = |c: &ServiceMatch<'_>, r: &ServiceMatch<'_>| match (c, r) {
        (ServiceMatch::Protocol(a), ServiceMatch::Protocol(b)) => a == b,
        (ServiceMatch::Ports(a), ServiceMatch::Ports(b)) => a.is_superset(b),
        _ => false,
    };
    cover.valid
        && rule.valid
        && cover.end_to_end == rule.end_to_end
        && scope
        && (cover.services.is_empty()
            || (!rule.services.is_empty()
                && rule.services.iter().all(|r| cover.services.iter().any(|c| service(c, r)))))
}
