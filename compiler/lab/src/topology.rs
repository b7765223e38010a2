//! The lab's members: one network namespace per host, per replica of a cluster (at most
//! [`MAX_REPLICAS`]), two for a `[*]` group; each with its addresses: the spec's, else one of
//! each family taken from its zone's CIDRs, else (on the internet) from the documentation ranges,
//! never one that the spec uses.

use std::collections::BTreeSet;
use std::net::IpAddr;

use portolan_model::ports::Transport;
use portolan_model::{AddressOrigin, Model, Node, PortKind, Replicas};

use crate::LabError;
use crate::net::{Net, documentation};

/// Replicas of a cluster the lab builds at most.
pub const MAX_REPLICAS: usize = 3;

/// One namespace of the lab.
#[derive(Clone, Debug)]
pub struct Member {
    /// Index into the model's nodes.
    pub node: usize,
    /// From 0.
    pub replica: usize,
    pub addresses: Vec<IpAddr>,
    /// Every (transport, port) a listener answers on.
    pub listeners: BTreeSet<(Transport, u16)>,
    /// The rule files' stem when the node is a host (it has rules), `None` on the internet.
    pub host: Option<String>,
}

impl Member {
    pub fn family(&self, v6: bool) -> Vec<IpAddr> {
        self.addresses.iter().copied().filter(|a| a.is_ipv6() == v6).collect()
    }
}

/// Every network a spec names: nodes' addresses and networks, zones' CIDRs.
fn spec_networks(model: &Model) -> Vec<Net> {
    let nodes = model.nodes.iter().flat_map(|n| n.addresses.iter().chain(&n.rule_addresses.networks));
    let zones = model.zones.iter().flat_map(|z| z.cidrs.iter());
    nodes.chain(zones).filter_map(|t| Net::parse(t)).collect()
}

pub fn members(model: &Model, stems: &[(String, String)]) -> Result<Vec<Member>, LabError> {
    let avoid = spec_networks(model);
    let mut taken: BTreeSet<IpAddr> = model
        .nodes
        .iter()
        .flat_map(|n| &n.addresses)
        .filter_map(|a| Net::parse(a))
        .filter(|n| n.prefix == 32 || n.prefix == 128)
        .map(|n| n.addr)
        .collect();
    let mut out = Vec::new();
    for (index, node) in model.nodes.iter().enumerate() {
        let host = stems.iter().find(|(name, _)| *name == node.name).map(|(_, stem)| stem.clone());
        let own: Vec<Net> = node.addresses.iter().filter_map(|a| Net::parse(a)).collect();
        let count = match node.replicas {
            None => 1,
            Some(Replicas::Count(n)) => usize::try_from(n).unwrap_or(MAX_REPLICAS).clamp(1, MAX_REPLICAS),
            Some(Replicas::Any(_)) => 2,
        };
        // A cluster given fewer single addresses than replicas has as many members as it has
        // addresses; a network among its addresses gives each replica one.
        let single = |n: &Net| n.prefix == 32 || n.prefix == 128;
        let count = if node.rule_addresses.origin == AddressOrigin::Node && count > 1 && own.iter().all(single) {
            let most = [false, true].map(|v6| own.iter().filter(|n| n.addr.is_ipv6() == v6).count());
            count.min(most[0].max(most[1]).max(1))
        } else {
            count
        };
        let listeners = listeners(model, node);
        for replica in 0..count {
            let addresses = match node.rule_addresses.origin {
                AddressOrigin::Node => {
                    let mut picked = Vec::new();
                    for v6 in [false, true] {
                        let family: Vec<&Net> = own.iter().filter(|n| n.addr.is_ipv6() == v6).collect();
                        if family.len() >= count {
                            let mine: Vec<&Net> = family.iter().skip(replica).step_by(count).copied().collect();
                            picked.extend(mine.iter().filter(|n| single(n)).map(|n| n.addr));
                            let nets = mine.iter().filter(|n| !single(n));
                            picked.extend(nets.filter_map(|n| n.pick(1, &mut taken, &[])));
                        } else if let Some(net) = family.get(replica % family.len().max(1)) {
                            if single(net) {
                                picked.extend((replica < family.len()).then_some(net.addr));
                            } else {
                                picked.extend(net.pick(1, &mut taken, &[]));
                            }
                        }
                    }
                    picked
                }
                AddressOrigin::ZoneCidrs => {
                    let nets: Vec<Net> = node.rule_addresses.networks.iter().filter_map(|a| Net::parse(a)).collect();
                    [false, true]
                        .iter()
                        .filter_map(|&v6| nets.iter().find(|n| n.addr.is_ipv6() == v6))
                        .filter_map(|net| net.pick(100, &mut taken, &[]))
                        .collect()
                }
                AddressOrigin::Any => [false, true]
                    .iter()
                    .filter_map(|&v6| documentation(v6).iter().find_map(|net| net.pick(1, &mut taken, &avoid)))
                    .collect(),
                AddressOrigin::None => {
                    return Err(LabError::new(
                        format!("`{}` has no address and its zone no CIDR (P603): the lab cannot place it", node.name),
                        "give the node an `address` or its zone a `cidr`",
                    ));
                }
            };
            if addresses.is_empty() {
                return Err(LabError::new(
                    format!("`{}` has no address the lab can use: {:?}", node.name, node.rule_addresses.networks),
                    "give the node an IPv4 or IPv6 address",
                ));
            }
            out.push(Member { node: index, replica, addresses, listeners: listeners.clone(), host: host.clone() });
        }
    }
    Ok(out)
}

/// The ports the node listens on: every input's ports and every hop's reaching it, sampled.
fn listeners(model: &Model, node: &Node) -> BTreeSet<(Transport, u16)> {
    let inputs = node.ports.iter().filter(|p| p.kind != PortKind::Connect).flat_map(|p| p.ports.iter());
    let hops = model.flows.iter().filter(|f| f.to.node == node.name).flat_map(|f| f.ports.iter());
    inputs.chain(hops).flat_map(|r| r.sample().into_iter().map(move |p| (r.transport, p))).collect()
}
