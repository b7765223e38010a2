//! End to end with a real editor: headless Neovim (0.7 API), set up with `editors/nvim`, starts
//! `portolan lsp`, opens a file with an error, and reports the diagnostics it received, where
//! go-to-definition leads (in the spec and into the standard library), which clients the
//! standard-library buffer got and what references from there find. Skipped with a message when
//! `nvim` is not installed, except under CI (`CI=true`), where it fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const COMPONENTS: &str = r#"component App "Application server" {
    listen https: https on tcp/8443
    connect db: tds "application database"
}
component Sql "SQL Server" {
    listen tds: tds
}
"#;

const SITE: &str = r#"use components.*
zone datacenter "Data center" {
    node app "Application": App
    node sql: Sql
}
"#;

fn nvim_available() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn neovim_shows_diagnostics_and_goes_to_definitions() {
    if !nvim_available() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI needs `nvim` (Debian package `neovim`)");
        eprintln!("skipped: `nvim` is not installed (Debian package `neovim`)");
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(folder.path()).unwrap();
    let spec = root.join("spec");
    std::fs::create_dir(&spec).unwrap();
    std::fs::write(spec.join("components.ptl"), COMPONENTS).unwrap();
    std::fs::write(spec.join("site.ptl"), SITE).unwrap();
    let out = root.join("out.json");
    let init = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nvim/init.lua");
    let editor = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../editors/nvim");

    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-u"])
        .arg(&init)
        .env("PORTOLAN_BIN", env!("CARGO_BIN_EXE_portolan"))
        .env("PORTOLAN_NVIM_DIR", std::fs::canonicalize(editor).unwrap())
        .env("PORTOLAN_FILE", spec.join("site.ptl"))
        .env("PORTOLAN_NVIM_OUT", &out)
        // `App` in `node app "Application": App`.
        .env("PORTOLAN_DEF_LINE", "2")
        .env("PORTOLAN_DEF_CHAR", "29")
        // `tds` in `connect db: tds`, in the other file of the spec.
        .env("PORTOLAN_OTHER_URI", uri(&spec.join("components.ptl")))
        .env("PORTOLAN_STDLIB_LINE", "2")
        .env("PORTOLAN_STDLIB_CHAR", "17")
        .env("XDG_CACHE_HOME", root.join("cache"))
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("XDG_STATE_HOME", root.join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("Neovim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let report = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("Neovim wrote no report ({e})"));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert!(report.get("error").is_none(), "{report:#}");
    assert_eq!(report["filetype"], "portolan", "{report:#}");

    assert_eq!(report["got_diagnostics"], true, "{report:#}");
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let unmatched = diagnostics.iter().find(|d| d["code"] == "P201").unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!((unmatched["lnum"].as_u64(), unmatched["col"].as_u64()), (Some(2), Some(9)), "{unmatched:#}");
    assert!(unmatched["message"].as_str().unwrap().contains("no flow provides it"), "{unmatched:#}");

    let definition = &report["definition"];
    let location = if definition.is_array() { &definition[0] } else { definition };
    assert_eq!(location["uri"], uri(&spec.join("components.ptl")), "{report:#}");
    assert_eq!(location["range"]["start"], serde_json::json!({ "line": 0, "character": 10 }), "{report:#}");

    let stdlib = &report["stdlib_definition"];
    let stdlib = if stdlib.is_array() { &stdlib[0] } else { stdlib };
    let source = root.join(format!("cache/portolan/stdlib-{}/std/proto.ptl", env!("CARGO_PKG_VERSION")));
    assert_eq!(stdlib["uri"], uri(&source), "{report:#}");
    assert_eq!(report["jumped_to"], source.display().to_string(), "{report:#}");
    assert!(report["jumped_line"].as_str().unwrap().starts_with("protocol tds "), "{report:#}");

    // The standard-library buffer joined the spec's client: one server, which knows the spec.
    assert_eq!(report["all_clients"].as_array().map(Vec::len), Some(1), "{report:#}");
    assert_eq!(report["stdlib_clients"], report["spec_clients"], "{report:#}");
    let references = report["stdlib_references"].as_array().unwrap_or_else(|| panic!("{report:#}"));
    let files: Vec<&str> = references.iter().filter_map(|r| r["uri"].as_str()).collect();
    assert!(files.contains(&uri(&spec.join("components.ptl")).as_str()), "the spec's use of `tds`: {report:#}");
    assert!(files.contains(&uri(&source).as_str()), "the declaration: {report:#}");
}
