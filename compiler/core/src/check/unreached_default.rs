//! P307 (warning): a `default allow` that no hop of the spec reaches: every hop is decided by a
//! rule, so the default allows nothing the spec needs, yet the firewall it compiles to accepts
//! whatever no rule names.
//!
//! A `default deny` that no hop reaches is the policy a reviewer hopes for (every hop allowed by
//! a rule written for it) and is not reported. Nothing is reported while some flow or node did
//! not resolve, since its hops are unknown.

use portolan_syntax::ast::Action;

use crate::check::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::SpecPolicy;

pub fn check(db: &dyn Db, policy: &SpecPolicy<'_>, reached: Option<bool>) -> Vec<Diagnostic> {
    let Some(default) = policy.defaults.first() else { return Vec::new() };
    if default.action != Action::Allow || reached != Some(false) || !default.policy.is_user(db) {
        return Vec::new();
    }
    vec![
        Diagnostic::new(
            Code::UnreachedDefault,
            "`default allow` decides no hop of the spec: every hop is decided by a rule",
        )
        .primary(default.policy.at(db, default.span), "this default allows only what no flow needs")
        .help(
            "state `default deny`: no hop of the spec changes, and what no rule names is refused rather than accepted",
        )
        .fix("make the default `deny`", vec![edit::replace(db, default.policy, default.span, "default deny")]),
    ]
}
