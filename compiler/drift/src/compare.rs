//! The comparison: Portolan's table present, its chains' hooks and policies, the housekeeping
//! rules of each chain, and the accepts. Accepts are compared by their comment (each flow's
//! rules carry its label), and within one comment as what they let through: an expected rule is
//! missing for what of it no live accept of its comment covers, a live accept is unexpected for
//! what of it no expected rule of its comment covers, port by port and address by address. So
//! a flow's rule deleted is missing even where another flow's rule accepts the same, and a rule
//! added by hand is unexpected even where it accepts nothing new.

use std::collections::BTreeSet;

use portolan_emit::rules::Direction;

use crate::norm::{Accept, Spans};
use crate::{Expected, Finding, Kind, Live, Report, Source, What};

/// What differs between the rules the spec builds and the live ruleset.
pub fn compare(expected: &Expected, live: &Live) -> Report {
    let source = live.source;
    let mut report = Report {
        host: expected.host.clone(),
        source,
        findings: Vec::new(),
        not_managed: live.not_managed.clone(),
        notes: Vec::new(),
    };
    if source == Source::Iptables(crate::Family::V4) && expected.ipv6 {
        report.notes.push(
            "IPv6 appears in this host's rules: they are in its `.ip6tables` file; compare `ip6tables-save` with `--ip6tables`"
                .to_string(),
        );
    }
    if source == Source::Iptables(crate::Family::V6) && !expected.ipv6 {
        // The CLI refuses this comparison; a caller that makes it is told why it drifts.
        report
            .notes
            .push("no IPv6 appears in this host's rules: the spec builds no `.ip6tables` file for it".to_string());
    }
    if !live.table {
        report.findings.push(finding(
            Kind::TableAbsent,
            None,
            format!("table {}", source.table()),
            "the spec builds it; none of its rules is on the host".to_string(),
        ));
        return report;
    }
    let families = source.families();
    let ours = [Direction::Input, Direction::Output].map(|d| source.chain(d));
    for direction in [Direction::Input, Direction::Output] {
        let name = source.chain(direction);
        match live.chains.iter().find(|c| c.name == name) {
            None => report.findings.push(finding(
                Kind::Chain,
                Some(name),
                String::new(),
                "absent on the host; the spec builds it".to_string(),
            )),
            Some(chain) => {
                let (policy, base) = match source {
                    Source::Nftables => ("drop", Some(format!("type filter hook {name} priority 0"))),
                    Source::Iptables(_) => ("DROP", None),
                };
                if chain.policy.as_deref() != Some(policy) {
                    let found = chain.policy.as_deref().unwrap_or("none");
                    let mut f = finding(
                        Kind::Policy,
                        Some(name),
                        String::new(),
                        format!("{found} on the host; the spec builds {policy}"),
                    );
                    f.at = Some(chain.at.clone());
                    report.findings.push(f);
                }
                if base.is_some() && chain.base != base {
                    let found = chain.base.as_deref().unwrap_or("a regular chain (no hook)");
                    let mut f = finding(
                        Kind::Chain,
                        Some(name),
                        String::new(),
                        format!("{found} on the host; the spec builds {}", base.unwrap_or_default()),
                    );
                    f.at = Some(chain.at.clone());
                    report.findings.push(f);
                }
            }
        }
    }
    for chain in live.chains.iter().filter(|c| !ours.contains(&c.name.as_str())) {
        let mut f = finding(Kind::Chain, Some(&chain.name), String::new(), "not in the spec".into());
        f.at = Some(chain.at.clone());
        report.findings.push(f);
    }
    for (at, what) in &live.others {
        let mut f =
            finding(Kind::Unexpected, None, what.clone(), format!("in table {}, not in the spec", source.table()));
        f.at = Some(at.clone());
        report.findings.push(f);
    }
    for direction in [Direction::Input, Direction::Output] {
        let name = source.chain(direction);
        let rules: Vec<_> = live.rules.iter().filter(|r| r.chain == name).collect();
        // Housekeeping: each rule the file states, present or not.
        let want: BTreeSet<_> = expected.housekeeping(source, direction).into_iter().collect();
        let mut have = BTreeSet::new();
        for rule in &rules {
            if let What::Housekeeping(items) = &rule.what {
                have.extend(items.iter().copied());
                if items.iter().any(|h| !want.contains(h)) {
                    report.findings.push(unexpected(rule, "a housekeeping rule the spec does not build here".into()));
                }
            }
        }
        for missing in want.difference(&have) {
            report.findings.push(finding(Kind::Missing, Some(name), missing.text(), "not accepted on the host".into()));
        }
        // Accepts, as what they let through.
        let built: Vec<(&crate::ExpectedRule, Accept)> = expected
            .rules
            .iter()
            .filter(|r| r.direction == direction)
            .map(|r| (r, r.accept.only(&families)))
            .filter(|(_, a)| !a.is_empty())
            .collect();
        let found: Vec<(&crate::LiveRule, Accept)> = rules
            .iter()
            .filter_map(|r| match &r.what {
                What::Accept(a) => Some((*r, a.only(&families))),
                _ => None,
            })
            .collect();
        for (rule, accept) in &built {
            let comment = Some(rule.comment(source));
            let same: Vec<&Accept> =
                found.iter().filter(|(r, _)| r.comment.as_deref() == comment).map(|(_, a)| a).collect();
            let rest = uncovered(accept, &same);
            if !rest.is_empty() {
                let mut f = finding(Kind::Missing, Some(name), rule.label.clone(), not_accepted(&rest, direction));
                f.flow = Some(rule.flow);
                f.spec = Some(rule.describe.clone());
                report.findings.push(f);
            }
        }
        for (rule, accept) in &found {
            let comment = rule.comment.as_deref();
            let same: Vec<&Accept> =
                built.iter().filter(|(r, _)| Some(r.comment(source)) == comment).map(|(_, a)| a).collect();
            let rest = uncovered(accept, &same);
            if !rest.is_empty() {
                let texts: Vec<String> = rest.iter().map(|a| a.text(direction)).collect();
                let detail = if same.is_empty() {
                    format!("accepts {}", texts.join("; "))
                } else {
                    format!("accepts {}, beyond the spec's rule of this comment", texts.join("; "))
                };
                report.findings.push(of_flow(unexpected(rule, detail), rule, &built, source));
            }
        }
        for rule in rules.iter().filter(|r| r.what == What::Other) {
            let f = unexpected(rule, "a rule of a kind the spec does not build".into());
            report.findings.push(of_flow(f, rule, &built, source));
        }
    }
    // Rules of chains that are not Portolan's, inside Portolan's table.
    for rule in live.rules.iter().filter(|r| !ours.contains(&r.chain.as_str())) {
        report.findings.push(unexpected(rule, format!("in chain {}, which the spec does not build", rule.chain)));
    }
    report
}

