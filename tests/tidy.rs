//! Tidy: the rules of ARCHITECTURE.md that the compiler does not enforce by itself, checked on
//! the sources. Every `.rs` file starts with a `//!` line; each crate depends only on the
//! workspace crates the dependency rules allow; inside the core a module imports no module of a
//! later layer; the core does I/O only in `load/system.rs`; the code map names every module.
//! Each rule is a function of texts, unit-tested below on small inputs so that each can fail.

use std::fs;
use std::path::{Path, PathBuf};

/// The core's layers, lowest first: a module may import modules of its own layer and of the
/// layers before it. The same table is in ARCHITECTURE.md ("The core's layers").
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["db", "codes", "stdlib", "net", "eval", "load_problem"]),
    ("items/scope", &["items", "location", "scope"]),
    ("resolve", &["problem", "resolved", "resolve"]),
    ("facts", &["facts", "policy"]),
    ("check", &["check", "diagnostic"]),
    ("collect", &["collect", "load"]),
    ("export", &["export", "query"]),
    ("render", &["render"]),
];

/// The workspace crates each crate may depend on; `None`: any.
const CRATE_RULES: &[(&str, Option<&[&str]>)] = &[
    ("portolan-syntax", Some(&[])),
    ("portolan-model", Some(&[])),
    ("portolan-emit", Some(&["portolan-model"])),
    ("portolan-lab", Some(&["portolan-model", "portolan-emit"])),
    ("portolan-diff", Some(&["portolan-model", "portolan-emit"])),
    ("portolan-drift", Some(&["portolan-model", "portolan-emit"])),
    ("portolan-fmt", Some(&["portolan-syntax"])),
    ("portolan", Some(&["portolan-syntax", "portolan-model"])),
    ("portolan-ide", Some(&["portolan", "portolan-syntax", "portolan-fmt", "portolan-model"])),
    ("portolan-lsp", Some(&["portolan", "portolan-syntax", "portolan-fmt", "portolan-ide", "portolan-model"])),
    ("portolan-cli", None),
    ("portolan-tests", None),
    ("portolan-bench", None),
];

/// Crates that speak the language server protocol: only `portolan-lsp` may depend on them.
const LSP_CRATES: &[&str] = &["tower-lsp-server", "tower-lsp", "lsp-types", "ls-types"];

/// Folders whose `.rs` files need a `//!` line.
const SOURCE_FOLDERS: &[&str] = &["compiler", "lsp", "tests", "bench", "fuzz"];

/// One broken rule: the file, the rule, what is wrong.
#[derive(Debug, PartialEq)]
struct Violation {
    file: String,
    rule: &'static str,
    detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: rule `{}`: {}", self.file, self.rule, self.detail)
    }
}

fn violation(file: &str, rule: &'static str, detail: impl Into<String>) -> Violation {
    Violation { file: file.to_string(), rule, detail: detail.into() }
}

// ---------------------------------------------------------------------------------------------
// The rules, each a function of texts.

/// Rule `doc-line`: the file's first line is a `//!` line.
fn doc_line(file: &str, text: &str) -> Option<Violation> {
    let first = text.lines().next().unwrap_or("");
    (!first.starts_with("//!"))
        .then(|| violation(file, "doc-line", "the first line must be a `//!` line saying what the module is for"))
}

/// The workspace crates and the other dependencies a Cargo.toml names, in every dependency
/// table (`[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`, target tables).
fn dependencies(manifest: &str) -> (Option<String>, Vec<String>) {
    let mut name = None;
    let mut table = String::new();
    let mut out = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if line.starts_with('[') {
            table = line.trim_matches(|c| c == '[' || c == ']').to_string();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let key = key.trim();
        if table == "package" && key == "name" {
            name = Some(value.trim().trim_matches('"').to_string());
        }
        if table.ends_with("dependencies") {
            // `portolan.workspace = true`, `portolan-lsp = { path = ... }`, `clap = "4"`.
            let dep = key.split('.').next().unwrap_or(key).trim_matches('"');
            out.push(dep.to_string());
        }
    }
    (name, out)
}

