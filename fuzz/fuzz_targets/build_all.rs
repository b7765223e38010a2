//! Parse and check any text split into files; when it checks without errors, export the model
//! and run every emitter, as `portolan build` does. No panic; two builds of one spec (a second
//! database, the files added in the opposite order) give identical bytes; a rule target fails
//! only when the export reported P603 problems; every hop is named in every rule output; output
//! paths are distinct; and each file passes a cheap check of its format's grammar.

#![no_main]

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Component;

use libfuzzer_sys::fuzz_target;
use portolan_emit::{Output, Target, emit};
use portolan::{Database, Severity};

thread_local! {
    // One database for every run, as an editor session keeps one, and a second one that gets
    // each run's files in the opposite order: salsa's ids and the order of files differ between
    // the two, and what a build writes must not.
    static DB: RefCell<Database> = RefCell::new(Database::new());
    static OTHER: RefCell<Database> = RefCell::new(Database::new());
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = portolan_fuzz::split_files(text);
    let first = DB.with(|db| build(&mut db.borrow_mut(), &files));
    let reversed: Vec<(String, String)> = files.iter().rev().cloned().collect();
    let second = OTHER.with(|db| build(&mut db.borrow_mut(), &reversed));
    assert_eq!(first, second, "two builds of one spec differ");
    if let Some(build) = first {
        check(&build);
    }
});

/// What one build produced: each target's files, or why it refused.
#[derive(Debug, PartialEq)]
struct Build {
    /// The messages of the P603 problems that make rule targets fail.
    rule_problems: Vec<String>,
    /// The model's hops, as `node.port -> node.port`.
    hops: Vec<String>,
    outputs: Vec<(Target, Result<Vec<Output>, String>)>,
}

/// `None` when the spec has errors.
fn build(db: &mut Database, files: &[(String, String)]) -> Option<Build> {
    for old in db.user_files() {
        let path = old.path(db).clone();
        if !files.iter().any(|(p, _)| *p == path) {
            db.remove_file(&path);
        }
    }
    for (path, body) in files {
        // The module a path names, as the command line and the tests name it: dots for slashes.
        let module = path.trim_end_matches(".ptl").replace('/', ".");
        db.set_file(path, &module, body.clone());
    }
    let diagnostics = portolan::diagnostics(db);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return None;
    }
    let export = portolan::export::export(db);
    let model = &export.model;
    let mut outputs = Vec::new();
    for &target in Target::ALL {
        let once = emit(model, target).map_err(|e| e.to_string());
        let again = emit(model, target).map_err(|e| e.to_string());
        assert_eq!(once, again, "{}: emitting twice gives different output", target.name());
        outputs.push((target, once));
    }
    Some(Build {
        rule_problems: export.rule_problems.iter().map(|d| d.message.clone()).collect(),
        hops: model.flows.iter().map(|f| format!("{} -> {}", f.from, f.to)).collect(),
        outputs,
    })
}

fn check(build: &Build) {
    let mut paths = BTreeSet::new();
    for (target, result) in &build.outputs {
        let outputs = match result {
            Ok(outputs) => outputs,
            Err(error) => {
                assert!(
                    target.writes_rules() && !build.rule_problems.is_empty(),
                    "{} refused a spec the export found no P603 problem in: {error}",
                    target.name()
                );
                continue;
            }
        };
        for output in outputs {
            let path = &output.path;
            assert!(
                path.components().all(|c| matches!(c, Component::Normal(_))),
                "{}: not a plain relative path: {}",
                target.name(),
                path.display()
            );
            assert!(paths.insert(path.clone()), "two outputs at {}", path.display());
            check_text(*target, &output.text, &path.display().to_string());
        }
        if target.writes_rules() && build.rule_problems.is_empty() {
            let all: String = outputs.iter().map(|o| o.text.as_str()).collect();
            for hop in &build.hops {
                assert!(all.contains(hop.as_str()), "{}: the hop {hop} appears nowhere", target.name());
            }
        }
    }
}

fn check_text(target: Target, text: &str, path: &str) {
    match target {
        Target::Json => {
            let value: serde_json::Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
            assert_eq!(value["format"], "portolan-model", "{path}");
        }
        Target::Nftables => nftables(text, path),
        Target::Iptables => iptables(text, path),
        Target::Aerleon => yaml(text, path),
        Target::Markdown => markdown(text, path),
        Target::Html => xml(text.strip_prefix("<!DOCTYPE html>\n").unwrap_or(text), path),
        Target::Svg => xml(text, path),
        Target::Dot => dot(text, path),
        Target::Mermaid => mermaid(text, path),
        Target::Probes if path.ends_with(".md") => markdown(text, path),
        Target::Probes => no_controls(text, path),
    }
}

