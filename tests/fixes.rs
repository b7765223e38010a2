//! The fixes the checks attach to their diagnostics (an editor's quick fixes, `fixes` in
//! `--format json`) do what they say: for every fixture and every explanation's example, each
//! machine-applicable fix is applied to the files and the spec is checked again; the diagnostic
//! it fixes must be gone from where it was (its location moved by the edits), and the spec must
//! not have gained a syntax error. A fix edits only the user's files, and a fix that is a
//! template holds a `<placeholder>`. A fixture's `// fix: CODE title` lines name fixes its
//! diagnostics must offer, so that a fix cannot disappear unnoticed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use portolan::{Applicability, Code, Diagnostic, Fix};
use portolan_syntax::Span;
use portolan_tests as support;

/// One edit, absolute: the file's path, the byte range it replaces, the new text.
struct Change {
    path: String,
    span: Span,
    text: String,
}

fn changes(db: &portolan::Database, fix: &Fix) -> Vec<Change> {
    fix.edits
        .iter()
        .map(|edit| {
            let location = edit.location.absolute(db);
            Change { path: location.file.path(db).clone(), span: location.span, text: edit.text.clone() }
        })
        .collect()
}

/// The files with the changes applied, or why they cannot be.
fn apply(files: &[(String, String)], changes: &[Change]) -> Result<Vec<(String, String)>, String> {
    let mut out = files.to_vec();
    for (path, text) in &mut out {
        let mut mine: Vec<&Change> = changes.iter().filter(|c| &c.path == path).collect();
        mine.sort_by_key(|c| std::cmp::Reverse((c.span.start, c.span.end)));
        let mut limit = text.len();
        for change in mine {
            let (start, end) = (change.span.start as usize, change.span.end as usize);
            if start > end || end > limit || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                return Err(format!("edit {start}..{end} of `{path}` overlaps another or is outside the text"));
            }
            text.replace_range(start..end, &change.text);
            limit = start;
        }
    }
    Ok(out)
}

/// Where a span of `path` is once the changes are applied.
fn moved(span: Span, path: &str, changes: &[Change]) -> Span {
    let mut mine: Vec<&Change> = changes.iter().filter(|c| c.path == path).collect();
    mine.sort_by_key(|c| std::cmp::Reverse((c.span.start, c.span.end)));
    let (mut start, mut end) = (span.start as i64, span.end as i64);
    for change in mine {
        let (a, b, len) = (change.span.start as i64, change.span.end as i64, change.text.len() as i64);
        let delta = len - (b - a);
        if b <= start {
            start += delta;
            end += delta;
        } else if a < end {
            // The change overlaps the span: the span grows to hold what replaced it.
            start = start.min(a);
            end = end.max(b) + delta;
        }
    }
    Span::new(start.max(0) as u32, end.max(start).max(0) as u32)
}

/// How many diagnostics with this code have their primary label at this place.
fn count_at(db: &portolan::Database, diagnostics: &[Diagnostic], code: Code, path: &str, span: Span) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.code == code)
        .filter_map(|d| d.location())
        .filter(|l| l.file.path(db) == path && l.span == span)
        .count()
}

/// The fixes a fixture's `// fix: CODE title` lines say its diagnostics offer.
fn expected_fixes(files: &[(String, String)]) -> Vec<(String, String)> {
    let lines = files.iter().flat_map(|(_, text)| text.lines());
    let expected = lines.filter_map(|line| line.trim().strip_prefix("// fix: "));
    expected.filter_map(|rest| rest.split_once(' ')).map(|(code, title)| (code.into(), title.into())).collect()
}

/// Checks every fix of one spec; returns how many were applied, and the failures.
fn check_spec(name: &str, files: &[(String, String)], failures: &mut Vec<String>) -> usize {
    let db = support::database(files);
    let diagnostics = portolan::diagnostics(&db);
    for (code, title) in expected_fixes(files) {
        let offered = diagnostics.iter().any(|d| d.code.as_str() == code && d.fixes.iter().any(|f| f.title == title));
        if !offered {
            failures.push(format!("{name}: no {code} diagnostic offers the fix \"{title}\""));
        }
    }
    let syntax_errors = diagnostics.iter().filter(|d| d.code == Code::SyntaxError).count();
    let mut applied = 0;
    for diagnostic in &diagnostics {
        let Some(location) = diagnostic.location() else { continue };
        let path = location.file.path(&db).clone();
        for fix in &diagnostic.fixes {
            let what = format!("{name}: {} at {path}:{:?}, fix \"{}\"", diagnostic.code, location.span, fix.title);
            let changes = changes(&db, fix);
            if changes.is_empty() {
                failures.push(format!("{what}: the fix has no edit"));
                continue;
            }
            if let Some(change) = changes.iter().find(|c| !files.iter().any(|(p, _)| p == &c.path)) {
                failures.push(format!("{what}: edits `{}`, which is not a file of the spec", change.path));
                continue;
            }
            if fix.applicability == Applicability::HasPlaceholders {
                if !changes.iter().any(|c| c.text.contains('<')) {
                    failures.push(format!("{what}: a template without a `<placeholder>`"));
                }
                continue;
            }
            let edited = match apply(files, &changes) {
                Ok(edited) => edited,
                Err(problem) => {
                    failures.push(format!("{what}: {problem}"));
                    continue;
                }
            };
            applied += 1;
            let after_db = support::database(&edited);
            let after = portolan::diagnostics(&after_db);
            let before = count_at(&db, &diagnostics, diagnostic.code, &path, location.span);
            let place = moved(location.span, &path, &changes);
            let remaining = count_at(&after_db, &after, diagnostic.code, &path, place);
            let new_syntax_errors = after.iter().filter(|d| d.code == Code::SyntaxError).count();
            let edited_text = |p: &str| edited.iter().find(|(q, _)| q == p).map(|(_, t)| t.clone()).unwrap_or_default();
            if remaining >= before {
                failures.push(format!(
                    "{what}: still reported after the fix\n--- {path} after the fix:\n{}\n--- diagnostics:\n{}",
                    edited_text(&path),
                    support::rendered(&after_db, &after)
                ));
            } else if new_syntax_errors > syntax_errors {
                failures
                    .push(format!("{what}: the fix leaves a syntax error\n{}", support::rendered(&after_db, &after)));
            }
        }
    }
    applied
}

#[test]
fn every_fix_of_every_fixture_and_explanation_fixes_its_diagnostic() {
    let mut failures = Vec::new();
    let mut applied = 0;
    for (name, files) in support::fixtures() {
        applied += check_spec(&name, &files, &mut failures);
    }
    for &code in Code::ALL {
        let text = code.explain();
        let example = text.split("## Example").nth(1).and_then(|rest| rest.split("```ptl\n").nth(1));
        if let Some(body) = example.and_then(|rest| rest.split("\n```").next()) {
            applied += check_spec(&format!("explanation of {code}"), &support::split_files(body), &mut failures);
        }
    }
    assert!(failures.is_empty(), "{} fix(es) do not fix:\n\n{}", failures.len(), failures.join("\n\n"));
    // Not a test that passes because there is nothing to apply.
    assert!(applied >= 120, "only {applied} fixes were applied");
}
