//! `spec/` stays true: the grammar page is the grammar, the standard-library page lists what the
//! library's sources declare, and every `ptl` code block in the docs parses (and every
//! `ptl check` block checks clean). Run with `PORTOLAN_BLESS=1` to rewrite the generated pages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use portolan::Database;
use portolan::items::{ItemKind, file_items, parse_file};
use portolan::resolve::{component_info, protocol_info};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Compares a generated page with the file, or writes it when blessing.
fn check_page(relative: &str, generated: &str) {
    let path = root().join(relative);
    if std::env::var_os("PORTOLAN_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "{relative} is out of date with its sources; run `PORTOLAN_BLESS=1 cargo test -p portolan-tests --test spec`"
    );
}

#[test]
fn grammar_page_is_the_grammar() {
    let grammar = std::fs::read_to_string(root().join("compiler/syntax/src/portolan.pest")).unwrap();
    let page = format!(
        "# Grammar\n\n\
         This is the grammar the parser runs, `compiler/syntax/src/portolan.pest`, verbatim (a test \
         keeps this page equal to it). It is a [pest](https://pest.rs) grammar: `~` is sequence, \
         `|` ordered choice, `*` `+` `?` repetition, `!` negative lookahead; `_{{ }}` rules are \
         silent, `@{{ }}` rules atomic (no implicit whitespace inside). `WHITESPACE` and `COMMENT` \
         may appear between any two tokens of a non-atomic rule.\n\n\
         Before this grammar runs, a file is split into top-level items (see \
         [Errors and recovery](language.md#errors-and-recovery)); each item is parsed with the \
         rule `item`.\n\n```pest\n{grammar}```\n"
    );
    check_page("spec/grammar.md", &page);
}

#[test]
fn stdlib_page_lists_the_library() {
    check_page("spec/stdlib.md", &stdlib_page());
}

fn one_line(text: &str) -> String {
    text.split("\n\n").next().unwrap_or("").replace('\n', " ").replace('|', "\\|")
}

fn stdlib_page() -> String {
    let db = Database::new();
    let mut page = String::from(
        "# Standard library\n\n\
         The standard library is embedded in the `portolan` binary: `use std.infra` or \
         `use vendor.onee` works from any folder, and `std.proto` is in scope everywhere without \
         a `use`. This page is generated from the library's sources (`stdlib/`); a test keeps \
         it equal to them.\n",
    );
    let mut files: Vec<_> =
        db.workspace().files(&db).iter().copied().filter(|f| f.origin(&db) == portolan::Origin::Stdlib).collect();
    files.sort_by_key(|f| f.module(&db).clone());
    for file in files {
        let _ = write!(page, "\n## `{}`\n\n", file.module(&db));
        let docs = &parse_file(&db, file).module_docs;
        if !docs.is_empty() {
            let _ = write!(page, "{docs}\n\n");
        }
        let items = file_items(&db, file);
        let protocols: Vec<_> = items.iter().copied().filter(|i| i.kind(&db) == ItemKind::Protocol).collect();
        if !protocols.is_empty() {
            page.push_str("| protocol | title | default ports | encrypted | description |\n|---|---|---|---|---|\n");
            for item in protocols {
                let info = protocol_info(&db, item);
                let ports = match &info.default_ports {
                    Some(ports) => ports.describe(),
                    None => format!(
                        "{} (no default)",
                        info.transports.iter().map(|t| t.upper()).collect::<Vec<_>>().join("+")
                    ),
                };
                let _ = writeln!(
                    page,
                    "| `{}` | {} | {ports} | {} | {} |",
                    info.name,
                    info.title,
                    if info.encrypted { "yes" } else { "no" },
                    one_line(&info.docs)
                );
            }
            page.push('\n');
        }
        for item in items.iter().copied().filter(|i| i.kind(&db) == ItemKind::Component) {
            let info = component_info(&db, item);
            let _ = write!(page, "### `{}` — {}\n\n", info.name, info.title);
            if !info.docs.is_empty() {
                let _ = write!(page, "{}\n\n", info.docs);
            }
            if !info.params.is_empty() {
                page.push_str("| parameter | type | default | setting | description |\n|---|---|---|---|---|\n");
                for param in &info.params {
                    let default = param
                        .default
                        .as_ref()
                        .map_or_else(|| "required".to_string(), |e| format!("`{}`", portolan::eval::expr_text(e)));
                    let _ = writeln!(
                        page,
                        "| `{}` | {} | {default} | {} | {} |",
                        param.name,
                        param.ty.map_or("?", |t| t.name()),
                        param.title.clone().unwrap_or_default(),
                        one_line(&param.docs)
                    );
                }
                page.push('\n');
            }
            if !info.ports.is_empty() {
                page.push_str("| port | kind | protocol | ports | description |\n|---|---|---|---|---|\n");
                for (port, protocol) in info.ports.iter().zip(&info.protocols) {
                    let protocol = protocol.map(|p| protocol_info(&db, p));
                    // The ports with every parameter at its default; an output without `on`
                    // connects wherever its input listens.
                    let ports = match &port.spec {
                        Some(spec) => {
                            let mut env = portolan::resolve::ParamEnv::new(&info.params, Default::default());
                            let (set, errors) = portolan::eval::eval_ports(spec, &mut env, true);
                            if errors.is_empty() && !set.is_empty() { set.describe() } else { "set by the node".into() }
                        }
                        None if port.kind == portolan_syntax::ast::PortKind::Connect => "its input's".into(),
                        None => protocol
                            .and_then(|p| p.default_ports.as_ref())
                            .map_or_else(|| "none".to_string(), |p| p.describe()),
                    };
                    let protocol = protocol.map(|p| p.title.clone()).unwrap_or_default();
                    let mut description = port.title.clone().unwrap_or_default();
                    if !port.docs.is_empty() {
                        if !description.is_empty() {
                            description.push_str(": ");
                        }
                        description.push_str(&one_line(&port.docs));
                    }
                    if let Some(text) = &port.configurable {
                        if !description.is_empty() {
                            description.push(' ');
                        }
                        description.push_str(&format!("Configurable: {text}."));
                    }
                    let _ = writeln!(
                        page,
                        "| `{}` | {} | {protocol} | {ports} | {description} |",
                        port.name,
                        port.kind.keyword()
                    );
                }
                page.push('\n');
            }
        }
    }
    page
}

