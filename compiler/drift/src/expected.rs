//! What the spec builds for one host, in the compared form: each accept of its input and output
//! chains with the flow, hop and label that name it, from `portolan-emit`'s plan (the one the
//! nftables and iptables emitters write).

use portolan_emit::rules::{self, Direction};
use portolan_model::Model;

use crate::norm::{Accept, Dir, Family, Housekeeping, Spans, network};
use crate::{FlowRef, Source};

/// The rules the spec builds for one host.
#[derive(Clone, Debug)]
pub struct Expected {
    pub host: String,
    /// Whether IPv6 appears in the host's rules (then neighbour discovery is accepted).
    pub ipv6: bool,
    pub rules: Vec<ExpectedRule>,
}

/// One accept the spec builds.
#[derive(Clone, Debug)]
pub struct ExpectedRule {
    pub direction: Direction,
    /// The rule's comment: the flow's label, else its two ends.
    pub label: String,
    /// The comment as `nft` lists it, then as `iptables-save` lists it (cut, quotes replaced).
    pub comments: [String; 2],
    /// The sentence of the rule files' comment line: flow, hop, addresses, deciding rule.
    pub describe: String,
    pub flow: FlowRef,
    pub accept: Accept,
}

/// The rules of host `host`; an error naming the hosts when it is not one.
pub fn expected(model: &Model, host: &str) -> Result<Expected, String> {
    let hosts = rules::plan(model).map_err(|e| e.message)?;
    let Some(found) = hosts.iter().find(|h| h.node.name == host) else {
        let names: Vec<String> = hosts.iter().map(|h| format!("`{}`", h.node.name)).collect();
        let list = if names.is_empty() { "none".to_string() } else { names.join(", ") };
        return Err(format!("`{host}` is not a host of the spec; its hosts: {list}"));
    };
    let rules = found
        .rules()
        .map(|(direction, rule)| {
            let (mut v4, mut v6) = (Vec::new(), Vec::new());
            for net in &rule.peer.rule_addresses.networks {
                match network(net) {
                    Some((Family::V4, span)) => v4.push(span),
                    Some((Family::V6, span)) => v6.push(span),
                    None => {}
                }
            }
            let (v4, v6) = if rule.any() {
                (Spans::full(Family::V4), Spans::full(Family::V6))
            } else {
                (Spans::new(v4), Spans::new(v6))
            };
            let ports = Spans::new(rule.ports.iter().map(|r| (u128::from(r.start), u128::from(r.end))).collect());
            let label = rule.label();
            let listed = |target| portolan_emit::listed_comment(target, &label).unwrap_or_else(|| label.clone());
            ExpectedRule {
                direction,
                comments: [listed(portolan_emit::Target::Nftables), listed(portolan_emit::Target::Iptables)],
                label: label.clone(),
                describe: rule.describe(direction),
                flow: FlowRef { route: rule.hop.route, hop: rule.hop.hop, hops: rule.route.hops.len() },
                accept: Accept { transport: rule.transport, ports, v4, v6 },
            }
        })
        .collect();
    Ok(Expected { host: host.to_string(), ipv6: found.uses_ipv6(), rules })
}

impl ExpectedRule {
    /// The comment of this rule in a listing from `source`.
    pub fn comment(&self, source: Source) -> &str {
        match source {
            Source::Nftables => &self.comments[0],
            Source::Iptables(_) => &self.comments[1],
        }
    }
}

impl Expected {
    /// The housekeeping rules the rule file for `source` states in a direction's chain.
    pub fn housekeeping(&self, source: Source, direction: Direction) -> Vec<Housekeeping> {
        let dir = match direction {
            Direction::Input => Dir::In,
            Direction::Output => Dir::Out,
        };
        let mut out = vec![Housekeeping::Established, Housekeeping::Loopback(dir)];
        let neighbour = match source {
            Source::Nftables => self.ipv6,
            Source::Iptables(family) => family == Family::V6,
        };
        if neighbour {
            let router = if direction == Direction::Input { 134 } else { 133 };
            out.extend([135, 136, router].map(Housekeeping::Neighbour));
        }
        out.sort();
        out
    }
}
