//! `aerleon`: policies and the definitions they name, for Aerleon's `aclgen`, which writes
//! rules for many platforms we do not target ourselves. Files: `aerleon/def/networks.yaml`,
//! `aerleon/def/services.yaml` and the policies of each chosen [`Platform`]: per host,
//! `aerleon/policies/pol/<host>.yaml` for nftables (`mixed`: IPv4 and IPv6, an INPUT and an
//! OUTPUT filter) and `aerleon/policies/<platform>/pol/<host>.yaml` for the other host platforms
//! (`hosts.rs`); one `aerleon/policies/<platform>/pol/zones.yaml` with a filter per pair of zones
//! for the zone-based ones (`zones.rs`). Run `aclgen --base_directory aerleon/policies
//! --definitions_directory aerleon/def`.

mod hosts;
mod zones;

use std::fmt::Write as _;

use portolan_model::ports::Transport;
use portolan_model::{AddressOrigin, Model, Node};

use super::ident::{Alphabet, Idents};
use super::rules::{self, Rule, one_line};
use super::{EmitError, Output};

/// Aerleon passes comments to the platforms unchanged; nftables keeps 128 bytes of one.
const MAX_COMMENT: usize = 120;
const LOOPBACK: &str = "\u{0}loopback";
const ANY: &str = "\u{0}any";
/// The longest network or service token: Aerleon's packet filter generator cuts tokens to 31
/// characters, which would make two longer tokens one.
const MAX_TOKEN: usize = 31;
/// The longest GCE network tag (63) less room for the names of rules made from it.
const MAX_TAG: usize = 40;

/// A platform of Aerleon's that `--aerleon-target` can ask policies for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    Nftables,
    Iptables,
    Juniper,
    Srx,
    Cisco,
    Paloalto,
    K8s,
    Gce,
}

impl Platform {
    pub const ALL: &'static [Platform] = &[
        Platform::Nftables,
        Platform::Iptables,
        Platform::Juniper,
        Platform::Srx,
        Platform::Cisco,
        Platform::Paloalto,
        Platform::K8s,
        Platform::Gce,
    ];

    /// The name users write, which is Aerleon's name of the generator too.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Nftables => "nftables",
            Platform::Iptables => "iptables",
            Platform::Juniper => "juniper",
            Platform::Srx => "srx",
            Platform::Cisco => "cisco",
            Platform::Paloalto => "paloalto",
            Platform::K8s => "k8s",
            Platform::Gce => "gce",
        }
    }

    pub fn parse(text: &str) -> Option<Platform> {
        Platform::ALL.iter().copied().find(|p| p.name() == text.trim())
    }

    /// The folder of `aerleon/policies/` that holds the platform's policies: `aclgen` reads the
    /// folders named `pol` and writes what it renders from `X/pol/` into `X/` of its output.
    pub fn folder(self) -> &'static str {
        match self {
            Platform::Nftables => "pol",
            Platform::Iptables => "iptables/pol",
            Platform::Juniper => "juniper/pol",
            Platform::Srx => "srx/pol",
            Platform::Cisco => "cisco/pol",
            Platform::Paloalto => "paloalto/pol",
            Platform::K8s => "k8s/pol",
            Platform::Gce => "gce/pol",
        }
    }

    /// Zone-based platforms filter between zones, one filter per pair; the others per host.
    pub fn zone_based(self) -> bool {
        matches!(self, Platform::Srx | Platform::Paloalto)
    }
}

pub fn emit(model: &Model, platforms: &[Platform]) -> Result<Vec<Output>, EmitError> {
    let hosts = rules::plan(model)?;
    let mut platforms = platforms.to_vec();
    platforms.sort();
    platforms.dedup();
    if platforms.is_empty() {
        return Err(EmitError { message: "no Aerleon platform was chosen".to_string() });
    }
    let mut defs = Defs::new();
    let mut out = Vec::new();
    for &platform in &platforms {
        if platform.zone_based() {
            out.push(zones::policy(model, &hosts, platform, &mut defs)?);
        } else {
            for host in &hosts {
                out.push(hosts::policy(host, platform, &mut defs)?);
            }
        }
    }
    out.extend(defs.files());
    Ok(out)
}

/// The network and service tokens the policies name, each defined the first time.
struct Defs {
    networks: Idents,
    services: Idents,
    network_defs: String,
    service_defs: String,
    /// The GCE network tags of hosts, which name Kubernetes policies too.
    tags: Idents,
}

impl Defs {
    fn new() -> Defs {
        let mut networks = Idents::new(Alphabet::Upper, MAX_TOKEN);
        networks.assign(LOOPBACK, "LOOPBACK");
        Defs {
            networks,
            services: Idents::new(Alphabet::Upper, MAX_TOKEN),
            network_defs: String::new(),
            service_defs: String::new(),
            tags: Idents::new(Alphabet::Word, MAX_TAG),
        }
    }

