//! `nftables`: one `nftables/<host>.nft` per host that `nft -f` loads (and `nft -c -f` accepts):
//! a table `inet portolan` with an input and an output chain, policy drop, and named sets of
//! the peers' addresses.

use std::fmt::Write as _;

use portolan_model::Model;

use super::ident::{Alphabet, Idents};
use super::rules::{self, Direction, Host, Rule, comment_lines, one_line};
use super::{EmitError, Output};

/// The longest comment nftables stores, in bytes.
const MAX_COMMENT: usize = 128;
/// The longest set name the kernel takes (`NFT_SET_MAXNAMELEN`, 256 bytes with the final NUL);
/// `nft -c` refuses a longer one.
const MAX_SET_NAME: usize = 255;

pub fn emit(model: &Model) -> Result<Vec<Output>, EmitError> {
    let hosts = rules::plan(model)?;
    Ok(rules::per_host(&hosts, |host| vec![Output::new(format!("nftables/{}.nft", host.file), host_file(host))]))
}

fn host_file(host: &Host<'_>) -> String {
    let load = "Load with `nft -f`: it replaces the table `inet portolan` and nothing else.";
    let mut out = rules::preamble(host, "#", load);
    let ipv6 = host.uses_ipv6();
    if ipv6 {
        out.push_str("# IPv6 appears: ICMPv6 neighbour discovery is accepted, without which IPv6 does not work.\n");
    }
    out.push_str("\ntable inet portolan\ndelete table inet portolan\n\ntable inet portolan {\n");
    let mut sets = Idents::new(Alphabet::Word, MAX_SET_NAME);
    let mut declared = String::new();
    let mut chains = String::new();
    for (direction, name, hook) in [(Direction::Input, "input", "input"), (Direction::Output, "output", "output")] {
        let _ = writeln!(chains, "\tchain {name} {{");
        let _ = writeln!(chains, "\t\ttype filter hook {hook} priority filter; policy drop;");
        let _ = writeln!(chains, "\t\tct state established,related accept comment \"replies and related traffic\"");
        let lo = if direction == Direction::Input { "iif" } else { "oif" };
        let _ = writeln!(chains, "\t\t{lo} \"lo\" accept comment \"loopback: local flows on this host\"");
        if ipv6 {
            let types = match direction {
                Direction::Input => "nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert",
                Direction::Output => "nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit",
            };
            let _ = writeln!(chains, "\t\ticmpv6 type {{ {types} }} accept comment \"IPv6 neighbour discovery\"");
        }
        for (_, rule) in host.rules().filter(|(d, _)| *d == direction) {
            chains.push_str(&comment_lines("\t\t#", &rule.describe(direction)));
            for line in rule_lines(rule, direction, &mut sets, &mut declared) {
                let _ = writeln!(chains, "\t\t{line}");
            }
        }
        chains.push_str("\t}\n");
    }
    out.push_str(&declared);
    out.push_str(&chains);
    out.push_str("}\n");
    out
}

/// The rule's lines, one per address family of the peer (one line for any address); declares
/// the sets it uses the first time.
fn rule_lines(rule: &Rule<'_>, direction: Direction, sets: &mut Idents, declared: &mut String) -> Vec<String> {
    let ports = ports(rule);
    let verdict = format!("accept comment {}", quote(&rule.label()));
    if rule.any() {
        return vec![format!("{ports} {verdict}")];
    }
    let side = if direction == Direction::Input { "saddr" } else { "daddr" };
    let (v4, v6) = rule.networks();
    let mut lines = Vec::new();
    for (family, kind, suffix, networks) in [("ip", "ipv4_addr", "v4", v4), ("ip6", "ipv6_addr", "v6", v6)] {
        if networks.is_empty() {
            continue;
        }
        let key = format!("{}\u{0}{suffix}", rule.peer.name);
        let (set, new) = sets.assign(&key, &format!("{}_{suffix}", rule.peer.name));
        if new {
            declared.push_str(&comment_lines("\t#", &set_origin(rule)));
            let _ = writeln!(declared, "\tset {set} {{");
            let _ = writeln!(declared, "\t\ttype {kind}");
            let _ = writeln!(declared, "\t\tflags interval");
            let _ = writeln!(declared, "\t\tauto-merge");
            let _ = writeln!(declared, "\t\telements = {{ {} }}", networks.join(", "));
            declared.push_str("\t}\n\n");
        }
        lines.push(format!("{family} {side} @{set} {ports} {verdict}"));
    }
    lines
}

fn set_origin(rule: &Rule<'_>) -> String {
    match rule.peer.rule_addresses.origin {
        portolan_model::AddressOrigin::ZoneCidrs => {
            format!("`{}` has no address: the CIDRs of its zone `{}`", rule.peer.name, rule.peer.zone)
        }
        _ => format!("the addresses of `{}` ({})", rule.peer.name, rule.peer.title),
    }
}

/// `tcp dport 443` or `udp dport { 53, 7600-7610 }`.
fn ports(rule: &Rule<'_>) -> String {
    let values: Vec<String> = rule
        .ports
        .iter()
        .map(|r| if r.start == r.end { r.start.to_string() } else { format!("{}-{}", r.start, r.end) })
        .collect();
    let transport = rule.transport.as_str();
    match values.as_slice() {
        [one] => format!("{transport} dport {one}"),
        _ => format!("{transport} dport {{ {} }}", values.join(", ")),
    }
}

/// An nftables quoted string. nftables strings have no escapes: a `"` becomes `'`, control
/// characters become spaces, and the text is cut to what nftables stores.
pub fn quote(text: &str) -> String {
    let mut out = String::new();
    for c in one_line(text).chars().map(|c| if c == '"' { '\'' } else { c }) {
        if out.len() + c.len_utf8() > MAX_COMMENT {
            break;
        }
        out.push(c);
    }
    format!("\"{out}\"")
}
