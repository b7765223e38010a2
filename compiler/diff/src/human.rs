//! The diff for a terminal: the summary line, then a section per kind of thing, one line per
//! addition (`+`), removal (`-`) or change (`~`, with a line per field). Colour (green, red,
//! yellow) only when asked; control characters of spec strings are written escaped.

use crate::{Change, ChangeKind, Diff, FirewallRule};

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }

    fn mark(&self, change: ChangeKind) -> String {
        match change {
            ChangeKind::Added => self.paint("32", "+"),
            ChangeKind::Removed => self.paint("31", "-"),
            ChangeKind::Changed => self.paint("33", "~"),
        }
    }
}

/// A spec string with its control characters escaped (`\n`, `\u{1b}`), so that it cannot break
/// a line or drive the terminal.
pub fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

fn or_none(text: &str) -> String {
    if text.is_empty() { "(none)".to_string() } else { clean(text) }
}

pub fn render(diff: &Diff, color: bool) -> String {
    let paint = Paint { on: color };
    let mut out = format!("{}\n", paint.paint("1", &clean(&diff.summary)));
    for (title, changes) in
        [("zones", &diff.zones), ("nodes", &diff.nodes), ("flows", &diff.flows), ("policy", &diff.policy)]
    {
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{}\n", paint.paint("1", title)));
        for change in changes {
            out.push_str(&line(&paint, change));
        }
    }
    if !diff.hosts.is_empty() {
        out.push_str(&format!("\n{}\n", paint.paint("1", "firewall rules")));
        for host in &diff.hosts {
            let was = host.old_name.as_ref().map_or(String::new(), |n| format!(" (was {})", clean(n)));
            out.push_str(&format!("  {}{was}\n", clean(&host.host)));
            for rule in &host.opened {
                out.push_str(&format!("    {} opened: {}\n", paint.paint("32", "+"), rule_text(rule)));
            }
            for rule in &host.closed {
                out.push_str(&format!("    {} closed: {}\n", paint.paint("31", "-"), rule_text(rule)));
            }
        }
    }
    for note in &diff.notes {
        out.push_str(&format!("\nnote: {}\n", clean(note)));
    }
    out
}

fn line(paint: &Paint, change: &Change) -> String {
    let route = change.route.map_or(String::new(), |n| format!("flow {n}: "));
    let label = change.label.as_ref().map_or(String::new(), |l| format!(" \"{}\"", clean(l)));
    let was = change.old_name.as_ref().map_or(String::new(), |n| format!(" (was {})", clean(n)));
    let mut out = format!("  {} {route}{}{label}{was}\n", paint.mark(change.change), clean(&change.name));
    if !change.detail.is_empty() {
        out.push_str(&format!("      {}\n", clean(&change.detail)));
    }
    for field in &change.fields {
        out.push_str(&format!("      {}: {} -> {}\n", clean(&field.field), or_none(&field.old), or_none(&field.new)));
    }
    out
}

/// `input tcp 443 from 10.0.0.1 (web: "label")`.
fn rule_text(rule: &FirewallRule) -> String {
    let side = if rule.direction == "input" { "from" } else { "to" };
    let flows: Vec<String> = rule.flows.iter().map(|f| clean(f)).collect();
    format!(
        "{} {} {} {side} {} ({}; {})",
        rule.direction,
        rule.transport,
        rule.ports,
        clean(&rule.peer),
        clean(&rule.peer_node),
        flows.join("; ")
    )
}
