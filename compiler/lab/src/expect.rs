//! What the lab probes and what each probe must see, from the model alone: every hop of every
//! flow on every transport and (sampled) port it uses, and what must not get through — every
//! listener from every member with no flow to it, the ports just outside each range, the other
//! transport. A probe's verdict follows what the rules mean (`spec/build.md`): a host's output
//! chain accepts towards the networks of each hop's destination on the hop's ports, its input
//! chain from the networks of each hop's source; nodes on the internet have no rules.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

use portolan_model::ports::{PortRange, Transport};
use portolan_model::{AddressOrigin, HopKind, Model};

use crate::net::Net;
use crate::topology::Member;

/// A spec with more members than this probes each listener from a sample of the members with
/// no flow to it, rather than from each.
const ALL_SOURCES_UP_TO: usize = 40;
/// The size of that sample.
const SAMPLED_SOURCES: usize = 12;

#[derive(Clone, Debug)]
pub struct Probe {
    pub from: usize,
    pub to: usize,
    pub addr: IpAddr,
    pub transport: Transport,
    pub port: u16,
    /// The hop it probes (index into the model's flows), for a probe of what must get through.
    pub hop: Option<usize>,
    /// Why it must be refused, for the others.
    pub why: String,
    /// A `local` flow, probed on the host at 127.0.0.1.
    pub local: bool,
}

/// Which chains a pass keeps as written: the lab opens the other with a policy accept, so that
/// each host's input and output chains are each seen on their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    AsWritten,
    InputsOnly,
    OutputsOnly,
}

impl Pass {
    pub fn name(self) -> &'static str {
        match self {
            Pass::AsWritten => "as written",
            Pass::InputsOnly => "input chains alone (output policies accept)",
            Pass::OutputsOnly => "output chains alone (input policies accept)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// TCP connected, or UDP answered.
    Open,
    /// TCP reset or ICMP port unreachable: through the rules, no listener.
    Refused,
    /// Nothing within the timeout: dropped.
    Dropped,
    /// The sending host refused to send (EPERM): dropped by its output chain.
    Denied,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Open => "open",
            Outcome::Refused => "refused",
            Outcome::Dropped => "dropped",
            Outcome::Denied => "denied",
        }
    }

    /// Dropped on the way, by either side.
    pub fn blocked(self) -> bool {
        matches!(self, Outcome::Dropped | Outcome::Denied)
    }
}

pub struct Oracle<'m> {
    model: &'m Model,
    nets: Vec<Option<Vec<Net>>>,
}

