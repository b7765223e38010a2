//! Cuts an item's text into the tokens the formatter moves around: words, strings, punctuation,
//! comments and doc comments. Whitespace is the only thing between tokens, and the only thing the
//! formatter changes.

/// What a token is, as far as layout cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A name, keyword or number, or a span the syntax tree says is one token (an address, a
    /// transport such as `tcp+udp`).
    Word,
    /// A string literal, escapes as written.
    Str,
    /// A `//` comment (also `//!` and `////`), up to the end of its line.
    Comment,
    /// A `///` doc comment, up to the end of its line.
    Doc,
    /// Punctuation: `{`, `->`, `..`, `,` and the others.
    Punct,
}

/// One token: its kind and its byte range in the text it was cut from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text(self, source: &str) -> &str {
        let text = &source[self.start..self.end];
        match self.kind {
            // A string that runs to the end of its line is unterminated (a syntax error): what
            // ends it is trailing whitespace, which the formatter removes.
            Kind::Comment | Kind::Doc | Kind::Str => text.trim_end_matches(super::is_blank),
            Kind::Word | Kind::Punct => text,
        }
    }

    pub fn is_trivia(self) -> bool {
        matches!(self.kind, Kind::Comment | Kind::Doc)
    }
}

/// Cuts `text` into tokens. `atoms` (sorted byte ranges) are taken whole as one [`Kind::Word`]
/// each: the grammar reads an address such as `2001:db8::/32` as one token, which punctuation
/// rules would otherwise cut.
pub(super) fn tokens(text: &str, atoms: &[(usize, usize)]) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut atoms = atoms.iter().copied().peekable();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        while atoms.peek().is_some_and(|&(start, _)| start < at) {
            atoms.next();
        }
        if let Some(&(start, end)) = atoms.peek()
            && start == at
            && end > start
            && end <= bytes.len()
        {
            out.push(Token { kind: Kind::Word, start, end });
            at = end;
            continue;
        }
        let b = bytes[at];
        if super::is_blank(char::from(b)) {
            at += 1;
            continue;
        }
        let (kind, end) = if bytes[at..].starts_with(b"//") {
            let end = line_end(bytes, at);
            let doc = bytes[at..].starts_with(b"///") && bytes.get(at + 3) != Some(&b'/');
            (if doc { Kind::Doc } else { Kind::Comment }, end)
        } else if b == b'"' {
            (Kind::Str, string_end(bytes, at))
        } else if is_word_byte(b) {
            let len = bytes[at..].iter().take_while(|&&c| is_word_byte(c)).count();
            (Kind::Word, at + len)
        } else {
            let len = ["<->", "->", ".."]
                .iter()
                .find(|p| bytes[at..].starts_with(p.as_bytes()))
                .map_or_else(|| text[at..].chars().next().map_or(1, char::len_utf8), |p| p.len());
            (Kind::Punct, at + len)
        };
        out.push(Token { kind, start: at, end });
        at = end;
    }
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| from + p)
}

/// The end of a string starting at `from`: after its closing quote, or at the end of its line.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return i + 1,
            b'\n' => return i,
            b'\\' if bytes.get(i + 1).is_some_and(|&c| c != b'\n') => i += 2,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, atoms: &[(usize, usize)]) -> Vec<String> {
        tokens(text, atoms).into_iter().map(|t| t.text(text).to_string()).collect()
    }

    #[test]
    fn cuts_punctuation_words_strings_and_comments() {
        let text = "flow a.b <-> c.d \"x \\\" y\" // note  \n/// doc\n//// plain";
        assert_eq!(
            texts(text, &[]),
            ["flow", "a", ".", "b", "<->", "c", ".", "d", "\"x \\\" y\"", "// note", "/// doc", "//// plain"]
        );
        let kinds: Vec<Kind> = tokens(text, &[]).iter().map(|t| t.kind).collect();
        assert_eq!(kinds[9..], [Kind::Comment, Kind::Doc, Kind::Comment]);
    }

    #[test]
    fn atoms_are_one_word() {
        let text = "cidr 2001:db8::/32, 10.0.0.0/8";
        assert_eq!(texts(text, &[(5, 18), (20, 30)]), ["cidr", "2001:db8::/32", ",", "10.0.0.0/8"]);
    }

    #[test]
    fn an_unterminated_string_ends_at_its_line() {
        assert_eq!(texts("\"abc\nx", &[]), ["\"abc", "x"]);
    }
}
