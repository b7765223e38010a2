//! The policy of one host for a host platform of Aerleon's: the host's input and output rules
//! as filters, with the header each platform needs (nftables `mixed INPUT`, iptables `INPUT
//! DROP inet`, a named Juniper filter or Cisco access list per direction and address family,
//! Kubernetes `INGRESS`/`EGRESS`, GCE `INGRESS`/`EGRESS` per address family with the host's
//! network tag). `spec/build.md` says what each output means and what it loses.

use std::fmt::Write as _;

use portolan_model::ports::Transport;

use super::super::ident::{Alphabet, Idents};
use super::super::rules::{self, Direction, Host, Rule, comment_lines};
use super::{Defs, Platform, cannot, quote, term_name};
use crate::{EmitError, Output};

/// The most port ranges a GCE firewall rule holds.
const GCE_MAX_PORTS: usize = 256;
/// The network GCE rules are written for: every project has one of this name until a user
/// deletes it.
const GCE_NETWORK: &str = "default";
/// The priority of a GCE host's egress deny: after every allow (1000, GCE's default).
const GCE_DENY_PRIORITY: u32 = 65000;

/// Which addresses a filter matches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Mixed,
    Inet,
    Inet6,
}

impl Family {
    fn name(self) -> &'static str {
        match self {
            Family::Mixed => "mixed",
            Family::Inet => "inet",
            Family::Inet6 => "inet6",
        }
    }

    /// True when a rule's term belongs in a filter of this family: its peer has addresses of
    /// it, or is any address.
    fn holds(self, rule: &Rule<'_>) -> bool {
        let (v4, v6) = rule.networks();
        match self {
            Family::Mixed => true,
            Family::Inet => rule.any() || !v4.is_empty(),
            Family::Inet6 => rule.any() || !v6.is_empty(),
        }
    }
}

/// One filter of a host's policy.
struct Filter {
    direction: Direction,
    family: Family,
    /// The `targets:` entry: the platform and its options.
    target: String,
    comment: String,
}

pub(super) fn policy(host: &Host<'_>, platform: Platform, defs: &mut Defs) -> Result<Output, EmitError> {
    if platform.zone_based() {
        return Err(EmitError { message: format!("`{}` filters between zones, not on a host", platform.name()) });
    }
    let name = &host.node.name;
    let load = match platform {
        Platform::Nftables => {
            "Render with Aerleon's `aclgen`; Aerleon's generators add their own defaults.".to_string()
        }
        other => format!("Render with Aerleon's `aclgen`, platform `{}`: {}", other.name(), meaning(other)),
    };
    let mut text = rules::preamble_with(host, "#", &load, defaults(platform));
    text.push_str("filters:\n");
    let families: &[Family] = match platform {
        Platform::Nftables | Platform::K8s => &[Family::Mixed],
        _ if host.uses_ipv6() => &[Family::Inet, Family::Inet6],
        _ => &[Family::Inet],
    };
    let ident = Idents::new(Alphabet::Word, 40).get(name);
    let tag = matches!(platform, Platform::Gce | Platform::K8s).then(|| defs.tag(host.node));
    for direction in [Direction::Input, Direction::Output] {
        // How many filters hold each rule of the direction: none would be a dropped rule.
        let mut placed = vec![0; host.rules().filter(|(d, _)| *d == direction).count()];
        for &family in families {
            let filter = filter(platform, direction, family, name, &ident, tag.as_deref());
            write_filter(&mut text, host, platform, &filter, tag.as_deref(), defs, &mut placed)?;
        }
        let rules = host.rules().filter(|(d, _)| *d == direction);
        if let Some((_, rule)) = rules.zip(&placed).find(|(_, n)| **n == 0).map(|(r, _)| r) {
            return Err(cannot(rule, platform, "its peer has no address of a family the filters hold"));
        }
    }
    let path = format!("aerleon/policies/{}/{}.yaml", platform.folder(), host.file);
    Ok(Output::new(path, text))
}

/// What a platform's output means, in one line of each policy file.
fn meaning(platform: Platform) -> &'static str {
    match platform {
        Platform::Iptables => "an INPUT and an OUTPUT chain per address family, policy DROP, stateful.",
        Platform::Juniper => "a stateless filter per direction and address family.",
        Platform::Cisco => "a stateless extended access list per direction and address family.",
        Platform::K8s => {
            "NetworkPolicies selecting every pod of the namespace: apply them where only this host's pods run."
        }
        Platform::Gce => "VPC firewall rules of network `default` for the instances with this host's network tag.",
        Platform::Nftables | Platform::Srx | Platform::Paloalto => "",
    }
}

