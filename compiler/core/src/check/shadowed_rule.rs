//! P305 (warning): an `allow` rule of the user's policy that a `deny` rule makes ineffective: the
//! deny matches every hop the allow could match, and a deny wins whatever the order.
//!
//! Coverage is decided on the rules alone (`policy::covers`; a zone covers the nodes in it), not
//! on the spec's hops, and only
//! between rules that share a bucket of the policy's index, so the check costs the rules written
//! for the same sides and protocol, not every pair of rules.

use super::describe;
use portolan_syntax::ast::Action;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::SpecPolicy;
use crate::items::{Item, ItemKind};
use crate::policy::{PolicyIndex, covers};
use crate::resolve::node_info;
use crate::resolved::RuleInfo;

/// The zone of a node a rule names; `None` for a zone, or a node in no zone.
pub fn zone_of<'db>(db: &'db dyn Db) -> impl Fn(Item<'db>) -> Option<Item<'db>> {
    move |item| if item.kind(db) == ItemKind::Node { node_info(db, item).zone } else { None }
}

/// The first written `deny` rule that matches every hop `rule` (an `allow`) matches, if any.
pub fn shadowing<'db>(
    db: &'db dyn Db,
    policy: &SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    rule: &RuleInfo<'db>,
) -> Option<u32> {
    if rule.action != Action::Allow || !rule.valid {
        return None;
    }
    let zone_of = zone_of(db);
    let mut first: Option<u32> = None;
    index.covering(rule, &zone_of, |i| {
        if first.is_none_or(|f| i < f)
            && let Some(deny) = policy.rules.get(i as usize)
            && deny.action == Action::Deny
            && covers(deny, rule, &zone_of)
        {
            first = Some(i);
        }
    });
    first
}

/// For each rule of the policy, the first written `deny` that shadows it (see [`shadowing`]):
/// computed once for the P305 and P306 checks, which both need it.
pub fn shadowed<'db>(db: &'db dyn Db, policy: &SpecPolicy<'db>, index: &PolicyIndex<'db>) -> Vec<Option<u32>> {
    policy.rules.iter().map(|rule| shadowing(db, policy, index, rule)).collect()
}

pub fn check(db: &dyn Db, policy: &SpecPolicy<'_>, shadowed: &[Option<u32>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (rule, deny) in policy.rules.iter().zip(shadowed) {
        if !rule.policy.is_user(db) {
            continue;
        }
        let Some(deny) = deny.and_then(|i| policy.rules.get(i as usize)) else {
            continue;
        };
        let label = describe::label_suffix(&rule.label);
        out.push(
            Diagnostic::new(
                Code::ShadowedRule,
                format!("this `allow` rule{label} is shadowed: a `deny` rule matches every hop it matches"),
            )
            .primary(rule.policy.at(db, rule.text_span), "no hop this rule matches is allowed")
            .secondary(deny.policy.at(db, deny.text_span), "this `deny` wins, wherever it is written")
            .help(
                "remove the `allow` if the `deny` is meant, or narrow the `deny` (its zones, nodes or services) so that it leaves out what the `allow` is for",
            ),
        );
    }
    out
}
