//! `portolan lsp`: the language server, speaking LSP over stdin and stdout.

use std::process::ExitCode;

use crate::error::{Result, error};
use clap::Args;

#[derive(Args)]
pub struct LspArgs {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

/// Exit status 0 after `shutdown`, 1 when the client exits or goes away without it (as LSP says).
pub fn run(_args: &LspArgs) -> Result<ExitCode> {
    let ended = portolan_lsp::run_stdio().map_err(|e| error!("the language server could not start: {e}"))?;
    Ok(match ended {
        portolan_lsp::Ended::AfterShutdown => ExitCode::SUCCESS,
        portolan_lsp::Ended::WithoutShutdown => ExitCode::FAILURE,
    })
}
