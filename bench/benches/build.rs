//! `portolan build`: exporting the checked model and emitting iptables, nftables, Markdown,
//! JSON and the SVG diagram at 1k, 10k and 100k flows (the check itself is done once, outside
//! the measurement).

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use portolan::Database;
use portolan::export::export;
use portolan_bench::{Size, generate};
use portolan_emit::{Target, emit};

fn load(flows: usize) -> Database {
    let mut db = Database::new();
    for (path, text) in generate(Size::new(flows, 100)) {
        db.set_file(&path, &path.trim_end_matches(".ptl").replace('/', "."), text);
    }
    assert!(portolan::diagnostics(&db).is_empty());
    db
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    for flows in [1_000, 10_000, 100_000] {
        let db = load(flows);
        let model = export(&db).model;
        group.bench_with_input(BenchmarkId::new("export", flows), &db, |b, db| b.iter(|| export(db).model.flows.len()));
        for target in [Target::Iptables, Target::Nftables, Target::Markdown, Target::Json, Target::Svg] {
            group.bench_with_input(BenchmarkId::new(target.name(), flows), &model, |b, model| {
                b.iter(|| emit(model, target).map(|files| files.len()).unwrap_or_default())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
