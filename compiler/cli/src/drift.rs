//! `portolan drift SPEC --host H (--nft FILE | --iptables FILE | --ip6tables FILE)`: compares
//! a host's live ruleset with the rules the spec builds for it (`portolan-drift`). FILE may be
//! `-` for standard input. Exit 0 in sync, 1 drifted, 2 when the spec has errors, the host is
//! not one of it, or the listing cannot be read (with the line or JSON path).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Args, ValueEnum};
use portolan_drift::{Family, Live, Unreadable};

use crate::error::{CliError, Result, error};
use crate::load::load;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DriftFormat {
    /// The differences, one a line, in the spec's words.
    Human,
    /// One JSON object on stdout.
    Json,
}

#[derive(Args)]
#[command(group(ArgGroup::new("listing").required(true).args(["nft", "iptables", "ip6tables"])))]
pub struct DriftArgs {
    /// The spec: a `.ptl` file, or a folder whose `.ptl` files form one spec.
    pub spec: PathBuf,
    /// The host whose ruleset this is: a node of the spec.
    #[arg(long)]
    pub host: String,
    /// The output of `nft -j list ruleset` (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub nft: Option<PathBuf>,
    /// The output of `iptables-save` (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub iptables: Option<PathBuf>,
    /// The output of `ip6tables-save` (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    pub ip6tables: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: DriftFormat,
}

fn read(path: &Path) -> Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| error!("cannot read standard input: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| error!("cannot read `{}`: {e}", path.display()))
}

pub fn run(args: &DriftArgs) -> Result<ExitCode> {
    type Parse = fn(&str) -> std::result::Result<Live, Unreadable>;
    let (path, parse, what, command): (&PathBuf, Parse, &str, &str) = match (&args.nft, &args.iptables, &args.ip6tables)
    {
        (Some(p), _, _) => (p, portolan_drift::parse_nft, "`nft -j list ruleset` JSON", "nft -j list ruleset"),
        (_, Some(p), _) => {
            (p, |t| portolan_drift::parse_iptables(t, Family::V4), "`iptables-save` output", "iptables-save")
        }
        (_, _, Some(p)) => {
            (p, |t| portolan_drift::parse_iptables(t, Family::V6), "`ip6tables-save` output", "ip6tables-save")
        }
        _ => return Err(CliError::new("drift needs `--nft`, `--iptables` or `--ip6tables`")),
    };
    let spec = load(&args.spec)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut diagnostics = spec.problems.clone();
    diagnostics.extend(portolan::collect::diagnostics_parallel(&spec.db, threads));
    let errors = |d: &[portolan::Diagnostic]| d.iter().any(|d| d.severity == portolan::Severity::Error);
    if errors(&diagnostics) {
        return Err(error!("`{}` has errors: drift compares with a spec that checks", args.spec.display())
            .tip(format!("run `portolan check {}`", args.spec.display())));
    }
    let export = portolan::export::export(&spec.db);
    let expected = portolan_drift::expected(&export.model, &args.host).map_err(CliError::new)?;
    if args.ip6tables.is_some() && !expected.ipv6 {
        return Err(error!(
            "no IPv6 appears in the rules of `{}`: the spec builds no `.ip6tables` file for it",
            args.host
        )
        .tip("compare its IPv4 rules with `--iptables`, or its whole ruleset with `--nft`"));
    }
    let text = read(path)?;
    let shown = if path == Path::new("-") { "standard input".to_string() } else { format!("`{}`", path.display()) };
    let live = parse(&text).map_err(|e| {
        error!("cannot read {shown} as {what}: {e}")
            .tip(format!("give the listing as `{command}` prints it: `{command} > FILE`"))
    })?;
    let report = portolan_drift::compare(&expected, &live);
    let out = match args.format {
        DriftFormat::Human => report.human(),
        DriftFormat::Json => report.json(),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    Ok(ExitCode::from(report.exit_code()))
}
