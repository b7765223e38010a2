//! Collecting diagnostics: an item's (its problems rendered and its checks), a file's (locations
//! made absolute, in source order), the spec's; the driver that computes them on several
//! threads; and what the loader asks of a database (missing modules). Above `check/`.

use crate::check;
use crate::db::{Db, Origin, SourceFile};
use crate::diagnostic::Diagnostic;
use rustc_hash::FxHashSet;

use crate::facts::{file_hops, file_proxied, file_usage, spec_policy, spec_usage, user_files};
use crate::items::{Item, file_items, parse_file};
use crate::policy::policy_index;
use crate::scope::{module_locals, module_scope};

/// Every diagnostic of one item, locations relative to anchors.
#[salsa::tracked(returns(ref))]
pub fn item_diagnostics<'db>(db: &'db dyn Db, item: Item<'db>) -> Vec<Diagnostic> {
    check::item_checks(db, item)
}

/// What the policy checks find in one file's flows: the policy and encryption diagnostics, and
/// which rules match some hop of the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilePolicy {
    pub diagnostics: Vec<Diagnostic>,
    /// Indices into `SpecPolicy::rules` of the rules that match at least one hop, sorted.
    pub used: Vec<u32>,
    /// True when a flow of the file has no hops (an end did not resolve): what it would match
    /// is unknown.
    pub incomplete: bool,
    /// True when the policy's default (or the absence of one) decides some hop of the file.
    pub defaulted: bool,
}

/// The policy and encryption diagnostics of one file's flows, and the rules its hops use: one
/// pass over the index per hop decides it and finds every rule it matches.
///
/// These checks read the spec-wide policy, which depends on every file, so salsa verifies a
/// query that reads it again after every edit anywhere. Checking a file's hops in one query that
/// reads them from one per-file query (`file_hops`) keeps that to two verifications per file
/// instead of several per flow.
#[salsa::tracked(returns(ref))]
pub fn file_policy(db: &dyn Db, file: SourceFile) -> FilePolicy {
    let (policy, index) = (spec_policy(db), crate::policy::policy_index(db));
    let mut out = FilePolicy::default();
    let mut used = FxHashSet::default();
    let mut matched = Vec::new();
    for facts in file_hops(db, file) {
        let decision = crate::policy::decide_matching(policy, index, facts.policy_hop(), &mut matched);
        out.defaulted |= decision.rule().is_none();
        out.diagnostics.extend(check::policy_violation::check_hop(db, policy, facts, decision));
        out.diagnostics.extend(check::cleartext::check_hop(db, policy, index, facts));
        used.extend(matched.iter().copied());
    }
    for facts in file_proxied(db, file) {
        out.diagnostics.extend(check::proxied_deny::check_flow(db, policy, index, facts));
    }
    out.incomplete = file_usage(db, file).unresolved_flows;
    out.used = used.into_iter().collect();
    out.used.sort_unstable();
    out
}

/// The rules of the spec's policy that match at least one hop; `None` when that cannot be known
/// (a flow or a node did not resolve).
#[salsa::tracked(returns(ref))]
pub fn used_rules(db: &dyn Db) -> Option<FxHashSet<u32>> {
    if spec_usage(db).incomplete {
        return None;
    }
    let mut used = FxHashSet::default();
    for &file in user_files(db) {
        let part = file_policy(db, file);
        if part.incomplete {
            return None;
        }
        used.extend(part.used.iter().copied());
    }
    Some(used)
}

/// Whether the policy's default decides some hop of the spec; `None` while some flow did not
/// resolve, since its hops are unknown.
#[salsa::tracked]
pub fn default_reached(db: &dyn Db) -> Option<bool> {
    if spec_usage(db).incomplete {
        return None;
    }
    let mut reached = false;
    for &file in user_files(db) {
        let part = file_policy(db, file);
        if part.incomplete {
            return None;
        }
        reached |= part.defaulted;
    }
    Some(reached)
}

/// Diagnostics that belong to no one item: import cycles and route numbers given twice (in any
/// file), and the policy's ([`spec_policy_diagnostics`], only in files with a `policy`).
pub fn spec_diagnostics(db: &dyn Db) -> Vec<Diagnostic> {
    let mut out = spec_structure_diagnostics(db).clone();
    out.extend(spec_policy_diagnostics(db).iter().cloned());
    out
}

/// Import cycles and route numbers given twice: what can put a spec-wide diagnostic in a file
/// without a `policy`.
#[salsa::tracked(returns(ref))]
pub fn spec_structure_diagnostics(db: &dyn Db) -> Vec<Diagnostic> {
    let mut out = check::import_cycle::cycles(db);
    out.extend(check::duplicate::route_numbers(db));
    out
}

