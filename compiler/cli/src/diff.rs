//! `portolan diff OLD NEW [-- PATH]`, `portolan diff --base REV [-- PATH]`: what changed between
//! two specs — folders, or revisions of the spec at `PATH` in the current git repository (read
//! from git's objects, `git.rs`). Both sides are loaded, checked and exported on threads of their
//! own, then compared by `portolan-diff`. Exit 0, or 1 with `--exit-code` when anything changed;
//! 1 when a side has errors (reported on standard error); 2 when a side cannot be read.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use portolan::Severity;
use portolan::load::Spec;
use portolan_model::Model;

use crate::ColorChoice;
use crate::check::color;
use crate::error::{CliError, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Sections of `+`, `-` and `~` lines (coloured on a terminal).
    Human,
    /// A pull-request comment: a summary line, then tables.
    Markdown,
    /// One JSON object (`spec/diff.md`).
    Json,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The old spec: a folder (or file), or a git revision (`main`, `HEAD~1`) of the spec at PATH.
    #[arg(required_unless_present = "base")]
    pub old: Option<String>,
    /// The new spec: a folder (or file), or a git revision of the spec at PATH.
    #[arg(required_unless_present = "base")]
    pub new: Option<String>,
    /// Compare the spec at PATH as it is at this revision with the work tree.
    #[arg(long, conflicts_with_all = ["old", "new"])]
    pub base: Option<String>,
    /// After `--`: the spec in the repository, when OLD and NEW are revisions (default: the
    /// current folder).
    #[arg(last = true)]
    pub path: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiffFormat,
    /// Exit 1 when anything changed.
    #[arg(long)]
    pub exit_code: bool,
    /// When human output is coloured: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// Where one side of the diff is read from.
#[derive(Clone, Debug)]
enum Source {
    Disk(PathBuf),
    Revision(String, PathBuf),
}

impl Source {
    /// `examples/x`, `main:examples/x`.
    fn describe(&self) -> String {
        match self {
            Source::Disk(path) => portolan::load::display(path),
            Source::Revision(rev, path) => format!("{rev}:{}", portolan::load::display(path)),
        }
    }

    fn load(&self) -> Result<Spec> {
        match self {
            Source::Disk(path) => crate::load::load(path),
            Source::Revision(rev, path) => crate::git::load(rev, path),
        }
    }
}

/// What loading and checking one side gave: its model, or its errors rendered.
enum Side {
    Model(Box<Model>),
    Errors(String),
}

fn sources(args: &DiffArgs) -> (Source, Source) {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if let Some(base) = &args.base {
        return (Source::Revision(base.clone(), path.clone()), Source::Disk(path));
    }
    let side = |text: &str| {
        // Without `--`, an argument that exists on disk is a folder; anything else a revision.
        if args.path.is_none() && Path::new(text).exists() {
            Source::Disk(PathBuf::from(text))
        } else {
            Source::Revision(text.to_string(), path.clone())
        }
    };
    (side(args.old.as_deref().unwrap_or_default()), side(args.new.as_deref().unwrap_or_default()))
}

fn side(source: &Source, threads: usize, color: bool) -> Result<Side> {
    let spec = source.load()?;
    let mut diagnostics = spec.problems.clone();
    diagnostics.extend(portolan::collect::diagnostics_parallel(&spec.db, threads));
    let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.severity == Severity::Error).collect();
    let out = if errors.is_empty() {
        Side::Model(Box::new(portolan::export::export(&spec.db).model))
    } else {
        let mut text = portolan::render::human(&spec.db, &errors, color);
        text.push_str(&portolan::render::summary(&errors));
        Side::Errors(text)
    };
    // The process ends soon: the operating system reclaims the database's memory at once.
    std::mem::forget(spec);
    Ok(out)
}

pub fn run(args: &DiffArgs) -> Result<ExitCode> {
    let (old, new) = sources(args);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let each = threads.div_ceil(2);
    let stderr_color = color_for_stderr(args.color);
    let (before, after) = std::thread::scope(|scope| {
        let before = scope.spawn(|| side(&old, each, stderr_color));
        let after = side(&new, each, stderr_color);
        let before = before.join().unwrap_or_else(|_| Err(CliError::new("reading the old spec failed")));
        (before, after)
    });
    let (before, after) = (before?, after?);
    let (before, after) = match (before, after) {
        (Side::Model(before), Side::Model(after)) => (before, after),
        (before, after) => {
            for (name, side) in [(old.describe(), before), (new.describe(), after)] {
                if let Side::Errors(text) = side {
                    eprint!("{text}");
                    eprintln!("error: `{name}` has errors: a diff compares specs that check\n");
                }
            }
            return Ok(ExitCode::from(1));
        }
    };
    let diff = portolan_diff::diff(&before, &after);
    let text = match args.format {
        DiffFormat::Human => portolan_diff::human::render(&diff, color(args.color)),
        DiffFormat::Markdown => portolan_diff::markdown::render(&diff),
        DiffFormat::Json => diff.to_json(),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    std::mem::forget((before, after));
    Ok(if args.exit_code && diff.changed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn color_for_stderr(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    choice.colors(std::io::stderr().is_terminal())
}
