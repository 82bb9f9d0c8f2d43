//! The one place that converts byte offsets to line/column positions and back.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, exactly as the LSP specification counts them
//! (U+2028, NEL, VT and FF are not line breaks). Columns are counted in UTF-8 bytes or in
//! UTF-16 code units, as negotiated with the client.

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    #[default]
    Utf16,
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Start offsets of every line of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts, len: text.len(), ascii: text.is_ascii() }
    }

    /// Number of lines (a text ending in a newline has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where `line` starts, or the text length past the end.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte range of `line` without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let b = text.as_bytes();
        if end > start && end <= b.len() && line + 1 < self.starts.len() {
            if b[end - 1] == b'\n' {
                end -= 1;
            }
            if end > start && b[end - 1] == b'\r' {
                end -= 1;
            }
        }
        start..end.max(start)
    }

    /// The zero-based line that contains byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        }
    }

    /// Position of byte `offset` (clamped to the text, and moved back to a char boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = match enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 if self.ascii => offset - start,
            Encoding::Utf16 => text[start..offset].chars().map(char::len_utf16).sum(),
        };
        LineCol { line: line as u32, col: col as u32 }
    }

    /// Byte offset of a position. A column past the end of its line clamps to the line end; a
    /// line past the end clamps to the end of the text; a column inside a character (mid UTF-8
    /// sequence or mid surrogate pair) moves to that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line);
        let want = pos.col as usize;
        match enc {
            Encoding::Utf8 => {
                let mut off = (range.start + want).min(range.end);
                while !text.is_char_boundary(off) {
                    off -= 1;
                }
                off
            }
            Encoding::Utf16 if self.ascii => (range.start + want).min(range.end),
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in text[range.clone()].char_indices() {
                    let next = units + c.len_utf16();
                    if next > want {
                        return range.start + i;
                    }
                    units = next;
                }
                range.end
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn line_breaks_are_lsp_line_breaks() {
        let t = "a\r\nb\rc\nd\u{2028}e\u{85}f\u{0c}g";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_range(t, 0), 0..1);
        assert_eq!(idx.line_range(t, 1), 3..4);
        assert_eq!(idx.line_range(t, 2), 5..6);
        assert_eq!(&t[idx.line_range(t, 3)], "d\u{2028}e\u{85}f\u{0c}g");
    }

    #[test]
    fn astral_and_multibyte_columns() {
        let t = "a𐐀b\r\néx";
        let idx = LineIndex::new(t);
        // 'b' is at byte 5, UTF-16 column 3.
        assert_eq!(idx.position(t, 5, Encoding::Utf16), lc(0, 3));
        assert_eq!(idx.position(t, 5, Encoding::Utf8), lc(0, 5));
        assert_eq!(idx.offset(t, lc(0, 3), Encoding::Utf16), 5);
        // Mid surrogate pair moves to the character start.
        assert_eq!(idx.offset(t, lc(0, 2), Encoding::Utf16), 1);
        // Past the line end clamps before the CRLF.
        assert_eq!(idx.offset(t, lc(0, 99), Encoding::Utf16), 6);
        // 'x' on line 1 after 'é' (2 bytes, 1 unit).
        assert_eq!(idx.offset(t, lc(1, 1), Encoding::Utf16), 10);
        assert_eq!(idx.offset(t, lc(1, 2), Encoding::Utf8), 10);
        assert_eq!(idx.offset(t, lc(1, 1), Encoding::Utf8), 8);
        assert_eq!(idx.position(t, t.len(), Encoding::Utf16), lc(1, 2));
        assert_eq!(idx.offset(t, lc(7, 0), Encoding::Utf16), t.len());
    }

    #[test]
    fn empty_text() {
        let idx = LineIndex::new("");
        assert_eq!(idx.position("", 0, Encoding::Utf16), lc(0, 0));
        assert_eq!(idx.offset("", lc(0, 5), Encoding::Utf16), 0);
    }
}
