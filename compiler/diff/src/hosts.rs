//! Each host's firewall rules in the two models, from the rule plan the rule targets write
//! (`portolan_emit::rules::plan`), normalised to what a rule lets through — direction,
//! transport, ports, the peer's addresses — so that a renamed peer or a relabelled flow opens
//! and closes nothing. Hosts are matched through the renames.

use std::collections::BTreeMap;

use portolan_emit::rules::{Direction, Host, Rule, plan};
use portolan_model::Model;
use portolan_model::ports::{PortRange, Transport};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::names::Renames;
use crate::{FirewallRule, HostChange};

/// What identifies a rule: direction, transport, ports, and the peer's networks (`None`: any
/// address); borrowed from the plan, so that comparing every host allocates no text.
type Key<'m> = (&'static str, Transport, &'m [PortRange], Option<&'m [String]>);

fn ports(ranges: &[PortRange]) -> String {
    let text: Vec<String> = ranges
        .iter()
        .map(|r| if r.start == r.end { r.start.to_string() } else { format!("{}-{}", r.start, r.end) })
        .collect();
    text.join(", ")
}

fn direction(direction: Direction) -> &'static str {
    match direction {
        Direction::Input => "input",
        Direction::Output => "output",
    }
}

fn key<'m>(direction: Direction, rule: &'m Rule<'_>) -> Key<'m> {
    let peer = (!rule.any()).then_some(rule.peer.rule_addresses.networks.as_slice());
    (self::direction(direction), rule.transport, &rule.ports, peer)
}

/// What a host's rules let through.
fn keys<'m>(host: &'m Host<'_>) -> FxHashSet<Key<'m>> {
    host.rules().map(|(direction, rule)| key(direction, rule)).collect()
}

/// The rules of `host` with these keys, in key order, each naming every flow it is written for.
fn described(host: &Host<'_>, wanted: &FxHashSet<&Key<'_>>) -> Vec<FirewallRule> {
    let mut out: BTreeMap<Key<'_>, (FirewallRule, FxHashSet<String>)> = BTreeMap::new();
    for (direction, rule) in host.rules() {
        let key = key(direction, rule);
        if !wanted.contains(&key) {
            continue;
        }
        let label = rule.label();
        let (entry, seen) = out.entry(key).or_insert_with(|| {
            let rule = FirewallRule {
                direction: key.0,
                transport: key.1.as_str(),
                ports: ports(key.2),
                peer: key.3.map_or("any".to_string(), |networks| networks.join(", ")),
                peer_node: rule.peer.name.clone(),
                flows: Vec::new(),
            };
            (rule, FxHashSet::default())
        });
        if seen.insert(label.clone()) {
            entry.flows.push(label);
        }
    }
    out.into_values().map(|(rule, _)| rule).collect()
}

/// The hosts whose rules differ, in the new model's order, then the hosts removed; and a note
/// for a side whose rules cannot be planned (a flow end without an address).
pub fn compare(old: &Model, new: &Model, renames: &Renames) -> (Vec<HostChange>, Vec<String>) {
    // The two plans on two threads: each is linear in its model.
    let plans = std::thread::scope(|scope| {
        let before = scope.spawn(|| plan(old));
        let after = plan(new);
        (before.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), after)
    });
    let (before, after) = match plans {
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
    for host in &after {
        let paired = old_hosts.get(host.node.name.as_str()).copied();
        if let Some((i, _)) = paired
            && let Some(seen) = seen.get_mut(i)
        {
            *seen = true;
        }
        let old_name = paired.map(|(_, h)| h.node.name.clone()).filter(|n| *n != host.node.name);
        out.extend(change(host.node.name.clone(), old_name, paired.map(|(_, h)| h), Some(host)));
    }
    for (host, _) in before.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        out.extend(change(host.node.name.clone(), None, Some(host), None));
    }
    (out, Vec::new())
}

/// What changed on one host: the rules only the new side has are opened, those only the old
/// side has closed.
fn change(
    host: String,
    old_name: Option<String>,
    before: Option<&Host<'_>>,
    after: Option<&Host<'_>>,
) -> Option<HostChange> {
    let (old_keys, new_keys) = (before.map(keys).unwrap_or_default(), after.map(keys).unwrap_or_default());
    if old_keys == new_keys {
        return None;
    }
    let opened: FxHashSet<&Key<'_>> = new_keys.difference(&old_keys).collect();
    let closed: FxHashSet<&Key<'_>> = old_keys.difference(&new_keys).collect();
    let opened = after.map(|h| described(h, &opened)).unwrap_or_default();
    let closed = before.map(|h| described(h, &closed)).unwrap_or_default();
    Some(HostChange { host, old_name, opened, closed })
}
