//! P301: a flow the zone policy denies, pointing at the flow and at the rule (or the default).
//!
//! A hop is denied when a `deny` rule matches it; otherwise it is allowed when an `allow` rule
//! matches it; otherwise the policy's `default` decides (no `default`: allowed). Rules match by
//! zones or nodes at each end and by protocol or port; the order of rules does not matter.

use portolan_syntax::ast::Action;

use super::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::SpecPolicy;
use crate::items::Item;
use crate::resolved::{Hop, HopFacts, RuleInfo, RuleScopeInfo, Selector, ServiceMatch};

/// What the policy says about one hop.
pub enum Decision<'a, 'db> {
    Allowed(Option<&'a RuleInfo<'db>>),
    Denied(&'a RuleInfo<'db>),
    DeniedByDefault,
}

/// The policy's decision on a hop between nodes in these zones.
pub fn decide<'a, 'db>(
    policy: &'a SpecPolicy<'db>,
    hop: &Hop<'db>,
    from_zone: Option<Item<'db>>,
    to_zone: Option<Item<'db>>,
) -> Decision<'a, 'db> {
    let matching = |action: Action| {
        policy.rules.iter().find(|rule| rule.action == action && matches(rule, hop, from_zone, to_zone))
    };
    if let Some(rule) = matching(Action::Deny) {
        return Decision::Denied(rule);
    }
    if let Some(rule) = matching(Action::Allow) {
        return Decision::Allowed(Some(rule));
    }
    match policy.default_action() {
        Some(Action::Deny) => Decision::DeniedByDefault,
        _ => Decision::Allowed(None),
    }
}

/// The `allow cleartext` rule that matches a hop, if any: its cleartext is accepted on purpose.
pub fn cleartext_accepted<'a, 'db>(policy: &'a SpecPolicy<'db>, facts: &HopFacts<'db>) -> Option<&'a RuleInfo<'db>> {
    policy.rules.iter().find(|rule| rule.cleartext && matches(rule, &facts.hop, facts.from_zone, facts.to_zone))
}

fn selects(selector: &Selector<'_>, zone: Option<Item<'_>>, node: Item<'_>) -> bool {
    selector.any || selector.targets.iter().any(|&t| Some(t) == zone || t == node)
}

fn matches<'db>(
    rule: &RuleInfo<'db>,
    hop: &Hop<'db>,
    from_zone: Option<Item<'db>>,
    to_zone: Option<Item<'db>>,
) -> bool {
    if !rule.valid {
        return false;
    }
    let scope = match &rule.scope {
        RuleScopeInfo::Between { from, to } => {
            selects(from, from_zone, hop.from.node) && selects(to, to_zone, hop.to.node)
        }
        RuleScopeInfo::Within(zones) => {
            from_zone.is_some()
                && from_zone == to_zone
                && (zones.any || zones.targets.iter().any(|&t| Some(t) == from_zone))
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

fn zone_phrase(name: &Option<portolan_syntax::Name>) -> String {
    name.as_ref().map_or_else(|| "no zone".into(), |z| format!("zone `{z}`"))
}

/// The diagnostic for one hop the policy denies, if it does.
pub fn check_hop<'db>(db: &'db dyn Db, policy: &SpecPolicy<'db>, facts: &HopFacts<'db>) -> Option<Diagnostic> {
    let hop = &facts.hop;
    let protocol = facts.protocol_title.clone().unwrap_or_else(|| "traffic".into());
    let what = format!(
        "{protocol} ({}) from `{}` in {} to `{}` in {}",
        hop.ports.describe(),
        facts.from_node_name,
        zone_phrase(&facts.from_zone_name),
        facts.to_node_name,
        zone_phrase(&facts.to_zone_name)
    );
    match decide(policy, hop, facts.from_zone, facts.to_zone) {
        Decision::Allowed(_) => None,
        Decision::Denied(rule) => {
            let label = rule.label.as_ref().map_or_else(String::new, |l| format!(" ({l})"));
            Some(
                Diagnostic::new(Code::PolicyViolation, format!("the policy denies {what}"))
                    .primary(facts.location.clone(), "this flow")
                    .secondary(rule.policy.at(db, rule.span), format!("denied by this rule{label}"))
                    .help("remove the flow, or narrow the `deny` rule if this traffic is intended"),
            )
        }
        Decision::DeniedByDefault => {
            let default = policy.defaults.first()?;
            let from_name = facts.from_zone_name.clone().unwrap_or_else(|| facts.from_node_name.clone());
            let to_name = facts.to_zone_name.clone().unwrap_or_else(|| facts.to_node_name.clone());
            let rule = match &facts.protocol_name {
                Some(p) if from_name == to_name => format!("allow within {from_name} on {p}"),
                Some(p) => format!("allow {from_name} -> {to_name} on {p}"),
                None => format!("allow {from_name} -> {to_name}"),
            };
            let diagnostic = Diagnostic::new(
                Code::PolicyViolation,
                format!("no policy rule allows {what}, and the default is deny"),
            )
            .primary(facts.location.clone(), "not allowed by any rule")
            .secondary(default.policy.at(db, default.span), "the default that denies it")
            .help(format!("add `{rule}` to the policy"));
            // The rule goes where its names mean the hop's zones (or nodes) and protocol.
            let mut names: Vec<(&str, Item<'db>)> = vec![
                (from_name.as_str(), facts.from_zone.unwrap_or(hop.from.node)),
                (to_name.as_str(), facts.to_zone.unwrap_or(hop.to.node)),
            ];
            if let (Some(name), Some(protocol)) = (facts.protocol_name.as_deref(), hop.protocol) {
                names.push((name, protocol));
            }
            let edit = edit::policy_statement(db, Some(default.policy), facts.location.file, &rule, &names);
            Some(match edit {
                Some(edit) => diagnostic.fix(format!("add `{rule}` to the policy"), vec![edit]),
                None => diagnostic,
            })
        }
    }
}
