//! `portolan query SPEC --from X --to Y[:port] [--on tcp/443]`: which flows and hops connect two
//! places of a checked spec, and the rule deciding each hop. Exit 0 when something connects
//! them, 1 when nothing does, 2 when the query cannot run.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use portolan::Severity;
use portolan::query::{Place, Query, answer, human, model, parse_ports};

use crate::error::{CliError, Result};
use crate::load::load;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// Sentences, one hop a line.
    Human,
    /// One JSON object on stdout.
    Json,
}

#[derive(Args)]
pub struct QueryArgs {
    /// The spec: a `.ptl` file or a folder.
    pub spec: PathBuf,
    /// Where connections come from: a node, a zone, an address or `any` (default `any`).
    #[arg(long)]
    pub from: Option<String>,
    /// Where they go: a node, a zone, an address or `any`, optionally `:port` (a port name of the
    /// node, or a number) (default `any`).
    #[arg(long)]
    pub to: Option<String>,
    /// Only hops on these ports: `tcp/443`, `udp/53`, `tcp/8000..8010`.
    #[arg(long)]
    pub on: Option<String>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: QueryFormat,
}

pub fn run(args: &QueryArgs) -> Result<ExitCode> {
    if args.from.is_none() && args.to.is_none() {
        return Err(CliError::new("a query needs `--from`, `--to` or both")
            .tip("`portolan query SPEC --from internet --to db:tds`"));
    }
    let spec = load(&args.spec)?;
    let mut diagnostics = spec.problems.clone();
    diagnostics.extend(portolan::diagnostics(&spec.db));
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(CliError::new(format!("`{}` has errors: a query reads a spec that checks", args.spec.display()))
            .tip(format!("run `portolan check {}`", args.spec.display())));
    }
    let model = model(&spec.db);
    let place = |text: &str| Place::parse(&model, text).map_err(CliError::new);
    let from = match &args.from {
        Some(text) => place(text)?,
        None => Place::Any,
    };
    let (to, to_port) = match &args.to {
        Some(text) => match text.rsplit_once(':') {
            // An IPv6 address has colons of its own; a port follows the last one only when
            // what precedes it is a name of the spec.
            Some((name, port)) if Place::parse(&model, name).is_ok() && !port.is_empty() => {
                (place(name)?, Some(port.to_string()))
            }
            _ => (place(text)?, None),
        },
        None => (Place::Any, None),
    };
    let on = match &args.on {
        Some(text) => Some(parse_ports(text).ok_or_else(|| {
            CliError::new(format!("`{text}` is not a port")).tip("write `tcp/443`, `udp/53` or `tcp/8000..8010`")
        })?),
        None => None,
    };
    let query = Query { from, to, to_port, on };
    let found = answer(&spec.db, &model, &query);
    let mut text = match args.format {
        QueryFormat::Human => {
            let mut asked = format!(
                "from `{}` to `{}`",
                args.from.as_deref().unwrap_or("any"),
                args.to.as_deref().unwrap_or("any")
            );
            if let Some(on) = &args.on {
                asked.push_str(&format!(" on {on}"));
            }
            human(&asked, &found)
        }
        QueryFormat::Json => serde_json::to_string_pretty(&found).unwrap_or_else(|_| "{}".into()) + "\n",
    };
    if text.is_empty() {
        text.push('\n');
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    Ok(if found.reachable { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
