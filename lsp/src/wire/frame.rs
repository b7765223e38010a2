//! LSP framing: the bodies cut out of a byte stream by their `Content-Length` headers, and the
//! bytes that are no message reported once and skipped up to the next `Content-Length` header.

/// The largest header block read; a longer one is garbage.
const MAX_HEADERS: usize = 8 << 10;
/// The largest body read; a longer one is skipped unread.
pub const MAX_BODY: usize = 64 << 20;
/// What a header block starts with, looked for (ignoring case) after garbage.
const NEEDLE: &[u8] = b"content-length";

/// What the input holds next.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    /// The body of one message.
    Body(Vec<u8>),
    /// Bytes that are no message, and why; what follows them up to the next header is skipped.
    Garbage(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Reading a header block; `quiet` after garbage already reported, until a message is read.
    Headers { quiet: bool },
    /// Reading a body of this many bytes.
    Body(usize),
    /// Skipping to the next `Content-Length`.
    Resync,
    /// Skipping this many bytes of a body that is too long.
    Discard(usize),
}

/// Cuts a stream into pieces: [`Framer::push`] what was read, then take [`Framer::next`] until
/// it is `None`; at the end of the input, [`Framer::finish`] says whether a message was cut off.
pub struct Framer {
    buf: Vec<u8>,
    mode: Mode,
}

impl Default for Framer {
    fn default() -> Framer {
        Framer { buf: Vec::new(), mode: Mode::Headers { quiet: false } }
    }
}

/// What a header block at the start of a buffer comes to.
enum Headers {
    Incomplete,
    /// `end` bytes of headers announcing a body of `length` bytes.
    Length {
        end: usize,
        length: usize,
    },
    /// Not headers: skip `skip` bytes, then look for the next header.
    Invalid {
        skip: usize,
        reason: String,
    },
}

impl Framer {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Reads again, from where it starts, a message header found inside a body that proved no
    /// message: a `Content-Length` longer than its body swallows the start of the next message.
    /// Returns whether there was one.
    pub fn reread_header_in(&mut self, body: &[u8]) -> bool {
        let found = (1..body.len()).find(|&at| {
            let rest = &body[at..];
            let n = rest.len().min(NEEDLE.len());
            rest[..n].eq_ignore_ascii_case(&NEEDLE[..n])
        });
        let Some(at) = found else { return false };
        self.buf.splice(0..0, body[at..].iter().copied());
        self.mode = Mode::Headers { quiet: true };
        true
    }

    /// The next piece of the buffered input, `None` when more input is needed.
    pub fn next(&mut self) -> Option<Piece> {
        loop {
            match self.mode {
                Mode::Headers { quiet } => {
                    // Line breaks between messages are tolerated.
                    let blank = self.buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
                    self.buf.drain(..blank);
                    if self.buf.is_empty() {
                        return None;
                    }
                    let reason = match headers(&self.buf) {
                        Headers::Incomplete => return None,
                        Headers::Length { end, length } if length > MAX_BODY => {
                            self.buf.drain(..end);
                            self.mode = Mode::Discard(length);
                            format!("a message of {length} bytes is over the limit of {MAX_BODY}")
                        }
                        Headers::Length { end, length } => {
                            self.buf.drain(..end);
                            self.mode = Mode::Body(length);
                            continue;
                        }
                        Headers::Invalid { skip, reason } => {
                            self.buf.drain(..skip);
                            self.mode = Mode::Resync;
                            reason
                        }
                    };
                    if !quiet {
                        return Some(Piece::Garbage(reason));
                    }
                }
                Mode::Body(length) => {
                    if self.buf.len() < length {
                        return None;
                    }
                    let body = self.buf.drain(..length).collect();
                    self.mode = Mode::Headers { quiet: false };
                    return Some(Piece::Body(body));
                }
                Mode::Resync => match find_ignoring_case(&self.buf, NEEDLE) {
                    Some(at) => {
                        self.buf.drain(..at);
                        self.mode = Mode::Headers { quiet: true };
                    }
                    None => {
                        // Keep what could be the start of a header split across two reads.
                        let keep = NEEDLE.len() - 1;
                        self.buf.drain(..self.buf.len().saturating_sub(keep));
                        return None;
                    }
                },
                Mode::Discard(left) => {
                    let taken = left.min(self.buf.len());
                    self.buf.drain(..taken);
                    if taken < left {
                        self.mode = Mode::Discard(left - taken);
                        return None;
                    }
                    self.mode = Mode::Headers { quiet: false };
                }
            }
        }
    }

