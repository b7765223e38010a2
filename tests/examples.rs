//! Every bundled example checks with no error and no warning, as `portolan check examples/<x>
//! --deny warnings` requires.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::Path;

#[test]
fn every_example_checks_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut examples: Vec<_> =
        std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    examples.sort();
    let names: Vec<String> = examples.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for required in [
        "eko-ad-sync",
        "eko-ad-sync-proxy",
        "1e-single-server",
        "1e-remote-catalog",
        "1e-remote-response-stack",
        "1e-dmz",
        "kobil-mid",
        "eko-ad-sync-ldap-ftp",
        "1e-named-instance",
    ] {
        assert!(names.iter().any(|n| n == required), "examples/{required} is missing");
    }
    for example in &examples {
        let db = portolan_tests::database(&portolan_tests::read_folder(example));
        let diagnostics = portolan::diagnostics(&db);
        assert!(
            diagnostics.is_empty(),
            "{} does not check clean:\n{}",
            example.display(),
            portolan_tests::rendered(&db, &diagnostics)
        );
    }
}
