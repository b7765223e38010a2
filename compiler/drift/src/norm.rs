//! The one form both sides are compared in: what a rule accepts as port and address intervals
//! (so that `10.0.0.10, 10.0.0.11` and `10.0.0.10/31`, or a multiport rule split in two, compare
//! equal), the housekeeping rules every rule file states, and the chains' policies.

use std::net::IpAddr;

use portolan_emit::rules::Direction;
use portolan_model::ports::Transport;

/// An address family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    /// The highest address of the family, as a number.
    fn max(self) -> u128 {
        match self {
            Family::V4 => u128::from(u32::MAX),
            Family::V6 => u128::MAX,
        }
    }

    fn bits(self) -> u32 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }
}

/// A set of numbers (ports, or addresses of one family) as sorted, merged, inclusive intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spans(Vec<(u128, u128)>);

impl Spans {
    pub fn new(mut spans: Vec<(u128, u128)>) -> Spans {
        spans.retain(|(a, b)| a <= b);
        spans.sort_unstable();
        let mut merged: Vec<(u128, u128)> = Vec::with_capacity(spans.len());
        for (start, end) in spans {
            match merged.last_mut() {
                Some(last) if start <= last.1.saturating_add(1) => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Spans(merged)
    }

    /// Every address of a family.
    pub fn full(family: Family) -> Spans {
        Spans(vec![(0, family.max())])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn intervals(&self) -> &[(u128, u128)] {
        &self.0
    }

    pub fn union(&self, other: &Spans) -> Spans {
        Spans::new(self.0.iter().chain(&other.0).copied().collect())
    }

    /// What of `self` is not in `other`.
    pub fn minus(&self, other: &Spans) -> Spans {
        let mut out = Vec::new();
        for &(start, end) in &self.0 {
            let mut from = start;
            let mut done = false;
            for &(a, b) in &other.0 {
                if b < from || a > end {
                    continue;
                }
                if a > from {
                    out.push((from, a - 1));
                }
                if b >= end {
                    done = true;
                    break;
                }
                from = b + 1;
            }
            if !done {
                out.push((from, end));
            }
        }
        Spans::new(out)
    }

    pub fn contains(&self, value: u128) -> bool {
        self.0.iter().any(|&(a, b)| a <= value && value <= b)
    }

    /// Ports as written in messages: `443`, `7600-7610`, comma-separated.
    pub fn ports_text(&self) -> String {
        let parts: Vec<String> =
            self.0.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
        parts.join(", ")
    }

    /// Addresses of one family as written in messages: an address, a network where the interval
    /// is one, a range otherwise.
    pub fn addresses_text(&self, family: Family) -> Vec<String> {
        let mut out = Vec::new();
        for &(start, end) in &self.0 {
            let mut at = start;
            // An interval is cut into the networks that cover it, unless that takes many.
            let mut parts = Vec::new();
            while at <= end && parts.len() <= 4 {
                let mut host_bits = 0u32;
                while host_bits < family.bits() {
                    let last = low_mask(host_bits + 1);
                    if at & last != 0 || at.checked_add(last).is_none_or(|l| l > end) {
                        break;
                    }
                    host_bits += 1;
                }
                let len = family.bits() - host_bits;
                parts.push(if len == family.bits() {
                    address(family, at)
                } else {
                    format!("{}/{len}", address(family, at))
                });
                match at.checked_add(low_mask(host_bits)).and_then(|l| l.checked_add(1)) {
                    Some(next) => at = next,
                    None => break,
                }
            }
            if parts.len() > 4 {
                out.push(format!("{}-{}", address(family, start), address(family, end)));
            } else {
                out.extend(parts);
            }
        }
        out
    }
}

/// The number whose lowest `bits` bits are set.
fn low_mask(bits: u32) -> u128 {
    if bits >= 128 { u128::MAX } else { (1u128 << bits) - 1 }
}

fn address(family: Family, value: u128) -> String {
    match family {
        Family::V4 => std::net::Ipv4Addr::from(u32::try_from(value).unwrap_or(u32::MAX)).to_string(),
        Family::V6 => std::net::Ipv6Addr::from(value).to_string(),
    }
}

/// An address, or a network `address/length`, as its family and interval.
pub fn network(text: &str) -> Option<(Family, (u128, u128))> {
    let (addr, len) = match text.split_once('/') {
        Some((addr, len)) => (addr, Some(len.parse::<u32>().ok()?)),
        None => (text, None),
    };
    let (family, value) = match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => (Family::V4, u128::from(u32::from(a))),
        IpAddr::V6(a) => (Family::V6, u128::from(a)),
    };
    prefix(family, value, len.unwrap_or(family.bits()))
}

/// The interval of `value/len`.
pub fn prefix(family: Family, value: u128, len: u32) -> Option<(Family, (u128, u128))> {
    if len > family.bits() {
        return None;
    }
    let mask = low_mask(family.bits() - len);
    let start = value & !mask;
    Some((family, (start, (start | mask).min(family.max()))))
}

/// The address of `text` as its family and number.
pub fn address_value(text: &str) -> Option<(Family, u128)> {
    match text.parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => Some((Family::V4, u128::from(u32::from(a)))),
        IpAddr::V6(a) => Some((Family::V6, u128::from(a))),
    }
}

/// What an accept rule lets through: new connections on these ports, from (input) or to
/// (output) these peers. Any address is the whole family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accept {
    pub transport: Transport,
    pub ports: Spans,
    pub v4: Spans,
    pub v6: Spans,
}

