//! `portolan build`: checks a spec, refuses to emit when it has errors, then writes each
//! target's files as one transaction (`write/`: all generated first, then staged, then
//! renamed, stale files of earlier builds removed, or nothing changed at all), or with
//! `--check` compares them with what is in the output folder and prints a unified diff.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use portolan_emit::{AerleonPlatform, Options, Output, Target, emit_with};

use crate::Format;
use crate::check::ReportArgs;
use crate::error::{Result, error};
use crate::load::load;
use crate::write;

#[derive(Args)]
pub struct BuildArgs {
    /// The spec: a `.ptl` file, or a folder whose `.ptl` files form one spec.
    pub path: PathBuf,
    /// What to write, comma-separated: json, nftables, iptables, aerleon, markdown, html, dot,
    /// mermaid, svg, probes.
    #[arg(long, value_delimiter = ',', required = true, value_parser = parse_target)]
    pub emit: Vec<Target>,
    /// Aerleon's platforms for `--emit aerleon`: nftables (the default), iptables, juniper, srx,
    /// cisco, paloalto, k8s, gce.
    #[arg(long, value_name = "PLATFORM", value_delimiter = ',', value_parser = parse_platform)]
    pub aerleon_target: Option<Vec<AerleonPlatform>>,
    /// The folder to write into (created when missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Write nothing; exit 1 with a unified diff when the files in the folder differ from what
    /// would be written.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

fn parse_target(text: &str) -> std::result::Result<Target, String> {
    Target::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
        format!("unknown target `{text}`; the targets are {}", names.join(", "))
    })
}

fn parse_platform(text: &str) -> std::result::Result<AerleonPlatform, String> {
    AerleonPlatform::parse(text).ok_or_else(|| {
        let names: Vec<&str> = AerleonPlatform::ALL.iter().map(|p| p.name()).collect();
        format!("unknown Aerleon platform `{text}`; the platforms are {}", names.join(", "))
    })
}

/// The spec's name, which titles the documents: its folder's name, or its file's stem.
fn spec_name(path: &std::path::Path) -> Option<String> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let name = if path.is_dir() { path.file_name() } else { path.file_stem() };
    name.map(|n| n.to_string_lossy().into_owned())
}

pub fn run(args: &BuildArgs) -> Result<ExitCode> {
    let mut targets = args.emit.clone();
    targets.sort();
    targets.dedup();
    let options = match &args.aerleon_target {
        Some(_) if !targets.contains(&Target::Aerleon) => {
            return Err(error!("`--aerleon-target` chooses Aerleon's platforms: it needs `--emit aerleon`"));
        }
        Some(platforms) => Options { aerleon: platforms.clone() },
        None => Options::default(),
    };
    let spec = load(&args.path)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut diagnostics = spec.problems.clone();
    diagnostics.extend(portolan::collect::diagnostics_parallel(&spec.db, threads));
    let report = &args.report;
    let export = if report.fails(&diagnostics) { None } else { Some(portolan::export::export(&spec.db)) };
    if let Some(export) = &export
        && targets.iter().any(|t| t.writes_rules())
    {
        diagnostics.extend(export.rule_problems.iter().map(|d| d.absolute(&spec.db)));
    }
    let stop = report.fails(&diagnostics);
    if stop || !diagnostics.is_empty() {
        let text = report.render(&spec.db, &diagnostics);
        let mut out = if matches!(report.format, Format::Human) && !stop {
            Box::new(std::io::stderr().lock()) as Box<dyn Write>
        } else {
            Box::new(std::io::stdout().lock())
        };
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
    let Some(export) = export.filter(|_| !stop) else {
        eprintln!("nothing was written: fix the errors above and build again");
        return Ok(ExitCode::from(1));
    };

    let name = spec_name(&args.path);
    let mut outputs: Vec<(Target, Output)> = Vec::new();
    for &target in &targets {
        let files = emit_with(&export.model, target, name.as_deref(), &options)
            .map_err(|e| error!("cannot build `{}`: {e}", target.name()))?;
        outputs.extend(files.into_iter().map(|file| (target, file)));
    }
    outputs.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    let count = outputs.len();
    let plan = write::plan(&args.out, outputs, &targets)?;
    if args.check {
        if plan.is_empty() {
            eprintln!("{count} file(s) in `{}` are up to date", args.out.display());
            return Ok(ExitCode::SUCCESS);
        }
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(write::diff(&plan).as_bytes());
        let _ = stdout.flush();
        eprintln!("`{}` is out of date: run `portolan build` without `--check`", args.out.display());
        return Ok(ExitCode::from(1));
    }
    let done = write::write(&plan)?;
    for warning in &done.warnings {
        eprintln!("warning: {warning}");
    }
    let removed = match done.removed {
        0 => String::new(),
        n => format!(", removed {n} stale file(s) an earlier build wrote"),
    };
    eprintln!("wrote {} file(s) to `{}` ({} unchanged){removed}", done.written, args.out.display(), plan.unchanged);
    // As in `check`: the process ends here, and the operating system reclaims the memory at once.
    std::mem::forget((spec, export, plan));
    Ok(ExitCode::SUCCESS)
}
