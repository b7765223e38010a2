//! Writing a build's files into its output folder as one transaction: a failed build changes
//! nothing on disk. The plan (`plan.rs`) decides every change first: the files that differ,
//! the files earlier builds wrote that this one no longer does (recorded in the manifest,
//! `manifest.rs`), the folders that leaves empty. `--check` prints the plan as a diff; a build
//! carries it out (`transaction.rs`), or undoes all of it. `portolan fmt` replaces each file it
//! rewrites with the same temporary file and rename ([`replace`]).

mod manifest;
mod plan;
#[cfg(all(test, unix))]
mod tests;
mod transaction;

use std::path::Path;

use crate::error::Result;
use portolan_emit::{Output, Target};

pub use plan::Plan;
pub use transaction::Done;

/// What writing `outputs` (each with its target; `targets`: every target built) into `out`
/// would change. Reads `out`, writes nothing.
pub fn plan(out: &Path, outputs: Vec<(Target, Output)>, targets: &[Target]) -> Result<Plan> {
    plan::plan(out, outputs, targets)
}

/// Replaces one file atomically, keeping its permissions (for `portolan fmt`).
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    transaction::replace(path, bytes, &transaction::RealFs)
}

/// Makes the plan's changes, all or none.
pub fn write(plan: &Plan) -> Result<Done> {
    transaction::apply(plan, &transaction::RealFs)
}

/// The plan as a unified diff: each file written against what `out` holds (a missing file
/// against `/dev/null`), each stale file as its deletion.
pub fn diff(plan: &Plan) -> String {
    let mut text = String::new();
    for write in &plan.writes {
        let old = write.old.as_ref().map(|old| String::from_utf8_lossy(&old.bytes));
        let new = String::from_utf8_lossy(&write.bytes);
        let from = if old.is_some() { format!("a/{}", write.path) } else { "/dev/null".to_string() };
        text.push_str(&unified(old.as_deref().unwrap_or(""), &new, &from, &format!("b/{}", write.path)));
    }
    for stale in &plan.stale {
        let old = String::from_utf8_lossy(&stale.bytes);
        text.push_str(&unified(&old, "", &format!("a/{}", stale.path), "/dev/null"));
    }
    text
}

fn unified(old: &str, new: &str, from: &str, to: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(3).header(from, to).to_string();
    // Two empty files (a stale one that is empty) differ only in being there.
    if text.is_empty() { format!("--- {from}\n+++ {to}\n") } else { text }
}