impl Accept {
    pub fn peers(&self, family: Family) -> &Spans {
        match family {
            Family::V4 => &self.v4,
            Family::V6 => &self.v6,
        }
    }

    /// The accept restricted to the families compared.
    pub fn only(&self, families: &[Family]) -> Accept {
        let keep = |f: Family, s: &Spans| if families.contains(&f) { s.clone() } else { Spans::default() };
        Accept {
            transport: self.transport,
            ports: self.ports.clone(),
            v4: keep(Family::V4, &self.v4),
            v6: keep(Family::V6, &self.v6),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ports.is_empty() || (self.v4.is_empty() && self.v6.is_empty())
    }

    /// `tcp 8443 from 192.0.2.10`.
    pub fn text(&self, direction: Direction) -> String {
        let side = match direction {
            Direction::Input => "from",
            Direction::Output => "to",
        };
        let full4 = self.v4 == Spans::full(Family::V4);
        let full6 = self.v6 == Spans::full(Family::V6);
        let peers = if full4 && full6 {
            "any address".to_string()
        } else {
            let mut parts = Vec::new();
            for (family, spans, full) in [(Family::V4, &self.v4, full4), (Family::V6, &self.v6, full6)] {
                if full {
                    parts.push(format!("any {} address", if family == Family::V4 { "IPv4" } else { "IPv6" }));
                } else {
                    parts.extend(spans.addresses_text(family));
                }
            }
            parts.join(", ")
        };
        format!("{} {} {side} {peers}", self.transport.as_str(), self.ports.ports_text())
    }
}

/// The rules every rule file states besides the flows' accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Housekeeping {
    /// Packets of established and related connections accepted.
    Established,
    /// Loopback accepted: in on `lo` (input) or out on `lo` (output).
    Loopback(Dir),
    /// One ICMPv6 neighbour-discovery type accepted, by number (133 to 136).
    Neighbour(u8),
}

/// A direction that orders, for sorting housekeeping rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dir {
    In,
    Out,
}

impl Housekeeping {
    /// What the rule file's comment calls it.
    pub fn text(self) -> String {
        match self {
            Housekeeping::Established => "replies and related traffic (ct state established,related)".to_string(),
            Housekeeping::Loopback(Dir::In) => "loopback (in on `lo`)".to_string(),
            Housekeeping::Loopback(Dir::Out) => "loopback (out on `lo`)".to_string(),
            Housekeeping::Neighbour(t) => {
                format!("IPv6 neighbour discovery ({})", icmpv6_name(t).unwrap_or("an ICMPv6 type"))
            }
        }
    }
}

/// The ICMPv6 neighbour-discovery types by their nftables or iptables names, or numbers.
pub fn icmpv6_type(text: &str) -> Option<u8> {
    match text {
        "nd-router-solicit" | "router-solicitation" | "133" => Some(133),
        "nd-router-advert" | "router-advertisement" | "134" => Some(134),
        "nd-neighbor-solicit" | "neighbour-solicitation" | "neighbor-solicitation" | "135" => Some(135),
        "nd-neighbor-advert" | "neighbour-advertisement" | "neighbor-advertisement" | "136" => Some(136),
        _ => None,
    }
}

fn icmpv6_name(number: u8) -> Option<&'static str> {
    match number {
        133 => Some("router solicitation"),
        134 => Some("router advertisement"),
        135 => Some("neighbour solicitation"),
        136 => Some("neighbour advertisement"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_merge_and_subtract() {
        let a = Spans::new(vec![(5, 10), (1, 2), (3, 4)]);
        assert_eq!(a.intervals(), &[(1, 10)]);
        assert_eq!(a.minus(&Spans::new(vec![(4, 6)])).intervals(), &[(1, 3), (7, 10)]);
        assert!(a.minus(&Spans::new(vec![(0, 20)])).is_empty());
        assert_eq!(a.minus(&Spans::default()), a);
    }

    #[test]
    fn networks_are_intervals_and_print_back() {
        let (family, span) = network("10.20.1.10/31").unwrap_or((Family::V6, (0, 0)));
        assert_eq!(family, Family::V4);
        let spans = Spans::new(vec![span]);
        assert_eq!(spans.addresses_text(Family::V4), ["10.20.1.10/31"]);
        let single = Spans::new(vec![network("192.0.2.10").map_or((0, 0), |n| n.1)]);
        assert_eq!(single.addresses_text(Family::V4), ["192.0.2.10"]);
        let v6 = Spans::new(vec![network("2001:db8:1::/48").map_or((0, 0), |n| n.1)]);
        assert_eq!(v6.addresses_text(Family::V6), ["2001:db8:1::/48"]);
        assert_eq!(Spans::full(Family::V4).addresses_text(Family::V4), ["0.0.0.0/0"]);
        assert!(network("10.0.0.0/33").is_none());
        assert!(network("host.example").is_none());
    }
}
