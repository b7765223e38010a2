//! The `portolan` binary: exit codes, output formats, loading specs from disk.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::Path;
use std::process::{Command, Output};

fn portolan(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portolan")).args(args).current_dir(cwd).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const CLEAN: &str = r#"
component Server { listen web: https }
component Browser { connect web: https }
zone dc { trust internal  node web: Server }
zone internet { trust untrusted  node users[*]: Browser }
flow users.web -> web.web
"#;

#[test]
fn a_clean_spec_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("site.ptl", CLEAN)]);
    let out = portolan(&["check", "site.ptl"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "no problems found\n");
}

#[test]
fn errors_exit_one_and_warnings_exit_one_only_when_denied() {
    let dir = tempfile::tempdir().unwrap();
    let warning_only = format!("{CLEAN}zone empty {{ trust dmz }}\n");
    write(dir.path(), &[("errors/site.ptl", "flow a.b -> c.d\n"), ("warnings/site.ptl", &warning_only)]);
    assert_eq!(portolan(&["check", "errors"], dir.path()).status.code(), Some(1));
    let out = portolan(&["check", "warnings"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("warning[P703]"), "{}", stdout(&out));
    assert_eq!(portolan(&["check", "warnings", "--deny", "warnings"], dir.path()).status.code(), Some(1));
}

#[test]
fn usage_and_io_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let out = portolan(&["check", "nowhere.ptl"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read `nowhere.ptl`"), "{}", stderr(&out));
    assert_eq!(portolan(&["check", "--format", "yaml"], dir.path()).status.code(), Some(2));
    assert_eq!(portolan(&["explain", "P999"], dir.path()).status.code(), Some(2));
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    assert_eq!(portolan(&["check", "empty"], dir.path()).status.code(), Some(2));
}

#[test]
fn a_file_that_is_not_utf8_is_a_diagnostic_at_its_first_invalid_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"zone dc {\n    trust internal\n}\n// caf".to_vec();
    bytes.extend([0xe9, b'\n']);
    bytes.extend(b"zone dmz { trust dmz }\n");
    std::fs::write(dir.path().join("bad.ptl"), &bytes).unwrap();
    let out = portolan(&["check", "--format", "json", "bad.ptl"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let codes: Vec<&str> = json.as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    // The encoding error, and the rest of the file still checked: both zones are unused.
    assert_eq!(codes, ["P001", "P703", "P703"], "{json:#}");
    assert_eq!(json[0]["message"], "`bad.ptl` is not UTF-8 text");
    assert_eq!((json[0]["line"].as_u64(), json[0]["column"].as_u64()), (Some(4), Some(7)));
    assert!(json[0]["labels"][0]["message"].as_str().unwrap().contains("0xe9"), "{json:#}");
}

#[test]
fn three_files_with_three_syntax_errors_report_all_three() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "spec/components.ptl",
                "component Server {\n    listen web: https on 443\n}\ncomponent Browser { connect web: https }\n",
            ),
            (
                "spec/zones.ptl",
                "use components.*\nzone dc {\n    trust internal\n    node web: Server { port = }\n}\nzone internet { trust untrusted  node users[*]: Browser }\n",
            ),
            ("spec/flows.ptl", "use zones.*\nflow users.web => web.web\nflow users.web -> nowhere.web\n"),
        ],
    );
    let out = portolan(&["check", "spec", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(String, String, u64)> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().into(), d["file"].as_str().unwrap().into(), d["line"].as_u64().unwrap()))
        .collect();
    let syntax: Vec<_> = found.iter().filter(|(code, _, _)| code == "P001").collect();
    assert_eq!(syntax.len(), 3, "{found:#?}");
    for file in ["spec/components.ptl", "spec/zones.ptl", "spec/flows.ptl"] {
        assert!(syntax.iter().any(|(_, f, _)| f == file), "no syntax error reported in {file}: {found:#?}");
    }
    // The intact flow after the broken one is still resolved and checked.
    assert!(found.contains(&("P101".into(), "spec/flows.ptl".into(), 3)), "{found:#?}");
}