/// Rule `crate-deps`: a crate depends only on the workspace crates it may, and only
/// `portolan-lsp` on LSP crates.
fn crate_deps(file: &str, manifest: &str) -> Vec<Violation> {
    let (Some(name), deps) = dependencies(manifest) else {
        return vec![violation(file, "crate-deps", "no `[package] name`")];
    };
    let Some((_, allowed)) = CRATE_RULES.iter().find(|(crate_name, _)| *crate_name == name) else {
        return vec![violation(file, "crate-deps", format!("crate `{name}` has no dependency rule in the tidy test"))];
    };
    let mut out = Vec::new();
    for dep in &deps {
        let workspace_crate = CRATE_RULES.iter().any(|(c, _)| c == dep);
        if let Some(allowed) = allowed
            && workspace_crate
            && !allowed.contains(&dep.as_str())
        {
            out.push(violation(file, "crate-deps", format!("`{name}` must not depend on `{dep}`")));
        }
        if allowed.is_some() && LSP_CRATES.contains(&dep.as_str()) && name != "portolan-lsp" {
            out.push(violation(file, "crate-deps", format!("only `portolan-lsp` may depend on `{dep}`, not `{name}`")));
        }
    }
    out
}

/// The text without comments (line comments and doc comments), so that words in prose do not count.
fn code_of(text: &str) -> String {
    text.lines().map(|line| line.split_once("//").map_or(line, |(code, _)| code)).collect::<Vec<_>>().join("\n")
}

