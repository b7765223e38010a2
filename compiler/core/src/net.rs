//! Addresses and networks as a spec writes them: `10.0.0.5`, `10.0.0.0/16`, `2001:db8::/32`.

use std::fmt;
use std::net::IpAddr;

/// Why a text is not an address or a network.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AddressError {
    /// The part before any `/` is not an IPv4 or IPv6 address.
    NotAnAddress { address: String },
    /// The part after `/` is not a prefix length of at most `max`.
    BadPrefix { prefix: String, max: u8 },
    /// Bits after the prefix are set; `network` is the network meant.
    HostBits { network: Network },
}

/// An address with a prefix length; a single host has the full length (32 or 128).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Network {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Network {
    /// Parses an address or a network.
    pub fn parse(text: &str) -> Result<Network, AddressError> {
        let (addr_text, prefix_text) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr =
            addr_text.parse().map_err(|_| AddressError::NotAnAddress { address: addr_text.to_string() })?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix_text {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max => n,
                _ => return Err(AddressError::BadPrefix { prefix: p.to_string(), max }),
            },
        };
        let network = Network { addr, prefix };
        if network.masked() != addr {
            return Err(AddressError::HostBits { network: Network { addr: network.masked(), prefix } });
        }
        Ok(network)
    }

    /// The network a text with host bits set means (`10.0.0.1/8` is in `10.0.0.0/8`); `None`
    /// when the text is not an address with a prefix length, or has no host bits set.
    pub fn network_of(text: &str) -> Option<Network> {
        let (addr, prefix) = text.split_once('/')?;
        let addr: IpAddr = addr.parse().ok()?;
        let prefix: u8 = prefix.parse().ok().filter(|&p| p <= if addr.is_ipv4() { 32 } else { 128 })?;
        let network = Network { addr, prefix };
        (network.masked() != addr).then(|| Network { addr: network.masked(), prefix })
    }

    pub fn is_ipv4(&self) -> bool {
        self.addr.is_ipv4()
    }

    pub fn is_host(&self) -> bool {
        self.prefix == if self.is_ipv4() { 32 } else { 128 }
    }

    /// The address with the bits after the prefix cleared.
    pub fn masked(&self) -> IpAddr {
        match self.addr {
            IpAddr::V4(v4) => {
                let bits = u32::from(v4);
                let mask = if self.prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(self.prefix)) };
                IpAddr::V4((bits & mask).into())
            }
            IpAddr::V6(v6) => {
                let bits = u128::from(v6);
                let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
                IpAddr::V6((bits & mask).into())
            }
        }
    }

    /// True when every address of `other` is in this network.
    pub fn contains(&self, other: &Network) -> bool {
        if self.is_ipv4() != other.is_ipv4() || other.prefix < self.prefix {
            return false;
        }
        Network { addr: other.addr, prefix: self.prefix }.masked() == self.masked()
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_host() { write!(f, "{}", self.addr) } else { write!(f, "{}/{}", self.addr, self.prefix) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts_and_networks() -> Result<(), AddressError> {
        let net = Network::parse("10.20.0.0/16")?;
        assert!(net.contains(&Network::parse("10.20.3.4")?));
        assert!(!net.contains(&Network::parse("10.21.0.1")?));
        assert!(Network::parse("2001:db8::/32")?.contains(&Network::parse("2001:db8::1")?));
        assert!(Network::parse("10.0.0.1/8").is_err());
        assert!(Network::parse("10.0.0.0/33").is_err());
        assert!(Network::parse("300.1.1.1").is_err());
        assert_eq!(Network::parse("10.0.0.1")?.to_string(), "10.0.0.1");
        Ok(())
    }
}