/// A finding on a live rule, with the flow of the spec's rule whose comment it carries, if any.
fn of_flow(
    mut f: Finding,
    rule: &crate::LiveRule,
    built: &[(&crate::ExpectedRule, Accept)],
    source: Source,
) -> Finding {
    if let Some((spec, _)) = built.iter().find(|(r, _)| rule.comment.as_deref() == Some(r.comment(source))) {
        f.flow = Some(spec.flow);
        f.spec = Some(spec.describe.clone());
    }
    f
}

fn not_accepted(rest: &[Accept], direction: Direction) -> String {
    let texts: Vec<String> = rest.iter().map(|a| a.text(direction)).collect();
    format!("no rule of this flow on the host accepts {}", texts.join("; "))
}

fn finding(kind: Kind, chain: Option<&str>, rule: String, detail: String) -> Finding {
    Finding { kind, chain: chain.map(str::to_string), rule, detail, flow: None, spec: None, at: None }
}

fn unexpected(rule: &crate::LiveRule, detail: String) -> Finding {
    let name = match &rule.comment {
        Some(comment) => format!("\"{comment}\": {}", rule.text),
        None => rule.text.clone(),
    };
    let mut f = finding(Kind::Unexpected, Some(&rule.chain), name, detail);
    f.at = Some(rule.at.clone());
    f
}

