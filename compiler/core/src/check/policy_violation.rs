//! P301: a flow the zone policy denies, pointing at the flow and at the rule (or the default).
//!
//! A hop is denied when a `deny` rule matches it; otherwise it is allowed when an `allow` rule
//! matches it; otherwise the policy's `default` decides (no `default`: allowed). Rules match by
//! zones or nodes at each end and by protocol or port; the order of rules does not matter.

use portolan_syntax::ast::Action;

use crate::analysis::{SpecPolicy, spec_policy};
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::model::{Hop, RuleInfo, RuleScopeInfo, Selector, ServiceMatch};
use crate::resolve::{flow_info, node_info, protocol_info};

/// What the policy says about one hop.
pub enum Decision<'a, 'db> {
    Allowed(Option<&'a RuleInfo<'db>>),
    Denied(&'a RuleInfo<'db>),
    DeniedByDefault,
}

/// The zones at the two ends of a hop.
pub fn hop_zones<'db>(db: &'db dyn Db, hop: &Hop<'db>) -> (Option<Item<'db>>, Option<Item<'db>>) {
    (node_info(db, hop.from.node).zone, node_info(db, hop.to.node).zone)
}

pub fn decide<'a, 'db>(db: &'db dyn Db, policy: &'a SpecPolicy<'db>, hop: &Hop<'db>) -> Decision<'a, 'db> {
    let (from_zone, to_zone) = hop_zones(db, hop);
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

fn selects(selector: &Selector<'_>, zone: Option<Item<'_>>, node: Item<'_>) -> bool {
    selector.any || selector.targets.iter().any(|&t| Some(t) == zone || t == node)
}

/// True when an `allow cleartext` rule matches the hop: its cleartext is accepted on purpose.
pub fn cleartext_accepted<'a, 'db>(
    db: &'db dyn Db,
    policy: &'a SpecPolicy<'db>,
    hop: &Hop<'db>,
) -> Option<&'a RuleInfo<'db>> {
    let (from_zone, to_zone) = hop_zones(db, hop);
    policy.rules.iter().find(|rule| rule.cleartext && matches(rule, hop, from_zone, to_zone))
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
    if !scope {
        return false;
    }
    rule.services.is_empty()
        || rule.services.iter().any(|service| match service {
            ServiceMatch::Protocol(p) => hop.protocol == Some(*p),
            ServiceMatch::Ports(ports) => match rule.action {
                Action::Allow => ports.is_superset(&hop.ports),
                Action::Deny => ports.intersects(&hop.ports),
            },
        })
}

fn zone_name(db: &dyn Db, zone: Option<Item<'_>>) -> String {
    zone.map_or_else(|| "no zone".into(), |z| format!("zone `{}`", z.name(db)))
}

/// The policy diagnostics of one flow: one per hop the policy denies.
pub fn check<'db>(db: &'db dyn Db, flow: Item<'db>) -> Vec<Diagnostic> {
    let info = flow_info(db, flow);
    if info.local || info.hops.is_empty() {
        return Vec::new();
    }
    let Some(decl) = flow.flow_decl(db) else { return Vec::new() };
    let policy = spec_policy(db);
    let mut out = Vec::new();
    for hop in &info.hops {
        let (from_zone, to_zone) = hop_zones(db, hop);
        let protocol = hop.protocol.map_or_else(|| "traffic".into(), |p| protocol_info(db, p).title.clone());
        let what = format!(
            "{protocol} ({}) from `{}` in {} to `{}` in {}",
            hop.ports.describe(),
            hop.from.node.name(db),
            zone_name(db, from_zone),
            hop.to.node.name(db),
            zone_name(db, to_zone)
        );
        match decide(db, policy, hop) {
            Decision::Allowed(_) => {}
            Decision::Denied(rule) => {
                let label = rule.label.as_ref().map_or_else(String::new, |l| format!(" ({l})"));
                out.push(
                    Diagnostic::new(Code::PolicyViolation, format!("the policy denies {what}"))
                        .primary(flow.at(db, decl.from.span.cover(decl.to.span)), "this flow")
                        .secondary(rule.policy.at(db, rule.span), format!("denied by this rule{label}"))
                        .help("remove the flow, or narrow the `deny` rule if this traffic is intended"),
                );
            }
            Decision::DeniedByDefault => {
                let Some(default) = policy.defaults.first() else { continue };
                let protocol_name = hop.protocol.map(|p| p.name(db).to_string());
                let (from_name, to_name) = (
                    from_zone.map_or_else(|| hop.from.node.name(db).to_string(), |z| z.name(db).to_string()),
                    to_zone.map_or_else(|| hop.to.node.name(db).to_string(), |z| z.name(db).to_string()),
                );
                let rule = match &protocol_name {
                    Some(p) if from_name == to_name => format!("allow within {from_name} on {p}"),
                    Some(p) => format!("allow {from_name} -> {to_name} on {p}"),
                    None => format!("allow {from_name} -> {to_name}"),
                };
                let mut diagnostic = Diagnostic::new(
                    Code::PolicyViolation,
                    format!("no policy rule allows {what}, and the default is deny"),
                )
                .primary(flow.at(db, decl.from.span.cover(decl.to.span)), "not allowed by any rule")
                .secondary(default.policy.at(db, default.span), "the default that denies it")
                .help(format!("add `{rule}` to the policy"));
                if let Some(policy_decl) = default.policy.policy_decl(db) {
                    let close = policy_decl.span.end.saturating_sub(1);
                    let at = portolan_syntax::Span::new(close, close);
                    diagnostic = diagnostic.fix(
                        format!("add `{rule}` to the policy"),
                        vec![Edit { location: default.policy.at(db, at), text: format!("    {rule}\n") }],
                    );
                }
                out.push(diagnostic);
            }
        }
    }
    out
}
