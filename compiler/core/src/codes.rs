//! Every diagnostic code: its stable identifier, its name, its default severity, a one-line
//! summary, and the long explanation `portolan explain CODE` prints.
//!
//! Codes are grouped by hundreds: 0xx syntax, 1xx names and modules, 2xx flows, 3xx policy,
//! 4xx values, 5xx parameters, 6xx nodes and hosts, 7xx unused things.

macro_rules! codes {
    ($($variant:ident = $code:literal, $slug:literal, $severity:ident, $summary:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable identifier: `P201`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The name: `unmatched-output`.
            pub fn slug(self) -> &'static str {
                match self {
                    $(Code::$variant => $slug,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// One line saying what the code reports.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }

            /// The long explanation, with a failing and a fixed example.
            pub fn explain(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("explain/", $code, ".md")),)*
                }
            }
        }
    };
}

codes! {
    SyntaxError = "P001", "syntax-error", Error, "the text does not follow the grammar";
    NotLoaded = "P002", "not-loaded", Error, "a file or folder left out of the spec: too large, unreadable, too deep, or too many";
    UnresolvedName = "P101", "unresolved-name", Error, "a name that nothing in scope declares";
    DuplicateDefinition = "P102", "duplicate-definition", Error, "two declarations of one name in one scope";
    ImportCycle = "P103", "import-cycle", Error, "modules that use each other in a cycle";
    UnresolvedModule = "P104", "unresolved-module", Error, "a `use` of a module that does not exist";
    WrongKind = "P105", "wrong-kind", Error, "a name of the wrong kind of thing (a zone where a component is expected)";
    AmbiguousName = "P106", "ambiguous-name", Error, "a name that two imports or two components both provide";
    UnmatchedOutput = "P201", "unmatched-output", Error, "a node's output that no flow serves";
    UnmatchedInput = "P202", "unmatched-input", Warning, "a node's input that no flow reaches";
    ProtocolMismatch = "P203", "protocol-mismatch", Error, "a flow between ports of different protocols";
    PortMismatch = "P204", "port-mismatch", Error, "an output pinned to a port its input does not listen on";
    FlowDirection = "P205", "flow-direction", Error, "a flow that starts at an input or ends at an output";
    SelfFlow = "P206", "self-flow", Error, "a flow whose two ends are one node that is not a cluster";
    InvalidProxy = "P207", "invalid-proxy", Error, "a flow `via` a node that cannot relay it";
    InvalidLocalFlow = "P208", "invalid-local-flow", Error, "a `local` flow or `local` output that is not on one host";
    PolicyViolation = "P301", "policy-violation", Error, "a flow the zone policy denies";
    CleartextAcrossTrust = "P302", "cleartext-across-trust", Error, "a cleartext protocol crossing into or out of an untrusted zone";
    UnusedRule = "P303", "unused-rule", Warning, "an `allow` rule that matches no hop of the spec";
    ProxiedDeny = "P304", "proxied-deny", Warning, "a flow that reaches through proxies what a `deny` rule forbids from its origin";
    ShadowedRule = "P305", "shadowed-rule", Warning, "an `allow` rule that a `deny` rule makes ineffective for every hop it matches";
    RedundantRule = "P306", "redundant-rule", Warning, "a rule that another rule of the same action makes redundant";
    UnreachedDefault = "P307", "unreached-default", Warning, "a `default allow` that no hop of the spec reaches";
    InvalidPort = "P401", "invalid-port", Error, "a port outside 1..65535";
    InvalidRange = "P402", "invalid-range", Error, "a port range that is empty or reversed";
    InvalidAddress = "P403", "invalid-address", Error, "an address or network that is not valid";
    InvalidTrust = "P404", "invalid-trust", Error, "a trust level that does not exist";
    MissingPort = "P405", "missing-port", Error, "a port whose protocol has no default port and that gives none";
    ParamType = "P501", "param-type", Error, "a parameter value or expression of the wrong type";
    RequiredParam = "P502", "required-param", Error, "a parameter without a default that a node leaves unset";
    NodeZone = "P601", "node-zone", Error, "a node in no zone, or in two";
    PortConflict = "P602", "port-conflict", Error, "two listeners on one host on the same transport and port";
    NoAddress = "P603", "no-address", Error, "a flow end that no firewall rule can name: no address, no CIDR in its zone";
    ReplicaCount = "P604", "replica-count", Error, "a cluster of no hosts, or one whose addresses contradict its count";
    UnusedComponent = "P701", "unused-component", Warning, "a component no node uses";
    UnusedParam = "P702", "unused-param", Warning, "a parameter no port or condition uses";
    UnusedZone = "P703", "unused-zone", Warning, "a zone with no nodes";
    UnknownSection = "P801", "unknown-section", Error, "a `sections` name that is no section of the port-matrix documents";
}

impl Code {
    /// True for a code that the loader reports: its cause is a file or folder on disk, not the
    /// text of a spec, so its explanation shows a command and its output rather than a spec.
    pub fn is_about_files(self) -> bool {
        matches!(self, Code::NotLoaded)
    }

    /// Finds a code by its identifier (`P201`, any case) or its name (`unmatched-output`).
    pub fn parse(text: &str) -> Option<Code> {
        let text = text.trim();
        Code::ALL.iter().copied().find(|code| code.as_str().eq_ignore_ascii_case(text) || code.slug() == text)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a diagnostic is: an error fails `portolan check` and blocks a build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}
