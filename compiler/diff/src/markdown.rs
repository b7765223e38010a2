//! The diff as a pull-request comment: a summary line, then a table per kind of thing. Every
//! spec string goes through the emitters' Markdown escaping (`portolan_emit::markdown_escape`:
//! markup characters backslash-escaped, line breaks made spaces), so that no name, label or
//! rule can end a cell, open a link or write HTML; the only markup is the one written here.

use portolan_emit::markdown_escape as escape;

use crate::{Change, ChangeKind, Diff, FirewallRule};

fn row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

fn table(title: &str, head: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut out = format!("\n#### {title}\n\n");
    out.push_str(&row(&head.iter().map(|h| h.to_string()).collect::<Vec<_>>()));
    out.push_str(&row(&head.iter().map(|_| "---".to_string()).collect::<Vec<_>>()));
    for cells in rows {
        out.push_str(&row(&cells));
    }
    out
}

fn kind(change: ChangeKind) -> String {
    match change {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
    .to_string()
}

fn or_none(text: &str) -> String {
    if text.is_empty() { "(none)".to_string() } else { escape(text) }
}

/// What a change is: its detail, or one line per field (`zone: dmz → app`).
fn details(change: &Change) -> String {
    if !change.detail.is_empty() {
        return escape(&change.detail);
    }
    let fields: Vec<String> = change
        .fields
        .iter()
        .map(|f| format!("{}: {} → {}", escape(&f.field), or_none(&f.old), or_none(&f.new)))
        .collect();
    fields.join("; ")
}

fn name(change: &Change) -> String {
    match &change.old_name {
        Some(old) => format!("{} (was {})", escape(&change.name), escape(old)),
        None => escape(&change.name),
    }
}

fn label(change: &Change) -> String {
    change.label.as_deref().map_or(String::new(), escape)
}

pub fn render(diff: &Diff) -> String {
    let mut out = format!("portolan diff: {}\n", escape(&diff.summary));
    for (title, what, changes) in [("Zones", "zone", &diff.zones), ("Nodes", "node", &diff.nodes)] {
        if !changes.is_empty() {
            let rows = changes.iter().map(|c| vec![kind(c.change), name(c), details(c)]).collect();
            out.push_str(&table(title, &["change", what, "details"], rows));
        }
    }
    if !diff.flows.is_empty() {
        let rows = diff
            .flows
            .iter()
            .map(|c| {
                let route = c.route.map_or(String::new(), |n| n.to_string());
                vec![kind(c.change), route, name(c), label(c), details(c)]
            })
            .collect();
        out.push_str(&table("Flows", &["change", "flow", "ends", "label", "details"], rows));
    }
    if !diff.policy.is_empty() {
        let rows = diff.policy.iter().map(|c| vec![kind(c.change), name(c), label(c), details(c)]).collect();
        out.push_str(&table("Policy", &["change", "statement", "label", "details"], rows));
    }
    if !diff.hosts.is_empty() {
        let mut rows = Vec::new();
        for host in &diff.hosts {
            let host_name = match &host.old_name {
                Some(old) => format!("{} (was {})", escape(&host.host), escape(old)),
                None => escape(&host.host),
            };
            let opened = host.opened.iter().map(|r| ("opened", r));
            for (what, rule) in opened.chain(host.closed.iter().map(|r| ("closed", r))) {
                rows.push(rule_row(&host_name, what, rule));
            }
        }
        out.push_str(&table("Firewall rules", &["host", "change", "rule", "peer", "flows"], rows));
    }
    for note in &diff.notes {
        out.push_str(&format!("\n{}\n", escape(note)));
    }
    out
}

fn rule_row(host: &str, what: &str, rule: &FirewallRule) -> Vec<String> {
    let side = if rule.direction == "input" { "from" } else { "to" };
    let flows: Vec<String> = rule.flows.iter().map(|f| escape(f)).collect();
    vec![
        host.to_string(),
        what.to_string(),
        format!("{} {} {} {side}", rule.direction, rule.transport, escape(&rule.ports)),
        format!("{} ({})", escape(&rule.peer), escape(&rule.peer_node)),
        flows.join("; "),
    ]
}
