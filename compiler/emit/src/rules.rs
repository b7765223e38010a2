//! What the rule targets (nftables, iptables, Aerleon) write, decided once: per host, the rules
//! of its input and output chains. For each hop, the destination host's input accepts from the
//! source's addresses to the hop's ports, and the source host's output accepts to the
//! destination's addresses and ports; one rule per hop and transport. `local` flows get no rule.

use rustc_hash::FxHashMap;

use portolan_model::ports::{PortRange, PortSet, Transport};
use portolan_model::{AddressOrigin, Flow, HopKind, Model, Node, Route, Zone};

use super::file_name;
use super::{EmitError, Output};

/// The longest comment line of a rule file, in bytes of text: `iptables-restore` reads lines of
/// at most 10 KiB, so a longer comment (a very long name) goes on several lines.
const MAX_COMMENT_LINE: usize = 8000;

/// A node that gets a firewall: every node except those on the internet (any address).
pub struct Host<'m> {
    pub node: &'m Node,
    /// The stem of the host's file names (`emit/file_name.rs`): its name when that is an
    /// ordinary file name.
    pub file: String,
    pub input: Vec<Rule<'m>>,
    pub output: Vec<Rule<'m>>,
    /// `local` flows on this host: served on the host, no rule.
    pub local: Vec<&'m Route>,
    /// Hops between two nodes on the internet, which no host of the spec filters; every host's
    /// files name them, so that every hop appears in every rule output.
    pub unfiltered: Vec<&'m Flow>,
}

impl Host<'_> {
    /// True when an IPv6 address appears in the host's own addresses or in a rule's peer.
    pub fn uses_ipv6(&self) -> bool {
        let own = split(&self.node.rule_addresses.networks).1;
        !own.is_empty() || self.input.iter().chain(&self.output).any(|r| !r.networks().1.is_empty())
    }

    pub fn rules(&self) -> impl Iterator<Item = (Direction, &Rule<'_>)> {
        let input = self.input.iter().map(|r| (Direction::Input, r));
        input.chain(self.output.iter().map(|r| (Direction::Output, r)))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Input,
    Output,
}

/// One accept rule: connections of one hop, on one transport.
pub struct Rule<'m> {
    pub hop: &'m Flow,
    pub route: &'m Route,
    /// The other end: where connections come from (input) or go to (output).
    pub peer: &'m Node,
    pub peer_zone: Option<&'m Zone>,
    pub transport: Transport,
    pub ports: Vec<PortRange>,
}

impl Rule<'_> {
    /// The peer's networks, IPv4 then IPv6; both empty when the peer is any address.
    pub fn networks(&self) -> (Vec<&str>, Vec<&str>) {
        split(&self.peer.rule_addresses.networks)
    }

    pub fn any(&self) -> bool {
        self.peer.rule_addresses.origin == AddressOrigin::Any
    }

    /// What the rule's comment says: the flow's label, else its two ends.
    pub fn label(&self) -> String {
        match &self.hop.label {
            Some(label) => label.clone(),
            None => format!("{} -> {}", self.route.from, self.route.to),
        }
    }

    /// A sentence saying which flow and hop this is, where its addresses come from, and which
    /// policy rule (or default) allows it.
    pub fn describe(&self, direction: Direction) -> String {
        let hop = self.hop;
        let hops = self.route.hops.len();
        let which =
            if hops > 1 { format!("flow {} hop {}/{hops}", hop.route, hop.hop) } else { format!("flow {}", hop.route) };
        let kind = match hop.kind {
            HopKind::Reverse => " (the way back of a two-way flow between peers)",
            HopKind::Via => " (through a proxy)",
            HopKind::Direct | HopKind::Local => "",
        };
        let ports = PortSet::new(self.ports.clone()).describe();
        let side = match direction {
            Direction::Input => "from",
            Direction::Output => "to",
        };
        let zone = self.peer_zone.map_or(String::new(), |z| z.name.clone());
        let addresses = match self.peer.rule_addresses.origin {
            AddressOrigin::Node => format!("the addresses of `{}`", self.peer.name),
            AddressOrigin::ZoneCidrs => {
                format!("`{}` has no address: the CIDRs of its zone `{zone}`", self.peer.name)
            }
            AddressOrigin::Any | AddressOrigin::None => {
                format!("any address: `{}` is in the untrusted zone `{zone}`, which states no CIDR", self.peer.name)
            }
        };
        let decision = hop.decision.as_ref().map_or(String::new(), |d| format!("; {}", d.describe()));
        format!(
            "{which}{kind}: {} -> {}, {} on {ports}; {side} {addresses}{decision}",
            hop.from, hop.to, hop.protocol_title
        )
    }
}

