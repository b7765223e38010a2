//! Semantic tokens: comments, strings, numbers, keywords, and every name coloured by what it
//! refers to. A word is a keyword only where it names nothing: keywords are reserved only where
//! the grammar expects them, so `local` may be a node.

use portolan_syntax::Span;

use super::complete::KEYWORDS;
use super::defs::NameKind;
use super::index::file_refs;
use portolan::db::{Db, SourceFile};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Comment,
    String,
    Number,
    Keyword,
    /// A name, by what it stands for.
    Name(NameKind),
}

/// One token; `span` never crosses a line end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// Where the name is declared.
    pub declaration: bool,
    /// A doc comment, or a name the standard library declares.
    pub documentation_or_library: bool,
}

/// The tokens of a file, in order, not overlapping.
pub fn semantic_tokens(db: &dyn Db, file: SourceFile) -> Vec<Token> {
    let text = file.text(db);
    let bytes = text.as_bytes();
    let refs = file_refs(db, file);
    let mut next_ref = 0;
    let mut out = Vec::new();
    let mut i = 0;
    let token = |start: usize, end: usize, kind: TokenKind| Token {
        span: Span::new(start as u32, end as u32),
        kind,
        declaration: false,
        documentation_or_library: false,
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            let doc = text[i..].starts_with("///") || text[i..].starts_with("//!");
            out.push(Token { documentation_or_library: doc, ..token(i, end, TokenKind::Comment) });
            i = end;
        } else if b == b'"' {
            let mut end = i + 1;
            while end < bytes.len() && bytes[end] != b'"' && bytes[end] != b'\n' {
                end += if bytes[end] == b'\\' && bytes.get(end + 1).is_some_and(|&c| c != b'\n') { 2 } else { 1 };
            }
            let end = if bytes.get(end) == Some(&b'"') { end + 1 } else { end };
            out.push(token(i, end, TokenKind::String));
            i = end;
        } else if b.is_ascii_digit() {
            let end = scan(bytes, i, |c| c.is_ascii_hexdigit() || c == b':' || c == b'.' && !dots(bytes, i));
            out.push(token(i, end, TokenKind::Number));
            i = end;
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let end = scan(bytes, i, |c| c.is_ascii_alphanumeric() || c == b'_');
            while refs.get(next_ref).is_some_and(|r| (r.span.start as usize) < i) {
                next_ref += 1;
            }
            match refs.get(next_ref).filter(|r| r.span.start as usize == i) {
                Some(r) => {
                    let end = (r.span.end as usize).max(end);
                    if let Some(kind) = r.def.kind(db) {
                        out.push(Token {
                            declaration: r.decl,
                            documentation_or_library: r.def.is_stdlib(db),
                            ..token(i, end, TokenKind::Name(kind))
                        });
                    }
                    i = end;
                }
                None => {
                    if KEYWORDS.contains(&&text[i..end]) {
                        out.push(token(i, end, TokenKind::Keyword));
                    }
                    i = end;
                }
            }
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// The end of the run of bytes from `start` that `keep` accepts.
fn scan(bytes: &[u8], start: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut end = start;
    while end < bytes.len() && keep(bytes[end]) {
        end += 1;
    }
    end
}

/// True when a `..` range operator follows the digits at `start`: `7600..7610` is two numbers.
fn dots(bytes: &[u8], start: usize) -> bool {
    let end = scan(bytes, start, |c| c.is_ascii_digit());
    bytes.get(end) == Some(&b'.') && bytes.get(end + 1) == Some(&b'.')
}
