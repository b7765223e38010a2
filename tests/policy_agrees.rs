//! The policy as the exported model states it (`portolan_model::policy`, which the documents'
//! policy tables evaluate) decides every hop as the checker decided it: for every example and
//! every fixture without errors, each hop's recorded decision (allowed or denied, by a rule or by
//! the default, and which rule by its label and action) is what `Policy::decide` gives.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::Path;

use portolan::Severity;
use portolan_model::policy::HopInFlow;
use portolan_model::{DecidedBy, HopKind, Model, Verdict};

/// Every disagreement between the model's policy and the recorded decisions, and how many hops
/// were compared.
fn disagreements(name: &str, model: &Model) -> (Vec<String>, usize) {
    let mut out = Vec::new();
    let mut compared = 0;
    for flow in &model.flows {
        let Some(recorded) = &flow.decision else { continue };
        if flow.kind == HopKind::Local {
            continue;
        }
        let ends = model.route_ends(flow);
        let (ports, flow_ports) = (flow.port_set(), ends.1.port_set());
        let hop = HopInFlow::of(flow, &ports, ends, &flow_ports);
        let decided = model.policy.decide(&hop);
        compared += 1;
        let allowed = recorded.action == Verdict::Allow;
        let by_rule = recorded.by == DecidedBy::Rule;
        let same_rule = match decided.rule {
            Some(i) => {
                let rule = &model.policy.rules[i];
                by_rule
                    && rule.label == recorded.label
                    && recorded.rule.as_deref().is_some_and(|text| text.starts_with(rule.action.as_str()))
            }
            None => !by_rule,
        };
        if decided.allowed != allowed || !same_rule {
            out.push(format!(
                "{name}: route {} hop {} ({} -> {}): recorded {}, the model's policy gives {:?}",
                flow.route,
                flow.hop,
                flow.from.node,
                flow.to.node,
                recorded.describe(),
                decided
            ));
        }
    }
    (out, compared)
}

#[test]
fn the_models_policy_decides_each_hop_as_the_checker() {
    let mut failures = Vec::new();
    let mut compared = 0;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut examples: Vec<_> =
        std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    examples.sort();
    for example in &examples {
        let db = portolan_tests::database(&portolan_tests::read_folder(example));
        let (found, n) = disagreements(&example.display().to_string(), &portolan::export::export(&db).model);
        failures.extend(found);
        compared += n;
    }
    for (name, files) in portolan_tests::fixtures() {
        let spec = portolan_tests::load_files(&files);
        if !spec.problems.is_empty()
            || portolan::diagnostics(&spec.db)
                .iter()
                .any(|d| d.severity == Severity::Error && d.code.as_str() != "P301")
        {
            continue;
        }
        let (found, n) = disagreements(&name, &portolan::export::export(&spec.db).model);
        failures.extend(found);
        compared += n;
    }
    assert!(compared > 100, "only {compared} hops compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