impl<'m> Oracle<'m> {
    pub fn new(model: &'m Model) -> Oracle<'m> {
        let nets = model
            .nodes
            .iter()
            .map(|n| match n.rule_addresses.origin {
                AddressOrigin::Any => None,
                _ => Some(n.rule_addresses.networks.iter().filter_map(|a| Net::parse(a)).collect()),
            })
            .collect();
        Oracle { model, nets }
    }

    fn holds(&self, node: &str, addr: IpAddr) -> bool {
        let Some(index) = self.model.nodes.iter().position(|n| n.name == node) else { return false };
        match self.nets.get(index) {
            Some(None) => true,
            Some(Some(nets)) => nets.iter().any(|n| n.contains(addr)),
            None => false,
        }
    }

    fn covers(ports: &[PortRange], transport: Transport, port: u16) -> bool {
        ports.iter().any(|r| r.transport == transport && r.start <= port && port <= r.end)
    }

    /// The source's output chain accepts it.
    pub fn output_accepts(&self, members: &[Member], probe: &Probe) -> bool {
        let Some(from) = members.get(probe.from) else { return false };
        if from.host.is_none() || probe.local {
            return true;
        }
        let name = &self.model.nodes[from.node].name;
        self.model.flows.iter().any(|f| {
            f.kind != HopKind::Local
                && &f.from.node == name
                && Self::covers(&f.ports, probe.transport, probe.port)
                && self.holds(&f.to.node, probe.addr)
        })
    }

    /// The destination's input chain accepts it, from the source's address of that family.
    pub fn input_accepts(&self, members: &[Member], probe: &Probe) -> bool {
        let (Some(from), Some(to)) = (members.get(probe.from), members.get(probe.to)) else { return false };
        if to.host.is_none() || probe.local {
            return true;
        }
        let name = &self.model.nodes[to.node].name;
        let sources = from.family(probe.addr.is_ipv6());
        self.model.flows.iter().any(|f| {
            f.kind != HopKind::Local
                && &f.to.node == name
                && Self::covers(&f.ports, probe.transport, probe.port)
                && sources.iter().any(|&s| self.holds(&f.from.node, s))
        })
    }

    pub fn expect(&self, members: &[Member], probe: &Probe, pass: Pass) -> Outcome {
        let out = pass == Pass::InputsOnly || self.output_accepts(members, probe);
        let input = pass == Pass::OutputsOnly || self.input_accepts(members, probe);
        if !(out && input) {
            return Outcome::Dropped;
        }
        let listening = members.get(probe.to).is_some_and(|m| m.listeners.contains(&(probe.transport, probe.port)));
        if listening { Outcome::Open } else { Outcome::Refused }
    }
}

/// Every probe of the lab, in a fixed order.
pub fn probes(model: &Model, members: &[Member]) -> Vec<Probe> {
    let of_node = |name: &str| -> Vec<usize> {
        let Some(index) = model.nodes.iter().position(|n| n.name == name) else { return Vec::new() };
        (0..members.len()).filter(|&m| members[m].node == index).collect()
    };
    let mut out = Vec::new();
    let mut seen: BTreeSet<(usize, usize, IpAddr, Transport, u16)> = BTreeSet::new();
    // A probe of what must get through is made for each hop, even when another hop makes the
    // same one (each row of the matrix has its own); one of what must be refused, once.
    let mut push = |out: &mut Vec<Probe>, probe: Probe| {
        if seen.insert((probe.from, probe.to, probe.addr, probe.transport, probe.port)) || probe.hop.is_some() {
            out.push(probe);
        }
    };
    // What must get through: every hop, from every member of its source to every member of
    // its destination, on every address family both have.
    for (index, hop) in model.flows.iter().enumerate() {
        let local = hop.kind == HopKind::Local;
        for from in of_node(&hop.from.node) {
            let targets: Vec<(usize, IpAddr)> = if local {
                vec![(from, IpAddr::V4(Ipv4Addr::LOCALHOST))]
            } else {
                of_node(&hop.to.node)
                    .into_iter()
                    .filter(|&to| to != from)
                    .flat_map(|to| {
                        let families = [false, true].into_iter().filter(|&v6| !members[from].family(v6).is_empty());
                        families.flat_map(move |v6| members[to].family(v6).into_iter().map(move |a| (to, a)))
                    })
                    .collect()
            };
            for (to, addr) in targets {
                for range in &hop.ports {
                    for port in range.sample() {
                        let (transport, why) = (range.transport, String::new());
                        push(&mut out, Probe { from, to, addr, transport, port, hop: Some(index), why, local });
                    }
                }
            }
        }
    }
    // What must be refused.
    let sampled = members.len() > ALL_SOURCES_UP_TO;
    for (to, member) in members.iter().enumerate() {
        let node = &model.nodes[member.node];
        let reaching: Vec<_> =
            model.flows.iter().filter(|f| f.to.node == node.name && f.kind != HopKind::Local).collect();
        let mut sources: Vec<usize> = (0..members.len()).filter(|&m| members[m].node != member.node).collect();
        if sampled && sources.len() > SAMPLED_SOURCES {
            let step = sources.len() / SAMPLED_SOURCES;
            let offset = to % step.max(1);
            sources = sources.into_iter().skip(offset).step_by(step.max(1)).take(SAMPLED_SOURCES).collect();
        }
        // Each listener (the first port of each input's range when sampled) from each member
        // with no flow to it on that port.
        for &(transport, port) in &member.listeners {
            for &from in &sources {
                let from_node = &model.nodes[members[from].node].name;
                let served =
                    reaching.iter().any(|f| &f.from.node == from_node && Oracle::covers(&f.ports, transport, port));
                if served {
                    continue;
                }
                if let Some(addr) = common_address(members, from, to) {
                    let why =
                        format!("{} {port} of `{}` with no flow from `{from_node}`", transport.upper(), node.name);
                    push(&mut out, Probe { from, to, addr, transport, port, hop: None, why, local: false });
                }
            }
        }
        // The ports just outside each range of each hop reaching it, and the other transport,
        // from the hop's source (its first member).
        let mut ranges_done: BTreeSet<(String, PortRange)> = BTreeSet::new();
        for hop in &reaching {
            let Some(&from) = of_node(&hop.from.node).iter().find(|&&m| m != to) else { continue };
            let mut served = PortRangeSet::default();
            for f in reaching.iter().filter(|f| f.from.node == hop.from.node) {
                served.ranges.extend(f.ports.iter().copied());
            }
            for range in &hop.ports {
                let key = if sampled { String::new() } else { hop.from.node.clone() };
                if !ranges_done.insert((key, *range)) {
                    continue;
                }
                let other = match range.transport {
                    Transport::Tcp => Transport::Udp,
                    Transport::Udp => Transport::Tcp,
                };
                let candidates = [
                    (range.transport, u32::from(range.start).wrapping_sub(1), "just below"),
                    (range.transport, u32::from(range.end) + 1, "just above"),
                    (other, u32::from(range.start), "on the other transport than"),
                ];
                for (transport, port, where_) in candidates {
                    let Ok(port) = u16::try_from(port) else { continue };
                    if port == 0 || served.covers(transport, port) {
                        continue;
                    }
                    let Some(addr) = common_address(members, from, to) else { continue };
                    let why = format!("{} {port}: {where_} {range} of flow {}", transport.upper(), hop.route);
                    push(&mut out, Probe { from, to, addr, transport, port, hop: None, why, local: false });
                }
            }
        }
    }
    out
}

#[derive(Default)]
struct PortRangeSet {
    ranges: Vec<PortRange>,
}

impl PortRangeSet {
    fn covers(&self, transport: Transport, port: u16) -> bool {
        Oracle::covers(&self.ranges, transport, port)
    }
}

/// The destination's first address of a family the source has too, IPv4 first.
fn common_address(members: &[Member], from: usize, to: usize) -> Option<IpAddr> {
    [false, true]
        .into_iter()
        .find_map(|v6| if members[from].family(v6).is_empty() { None } else { members[to].family(v6).first().copied() })
}
