//! What the lab saw: the matrix (hop by hop: expected, seen), what must be refused, the probe
//! scripts' runs, the mismatches explained, and a summary; as text or as JSON.

use std::fmt::Write as _;
use std::time::Duration;

use portolan_model::Model;
use serde_json::{Value, json};

use crate::Options;
use crate::expect::{Outcome, Pass, Probe};
use crate::explain::{Runs, member_name};
use crate::setup::ScriptRun;
use crate::topology::Member;

/// One row of the matrix: a hop of a flow.
#[derive(Clone, Debug)]
pub struct Row {
    pub route: usize,
    pub hop: usize,
    pub ends: String,
    pub label: String,
    pub ports: String,
    pub probes: usize,
    pub open: usize,
}

#[derive(Clone, Debug)]
pub struct Problem {
    pub pass: &'static str,
    pub probe: String,
    pub expected: &'static str,
    pub seen: &'static str,
    pub explanation: String,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub rules: &'static str,
    pub namespaces: usize,
    pub hosts: usize,
    pub rows: Vec<Row>,
    /// Probes of what must be refused, per pass.
    pub refused: Vec<(&'static str, usize)>,
    pub probes: usize,
    pub mismatches: Vec<Problem>,
    pub scripts: Vec<ScriptRun>,
    pub script_names: Vec<String>,
    pub elapsed: Duration,
}

impl Report {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        model: &Model,
        members: &[Member],
        probes: &[Probe],
        runs: &Runs,
        scripts: Vec<ScriptRun>,
        options: &Options,
        namespaces: usize,
        elapsed: Duration,
    ) -> Report {
        let mut rows: Vec<Row> = model
            .flows
            .iter()
            .map(|f| Row {
                route: f.route,
                hop: f.hop,
                ends: format!("{} -> {}", f.from, f.to),
                label: f.label.clone().unwrap_or_default(),
                ports: f.port_set().describe(),
                probes: 0,
                open: 0,
            })
            .collect();
        for (i, probe) in probes.iter().enumerate() {
            let (Some(hop), Some(seen)) = (probe.hop, runs.seen(Pass::AsWritten, i)) else { continue };
            if let Some(row) = rows.get_mut(hop) {
                row.probes += 1;
                row.open += usize::from(seen == Outcome::Open);
            }
        }
        let refused = runs
            .counts
            .iter()
            .map(|&(pass, count)| {
                let positives = match pass {
                    Pass::AsWritten => probes.iter().filter(|p| p.hop.is_some()).count(),
                    _ => 0,
                };
                (pass.name(), count.saturating_sub(positives))
            })
            .collect();
        let describe = |p: &Probe| {
            let what = match p.hop.and_then(|h| model.flows.get(h)) {
                Some(f) => format!("flow {} hop {} ({} -> {})", f.route, f.hop, f.from, f.to),
                None => format!("must be refused: {}", p.why),
            };
            format!(
                "{} -> {} {} {}/{}: {what}",
                member_name(model, members, p.from),
                member_name(model, members, p.to),
                p.addr,
                p.transport.as_str(),
                p.port
            )
        };
        let mut mismatches: Vec<Problem> = runs
            .mismatches
            .iter()
            .map(|m| Problem {
                pass: m.pass.name(),
                probe: describe(&probes[m.probe]),
                expected: m.expected.name(),
                seen: m.seen.name(),
                explanation: m.explanation.clone(),
            })
            .collect();
        for run in &scripts {
            for failure in &run.failures {
                mismatches.push(Problem {
                    pass: "probe script",
                    probe: format!("{} on {}: {failure}", run.script, member_name(model, members, run.member)),
                    expected: if failure.contains(" open ") { "open" } else { "refused" },
                    seen: if failure.contains(" open ") { "refused" } else { "open" },
                    explanation: "the host's probe script disagrees with the rules loaded".to_string(),
                });
            }
        }
        let hosts = members.iter().filter(|m| m.host.is_some()).count();
        let _ = options;
        Report {
            rules: options.rules.name(),
            namespaces,
            hosts,
            rows,
            refused,
            probes: runs.seen.len(),
            mismatches,
            script_names: scripts.iter().map(|s| s.script.clone()).collect(),
            scripts,
            elapsed,
        }
    }

    /// 0 when every probe matched the spec, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.mismatches.is_empty())
    }

    pub fn human(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "portolan lab: {} namespaces ({} with rules), {} rules, {} probes, {:.1} s\n",
            self.namespaces + 1,
            self.hosts,
            self.rules,
            self.probes,
            self.elapsed.as_secs_f64()
        );
        let width = self.rows.iter().map(|r| r.ends.len()).max().unwrap_or(0).max(10);
        let _ = writeln!(
            out,
            "{:<5} {:<4} {:<width$}  {:<20} {:<9} seen",
            "flow", "hop", "from -> to", "ports", "expected"
        );
        for row in &self.rows {
            let seen = if row.probes == 0 {
                "not probed (no member on both ends)".to_string()
            } else if row.open == row.probes {
                format!("open ({}/{})", row.open, row.probes)
            } else {
                format!("NOT OPEN ({}/{} open)", row.open, row.probes)
            };
            let _ = writeln!(
                out,
                "{:<5} {:<4} {:<width$}  {:<20} {:<9} {seen}",
                row.route, row.hop, row.ends, row.ports, "open"
            );
        }
        out.push('\n');
        for (pass, count) in &self.refused {
            let _ = writeln!(out, "must be refused, {pass}: {count} probes");
        }
        let script_probes: usize = self.scripts.iter().map(|s| s.probes).sum();
        let _ = writeln!(out, "probe scripts run inside the lab: {} ({script_probes} probes)", self.scripts.len());
        out.push('\n');
        for m in &self.mismatches {
            let _ = writeln!(
                out,
                "mismatch ({}): {}\n  expected {}, seen {}: {}",
                m.pass, m.probe, m.expected, m.seen, m.explanation
            );
        }
        if self.mismatches.is_empty() {
            let _ = writeln!(out, "every probe matches the spec");
        } else {
            let _ = writeln!(out, "\n{} mismatch(es)", self.mismatches.len());
        }
        out
    }

    pub fn json(&self) -> String {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({ "flow": r.route, "hop": r.hop, "ends": r.ends, "label": r.label, "ports": r.ports,
                        "expected": "open", "probes": r.probes, "open": r.open })
            })
            .collect();
        let mismatches: Vec<Value> = self
            .mismatches
            .iter()
            .map(|m| json!({ "pass": m.pass, "probe": m.probe, "expected": m.expected, "seen": m.seen, "explanation": m.explanation }))
            .collect();
        let refused: Vec<Value> = self.refused.iter().map(|(p, c)| json!({ "pass": p, "probes": c })).collect();
        let scripts: Vec<Value> = self
            .scripts
            .iter()
            .map(|s| json!({ "script": s.script, "probes": s.probes, "passed": s.passed, "failures": s.failures }))
            .collect();
        let value = json!({
            "rules": self.rules,
            "namespaces": self.namespaces + 1,
            "hosts": self.hosts,
            "probes": self.probes,
            "seconds": self.elapsed.as_secs_f64(),
            "hops": rows,
            "refused": refused,
            "scripts": scripts,
            "mismatches": mismatches,
            "matches": self.mismatches.is_empty(),
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }
}
