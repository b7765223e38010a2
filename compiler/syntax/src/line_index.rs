//! Byte offsets to lines and columns, in the units each consumer wants.

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The start offset of every line of one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        LineIndex { line_starts, len: text.len() as u32 }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The zero-based line holding `offset` (an offset past the end counts as the last line).
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        (self.line_starts.partition_point(|&start| start <= offset) - 1) as u32
    }

    /// The byte offset where a zero-based line starts, or the end of the text.
    pub fn line_start(&self, line: u32) -> u32 {
        self.line_starts.get(line as usize).copied().unwrap_or(self.len)
    }

    /// Line and column, the column counted in bytes.
    pub fn line_col_bytes(&self, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        LineCol { line, col: offset.min(self.len) - self.line_start(line) }
    }

    /// Line and column, the column counted in Unicode scalar values.
    pub fn line_col_chars(&self, text: &str, offset: u32) -> LineCol {
        let LineCol { line, col } = self.line_col_bytes(offset);
        let start = self.line_start(line) as usize;
        let prefix = text.get(start..start + col as usize).unwrap_or("");
        LineCol { line, col: prefix.chars().count() as u32 }
    }

    /// Line and column, the column counted in UTF-16 code units (the LSP default).
    pub fn line_col_utf16(&self, text: &str, offset: u32) -> LineCol {
        let LineCol { line, col } = self.line_col_bytes(offset);
        let start = self.line_start(line) as usize;
        let prefix = text.get(start..start + col as usize).unwrap_or("");
        LineCol { line, col: prefix.chars().map(|c| c.len_utf16() as u32).sum() }
    }

    /// The byte offset of a UTF-16 line and column, clamped to the line and the text.
    pub fn offset_utf16(&self, text: &str, pos: LineCol) -> u32 {
        if pos.line as usize >= self.line_starts.len() {
            return self.len;
        }
        let start = self.line_start(pos.line);
        let end = self.line_start(pos.line + 1);
        let line = text.get(start as usize..end as usize).unwrap_or("");
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= pos.col || c == '\n' {
                return start + i as u32;
            }
            units += c.len_utf16() as u32;
        }
        start + line.trim_end_matches('\n').len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_each_unit() {
        let text = "ab\n€x😀y\n";
        let index = LineIndex::new(text);
        let y = text.find('y').map(|p| p as u32).unwrap_or_default();
        assert_eq!(index.line_col_bytes(y), LineCol { line: 1, col: 8 });
        assert_eq!(index.line_col_chars(text, y), LineCol { line: 1, col: 3 });
        assert_eq!(index.line_col_utf16(text, y), LineCol { line: 1, col: 4 });
        assert_eq!(index.offset_utf16(text, LineCol { line: 1, col: 4 }), y);
        assert_eq!(index.offset_utf16(text, LineCol { line: 9, col: 0 }), text.len() as u32);
        assert_eq!(index.offset_utf16(text, LineCol { line: 0, col: 99 }), 2);
    }
}
