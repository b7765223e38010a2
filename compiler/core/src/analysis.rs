//! Facts that need the whole spec (which ports flows serve, which components and zones are used,
//! the policy), built per file and then merged, so that an edit recomputes one file's part and
//! the merge runs only when that part changed; and the collection of every diagnostic.

use portolan_syntax::ast::Action;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::check;
use crate::db::{Db, Origin, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::items::{Item, ItemKind, file_items, parse_file};
use crate::model::{DefaultInfo, Endpoint, HopFacts, RequireInfo, RuleInfo};
use crate::resolve::{flow_info, node_info, policy_info, protocol_info, zone_info};
use crate::scope::{module_locals, module_scope};

/// What one file's nodes, flows and policies use.
#[derive(Clone, Debug, Default, PartialEq, Eq, salsa::SalsaValue)]
pub struct FileUsage<'db> {
    pub components: Vec<Item<'db>>,
    pub zones: Vec<Item<'db>>,
    /// Ports that flows open connections from.
    pub served: Vec<Endpoint<'db>>,
    /// Ports that flows connect to.
    pub reached: Vec<Endpoint<'db>>,
    pub policies: Vec<Item<'db>>,
    pub nodes: Vec<Item<'db>>,
    pub flows: Vec<Item<'db>>,
    /// True when a node or zone of the file has a syntax error: what it uses is unknown.
    pub incomplete: bool,
    /// True when a flow of the file has no hops (a syntax error, or an end that did not
    /// resolve): which policy rules it would use is unknown.
    pub unresolved_flows: bool,
}

#[salsa::tracked(returns(ref))]
pub fn file_usage(db: &dyn Db, file: SourceFile) -> FileUsage<'_> {
    let mut usage = FileUsage::default();
    for &item in file_items(db, file) {
        usage.incomplete |= is_incomplete_placement(db, item);
        match item.kind(db) {
            ItemKind::Node => {
                let info = node_info(db, item);
                usage.components.extend(info.components.iter().copied());
                usage.zones.extend(info.zone);
                usage.nodes.push(item);
            }
            ItemKind::Flow | ItemKind::Broken => {
                if item.kind(db) == ItemKind::Broken && item.broken(db).and_then(|b| b.flow_ends.as_ref()).is_none() {
                    continue;
                }
                let info = flow_info(db, item);
                usage.unresolved_flows |= !info.local && info.hops.is_empty();
                if info.hops.is_empty() {
                    usage.served.extend(info.from);
                    usage.reached.extend(info.to);
                    usage.reached.extend(info.via.iter().copied());
                } else {
                    for hop in &info.hops {
                        usage.served.push(hop.from);
                        usage.reached.push(hop.to);
                    }
                }
                if item.kind(db) == ItemKind::Flow {
                    usage.flows.push(item);
                }
            }
            ItemKind::Policy => usage.policies.push(item),
            _ => {}
        }
    }
    dedup(&mut usage.components);
    dedup(&mut usage.zones);
    usage
}

/// True for a node or zone whose components or nodes are unknown: it has a syntax error, or a
/// component of a node did not resolve.
fn is_incomplete_placement(db: &dyn Db, item: Item<'_>) -> bool {
    match item.kind(db) {
        ItemKind::Node => !node_info(db, item).complete,
        ItemKind::Broken => {
            let keyword = item.broken(db).and_then(|b| b.keyword.as_ref()).map(|k| k.name.clone());
            matches!(keyword.as_deref(), Some("node" | "zone"))
        }
        _ => false,
    }
}

/// Removes repeated items, keeping the first of each.
fn dedup(items: &mut Vec<Item<'_>>) {
    let mut seen = FxHashSet::default();
    items.retain(|item| seen.insert(*item));
}

/// The user's files, in workspace order.
#[salsa::tracked(returns(ref))]
pub fn user_files(db: &dyn Db) -> Vec<SourceFile> {
    db.workspace().files(db).iter().copied().filter(|f| f.origin(db) == Origin::User).collect()
}

/// What the whole spec uses.
#[derive(Clone, Debug, Default, PartialEq, Eq, salsa::SalsaValue)]
pub struct SpecUsage<'db> {
    pub components: FxHashSet<Item<'db>>,
    pub zones: FxHashSet<Item<'db>>,
    pub served: FxHashMap<Item<'db>, Vec<u32>>,
    pub reached: FxHashMap<Item<'db>, Vec<u32>>,
    pub policies: Vec<Item<'db>>,
    /// True when some node or zone has a syntax error or an unresolved component.
    pub incomplete: bool,
}

#[salsa::tracked(returns(ref))]
pub fn spec_usage(db: &dyn Db) -> SpecUsage<'_> {
    let mut usage = SpecUsage::default();
    for &file in user_files(db) {
        let part = file_usage(db, file);
        usage.components.extend(part.components.iter().copied());
        usage.zones.extend(part.zones.iter().copied());
        for end in &part.served {
            usage.served.entry(end.node).or_default().push(end.port);
        }
        for end in &part.reached {
            usage.reached.entry(end.node).or_default().push(end.port);
        }
        usage.policies.extend(part.policies.iter().copied());
        usage.incomplete |= part.incomplete;
    }
    for ports in usage.served.values_mut().chain(usage.reached.values_mut()) {
        ports.sort_unstable();
        ports.dedup();
    }
    usage
}

