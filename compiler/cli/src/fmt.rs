//! `portolan fmt`: rewrites `.ptl` files in the canonical layout, checks that they are in it
//! (`--check`), or formats standard input to standard output (`--stdin`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use portolan::Database;
use portolan::load::{self, Limits, LoadProblem, OsSystem};

use crate::EXIT_USAGE;
use crate::error::{Result, error};

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
            Err(()) => failed = true,
        }
    }
    if args.check {
        let mut stdout = std::io::stdout().lock();
        for file in &unformatted {
            let _ = writeln!(stdout, "{}", load::display(file));
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
        error!("cannot read standard input: {err}").print();
        return ExitCode::from(EXIT_USAGE);
    }
    let formatted = portolan_fmt::format(&text);
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
            error!("cannot write standard output: {err}").print();
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The files to format: named files as they are, and the `.ptl` files under named folders as
/// the loader finds them (the same skip rules and limits as `portolan check`). What the loader
/// leaves out is reported, and makes the command fail.
fn files(paths: &[PathBuf], failed: &mut bool) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let found = load::walk(&OsSystem, path, &Limits::DEFAULT);
        report(&found.problems);
        *failed |= !found.problems.is_empty();
        files.extend(found.files);
    }
    files
}

/// Prints what the loader reported, as `portolan check` prints it.
fn report(problems: &[LoadProblem]) {
    if problems.is_empty() {
        return;
    }
    let db = Database::new();
    let diagnostics: Vec<_> = problems.iter().map(|p| portolan::check::not_loaded::diagnostic(&db, p)).collect();
    eprint!("{}", portolan::render::human(&db, &diagnostics, false));
}

/// Formats one file; true when it was not formatted (and, without `check`, has been rewritten).
/// A file the loader cannot read whole (too large, unreadable, not UTF-8) is reported, not
/// formatted.
fn format_file(path: &Path, check: bool) -> std::result::Result<bool, ()> {
    if let Err(err) = std::fs::metadata(path) {
        error!("cannot read `{}`: {err}", load::display(path)).print();
        return Err(());
    }
    let read = load::read_file(&OsSystem, path, &Limits::DEFAULT);
    if let Some(problem) = read.problem {
        report(&[problem]);
        eprintln!("`{}` was not formatted", load::display(path));
        return Err(());
    }
    let text = read.text;
    let formatted = portolan_fmt::format(&text);
    if formatted == text {
        return Ok(false);
    }
    if !check && let Err(err) = crate::write::replace(path, formatted.as_bytes()) {
        error!("cannot write `{}`: {err}", path.display()).print();
        return Err(());
    }
    Ok(true)
}
