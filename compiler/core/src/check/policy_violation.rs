//! P301: a flow the zone policy denies, pointing at the flow and at the rule (or the default).
//! What the policy decides is `crate::policy`'s; this check says it: once per denied hop, or,
//! when an end-to-end rule denies the flow through proxies, once for the flow.

use super::describe;
use super::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::SpecPolicy;
use crate::items::Item;
use crate::policy::Decision;
use crate::resolve::{protocol_info, zone_info};
use crate::resolved::HopFacts;

fn zone_phrase(name: &Option<portolan_syntax::Name>) -> String {
    name.as_ref().map_or_else(|| "no zone".into(), |z| format!("zone `{z}`"))
}

/// The diagnostic for one hop the policy denies, if it does.
pub fn check_hop<'db>(
    db: &'db dyn Db,
    policy: &SpecPolicy<'db>,
    facts: &HopFacts<'db>,
    decision: Decision<'_, 'db>,
) -> Option<Diagnostic> {
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
    match decision {
        Decision::Allowed(_) => None,
        Decision::Denied(rule) if rule.end_to_end && facts.end_to_end.is_some() => {
            // Every hop of the flow is denied by it: say so once, of the flow.
            let flow = facts.end_to_end.as_ref().filter(|_| facts.position == 0)?;
            let label = describe::label_suffix(&rule.label);
            let zone = |z: Option<crate::items::Item<'db>>| z.map(|z| zone_info(db, z).name.clone());
            let protocol =
                flow.hop.protocol.map_or_else(|| "traffic".to_string(), |p| protocol_info(db, p).title.clone());
            let what = format!(
                "{protocol} ({}) from `{}` in {} to `{}` in {}, through its proxies",
                flow.hop.ports.describe(),
                facts.from_node_name,
                zone_phrase(&zone(flow.ends.from_zone)),
                flow.hop.to.node.name(db),
                zone_phrase(&zone(flow.ends.to_zone))
            );
            Some(
                Diagnostic::new(Code::PolicyViolation, format!("the policy denies {what}"))
                    .primary(facts.location.clone(), "this flow")
                    .secondary(rule.policy.at(db, rule.span), format!("denied end to end by this rule{label}"))
                    .help("remove the flow, or narrow the `deny flows` rule if this traffic is intended"),
            )
        }
        Decision::Denied(rule) => {
            let label = describe::label_suffix(&rule.label);
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
