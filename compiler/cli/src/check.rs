//! `portolan check`: diagnostics for one or more specs, as text, JSON or SARIF.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use miette::Result;
use portolan::{Database, Diagnostic, Severity, render};

use crate::load::{Spec, load};
use crate::{ColorChoice, Deny, Format};

#[derive(Args)]
pub struct CheckArgs {
    /// Files or folders; each is one spec. Default: the current folder.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Exit 1 on warnings too.
    #[arg(long, value_enum)]
    pub deny: Vec<Deny>,
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut specs: Vec<(Spec, Vec<Diagnostic>)> = Vec::new();
    for path in &paths {
        let spec = load(path)?;
        let diagnostics = portolan::diagnostics(&spec.db);
        specs.push((spec, diagnostics));
    }
    let views: Vec<(&Database, &[Diagnostic])> = specs.iter().map(|(s, d)| (&s.db, d.as_slice())).collect();
    let text = render_all(&views, args.format, color(args.color));
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    let all: Vec<&Diagnostic> = specs.iter().flat_map(|(_, d)| d).collect();
    let errors = all.iter().any(|d| d.severity == Severity::Error);
    let warnings = all.iter().any(|d| d.severity == Severity::Warning);
    Ok(if errors || (warnings && args.deny.contains(&Deny::Warnings)) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

pub fn color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    }
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
