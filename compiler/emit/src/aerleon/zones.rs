//! The policy of a zone-based platform of Aerleon's (Juniper SRX, Palo Alto): one file for the
//! spec, a filter per pair of zones (`from-zone X to-zone Y`, `mixed`) in the order the hops
//! first cross it, a term per hop and transport naming both ends' addresses (an end that is any
//! address names none). `spec/build.md` says what each output means and what it loses.

use std::fmt::Write as _;

use portolan_model::ports::{PortSet, Transport};
use portolan_model::{AddressOrigin, Flow, Model, Node};

use super::super::rules::{Host, Rule, comment_lines, one_line};
use super::{Defs, Platform, cannot, quote, term_name};
use crate::{EmitError, Output};

/// Words the platforms read as options where a zone's name goes.
const RESERVED: &[&str] = &["all", "address-book-zone", "address-book-global", "expresspath", "noverbose"];
/// The longest zone name PAN-OS takes.
const PALOALTO_MAX_ZONE: usize = 31;
/// The longest zone name Junos takes.
const SRX_MAX_ZONE: usize = 63;

/// One hop on one transport, from one end to the other.
struct Term<'m> {
    rule: &'m Rule<'m>,
    from: &'m Node,
    to: &'m Node,
}

pub(super) fn policy<'m>(
    model: &Model,
    hosts: &'m [Host<'m>],
    platform: Platform,
    defs: &mut Defs,
) -> Result<Output, EmitError> {
    // Each hop with a host at its destination is an input rule of that host; a hop to any
    // address is an output rule of its source only.
    let mut terms: Vec<Term<'m>> = Vec::new();
    for host in hosts {
        terms.extend(host.input.iter().map(|rule| Term { rule, from: rule.peer, to: host.node }));
        terms.extend(host.output.iter().filter(|r| r.any()).map(|rule| Term { rule, from: host.node, to: rule.peer }));
    }
    terms.sort_by_key(|t| (t.rule.hop.route, t.rule.hop.hop, t.rule.transport == Transport::Udp));
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for term in &terms {
        for zone in [&term.from.zone, &term.to.zone] {
            check_zone(term.rule, platform, zone)?;
        }
        let pair = (term.from.zone.as_str(), term.to.zone.as_str());
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    let mut text = preamble(model, hosts, platform);
    if pairs.is_empty() {
        return Err(EmitError {
            message: format!("Aerleon's `{}` has nothing to filter: no hop crosses between two nodes", platform.name()),
        });
    }
    text.push_str("filters:\n");
    for (from, to) in pairs {
        let _ = writeln!(text, "  - header:");
        let _ = writeln!(text, "      comment: {}", quote(&format!("from zone {from} to zone {to}")));
        let _ = writeln!(text, "      targets:\n        {}: from-zone {from} to-zone {to} mixed", platform.name());
        let _ = writeln!(text, "    terms:");
        for term in terms.iter().filter(|t| t.from.zone == from && t.to.zone == to) {
            let rule = term.rule;
            text.push_str(&comment_lines("      #", &describe(rule)));
            let _ = writeln!(text, "      - name: {}", term_name(rule));
            let _ = writeln!(text, "        comment: {}", quote(&rule.label()));
            for (side, node) in [("source-address", term.from), ("destination-address", term.to)] {
                if node.rule_addresses.origin != AddressOrigin::Any {
                    let _ = writeln!(text, "        {side}: {}", defs.node(node));
                }
            }
            let _ = writeln!(text, "        protocol: {}", rule.transport.as_str());
            let _ = writeln!(text, "        destination-port: {}", defs.service(rule));
            let _ = writeln!(text, "        action: accept");
        }
    }
    Ok(Output::new(format!("aerleon/policies/{}/zones.yaml", platform.folder()), text))
}

/// The rule's sentence, without the side of a host's chain it was written for.
fn describe(rule: &Rule<'_>) -> String {
    let hop: &Flow = rule.hop;
    let decision = hop.decision.as_ref().map_or(String::new(), |d| format!("; {}", d.describe()));
    let ports = PortSet::new(rule.ports.clone()).describe();
    format!(
        "flow {} hop {}: {} -> {}, {} on {ports}{decision}",
        hop.route, hop.hop, hop.from, hop.to, hop.protocol_title
    )
}

/// A zone's name where the platform reads it as a word of the header.
fn check_zone(rule: &Rule<'_>, platform: Platform, zone: &str) -> Result<(), EmitError> {
    let max = if platform == Platform::Paloalto { PALOALTO_MAX_ZONE } else { SRX_MAX_ZONE };
    let why = if RESERVED.contains(&zone) {
        format!("its zone is named `{zone}`, a word the platform reserves")
    } else if zone.len() > max {
        format!("its zone `{zone}` is longer than the {max} characters the platform takes in a zone's name")
    } else if zone.is_empty() || !zone.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
        format!("its zone `{}` holds characters other than ASCII letters, digits, `_`, `-` and `.`", one_line(zone))
    } else {
        return Ok(());
    };
    Err(cannot(rule, platform, &why))
}

/// What the file is, and the hops it has no term for, each named.
fn preamble(model: &Model, hosts: &[Host<'_>], platform: Platform) -> String {
    let lines = [
        "Generated by `portolan build` from the spec; do not edit: change the spec and build again.".to_string(),
        format!(
            "Render with Aerleon's `aclgen`, platform `{}`: a security policy per pair of zones, stateful.",
            platform.name()
        ),
        "Each term accepts one flow's new connections on one transport between its two ends' addresses;".to_string(),
        "what no term accepts is denied by the platform's default policy.".to_string(),
    ];
    let mut text: String = lines.iter().map(|l| comment_lines("#", l)).collect();
    if let Some(host) = hosts.first() {
        for hop in &host.unfiltered {
            let (number, from, to) = (hop.route, &hop.from, &hop.to);
            text.push_str(&comment_lines(
                "#",
                &format!("Flow {number} ({from} -> {to}) is between nodes on the internet: it crosses no zone of the spec, no term."),
            ));
        }
    }
    for route in model.routes.iter().filter(|r| hosts.iter().any(|h| h.local.iter().any(|l| l.number == r.number))) {
        let (number, from, to) = (route.number, &route.from, &route.to);
        text.push_str(&comment_lines("#", &format!("Flow {number} is local ({from} -> {to}): on one host, no term.")));
    }
    text
}
