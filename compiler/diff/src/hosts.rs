//! Each host's firewall rules in the two models, from the rule plan the rule targets write
//! (`portolan_emit::rules::plan`), normalised to what a rule lets through — direction,
//! transport, ports, the peer's addresses — so that a renamed peer or a relabelled flow opens
//! and closes nothing. Hosts are matched through the renames.

use std::collections::BTreeMap;

use portolan_emit::rules::{Direction, Host, plan};
use portolan_model::Model;
use portolan_model::ports::PortRange;
use rustc_hash::FxHashMap;

use crate::names::Renames;
use crate::{FirewallRule, HostChange};

/// What identifies a rule: direction, transport, ports, peer.
type Key = (&'static str, &'static str, String, String);

fn ports(ranges: &[PortRange]) -> String {
    let text: Vec<String> = ranges
        .iter()
        .map(|r| if r.start == r.end { r.start.to_string() } else { format!("{}-{}", r.start, r.end) })
        .collect();
    text.join(", ")
}

/// A host's rules by what they let through; a rule written for several flows names each.
fn rules(host: &Host<'_>) -> BTreeMap<Key, FirewallRule> {
    let mut out: BTreeMap<Key, FirewallRule> = BTreeMap::new();
    for (direction, rule) in host.rules() {
        let direction = match direction {
            Direction::Input => "input",
            Direction::Output => "output",
        };
        let peer = if rule.any() { "any".to_string() } else { rule.peer.rule_addresses.networks.join(", ") };
        let key = (direction, rule.transport.as_str(), ports(&rule.ports), peer);
        let label = rule.label();
        let entry = out.entry(key.clone()).or_insert_with(|| FirewallRule {
            direction,
            transport: key.1,
            ports: key.2.clone(),
            peer: key.3.clone(),
            peer_node: rule.peer.name.clone(),
            flows: Vec::new(),
        });
        if !entry.flows.contains(&label) {
            entry.flows.push(label);
        }
    }
    out
}

/// The hosts whose rules differ, in the new model's order, then the hosts removed; and a note
/// for a side whose rules cannot be planned (a flow end without an address).
pub fn compare(old: &Model, new: &Model, renames: &Renames) -> (Vec<HostChange>, Vec<String>) {
    let (before, after) = match (plan(old), plan(new)) {
        (Ok(before), Ok(after)) => (before, after),
        (before, after) => {
            let notes = [("old", before.err()), ("new", after.err())]
                .into_iter()
                .filter_map(|(side, error)| {
                    error.map(|e| format!("the {side} spec's firewall rules cannot be compared: {}", e.message))
                })
                .collect();
            return (Vec::new(), notes);
        }
    };
    let mut old_hosts: FxHashMap<&str, (usize, &Host<'_>)> = FxHashMap::default();
    for (i, host) in before.iter().enumerate() {
        old_hosts.insert(renames.node(&host.node.name), (i, host));
    }
    let mut seen = vec![false; before.len()];
    let mut out = Vec::new();
    let empty = BTreeMap::new();
    for host in &after {
        let paired = old_hosts.get(host.node.name.as_str()).copied();
        let old_rules = match paired {
            Some((i, old_host)) => {
                if let Some(seen) = seen.get_mut(i) {
                    *seen = true;
                }
                rules(old_host)
            }
            None => BTreeMap::new(),
        };
        let old_name = paired.map(|(_, h)| h.node.name.clone()).filter(|n| *n != host.node.name);
        out.extend(change(host.node.name.clone(), old_name, &old_rules, &rules(host)));
    }
    for (host, _) in before.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        out.extend(change(host.node.name.clone(), None, &rules(host), &empty));
    }
    (out, Vec::new())
}

fn change(
    host: String,
    old_name: Option<String>,
    before: &BTreeMap<Key, FirewallRule>,
    after: &BTreeMap<Key, FirewallRule>,
) -> Option<HostChange> {
    let opened: Vec<FirewallRule> =
        after.iter().filter(|(k, _)| !before.contains_key(*k)).map(|(_, r)| r.clone()).collect();
    let closed: Vec<FirewallRule> =
        before.iter().filter(|(k, _)| !after.contains_key(*k)).map(|(_, r)| r.clone()).collect();
    (!opened.is_empty() || !closed.is_empty()).then_some(HostChange { host, old_name, opened, closed })
}
