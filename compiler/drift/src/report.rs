//! What `portolan drift` prints: the differences, each named in the spec's words (the flow's
//! label and hop for a rule the spec builds, the rule as listed for one it does not), the rules
//! outside Portolan's table as not managed, as text or as one JSON object.

use serde_json::{Value, json};

use crate::Source;

/// Which kind of difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A rule the spec builds, not (or not wholly) accepted on the host.
    Missing,
    /// A rule on the host that the spec does not build, or accepts more than the spec's rules.
    Unexpected,
    /// A chain's policy differs.
    Policy,
    /// A chain is absent, hooked differently, or not the spec's.
    Chain,
    /// Portolan's table is not on the host.
    TableAbsent,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::Unexpected => "unexpected",
            Kind::Policy => "policy",
            Kind::Chain => "chain",
            Kind::TableAbsent => "table-absent",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Kind::Missing => "missing on the host",
            Kind::Unexpected => "on the host, not in the spec",
            Kind::Policy => "changed policy",
            Kind::Chain => "changed chain",
            Kind::TableAbsent => "absent on the host",
        }
    }
}

/// A flow's route number and hop, as the rule files' comments name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowRef {
    pub route: usize,
    pub hop: usize,
    pub hops: usize,
}

/// One difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub chain: Option<String>,
    /// What it is: the flow's label for a rule of the spec, the rule as listed otherwise; empty
    /// for a chain's policy or hook, which `chain` names.
    pub rule: String,
    pub detail: String,
    pub flow: Option<FlowRef>,
    /// For a rule of the spec, the sentence that describes it in the rule files.
    pub spec: Option<String>,
    /// Where in the listing (`nftables[7]`, `line 5`).
    pub at: Option<String>,
}

/// A rule outside Portolan's table: listed, not drift.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmanaged {
    /// `table ip filter, chain INPUT` or `table nat, chain PREROUTING`.
    pub table: String,
    pub at: String,
    pub comment: Option<String>,
    pub text: String,
}

/// The comparison of one host.
#[derive(Clone, Debug)]
pub struct Report {
    pub host: String,
    pub source: Source,
    pub findings: Vec<Finding>,
    pub not_managed: Vec<Unmanaged>,
    pub notes: Vec<String>,
}

impl Report {
    pub fn in_sync(&self) -> bool {
        self.findings.is_empty()
    }

    /// 0 in sync, 1 drifted.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.in_sync())
    }

    pub fn human(&self) -> String {
        let source = self.source;
        let mut out = format!(
            "host `{}` against `{}` (table {}): {}\n",
            self.host,
            source.command(),
            source.table(),
            match self.findings.len() {
                0 => "in sync".to_string(),
                1 => "drifted, 1 difference".to_string(),
                n => format!("drifted, {n} differences"),
            }
        );
        for f in &self.findings {
            let chain = f.chain.as_ref().map_or(String::new(), |c| format!(", chain {c}"));
            let at = f.at.as_ref().map_or(String::new(), |a| format!(" ({a})"));
            if f.rule.is_empty() {
                out.push_str(&format!("  {}{chain}{at}: {}\n", f.kind.heading(), f.detail));
                continue;
            }
            out.push_str(&format!("  {}{chain}{at}: {}\n", f.kind.heading(), f.rule));
            if let Some(spec) = &f.spec {
                out.push_str(&format!("    {spec}\n"));
            }
            if !f.detail.is_empty() {
                out.push_str(&format!("    {}\n", f.detail));
            }
        }
        for note in &self.notes {
            out.push_str(&format!("  note: {note}\n"));
        }
        if !self.not_managed.is_empty() {
            out.push_str(&format!(
                "not managed (outside table {}, not drift): {} rule(s)\n",
                source.table(),
                self.not_managed.len()
            ));
            for u in &self.not_managed {
                out.push_str(&format!("  {} ({}): {}\n", u.table, u.at, u.text));
            }
        }
        out
    }

    pub fn json(&self) -> String {
        let findings: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                json!({
                    "kind": f.kind.name(),
                    "chain": f.chain,
                    "rule": (!f.rule.is_empty()).then_some(&f.rule),
                    "detail": f.detail,
                    "flow": f.flow.map(|r| json!({"route": r.route, "hop": r.hop, "hops": r.hops})),
                    "spec": f.spec,
                    "at": f.at,
                })
            })
            .collect();
        let not_managed: Vec<Value> = self
            .not_managed
            .iter()
            .map(|u| json!({"table": u.table, "at": u.at, "comment": u.comment, "rule": u.text}))
            .collect();
        let value = json!({
            "host": self.host,
            "source": self.source.command(),
            "table": self.source.table(),
            "in_sync": self.in_sync(),
            "drift": findings,
            "not_managed": not_managed,
            "notes": self.notes,
        });
        serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_string()) + "\n"
    }
}
