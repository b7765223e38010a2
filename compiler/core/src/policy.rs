//! What the policy decides for a hop, and which rule (or default) decided it: the rules of every
//! `policy` block indexed by what they can match (`policy/index.rs`), so that deciding a hop
//! costs the rules that name its zones, nodes or protocol, not the whole policy.
//!
//! A hop is denied when a `deny` rule matches it; otherwise it is allowed when an `allow` rule
//! matches it; otherwise the policy's `default` decides (no `default`: allowed). When several
//! rules of the deciding action match, the first written decides (spec order of the files, then
//! order in the file), so the same spec always names the same rule.

pub mod cite;
pub mod index;

use portolan_syntax::ast::Action;

pub use index::{PolicyIndex, policy_index};

use crate::facts::SpecPolicy;
use crate::items::Item;
use crate::resolved::{Hop, RuleInfo, RuleScopeInfo, Selector, ServiceMatch};

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

impl<'db> HopEnds<'db> {
    pub fn of(hop: &Hop<'db>, from_zone: Option<Item<'db>>, to_zone: Option<Item<'db>>) -> HopEnds<'db> {
        HopEnds { from_node: hop.from.node, to_node: hop.to.node, from_zone, to_zone }
    }
}

/// The policy's decision on a hop.
pub fn decide<'a, 'db>(
    policy: &'a SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    hop: &Hop<'db>,
    ends: HopEnds<'db>,
) -> Decision<'a, 'db> {
    decide_matching(policy, index, hop, ends, &mut Vec::new())
}

/// The policy's decision on a hop, leaving in `matched` the index of every rule that matches it,
/// sorted, each once.
pub fn decide_matching<'a, 'db>(
    policy: &'a SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    hop: &Hop<'db>,
    ends: HopEnds<'db>,
    matched: &mut Vec<u32>,
) -> Decision<'a, 'db> {
    matched.clear();
    matching(policy, index, hop, ends, |i| matched.push(i));
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
    hop: &Hop<'db>,
    ends: HopEnds<'db>,
    mut found: impl FnMut(u32),
) {
    index.candidates(hop.protocol, ends, |i| {
        if policy.rules.get(i as usize).is_some_and(|rule| matches(rule, hop, ends)) {
            found(i);
        }
    });
}

/// The first `allow cleartext` rule that matches a hop, if any: its cleartext is accepted on
/// purpose.
pub fn cleartext_accepted<'a, 'db>(
    policy: &'a SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    hop: &Hop<'db>,
    ends: HopEnds<'db>,
) -> Option<&'a RuleInfo<'db>> {
    let mut first: Option<u32> = None;
    index.candidates(hop.protocol, ends, |i| {
        if first.is_none_or(|f| i < f)
            && let Some(rule) = policy.rules.get(i as usize)
            && rule.cleartext
            && matches(rule, hop, ends)
        {
            first = Some(i);
        }
    });
    first.and_then(|i| policy.rules.get(i as usize))
}

fn selects(selector: &Selector<'_>, zone: Option<Item<'_>>, node: Item<'_>) -> bool {
    selector.any || selector.targets.iter().any(|&t| Some(t) == zone || t == node)
}

/// True when the rule matches the hop: its scope and one of its services (or it has none).
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
/// `rule` is `any` only where `cover`'s is, and otherwise names only zones and nodes `cover`'s
/// names too (`within Z` is covered by `within` or by `Z -> Z`); and each service of `rule` is
/// one of `cover`'s (the same protocol, or ports within `cover`'s ports), or `cover` names no
/// services. A zone does not cover the nodes written in it here: that takes resolving them.
/// Both rules must be valid.
pub fn covers(cover: &RuleInfo<'_>, rule: &RuleInfo<'_>) -> bool {
    fn side(cover: &Selector<'_>, rule: &Selector<'_>) -> bool {
        cover.any || (!rule.any && rule.targets.iter().all(|t| cover.targets.contains(t)))
    }
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
        && scope
        && (cover.services.is_empty()
            || (!rule.services.is_empty()
                && rule.services.iter().all(|r| cover.services.iter().any(|c| service(c, r)))))
}
