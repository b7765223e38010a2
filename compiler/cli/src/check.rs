//! `portolan check`: diagnostics for one or more specs, as text, JSON or SARIF.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use portolan::load::Spec;
use portolan::{Database, Diagnostic, Severity, render};

use crate::error::Result;
use crate::load::load;
use crate::{ColorChoice, Deny, Format};

#[derive(Args)]
pub struct CheckArgs {
    /// Files or folders; each is one spec. Default: the current folder.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// How diagnostics are printed and which fail the command: shared by `check` and `build`.
#[derive(Args)]
pub struct ReportArgs {
    /// How diagnostics are printed: human (text with source snippets), json or sarif (on stdout).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fail on warnings too (`check` exits 1, `build` writes nothing).
    #[arg(long, value_enum)]
    pub deny: Vec<Deny>,
    /// When human output is coloured: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

impl ReportArgs {
    /// True when these diagnostics fail the command: errors, or warnings under `--deny warnings`.
    pub fn fails<'a>(&self, diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> bool {
        let (mut errors, mut warnings) = (false, false);
        for diagnostic in diagnostics {
            errors |= diagnostic.severity == Severity::Error;
            warnings |= diagnostic.severity == Severity::Warning;
        }
        errors || (warnings && self.deny.contains(&Deny::Warnings))
    }

    /// The diagnostics of one spec, rendered in the chosen format.
    pub fn render(&self, db: &Database, diagnostics: &[Diagnostic]) -> String {
        render_all(&[(db, diagnostics)], self.format, color(self.color))
    }
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut specs: Vec<(Spec, Vec<Diagnostic>)> = Vec::new();
    for path in &paths {
        let spec = load(path)?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut diagnostics = spec.problems.clone();
        diagnostics.extend(portolan::collect::diagnostics_parallel(&spec.db, threads));
        specs.push((spec, diagnostics));
    }
    let views: Vec<(&Database, &[Diagnostic])> = specs.iter().map(|(s, d)| (&s.db, d.as_slice())).collect();
    let text = render_all(&views, args.report.format, color(args.report.color));
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    let fails = args.report.fails(specs.iter().flat_map(|(_, d)| d));
    // The process ends here: freeing every query's memo one by one would take a tenth of a
    // large spec's checking time, for memory the operating system reclaims at once.
    std::mem::forget(specs);
    Ok(if fails { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Whether to colour standard output.
pub fn color(choice: ColorChoice) -> bool {
    choice.colors(std::io::stdout().is_terminal())
}

/// Renders the diagnostics of every spec as one document.
pub fn render_all(specs: &[(&Database, &[Diagnostic])], format: Format, color: bool) -> String {
    match format {
        Format::Human => {
            let mut text = String::new();
            let mut everything = Vec::new();
            for (db, diagnostics) in specs {
                text.push_str(&render::human(*db, diagnostics, color));
                everything.extend(diagnostics.iter().cloned());
            }
            text.push_str(&render::summary(&everything));
            text
        }
        Format::Json => {
            let mut all = Vec::new();
            for (db, diagnostics) in specs {
                all.extend(render::json_values(*db, diagnostics));
            }
            let mut text = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into());
            text.push('\n');
            text
        }
        Format::Sarif => {
            let runs: Vec<_> = specs.iter().map(|(db, diagnostics)| render::sarif_run(*db, diagnostics)).collect();
            render::sarif_log(runs)
        }
    }
}