/// No control character but tab and line feed.
fn no_controls(text: &str, path: &str) {
    let bad = text.chars().find(|&c| c.is_control() && c != '\t' && c != '\n');
    assert!(bad.is_none(), "{path}: control character {bad:?}");
}

/// `nft -f`: outside `"…"` strings (which have no escapes and end on the same line) and `#`
/// comments, braces balance; no string is longer than the 128 bytes nftables stores.
fn nftables(text: &str, path: &str) {
    no_controls(text, path);
    let mut depth: i64 = 0;
    for line in text.lines() {
        let mut in_string = false;
        let mut string_len = 0;
        for c in line.chars() {
            match c {
                '"' => {
                    in_string = !in_string;
                    string_len = 0;
                }
                _ if in_string => {
                    string_len += c.len_utf8();
                    assert!(string_len <= 128, "{path}: a string longer than 128 bytes: {line}");
                }
                '#' => break,
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    assert!(depth >= 0, "{path}: `}}` closes nothing: {line}");
                }
                _ => {}
            }
        }
        assert!(!in_string, "{path}: a string does not end on its line: {line}");
    }
    assert_eq!(depth, 0, "{path}: braces do not balance");
}

/// `iptables-restore`: every line a comment, `*table`, `:CHAIN POLICY [0:0]`, `-A CHAIN …` or
/// `COMMIT`; one table, committed last; quoted arguments end (with `\` escapes), and a comment
/// holds at most the 255 bytes the comment match stores.
fn iptables(text: &str, path: &str) {
    no_controls(text, path);
    let mut table = false;
    let mut committed = false;
    for line in text.lines() {
        assert!(!committed, "{path}: a line after COMMIT: {line}");
        if line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('*') {
            assert!(!table && name == "filter", "{path}: unexpected table line: {line}");
            table = true;
        } else if let Some(rest) = line.strip_prefix(':') {
            assert!(table, "{path}: a chain before the table: {line}");
            let parts: Vec<&str> = rest.split(' ').collect();
            assert!(
                matches!(parts.as_slice(), [chain, policy, "[0:0]"] if is_word(chain) && matches!(*policy, "ACCEPT" | "DROP")),
                "{path}: bad chain line: {line}"
            );
        } else if let Some(rest) = line.strip_prefix("-A ") {
            assert!(table, "{path}: a rule before the table: {line}");
            let words = shell_words(rest).unwrap_or_else(|| panic!("{path}: a quoted argument does not end: {line}"));
            assert!(words.first().is_some_and(|w| is_word(w)), "{path}: no chain: {line}");
            for pair in words.windows(2) {
                if pair[0] == "--comment" {
                    assert!(pair[1].len() <= 255, "{path}: a comment longer than 255 bytes: {line}");
                }
            }
        } else if line == "COMMIT" {
            assert!(table, "{path}: COMMIT without a table");
            committed = true;
        } else {
            panic!("{path}: not an iptables-restore line: {line:?}");
        }
    }
    assert!(committed, "{path}: no COMMIT");
}

