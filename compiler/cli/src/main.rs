//! The `portolan` command: one binary for checking, explaining, building and editing specs.

mod build;
mod check;
mod diff;
mod drift;
mod error;
mod explain;
mod fmt;
mod git;
mod lab;
mod load;
mod lsp;
mod query;
mod write;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Portolan: network components, zones and flows, checked and compiled.
#[derive(Parser)]
#[command(name = "portolan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a spec: a `.ptl` file, or a folder whose `.ptl` files form one spec.
    Check(check::CheckArgs),
    /// Build a spec's outputs: firewall rules, port matrices, diagrams, the model as JSON.
    Build(build::BuildArgs),
    /// Explain a diagnostic code (`P201` or `unmatched-output`), with an example and its fix.
    Explain(explain::ExplainArgs),
    /// Format `.ptl` files in the canonical layout (`--check` only reports, `--stdin` filters).
    Fmt(fmt::FmtArgs),
    /// Run the language server (LSP over stdin and stdout), for editors.
    Lsp(lsp::LspArgs),
    /// Show what changed between two specs (folders or git revisions): flows, hops, nodes,
    /// zones, policy rules and each host's firewall rules.
    Diff(diff::DiffArgs),
    /// Ask what connects two places (nodes, zones, addresses, `any`) and which rule decides each hop.
    Query(query::QueryArgs),
    /// Prove a spec's rules on a real kernel: network namespaces, the rules loaded, every hop
    /// probed (Linux, root).
    Lab(lab::LabArgs),
    /// Compare a host's live ruleset (`nft -j list ruleset`, `iptables-save`) with the rules the
    /// spec builds for it.
    Drift(drift::DriftArgs),
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text with source snippets (coloured on a terminal).
    Human,
    /// A JSON array on stdout.
    Json,
    /// A SARIF 2.1.0 log on stdout, for code-scanning annotations.
    Sarif,
}

/// When to colour human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless the NO_COLOR environment variable is set.
    Auto,
    /// Always, even when piped.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour what goes to a stream that is (`terminal`) or is not a terminal.
    pub fn colors(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none() && terminal,
        }
    }
}

/// What `--deny` can turn into errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Exit 1 when there are warnings.
    Warnings,
}

/// Exit code 2: the command could not run (bad arguments, unreadable files).
pub const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return match err.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(EXIT_USAGE),
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Lab(args) => lab::run(&args),
        Command::Drift(args) => drift::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            error.print();
            ExitCode::from(EXIT_USAGE)
        }
    }
}
