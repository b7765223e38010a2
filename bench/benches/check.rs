//! Checking: a cold check at 1k, 10k and 100k flows, and a re-check after editing one flow's
//! line in a 100-file, 100k-flow workspace through the salsa database, as the language server
//! does it; and a cold check of 100k flows in 200 zones under a one-rule policy and under one
//! `allow` per pair of zones that flows use; and what the policy analyses cost on that policy.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use portolan::{Database, Durability};
use portolan_bench::{Policy, Size, generate};

fn module(path: &str) -> String {
    path.trim_end_matches(".ptl").replace('/', ".")
}

/// Loads files as a language server holds files nobody is editing: medium durability.
fn load(files: &[(String, String)]) -> Database {
    let mut db = Database::new();
    for (path, text) in files {
        db.set_file_with_durability(path, &module(path), text.clone(), Durability::MEDIUM);
    }
    db
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn cold_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold_check");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    for flows in [1_000, 10_000, 100_000] {
        let files = generate(Size::new(flows, 100));
        group.bench_with_input(BenchmarkId::from_parameter(flows), &files, |b, files| {
            // The database is returned so that freeing it is not timed.
            b.iter_with_large_drop(|| {
                let db = load(files);
                let diagnostics = portolan::collect::diagnostics_parallel(&db, threads());
                assert!(diagnostics.is_empty());
                db
            });
        });
    }
    group.finish();
}

fn recheck_after_one_edit(c: &mut Criterion) {
    let files = generate(Size::new(100_000, 100));
    let mut db = load(&files);
    assert!(portolan::collect::diagnostics_parallel(&db, threads()).is_empty());
    let (path, text) = files.iter().find(|(p, _)| p.ends_with("flows_050.ptl")).cloned().unwrap_or_default();
    let line = text.lines().nth(200).unwrap_or_default().to_string();
    let edited = [text.replacen(&line, &line.replace("\"route", "\"edited route"), 1), text.clone()];
    let mut turn = 0;
    let edited_file = db.file(&path);
    let mut group = c.benchmark_group("recheck_after_one_edit");
    group.sample_size(50);
    // The edited file's diagnostics: what a language server publishes first.
    group.bench_function("edited_file", |b| {
        b.iter(|| {
            turn ^= 1;
            db.set_file(&path, &module(&path), edited[turn].clone());
            black_box(edited_file.map(|f| portolan::file_diagnostics(&db, f).len()))
        });
    });
    // Every file's diagnostics, brought up to date.
    group.bench_function("whole_spec", |b| {
        b.iter(|| {
            turn ^= 1;
            db.set_file(&path, &module(&path), edited[turn].clone());
            black_box(portolan::diagnostics(&db).len())
        });
    });
    group.finish();
}

fn cold_check_policy(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold_check_policy");
    group.sample_size(10);
    for (name, policy) in [("one_rule", Policy::OneRule), ("per_zone_pair", Policy::PerZonePair)] {
        let files = generate(Size { flows: 100_000, files: 100, zones: 200, policy });
        group.bench_with_input(BenchmarkId::new("100k_flows_200_zones", name), &files, |b, files| {
            b.iter_with_large_drop(|| {
                let db = load(files);
                let diagnostics = portolan::collect::diagnostics_parallel(&db, threads());
                assert!(diagnostics.is_empty());
                db
            });
        });
    }
    group.finish();
}

/// What the policy analyses (P305 shadowed allows, P306 redundant rules) add to a check: both
/// run over the 33,755-rule per-pair policy once the rules are resolved and indexed, as a cold
/// check has them for deciding hops anyway.
fn policy_analysis(c: &mut Criterion) {
    let mut group = c.benchmark_group("policy_analysis");
    group.sample_size(10);
    let files = generate(Size { flows: 100_000, files: 100, zones: 200, policy: Policy::PerZonePair });
    let db = load(&files);
    let policy = portolan::facts::spec_policy(&db);
    let index = portolan::policy::policy_index(&db);
    group.bench_function(BenchmarkId::new("per_zone_pair", policy.rules.len()), |b| {
        b.iter(|| {
            let shadows = portolan::check::shadowed_rule::shadowed(&db, policy, index);
            let shadowed = portolan::check::shadowed_rule::check(&db, policy, &shadows);
            let redundant = portolan::check::redundant_rule::check(&db, policy, index, &shadows);
            assert!(shadowed.is_empty() && redundant.is_empty());
            black_box(shadowed.len() + redundant.len())
        });
    });
    group.finish();
}

criterion_group!(benches, cold_check, recheck_after_one_edit, cold_check_policy, policy_analysis);
criterion_main!(benches);
