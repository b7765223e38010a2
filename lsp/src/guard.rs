//! Running a request's work: on a snapshot, off the async runtime, retried when an edit cancels
//! it, and with any panic turned into an error response instead of a dead server.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tower_lsp_server::jsonrpc::{Error, ErrorCode};
use tower_lsp_server::ls_types::Uri;

use crate::state::{Snapshot, State};

/// How often a request cancelled by edits is retried before it answers `ContentModified`.
const ATTEMPTS: usize = 3;

/// What running some work came to.
pub enum Outcome<T> {
    Done(T),
    /// Salsa cancelled it: an edit came in while it ran.
    Cancelled,
    /// It panicked; the message says why.
    Panicked(String),
}

/// Runs `work`, catching salsa's cancellation and any panic.
pub fn run<T>(work: impl FnOnce() -> T) -> Outcome<T> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => Outcome::Done(value),
        Err(payload) if payload.is::<salsa::Cancelled>() => Outcome::Cancelled,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_string());
            Outcome::Panicked(message)
        }
    }
}

/// Locks the state, even after a panic while it was held (its data stays consistent: each
/// edit is one `set_file`).
pub fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The error answered when the server failed on a request.
pub fn internal(message: &str) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: format!("the Portolan server failed: {message}").into(),
        data: None,
    }
}

/// The error answered when a request cannot be done (LSP `RequestFailed`).
pub fn failed(message: String) -> Error {
    Error { code: ErrorCode::ServerError(-32803), message: message.into(), data: None }
}

/// Runs `work` on snapshots taken by `take`; `Ok(None)` when there is nothing to read.
async fn with_snapshots<T, F>(
    state: &Arc<Mutex<State>>,
    take: impl Fn(&State) -> Option<Vec<Snapshot>>,
    work: F,
) -> Result<Option<T>, Error>
where
    F: Fn(&[Snapshot]) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
    let work = Arc::new(work);
    for _ in 0..ATTEMPTS {
        // The lock is released before the work runs: an edit waiting for it cancels the work.
        let Some(snapshots) = take(&lock(state)) else { return Ok(None) };
        let work = work.clone();
        let outcome = tokio::task::spawn_blocking(move || run(|| work(&snapshots))).await;
        match outcome {
            Ok(Outcome::Done(value)) => return Ok(Some(value)),
            Ok(Outcome::Cancelled) => continue,
            Ok(Outcome::Panicked(message)) => return Err(internal(&message)),
            Err(join) => return Err(internal(&join.to_string())),
        }
    }
    Err(Error::content_modified())
}

/// Runs `work` on a snapshot of the spec holding `uri`; `Ok(None)` for an unknown document.
pub async fn read<T, F>(state: &Arc<Mutex<State>>, uri: &Uri, work: F) -> Result<Option<T>, Error>
where
    F: Fn(&Snapshot) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
    let result = with_snapshots(
        state,
        |s| s.snapshot(uri).map(|snapshot| vec![snapshot]),
        move |snapshots| snapshots.first().map(&work),
    )
    .await?;
    Ok(result.flatten())
}

/// Runs `work` on a snapshot of every spec.
pub async fn read_all<T, F>(state: &Arc<Mutex<State>>, work: F) -> Result<Option<T>, Error>
where
    F: Fn(&[Snapshot]) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
    with_snapshots(state, |s| Some(s.all_snapshots()), work).await
}