/// What the filters do besides their rules, where that is not what the host targets do
/// ([`rules::DEFAULTS`]).
fn defaults(platform: Platform) -> &'static [&'static str] {
    match platform {
        Platform::Juniper | Platform::Cisco => &[
            "Defaults, stated: each filter discards what no term accepts; it keeps no state, so the",
            "replies of the other direction's rules are accepted by `-reply` terms: from the rule's",
            "ports and peer, TCP only with ACK or RST set (`tcp-established`), UDP by port and peer alone.",
            "Loopback is accepted: `local` flows between roles on this host need no rule.",
            "Each other term accepts one flow's connections on one transport, nothing wider.",
        ],
        Platform::K8s => &[
            "Defaults, stated: a policy per direction denies what no other allows (`-deny`);",
            "Kubernetes keeps state: replies need no rule; it filters no loopback: `local` flows need none.",
            "Each other policy allows one flow's connections on one transport, nothing wider.",
        ],
        Platform::Gce => &[
            "Defaults, stated: GCE denies ingress that no rule allows; an egress rule of priority 65000",
            "denies what no other allows (`-deny`); GCE keeps state: replies need no rule; it filters no",
            "loopback: `local` flows need none. Each other rule allows one flow's connections on one",
            "transport, nothing wider.",
        ],
        _ => rules::DEFAULTS,
    }
}

fn filter(
    platform: Platform,
    direction: Direction,
    family: Family,
    name: &str,
    ident: &str,
    tag: Option<&str>,
) -> Filter {
    let (hook, way, k8s) = match direction {
        Direction::Input => ("INPUT", "input", "INGRESS"),
        Direction::Output => ("OUTPUT", "output", "EGRESS"),
    };
    let addresses = match family {
        Family::Mixed => "",
        Family::Inet => ", IPv4",
        Family::Inet6 => ", IPv6",
    };
    let af = family.name();
    let (target, comment) = match platform {
        Platform::Nftables => (
            format!("nftables: {af} {hook}"),
            format!("{hook} of host {name}: policy drop; established and related accepted"),
        ),
        Platform::Iptables => (
            format!("iptables: {hook} DROP {af}"),
            format!("{hook} of host {name}{addresses}: policy drop; established and related accepted"),
        ),
        Platform::Juniper => (
            format!("juniper: {ident}-{way}-{af} {af}"),
            format!("{way} of host {name}{addresses}: stateless; what no term accepts is discarded"),
        ),
        Platform::Cisco => {
            let kind = if family == Family::Inet6 { "inet6" } else { "extended" };
            (
                format!("cisco: {ident}-{way}-{af} {kind}"),
                format!("{way} of host {name}{addresses}: stateless; what no entry permits is denied"),
            )
        }
        Platform::K8s => (format!("k8s: {k8s}"), format!("{way} of host {name}: what no policy allows is denied")),
        // `policy` writes no host policy for a zone-based platform.
        Platform::Srx | Platform::Paloalto => (String::new(), String::new()),
        Platform::Gce => (
            format!("gce: {GCE_NETWORK} {k8s} {af}"),
            format!("{way} of host {name}{addresses}, instances tagged {}", tag.unwrap_or_default()),
        ),
    };
    Filter { direction, family, target, comment }
}

