//! The Portolan language server: diagnostics, hover, navigation, rename, outline, completion,
//! quick fixes, inlay hints, semantic tokens, folding and formatting over LSP, on the same
//! incremental database as the `portolan` command. `portolan lsp` runs [`run_stdio`].
//!
//! Only this crate knows LSP types: the editor features are `portolan_ide`, with byte offsets;
//! `convert` turns those into UTF-16 positions.

mod convert;
mod guard;
mod handlers;
mod server;
mod state;
mod stdlib;
mod wire;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tower_lsp_server::{ClientSocket, LspService};

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

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The client sent `shutdown` before `exit` or the end of the input.
    AfterShutdown,
    /// `exit`, or the end of the input, came without `shutdown` first.
    WithoutShutdown,
}

/// Serves LSP over stdin and stdout until the client says `exit` or closes stdin. Malformed
/// input is answered with JSON-RPC errors and never ends the server.
pub fn run_stdio() -> std::io::Result<Ended> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let (service, socket) = service(Options::default());
    let shut_down = service.inner().shut_down();
    runtime.block_on(wire::serve(std::io::stdin(), std::io::stdout(), service, socket));
    // Every request has been answered; work a cancelled request left running is not waited for.
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(if shut_down.load(Ordering::SeqCst) { Ended::AfterShutdown } else { Ended::WithoutShutdown })
}
