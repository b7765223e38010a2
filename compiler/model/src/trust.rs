//! How much a zone is trusted.

/// How much a zone is trusted, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    Untrusted,
    Dmz,
    Internal,
    Restricted,
}

impl Trust {
    pub const NAMES: &'static [&'static str] = &["untrusted", "dmz", "internal", "restricted"];

    pub fn parse(text: &str) -> Option<Trust> {
        Some(match text {
            "untrusted" => Trust::Untrusted,
            "dmz" => Trust::Dmz,
            "internal" => Trust::Internal,
            "restricted" => Trust::Restricted,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Trust::Untrusted => "untrusted",
            Trust::Dmz => "dmz",
            Trust::Internal => "internal",
            Trust::Restricted => "restricted",
        }
    }
}
