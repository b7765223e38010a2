//! The Portolan language server: diagnostics, hover, navigation, rename, outline, completion,
//! quick fixes, inlay hints, semantic tokens, folding and formatting over LSP, on the same
//! incremental database as the `portolan` command. `portolan lsp` runs [`run_stdio`].
//!
//! Only this crate knows LSP types: the editor features are `portolan::ide`, with byte offsets;
//! `convert` turns those into UTF-16 positions.

mod convert;
mod guard;
mod handlers;
mod server;
mod state;
mod stdlib;

use std::path::PathBuf;

use tower_lsp_server::{ClientSocket, LspService, Server};

pub use crate::server::Backend;
pub use crate::stdlib::StdlibDir;

/// How a server is set up.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Where the standard library's sources are written for the editor; the user's cache folder
    /// when `None`.
    pub stdlib_dir: Option<PathBuf>,
}

/// The server as a service, for a transport or a test to drive.
pub fn service(options: Options) -> (LspService<server::Backend>, ClientSocket) {
    let root = options.stdlib_dir.unwrap_or_else(StdlibDir::default_root);
    let stdlib = StdlibDir::install(root);
    LspService::new(|client| server::Backend::new(client, state::State::new(stdlib)))
}

/// Serves LSP over stdin and stdout until the client says `exit`.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let (service, socket) = service(Options::default());
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
    });
    Ok(())
}