/// One filter, when it has a term: its header, the host's own terms where the platform filters the host itself
/// (loopback, IPv6 neighbour discovery), and a term per rule of its direction and family.
fn write_filter(
    text: &mut String,
    host: &Host<'_>,
    platform: Platform,
    filter: &Filter,
    tag: Option<&str>,
    defs: &mut Defs,
    placed: &mut [usize],
) -> Result<(), EmitError> {
    let direction = filter.direction;
    let header = text.len();
    let _ = writeln!(text, "  - header:");
    let _ = writeln!(text, "      comment: {}", quote(&filter.comment));
    let _ = writeln!(text, "      targets:\n        {}", filter.target);
    let _ = writeln!(text, "    terms:");
    let terms = text.len();
    let side = if direction == Direction::Input { "source-address" } else { "destination-address" };
    // Kubernetes and GCE filter what reaches a pod or an instance from its network: no loopback,
    // no neighbour discovery, and every rule names addresses.
    let cloud = matches!(platform, Platform::K8s | Platform::Gce);
    if !cloud {
        let _ =
            writeln!(text, "      - name: loopback\n        comment: {}", quote("loopback: local flows on this host"));
        let _ = writeln!(text, "        {side}: LOOPBACK\n        action: accept");
        if host.uses_ipv6() && filter.family != Family::Inet {
            let types = match direction {
                Direction::Input => "neighbor-solicit neighbor-advertisement router-advertisement",
                Direction::Output => "neighbor-solicit neighbor-advertisement router-solicit",
            };
            let _ = writeln!(text, "      - name: ipv6-nd\n        comment: {}", quote("IPv6 neighbour discovery"));
            let _ = writeln!(text, "        protocol: icmpv6\n        icmp-type: {types}\n        action: accept");
        }
    }
    if platform == Platform::Iptables {
        let _ =
            writeln!(text, "      - name: established\n        comment: {}", quote("replies: established and related"));
        let _ = writeln!(text, "        option: established\n        action: accept");
    }
    let suffix = if platform == Platform::Gce && filter.family == Family::Inet6 { "-v6" } else { "" };
    let rules = host.rules().filter(|(d, _)| *d == direction);
    for ((_, rule), placed) in rules.zip(placed.iter_mut()) {
        if !filter.family.holds(rule) {
            continue;
        }
        *placed += 1;
        if platform == Platform::Gce && rule.ports.len() > GCE_MAX_PORTS {
            let why = format!("{} port ranges, more than the {GCE_MAX_PORTS} a GCE rule holds", rule.ports.len());
            return Err(cannot(rule, platform, &why));
        }
        text.push_str(&comment_lines("      #", &rule.describe(direction)));
        let _ = writeln!(text, "      - name: {}{suffix}", term_name(rule));
        let _ = writeln!(text, "        comment: {}", quote(&rule.label()));
        if cloud || !rule.any() {
            let _ = writeln!(text, "        {side}: {}", defs.peer(rule));
        }
        if let (Platform::Gce, Some(tag)) = (platform, tag) {
            let key = if direction == Direction::Input { "destination-tag" } else { "source-tag" };
            let _ = writeln!(text, "        {key}: {tag}");
        }
        let _ = writeln!(text, "        protocol: {}", rule.transport.as_str());
        let _ = writeln!(text, "        destination-port: {}", defs.service(rule));
        let _ = writeln!(text, "        action: accept");
    }
    // A stateless filter accepts the replies of the other direction's rules itself: from the
    // rule's ports, TCP only with ACK or RST set.
    if matches!(platform, Platform::Juniper | Platform::Cisco) {
        let other = if direction == Direction::Input { Direction::Output } else { Direction::Input };
        for (_, rule) in host.rules().filter(|(d, r)| *d == other && filter.family.holds(r)) {
            let _ = writeln!(text, "      - name: {}-reply", term_name(rule));
            let _ = writeln!(text, "        comment: {}", quote(&format!("replies: {}", rule.label())));
            if !rule.any() {
                let _ = writeln!(text, "        {side}: {}", defs.peer(rule));
            }
            let _ = writeln!(text, "        protocol: {}", rule.transport.as_str());
            let _ = writeln!(text, "        source-port: {}", defs.service(rule));
            if rule.transport == Transport::Tcp {
                let _ = writeln!(text, "        option: tcp-established");
            }
            let _ = writeln!(text, "        action: accept");
        }
    }
    // What no rule allows is denied: Kubernetes allows everything to a pod no policy of a
    // direction selects, GCE allows every egress (its implied rule denies ingress).
    let deny = match (platform, direction, tag) {
        (Platform::K8s, _, Some(tag)) => Some(format!("      - name: {tag}-deny\n")),
        (Platform::Gce, Direction::Output, Some(tag)) => Some(format!(
            "      - name: {tag}-deny{suffix}\n        destination-address: {}\n        source-tag: {tag}\n        priority: {GCE_DENY_PRIORITY}\n",
            defs.any()
        )),
        _ => None,
    };
    if let Some(deny) = deny {
        text.push_str(&deny);
        let _ = writeln!(text, "        comment: {}", quote("what no other rule allows is denied"));
        let _ = writeln!(text, "        action: deny");
    }
    // Aerleon takes no filter without terms: a GCE host no connection may reach has no
    // ingress filter, GCE's implied rule denies it all.
    if text.len() == terms {
        text.truncate(header);
    }
    Ok(())
}