fn is_word(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Arguments split at spaces, `"…"` quoted with `\` escaping the next character; `None` when a
/// quote does not end.
fn shell_words(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => word.push(chars.next()?),
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if quoted {
        return None;
    }
    if !word.is_empty() {
        words.push(word);
    }
    Some(words)
}

/// Aerleon's YAML, as PyYAML (YAML 1.1) reads it: only characters it accepts, none that it takes
/// for a line break (NEL, the line and paragraph separators); each line a
/// comment, or indentation, an optional `- `, a key, `:` and a value that is a double-quoted
/// string with `\\` or `\uXXXX` escapes only, or plain text of safe characters.
fn yaml(text: &str, path: &str) {
    let printable = |c: char| matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    let bad = text.chars().find(|&c| !printable(c) || matches!(c, '\u{2028}' | '\u{2029}'));
    assert!(bad.is_none(), "{path}: YAML does not take {bad:?} raw");
    for line in text.lines() {
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let body = body.strip_prefix("- ").unwrap_or(body);
        let (key, value) = body.split_once(':').unwrap_or_else(|| panic!("{path}: not `key: value`: {line}"));
        assert!(is_word(key), "{path}: a key of unexpected characters: {line}");
        let value = value.strip_prefix(' ').unwrap_or(value);
        if let Some(quoted) = value.strip_prefix('"') {
            let mut chars = quoted.chars();
            let mut ended = false;
            while let Some(c) = chars.next() {
                match c {
                    '"' => {
                        ended = true;
                        break;
                    }
                    '\\' => match chars.next() {
                        Some('\\') => {}
                        Some('u') => {
                            let hex: String = chars.by_ref().take(4).collect();
                            assert!(
                                hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()),
                                "{path}: bad escape: {line}"
                            );
                        }
                        other => panic!("{path}: unexpected escape {other:?}: {line}"),
                    },
                    _ => {}
                }
            }
            assert!(ended && chars.as_str().is_empty(), "{path}: a quoted string does not end the line: {line}");
        } else {
            assert!(
                value.chars().all(|c| c.is_ascii_alphanumeric() || " _-./:{}".contains(c)),
                "{path}: plain value of unexpected characters: {line}"
            );
        }
    }
}

/// GitHub Markdown from spec text (the checks `tests/build.rs` makes on hostile text).
fn markdown(text: &str, path: &str) {
    portolan_tests::formats::check_markdown(text, path);
}

/// Well-formed XML without a script element.
fn xml(text: &str, path: &str) {
    portolan_tests::formats::check_xml(text, path);
}

/// Graphviz: `"…"` strings (with `\` escapes) end on their line; outside them, braces and
/// brackets balance.
fn dot(text: &str, path: &str) {
    no_controls(text, path);
    let mut depth: i64 = 0;
    for line in text.lines() {
        let mut chars = line.chars();
        let mut in_string = false;
        let mut brackets: i64 = 0;
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                _ if in_string => {}
                '{' => depth += 1,
                '}' => depth -= 1,
                '[' => brackets += 1,
                ']' => brackets -= 1,
                _ => {}
            }
            assert!(depth >= 0 && brackets >= 0, "{path}: closes what is not open: {line}");
        }
        assert!(!in_string, "{path}: a string does not end on its line: {line}");
        assert_eq!(brackets, 0, "{path}: brackets do not balance: {line}");
    }
    assert_eq!(depth, 0, "{path}: braces do not balance");
}

/// Mermaid: `flowchart LR`, then `subgraph ID["…"]`, `end`, `ID["…"]` and
/// `ID ARROW|"…"| ID` lines, identifiers of letters, digits and `_`, and no `"` inside a label.
fn mermaid(text: &str, path: &str) {
    no_controls(text, path);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"), "{path}");
    let mut open = 0;
    let label = |rest: &str, close: &str| -> bool {
        rest.strip_prefix('"')
            .and_then(|r| r.strip_suffix(close))
            .is_some_and(|inner| !inner.contains(['"', '\u{2028}', '\u{2029}']))
    };
    let id = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    for line in lines {
        let body = line.trim_start();
        if body == "end" {
            open -= 1;
            assert!(open >= 0, "{path}: `end` closes nothing");
            continue;
        }
        if let Some(rest) = body.strip_prefix("subgraph ") {
            open += 1;
            let (name, rest) = rest.split_once('[').unwrap_or_else(|| panic!("{path}: bad subgraph: {line}"));
            assert!(id(name) && label(rest, "\"]"), "{path}: bad subgraph: {line}");
            continue;
        }
        if let Some((name, rest)) = body.split_once('[') {
            assert!(id(name) && label(rest, "\"]"), "{path}: bad node: {line}");
            continue;
        }
        let mut parts = body.splitn(3, ' ');
        let (Some(from), Some(edge), Some(to)) = (parts.next(), parts.next(), parts.next()) else {
            panic!("{path}: not a Mermaid line: {line}")
        };
        let (arrow, rest) = edge.split_once('|').unwrap_or_else(|| panic!("{path}: bad edge: {line}"));
        assert!(matches!(arrow, "-->" | "<-->" | "-.->"), "{path}: bad arrow: {line}");
        // The label may hold spaces: the target is what follows the label's closing `"| `.
        let whole = format!("{rest} {to}");
        let (text, target) = whole.rsplit_once("\"| ").unwrap_or_else(|| panic!("{path}: bad edge: {line}"));
        assert!(id(from) && id(target) && label(&format!("{text}\"|"), "\"|"), "{path}: bad edge: {line}");
    }
    assert_eq!(open, 0, "{path}: subgraphs do not end");
}