/// What of `rule` none of `by` accepts, as accepts over runs of ports with the same uncovered
/// addresses.
fn uncovered(rule: &Accept, by: &[&Accept]) -> Vec<Accept> {
    let same: Vec<&Accept> = by.iter().copied().filter(|b| b.transport == rule.transport).collect();
    // Cut the ports where any rule's ports start or end: on each piece, every rule either
    // accepts every port or none.
    let mut cuts: Vec<u128> = Vec::new();
    for accept in std::iter::once(rule).chain(same.iter().copied()) {
        for &(a, b) in accept.ports.intervals() {
            cuts.push(a);
            cuts.push(b.saturating_add(1));
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Accept> = Vec::new();
    for &(start, end) in rule.ports.intervals() {
        let mut from = start;
        let inner: Vec<u128> = cuts.iter().copied().filter(|&c| c > start && c <= end).collect();
        for upto in inner.into_iter().map(|c| c - 1).chain(std::iter::once(end)) {
            let covering: Vec<&&Accept> = same.iter().filter(|b| b.ports.contains(from)).collect();
            let cover =
                |pick: fn(&Accept) -> &Spans| covering.iter().fold(Spans::default(), |all, b| all.union(pick(b)));
            let v4 = rule.v4.minus(&cover(|a| &a.v4));
            let v6 = rule.v6.minus(&cover(|a| &a.v6));
            if !(v4.is_empty() && v6.is_empty()) {
                let ports = Spans::new(vec![(from, upto)]);
                match out.last_mut() {
                    Some(last) if last.v4 == v4 && last.v6 == v6 => last.ports = last.ports.union(&ports),
                    _ => out.push(Accept { transport: rule.transport, ports, v4, v6 }),
                }
            }
            from = upto + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norm::Family;
    use portolan_model::ports::Transport;

    fn accept(ports: &[(u128, u128)], v4: &[(u128, u128)]) -> Accept {
        Accept {
            transport: Transport::Tcp,
            ports: Spans::new(ports.to_vec()),
            v4: Spans::new(v4.to_vec()),
            v6: Spans::default(),
        }
    }

    #[test]
    fn a_split_rule_covers_the_whole() {
        let whole = accept(&[(1, 20)], &[(10, 11)]);
        let halves = [accept(&[(1, 9)], &[(10, 10)]), accept(&[(1, 9)], &[(11, 11)]), accept(&[(10, 20)], &[(10, 11)])];
        let by: Vec<&Accept> = halves.iter().collect();
        assert!(uncovered(&whole, &by).is_empty());
        for half in &halves {
            assert!(uncovered(half, &[&whole]).is_empty());
        }
    }

    #[test]
    fn what_is_not_covered_is_named() {
        let whole = accept(&[(1, 20)], &[(10, 11)]);
        let part = accept(&[(5, 20)], &[(10, 10)]);
        let rest = uncovered(&whole, &[&part]);
        assert_eq!(rest.len(), 2, "{rest:?}");
        assert_eq!(rest[0].ports.intervals(), &[(1, 4)]);
        assert_eq!(rest[0].v4.intervals(), &[(10, 11)]);
        assert_eq!(rest[1].ports.intervals(), &[(5, 20)]);
        assert_eq!(rest[1].v4.intervals(), &[(11, 11)]);
        let udp = Accept { transport: Transport::Udp, ..whole.clone() };
        assert_eq!(uncovered(&whole, &[&udp]).len(), 1, "another transport covers nothing");
        assert!(whole.only(&[Family::V6]).is_empty());
    }
}
