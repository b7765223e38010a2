//! The language server's latency: from a `didChange` to the diagnostics it publishes for that
//! change, through the server's real service (JSON-RPC in, notifications out) on the runtime
//! `portolan lsp` uses: on a 10,000-line file, and on a 100,000-flow workspace of 200 zones whose
//! policy has one rule per pair of zones (an edit to a flow, and an edit to a rule).

#![allow(clippy::expect_used, clippy::panic)] // a benchmark that cannot run stops with a message

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use futures::StreamExt;
use portolan_bench::{Policy, Size, generate};
use portolan_lsp::{Backend, Options};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::Request;
use tower_lsp_server::ls_types::Uri;

/// Flows in the edited file: with its `use` lines, a little over 10,000 lines.
const FLOWS: usize = 10_000;

/// A server with the synthetic spec's folder open at one of its files.
struct Session {
    service: LspService<Backend>,
    sent: mpsc::UnboundedReceiver<Value>,
    uri: String,
    version: i32,
    /// The line edited, and the column after which `x` is typed and deleted in turn.
    line: usize,
    column: usize,
    _folder: tempfile::TempDir,
    _stdlib: tempfile::TempDir,
}

impl Session {
    /// A server on the spec of `size`, the file `edited` open; `x` is typed `offset` bytes after
    /// where `marker` starts in a line of that file.
    async fn start(size: Size, edited: &str, marker: &str, offset: usize) -> Session {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let mut edited_file = None;
        for (path, text) in generate(size) {
            // One folder is one spec for the server: every file sits beside the others.
            let name = path.rsplit('/').next().unwrap_or(&path).to_string();
            std::fs::write(folder.path().join(&name), &text).expect("write");
            if path == edited {
                edited_file = Some((name, text));
            }
        }
        let (name, text) = edited_file.expect("the generator writes the edited file");
        // A line in the middle of the file: `x` typed after a name makes it unresolved (P101);
        // deleting it makes the file clean again. Each edit changes the diagnostics, so each is
        // published.
        let lines: Vec<&str> = text.lines().collect();
        let (line, column) = (lines.len() / 2..lines.len())
            .find_map(|n| Some((n, lines[n].find(marker)? + offset)))
            .expect("a line to edit");

        let stdlib = tempfile::tempdir().expect("a temporary folder");
        let (service, mut socket) = portolan_lsp::service(Options { stdlib_dir: Some(stdlib.path().to_path_buf()) });
        let (sink, sent) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(message) = socket.next().await {
                let _ = sink.send(serde_json::to_value(&message).expect("a message is JSON"));
            }
        });
        let uri = uri_of(&folder.path().join(&name));
        let mut session = Session { service, sent, uri, version: 1, line, column, _folder: folder, _stdlib: stdlib };
        session.call("initialize", json!({ "capabilities": {} }), true).await;
        session.call("initialized", json!({}), false).await;
        let open = json!({ "textDocument": {
            "uri": session.uri, "languageId": "portolan", "version": 1, "text": text } });
        session.call("textDocument/didOpen", open, false).await;
        let first = session.published().await;
        assert_eq!(first["diagnostics"], json!([]), "the synthetic spec checks clean");
        session
    }

    async fn call(&mut self, method: &str, params: Value, id: bool) {
        let mut request = Request::build(method.to_string()).params(params);
        if id {
            request = request.id(1);
        }
        let service = self.service.ready().await.expect("the server is running");
        service.call(request.finish()).await.expect("the server has not exited");
    }

    /// The next diagnostics published for the edited file.
    async fn published(&mut self) -> Value {
        loop {
            let message = self.sent.recv().await.expect("the server is running");
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == self.uri.as_str() {
                return message["params"].clone();
            }
        }
    }

    /// Types or deletes the `x`, and waits for the diagnostics of that version.
    async fn edit(&mut self) -> Duration {
        self.version += 1;
        let typing = self.version % 2 == 0;
        let (line, column) = (self.line, self.column);
        let change = if typing {
            json!({ "range": { "start": { "line": line, "character": column },
                               "end": { "line": line, "character": column } }, "text": "x" })
        } else {
            json!({ "range": { "start": { "line": line, "character": column },
                               "end": { "line": line, "character": column + 1 } }, "text": "" })
        };
        let params =
            json!({ "textDocument": { "uri": self.uri, "version": self.version }, "contentChanges": [change] });
        let start = Instant::now();
        self.call("textDocument/didChange", params, false).await;
        loop {
            let published = self.published().await;
            if published["version"] == self.version {
                let errors = published["diagnostics"].as_array().map_or(0, Vec::len);
                assert_eq!(errors, usize::from(typing), "{published}");
                return start.elapsed();
            }
        }
    }
}

fn uri_of(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Uri::from_file_path(path).expect("an absolute path").as_str().to_string()
}

/// The runtime `portolan lsp` serves on: two worker threads.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime")
}

fn bench_edits(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    session: &mut Session,
    runtime: &tokio::runtime::Runtime,
) {
    group.bench_function(name, |b| {
        b.iter_custom(|iterations| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    total += session.edit().await;
                }
                total
            })
        });
    });
}

fn did_change_to_diagnostics(c: &mut Criterion) {
    let runtime = runtime();
    // A flow's target port name in the middle of a 10,000-line flow file.
    let mut session = runtime.block_on(Session::start(Size::new(FLOWS, 1), "flows/flows_000.ptl", ".api ", 4));
    let mut group = c.benchmark_group("lsp");
    group.sample_size(50);
    bench_edits(&mut group, "did_change_to_diagnostics_10k_lines", &mut session, &runtime);
    group.finish();
}

/// The workspace of the policy benchmarks: 100,000 flows over 100 files, 200 zones, one `allow`
/// per pair of zones that flows use (about 34,000 rules).
fn policy_workspace() -> Size {
    Size { flows: 100_000, files: 100, zones: 200, policy: Policy::PerZonePair }
}

fn policy_edits(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = c.benchmark_group("lsp_policy");
    group.sample_size(10);
    // A flow's target port name, in one of the 100 flow files.
    let mut session = runtime.block_on(Session::start(policy_workspace(), "flows/flows_050.ptl", ".api ", 4));
    bench_edits(&mut group, "flow_edit_100k_flows_34k_rules", &mut session, &runtime);
    drop(session);
    // A rule's destination zone, in the middle of the policy.
    let mut session = runtime.block_on(Session::start(policy_workspace(), "policy.ptl", " on https", 0));
    bench_edits(&mut group, "policy_edit_100k_flows_34k_rules", &mut session, &runtime);
    group.finish();
}

criterion_group!(benches, did_change_to_diagnostics, policy_edits);
criterion_main!(benches);