/// The core's module a source file belongs to: the first segment of its path under `src/`.
fn module_of(path: &str) -> &str {
    let first = path.split('/').next().unwrap_or(path);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// Every module of the core a text names as `crate::module` (in `use` lines and in paths,
/// `use crate::{a, b::c}` included).
fn imported_modules(text: &str) -> Vec<String> {
    let code = code_of(text);
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `portolan_crate::` or the like
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for part in inner.split(',') {
                let name: String = part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

/// Rule `layers`: a module of the core (`path` under `src/`) imports no module of a later
/// layer, and none through the crate root's re-exports (which would hide the layer).
fn layers(path: &str, text: &str) -> Vec<Violation> {
    let file = format!("compiler/core/src/{path}");
    if path == "lib.rs" {
        return Vec::new();
    }
    let module = module_of(path);
    let Some(own) = layer_of(module) else {
        return vec![violation(&file, "layers", format!("module `{module}` is in no layer of the tidy test's table"))];
    };
    let mut out = Vec::new();
    for imported in imported_modules(text) {
        if imported.starts_with(char::is_uppercase) {
            out.push(violation(
                &file,
                "layers",
                format!("`crate::{imported}`: name the module it is in, not the crate root's re-export"),
            ));
            continue;
        }
        match layer_of(&imported) {
            Some(layer) if layer > own => out.push(violation(
                &file,
                "layers",
                format!(
                    "module `{module}` (layer {}) imports `{imported}` of the later layer {}",
                    LAYERS[own].0, LAYERS[layer].0
                ),
            )),
            Some(_) => {}
            None => out.push(violation(
                &file,
                "layers",
                format!("`crate::{imported}` is in no layer of the tidy test's table"),
            )),
        }
    }
    out.sort_by(|a, b| a.detail.cmp(&b.detail));
    out.dedup();
    out
}

/// Items of `std::net` that are values, not I/O.
const NET_VALUES: &[&str] = &["IpAddr", "Ipv4Addr", "Ipv6Addr", "AddrParseError"];

/// Rule `no-io`: the core touches files, processes and the network only in `load/system.rs`
/// (and in test modules, `tests.rs`).
fn no_io(path: &str, text: &str) -> Vec<Violation> {
    let file = format!("compiler/core/src/{path}");
    if path == "load/system.rs" || path.ends_with("/tests.rs") || path == "tests.rs" {
        return Vec::new();
    }
    let code = code_of(text);
    let mut out = Vec::new();
    for pattern in ["std::fs", "std::process", "std::net", "File::"] {
        for (at, _) in code.match_indices(pattern) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `SourceFile::`
            }
            if pattern == "std::net" {
                let item: String = code[at + pattern.len()..]
                    .trim_start_matches("::")
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if NET_VALUES.contains(&item.as_str()) {
                    continue;
                }
            }
            out.push(violation(
                &file,
                "no-io",
                format!("`{pattern}` outside `load/system.rs`: the core reads through the `System` trait"),
            ));
        }
    }
    out.dedup();
    out
}

/// Rule `code-map`: ARCHITECTURE.md names the module, by its path from its crate's source
/// folder (`check/render.rs`) or, for a file of its own folder, by its file name and folder.
fn code_map(file: &str, map: &str) -> Option<Violation> {
    let path = Path::new(file);
    let name = path.file_name()?.to_str()?;
    // `compiler/core/src/check/render.rs` → "check/render.rs", `lsp/src/handlers/hover.rs` →
    // "handlers/hover.rs", `tests/fixes.rs` → "fixes.rs": a name as the map writes it.
    let parts: Vec<&str> = file.split('/').collect();
    let inside = match parts.iter().position(|p| *p == "src" || *p == "benches" || *p == "fuzz_targets") {
        Some(at) => parts[at + 1..].join("/"),
        None => parts[if parts[0] == "compiler" { 2 } else { 1 }.min(parts.len() - 1)..].join("/"),
    };
    let in_crate = parts[if parts[0] == "compiler" { 2 } else { 1 }.min(parts.len() - 1)..].join("/");
    let named = [inside.as_str(), in_crate.as_str(), file].iter().any(|p| map.contains(&format!("`{p}`")));
    // Or a module named in a line that names its folder: `check/` ... `render.rs`.
    let short = parts.len() >= 2 && {
        let folder = parts[parts.len() - 2];
        map.lines().any(|line| line.contains(&format!("{folder}/`")) && line.contains(&format!("`{name}`")))
    };
    (!(named || short))
        .then(|| violation(file, "code-map", format!("ARCHITECTURE.md's code map does not name `{inside}`")))
}

// ---------------------------------------------------------------------------------------------
// The rules applied to the repository.

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Every `.rs` file under `folder`, paths relative to the repository, sorted; build output,
/// fuzz corpora and hidden folders left out.
fn rust_files(folder: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = vec![folder.to_path_buf()];
    while let Some(dir) = next.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if path.is_dir() {
                if !(name.starts_with('.') || name == "target" || name == "corpus" || name == "artifacts") {
                    next.push(path);
                }
            } else if name.ends_with(".rs")
                && let Ok(relative) = path.strip_prefix(root())
            {
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

fn read(file: &str) -> String {
    fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("cannot read {file}: {e}"))
}

fn report(violations: Vec<Violation>) {
    let lines: Vec<String> = violations.iter().map(ToString::to_string).collect();
    assert!(lines.is_empty(), "{} tidy violation(s):\n{}", lines.len(), lines.join("\n"));
}

#[test]
fn every_source_file_starts_with_a_doc_line() {
    let files: Vec<String> = SOURCE_FOLDERS.iter().flat_map(|f| rust_files(&root().join(f))).collect();
    assert!(files.len() > 100, "the walk found only {} files", files.len());
    report(files.iter().filter_map(|file| doc_line(file, &read(file))).collect());
}

#[test]
fn crates_depend_only_on_what_the_rules_allow() {
    let mut manifests: Vec<String> = ["lsp", "tests", "bench"].iter().map(|c| format!("{c}/Cargo.toml")).collect();
    for entry in fs::read_dir(root().join("compiler")).into_iter().flatten().flatten() {
        if entry.path().join("Cargo.toml").exists() {
            manifests.push(format!("compiler/{}/Cargo.toml", entry.file_name().to_string_lossy()));
        }
    }
    manifests.sort();
    assert!(manifests.len() >= 10, "{manifests:?}");
    report(manifests.iter().flat_map(|m| crate_deps(m, &read(m))).collect());
}

fn core_files() -> Vec<(String, String)> {
    let src = root().join("compiler/core/src");
    rust_files(&src)
        .into_iter()
        .map(|file| {
            let inside = file.trim_start_matches("compiler/core/src/").to_string();
            let text = read(&file);
            (inside, text)
        })
        .collect()
}

#[test]
fn core_modules_import_no_later_layer() {
    let files = core_files();
    assert!(files.len() > 50);
    report(files.iter().flat_map(|(path, text)| layers(path, text)).collect());
}

#[test]
fn the_core_does_io_only_in_its_system() {
    report(core_files().iter().flat_map(|(path, text)| no_io(path, text)).collect());
}

#[test]
fn the_code_map_names_every_module() {
    let map = read("ARCHITECTURE.md");
    let files: Vec<String> = SOURCE_FOLDERS.iter().flat_map(|f| rust_files(&root().join(f))).collect();
    report(files.iter().filter_map(|file| code_map(file, &map)).collect());
}

#[test]
fn the_layer_table_is_the_one_in_architecture_md() {
    let map = read("ARCHITECTURE.md");
    for (index, (name, modules)) in LAYERS.iter().enumerate() {
        let listed: Vec<String> = modules.iter().map(|m| format!("`{m}`")).collect();
        let row = format!("| {} | {name} | {} |", index, listed.join(", "));
        assert!(map.contains(&row), "ARCHITECTURE.md's layer table lacks the row\n{row}");
    }
}

// ---------------------------------------------------------------------------------------------
// Each rule can fail.

#[test]
fn doc_line_fails_without_a_module_doc() {
    assert_eq!(doc_line("a.rs", "//! What it is for.\nfn f() {}\n"), None);
    let found = doc_line("a.rs", "// a plain comment\n//! too late\n");
    assert_eq!(found.map(|v| (v.file, v.rule)), Some(("a.rs".to_string(), "doc-line")));
    assert!(doc_line("b.rs", "").is_some());
}

#[test]
fn crate_deps_fails_on_a_forbidden_dependency() {
    let emit =
        "[package]\nname = \"portolan-emit\"\n\n[dependencies]\nportolan-model.workspace = true\nrustc-hash = \"2\"\n";
    assert_eq!(crate_deps("compiler/emit/Cargo.toml", emit), vec![]);
    let bad = format!("{emit}portolan.workspace = true\n");
    let found = crate_deps("compiler/emit/Cargo.toml", &bad);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, "crate-deps");
    assert!(found[0].detail.contains("`portolan`"), "{}", found[0]);
    let ide = "[package]\nname = \"portolan-ide\"\n[dependencies]\ntower-lsp-server = \"0.23\"\n";
    assert_eq!(crate_deps("compiler/ide/Cargo.toml", ide).len(), 1);
    let lsp = "[package]\nname = \"portolan-lsp\"\n[dependencies]\ntower-lsp-server = \"0.23\"\nportolan-ide = { path = \"../ide\" }\n";
    assert_eq!(crate_deps("lsp/Cargo.toml", lsp), vec![]);
    let syntax_dev = "[package]\nname = \"portolan-syntax\"\n[dev-dependencies]\nportolan-fmt.workspace = true\n";
    assert_eq!(crate_deps("compiler/syntax/Cargo.toml", syntax_dev).len(), 1);
    let cli = "[package]\nname = \"portolan-cli\"\n[dependencies]\nportolan-lsp = { path = \"../../lsp\" }\n";
    assert_eq!(crate_deps("compiler/cli/Cargo.toml", cli), vec![]);
}

#[test]
fn layers_fails_on_an_import_of_a_later_layer() {
    let resolve =
        "//! Resolution.\nuse crate::db::Db;\nuse crate::scope::{lookup, Scope};\nuse crate::{eval, items::Item};\n";
    assert_eq!(layers("resolve/node.rs", resolve), vec![]);
    let bad = format!("{resolve}fn f() {{ crate::check::duplicate::member(); }}\n");
    let found = layers("resolve/node.rs", &bad);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].file, "compiler/core/src/resolve/node.rs");
    assert!(found[0].detail.contains("`check`"), "{}", found[0]);
    let grouped = layers("scope.rs", "//! Scopes.\nuse crate::{db::Db, facts::user_files};\n");
    assert_eq!(grouped.len(), 1, "{grouped:?}");
    assert_eq!(layers("items.rs", "//! Items.\n// crate::check:: in a comment\n"), vec![]);
    assert_eq!(layers("items.rs", "//! Items.\nfn f() -> crate::Location {}\n").len(), 1);
    assert_eq!(layers("nowhere.rs", "//! A module in no layer.\n").len(), 1);
}

