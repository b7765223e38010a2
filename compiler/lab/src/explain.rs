//! The passes' results and their mismatches, each explained: which host's rule file and chain
//! admitted or dropped the probe (told by the pass in which it shows: a mistake of an input
//! chain shows when the output chains are open, and the other way round), and with iptables the
//! rule itself, from the packet counters read around the probe sent again alone; for a hop of
//! the spec, the policy rule (or default) that decided it, as the exported model cites it.

use std::collections::BTreeMap;

use portolan_model::Model;

use crate::expect::{Oracle, Outcome, Pass, Probe};
use crate::setup::{Chain, Lab};
use crate::topology::Member;
use crate::{LabError, Options, probe};

#[derive(Clone, Debug)]
pub struct Mismatch {
    pub pass: Pass,
    pub probe: usize,
    pub expected: Outcome,
    pub seen: Outcome,
    /// The iptables rules whose counters the probe moved.
    pub rules: Vec<String>,
    pub explanation: String,
}

#[derive(Default)]
pub struct Runs {
    pub seen: BTreeMap<(u8, usize), Outcome>,
    pub mismatches: Vec<Mismatch>,
    /// Probes sent in each pass.
    pub counts: Vec<(Pass, usize)>,
}

fn key(pass: Pass) -> u8 {
    match pass {
        Pass::AsWritten => 0,
        Pass::InputsOnly => 1,
        Pass::OutputsOnly => 2,
    }
}

pub fn matches(expected: Outcome, seen: Outcome) -> bool {
    expected == seen || (expected.blocked() && seen.blocked())
}

impl Runs {
    pub fn mismatched(&self, probe: usize) -> bool {
        self.mismatches.iter().any(|m| m.probe == probe)
    }

    pub fn seen(&self, pass: Pass, probe: usize) -> Option<Outcome> {
        self.seen.get(&(key(pass), probe)).copied()
    }

    #[allow(clippy::too_many_arguments)]
    pub fn pass(
        &mut self,
        lab: &Lab,
        oracle: &Oracle<'_>,
        members: &[Member],
        probes: &[Probe],
        pass: Pass,
        indices: &[usize],
        options: &Options,
    ) -> Result<(), LabError> {
        let failed = |e: String| {
            LabError::new(
                format!("a probe failed for a reason other than the rules: {e}"),
                "this is a lab failure: report it with the spec",
            )
        };
        let list: Vec<&Probe> = indices.iter().map(|&i| &probes[i]).collect();
        let results = probe::run(&lab.paths, &list, options.probe_timeout, options.parallel);
        let mut wrong = Vec::new();
        for (&i, result) in indices.iter().zip(results) {
            let seen = result.map_err(failed)?;
            self.seen.insert((key(pass), i), seen);
            if !matches(oracle.expect(members, &probes[i], pass), seen) {
                wrong.push(i);
            }
        }
        // Tried again, with a longer timeout, before a probe counts as a mismatch.
        let list: Vec<&Probe> = wrong.iter().map(|&i| &probes[i]).collect();
        let results = probe::run(&lab.paths, &list, options.retry_timeout, 16);
        for (&i, result) in wrong.iter().zip(results) {
            let seen = result.map_err(failed)?;
            self.seen.insert((key(pass), i), seen);
            let expected = oracle.expect(members, &probes[i], pass);
            if matches(expected, seen) {
                continue;
            }
            let rules = if lab.is_iptables() && !seen.blocked() {
                admitted_by(lab, &probes[i], pass, options)
            } else {
                Vec::new()
            };
            self.mismatches.push(Mismatch { pass, probe: i, expected, seen, rules, explanation: String::new() });
        }
        self.counts.push((pass, indices.len()));
        Ok(())
    }

