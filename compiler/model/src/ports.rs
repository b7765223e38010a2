//! Sets of ports per transport: normalized, sorted, inclusive ranges.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Tcp,
    Udp,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        }
    }

    pub fn upper(self) -> &'static str {
        match self {
            Transport::Tcp => "TCP",
            Transport::Udp => "UDP",
        }
    }
}

/// An inclusive range of ports on one transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct PortRange {
    pub transport: Transport,
    pub start: u16,
    pub end: u16,
}

impl PortRange {
    pub fn contains(&self, other: &PortRange) -> bool {
        self.transport == other.transport && self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: &PortRange) -> bool {
        self.transport == other.transport && self.start <= other.end && other.start <= self.end
    }

    pub fn is_single(&self) -> bool {
        self.start == self.end
    }

    /// The ports a probe tries: every port of a range of at most [`SAMPLE_ALL`] ports; of a
    /// larger one its two ends, the ports next to them and five spread evenly in between.
    pub fn sample(&self) -> Vec<u16> {
        let (start, end) = (u32::from(self.start), u32::from(self.end.max(self.start)));
        if end - start < SAMPLE_ALL {
            return (self.start..=self.end.max(self.start)).collect();
        }
        let mut ports = vec![start, start + 1];
        ports.extend((1..=5).map(|i| start + (end - start) * i / 6));
        ports.extend([end - 1, end]);
        ports.dedup();
        ports.into_iter().filter_map(|p| u16::try_from(p).ok()).collect()
    }
}

/// A range of at most this many ports is probed port by port.
pub const SAMPLE_ALL: u32 = 16;

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}/{}", self.transport.as_str(), self.start)
        } else {
            write!(f, "{}/{}..{}", self.transport.as_str(), self.start, self.end)
        }
    }
}

/// A set of ports: sorted by transport then start, with overlapping and adjacent ranges merged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PortSet {
    ranges: Vec<PortRange>,
}

impl PortSet {
    pub fn new(mut ranges: Vec<PortRange>) -> PortSet {
        ranges.sort();
        let mut merged: Vec<PortRange> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last)
                    if last.transport == range.transport && u32::from(range.start) <= u32::from(last.end) + 1 =>
                {
                    last.end = last.end.max(range.end);
                }
                _ => merged.push(range),
            }
        }
        PortSet { ranges: merged }
    }

    /// Every port of the given transports.
    pub fn all(transports: &[Transport]) -> PortSet {
        PortSet::new(transports.iter().map(|&transport| PortRange { transport, start: 1, end: 65535 }).collect())
    }

    pub fn ranges(&self) -> &[PortRange] {
        &self.ranges
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn transports(&self) -> Vec<Transport> {
        let mut out: Vec<Transport> = self.ranges.iter().map(|r| r.transport).collect();
        out.dedup();
        out
    }

    /// The ports in both sets.
    pub fn intersection(&self, other: &PortSet) -> PortSet {
        let mut out = Vec::new();
        for a in &self.ranges {
            for b in &other.ranges {
                if a.overlaps(b) {
                    out.push(PortRange { transport: a.transport, start: a.start.max(b.start), end: a.end.min(b.end) });
                }
            }
        }
        PortSet::new(out)
    }

    pub fn union(&self, other: &PortSet) -> PortSet {
        PortSet::new(self.ranges.iter().chain(&other.ranges).copied().collect())
    }

    pub fn intersects(&self, other: &PortSet) -> bool {
        self.ranges.iter().any(|a| other.ranges.iter().any(|b| a.overlaps(b)))
    }

    /// True when every port of `other` is in this set.
    pub fn is_superset(&self, other: &PortSet) -> bool {
        other.ranges.iter().all(|b| self.ranges.iter().any(|a| a.contains(b)))
    }

    /// "TCP 443", "TCP 135, 445", "UDP 7600-7610", "TCP+UDP 123": how vendors write ports.
    pub fn describe(&self) -> String {
        if self.ranges.is_empty() {
            return "no port".to_string();
        }
        let tcp: Vec<String> = self.numbers(Transport::Tcp);
        let udp: Vec<String> = self.numbers(Transport::Udp);
        if !tcp.is_empty() && tcp == udp {
            return format!("TCP+UDP {}", tcp.join(", "));
        }
        let mut parts = Vec::new();
        if !tcp.is_empty() {
            parts.push(format!("TCP {}", tcp.join(", ")));
        }
        if !udp.is_empty() {
            parts.push(format!("UDP {}", udp.join(", ")));
        }
        parts.join(" and ")
    }

    fn numbers(&self, transport: Transport) -> Vec<String> {
        self.ranges
            .iter()
            .filter(|r| r.transport == transport)
            .map(|r| if r.is_single() { r.start.to_string() } else { format!("{}-{}", r.start, r.end) })
            .collect()
    }
}

impl fmt::Display for PortSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, range) in self.ranges.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{range}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(transport: Transport, start: u16, end: u16) -> PortRange {
        PortRange { transport, start, end }
    }

    #[test]
    fn merges_adjacent_and_overlapping_ranges() {
        let set = PortSet::new(vec![r(Transport::Tcp, 10, 20), r(Transport::Tcp, 21, 25), r(Transport::Tcp, 5, 12)]);
        assert_eq!(set.ranges(), &[r(Transport::Tcp, 5, 25)]);
    }

    #[test]
    fn intersection_and_superset() {
        let a = PortSet::new(vec![r(Transport::Udp, 7600, 7610)]);
        let b = PortSet::new(vec![r(Transport::Udp, 7605, 7700), r(Transport::Tcp, 7600, 7600)]);
        assert_eq!(a.intersection(&b).ranges(), &[r(Transport::Udp, 7605, 7610)]);
        assert!(a.is_superset(&PortSet::new(vec![r(Transport::Udp, 7601, 7609)])));
        assert!(!a.is_superset(&b));
    }

    #[test]
    fn samples_small_ranges_whole_and_large_ones_at_their_ends() {
        assert_eq!(r(Transport::Udp, 7600, 7610).sample(), (7600..=7610).collect::<Vec<u16>>());
        let large = r(Transport::Tcp, 49152, 65535).sample();
        assert_eq!(large.first(), Some(&49152));
        assert_eq!(large.last(), Some(&65535));
        assert!(large.contains(&49153) && large.contains(&65534) && large.len() == 9, "{large:?}");
    }

    #[test]
    fn describes_like_a_vendor_table() {
        let ntp = PortSet::new(vec![r(Transport::Tcp, 123, 123), r(Transport::Udp, 123, 123)]);
        assert_eq!(ntp.describe(), "TCP+UDP 123");
        let wmi = PortSet::new(vec![r(Transport::Tcp, 135, 135), r(Transport::Tcp, 445, 445)]);
        assert_eq!(wmi.describe(), "TCP 135, 445");
    }
}
