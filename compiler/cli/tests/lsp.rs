//! `portolan lsp` end to end, with raw bytes on its stdin: each kind of malformed input gets its
//! JSON-RPC error (or is ignored, for notifications), the session goes on, and `shutdown` and
//! `exit` (or the end of the input) end it with the status LSP asks for.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn message(value: Value) -> Vec<u8> {
    frame(&value.to_string())
}

/// A running `portolan lsp` and the messages it wrote.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    seen: Vec<Value>,
    _cache: tempfile::TempDir,
}

impl Session {
    fn start() -> Session {
        let cache = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_portolan"))
            .arg("lsp")
            .env("XDG_CACHE_HOME", cache.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let (sender, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let mut chunk = [0; 8192];
            while let Ok(n @ 1..) = stdout.read(&mut chunk) {
                bytes.extend_from_slice(&chunk[..n]);
                while let Some((body, used)) = take_frame(&bytes) {
                    let value = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {bytes:?}"));
                    bytes.drain(..used);
                    if sender.send(value).is_err() {
                        return;
                    }
                }
            }
            assert!(bytes.is_empty(), "the output ends inside a message: {:?}", String::from_utf8_lossy(&bytes));
        });
        let stdin = child.stdin.take();
        Session { child, stdin, messages, seen: Vec::new(), _cache: cache }
    }

    fn send(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for a message with this id (`null` for answers to what had no readable id), or
    /// for the answer to a batch when `id` is `"batch"`.
    fn answer(&mut self, id: Value) -> Value {
        let wanted = |m: &Value| if id == "batch" { m.is_array() } else { m.is_object() && m["id"] == id };
        if let Some(at) = self.seen.iter().position(wanted) {
            return self.seen.remove(at);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.seen.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no answer with id {id} within {WAIT:?}: {:#?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server ended before answering {id}: {:#?}", self.seen)
                }
            }
        }
    }

    /// `initialize`, answered, then `initialized`.
    fn initialize(&mut self) {
        self.send(&message(
            json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }),
        ));
        let answer = self.answer(json!(1));
        assert_eq!(answer["result"]["serverInfo"]["name"], "portolan", "{answer:#}");
        self.send(&message(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} })));
    }

    /// A request the server must still answer: the standard library's symbols.
    fn still_answers(&mut self) {
        let params = json!({ "query": "https" });
        self.send(&message(json!({ "jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": params })));
        let answer = self.answer(json!(2));
        assert!(answer["result"].as_array().is_some_and(|s| !s.is_empty()), "{answer:#}");
    }

    /// `shutdown`, answered, then `exit` with stdin left open: the server must end on its own.
    fn shutdown_and_exit(mut self) -> (ExitStatus, Vec<Value>) {
        self.send(&message(json!({ "jsonrpc": "2.0", "id": 3, "method": "shutdown" })));
        let answer = self.answer(json!(3));
        assert_eq!(answer, json!({ "jsonrpc": "2.0", "id": 3, "result": null }));
        self.send(&message(json!({ "jsonrpc": "2.0", "method": "exit" })));
        self.wait()
    }

    /// Waits for the server to end; the status and every message not yet taken.
    fn wait(mut self) -> (ExitStatus, Vec<Value>) {
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not end within {WAIT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        self.seen.extend(self.messages.iter());
        (status, self.seen)
    }

    fn close_stdin(&mut self) {
        self.stdin = None;
    }
}

/// The body and the length of the first whole frame of the server's output.
fn take_frame(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let header = std::str::from_utf8(&bytes[..end]).unwrap();
    let length: usize = header.trim().strip_prefix("Content-Length: ").unwrap().parse().unwrap();
    (bytes.len() >= end + length).then(|| (bytes[end..end + length].to_vec(), end + length))
}

fn code(answer: &Value) -> i64 {
    answer["error"]["code"].as_i64().unwrap_or_else(|| panic!("no error: {answer:#}"))
}

