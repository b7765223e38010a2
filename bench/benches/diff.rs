//! `portolan diff`: the exported models of a 100k-flow spec and of the same spec with one flow's
//! label edited, compared: zones, nodes, every flow and hop, the policy and each host's firewall
//! rules. Checking and exporting both are done once, outside the measurement.

#![allow(clippy::expect_used, clippy::panic)] // a benchmark that cannot run stops with a message
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use portolan::Database;
use portolan::export::export;
use portolan_bench::{Size, generate};

fn load(files: &[(String, String)]) -> Database {
    let mut db = Database::new();
    for (path, text) in files {
        db.set_file(path, &path.trim_end_matches(".ptl").replace('/', "."), text.clone());
    }
    assert!(portolan::diagnostics(&db).is_empty());
    db
}

fn diff(c: &mut Criterion) {
    let files = generate(Size::new(100_000, 100));
    let old = export(&load(&files)).model;
    // The label of one flow of file 50 edited, as the check benchmark's re-check edits it.
    let mut edited = files.clone();
    let (_, text) = edited.iter_mut().find(|(p, _)| p.ends_with("flows_050.ptl")).expect("file 50");
    let line = text.lines().nth(200).unwrap_or_default().to_string();
    *text = text.replacen(&line, &line.replace("\"route", "\"edited route"), 1);
    let new = export(&load(&edited)).model;
    let found = portolan_diff::diff(&old, &new);
    assert_eq!(found.flows.len(), 1, "{}", found.summary);
    let mut group = c.benchmark_group("diff");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("one_flow_change_100k_flows", |b| {
        b.iter(|| black_box(portolan_diff::diff(&old, &new).changed));
    });
    group.finish();
}

criterion_group!(benches, diff);
criterion_main!(benches);