/// Which ports of one node flows serve and reach.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeUsage {
    pub served: Vec<u32>,
    pub reached: Vec<u32>,
}

#[salsa::tracked(returns(ref))]
pub fn node_usage<'db>(db: &'db dyn Db, node: Item<'db>) -> NodeUsage {
    let usage = spec_usage(db);
    NodeUsage {
        served: usage.served.get(&node).cloned().unwrap_or_default(),
        reached: usage.reached.get(&node).cloned().unwrap_or_default(),
    }
}

/// True when some node is built from this component, or when that cannot be known because a
/// node has a syntax error.
#[salsa::tracked(returns(copy))]
pub fn component_used<'db>(db: &'db dyn Db, component: Item<'db>) -> bool {
    let usage = spec_usage(db);
    usage.incomplete || usage.components.contains(&component)
}

/// True when some node sits in this zone, or when that cannot be known.
#[salsa::tracked(returns(copy))]
pub fn zone_used<'db>(db: &'db dyn Db, zone: Item<'db>) -> bool {
    let usage = spec_usage(db);
    usage.incomplete || usage.zones.contains(&zone)
}

/// Every `policy` of the spec, merged.
#[derive(Clone, Debug, Default, PartialEq, Eq, salsa::SalsaValue)]
pub struct SpecPolicy<'db> {
    pub defaults: Vec<DefaultInfo<'db>>,
    pub rules: Vec<RuleInfo<'db>>,
    pub requires: Vec<RequireInfo<'db>>,
}

impl SpecPolicy<'_> {
    /// The default action: the first `default` written; `None` when the spec states none.
    pub fn default_action(&self) -> Option<Action> {
        self.defaults.first().map(|d| d.action)
    }
}

#[salsa::tracked(returns(ref))]
pub fn spec_policy(db: &dyn Db) -> SpecPolicy<'_> {
    let mut policy = SpecPolicy::default();
    for &item in &spec_usage(db).policies {
        let info = policy_info(db, item);
        policy.defaults.extend(info.defaults.iter().cloned());
        policy.rules.extend(info.rules.iter().cloned());
        policy.requires.extend(info.requires.iter().cloned());
    }
    policy
}

/// Every diagnostic of one item, locations relative to anchors.
#[salsa::tracked(returns(ref))]
pub fn item_diagnostics<'db>(db: &'db dyn Db, item: Item<'db>) -> Vec<Diagnostic> {
    check::item_checks(db, item)
}

/// What the policy and encryption checks need of every hop of one file's flows (not `local`).
#[salsa::tracked(returns(ref))]
pub fn file_hops(db: &dyn Db, file: SourceFile) -> Vec<HopFacts<'_>> {
    let mut out = Vec::new();
    for &flow in &file_usage(db, file).flows {
        let info = flow_info(db, flow);
        let Some(decl) = flow.flow_decl(db) else { continue };
        if info.local {
            continue;
        }
        let location = flow.at(db, decl.from.span.cover(decl.to.span));
        for hop in &info.hops {
            let (from_zone, to_zone) = (node_info(db, hop.from.node).zone, node_info(db, hop.to.node).zone);
            let (from, to) = (from_zone.map(|z| zone_info(db, z)), to_zone.map(|z| zone_info(db, z)));
            let protocol = hop.protocol.map(|p| protocol_info(db, p));
            out.push(HopFacts {
                hop: hop.clone(),
                from_zone,
                to_zone,
                from_zone_name: from.map(|z| z.name.clone()),
                to_zone_name: to.map(|z| z.name.clone()),
                from_trust: from.map(|z| z.trust),
                to_trust: to.map(|z| z.trust),
                from_node_name: hop.from.node.name(db).clone(),
                to_node_name: hop.to.node.name(db).clone(),
                protocol_name: protocol.map(|p| p.name.clone()),
                protocol_title: protocol.map(|p| p.title.clone()),
                protocol_location: hop.protocol.map(|p| p.name_location(db)),
                location: location.clone(),
            });
        }
    }
    out
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
}

/// The policy and encryption diagnostics of one file's flows, and the rules its hops use.
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
        let ends = crate::policy::HopEnds::of(&facts.hop, facts.from_zone, facts.to_zone);
        let decision = crate::policy::decide_matching(policy, index, &facts.hop, ends, &mut matched);
        out.diagnostics.extend(check::policy_violation::check_hop(db, policy, facts, decision));
        out.diagnostics.extend(check::cleartext::check_hop(db, policy, index, facts));
        used.extend(matched.iter().copied());
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

/// Diagnostics that belong to no one item: import cycles, conflicting policy defaults.
#[salsa::tracked(returns(ref))]
pub fn spec_diagnostics(db: &dyn Db) -> Vec<Diagnostic> {
    let mut out = check::import_cycle::cycles(db);
    out.extend(check::duplicate::policy_defaults(db, spec_policy(db)));
    out.extend(check::unused_rule::check(db, spec_policy(db), used_rules(db).as_ref()));
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
    out.extend(spec_diagnostics(db).iter().filter(|d| d.location().is_some_and(|l| l.file == file)).cloned());
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
