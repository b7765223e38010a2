//! The policies of the two models compared: each rule written as the spec writes it (old names
//! read through the renames), rules with the same text paired in order (a changed label is a
//! change), then the rules left on each side paired when they are the only ones of their action,
//! scope and label (a rule whose ports or protocols changed is a change); the `default` and each
//! `require encrypted across` statement.

use std::collections::VecDeque;

use portolan_model::Model;
use portolan_model::policy::{Rule, Scope, Selector, Service, Target};
use portolan_model::ports::PortRange;
use rustc_hash::FxHashMap;

use crate::names::Renames;
use crate::{Change, ChangeKind, Field};

fn selector(selector: &Selector, renames: &Renames) -> String {
    if selector.any {
        return "any".to_string();
    }
    let names: Vec<&str> = selector
        .targets
        .iter()
        .map(|t| match t {
            Target::Zone(z) => renames.zone(z),
            Target::Node(n) => renames.node(n),
        })
        .collect();
    names.join(", ")
}

fn range(r: &PortRange) -> String {
    if r.start == r.end {
        format!("{}/{}", r.transport.as_str(), r.start)
    } else {
        format!("{}/{}..{}", r.transport.as_str(), r.start, r.end)
    }
}

/// `allow dmz -> app on https, tcp/8443`, `deny within any`: the rule in the spec's words.
pub fn text(rule: &Rule, renames: &Renames) -> String {
    let on = services(rule);
    let on = if on.is_empty() { String::new() } else { format!(" on {on}") };
    format!("{}{on}", shape(rule, renames))
}

/// `allow cleartext dmz -> app`: the rule without what it is `on`.
fn shape(rule: &Rule, renames: &Renames) -> String {
    let cleartext = if rule.cleartext { " cleartext" } else { "" };
    let scope = match &rule.scope {
        Scope::Between { from, to } => format!("{} -> {}", selector(from, renames), selector(to, renames)),
        Scope::Within { zones } => format!("within {}", selector(zones, renames)),
    };
    format!("{}{cleartext} {scope}", rule.action.as_str())
}

fn services(rule: &Rule) -> String {
    let services: Vec<String> = rule
        .services
        .iter()
        .map(|s| match s {
            Service::Protocol { name, .. } => name.clone(),
            Service::Ports { ports } => ports.iter().map(range).collect::<Vec<_>>().join(", "),
        })
        .collect();
    services.join(", ")
}

fn statement(change: ChangeKind, name: String, label: Option<String>) -> Change {
    Change { change, name, old_name: None, route: None, label, detail: String::new(), fields: Vec::new() }
}

pub fn compare(old: &Model, new: &Model, renames: &Renames) -> Vec<Change> {
    let mut out = Vec::new();
    let default = |m: &Model| m.policy.default.map_or(String::new(), |a| format!("default {}", a.as_str()));
    let (before, after) = (default(old), default(new));
    if before != after {
        out.push(match (before.is_empty(), after.is_empty()) {
            (true, _) => statement(ChangeKind::Added, after, None),
            (_, true) => statement(ChangeKind::Removed, before, None),
            _ => Change {
                fields: vec![Field::new("default", before, after.clone())],
                ..statement(ChangeKind::Changed, after, None)
            },
        });
    }
    let none = Renames::default();
    let rule = |r: &Rule, renames: &Renames| Statement {
        text: text(r, renames),
        shape: Some(format!("{}|{}", shape(r, renames), r.label.as_deref().unwrap_or_default())),
        label: r.label.clone(),
    };
    let old_rules: Vec<Statement> = old.policy.rules.iter().map(|r| rule(r, renames)).collect();
    let new_rules: Vec<Statement> = new.policy.rules.iter().map(|r| rule(r, &none)).collect();
    let require = |r: &portolan_model::policy::Require| Statement {
        text: format!("require encrypted across {}", r.level.as_str()),
        shape: None,
        label: r.label.clone(),
    };
    let old_requires: Vec<_> = old.policy.requires.iter().map(require).collect();
    let new_requires: Vec<_> = new.policy.requires.iter().map(require).collect();
    out.extend(statements(&old_rules, &new_rules));
    out.extend(statements(&old_requires, &new_requires));
    out
}

/// A policy statement: its text, what pairs it with a changed version of itself, its label.
struct Statement {
    text: String,
    shape: Option<String>,
    label: Option<String>,
}

/// Statements paired by text, in order, then what is left by a shape only one statement of each
/// side has: the new ones added, relabelled or changed, then the old ones removed.
fn statements(old: &[Statement], new: &[Statement]) -> Vec<Change> {
    let mut by_text: FxHashMap<&str, VecDeque<usize>> = FxHashMap::default();
    for (o, statement) in old.iter().enumerate() {
        by_text.entry(statement.text.as_str()).or_default().push_back(o);
    }
    let mut taken = vec![false; old.len()];
    let mut pairs: Vec<Option<usize>> = vec![None; new.len()];
    for (n, statement) in new.iter().enumerate() {
        if let Some(o) = by_text.get_mut(statement.text.as_str()).and_then(VecDeque::pop_front) {
            taken[o] = true;
            pairs[n] = Some(o);
        }
    }
    let mut shapes: FxHashMap<&str, (Vec<usize>, Vec<usize>)> = FxHashMap::default();
    for (o, statement) in old.iter().enumerate().filter(|(o, _)| !taken[*o]) {
        if let Some(shape) = &statement.shape {
            shapes.entry(shape.as_str()).or_default().0.push(o);
        }
    }
    for (n, statement) in new.iter().enumerate().filter(|(n, _)| pairs[*n].is_none()) {
        if let Some(shape) = &statement.shape {
            shapes.entry(shape.as_str()).or_default().1.push(n);
        }
    }
    for (olds, news) in shapes.values() {
        if let ([o], [n]) = (olds.as_slice(), news.as_slice()) {
            taken[*o] = true;
            pairs[*n] = Some(*o);
        }
    }
    let mut out = Vec::new();
    for (after, paired) in new.iter().zip(&pairs) {
        let change = |kind| statement(kind, after.text.clone(), after.label.clone());
        let Some(before) = paired.and_then(|o| old.get(o)) else {
            out.push(change(ChangeKind::Added));
            continue;
        };
        let mut fields = Vec::new();
        if before.text != after.text {
            fields.push(Field::new("rule", before.text.clone(), after.text.clone()));
        }
        let (a, b) = (before.label.clone().unwrap_or_default(), after.label.clone().unwrap_or_default());
        if a != b {
            fields.push(Field::new("label", a, b));
        }
        if !fields.is_empty() {
            out.push(Change { fields, ..change(ChangeKind::Changed) });
        }
    }
    for (before, _) in old.iter().zip(&taken).filter(|(_, t)| !**t) {
        out.push(statement(ChangeKind::Removed, before.text.clone(), before.label.clone()));
    }
    out
}
