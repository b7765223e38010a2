//! P302: a cleartext protocol crossing into or out of an untrusted zone, or across a trust level
//! that the policy's `require encrypted across LEVEL` covers.
//!
//! A hop between two different zones is covered when the less trusted of the two is `untrusted`
//! (always) or at most the level a `require encrypted across` statement names; a hop that an
//! `allow cleartext` rule matches is accepted on purpose.

use super::describe;
use super::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::SpecPolicy;
use crate::items::Item;
use crate::policy::{PolicyIndex, cleartext_accepted};
use crate::resolved::{HopFacts, Trust};

/// The encrypted protocol users usually mean instead of a cleartext one.
fn encrypted_counterpart(name: &str) -> Option<&'static str> {
    Some(match name {
        "ldap" => "ldaps",
        "http" => "https",
        "ws" => "wss",
        "ftp" => "sftp",
        _ => return None,
    })
}

/// The diagnostic for one hop that carries cleartext where it must not, if it does.
pub fn check_hop<'db>(
    db: &'db dyn Db,
    policy: &SpecPolicy<'db>,
    index: &PolicyIndex<'db>,
    facts: &HopFacts<'db>,
) -> Option<Diagnostic> {
    if facts.hop.encrypted || facts.from_zone.is_none() || facts.from_zone == facts.to_zone {
        return None;
    }
    let (from_trust, to_trust) = (facts.from_trust?, facts.to_trust?);
    let least = from_trust.min(to_trust);
    let requirement = policy.requires.iter().filter(|r| least <= r.level).max_by_key(|r| r.level);
    if least != Trust::Untrusted && requirement.is_none() {
        return None;
    }
    if cleartext_accepted(policy, index, facts.policy_hop()).is_some() {
        return None;
    }
    let protocol = facts.protocol_title.clone().unwrap_or_else(|| "traffic".into());
    let mut diagnostic = Diagnostic::new(
        Code::CleartextAcrossTrust,
        format!(
            "cleartext {protocol} crosses from zone `{}` ({}) to zone `{}` ({})",
            facts.from_zone_name.as_deref().unwrap_or("?"),
            from_trust.as_str(),
            facts.to_zone_name.as_deref().unwrap_or("?"),
            to_trust.as_str()
        ),
    )
    .primary(facts.location.clone(), format!("{protocol} is not encrypted"));
    if let Some(location) = &facts.protocol_location {
        diagnostic = diagnostic.secondary(location.clone(), "declared without `encrypted` here");
    }
    if least != Trust::Untrusted
        && let Some(rule) = requirement
    {
        let label = describe::label_suffix(&rule.label);
        diagnostic =
            diagnostic.secondary(rule.policy.at(db, rule.span), format!("encryption required by this rule{label}"));
    }
    // The rule that accepts this cleartext, with the real zone and protocol names.
    let (from_name, to_name) =
        (facts.from_zone_name.as_deref().unwrap_or("?"), facts.to_zone_name.as_deref().unwrap_or("?"));
    let file = facts.location.file;
    let zones: Vec<(&str, Item<'db>)> = [(from_name, facts.from_zone), (to_name, facts.to_zone)]
        .into_iter()
        .filter_map(|(n, z)| Some((n, z?)))
        .collect();
    let by_protocol = match (facts.protocol_name.as_deref(), facts.hop.protocol) {
        (Some(name), Some(protocol)) => {
            let mut names = zones.clone();
            names.push((name, protocol));
            let rule = format!("allow cleartext {from_name} -> {to_name} on {name}");
            edit::policy_statement(db, None, file, &rule, &names).map(|e| (rule, e))
        }
        _ => None,
    };
    let accepted = by_protocol.or_else(|| {
        let ports: Vec<String> = facts.hop.ports.ranges().iter().map(|r| r.to_string()).collect();
        let rule = format!("allow cleartext {from_name} -> {to_name} on {}", ports.join(", "));
        edit::policy_statement(db, None, file, &rule, &zones).map(|e| (rule, e))
    });
    let rule = accepted.as_ref().map(|(rule, _)| rule.clone()).unwrap_or_else(|| {
        format!("allow cleartext {from_name} -> {to_name} on {}", facts.protocol_name.as_deref().unwrap_or("..."))
    });
    let help = match facts.protocol_name.as_deref().and_then(encrypted_counterpart) {
        Some(better) => format!("use `{better}` instead: an encrypted protocol may cross trust boundaries"),
        None => format!(
            "use an encrypted protocol for this flow, keep it inside one zone, or accept it in the policy, with a label that says why: `{rule}`"
        ),
    };
    let diagnostic = diagnostic.help(help);
    match accepted {
        Some((rule, edit)) => Some(diagnostic.fix(format!("accept it in the policy: `{rule}`"), vec![edit])),
        None => Some(diagnostic),
    }
}
