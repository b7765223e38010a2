//! The wire between the client and the server: LSP frames read from the input on a thread of
//! their own, each body checked as JSON-RPC before the server sees it; what is no message gets
//! its error answer here, and every frame out (the server's and those answers) is written whole
//! by one writer, so that bytes never interleave.
//!
//! tower-lsp-server decodes its input with a `FramedRead`, which ends the stream after the first
//! decoding error: one malformed message would end the server. Here its input only ever holds
//! messages it decodes.

mod check;
mod frame;

use std::io::{Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{mpsc, oneshot};
use tower_lsp_server::jsonrpc::{ErrorCode, Id};
use tower_lsp_server::{ClientSocket, LspService, Server};

use self::check::{Answer, Verdict, check, error_response};
use self::frame::{Framer, Piece};
use crate::server::Backend;

/// How many checked messages may wait for the server before the reader waits in turn.
const QUEUE: usize = 64;

/// Serves one client: reads `input` until `exit` or its end, writes to `output`. Returns when
/// everything the server answered has been written.
pub async fn serve<R, W>(input: R, output: W, service: LspService<Backend>, socket: ClientSocket)
where
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    let writer = Writer::spawn(output);
    let (to_server, from_reader) = mpsc::channel(QUEUE);
    let answers = writer.clone();
    // A thread, not a task: a blocking read of stdin must not hold up the runtime's shutdown
    // after `exit` when the client keeps its end open.
    let reader = std::thread::Builder::new()
        .name("portolan-lsp-input".to_string())
        .spawn(move || read_input(input, &to_server, &answers));
    if let Err(error) = reader {
        log(&format!("cannot start reading the input: {error}"));
        return;
    }
    let server_output = ServerOutput { framer: Framer::default(), writer: writer.clone() };
    Server::new(Inbox { from_reader, chunk: Vec::new(), read: 0 }, server_output, socket).serve(service).await;
    writer.flush().await;
}

/// Reads frames until the end of the input or until the server stops taking them.
fn read_input(mut input: impl Read, to_server: &mpsc::Sender<Vec<u8>>, writer: &Writer) {
    let mut framer = Framer::default();
    let mut chunk = vec![0; 64 << 10];
    loop {
        let read = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => {
                log(&format!("stopped reading the input: {error}"));
                break;
            }
        };
        framer.push(&chunk[..read]);
        while let Some(piece) = framer.next() {
            if !handle(piece, &mut framer, to_server, writer) {
                return;
            }
        }
    }
    if let Some(piece) = framer.finish() {
        handle(piece, &mut framer, to_server, writer);
    }
}

/// Forwards, answers or logs one piece; `false` once the server takes no more input (`exit`).
fn handle(piece: Piece, framer: &mut Framer, to_server: &mpsc::Sender<Vec<u8>>, writer: &Writer) -> bool {
    let body = match piece {
        Piece::Body(body) => body,
        Piece::Garbage(why) => {
            writer.answer(&Answer::One(error_response(Id::Null, ErrorCode::ParseError, &why)), &why);
            return true;
        }
    };
    match check(&body) {
        Verdict::Forward(message) => return to_server.blocking_send(framed(&message)).is_ok(),
        Verdict::Answer(answer, mut why) => {
            if answer.is_parse_error() && framer.reread_header_in(&body) {
                why.push_str(" (a message header inside it is read again)");
            }
            writer.answer(&answer, &why);
        }
        Verdict::Drop(why) => log(&format!("ignored {why}")),
    }
    true
}

/// A body with its header.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// A line for the editor's log of the server (its stderr); never fails.
fn log(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "portolan lsp: {message}");
}

enum Out {
    Frame(Vec<u8>),
    /// Answered once everything sent before is written.
    Flush(oneshot::Sender<()>),
}

/// The one writer of the output, on a thread of its own: each frame is written whole.
#[derive(Clone)]
struct Writer {
    frames: std::sync::mpsc::Sender<Out>,
}

impl Writer {
    fn spawn<W: Write + Send + 'static>(mut output: W) -> Writer {
        let (frames, queue) = std::sync::mpsc::channel::<Out>();
        let thread = std::thread::Builder::new().name("portolan-lsp-output".to_string()).spawn(move || {
            let mut broken = false;
            for out in queue {
                match out {
                    Out::Frame(bytes) if !broken => {
                        if let Err(error) = output.write_all(&bytes).and_then(|()| output.flush()) {
                            log(&format!("cannot write to the client any more: {error}"));
                            broken = true;
                        }
                    }
                    Out::Frame(_) => {}
                    Out::Flush(done) => {
                        let _ = done.send(());
                    }
                }
            }
        });
        if let Err(error) = thread {
            log(&format!("cannot start writing the output: {error}"));
        }
        Writer { frames }
    }

    fn send(&self, frame: Vec<u8>) {
        // The writer only stops when the process does.
        let _ = self.frames.send(Out::Frame(frame));
    }

    fn answer(&self, answer: &Answer, why: &str) {
        log(&format!("answered an error: {why}"));
        let encoded = match answer {
            Answer::One(response) => serde_json::to_vec(response),
            Answer::Batch(responses) => serde_json::to_vec(responses),
        };
        match encoded {
            Ok(body) => self.send(framed(&body)),
            Err(error) => log(&format!("cannot encode the answer: {error}")),
        }
    }

    async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.frames.send(Out::Flush(done)).is_ok() {
            let _ = written.await;
        }
    }
}