    /// At the end of the input: the message it cut off, if any.
    pub fn finish(&mut self) -> Option<Piece> {
        let buffered = self.buf.len();
        self.buf.clear();
        match self.mode {
            Mode::Headers { quiet: false } if buffered > 0 => {
                Some(Piece::Garbage("the input ended inside a message's headers".to_string()))
            }
            Mode::Body(length) => {
                Some(Piece::Garbage(format!("the input ended {buffered} bytes into a message of {length} bytes")))
            }
            _ => None,
        }
    }
}

/// Reads the header block at the start of `buf`: `Name: value` lines ended by `\r\n` (or `\n`),
/// then an empty line. `Content-Length` is required; other headers (`Content-Type`) are ignored.
fn headers(buf: &[u8]) -> Headers {
    // A block that is not headers, or has no `Content-Length`, is searched again from its second
    // byte: garbage may end in the header of the next message (`foobarContent-Length: 2`). One
    // whose `Content-Length` is wrong is skipped whole.
    let garbage = |reason: String| Headers::Invalid { skip: 1, reason };
    let too_long = || garbage(format!("no end of the headers in their first {MAX_HEADERS} bytes"));
    let mut length: Option<Result<usize, String>> = None;
    let mut start = 0;
    loop {
        let Some(newline) = buf[start..].iter().position(|&b| b == b'\n') else {
            return if buf.len() > MAX_HEADERS { too_long() } else { Headers::Incomplete };
        };
        let end = start + newline + 1;
        if end > MAX_HEADERS {
            return too_long();
        }
        let line = buf[start..end - 1].strip_suffix(b"\r").unwrap_or(&buf[start..end - 1]);
        start = end;
        if line.is_empty() {
            return match length {
                Some(Ok(length)) => Headers::Length { end, length },
                Some(Err(reason)) => Headers::Invalid { skip: end, reason },
                None => garbage("a message without a `Content-Length` header".to_string()),
            };
        }
        let shown = String::from_utf8_lossy(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return garbage(format!("`{shown}` is not a header"));
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.is_empty() || !name.iter().all(|&b| is_token(b)) {
            return garbage(format!("`{shown}` is not a header"));
        }
        if !name.eq_ignore_ascii_case(b"content-length") {
            continue;
        }
        let value = String::from_utf8_lossy(value);
        let parsed = value.trim().parse::<usize>().map_err(|_| format!("`{}` is not a number of bytes", shown.trim()));
        length = match (length, parsed) {
            (Some(Ok(old)), Ok(new)) if old != new => Some(Err("two different `Content-Length` headers".to_string())),
            (Some(Err(reason)), _) => Some(Err(reason)),
            (_, parsed) => Some(parsed),
        };
    }
}

/// A character of a header name (an HTTP token).
fn is_token(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every piece of `input` fed in chunks of `chunk` bytes, then the end of the input.
    fn pieces(input: &[u8], chunk: usize) -> Vec<Piece> {
        let mut framer = Framer::default();
        let mut out = Vec::new();
        for part in input.chunks(chunk) {
            framer.push(part);
            while let Some(piece) = framer.next() {
                out.push(piece);
            }
        }
        out.extend(framer.finish());
        out
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn body(text: &str) -> Piece {
        Piece::Body(text.as_bytes().to_vec())
    }

    fn garbage(piece: &Piece) -> bool {
        matches!(piece, Piece::Garbage(_))
    }

    #[test]
    fn messages_come_out_whole_whatever_the_reads() {
        let input = format!("{}{}", frame(r#"{"a":"é"}"#), frame("{}"));
        for chunk in [1, 2, 7, 1000] {
            assert_eq!(pieces(input.as_bytes(), chunk), [body(r#"{"a":"é"}"#), body("{}")], "chunks of {chunk}");
        }
    }

    #[test]
    fn other_headers_case_and_line_breaks_are_tolerated() {
        let input = "content-length: 2\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n{}\r\n";
        let input = format!("{input}{}", frame("[]"));
        assert_eq!(pieces(input.as_bytes(), 3), [body("{}"), body("[]")]);
    }

    #[test]
    fn bad_headers_are_reported_once_and_the_next_message_is_found() {
        for bad in [
            "Content-Type: text/plain\r\n\r\n{\"x\":1}",
            "Content-Length: twelve\r\n\r\n{\"x\":1}",
            "Content-Length: -3\r\n\r\n",
            "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            "hello, server\n",
            "X-Broken: 1\r\nContent-Length: abc\r\n\r\nbody",
            "\"method\":\"initialize\"}",
        ] {
            let input = format!("{bad}{}", frame("{}"));
            for chunk in [1, 5, 4096] {
                let found = pieces(input.as_bytes(), chunk);
                assert_eq!(found.len(), 2, "{bad:?} in chunks of {chunk}: {found:?}");
                assert!(garbage(&found[0]), "{bad:?}: {found:?}");
                assert_eq!(found[1], body("{}"), "{bad:?}");
            }
        }
    }

    #[test]
    fn garbage_ending_in_a_header_keeps_the_message() {
        let input = format!("foobar{}", frame("{}"));
        let found = pieces(input.as_bytes(), 4096);
        assert!(garbage(&found[0]), "{found:?}");
        assert_eq!(found[1..], [body("{}")]);
    }

    #[test]
    fn a_body_cut_off_by_the_end_of_the_input_is_reported() {
        let found = pieces(b"Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\"}", 8);
        assert_eq!(found, [Piece::Garbage("the input ended 17 bytes into a message of 100 bytes".to_string())]);
        let found = pieces(b"Content-Length: 10\r\n", 8);
        assert_eq!(found, [Piece::Garbage("the input ended inside a message's headers".to_string())]);
        assert_eq!(pieces(b"\r\n", 8), []);
    }

    #[test]
    fn too_long_a_body_is_skipped_and_endless_headers_are_garbage() {
        let huge = format!("Content-Length: {}\r\n\r\n", MAX_BODY + 1);
        let mut framer = Framer::default();
        framer.push(huge.as_bytes());
        assert!(garbage(&framer.next().unwrap()));
        let filler = vec![b' '; 1 << 20];
        for _ in 0..64 {
            framer.push(&filler);
            assert_eq!(framer.next(), None);
        }
        framer.push(format!("x{}", frame("{}")).as_bytes());
        assert_eq!(framer.next(), Some(body("{}")));

        let endless = format!("X-Long: {}", "a".repeat(MAX_HEADERS));
        let found = pieces(format!("{endless}{}", frame("{}")).as_bytes(), 1000);
        assert!(garbage(&found[0]), "{found:?}");
        assert_eq!(found[1..], [body("{}")]);
    }

    #[test]
    fn a_message_swallowed_by_too_long_a_length_is_read_again() {
        let next = frame("{}");
        // The first message's length covers part of the next one's header, or all of it.
        for length in [10, 20, 7 + next.len() - 1, 7 + next.len()] {
            let input = format!("Content-Length: {length}\r\n\r\n{{\"a\":1}}{next}");
            let mut framer = Framer::default();
            framer.push(input.as_bytes());
            let Some(Piece::Body(swallowed)) = framer.next() else { panic!("a body") };
            assert!(framer.reread_header_in(&swallowed), "{length}");
            assert_eq!(framer.next(), Some(body("{}")), "{length}");
            assert_eq!(framer.finish(), None);
        }
        assert!(!Framer::default().reread_header_in(b"{\"text\": \"no header\"}"));
    }
}