/// The policy's own diagnostics, each at a statement of a `policy` block: conflicting defaults,
/// allow rules no hop uses, shadowed and redundant rules, a default allow no hop reaches. They
/// read every hop of the spec (which rules are used), so a file without a `policy` does not ask
/// for them: an edit to a flow publishes that file's diagnostics without re-deciding the others.
#[salsa::tracked(returns(ref))]
pub fn spec_policy_diagnostics(db: &dyn Db) -> Vec<Diagnostic> {
    let mut out = check::duplicate::policy_defaults(db, spec_policy(db));
    out.extend(check::unused_rule::check(db, spec_policy(db), used_rules(db).as_ref()));
    let (policy, index) = (spec_policy(db), policy_index(db));
    let shadowed = check::shadowed_rule::shadowed(db, policy, index);
    out.extend(check::shadowed_rule::check(db, policy, &shadowed));
    out.extend(check::redundant_rule::check(db, policy, index, &shadowed));
    out.extend(check::unreached_default::check(db, spec_policy(db), *default_reached(db)));
    out
}

/// Every diagnostic whose primary location is in this file, locations absolute, in source order.
#[salsa::tracked(returns(ref))]
pub fn file_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for error in &parse_file(db, file).errors {
        out.push(check::syntax::diagnostic(file, error));
    }
    let scope_problems = module_locals(db, file).problems.iter().chain(&module_scope(db, file).problems);
    out.extend(scope_problems.filter_map(|problem| check::render::scope_problem(db, problem)));
    for &item in file_items(db, file) {
        out.extend(item_diagnostics(db, item).iter().cloned());
    }
    out.extend(file_policy(db, file).diagnostics.iter().cloned());
    let here = |d: &&Diagnostic| d.location().is_some_and(|l| l.file == file);
    out.extend(spec_structure_diagnostics(db).iter().filter(here).cloned());
    if file_items(db, file).iter().any(|&item| item.kind(db) == crate::items::ItemKind::Policy) {
        out.extend(spec_policy_diagnostics(db).iter().filter(here).cloned());
    }
    let mut out: Vec<Diagnostic> = out.iter().map(|d| d.absolute(db)).collect();
    out.sort_by_key(|d| d.location().map(|l| (l.span.start, l.span.end)));
    out.dedup();
    out
}

/// Every diagnostic of the spec: the user's files in workspace order.
pub fn diagnostics(db: &dyn Db) -> Vec<Diagnostic> {
    user_files(db).iter().flat_map(|&file| file_diagnostics(db, file).iter().cloned()).collect()
}

/// [`diagnostics`], computed on several threads, each on a clone of the database: the files are
/// dealt out among them. The result is the same, in the same order.
pub fn diagnostics_parallel(db: &crate::db::Database, threads: usize) -> Vec<Diagnostic> {
    let files = user_files(db).clone();
    let threads = threads.clamp(1, files.len().max(1));
    if threads == 1 {
        return diagnostics(db);
    }
    // First each file's own facts (parsing, resolution, usage), so that no thread waits on
    // another computing the spec-wide merge; then each file's diagnostics.
    std::thread::scope(|scope| {
        for worker in 0..threads {
            let db = db.clone();
            let files = &files;
            scope.spawn(move || {
                for &file in files.iter().skip(worker).step_by(threads) {
                    file_usage(&db, file);
                }
            });
        }
    });
    let mut per_file: Vec<Option<Vec<Diagnostic>>> = vec![None; files.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let db = db.clone();
                let files = &files;
                scope.spawn(move || {
                    let mut done = Vec::new();
                    for (index, &file) in files.iter().enumerate().skip(worker).step_by(threads) {
                        done.push((index, file_diagnostics(&db, file).clone()));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            if let Ok(done) = worker.join() {
                for (index, diagnostics) in done {
                    per_file[index] = Some(diagnostics);
                }
            }
        }
    });
    // Never lose a file's diagnostics: should a worker have failed, compute them here.
    files
        .iter()
        .zip(per_file)
        .flat_map(|(&file, done)| done.unwrap_or_else(|| file_diagnostics(db, file).clone()))
        .collect()
}

/// Diagnostics of the standard library's own files (none, unless the library has a bug).
pub fn stdlib_diagnostics(db: &dyn Db) -> Vec<Diagnostic> {
    db.workspace()
        .files(db)
        .iter()
        .filter(|f| f.origin(db) == Origin::Stdlib)
        .flat_map(|&file| file_diagnostics(db, file).iter().cloned())
        .collect()
}

/// Modules that the user's files `use` but that no file of the workspace provides; a loader
/// reads these from disk when it can.
pub fn missing_modules(db: &dyn Db) -> Vec<String> {
    let index = crate::scope::module_index(db, db.workspace());
    let mut out: Vec<String> = Vec::new();
    for &file in user_files(db) {
        for &item in file_items(db, file) {
            if let Some(decl) = item.use_decl(db) {
                let name = decl.module.text();
                if !index.contains_key(&name) && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}
