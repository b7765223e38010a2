//! Drives the language server in-process: JSON-RPC requests and notifications into its
//! `LspService`, answers and server-sent notifications out, as JSON.

#![allow(dead_code)] // each test file uses a part of the harness

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use futures::future::BoxFuture;
use portolan_lsp::{Backend, Options};
use serde_json::{Value, json};
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::Request;

/// The spec the tests open: two files of one folder, non-ASCII text on lines with names.
pub const COMPONENTS: &str = r#"//! Components of a small web application.

/// A reverse proxy in front of the application.
component Proxy "Reverse proxy" {
    /// Public HTTPS, relayed to the application.
    listen https: https relay
    listen admin: ssh optional "administration"
    connect app: https "application backend"
}

/// The application server.
component App "Application server" {
    /// The application's HTTPS port.
    param https_port: port = 8443 "APP_HTTPS_PORT"
    listen https: https on tcp/https_port
    connect db: tds "application database"
}

/// Microsoft SQL Server, default instance.
component Database "SQL Server" {
    listen tds: tds
}

/// People using the application: café customers 😀.
component Browser "Browser" {
    connect web: https
}
"#;

pub const SITE: &str = r#"//! A small deployment.
use components.*

zone internet "Internet 🌍" {
    trust untrusted
    node users[*] "Usérs 😀": Browser
}

zone dmz "DMZ" {
    trust dmz
    node proxy "Reverse proxy": Proxy { address 192.0.2.10 }
}

zone datacenter "Data center" {
    node app "Application": App {
        address 10.20.1.10
        https_port = 9443
    }
    node sql "Database": Database { address 10.20.2.5 }
}

flow users.web -> proxy.https "Route 1 — café"
flow proxy.app -> app.https "Route 2"
"#;

/// A test client attached to a fresh server.
pub struct Client {
    service: LspService<Backend>,
    next_id: i64,
    /// Everything the server sent on its own: notifications (diagnostics, log messages).
    sent: Arc<Mutex<Vec<Value>>>,
    pub folder: tempfile::TempDir,
    pub stdlib: tempfile::TempDir,
}

impl Client {
    /// A server with the test spec written to a fresh folder, initialized.
    pub async fn start() -> Client {
        let folder = tempfile::tempdir().expect("temporary folder");
        std::fs::write(folder.path().join("components.ptl"), COMPONENTS).expect("write");
        std::fs::write(folder.path().join("site.ptl"), SITE).expect("write");
        let stdlib = tempfile::tempdir().expect("temporary folder");
        let (service, mut socket) = portolan_lsp::service(Options { stdlib_dir: Some(stdlib.path().to_path_buf()) });
        let sent = Arc::new(Mutex::new(Vec::new()));
        let sink = sent.clone();
        tokio::spawn(async move {
            while let Some(message) = socket.next().await {
                let value = serde_json::to_value(&message).expect("a message is JSON");
                sink.lock().expect("lock").push(value);
            }
        });
        let mut client = Client { service, next_id: 0, sent, folder, stdlib };
        let answer = client.request("initialize", json!({ "capabilities": {} })).await;
        assert!(answer.get("result").is_some(), "{answer}");
        client.notify("initialized", json!({})).await;
        client
    }

    /// A started server with `site.ptl` open; and its URI.
    pub async fn with_site() -> (Client, String) {
        let mut client = Client::start().await;
        client.open("site.ptl", None).await;
        let uri = client.uri("site.ptl");
        (client, uri)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    pub fn uri(&self, name: &str) -> String {
        uri_of(&self.path(name))
    }

    /// Sends a request; returns the whole response (`result` or `error`).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let request = Request::build(method.to_string()).params(params).id(self.next_id).finish();
        self.call(request).await
    }

    /// Sends raw JSON as a request, for malformed messages.
    pub async fn raw(&mut self, message: Value) -> Value {
        let request: Request = serde_json::from_value(message).expect("a JSON-RPC request");
        self.call(request).await
    }

    async fn call(&mut self, request: Request) -> Value {
        let service = self.service.ready().await.expect("the server is running");
        let response = tokio::time::timeout(Duration::from_secs(30), service.call(request))
            .await
            .expect("the server answers within 30 s")
            .expect("the server has not exited");
        serde_json::to_value(response).expect("a response is JSON")
    }

    /// Sends a request (with an id) or a notification without waiting for its answer.
    pub async fn send(&mut self, method: &str, params: Value, request: bool) -> BoxFuture<'static, Value> {
        let mut builder = Request::build(method.to_string()).params(params);
        if request {
            self.next_id += 1;
            builder = builder.id(self.next_id);
        }
        let service = self.service.ready().await.expect("the server is running");
        let answer = service.call(builder.finish());
        Box::pin(async move { serde_json::to_value(answer.await.expect("the server has not exited")).expect("JSON") })
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let request = Request::build(method.to_string()).params(params).finish();
        let answer = self.call(request).await;
        assert_eq!(answer, Value::Null, "a notification gets no answer");
    }

    /// Opens a file of the test folder with its text on disk, or with `text`.
    pub async fn open(&mut self, name: &str, text: Option<&str>) {
        let text = match text {
            Some(text) => text.to_string(),
            None => std::fs::read_to_string(self.path(name)).expect("read"),
        };
        let uri = self.uri(name);
        let params = json!({ "textDocument": { "uri": uri, "languageId": "portolan", "version": 1, "text": text } });
        self.notify("textDocument/didOpen", params).await;
    }

    /// Every notification of this method sent so far.
    pub fn sent(&self, method: &str) -> Vec<Value> {
        let sent = self.sent.lock().expect("lock");
        sent.iter().filter(|m| m["method"] == method).map(|m| m["params"].clone()).collect()
    }

    /// Waits up to 10 s for a notification of this method whose parameters satisfy `wanted`.
    pub async fn wait_for(&self, method: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..1000 {
            if let Some(found) = self.sent(method).into_iter().find(|p| wanted(p)) {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no {method} notification as wanted: {:#?}", self.sent.lock().expect("lock"));
    }

    /// The latest diagnostics published for a file, waiting up to 10 s for `count` publications.
    pub async fn diagnostics(&self, name: &str, count: usize) -> Value {
        let uri = self.uri(name);
        for _ in 0..1000 {
            let published: Vec<Value> =
                self.sent("textDocument/publishDiagnostics").into_iter().filter(|p| p["uri"] == uri.as_str()).collect();
            if published.len() >= count {
                return published[count - 1].clone();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no publication {count} of diagnostics for {name}: {:#?}", self.sent.lock().expect("lock"));
    }

    /// The text of an answer with the temporary folders' paths replaced, for snapshots.
    pub fn redact(&self, value: &Value) -> String {
        let text = serde_json::to_string_pretty(value).expect("JSON");
        text.replace(&uri_of(self.stdlib.path()), "file:///STDLIB").replace(&uri_of(self.folder.path()), "file:///SPEC")
    }
}

/// The `file://` URI of a path, as the server writes it.
pub fn uri_of(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    tower_lsp_server::ls_types::Uri::from_file_path(path).expect("an absolute path").as_str().to_string()
}

/// A text document position.
pub fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// The zero-based line and UTF-16 column of the first `needle` in `text` (plus `shift` columns).
pub fn find(text: &str, needle: &str, shift: u32) -> (u32, u32) {
    let offset = text.find(needle).unwrap_or_else(|| panic!("`{needle}` is not in the text"));
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column: usize = before[line_start..].chars().map(char::len_utf16).sum();
    (line, column as u32 + shift)
}
