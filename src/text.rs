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

/// The largest char boundary of `text` at or before byte `at` (clamped to the text's length).
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
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
    /// How many bytes of the text are not ASCII; with none, UTF-16 columns are byte columns. A
    /// count rather than a flag so [`LineIndex::replace`] can keep it exact without a rescan.
    non_ascii: usize,
}

/// True when a line starts at byte `p` of `b` (`0 < p <= b.len()`): after `\n`, or after a `\r`
/// that does not begin a `\r\n`.
fn starts_line(b: &[u8], p: usize) -> bool {
    match b[p - 1] {
        b'\n' => true,
        b'\r' => b.get(p) != Some(&b'\n'),
        _ => false,
    }
}

fn count_non_ascii(s: &str) -> usize {
    if s.is_ascii() {
        0
    } else {
        s.bytes().filter(|b| !b.is_ascii()).count()
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        push_starts(text.as_bytes(), 1, &mut starts);
        LineIndex { starts, len: text.len(), non_ascii: count_non_ascii(text) }
    }

    /// Replaces `range` of `text` with `with` and updates the index to match, in time linear in
    /// the edit plus the number of lines after it, instead of rescanning the whole text. `range`
    /// must lie on char boundaries of `text` (with `start <= end`), and `self` must be the index
    /// of `text`.
    pub fn replace(&mut self, text: &mut String, range: std::ops::Range<usize>, with: &str) {
        let (a, b) = (range.start, range.end);
        self.non_ascii = self.non_ascii - count_non_ascii(&text[a..b]) + count_non_ascii(with);
        text.replace_range(a..b, with);
        self.len = text.len();
        // Whether a line starts at byte p depends only on bytes p - 1 and p. Starts before `a`
        // therefore stay, starts after the inserted text stay shifted, and only positions
        // `a ..= a + with.len()` need a fresh look (a `\r\n` may have been split or joined there).
        let lo = a.max(1);
        let hi = (a + with.len()).min(text.len());
        let keep_before = self.starts.partition_point(|&p| p < lo);
        let keep_after = self.starts.partition_point(|&p| p <= b);
        let mut middle = Vec::new();
        let bytes = text.as_bytes();
        for p in lo..=hi {
            if starts_line(bytes, p) {
                middle.push(p);
            }
        }
        let inserted = middle.len();
        self.starts.splice(keep_before..keep_after, middle);
        if with.len() != b - a {
            for p in &mut self.starts[keep_before + inserted..] {
                *p = *p + with.len() - (b - a);
            }
        }
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
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = match enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 if self.non_ascii == 0 => offset - start,
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
            Encoding::Utf8 => floor_char_boundary(text, (range.start + want).min(range.end)),
            Encoding::Utf16 if self.non_ascii == 0 => (range.start + want).min(range.end),
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

/// Pushes every line start of `b` from byte `from` on (`from >= 1`). Most bytes are neither `\n`
/// nor `\r`, so a whole word is tested at once and skipped when it holds neither.
fn push_starts(b: &[u8], from: usize, starts: &mut Vec<usize>) {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // True when some byte of `w` equals the byte repeated in `pat` (the classic zero-byte test).
    let has = |w: u64, pat: u64| {
        let x = w ^ pat;
        x.wrapping_sub(LO) & !x & HI != 0
    };
    let mut p = from;
    // Position p looks at byte p - 1; scan byte i = p - 1 onwards.
    while p <= b.len() {
        let i = p - 1;
        if i + 8 <= b.len() {
            let w = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
            if !has(w, LO * u64::from(b'\n')) && !has(w, LO * u64::from(b'\r')) {
                p += 8;
                continue;
            }
        }
        if starts_line(b, p) {
            starts.push(p);
        }
        p += 1;
    }
}

/// The line break a file uses, as its first line break says: fixes insert lines with it. The rules
/// ask this for every file checked, so it reads up to the first line break, not the whole text.
pub fn line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// A doc's first sentence (a section's, a key's) as plain text on one line: `**` dropped, blanks collapsed, up to
/// the first ". " and without a final period. One pass and (without `**`) one allocation, since it runs for every
/// missing section of every file checked.
pub fn first_sentence(doc: &str) -> String {
    let mut out = String::new();
    for word in doc.split_whitespace() {
        let word = if word.contains("**") { std::borrow::Cow::Owned(word.replace("**", "")) } else { word.into() };
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
        if word.ends_with('.') {
            break;
        }
    }
    out.trim_end_matches('.').to_string()
}

/// The 1-based line and 1-based column (in characters) of byte `at`, for messages read by people
/// ("line 3 column 5"); moved back to a char boundary. Protocol positions use [`LineIndex`].
pub fn line_column_1based(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..floor_char_boundary(text, at)];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
    (line, column)
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
    fn replace_keeps_the_index_exact() {
        // Edits that split and join `\r\n`, touch the ends of the text and change its ASCII-ness.
        let cases: &[(&str, std::ops::Range<usize>, &str)] = &[
            ("a\r\nb", 2..2, "x"),
            ("a\rb", 2..2, "\n"),
            ("a\r\nb", 1..2, ""),
            ("a\r\r\nb\n", 2..3, ""),
            ("", 0..0, "x\r"),
            ("x\r", 2..2, "\n"),
            ("ab\ncd\n", 0..6, ""),
            ("ab\ncd\nef", 1..4, "😀\r\n\r"),
            ("é\ne", 0..2, "e"),
            ("line\n".repeat(40).leak(), 13..77, "mid\rdle"),
        ];
        for (text, range, with) in cases {
            let mut t = text.to_string();
            let mut idx = LineIndex::new(&t);
            idx.replace(&mut t, range.clone(), with);
            let mut expected = text.to_string();
            expected.replace_range(range.clone(), with);
            assert_eq!(t, expected);
            assert_eq!(idx, LineIndex::new(&t), "{text:?} {range:?} {with:?}");
        }
    }

    #[test]
    fn empty_text() {
        let idx = LineIndex::new("");
        assert_eq!(idx.position("", 0, Encoding::Utf16), lc(0, 0));
        assert_eq!(idx.offset("", lc(0, 5), Encoding::Utf16), 0);
    }
}