    /// Says, for each mismatch, which host's file and chain decided it.
    pub fn explain(&mut self, lab: &Lab, model: &Model, members: &[Member], probes: &[Probe]) {
        let seen: Vec<(Option<Outcome>, Option<Outcome>)> = self
            .mismatches
            .iter()
            .map(|m| (self.seen(Pass::InputsOnly, m.probe), self.seen(Pass::OutputsOnly, m.probe)))
            .collect();
        for (mismatch, (inputs_alone, outputs_alone)) in self.mismatches.iter_mut().zip(seen) {
            let probe = &probes[mismatch.probe];
            let v6 = probe.addr.is_ipv6();
            let from = member_name(model, members, probe.from);
            let to = member_name(model, members, probe.to);
            let output = lab
                .chain_of(probe.from, Chain::Output, v6)
                .unwrap_or_else(|| format!("`{from}` (no rules: on the internet)"));
            let input = lab
                .chain_of(probe.to, Chain::Input, v6)
                .unwrap_or_else(|| format!("`{to}` (no rules: on the internet)"));
            let mut text = match (mismatch.pass, mismatch.seen.blocked()) {
                (Pass::AsWritten, true) => {
                    let mut parts = Vec::new();
                    if outputs_alone.is_some_and(Outcome::blocked) {
                        parts.push(format!("{output} drops it"));
                    }
                    if inputs_alone.is_some_and(Outcome::blocked) {
                        parts.push(format!("{input} drops it"));
                    }
                    if parts.is_empty() { format!("dropped by {output} or {input}") } else { parts.join("; ") }
                }
                (Pass::AsWritten, false) => format!("admitted by {output} and by {input}"),
                (Pass::InputsOnly, true) => format!("{input} drops it, from `{from}`"),
                (Pass::InputsOnly, false) => {
                    format!("{input} admits it from `{from}`, which no flow of the spec allows")
                }
                (Pass::OutputsOnly, true) => format!("{output} drops it, towards `{to}`"),
                (Pass::OutputsOnly, false) => {
                    format!("{output} lets it out towards `{to}`, which no flow of the spec allows")
                }
            };
            if !mismatch.rules.is_empty() {
                text.push_str(&format!("; the rule that accepted it: {}", mismatch.rules.join(" | ")));
            }
            if let Some(decision) = probe.hop.and_then(|hop| model.flows.get(hop)).and_then(|f| f.decision.as_ref()) {
                text.push_str(&format!("; the spec's policy: {}", decision.describe()));
            }
            mismatch.explanation = text;
        }
    }
}

/// `node`, or `node[2]` for a replica of a cluster or group.
pub fn member_name(model: &Model, members: &[Member], index: usize) -> String {
    let Some(member) = members.get(index) else { return String::new() };
    let name = &model.nodes[member.node].name;
    if members.iter().filter(|m| m.node == member.node).count() > 1 {
        format!("{name}[{}]", member.replica + 1)
    } else {
        name.clone()
    }
}

/// The iptables ACCEPT rules (other than the defaults) whose packet counts the probe, sent
/// again alone, moved in the chains the pass keeps.
fn admitted_by(lab: &Lab, probe: &Probe, pass: Pass, options: &Options) -> Vec<String> {
    let v6 = probe.addr.is_ipv6();
    let sides: Vec<usize> = match pass {
        Pass::AsWritten => vec![probe.from, probe.to],
        Pass::InputsOnly => vec![probe.to],
        Pass::OutputsOnly => vec![probe.from],
    };
    let before: Vec<_> = sides.iter().map(|&m| lab.counters(m, v6)).collect();
    let _ = probe::run(&lab.paths, &[probe], options.retry_timeout, 1);
    let mut out = Vec::new();
    for (&m, before) in sides.iter().zip(before) {
        for (rule, packets) in lab.counters(m, v6) {
            let moved = packets > before.get(&rule).copied().unwrap_or(0);
            if moved && rule.contains("-j ACCEPT") && !rule.contains("ESTABLISHED") && !rule.contains(" lo ") {
                out.push(rule);
            }
        }
    }
    out
}
