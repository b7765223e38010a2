//! Helpers shared by the integration tests: specs written inline or read from fixture folders.

pub mod formats;

use std::path::Path;

use portolan::{Database, Diagnostic, render};

/// Splits a text with `//- name.ptl` headers into files, the multi-file format of fixtures,
/// explanations and fuzz inputs; text before the first header is `main.ptl`. A later file of a
/// name replaces an earlier one; a header without a name is text.
pub fn split_files(text: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        match line.trim_end().strip_prefix("//- ").map(str::trim) {
            Some(name) if !name.is_empty() => files.push((name.to_string(), String::new())),
            _ => match files.last_mut() {
                Some((_, body)) => body.push_str(line),
                None => files.push(("main.ptl".to_string(), line.to_string())),
            },
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut unique: Vec<(String, String)> =
        files.into_iter().rev().filter(|(path, _)| seen.insert(path.clone())).collect();
    unique.reverse();
    unique
}

/// Every fixture of `tests/fixtures/`: its name (the file's, without `.ptl`) and its files, in
/// name order.
pub fn fixtures() -> Vec<(String, Vec<(String, String)>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut cases: Vec<(String, Vec<(String, String)>)> = std::fs::read_dir(&root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().strip_suffix(".ptl")?.to_string();
            let text = std::fs::read_to_string(entry.path()).ok()?;
            Some((name, split_files(&text)))
        })
        .collect();
    cases.sort();
    cases
}

/// The spec these files form, loaded as `portolan check` loads a folder holding them: the
/// loader's order, limits and diagnostics.
pub fn load_files(files: &[(String, String)]) -> portolan::load::Spec {
    let mut system = portolan::load::MemorySystem::new();
    for (path, text) in files {
        system.insert(path, text.as_bytes());
    }
    match portolan::load::load(&system, Path::new(""), &portolan::load::Limits::DEFAULT) {
        Ok(spec) => spec,
        Err(error) => panic!("cannot load the files: {error}"),
    }
}

/// The module a relative path names: `zones/dmz.ptl` is `zones.dmz`.
pub fn module_of(path: &str) -> String {
    portolan::load::module_of(path)
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

/// The spec in a folder, loaded as `portolan check` loads it, each file shown by its path inside
/// the folder (`zones/dmz.ptl`).
pub fn load_folder(dir: &Path) -> portolan::load::Spec {
    let system = portolan::load::Rooted::new(&portolan::load::OsSystem, dir);
    match portolan::load::load(&system, Path::new("."), &portolan::load::Limits::DEFAULT) {
        Ok(spec) => spec,
        Err(error) => panic!("cannot load `{}`: {error}", dir.display()),
    }
}

/// Every `.ptl` file under a folder, paths relative to it, as the loader finds them.
pub fn read_folder(dir: &Path) -> Vec<(String, String)> {
    let spec = load_folder(dir);
    assert!(spec.problems.is_empty(), "`{}` could not be read whole", dir.display());
    spec.db.user_files().iter().map(|f| (f.path(&spec.db).clone(), f.text(&spec.db).clone())).collect()
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

/// True when a fixture asks, with a `// build: rules` line, for what a build of the rule
/// targets reports too.
pub fn builds_rules(files: &[(String, String)]) -> bool {
    files.iter().any(|(_, text)| text.lines().any(|l| l.trim() == "// build: rules"))
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

/// The path of a tool: the file an environment variable names, else the first `name` on
/// `PATH`. `None` when it is missing; on CI (`CI=true`) a missing tool fails the test instead.
pub fn tool_path(env: &str, name: &str) -> Option<std::path::PathBuf> {
    let named = std::env::var_os(env).map(std::path::PathBuf::from).filter(|p| p.is_file());
    let found = named.or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "`{name}` (or ${env}) is required on CI but was not found"
        );
        eprintln!("skipping: `{name}` is not installed (set {env} to its path)");
    }
    found
}

/// Every folder of `examples/`, sorted.
pub fn examples() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut out: Vec<_> =
        std::fs::read_dir(root).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
}

