//! P303 (warning): an `allow` rule of the user's policy that matches no hop of the spec: a stale
//! exception, or a rule whose zones, nodes or services say something else than meant.
//!
//! `deny` rules are left alone: a deny that matches nothing is a guard doing its work. Nothing is
//! reported while some flow or node did not resolve, since what it would match is unknown.

use super::describe;
use portolan_syntax::ast::Action;
use rustc_hash::FxHashSet;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::SpecPolicy;

pub fn check(db: &dyn Db, policy: &SpecPolicy<'_>, used: Option<&FxHashSet<u32>>) -> Vec<Diagnostic> {
    let Some(used) = used else { return Vec::new() };
    let mut out = Vec::new();
    for (i, rule) in policy.rules.iter().enumerate() {
        let unused = u32::try_from(i).is_ok_and(|i| !used.contains(&i));
        if !unused || !rule.valid || rule.action != Action::Allow || !rule.policy.is_user(db) {
            continue;
        }
        let label = describe::label_suffix(&rule.label);
        out.push(
            Diagnostic::new(Code::UnusedRule, format!("this `allow` rule{label} matches no hop of the spec"))
                .primary(rule.policy.at(db, rule.text_span), "no flow's hop goes where this rule allows")
                .help(
                    "remove it if the flow it was written for is gone, or check its zones, nodes and services: a stale exception opens the firewall for whatever comes next",
                ),
        );
    }
    out
}
