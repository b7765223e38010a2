//! `portolan lsp`: the language server, speaking LSP over stdin and stdout.

use std::process::ExitCode;

use clap::Args;
use miette::{IntoDiagnostic, Result, WrapErr};

#[derive(Args)]
pub struct LspArgs {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: &LspArgs) -> Result<ExitCode> {
    portolan_lsp::run_stdio().into_diagnostic().wrap_err("the language server could not start")?;
    Ok(ExitCode::SUCCESS)
}
