//! P302: a cleartext protocol crossing into or out of an untrusted zone, or across a trust level
//! that the policy's `require encrypted across LEVEL` covers.
//!
//! A hop between two different zones is covered when the less trusted of the two is `untrusted`
//! (always) or at most the level a `require encrypted across` statement names; a hop that an
//! `allow cleartext` rule matches is accepted on purpose.

use super::policy_violation::cleartext_accepted;
use crate::analysis::SpecPolicy;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::model::{HopFacts, Trust};

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
pub fn check_hop<'db>(db: &'db dyn Db, policy: &SpecPolicy<'db>, facts: &HopFacts<'db>) -> Option<Diagnostic> {
    if facts.hop.encrypted || facts.from_zone.is_none() || facts.from_zone == facts.to_zone {
        return None;
    }
    let (from_trust, to_trust) = (facts.from_trust?, facts.to_trust?);
    let least = from_trust.min(to_trust);
    let requirement = policy.requires.iter().filter(|r| least <= r.level).max_by_key(|r| r.level);
    if least != Trust::Untrusted && requirement.is_none() {
        return None;
    }
    if cleartext_accepted(policy, facts).is_some() {
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
        let label = rule.label.as_ref().map_or_else(String::new, |l| format!(" ({l})"));
        diagnostic =
            diagnostic.secondary(rule.policy.at(db, rule.span), format!("encryption required by this rule{label}"));
    }
    let help = match facts.protocol_name.as_deref().and_then(encrypted_counterpart) {
        Some(better) => format!("use `{better}` instead: an encrypted protocol may cross trust boundaries"),
        None => "use an encrypted protocol for this flow, keep it inside one zone, or accept it with a reason in the policy: `allow cleartext A -> B on <protocol> \"why\"`".to_string(),
    };
    Some(diagnostic.help(help))
}