    /// The token of a rule's peer: its addresses, or [`Defs::any`] when it is any address.
    fn peer(&mut self, rule: &Rule<'_>) -> String {
        if rule.any() { self.any() } else { self.node(rule.peer) }
    }

    /// The token of a node's addresses.
    fn node(&mut self, node: &Node) -> String {
        let (token, new) = self.networks.assign(&node.name, &node.name);
        if new {
            self.network_defs.push_str(&network(&token, node));
        }
        token
    }

    /// `ANY`: every IPv4 and IPv6 address, for platforms that need an address in every rule.
    fn any(&mut self) -> String {
        let (token, new) = self.networks.assign(ANY, "ANY");
        if new {
            let comment = quote("any address: an untrusted zone that states no CIDR");
            let _ = write!(
                self.network_defs,
                "  {token}:\n    values:\n      - address: 0.0.0.0/0\n        comment: {comment}\n      - address: ::/0\n        comment: {comment}\n"
            );
        }
        token
    }

    /// The GCE network tag of a host: lower-case letters, digits and `-`, starting with a
    /// letter, unique among the spec's hosts.
    fn tag(&mut self, node: &Node) -> String {
        let (ident, _) = self.tags.assign(&node.name, &node.name.to_ascii_lowercase());
        let mut tag = ident.to_ascii_lowercase().replace('_', "-");
        if tag.ends_with('-') {
            tag.push('x');
        }
        tag
    }

    /// The service token of a rule's ports, defined the first time: `APP_HTTPS`.
    fn service(&mut self, rule: &Rule<'_>) -> String {
        let base = format!("{}_{}", rule.hop.to.node, rule.hop.to.port);
        let ports: Vec<String> = rule
            .ports
            .iter()
            .map(|r| if r.start == r.end { r.start.to_string() } else { format!("{}-{}", r.start, r.end) })
            .collect();
        let key = format!("{base}\u{0}{}\u{0}{}", rule.transport.as_str(), ports.join(","));
        let (token, new) = self.services.assign(&key, &base);
        if new {
            let _ = writeln!(self.service_defs, "  {token}:");
            for port in &ports {
                let protocol = match rule.transport {
                    Transport::Tcp => "tcp",
                    Transport::Udp => "udp",
                };
                let _ = writeln!(self.service_defs, "    - port: {}\n      protocol: {protocol}", quote(port));
            }
        }
        token
    }

    fn files(self) -> [Output; 2] {
        let header = "# Generated by `portolan build` from the spec; do not edit.\n";
        let loopback = format!(
            "  LOOPBACK:\n    values:\n      - address: 127.0.0.0/8\n        comment: {}\n      - address: ::1/128\n        comment: {}\n",
            quote("loopback"),
            quote("loopback")
        );
        let networks = format!("{header}networks:\n{loopback}{}", self.network_defs);
        let services =
            if self.service_defs.is_empty() { " {}\n".to_string() } else { format!("\n{}", self.service_defs) };
        [
            Output::new("aerleon/def/networks.yaml", networks),
            Output::new("aerleon/def/services.yaml", format!("{header}services:{services}")),
        ]
    }
}

fn network(token: &str, node: &Node) -> String {
    let origin = match node.rule_addresses.origin {
        AddressOrigin::ZoneCidrs => format!("{} has no address: zone {} CIDR", node.name, node.zone),
        _ => format!("{} ({})", node.name, node.title),
    };
    let mut text = format!("  {token}:\n    values:\n");
    for network in &node.rule_addresses.networks {
        let _ = writeln!(text, "      - address: {}\n        comment: {}", quote(network), quote(&origin));
    }
    text
}

/// The name of a rule's term: its flow, hop and transport, unique in a spec.
fn term_name(rule: &Rule<'_>) -> String {
    format!("f{}-h{}-{}", rule.hop.route, rule.hop.hop, rule.transport.as_str())
}

/// Why a rule cannot be written for a platform: the build fails rather than drop it.
fn cannot(rule: &Rule<'_>, platform: Platform, why: &str) -> EmitError {
    let hop = rule.hop;
    EmitError {
        message: format!(
            "flow {} ({} -> {}) cannot be written for Aerleon's `{}`: {why}",
            hop.route,
            hop.from,
            hop.to,
            platform.name()
        ),
    }
}

/// A YAML double-quoted string of text Aerleon passes on to other formats: `"` becomes `'`
/// (Aerleon does not escape it for its targets), line breaks and what YAML rejects become spaces
/// ([`one_line`]), and the text is cut to a length every target keeps; `\` and the byte-order
/// mark are escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    let mut length = 0;
    for c in one_line(text).chars().map(|c| if c == '"' { '\'' } else { c }) {
        if length + c.len_utf8() > MAX_COMMENT {
            break;
        }
        length += c.len_utf8();
        match c {
            '\\' => out.push_str("\\\\"),
            '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
