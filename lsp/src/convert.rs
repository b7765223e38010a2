//! Every conversion between byte offsets and LSP positions (UTF-16 code units). Positions past
//! the end of a line or of the text are clamped, so a stale or malformed position never fails.

use portolan_syntax::{LineCol, LineIndex, Span};
use tower_lsp_server::ls_types::{Position, Range};

/// One text and its line starts.
pub struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines { text, index: LineIndex::new(text) }
    }

    pub fn position(&self, offset: u32) -> Position {
        let LineCol { line, col } = self.index.line_col_utf16(self.text, offset);
        Position { line, character: col }
    }

    pub fn range(&self, span: Span) -> Range {
        Range { start: self.position(span.start), end: self.position(span.end) }
    }

    pub fn offset(&self, position: Position) -> u32 {
        self.index.offset_utf16(self.text, LineCol { line: position.line, col: position.character })
    }

    /// The byte range of an LSP range; a range given backwards is turned around.
    pub fn span(&self, range: Range) -> Span {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        Span::new(a.min(b), a.max(b))
    }

    /// The range of the whole text.
    pub fn full(&self) -> Range {
        self.range(Span::new(0, self.text.len() as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_round_trip_through_non_ascii_text() {
        // `é` is one UTF-16 unit and two bytes; `😀` is two units and four bytes.
        let text = "flow a.b -> c.d \"é😀\" x\nzone z {}\n";
        let lines = Lines::new(text);
        let x = text.find(" x").map(|i| i as u32 + 1).unwrap_or_default();
        assert_eq!(lines.position(x), Position { line: 0, character: 22 });
        assert_eq!(lines.offset(Position { line: 0, character: 22 }), x);
        assert_eq!(lines.offset(Position { line: 0, character: 500 }), text.find('\n').unwrap_or_default() as u32);
        assert_eq!(lines.offset(Position { line: 99, character: 0 }), text.len() as u32);
        let backwards = Range { start: Position { line: 1, character: 4 }, end: Position { line: 0, character: 0 } };
        assert_eq!(lines.span(backwards), Span::new(0, lines.offset(Position { line: 1, character: 4 })));
    }
}
