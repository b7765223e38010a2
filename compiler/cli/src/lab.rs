//! `portolan lab`: checks a spec, then proves its rules on a real kernel in network namespaces
//! (`portolan-lab`): exit 0 when every probe matches the spec, 1 on a mismatch (each explained),
//! 2 when the lab cannot run (not root, a tool missing, no namespaces) or the spec has errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use portolan_lab::{Options, Rules};

use crate::error::{CliError, Result};
use crate::load::load;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesArg {
    /// `nftables/HOST.nft`, loaded with `nft -f`.
    Nftables,
    /// `iptables/HOST.iptables` and `.ip6tables`, loaded with `iptables-restore` and `ip6tables-restore`.
    Iptables,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LabFormat {
    /// The matrix, the mismatches explained and a summary.
    Human,
    /// One JSON object on stdout.
    Json,
}

#[derive(Args)]
pub struct LabArgs {
    /// The spec: a `.ptl` file, or a folder whose `.ptl` files form one spec.
    pub path: PathBuf,
    /// Which rule files to load.
    #[arg(long, value_enum, default_value = "nftables")]
    pub rules: RulesArg,
    #[arg(long, value_enum, default_value = "human")]
    pub format: LabFormat,
    /// Give up (cleaning up) after this many seconds.
    #[arg(long, default_value_t = 600)]
    pub timeout: u64,
}

pub fn run(args: &LabArgs) -> Result<ExitCode> {
    let rules = match args.rules {
        RulesArg::Nftables => Rules::Nftables,
        RulesArg::Iptables => Rules::Iptables,
    };
    portolan_lab::preflight(rules)
        .map_err(|e| CliError::new(format!("the lab cannot run: {}", e.message)).tip(e.tip))?;
    let spec = load(&args.path)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut diagnostics = spec.problems.clone();
    diagnostics.extend(portolan::collect::diagnostics_parallel(&spec.db, threads));
    let errors = |d: &[portolan::Diagnostic]| d.iter().any(|d| d.severity == portolan::Severity::Error);
    let export = (!errors(&diagnostics)).then(|| portolan::export::export(&spec.db));
    if let Some(export) = &export {
        diagnostics.extend(export.rule_problems.iter().map(|d| d.absolute(&spec.db)));
    }
    if errors(&diagnostics) || export.is_none() {
        eprint!(
            "{}{}",
            portolan::render::human(&spec.db, &diagnostics, false),
            portolan::render::summary(&diagnostics)
        );
        return Err(
            CliError::new("the lab cannot run: the spec has errors").tip("fix them; `portolan check` lists them")
        );
    }
    let Some(export) = export else { return Ok(ExitCode::from(crate::EXIT_USAGE)) };
    // Ctrl-C and termination: delete the lab's namespaces before leaving.
    let _ = ctrlc::set_handler(|| {
        portolan_lab::cleanup();
        eprintln!("interrupted: the lab's namespaces were deleted");
        std::process::exit(130);
    });
    let mut options = Options::new(rules);
    options.deadline = std::time::Duration::from_secs(args.timeout);
    options.progress = true;
    let report = portolan_lab::run(&export.model, &options)
        .map_err(|e| CliError::new(format!("the lab cannot run: {}", e.message)).tip(e.tip))?;
    match args.format {
        LabFormat::Human => print!("{}", report.human()),
        LabFormat::Json => print!("{}", report.json()),
    }
    Ok(ExitCode::from(report.exit_code()))
}
