//! Incremental edits, in UTF-8 and UTF-16 positions: the server's document store (text and line
//! index edited in place) and the engine's `LineIndex` conversions must both give exactly the
//! text that a naive model of the LSP rules gives on a plain `String`, edit after edit, whether
//! the edits come one per `didChange` or all in one.
//! Texts are built from pieces that stress the conversions: CRLF, lone CR, astral characters,
//! multi-byte characters and fences.
#![no_main]

use std::str::FromStr;

use agentls::lsp::store::Store;
use agentls::text::{Encoding, LineCol, LineIndex};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tower_lsp_server::ls_types as lsp;

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Piece {
    A,
    Space,
    Lf,
    Cr,
    CrLf,
    E,
    Cjk,
    Emoji,
    Fence,
    Colon,
}

impl Piece {
    fn text(self) -> &'static str {
        match self {
            Piece::A => "a",
            Piece::Space => " ",
            Piece::Lf => "\n",
            Piece::Cr => "\r",
            Piece::CrLf => "\r\n",
            Piece::E => "é",
            Piece::Cjk => "漢",
            Piece::Emoji => "😀",
            Piece::Fence => "---",
            Piece::Colon => ": ",
        }
    }
}

fn build(pieces: &[Piece]) -> String {
    pieces.iter().map(|p| p.text()).collect()
}

#[derive(Arbitrary, Debug)]
struct Edit {
    start: (u8, u8),
    end: (u8, u8),
    text: Vec<Piece>,
    /// Replace the whole document instead (a change without a range).
    full: bool,
}

#[derive(Arbitrary, Debug)]
struct Input {
    initial: Vec<Piece>,
    utf8: bool,
    edits: Vec<Edit>,
}

/// The LSP rules written out naively: lines end at `\n`, `\r\n` or `\r`; a column counts code
/// units of the line's content; past the content it clamps to the content's end; inside a
/// character it moves to the character's start; a line past the last clamps to the text's end.
fn naive_offset(text: &str, line: usize, col: usize, utf8: bool) -> usize {
    let mut starts = vec![0];
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let crlf = c == '\r' && chars.get(k + 1).map(|x| x.1) == Some('\n');
        if c == '\n' || (c == '\r' && !crlf) {
            starts.push(i + 1);
        }
    }
    let Some(&start) = starts.get(line) else { return text.len() };
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if c == '\n' || c == '\r' {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
        if units > col {
            return start + i;
        }
    }
    text.len()
}

fn change(e: &Edit) -> lsp::TextDocumentContentChangeEvent {
    let pos = |(l, c): (u8, u8)| lsp::Position::new(l.into(), c.into());
    lsp::TextDocumentContentChangeEvent {
        range: (!e.full).then(|| lsp::Range::new(pos(e.start), pos(e.end))),
        range_length: None,
        text: build(&e.text),
    }
}

fuzz_target!(|input: Input| {
    let enc = if input.utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
    let edits = &input.edits[..input.edits.len().min(64)];
    let mut model = build(&input.initial);
    let mut engine = model.clone();
    // One store gets one didChange per edit, the other a single didChange with every edit.
    let uri = lsp::Uri::from_str("file:///w/.claude/agents/a.md").unwrap();
    let (one_by_one, batched) = (Store::default(), Store::default());
    one_by_one.open(uri.clone(), 0, model.clone());
    batched.open(uri.clone(), 0, model.clone());
    for (v, e) in edits.iter().enumerate() {
        let s = one_by_one.change(&uri, v as i32 + 1, &[change(e)], enc).unwrap();
        let new_text = build(&e.text);
        if e.full {
            model = new_text.clone();
            engine = new_text;
            assert_eq!(s.text, model);
            continue;
        }
        let (sl, sc) = (e.start.0 as usize, e.start.1 as usize);
        let (el, ec) = (e.end.0 as usize, e.end.1 as usize);
        let a = naive_offset(&model, sl, sc, input.utf8);
        let b = naive_offset(&model, el, ec, input.utf8);
        model.replace_range(a.min(b)..a.max(b), &new_text);

        let idx = LineIndex::new(&engine);
        let pos = |l: usize, c: usize| LineCol { line: l as u32, col: c as u32 };
        let x = idx.offset(&engine, pos(sl, sc), enc);
        let y = idx.offset(&engine, pos(el, ec), enc);
        // Offset → position → offset is the identity on character boundaries.
        assert_eq!(idx.offset(&engine, idx.position(&engine, x, enc), enc), x);
        engine.replace_range(x.min(y)..x.max(y), &new_text);
        assert_eq!(engine, model, "LineIndex after {e:?}");
        assert_eq!(s.text, model, "store after {e:?}");
        assert_eq!(s.index, LineIndex::new(&model));
    }
    let all: Vec<_> = edits.iter().map(change).collect();
    let s = batched.change(&uri, 1, &all, enc).unwrap();
    assert_eq!(s.text, model, "batched");
});
