//! `iptables`: per host, `iptables/<host>.iptables` for `iptables-restore`, and
//! `iptables/<host>.ip6tables` for `ip6tables-restore` when IPv6 addresses appear; the same
//! rules as the nftables target, written for the filter table's INPUT and OUTPUT chains.

use std::fmt::Write as _;

use portolan_model::Model;
use portolan_model::ports::PortRange;

use super::rules::{self, Direction, Host, Rule, comment_lines, one_line};
use super::{EmitError, Output};

/// The longest comment the comment match stores, in bytes.
const MAX_COMMENT: usize = 255;
/// The most ports one `multiport` match takes (a range counts twice).
const MAX_MULTIPORT: usize = 15;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    V4,
    V6,
}

pub fn emit(model: &Model) -> Result<Vec<Output>, EmitError> {
    let hosts = rules::plan(model)?;
    Ok(rules::per_host(&hosts, |host| {
        let name = &host.file;
        let mut out = vec![Output::new(format!("iptables/{name}.iptables"), host_file(host, Family::V4))];
        if host.uses_ipv6() {
            out.push(Output::new(format!("iptables/{name}.ip6tables"), host_file(host, Family::V6)));
        }
        out
    }))
}

fn host_file(host: &Host<'_>, family: Family) -> String {
    let (tool, other) = match family {
        Family::V4 => ("iptables-restore", "IPv6 rules are in the `.ip6tables` file, when IPv6 appears"),
        Family::V6 => ("ip6tables-restore", "IPv4 rules are in the `.iptables` file"),
    };
    let load = format!(
        "Load with `{tool}`: it replaces the rules of the filter table; FORWARD's policy is left as it is. {other}."
    );
    let mut out = rules::preamble(host, "#", &load);
    if family == Family::V6 {
        out.push_str("# ICMPv6 neighbour discovery is accepted: without it IPv6 does not work.\n");
    }
    out.push_str("*filter\n:INPUT DROP [0:0]\n:OUTPUT DROP [0:0]\n");
    for (chain, direction) in [("INPUT", Direction::Input), ("OUTPUT", Direction::Output)] {
        let _ = writeln!(
            out,
            "-A {chain} -m conntrack --ctstate ESTABLISHED,RELATED -m comment --comment {} -j ACCEPT",
            quote("replies and related traffic")
        );
        let lo = if direction == Direction::Input { "-i" } else { "-o" };
        let _ = writeln!(
            out,
            "-A {chain} {lo} lo -m comment --comment {} -j ACCEPT",
            quote("loopback: local flows on this host")
        );
        if family == Family::V6 {
            let types: &[&str] = match direction {
                Direction::Input => &["neighbour-solicitation", "neighbour-advertisement", "router-advertisement"],
                Direction::Output => &["neighbour-solicitation", "neighbour-advertisement", "router-solicitation"],
            };
            for t in types {
                let _ = writeln!(
                    out,
                    "-A {chain} -p ipv6-icmp -m icmp6 --icmpv6-type {t} -m comment --comment {} -j ACCEPT",
                    quote("IPv6 neighbour discovery")
                );
            }
        }
        for (_, rule) in host.rules().filter(|(d, _)| *d == direction) {
            let lines = rule_lines(rule, chain, direction, family);
            if lines.is_empty() {
                let missing = format!("(no {} address of `{}`)", family_name(family), rule.peer.name);
                out.push_str(&comment_lines("#", &format!("{missing} {}", rule.describe(direction))));
                continue;
            }
            out.push_str(&comment_lines("#", &rule.describe(direction)));
            for line in lines {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out.push_str("COMMIT\n");
    out
}

fn family_name(family: Family) -> &'static str {
    match family {
        Family::V4 => "IPv4",
        Family::V6 => "IPv6",
    }
}

/// The rule's lines for one family: none when the peer has no address of that family.
fn rule_lines(rule: &Rule<'_>, chain: &str, direction: Direction, family: Family) -> Vec<String> {
    let addresses = if rule.any() {
        String::new()
    } else {
        let (v4, v6) = rule.networks();
        let networks = if family == Family::V4 { v4 } else { v6 };
        if networks.is_empty() {
            return Vec::new();
        }
        let flag = if direction == Direction::Input { "-s" } else { "-d" };
        format!(" {flag} {}", networks.join(","))
    };
    let transport = rule.transport.as_str();
    let comment = quote(&rule.label());
    port_matches(&rule.ports)
        .into_iter()
        .map(|ports| format!("-A {chain} -p {transport}{addresses} {ports} -m comment --comment {comment} -j ACCEPT"))
        .collect()
}

/// `--dport 443`, or `-m multiport --dports ...` in groups of at most fifteen ports.
fn port_matches(ports: &[PortRange]) -> Vec<String> {
    let text = |r: &PortRange| if r.start == r.end { r.start.to_string() } else { format!("{}:{}", r.start, r.end) };
    if let [one] = ports {
        return vec![format!("--dport {}", text(one))];
    }
    let mut groups: Vec<Vec<String>> = vec![Vec::new()];
    let mut used = 0;
    for range in ports {
        let cost = if range.start == range.end { 1 } else { 2 };
        if used + cost > MAX_MULTIPORT {
            groups.push(Vec::new());
            used = 0;
        }
        used += cost;
        if let Some(group) = groups.last_mut() {
            group.push(text(range));
        }
    }
    groups.into_iter().map(|g| format!("-m multiport --dports {}", g.join(","))).collect()
}

/// An `iptables-restore` quoted argument: `\` and `"` escaped with `\`, control characters as
/// spaces, cut to what the comment match stores.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    let mut length = 0;
    for c in one_line(text).chars() {
        if length + c.len_utf8() > MAX_COMMENT {
            break;
        }
        length += c.len_utf8();
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}
