//! P304 (warning): a flow that reaches, through its proxies, a destination and port that a hop
//! `deny` rule denies from the flow's origin zone, while no hop of the flow matches that rule.
//!
//! A rule matches hops, so `deny internet -> ssms on tcp/8443` does not stop a flow from the
//! internet to `ssms` via a proxy inside: each of its hops is allowed. Only proxied flows are
//! examined, each once, through the rule index.

use super::describe;
use portolan_syntax::ast::Action;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::SpecPolicy;
use crate::policy::{PolicyIndex, matches};
use crate::resolved::{HopEnds, ProxiedFacts};

/// The diagnostic for one proxied flow, if a hop rule denies its origin and final destination
/// but none of its hops.
pub fn check_flow<'db>(
    db: &'db dyn Db,
    policy: &SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    facts: &ProxiedFacts<'db>,
) -> Option<Diagnostic> {
    let hop = &facts.end_to_end;
    let ends =
        HopEnds { from_node: hop.from.node, to_node: hop.to.node, from_zone: facts.from_zone, to_zone: facts.to_zone };
    let mut first: Option<u32> = None;
    index.candidates(hop.protocol, ends, |i| {
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
    let label = describe::label_suffix(&rule.label);
    let proxies = facts.proxies.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
    let via = facts.proxies.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
    let origin = facts.from_zone_name.as_ref().map_or_else(|| "its origin".into(), |z| format!("zone `{z}`"));
    Some(
        Diagnostic::new(
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
            "if the destination must never be reached from there, remove the flow; if the path through {proxies} is intended, say so: `via {via} intended`"
        )),
    )
}