#[test]
fn each_kind_of_garbage_before_initialize_is_answered_and_the_session_goes_on() {
    let cases: [(&str, Vec<u8>, i64); 7] = [
        ("not JSON", frame("{this is not json"), -32700),
        (
            "no Content-Length",
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"shutdown\"}".to_vec(),
            -32700,
        ),
        ("a length that is not a number", b"Content-Length: twelve\r\n\r\n{\"a\":1}".to_vec(), -32700),
        ("not a header at all", b"hello, server\r\n".to_vec(), -32700),
        ("JSON that is not JSON-RPC", frame(r#"{"foo":1}"#), -32600),
        ("a string", frame(r#""initialize""#), -32600),
        ("the wrong version", frame(r#"{"jsonrpc":"1.0","method":"initialize"}"#), -32600),
    ];
    for (what, garbage, expected) in cases {
        let mut session = Session::start();
        session.send(&garbage);
        session.initialize();
        let answer = session.answer(Value::Null);
        assert_eq!(code(&answer), expected, "{what}: {answer:#}");
        assert!(!answer["error"]["message"].as_str().unwrap().is_empty(), "{what}: {answer:#}");
        session.still_answers();
        let (status, rest) = session.shutdown_and_exit();
        assert!(status.success(), "{what}: {status}");
        assert_eq!(
            rest,
            Vec::<Value>::new(),
            "{what}: nothing else is answered (the message skipped as garbage either)"
        );
    }
}

#[test]
fn batches_unknown_fields_and_unknown_methods_after_initialize() {
    let mut session = Session::start();
    session.initialize();

    session.send(&frame("[1,2]"));
    let batch = session.answer(json!("batch"));
    assert_eq!(
        batch.as_array().unwrap().iter().map(|a| (code(a), a["id"].clone())).collect::<Vec<_>>(),
        [(-32600, Value::Null), (-32600, Value::Null)]
    );
    let requests = json!([
        { "jsonrpc": "2.0", "id": 7, "method": "workspace/symbol", "params": { "query": "" } },
        { "jsonrpc": "2.0", "method": "initialized", "params": {} },
    ]);
    session.send(&message(requests));
    let batch = session.answer(json!("batch"));
    assert_eq!(batch.as_array().map(Vec::len), Some(1), "one answer for the one request: {batch:#}");
    assert_eq!((code(&batch[0]), batch[0]["id"].clone()), (-32600, json!(7)), "{batch:#}");

    // Fields nobody knows, at the top and in the parameters, are ignored: the request is answered.
    let extra = json!({
        "jsonrpc": "2.0", "id": 8, "method": "workspace/symbol",
        "params": { "query": "https", "futureField": 1 }, "futureField": true
    });
    session.send(&message(extra));
    let answer = session.answer(json!(8));
    assert!(answer["result"].as_array().is_some_and(|s| !s.is_empty()), "{answer:#}");

    // An unknown notification is ignored; an unknown request is answered `MethodNotFound`.
    session.send(&message(json!({ "jsonrpc": "2.0", "method": "portolan/noSuchThing", "params": {} })));
    session.send(&message(json!({ "jsonrpc": "2.0", "method": "$/noSuchThing", "params": {} })));
    session.send(&message(json!({ "jsonrpc": "2.0", "id": 10, "method": "portolan/noSuchThing" })));
    assert_eq!(code(&session.answer(json!(10))), -32601);
    // A request without a method, with its id.
    session.send(&message(json!({ "jsonrpc": "2.0", "id": 11, "params": {} })));
    assert_eq!(code(&session.answer(json!(11))), -32600);

    session.still_answers();
    let (status, rest) = session.shutdown_and_exit();
    assert!(status.success(), "{status}");
    assert_eq!(rest, Vec::<Value>::new());
}

#[test]
fn garbage_back_to_back_with_messages_in_one_write() {
    let mut session = Session::start();
    session.initialize();
    let mut bytes = frame("{this is not json");
    bytes.extend(b"Content-Length: x\r\n\r\n{}");
    // A length too long by a few bytes swallows the start of the next message's header.
    let request = r#"{"jsonrpc":"2.0","id":12,"method":"workspace/symbol","params":{"query":"x"}"#;
    bytes.extend(format!("Content-Length: {}\r\n\r\n{request}", request.len() + 6).as_bytes());
    bytes.extend(message(
        json!({ "jsonrpc": "2.0", "id": 13, "method": "workspace/symbol", "params": { "query": "tds" } }),
    ));
    session.send(&bytes);
    let answer = session.answer(json!(13));
    assert!(answer["result"].as_array().is_some_and(|s| !s.is_empty()), "{answer:#}");
    let codes: Vec<i64> = (0..3).map(|_| code(&session.answer(Value::Null))).collect();
    assert_eq!(codes, [-32700, -32700, -32700]);
    session.still_answers();
    let (status, rest) = session.shutdown_and_exit();
    assert!(status.success(), "{status}");
    assert_eq!(rest, Vec::<Value>::new());
}

#[test]
fn the_end_of_the_input_ends_the_server_with_the_status_lsp_asks_for() {
    // After `shutdown`: a message cut off by the end of the input is answered, the status is 0.
    let mut session = Session::start();
    session.initialize();
    session.send(&message(json!({ "jsonrpc": "2.0", "id": 3, "method": "shutdown" })));
    assert_eq!(session.answer(json!(3))["result"], Value::Null);
    session.send(b"Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"shutdown\"}");
    session.close_stdin();
    let (status, rest) = session.wait();
    assert_eq!(status.code(), Some(0), "{rest:#?}");
    assert_eq!(rest.len(), 1, "{rest:#?}");
    assert_eq!((code(&rest[0]), rest[0]["id"].clone()), (-32700, Value::Null), "{rest:#?}");

    // Without `shutdown`: the end of the input, or `exit`, ends it with status 1.
    let mut session = Session::start();
    session.initialize();
    session.still_answers();
    session.close_stdin();
    let (status, rest) = session.wait();
    assert_eq!((status.code(), rest), (Some(1), Vec::new()));
    let mut session = Session::start();
    session.initialize();
    session.send(&message(json!({ "jsonrpc": "2.0", "method": "exit" })));
    assert_eq!(session.wait().0.code(), Some(1));

    // Nothing at all.
    let mut session = Session::start();
    session.close_stdin();
    let (status, rest) = session.wait();
    assert_eq!((status.code(), rest), (Some(1), Vec::new()));
}