/// Every target's files for a spec that must check without errors and name every flow end.
pub fn build(files: &[(String, String)]) -> Result<Vec<portolan_emit::Output>, String> {
    let db = database(files);
    let diagnostics = portolan::diagnostics(&db);
    if diagnostics.iter().any(|d| d.severity == portolan::Severity::Error) {
        return Err(rendered(&db, &diagnostics));
    }
    let export = portolan::export::export(&db);
    if !export.rule_problems.is_empty() {
        let problems: Vec<Diagnostic> = export.rule_problems.iter().map(|d| d.absolute(&db)).collect();
        return Err(rendered(&db, &problems));
    }
    let mut out = Vec::new();
    for &target in portolan_emit::Target::ALL {
        out.extend(portolan_emit::emit(&export.model, target).map_err(|e| e.to_string())?);
    }
    Ok(out)
}

/// Writes a build's files under `dir`.
pub fn write_outputs(dir: &Path, outputs: &[portolan_emit::Output]) -> std::io::Result<()> {
    for output in outputs {
        let path = dir.join(&output.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &output.text)?;
    }
    Ok(())
}

/// A spec whose every title, label, setting name and doc comment is hostile to some target:
/// quotes, line breaks, `;`, `</script>`, backticks, `|`, braces, `#`, `$`, backslashes.
pub const HOSTILE: &str = r#"/// Doc: "quotes", `backticks`, </script>, | pipes |, {braces}, ; semicolons, $(cmd), \ and */
component Server "Server \"one\" </script><script>alert(1)</script> | x `y` {z} ; # -- */" {
    /// Port doc: "q" | `t` </script>
    param port: port = 8443 "SET\"TING | `x` </script> {a}"
    listen web: https on tcp/port "usage \"q\" | `t` {b} ; </script>\nnext line"
    connect db: tds "db \\ backslash \" end ]]> <!-- -->"
}
component Sql "Sql ]]> <!-- --> & &amp; \"  " { listen tds: tds }
component Browser "Browser \n newline\ttab" { connect web: https "web|pipe" }
zone internet "Internet \"untrusted\" {}" {
    trust untrusted
    node users[*] "Users; DROP TABLE \"x\" \n -A INPUT -j ACCEPT": Browser
}
zone dc "DC } digraph { \"a\" -> \"b\" } subgraph end" {
    trust internal
    cidr 10.9.0.0/16, 2001:db8:9::/48
    node web "Web \"srv\" \\\" ` | ]] --> <br> 1. - # * _x_ [l](u) &lt;": Server { address 10.9.0.5 }
    node sql "SQL ${x} $(rm -rf /) ; # comment \\": Sql { address 10.9.0.6, 2001:db8:9::6 }
}
flow users.web -> web.web "Route 1: \"quoted\" ; } \n -A INPUT -j ACCEPT # </script> | `tick` {brace} \\"
flow web.db -> sql.tds "Route 2: end\" ; flush ruleset ; é 中 🚀 \\"
"#;

/// A spec whose node and zone names are long: 300 characters, and 100 000. Names are
/// identifiers of any length; each target must still get valid files with safe file names.
pub fn long_names() -> String {
    let (node, zone) = ("n".repeat(300), "z".repeat(300));
    let (huge_node, huge_zone) = ("N".repeat(100_000), "Z".repeat(100_000));
    format!(
        "component S {{ listen web: https  connect up: https optional }}\n\
         component C {{ connect web: https }}\n\
         zone {zone} {{\n    cidr 10.0.0.0/8, 2001:db8::/32\n    node {node}: S {{ address 10.0.0.1, 2001:db8::1 }}\n    node c: C {{ address 10.0.0.2 }}\n}}\n\
         zone {huge_zone} {{\n    cidr 10.1.0.0/16\n    node {huge_node}: S\n}}\n\
         flow c.web -> {node}.web \"to the long one\"\n\
         flow c.web -> {huge_node}.web\n\
         flow {node}.up -> {huge_node}.web\n"
    )
}

/// Every comment and doc comment of a text, trailing whitespace removed, found without the
/// formatter's own lexer: `//` outside a string, to the end of the line.
pub fn comments_of(text: &str) -> Vec<String> {
    let mut comments = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '/' if !in_string && line[i..].starts_with("//") => {
                    comments.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    comments
}