/// The server's input: the checked messages, framed again.
struct Inbox {
    from_reader: mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    read: usize,
}

impl AsyncRead for Inbox {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        while this.read == this.chunk.len() {
            match this.from_reader.poll_recv(cx) {
                Poll::Ready(Some(chunk)) => (this.chunk, this.read) = (chunk, 0),
                // The reader is done: the end of the server's input.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = buf.remaining().min(this.chunk.len() - this.read);
        buf.put_slice(&this.chunk[this.read..this.read + n]);
        this.read += n;
        Poll::Ready(Ok(()))
    }
}

/// The server's output, cut into frames for the writer.
struct ServerOutput {
    framer: Framer,
    writer: Writer,
}

impl AsyncWrite for ServerOutput {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        this.framer.push(buf);
        while let Some(piece) = this.framer.next() {
            match piece {
                Piece::Body(body) => this.writer.send(framed(&body)),
                Piece::Garbage(why) => log(&format!("the server wrote something that is no message: {why}")),
            }
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use serde_json::{Value, json};

    use super::*;

    /// An output the test reads after the session.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn message(value: Value) -> Vec<u8> {
        framed(value.to_string().as_bytes())
    }

    fn initialize() -> Vec<u8> {
        message(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }))
    }

    /// An input given in parts, as a client writes it: each part once the output holds as many
    /// messages as it says (a client waits for the answer to `initialize`).
    struct Paced {
        parts: std::collections::VecDeque<(usize, Vec<u8>)>,
        output: Shared,
    }

    impl Read for Paced {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((wanted, part)) = self.parts.front_mut() else { return Ok(0) };
            for _ in 0..2000 {
                let written = self.output.0.lock().unwrap().clone();
                if written.windows(15).filter(|w| w == b"Content-Length:").count() >= *wanted {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            let n = buf.len().min(part.len());
            buf[..n].copy_from_slice(&part[..n]);
            part.drain(..n);
            if part.is_empty() {
                self.parts.pop_front();
            }
            Ok(n)
        }
    }

    /// Every message a server wrote in a session over these parts of an input.
    fn session(parts: Vec<(usize, Vec<u8>)>) -> Vec<Value> {
        let stdlib = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let output = Shared::default();
        let input = Paced { parts: parts.into(), output: output.clone() };
        let (service, socket) = crate::service(crate::Options { stdlib_dir: Some(stdlib.path().to_path_buf()) });
        runtime.block_on(serve(input, output.clone(), service, socket));
        let bytes = output.0.lock().unwrap().clone();
        let mut framer = Framer::default();
        framer.push(&bytes);
        let mut out = Vec::new();
        while let Some(piece) = framer.next() {
            let Piece::Body(body) = piece else { panic!("garbage in the output: {piece:?}") };
            out.push(serde_json::from_slice(&body).unwrap());
        }
        assert_eq!(framer.finish(), None, "the output ends with a whole message");
        out
    }

    fn by_id(out: &[Value], id: Value) -> Vec<Value> {
        out.iter().filter(|m| m["id"] == id).cloned().collect()
    }

    #[test]
    fn garbage_is_answered_and_the_session_goes_on_to_its_end() {
        let mut rest = b"Content-Length: x\r\n\r\n{}".to_vec();
        rest.extend(message(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" })));
        rest.extend(message(json!({ "jsonrpc": "2.0", "method": "exit" })));
        rest.extend(message(json!({ "jsonrpc": "2.0", "id": 3, "method": "shutdown" })));
        let out = session(vec![(0, framed(b"{this is not json")), (1, initialize()), (2, rest)]);
        let nulls: Vec<i64> = by_id(&out, Value::Null).iter().map(|m| m["error"]["code"].as_i64().unwrap()).collect();
        assert_eq!(nulls, [-32700, -32700], "{out:#?}");
        assert!(by_id(&out, json!(1))[0]["result"]["capabilities"].is_object(), "{out:#?}");
        assert_eq!(by_id(&out, json!(2))[0]["result"], Value::Null, "{out:#?}");
        assert!(by_id(&out, json!(3)).is_empty(), "nothing is answered after `exit`: {out:#?}");
    }

    #[test]
    fn the_end_of_the_input_ends_the_session_after_the_last_answer() {
        let symbols =
            message(json!({ "jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": { "query": "https" } }));
        let out = session(vec![(0, initialize()), (1, symbols)]);
        let symbols = &by_id(&out, json!(2))[0];
        assert!(symbols["result"].as_array().is_some_and(|s| !s.is_empty()), "{out:#?}");
    }
}