/// Splits networks into IPv4 and IPv6.
fn split(networks: &[String]) -> (Vec<&str>, Vec<&str>) {
    networks.iter().map(String::as_str).partition(|n| !n.contains(':'))
}

/// Each host's files, written on every core the machine has and returned in host order: the
/// output does not depend on the number of threads.
pub fn per_host<'m, F>(hosts: &[Host<'m>], write: F) -> Vec<Output>
where
    F: Fn(&Host<'m>) -> Vec<Output> + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Below this many hosts a thread costs more than it saves.
    if threads <= 1 || hosts.len() < 32 {
        return hosts.iter().flat_map(&write).collect();
    }
    let chunk = hosts.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = hosts
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().flat_map(&write).collect::<Vec<Output>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// The hosts and their rules, in model order. Fails on a hop whose end has no address (P603,
/// which the build reports first) or that has no port.
pub fn plan<'m>(model: &'m Model) -> Result<Vec<Host<'m>>, EmitError> {
    let mut hosts: Vec<Host<'m>> = model
        .nodes
        .iter()
        .filter(|n| n.rule_addresses.origin != AddressOrigin::Any)
        .map(|node| Host {
            node,
            file: String::new(),
            input: Vec::new(),
            output: Vec::new(),
            local: Vec::new(),
            unfiltered: Vec::new(),
        })
        .collect();
    let names: Vec<&str> = hosts.iter().map(|h| h.node.name.as_str()).collect();
    for (host, stem) in hosts.iter_mut().zip(file_name::stems(&names)) {
        host.file = stem;
    }
    // Hosts by node name, so that placing each hop's rules does not scan every host.
    let host_of: FxHashMap<&str, usize> = hosts.iter().enumerate().map(|(i, h)| (h.node.name.as_str(), i)).collect();
    let mut unfiltered = Vec::new();
    for route in &model.routes {
        for &index in &route.hops {
            let Some(hop) = model.flows.get(index) else { continue };
            if hop.kind == HopKind::Local {
                if let Some(host) = host_of.get(hop.from.node.as_str()).and_then(|&i| hosts.get_mut(i)) {
                    host.local.push(route);
                }
                continue;
            }
            let (Some(from), Some(to)) = (model.node(&hop.from.node), model.node(&hop.to.node)) else {
                return Err(unwritable(hop, "an end is not a node of the model"));
            };
            for end in [from, to] {
                if end.rule_addresses.origin == AddressOrigin::None {
                    let why = format!("`{}` has no address and its zone no CIDR (P603)", end.name);
                    return Err(unwritable(hop, &why));
                }
            }
            if [from, to].iter().all(|n| n.rule_addresses.origin == AddressOrigin::Any) {
                unfiltered.push(hop);
                continue;
            }
            let transports = hop.transports();
            if transports.is_empty() {
                return Err(unwritable(hop, "it has no port"));
            }
            for transport in transports {
                let ports: Vec<PortRange> = hop.ports.iter().filter(|r| r.transport == transport).copied().collect();
                let rule = |peer: &'m Node| Rule {
                    hop,
                    route,
                    peer,
                    peer_zone: model.zone(&peer.zone),
                    transport,
                    ports: ports.clone(),
                };
                if let Some(host) = host_of.get(to.name.as_str()).and_then(|&i| hosts.get_mut(i)) {
                    host.input.push(rule(from));
                }
                if let Some(host) = host_of.get(from.name.as_str()).and_then(|&i| hosts.get_mut(i)) {
                    host.output.push(rule(to));
                }
            }
        }
    }
    if let (true, Some(hop)) = (hosts.is_empty(), unfiltered.first()) {
        return Err(unwritable(hop, "no node of the spec is a host: every node is on the internet"));
    }
    for host in &mut hosts {
        host.unfiltered.clone_from(&unfiltered);
    }
    Ok(hosts)
}

