//! Helpers shared by the integration tests: specs written inline or read from fixture folders.

use std::path::Path;

use portolan::{Database, Diagnostic, render};

/// Splits a text with `//- name.ptl` headers into files; a text without headers is `main.ptl`.
pub fn split_files(text: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.trim_end().strip_prefix("//- ") {
            files.push((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = files.last_mut() {
            body.push_str(line);
        } else {
            files.push(("main.ptl".to_string(), line.to_string()));
        }
    }
    files
}

/// The module a relative path names: `zones/dmz.ptl` is `zones.dmz`.
pub fn module_of(path: &str) -> String {
    path.trim_end_matches(".ptl").replace('/', ".")
}

/// A database holding these files.
pub fn database(files: &[(String, String)]) -> Database {
    let mut db = Database::new();
    for (path, text) in files {
        db.set_file(path, &module_of(path), text.clone());
    }
    db
}

/// A database holding an inline spec (see [`split_files`]).
pub fn spec(text: &str) -> Database {
    database(&split_files(text))
}

/// Every `.ptl` file under a folder, paths relative to it, sorted.
pub fn read_folder(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    files
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "ptl") {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            out.push((relative, text));
        }
    }
}

/// The diagnostics of a spec, rendered for people without colour, with the summary line.
pub fn rendered(db: &Database, diagnostics: &[Diagnostic]) -> String {
    let mut text = render::human(db, diagnostics, false);
    text.push_str(&render::summary(diagnostics));
    text
}

/// The codes of the diagnostics, sorted and without repeats.
pub fn codes(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics.iter().map(|d| d.code.as_str().to_string()).collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The codes a fixture's `// expect:` lines name (`clean` for none).
pub fn expected_codes(files: &[(String, String)]) -> Option<Vec<String>> {
    let mut found = false;
    let mut codes = Vec::new();
    for (_, text) in files {
        for line in text.lines() {
            if let Some(rest) = line.trim().strip_prefix("// expect:") {
                found = true;
                for word in rest.split([',', ' ']).map(str::trim).filter(|w| !w.is_empty()) {
                    if word != "clean" {
                        codes.push(word.to_string());
                    }
                }
            }
        }
    }
    codes.sort();
    codes.dedup();
    found.then_some(codes)
}

/// True when a command-line tool is available; on CI (`CI=true`) a missing tool fails the test
/// instead of skipping it.
pub fn tool_available(tool: &str, probe: &[&str]) -> bool {
    let ok = std::process::Command::new(tool)
        .args(probe)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "`{tool}` is required on CI but was not found");
        eprintln!("skipping: `{tool}` is not installed");
    }
    ok
}
