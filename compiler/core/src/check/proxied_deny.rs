//! P304 (warning): a flow that reaches, through its proxies, a destination and port that a hop
//! `deny` rule denies from the flow's origin zone, while no hop of the flow matches that rule.
//!
//! A hop rule matches hops, so `deny internet -> ssms on tcp/8443` does not stop a flow from the
//! internet to `ssms` via a proxy inside: each of its hops is allowed. The two ways out are
//! offered as fixes: make the rule end-to-end (`deny flows ...`, which then denies the flow), or
//! mark the proxied path `intended`. An end-to-end `allow` that matches the flow says the path is
//! meant, as `intended` does. Only proxied flows are examined, each once, through the rule index.

use super::describe;
use portolan_syntax::ast::Action;

use portolan_syntax::Span;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::facts::SpecPolicy;
use crate::policy::{PolicyHop, PolicyIndex, matches, matches_hop};
use crate::resolved::ProxiedFacts;

/// The diagnostic for one proxied flow, if a hop rule denies its origin and final destination
/// but none of its hops.
pub fn check_flow<'db>(
    db: &'db dyn Db,
    policy: &SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    facts: &ProxiedFacts<'db>,
) -> Option<Diagnostic> {
    let (hop, ends) = (&facts.end_to_end.hop, facts.end_to_end.ends);
    let mut first: Option<u32> = None;
    index.hop_candidates(hop.protocol, ends, |i| {
        if first.is_none_or(|f| i < f)
            && let Some(rule) = policy.rules.get(i as usize)
            && rule.action == Action::Deny
            && matches(rule, hop, ends)
            && !facts.hops.iter().any(|(h, e)| matches(rule, h, *e))
        {
            first = Some(i);
        }
    });
    let rule = policy.rules.get(first? as usize)?;
    // An end-to-end `allow` that matches the flow says the path is meant, as `intended` does.
    let whole = PolicyHop::new(hop, ends, None);
    let mut allowed = false;
    index.candidates(whole, |i| {
        allowed |= policy
            .rules
            .get(i as usize)
            .is_some_and(|r| r.end_to_end && r.action == Action::Allow && matches_hop(r, whole));
    });
    if allowed {
        return None;
    }
    let label = describe::label_suffix(&rule.label);
    let proxies = facts.proxies.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
    let via = facts.proxies.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
    let origin = facts.from_zone_name.as_ref().map_or_else(|| "its origin".into(), |z| format!("zone `{z}`"));
    let diagnostic = Diagnostic::new(
        Code::ProxiedDeny,
        format!(
            "flow `{}` reaches `{}` ({}) from {origin} through {proxies}, which a `deny` rule forbids from there",
            facts.flow_text,
            facts.to_node_name,
            hop.ports.describe()
        ),
    )
    .primary(facts.location.clone(), format!("every hop is allowed: it goes via {proxies}"))
    .secondary(rule.policy.at(db, rule.span), format!("this rule{label} denies it only on a direct hop"))
    .help(format!(
        "if the destination must never be reached from there, make the rule end-to-end (`{} flows ...`), which denies the flow whatever proxies it goes through; if the path through {proxies} is intended, say so: `via {via} intended`",
        if rule.cleartext { "allow cleartext" } else { rule.action.keyword() }
    ));
    let end = rule.action_span.end;
    let end_to_end = Edit { location: rule.policy.at(db, Span::new(end, end)), text: " flows".into() };
    let diagnostic = diagnostic.fix("make the rule end-to-end", vec![end_to_end]);
    Some(diagnostic.fix(
        format!("mark the path via {via} intended"),
        vec![Edit { location: facts.intended_at.clone(), text: " intended".into() }],
    ))
}
