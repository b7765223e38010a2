//! `portolan drift`: a host's live ruleset (`nft -j list ruleset` JSON, or `iptables-save` /
//! `ip6tables-save` text) compared with the rules the spec builds for it (`portolan-emit`'s
//! plan). Both sides are turned into one form (`norm.rs`) and compared as sets of what they
//! accept, so that merged sets or split multiport rules are not drift; what differs is named in
//! the spec's words. No I/O: the caller hands the texts in.

mod compare;
mod expected;
mod iptables;
mod nft;
mod nft_text;
pub mod norm;
mod report;

pub use compare::compare;
pub use expected::{Expected, ExpectedRule, expected};
pub use iptables::parse as parse_iptables;
pub use nft::parse as parse_nft;
pub use norm::Family;
pub use report::{Finding, FlowRef, Kind, Report, Unmanaged};

use norm::{Accept, Housekeeping};

/// Where a live ruleset was listed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `nft -j list ruleset`: Portolan's table is `inet portolan`, both families.
    Nftables,
    /// `iptables-save` (IPv4) or `ip6tables-save` (IPv6): the filter table's INPUT and OUTPUT.
    Iptables(Family),
}

impl Source {
    /// The families a listing from this source shows.
    pub fn families(self) -> Vec<Family> {
        match self {
            Source::Nftables => vec![Family::V4, Family::V6],
            Source::Iptables(family) => vec![family],
        }
    }

    /// The command whose output it is.
    pub fn command(self) -> &'static str {
        match self {
            Source::Nftables => "nft -j list ruleset",
            Source::Iptables(Family::V4) => "iptables-save",
            Source::Iptables(Family::V6) => "ip6tables-save",
        }
    }

    /// Portolan's table, as the user sees it named.
    pub fn table(self) -> &'static str {
        match self {
            Source::Nftables => "inet portolan",
            Source::Iptables(_) => "filter",
        }
    }

    /// The name of Portolan's chain for a direction.
    pub fn chain(self, direction: portolan_emit::rules::Direction) -> &'static str {
        use portolan_emit::rules::Direction;
        match (self, direction) {
            (Source::Nftables, Direction::Input) => "input",
            (Source::Nftables, Direction::Output) => "output",
            (Source::Iptables(_), Direction::Input) => "INPUT",
            (Source::Iptables(_), Direction::Output) => "OUTPUT",
        }
    }
}

/// A live ruleset, read.
#[derive(Clone, Debug)]
pub struct Live {
    pub source: Source,
    /// Whether Portolan's table is there at all.
    pub table: bool,
    /// The chains of Portolan's table (for iptables, INPUT and OUTPUT of the filter table).
    pub chains: Vec<LiveChain>,
    /// The rules of Portolan's table, in listing order.
    pub rules: Vec<LiveRule>,
    /// Anything else in Portolan's table that is neither a set nor a chain nor a rule (a map, a
    /// flow table...), which the spec never builds: where, and what.
    pub others: Vec<(String, String)>,
    /// Rules outside Portolan's table.
    pub not_managed: Vec<Unmanaged>,
}

/// A chain of Portolan's table as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveChain {
    pub name: String,
    /// `type filter hook input priority 0` for nftables; `None` for iptables' built-in chains.
    pub base: Option<String>,
    /// `drop`, `accept`; `None` for a regular chain.
    pub policy: Option<String>,
    /// Where it is in the listing: `nftables[4]` or `line 3`.
    pub at: String,
}

/// A rule of Portolan's table as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveRule {
    pub chain: String,
    pub at: String,
    pub comment: Option<String>,
    /// The rule as the listing writes it (the iptables-save line, or the nftables expressions).
    pub text: String,
    pub what: What,
}

/// What a live rule means, when it has the shape of a rule the spec builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    Accept(Accept),
    Housekeeping(Vec<Housekeeping>),
    /// Any other rule: a drop, a counter, a jump, a match the spec never writes.
    Other,
}

/// Why a listing could not be read: where (`nftables[3].rule.expr[1]`, `line 7`) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub at: String,
    pub message: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}
