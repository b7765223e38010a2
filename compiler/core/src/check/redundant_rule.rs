//! P306 (warning): a rule of the user's policy that another rule of the same action makes
//! redundant: the other matches every hop this one matches, so removing this one changes no
//! decision (only, where both match, which rule is cited).
//!
//! Of two rules that match the same hops, the later written is reported. An `allow cleartext`
//! is redundant only beside another `allow cleartext`; an `allow` a `deny` shadows is left to
//! P305. Coverage is decided as for P305, between rules of the same buckets of the index.

use super::describe;
use crate::check::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::SpecPolicy;
use crate::policy::{PolicyIndex, covers};
use crate::resolved::RuleInfo;

/// The first written rule of the same action, other than the `i`th, that matches every hop
/// `rule` matches (and, when both match the same hops, is written before it).
fn covering<'db>(
    db: &'db dyn Db,
    policy: &SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    i: u32,
    rule: &RuleInfo<'db>,
) -> Option<u32> {
    if !rule.valid {
        return None;
    }
    let zone_of = super::shadowed_rule::zone_of(db);
    let mut first: Option<u32> = None;
    index.covering(rule, &zone_of, |j| {
        if j != i
            && first.is_none_or(|f| j < f)
            && let Some(cover) = policy.rules.get(j as usize)
            && cover.action == rule.action
            && (cover.cleartext || !rule.cleartext)
            && covers(cover, rule, &zone_of)
            && (j < i || !(covers(rule, cover, &zone_of) && (rule.cleartext || !cover.cleartext)))
        {
            first = Some(j);
        }
    });
    first
}

/// `shadowed`: for each rule, the `deny` that shadows it ([`super::shadowed_rule::shadowed`]);
/// a shadowed allow is left to P305.
pub fn check(
    db: &dyn Db,
    policy: &SpecPolicy<'_>,
    index: &PolicyIndex<'_>,
    shadowed: &[Option<u32>],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ((i, rule), shadow) in policy.rules.iter().enumerate().zip(shadowed) {
        let Ok(i) = u32::try_from(i) else { break };
        if !rule.policy.is_user(db) || shadow.is_some() {
            continue;
        }
        let Some(cover) = covering(db, policy, index, i, rule).and_then(|j| policy.rules.get(j as usize)) else {
            continue;
        };
        let action = rule.action.keyword();
        let label = describe::label_suffix(&rule.label);
        let cover_label = describe::label_suffix(&cover.label);
        out.push(
            Diagnostic::new(
                Code::RedundantRule,
                format!("this `{action}` rule{label} is redundant: another `{action}` rule{cover_label} matches every hop it matches"),
            )
            .primary(rule.policy.at(db, rule.text_span), "removing this rule changes no decision")
            .secondary(cover.policy.at(db, cover.text_span), "this rule matches every hop the redundant one matches")
            .help("remove the redundant rule, or narrow the other one if the two were meant to differ")
            .fix("remove the redundant rule", vec![edit::remove(db, rule.policy, rule.span)]),
        );
    }
    out
}