fn unwritable(hop: &Flow, why: &str) -> EmitError {
    EmitError {
        message: format!("flow {} ({} -> {}) cannot be written as a firewall rule: {why}", hop.route, hop.from, hop.to),
    }
}

/// What a host's chains do besides their rules, as the rule files state it.
pub const DEFAULTS: &[&str] = &[
    "Defaults, stated: the input and output chains drop what no rule accepts (policy drop);",
    "packets of established and related connections are accepted, so replies need no rule;",
    "loopback is accepted: `local` flows between roles on this host need no rule.",
    "Each other rule accepts one flow's new connections on one transport, nothing wider.",
];

/// The lines every rule file starts with: what it is and every default it applies.
pub fn preamble(host: &Host<'_>, comment: &str, load: &str) -> String {
    preamble_with(host, comment, load, DEFAULTS)
}

/// [`preamble`], with the lines that state the defaults of a target whose are not [`DEFAULTS`].
pub fn preamble_with(host: &Host<'_>, comment: &str, load: &str, defaults: &[&str]) -> String {
    let node = host.node;
    let addresses = match node.rule_addresses.origin {
        AddressOrigin::Node => node.addresses.join(", "),
        AddressOrigin::ZoneCidrs => format!("none of its own; zone CIDRs {}", node.rule_addresses.networks.join(", ")),
        AddressOrigin::Any | AddressOrigin::None => "none stated".to_string(),
    };
    let mut lines = vec![
        "Generated by `portolan build` from the spec; do not edit: change the spec and build again.".to_string(),
        format!("Host `{}` ({}), zone `{}`; addresses: {addresses}.", node.name, node.title, node.zone),
        load.to_string(),
    ];
    lines.extend(defaults.iter().map(|l| l.to_string()));
    let mut text: String = lines.iter().map(|l| comment_lines(comment, l)).collect();
    for hop in &host.unfiltered {
        let (number, from, to) = (hop.route, &hop.from, &hop.to);
        text.push_str(&comment_lines(
            comment,
            &format!(
                "Flow {number} ({from} -> {to}) is between nodes on the internet: no host of this spec filters it, no rule."
            ),
        ));
    }
    for route in &host.local {
        let (number, from, to) = (route.number, &route.from, &route.to);
        text.push_str(&comment_lines(
            comment,
            &format!("Flow {number} is local ({from} -> {to}): served on this host, no rule."),
        ));
    }
    text
}

/// `text` as comment lines starting with `marker` (`#`, indented or not): [`one_line`], and
/// cut into lines of at most [`MAX_COMMENT_LINE`] bytes of text, so that every reader takes
/// each line whole.
pub fn comment_lines(marker: &str, text: &str) -> String {
    let text = one_line(text);
    let mut rest = text.as_str();
    let mut out = String::new();
    loop {
        let line = super::ident::cut(rest, MAX_COMMENT_LINE);
        out.push_str(marker);
        out.push(' ');
        out.push_str(line);
        out.push('\n');
        rest = &rest[line.len()..];
        if rest.is_empty() {
            return out;
        }
    }
}

/// Text for a line comment: control characters (newlines above all), the line and paragraph
/// separators (line breaks to YAML 1.1, which Aerleon reads) and the noncharacters U+FFFE and
/// U+FFFF (which YAML rejects even in a comment) become spaces.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}') { ' ' } else { c })
        .collect()
}