#[test]
fn no_io_fails_on_file_access_outside_the_system() {
    assert_eq!(no_io("net.rs", "//! Addresses.\nuse std::net::IpAddr;\n"), vec![]);
    assert_eq!(no_io("db.rs", "//! The database.\nlet f = SourceFile::new(db);\n"), vec![]);
    assert_eq!(no_io("load/system.rs", "//! Disk.\nstd::fs::read(path)\n"), vec![]);
    let found = no_io("load.rs", "//! Loading.\nlet text = std::fs::read_to_string(path);\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].file.as_str(), found[0].rule), ("compiler/core/src/load.rs", "no-io"));
    assert_eq!(no_io("check/x.rs", "//! X.\nuse std::net::TcpStream;\n").len(), 1);
    assert_eq!(no_io("check/x.rs", "//! X.\nstd::process::Command::new(\"sh\")\n").len(), 1);
    assert_eq!(no_io("check/x.rs", "//! X.\nlet f = File::open(p);\n").len(), 1);
}

#[test]
fn code_map_fails_on_an_unnamed_module() {
    let map = "| `compiler/core` | `portolan` | resolution (`resolve/`, `resolve/problem.rs`), `eval.rs` |\n\
               | `tests/` | | `fixes.rs`, `support/lib.rs` |";
    assert_eq!(code_map("compiler/core/src/eval.rs", map), None);
    assert_eq!(code_map("compiler/core/src/resolve/problem.rs", map), None);
    assert_eq!(code_map("tests/fixes.rs", map), None);
    assert_eq!(code_map("tests/support/lib.rs", map), None);
    let found = code_map("compiler/core/src/net.rs", map);
    assert_eq!(found.map(|v| (v.file, v.rule)), Some(("compiler/core/src/net.rs".to_string(), "code-map")));
    assert!(code_map("tests/tidy.rs", map).is_some());
}
