//! `portolan fmt`: rewrites `.ptl` files in the canonical layout, checks that they are in it
//! (`--check`), or formats standard input to standard output (`--stdin`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use miette::Result;

use crate::EXIT_USAGE;

#[derive(Args)]
pub struct FmtArgs {
    /// Files or folders (every `.ptl` file under a folder). Default: the current folder.
    #[arg(conflicts_with = "stdin")]
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that are not formatted and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
    /// Format standard input and write the result to standard output.
    #[arg(long)]
    pub stdin: bool,
}

/// Folders not searched for `.ptl` files: build outputs and dependencies.
const SKIPPED_FOLDERS: [&str; 2] = ["target", "node_modules"];

pub fn run(args: &FmtArgs) -> Result<ExitCode> {
    if args.stdin {
        return Ok(stdin(args.check));
    }
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut failed = false;
    let mut unformatted = Vec::new();
    for file in files(&paths, &mut failed) {
        match format_file(&file, args.check) {
            Ok(true) => unformatted.push(file),
            Ok(false) => {}
            Err(message) => {
                eprintln!("error: {message}");
                failed = true;
            }
        }
    }
    if args.check {
        let mut stdout = std::io::stdout().lock();
        for file in &unformatted {
            let _ = writeln!(stdout, "{}", crate::load::display(file));
        }
    }
    Ok(if failed {
        ExitCode::from(EXIT_USAGE)
    } else if args.check && !unformatted.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn stdin(check: bool) -> ExitCode {
    let mut text = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: cannot read standard input: {err}");
        return ExitCode::from(EXIT_USAGE);
    }
    let formatted = portolan::fmt::format(&text);
    if check {
        if formatted == text {
            return ExitCode::SUCCESS;
        }
        println!("<stdin>");
        return ExitCode::from(1);
    }
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(formatted.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: cannot write standard output: {err}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The files to format: named files as they are, and the `.ptl` files under named folders, in
/// order, skipping hidden folders, `target` and `node_modules`.
fn files(paths: &[PathBuf], failed: &mut bool) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let walk = walkdir::WalkDir::new(path).sort_by_file_name().into_iter().filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0
                || !entry.file_type().is_dir()
                || !(name.starts_with('.') || SKIPPED_FOLDERS.contains(&name.as_ref()))
        });
        for entry in walk {
            match entry {
                Ok(entry) if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "ptl") => {
                    files.push(entry.into_path());
                }
                Ok(_) => {}
                Err(err) => {
                    eprintln!("error: cannot list `{}`: {err}", path.display());
                    *failed = true;
                }
            }
        }
    }
    files
}

/// Formats one file; true when it was not formatted (and, without `check`, has been rewritten).
fn format_file(path: &Path, check: bool) -> Result<bool, String> {
    let bytes = std::fs::read(path).map_err(|err| format!("cannot read `{}`: {err}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        format!("`{}` is not UTF-8 text (invalid byte at offset {offset})", path.display())
    })?;
    let formatted = portolan::fmt::format(&text);
    if formatted == text {
        return Ok(false);
    }
    if !check {
        write_atomically(path, &formatted).map_err(|err| format!("cannot write `{}`: {err}", path.display()))?;
    }
    Ok(true)
}

/// Writes `text` to a new file beside `path`, then renames it over `path`, so that a crash or a
/// full disk never leaves a half-written spec. The file keeps its permissions.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = folder.join(format!(".{name}.{}.fmt-tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(path) {
            file.set_permissions(metadata.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
