//! Building the exported model ([`portolan_model::Model`]) from a spec that checks without
//! errors (`export/collect.rs`, the policy in `export/policy.rs`), and the problems that keep it from being written as firewall
//! rules. Emitters never see the database; they see the model.

mod collect;
mod policy;

pub use collect::export;

use portolan_model::Model;

use crate::diagnostic::Diagnostic;

/// The model, and the problems that keep it from being written as firewall rules.
#[derive(Clone, Debug)]
pub struct Export {
    pub model: Model,
    /// Diagnostics (P603) for flow ends that no firewall rule can name; a build of a rule
    /// target fails with them.
    pub rule_problems: Vec<Diagnostic>,
}
