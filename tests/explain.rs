//! The explanations of the diagnostic codes (`compiler/core/src/explain/<CODE>.md`, printed by
//! `portolan explain CODE` and embedded in SARIF) are right: each has the expected shape, its
//! example produces its code, and its fix checks without a diagnostic. The diagnostics page,
//! `spec/diagnostics.md`, is generated from them; run with `PORTOLAN_BLESS=1` to rewrite it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::fmt::Write as _;
use std::path::Path;

use portolan::Code;

/// The first line of an explanation: `# P201 unmatched-output (error)`.
fn heading(code: Code) -> String {
    format!("# {} {} ({})", code.as_str(), code.slug(), code.severity().as_str())
}

/// The body of the `ptl` code block that follows the line `section` (`## Example`), if any.
fn block_after(text: &str, section: &str) -> Option<String> {
    fenced_after(text, section, "```ptl")
}

/// The body of the code block opened by `fence` that follows the line `section`, if any.
fn fenced_after(text: &str, section: &str, fence: &str) -> Option<String> {
    let mut lines = text.lines().skip_while(|line| *line != section).skip(1);
    lines.by_ref().find(|line| line.trim_end() == fence)?;
    let mut body = String::new();
    for line in lines {
        if line.trim_end() == "```" {
            return Some(body);
        }
        body.push_str(line);
        body.push('\n');
    }
    None
}

#[test]
fn every_explanation_has_a_heading_an_example_and_a_fix() {
    let mut failures = Vec::new();
    for &code in Code::ALL {
        let text = code.explain();
        let mut problems = Vec::new();
        if text.lines().next() != Some(heading(code).as_str()) {
            problems.push(format!("the first line must be `{}`", heading(code)));
        }
        let sections: Vec<&str> = text.lines().filter(|line| line.starts_with('#')).collect();
        if sections != [heading(code).as_str(), "## Example", "## Fix"] {
            problems.push(format!("the headings must be the title, `## Example`, `## Fix`; found {sections:?}"));
        }
        let intro = text.split("## Example").next().unwrap_or("").lines().skip(1).any(|l| !l.trim().is_empty());
        if !intro {
            problems.push("no explanation before `## Example`".to_string());
        }
        // A code the loader reports is caused by files on disk: its example is a command.
        let fence = if code.is_about_files() { "```text" } else { "```ptl" };
        for section in ["## Example", "## Fix"] {
            if fenced_after(text, section, fence).is_none() {
                problems.push(format!("no {fence} block after `{section}`"));
            }
        }
        if !text.ends_with('\n') || text.ends_with("\n\n") {
            problems.push("the text must end with exactly one newline".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!("{code}: {}", problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "explanations with problems:\n{}", failures.join("\n"));
}

#[test]
fn every_example_produces_its_code_and_every_fix_is_clean() {
    let mut failures = Vec::new();
    // The loader's codes are produced from files on disk, in the loader's tests.
    for &code in Code::ALL.iter().filter(|code| !code.is_about_files()) {
        let text = code.explain();
        let (Some(example), Some(fix)) = (block_after(text, "## Example"), block_after(text, "## Fix")) else {
            failures.push(format!("{code}: the explanation needs a ```ptl block after `## Example` and `## Fix`"));
            continue;
        };

        let db = portolan_tests::spec(&example);
        let diagnostics = diagnostics_of(&db, &example);
        let codes = portolan_tests::codes(&diagnostics);
        if !codes.iter().any(|c| c == code.as_str()) {
            failures.push(format!(
                "{code}: the example does not produce {code}; it produces {codes:?}:\n{}",
                portolan_tests::rendered(&db, &diagnostics)
            ));
        }

        let db = portolan_tests::spec(&fix);
        let diagnostics = diagnostics_of(&db, &fix);
        if !diagnostics.is_empty() {
            failures.push(format!("{code}: the fix is not clean:\n{}", portolan_tests::rendered(&db, &diagnostics)));
        }
    }
    assert!(failures.is_empty(), "{} problem(s) with the explanations:\n\n{}", failures.len(), failures.join("\n"));
}

/// What `portolan check` reports for an inline spec, and, for a code only `portolan build`
/// reports (P603), what a build of rule targets reports: such blocks say `// build: rules`.
fn diagnostics_of(db: &portolan::Database, spec: &str) -> Vec<portolan::Diagnostic> {
    let mut diagnostics = portolan::diagnostics(db);
    if portolan_tests::builds_rules(&portolan_tests::split_files(spec)) {
        let problems = portolan::export::export(db).rule_problems;
        diagnostics.extend(problems.iter().map(|d| d.absolute(db)));
    }
    diagnostics
}

/// True when every file of an inline spec parses.
fn parses(spec: &str) -> bool {
    portolan_tests::split_files(spec).iter().all(|(_, text)| portolan_syntax::parse(text).errors.is_empty())
}

/// One explanation as a section of the page: headings one level down; the fix marked
/// `ptl check` (it checks clean); an example that does not parse (a syntax error's) marked
/// `text`, so that the page's `ptl` blocks all parse.
fn page_section(text: &str) -> String {
    let mut out = String::new();
    let mut section = "";
    let mut in_block = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if in_block {
            in_block = line.trim_end() != "```";
            out.push_str(line);
        } else if line.starts_with('#') {
            section = line;
            out.push('#');
            out.push_str(line);
        } else if line.trim_end() == "```ptl" {
            in_block = true;
            let body: Vec<&str> = lines.clone().take_while(|l| l.trim_end() != "```").collect();
            let info = match section {
                "## Fix" => "ptl check",
                _ if !parses(&(body.join("\n") + "\n")) => "text",
                _ => "ptl",
            };
            out.push_str("```");
            out.push_str(info);
        } else {
            in_block = line.starts_with("```");
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to dashes.
fn anchor(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// `spec/diagnostics.md`: an introduction, a table of every code, then every explanation.
fn diagnostics_page() -> String {
    let mut page = String::from(
        "# Diagnostics\n\n\
         Every problem `portolan check` reports has a stable code, a name, and a severity: an \
         error makes the check fail, a warning fails it only with `--deny warnings`. Codes are \
         grouped by hundreds: 0xx syntax, 1xx names and modules, 2xx flows, 3xx policy, 4xx \
         values, 5xx parameters, 6xx nodes and hosts, 7xx unused things. `portolan explain CODE` \
         prints the explanation of one code (`portolan explain P201`, or by name, `portolan \
         explain unmatched-output`).\n\n\
         This page is generated from the explanations in `compiler/core/src/explain/`, and a test \
         keeps it equal to them (`PORTOLAN_BLESS=1 cargo test -p portolan-tests --test explain` \
         rewrites it). Every example is checked too: it produces its code, and its fix (marked \
         `ptl check`) checks without a diagnostic.\n\n\
         | code | name | severity | summary |\n|---|---|---|---|\n",
    );
    for &code in Code::ALL {
        let _ = writeln!(
            page,
            "| [{}](#{}) | `{}` | {} | {} |",
            code.as_str(),
            anchor(&heading(code)),
            code.slug(),
            code.severity().as_str(),
            code.summary().replace('|', "\\|")
        );
    }
    for &code in Code::ALL {
        page.push('\n');
        page.push_str(&page_section(code.explain()));
    }
    page
}

#[test]
fn the_diagnostics_page_is_generated_from_the_explanations() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/diagnostics.md");
    let generated = diagnostics_page();
    if std::env::var_os("PORTOLAN_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "spec/diagnostics.md is out of date with the explanations; run \
         `PORTOLAN_BLESS=1 cargo test -p portolan-tests --test explain`"
    );
}
