//! Property test of incremental document sync: random edits, in UTF-16 and UTF-8 positions, on
//! texts full of CRLF, lone CR, astral and multi-byte characters, with positions at, inside and
//! past line ends, applied by the server's document store must give exactly what a naive model of
//! the LSP rules gives on a plain `String`, whether sent one per `didChange` or all in one.

use std::str::FromStr;

use agentls::lsp::store::Store;
use agentls::text::{Encoding, LineCol, LineIndex};
use proptest::prelude::*;
use tower_lsp_server::ls_types as lsp;

const PIECES: &[&str] =
    &["a", "bc", " ", "\n", "\r", "\r\n", "é", "漢", "😀", "𐐀", "---", ": ", "\u{2028}", "\u{feff}"];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..30).prop_map(|v| v.concat())
}

/// A column: small ones land inside lines, 999 past every line end.
fn col() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..8, 1 => Just(999u32)]
}

#[derive(Debug, Clone)]
struct Edit {
    start: (u32, u32),
    end: (u32, u32),
    text: String,
    full: bool,
}

fn edit() -> impl Strategy<Value = Edit> {
    ((0u32..6, col()), (0u32..6, col()), text(), prop::bool::weighted(0.05)).prop_map(|(start, end, text, full)| Edit {
        start,
        end,
        text,
        full,
    })
}

/// The LSP rules, naively: lines end at `\n`, `\r\n` or `\r`; a column counts code units of the
/// line's content and clamps to its end; inside a character it moves to the character's start;
/// a line past the last one is the end of the text.
fn naive_offset(text: &str, line: u32, col: u32, utf8: bool) -> usize {
    let mut starts = vec![0];
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    let Some(&start) = starts.get(line as usize) else { return text.len() };
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if c == '\n' || c == '\r' {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
        if units > col as usize {
            return start + i;
        }
    }
    text.len()
}

fn change(e: &Edit) -> lsp::TextDocumentContentChangeEvent {
    let pos = |(l, c): (u32, u32)| lsp::Position::new(l, c);
    lsp::TextDocumentContentChangeEvent {
        range: (!e.full).then(|| lsp::Range::new(pos(e.start), pos(e.end))),
        range_length: None,
        text: e.text.clone(),
    }
}

fn run(initial: &str, edits: &[Edit], utf8: bool) -> Result<(), TestCaseError> {
    let enc = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
    let uri = lsp::Uri::from_str("file:///w/.factory/droids/a.md").unwrap();
    let (one_by_one, batched) = (Store::default(), Store::default());
    one_by_one.open(uri.clone(), 0, initial.to_string());
    batched.open(uri.clone(), 0, initial.to_string());
    let mut model = initial.to_string();
    for (v, e) in edits.iter().enumerate() {
        if e.full {
            model = e.text.clone();
        } else {
            let a = naive_offset(&model, e.start.0, e.start.1, utf8);
            let b = naive_offset(&model, e.end.0, e.end.1, utf8);
            // The engine's own conversion agrees with the model.
            let idx = LineIndex::new(&model);
            prop_assert_eq!(idx.offset(&model, LineCol { line: e.start.0, col: e.start.1 }, enc), a);
            model.replace_range(a.min(b)..a.max(b), &e.text);
        }
        let s = one_by_one.change(&uri, v as i32 + 1, &[change(e)], enc).unwrap();
        prop_assert_eq!(&s.text, &model, "after edit {} {:?}", v, e);
        prop_assert_eq!(&s.index, &LineIndex::new(&model));
    }
    let all: Vec<_> = edits.iter().map(change).collect();
    let s = batched.change(&uri, 1, &all, enc).unwrap();
    prop_assert_eq!(&s.text, &model, "batched");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn store_edits_match_a_string_utf16(initial in text(), edits in prop::collection::vec(edit(), 0..12)) {
        run(&initial, &edits, false)?;
    }

    #[test]
    fn store_edits_match_a_string_utf8(initial in text(), edits in prop::collection::vec(edit(), 0..12)) {
        run(&initial, &edits, true)?;
    }
}

#[test]
fn stale_versions_and_unknown_documents_leave_the_text_alone() {
    let store = Store::default();
    let uri = lsp::Uri::from_str("file:///w/a.md").unwrap();
    store.open(uri.clone(), 5, "one\r\n".into());
    let e = Edit { start: (0, 0), end: (0, 0), text: "X".into(), full: false };
    assert!(store.change(&uri, 4, &[change(&e)], Encoding::Utf16).is_err());
    let other = lsp::Uri::from_str("file:///w/b.md").unwrap();
    assert!(store.change(&other, 9, &[change(&e)], Encoding::Utf16).is_err());
    assert_eq!(store.get(&uri).unwrap().text, "one\r\n");
    // The same version again is accepted (some clients repeat it).
    assert_eq!(store.change(&uri, 5, &[change(&e)], Encoding::Utf16).unwrap().text, "Xone\r\n");
}