#[test]
fn json_has_every_field_with_one_based_positions() {
    let dir = tempfile::tempdir().unwrap();
    // Columns count characters: `é` is one column though it is two bytes.
    write(dir.path(), &[("site.ptl", "// first line\nprotocol p \"é\" = tcp/0\n")]);
    let out = portolan(&["check", "site.ptl", "--format", "json"], dir.path());
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found = value.as_array().unwrap()[0].clone();
    for field in ["code", "severity", "message", "file", "line", "column", "end_line", "end_column", "labels"] {
        assert!(found.get(field).is_some(), "missing `{field}` in {found:#}");
    }
    assert_eq!(found["code"], "P401");
    assert_eq!(found["severity"], "error");
    assert_eq!(found["file"], "site.ptl");
    assert_eq!((found["line"].as_u64(), found["column"].as_u64()), (Some(2), Some(22)));
    assert_eq!((found["end_line"].as_u64(), found["end_column"].as_u64()), (Some(2), Some(23)));
    assert_eq!(found["labels"][0]["primary"], true);
}

#[test]
fn sarif_is_a_2_1_0_log_with_rules_and_results() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("site.ptl", "flow a.b -> c.d\n")]);
    let out = portolan(&["check", "site.ptl", "--format", "sarif"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "portolan");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "P101" && r["name"] == "unresolved-name"));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "P101");
    assert_eq!(result["level"], "error");
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], "P101");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(1), Some(6)));
    assert_eq!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "site.ptl");
}

#[test]
fn a_single_file_loads_the_modules_it_uses_from_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "spec/components.ptl",
                "component Server { listen web: https }\ncomponent Browser { connect web: https }\n",
            ),
            (
                "spec/site.ptl",
                "use components.*\nzone dc { trust internal  node web: Server }\nzone internet { trust untrusted  node users[*]: Browser }\nflow users.web -> web.web\n",
            ),
            ("spec/unrelated.ptl", "this is not even valid\n"),
        ],
    );
    let out = portolan(&["check", "spec/site.ptl"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn human_output_has_no_colour_when_piped_and_colour_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("site.ptl", "flow a.b -> c.d\n")]);
    let plain = stdout(&portolan(&["check", "site.ptl"], dir.path()));
    assert!(!plain.contains('\u{1b}'));
    assert!(plain.contains("error[P101]: cannot find node `a`"), "{plain}");
    assert!(plain.contains("┌─ site.ptl:1:6"), "{plain}");
    let coloured = stdout(&portolan(&["check", "site.ptl", "--color", "always"], dir.path()));
    assert!(coloured.contains('\u{1b}'));
}

#[test]
fn explain_prints_every_code_and_one_code() {
    let dir = tempfile::tempdir().unwrap();
    let list = stdout(&portolan(&["explain"], dir.path()));
    assert!(list.lines().count() >= 29);
    let one = portolan(&["explain", "unmatched-output"], dir.path());
    assert_eq!(one.status.code(), Some(0));
    assert!(stdout(&one).starts_with("# P201"));
}

/// Every command's own errors, and clap's usage errors, share one style: `error: ...` on the
/// first line, `tip: ...` below when there is one, and exit 2.
#[test]
fn every_command_reports_errors_in_one_style() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("site.ptl", CLEAN), ("out", "a file where the output folder should be")]);
    let cases: [&[&str]; 6] = [
        &["check", "nowhere"],
        &["build", "nowhere", "--emit", "json", "--out", "o"],
        &["build", "site.ptl", "--emit", "json", "--out", "out/x"],
        &["explain", "P999"],
        &["fmt", "nowhere.ptl"],
        &["check", "--bogus"],
    ];
    for args in cases {
        let out = portolan(args, dir.path());
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.starts_with("error: "), "{args:?} does not start with `error: `:\n{text}");
        assert!(!text.contains('×'), "{args:?}: {text}");
    }
    let text = stderr(&portolan(&["explain", "P999"], dir.path()));
    assert_eq!(text, "error: no diagnostic code `P999`\n\n  tip: `portolan explain` lists every code\n");
}

/// `portolan lab` that cannot run exits 2 and says what is missing and how to run it: here its
/// tools are not on `PATH` (or, without root, root is what it asks for first).
#[test]
fn a_lab_that_cannot_run_exits_two_and_says_why() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .args(["lab", "examples/three-tier"])
        .current_dir(&root)
        .env("PATH", "/nonexistent")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("error: the lab cannot run:"), "{text}");
    assert!(
        text.contains("`ip` is not installed") || text.contains("the lab needs root"),
        "it does not say what is missing:\n{text}"
    );
    assert!(text.contains("tip: "), "{text}");
}
