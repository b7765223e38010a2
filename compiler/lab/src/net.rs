//! Addresses and networks as the lab needs them: parsing a spec's `10.0.0.0/8` or `2001:db8::5`,
//! containment, and picking free addresses from a network or from the documentation ranges.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A network: an address and a prefix length (32 or 128 for one address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Net {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Net {
    pub fn parse(text: &str) -> Option<Net> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, p.parse::<u8>().ok()?),
            None => {
                let addr = text.trim().parse::<IpAddr>().ok()?;
                (addr, if addr.is_ipv4() { 32 } else { 128 })
            }
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Net { addr, prefix })
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.addr, addr) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }

    /// The `n`th address of the network (from 1: the network's own address is skipped), when
    /// the network holds that many.
    pub fn nth(&self, n: u128) -> Option<IpAddr> {
        match self.addr {
            IpAddr::V4(base) => {
                let size = 1u128 << (32 - u32::from(self.prefix));
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                // Keep clear of the broadcast address of an IPv4 network.
                if self.prefix < 31 && n + 1 >= size || n >= size {
                    return None;
                }
                let value = (u32::from(base) & mask).checked_add(u32::try_from(n).ok()?)?;
                Some(IpAddr::V4(Ipv4Addr::from(value)))
            }
            IpAddr::V6(base) => {
                let bits = 128 - u32::from(self.prefix);
                if bits < 128 && n >= 1u128 << bits {
                    return None;
                }
                let mask = u128::MAX.checked_shl(bits).unwrap_or(0);
                Some(IpAddr::V6(Ipv6Addr::from((u128::from(base) & mask).checked_add(n)?)))
            }
        }
    }

    /// The first address of the network, from `start` on, that is not taken and that no
    /// network of `avoid` holds; marks it taken.
    pub fn pick(&self, start: u128, taken: &mut BTreeSet<IpAddr>, avoid: &[Net]) -> Option<IpAddr> {
        let single = (self.addr.is_ipv4() && self.prefix == 32) || self.prefix == 128;
        if single {
            return taken.insert(self.addr).then_some(self.addr);
        }
        for n in start..start + 4096 {
            let addr = self.nth(n)?;
            if !taken.contains(&addr) && !avoid.iter().any(|net| net.contains(addr)) {
                taken.insert(addr);
                return Some(addr);
            }
        }
        None
    }
}

/// The documentation ranges an address on the internet is taken from when the spec gives none.
pub fn documentation(v6: bool) -> Vec<Net> {
    let texts: &[&str] = if v6 {
        &["2001:db8:ffff::/48", "2001:db8:fffe::/48"]
    } else {
        &["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"]
    };
    texts.iter().filter_map(|t| Net::parse(t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_and_picks_free_addresses() {
        let net = Net::parse("10.20.0.0/16").unwrap_or(Net { addr: IpAddr::V4(Ipv4Addr::UNSPECIFIED), prefix: 0 });
        assert!(net.contains("10.20.3.4".parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))));
        assert!(!net.contains("10.21.0.1".parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))));
        let mut taken = BTreeSet::from(["10.20.0.1".parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))]);
        let picked = net.pick(1, &mut taken, &[]);
        assert_eq!(picked, "10.20.0.2".parse().ok());
        let v6 = Net::parse("2001:db8:20::/48");
        assert_eq!(v6.and_then(|n| n.nth(7)), "2001:db8:20::7".parse().ok());
        let small = Net::parse("192.0.2.0/30");
        assert_eq!(small.and_then(|n| n.nth(3)), None, "the broadcast address is never picked");
        let avoid = [Net::parse("203.0.113.0/24")].into_iter().flatten().collect::<Vec<_>>();
        let doc = documentation(false);
        let first = doc.iter().find_map(|n| n.pick(1, &mut BTreeSet::new(), &avoid));
        assert_eq!(first, "198.51.100.1".parse().ok(), "a documentation range the spec uses is skipped");
    }
}