/// Every fenced code block of a Markdown text: its info string and its body.
fn code_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), String::new())),
            (Some(_), Some(_)) => blocks.extend(current.take()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

#[test]
fn code_blocks_in_the_docs_parse_and_checked_ones_are_clean() {
    let mut pages = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("spec")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "md") {
            pages.push(entry.path());
        }
    }
    let mut checked = 0;
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        for (info, body) in code_blocks(&text) {
            let mut words = info.split_whitespace();
            if words.next() != Some("ptl") {
                continue;
            }
            let must_be_clean = words.any(|w| w == "check");
            for (name, file) in portolan_tests::split_files(&body) {
                let parse = portolan_syntax::parse(&file);
                assert!(
                    parse.errors.is_empty(),
                    "a ptl block in {} ({name}) does not parse: {:#?}\n{file}",
                    page.display(),
                    parse.errors
                );
            }
            if must_be_clean {
                let db = portolan_tests::spec(&body);
                let diagnostics = portolan::diagnostics(&db);
                assert!(
                    diagnostics.is_empty(),
                    "a `ptl check` block in {} has diagnostics:\n{}",
                    page.display(),
                    portolan_tests::rendered(&db, &diagnostics)
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 5, "too few code blocks found: {checked}");
}

#[test]
fn the_readmes_build_excerpts_are_what_the_build_writes() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let marker = "<!-- generated from examples/three-tier: ports.md -->\n";
    let outputs = portolan_tests::build(&portolan_tests::read_folder(&root().join("examples/three-tier"))).unwrap();
    let ports = outputs.iter().find(|o| o.path.to_string_lossy() == "ports.md").expect("the build writes ports.md");
    let excerpts: Vec<&str> =
        readme.split(marker).skip(1).map(|rest| rest.split("\n\n").next().unwrap_or_default()).collect();
    assert!(excerpts.len() >= 3, "the README shows fewer than three excerpts of ports.md");
    for excerpt in excerpts {
        assert!(
            ports.text.contains(excerpt),
            "this README excerpt is not in what the build writes:\n{excerpt}\n\nports.md:\n{}",
            ports.text
        );
    }
}

/// The body of the fenced block right after the line `marker` in `text`, and its byte range.
fn block_after_marker(text: &str, marker: &str) -> Option<(String, std::ops::Range<usize>)> {
    let at = text.find(marker)? + marker.len();
    let rest = &text[at..];
    let open = rest.find("```")?;
    let body_start = at + open + rest[open..].find('\n')? + 1;
    // The closing fence is the first line that is only "```" (the body may be empty).
    let mut body_end = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        if line.trim_end() == "```" {
            return Some((text[body_start..body_end].to_string(), body_start..body_end));
        }
        body_end += line.len();
    }
    None
}

/// The README's headline spec is `examples/three-tier/site.ptl`, which builds every target; the
/// diagnostic shown under it is what `portolan check` prints for that example without its
/// database flow. `PORTOLAN_BLESS=1` rewrites the diagnostic.
#[test]
fn the_readmes_headline_spec_and_its_diagnostic_are_real() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (snippet, _) = block_after_marker(&readme, "<!-- examples/three-tier/site.ptl -->\n")
        .expect("the README marks its headline spec as examples/three-tier/site.ptl");
    let example = root().join("examples/three-tier");
    let site = std::fs::read_to_string(example.join("site.ptl")).unwrap();
    assert_eq!(snippet, site, "the README's headline spec is not examples/three-tier/site.ptl");
    portolan_tests::build(&portolan_tests::read_folder(&example)).expect("the headline spec builds every target");

    let flow = "flow app.db -> sql.tds \"Route 3: application database\"\n";
    assert!(site.contains(flow), "the example has no database flow to forget");
    let mut system = portolan::load::MemorySystem::new();
    system.insert("examples/three-tier/site.ptl", site.replace(flow, ""));
    let components = std::fs::read_to_string(example.join("components.ptl")).unwrap();
    system.insert("examples/three-tier/components.ptl", components);
    let limits = portolan::load::Limits::DEFAULT;
    let spec = portolan::load::load(&system, std::path::Path::new("examples/three-tier"), &limits).unwrap();
    let diagnostics = portolan::diagnostics(&spec.db);
    let output = portolan_tests::rendered(&spec.db, &diagnostics);

    let marker = "<!-- examples/three-tier without its database flow: portolan check -->\n";
    let (shown, range) = block_after_marker(&readme, marker).expect("the README shows the check's output");
    if std::env::var_os("PORTOLAN_BLESS").is_some() {
        let mut blessed = readme.clone();
        blessed.replace_range(range, &output);
        std::fs::write(&path, blessed).unwrap();
        return;
    }
    assert_eq!(
        shown, output,
        "the README's sample diagnostic is not what `portolan check` prints; run with PORTOLAN_BLESS=1"
    );
}
