//! Diagnostics of every fixture under `tests/fixtures/`, as insta snapshots.
//!
//! A fixture is one `.ptl` file holding one spec; a spec of several files is written in the
//! multi-file format, each file after a `//- name.ptl` line. Its `// expect:` lines name the codes
//! it must produce (`// expect: clean` for none), so a regression fails even if its snapshot
//! were accepted blindly. Every code has a fixture that triggers it (`<code>-<name>`) and a
//! near miss that must stay clean of it (`<code>-<name>-ok`). A fixture with a `// build: rules`
//! line also gets what a build of the rule targets reports (P603).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use portolan::Code;
use portolan_tests as support;
use std::path::Path;

#[test]
fn fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let cases = support::fixtures();
    assert!(!cases.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for (name, files) in &cases {
        // As `portolan check` loads a folder of these files: what the loader reports comes first.
        let spec = support::load_files(files);
        let db = spec.db;
        let mut diagnostics = spec.problems;
        diagnostics.extend(portolan::diagnostics(&db));
        let fresh = support::load_files(files);
        let mut parallel = fresh.problems;
        parallel.extend(portolan::collect::diagnostics_parallel(&fresh.db, 2));
        if parallel != diagnostics {
            failures.push(format!("{name}: checking on two threads gives other diagnostics than on one"));
        }
        if support::builds_rules(files) {
            let problems = portolan::export::export(&db).rule_problems;
            diagnostics.extend(problems.iter().map(|d| d.absolute(&db)));
        }
        let got = support::codes(&diagnostics);
        match support::expected_codes(files) {
            Some(expected) if expected != got => {
                failures.push(format!("{name}: expected {expected:?}, got {got:?}"));
            }
            None => failures.push(format!("{name}: no `// expect:` line")),
            _ => {}
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(root.join("../snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        let rendered = support::rendered(&db, &diagnostics);
        // Check every case before failing, so one run shows every changed snapshot.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(name.clone(), rendered.clone()));
        }));
        if outcome.is_err() {
            failures.push(format!("{name}: the rendered diagnostics differ from the snapshot"));
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// Every code has a fixture that triggers it and a near miss named `<...>-ok` that stays clean;
/// the loader's codes, caused by files on disk (a file over 32 MiB, 2,001 files), are triggered
/// by the command-line tests instead (`compiler/cli/tests/load.rs`).
#[test]
fn every_code_has_a_triggering_and_a_clean_fixture() {
    let cases = support::fixtures();
    let names: Vec<&String> = cases.iter().map(|(name, _)| name).collect();
    let mut missing = Vec::new();
    for code in Code::ALL.iter().filter(|code| !code.is_about_files()) {
        let prefix = format!("{}-", code.as_str());
        let triggers = names.iter().filter(|n| n.starts_with(&prefix) && !n.ends_with("-ok")).count();
        let clean = names.iter().filter(|n| n.starts_with(&prefix) && n.ends_with("-ok")).count();
        if triggers == 0 || clean == 0 {
            missing.push(format!("{} ({}): {triggers} triggering, {clean} near-miss", code.as_str(), code.slug()));
        }
        for (name, files) in cases.iter().filter(|(n, _)| n.starts_with(&prefix)) {
            let expected = support::expected_codes(files).unwrap_or_default();
            let should_have = !name.ends_with("-ok");
            assert_eq!(
                expected.iter().any(|c| c == code.as_str()),
                should_have,
                "{name}: its `// expect:` line must {}name {}",
                if should_have { "" } else { "not " },
                code.as_str()
            );
        }
    }
    assert!(missing.is_empty(), "codes without fixtures:\n{}", missing.join("\n"));
}
