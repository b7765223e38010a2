//! P604: a cluster of no hosts, or one whose addresses contradict its count.
//!
//! `node ssms[3]` is three hosts. Its single addresses, when it gives any, are one per member:
//! exactly three of each address family it uses (three IPv4 addresses, and three IPv6 ones for a
//! dual-stack cluster). A network among them (`10.0.0.0/24`) is where the members take their
//! addresses from: rules name the network, which must hold at least as many addresses as there
//! are members.

use portolan_syntax::Span;
use portolan_syntax::ast::ReplicaCount;

use super::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::{Item, NodeSyntax};
use crate::net::Network;

/// How one address family's addresses of a counted cluster compare with the count.
enum Family {
    /// Only single addresses: there must be one per member.
    Hosts(u64),
    /// Networks too: the members' addresses are taken from them; this many fit.
    Networks(u128),
}

/// "1 address", "2 IPv4 addresses", "4 hosts".
fn plural(n: impl Into<u128>, word: &str) -> String {
    let n = n.into();
    let ending = if word.ends_with("ss") { "es" } else { "s" };
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}{ending}") }
}

/// The diagnostic for a node whose count is 0 or contradicts its addresses, if it is one.
/// The replica count of a node against its addresses; runs on the resolved node, reading the
/// addresses as written for their spans.
pub fn check(db: &dyn Db, node: Item<'_>) -> Option<Diagnostic> {
    let Some(NodeSyntax::Parsed { decl, .. }) = node.node_syntax(db) else { return None };
    let addresses: Vec<(Network, Span)> =
        decl.addresses.iter().filter_map(|a| Some((Network::parse(&a.text).ok()?, a.span))).collect();
    let addresses = addresses.as_slice();
    let replicas = decl.replicas.as_ref()?;
    let ReplicaCount::Count(count) = replicas.count else { return None };
    let name = &decl.name.name;
    if count == 0 {
        return Some(
            Diagnostic::new(Code::ReplicaCount, format!("`{name}[0]` is a cluster of no hosts"))
                .primary(node.at(db, replicas.span), "a node stands for at least one host")
                .note("no host runs its components, yet its flows open ports and rules name its addresses")
                .help(format!("remove `[0]` for a single host, or write how many hosts `{name}` stands for"))
                .fix("remove `[0]`", vec![edit::remove(db, node, replicas.span)]),
        );
    }
    let dual_stack = addresses.iter().any(|(a, _)| a.is_ipv4()) && addresses.iter().any(|(a, _)| !a.is_ipv4());
    let mut families = Vec::new();
    for ipv4 in [true, false] {
        let of_family: Vec<&(Network, Span)> = addresses.iter().filter(|(a, _)| a.is_ipv4() == ipv4).collect();
        let (Some(first), Some(last)) = (of_family.first(), of_family.last()) else { continue };
        let mut hosts: Vec<Network> = of_family.iter().filter(|(a, _)| a.is_host()).map(|(a, _)| *a).collect();
        hosts.sort_unstable();
        hosts.dedup();
        let bits = if ipv4 { 32 } else { 128 };
        let networks: Vec<&Network> = of_family.iter().map(|(a, _)| a).filter(|a| !a.is_host()).collect();
        let family = if networks.is_empty() {
            Family::Hosts(hosts.len() as u64)
        } else {
            let size = |n: &Network| 1u128.checked_shl(u32::from(bits - n.prefix)).unwrap_or(u128::MAX);
            let room = networks.iter().fold(hosts.len() as u128, |sum, n| sum.saturating_add(size(n)));
            Family::Networks(room)
        };
        let words = match (dual_stack, ipv4) {
            (false, _) => "address",
            (true, true) => "IPv4 address",
            (true, false) => "IPv6 address",
        };
        families.push((family, first.1.cover(last.1), words));
    }
    // The count every family of single addresses agrees on, which the count could be changed to.
    let agreed = {
        let counts: Vec<u64> =
            families.iter().filter_map(|(f, ..)| if let Family::Hosts(n) = f { Some(*n) } else { None }).collect();
        let fits =
            |n: u64| families.iter().all(|(f, ..)| !matches!(f, Family::Networks(room) if *room < u128::from(n)));
        counts.first().copied().filter(|&n| n > 0 && counts.iter().all(|&c| c == n) && fits(n))
    };
    let hosts = if count == 1 { "one host".to_string() } else { format!("a cluster of {count} hosts") };
    for (family, span, words) in families {
        let diagnostic = match family {
            Family::Hosts(found) if found != count => {
                let diagnostic = Diagnostic::new(
                    Code::ReplicaCount,
                    format!("`{name}[{count}]` is {hosts}, but it has {}", plural(found, words)),
                )
                .primary(node.at(db, replicas.span), format!("{count} members"))
                .secondary(node.at(db, span), plural(found, words));
                let diagnostic = if found < count {
                    diagnostic.note(format!(
                        "each member is one host with one {words}: a member without one is missing from every firewall rule"
                    ))
                } else {
                    diagnostic.note(format!(
                        "each member is one host with one {words}: rules name every address, so an address of no member is let in as one"
                    ))
                };
                let fill = if found < count {
                    format!("give each of the {count} members its {words}")
                } else {
                    format!("keep one {words} per member")
                };
                match agreed {
                    Some(agreed) => diagnostic
                        .help(format!("{fill}, or make the count match the addresses: `{name}[{agreed}]`"))
                        .fix(
                            format!("make the count {agreed}"),
                            vec![edit::replace(db, node, replicas.span, format!("[{agreed}]"))],
                        ),
                    None => diagnostic.help(fill),
                }
            }
            Family::Networks(room) if room < u128::from(count) => Diagnostic::new(
                Code::ReplicaCount,
                format!("`{name}[{count}]` is {hosts}, but its {words}es have room for only {}", plural(room, "host")),
            )
            .primary(node.at(db, replicas.span), format!("{count} members"))
            .secondary(node.at(db, span), format!("room for {}", plural(room, "host")))
            .help("give the cluster a larger network, or lower its count"),
            _ => continue,
        };
        return Some(diagnostic);
    }
    None
}
