//! What changed between two checked specs, from their exported models (`portolan-model`): zones
//! and nodes added, removed, renamed or moved; flows and their hops added, removed and changed
//! (ports, protocol, label, route number, deciding rule); policy rules added and removed; and per
//! host the firewall rules a change opens or closes (from the emitters' rule plan). Rendered for
//! a terminal (`human`), a pull request (`markdown`) or tools (`json`, `spec/diff.md`).
//!
//! No I/O: the caller loads and checks both specs. Identical models give identical output.

mod flows;
mod hosts;
pub mod human;
pub mod markdown;
mod names;
mod policy;

use portolan_model::Model;
use serde::Serialize;

/// The value of the diff's `format` field.
pub const FORMAT: &str = "portolan-diff";
/// The version of the diff's JSON shape; it changes when a field changes meaning or disappears.
pub const VERSION: u32 = 1;

/// Everything that differs between two models, each list in the new model's order, then what
/// was removed in the old model's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub format: &'static str,
    pub version: u32,
    /// True when anything below is not empty.
    pub changed: bool,
    /// One line: what changed, counted.
    pub summary: String,
    pub zones: Vec<Change>,
    pub nodes: Vec<Change>,
    pub flows: Vec<Change>,
    pub policy: Vec<Change>,
    pub hosts: Vec<HostChange>,
    /// What could not be compared, in words (a side whose firewall rules cannot be planned).
    pub notes: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One zone, node, flow or policy statement that was added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub change: ChangeKind,
    /// What it is: a zone's or node's name, a flow's ends (`a.x -> b.y via p`), a rule as
    /// written; as in the new spec, or the old one for a removal.
    pub name: String,
    /// Its name in the old spec when it was renamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_name: Option<String>,
    /// A flow's route number (in the new spec; in the old one for a removal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<usize>,
    /// A flow's or a rule's label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// For an addition or removal, what it is in one line (a node's zone and addresses, a
    /// flow's protocol, ports and decision); empty for a change.
    pub detail: String,
    /// For a change, each field that differs.
    pub fields: Vec<Field>,
}

/// One field that differs: its old and new value in words (`""` when it had none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    pub field: String,
    pub old: String,
    pub new: String,
}

impl Field {
    fn new(field: impl Into<String>, old: impl Into<String>, new: impl Into<String>) -> Field {
        Field { field: field.into(), old: old.into(), new: new.into() }
    }
}

/// A host's firewall rules that the change opens (in the new spec only) and closes (in the old
/// spec only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HostChange {
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_name: Option<String>,
    pub opened: Vec<FirewallRule>,
    pub closed: Vec<FirewallRule>,
}

/// One accept rule of a host's firewall, normalised: what it lets through (direction,
/// transport, ports, the peer's addresses) is what identifies it; `peer_node` and `flows` say why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FirewallRule {
    /// `input` (connections accepted from the peer) or `output` (opened to the peer).
    pub direction: &'static str,
    pub transport: &'static str,
    /// `443`, `135, 445`, `7600-7610`.
    pub ports: String,
    /// The peer's networks, or `any`.
    pub peer: String,
    pub peer_node: String,
    /// The flows it is written for: their labels, else their ends.
    pub flows: Vec<String>,
}

impl Diff {
    /// The diff as pretty JSON, with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Compares two models: `old`, then `new`.
pub fn diff(old: &Model, new: &Model) -> Diff {
    let names = names::compare(old, new);
    // The hosts' firewall rules, the largest part, on a thread of their own.
    let ((hosts, notes), flows, policy) = std::thread::scope(|scope| {
        let hosts = scope.spawn(|| hosts::compare(old, new, &names.renames));
        let flows = flows::compare(old, new, &names.renames);
        let policy = policy::compare(old, new, &names.renames);
        let hosts = hosts.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (hosts, flows, policy)
    });
    let mut diff = Diff {
        format: FORMAT,
        version: VERSION,
        changed: false,
        summary: String::new(),
        zones: names.zones,
        nodes: names.nodes,
        flows,
        policy,
        hosts,
        notes,
    };
    diff.changed = !(diff.zones.is_empty()
        && diff.nodes.is_empty()
        && diff.flows.is_empty()
        && diff.policy.is_empty()
        && diff.hosts.is_empty());
    diff.summary = summary(&diff);
    diff
}

/// "1 flow added, 2 changed; 1 node changed; 3 firewall rules opened, 1 closed on 2 hosts", or
/// "no change".
fn summary(diff: &Diff) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (one, many, changes) in [
        ("zone", "zones", &diff.zones),
        ("node", "nodes", &diff.nodes),
        ("flow", "flows", &diff.flows),
        ("policy statement", "policy statements", &diff.policy),
    ] {
        let counts: Vec<(usize, &str)> =
            [(ChangeKind::Added, "added"), (ChangeKind::Removed, "removed"), (ChangeKind::Changed, "changed")]
                .iter()
                .map(|(kind, word)| (changes.iter().filter(|c| c.change == *kind).count(), *word))
                .filter(|(n, _)| *n > 0)
                .collect();
        let mut words = Vec::new();
        for (i, (n, word)) in counts.iter().enumerate() {
            if i == 0 {
                words.push(format!("{n} {} {word}", if *n == 1 { one } else { many }));
            } else {
                words.push(format!("{n} {word}"));
            }
        }
        if !words.is_empty() {
            parts.push(words.join(", "));
        }
    }
    if !diff.hosts.is_empty() {
        let opened: usize = diff.hosts.iter().map(|h| h.opened.len()).sum();
        let closed: usize = diff.hosts.iter().map(|h| h.closed.len()).sum();
        let hosts = diff.hosts.len();
        let rules = |n: usize| if n == 1 { "firewall rule" } else { "firewall rules" };
        let on = format!("on {hosts} {}", if hosts == 1 { "host" } else { "hosts" });
        parts.push(match (opened, closed) {
            (0, c) => format!("{c} {} closed {on}", rules(c)),
            (o, 0) => format!("{o} {} opened {on}", rules(o)),
            (o, c) => format!("{o} {} opened, {c} closed {on}", rules(o)),
        });
    }
    if parts.is_empty() { "no change".to_string() } else { parts.join("; ") }
}
