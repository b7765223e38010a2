//! P302: a cleartext protocol crossing into or out of an untrusted zone, or across a trust level
//! that the policy's `require encrypted across LEVEL` covers.
//!
//! A hop between two different zones is covered when the less trusted of the two is `untrusted`
//! (always) or at most the level a `require encrypted across` statement names; a hop that an
//! `allow cleartext` rule matches is accepted on purpose.

use crate::analysis::spec_policy;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
use crate::model::Trust;
use crate::resolve::{flow_info, protocol_info, zone_info};

use super::policy_violation::{cleartext_accepted, hop_zones};

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

pub fn check<'db>(db: &'db dyn Db, flow: Item<'db>) -> Vec<Diagnostic> {
    let info = flow_info(db, flow);
    if info.local {
        return Vec::new();
    }
    let Some(decl) = flow.flow_decl(db) else { return Vec::new() };
    let policy = spec_policy(db);
    let mut out = Vec::new();
    for hop in &info.hops {
        if hop.encrypted {
            continue;
        }
        let (Some(from_zone), Some(to_zone)) = hop_zones(db, hop) else { continue };
        if from_zone == to_zone {
            continue;
        }
        let (from_trust, to_trust) = (zone_info(db, from_zone).trust, zone_info(db, to_zone).trust);
        let least = from_trust.min(to_trust);
        let requirement = policy.requires.iter().filter(|r| least <= r.level).max_by_key(|r| r.level);
        if least != Trust::Untrusted && requirement.is_none() {
            continue;
        }
        if cleartext_accepted(db, policy, hop).is_some() {
            continue;
        }
        let protocol_item = hop.protocol;
        let protocol = protocol_item.map_or_else(|| "traffic".into(), |p| protocol_info(db, p).title.clone());
        let mut diagnostic = Diagnostic::new(
            Code::CleartextAcrossTrust,
            format!(
                "cleartext {protocol} crosses from zone `{}` ({}) to zone `{}` ({})",
                from_zone.name(db),
                from_trust.as_str(),
                to_zone.name(db),
                to_trust.as_str()
            ),
        )
        .primary(flow.at(db, decl.from.span.cover(decl.to.span)), format!("{protocol} is not encrypted"));
        if let Some(protocol_item) = protocol_item {
            diagnostic = diagnostic.secondary(protocol_item.name_location(db), "declared without `encrypted` here");
        }
        if least != Trust::Untrusted
            && let Some(rule) = requirement
        {
            let label = rule.label.as_ref().map_or_else(String::new, |l| format!(" ({l})"));
            diagnostic =
                diagnostic.secondary(rule.policy.at(db, rule.span), format!("encryption required by this rule{label}"));
        }
        let help = match protocol_item.and_then(|p| encrypted_counterpart(p.name(db))) {
            Some(better) => format!("use `{better}` instead: an encrypted protocol may cross trust boundaries"),
            None => "use an encrypted protocol for this flow, keep it inside one zone, or accept it with a reason in the policy: `allow cleartext A -> B on <protocol> \"why\"`".to_string(),
        };
        out.push(diagnostic.help(help));
    }
    out
}
