//! Arbitrary bytes, read as lossy UTF-8, checked at every dialect's path: the engine must never
//! panic, and every span it returns (diagnostics, fixes, completions, hover, symbols, folds, code
//! actions, tokens) must lie inside the text and on character boundaries.
#![no_main]

use std::path::Path;

use agentls::analysis::{analyze, Settings};
use agentls::diagnostic::{apply_edits, Span};
use agentls::{ide, rules};
use libfuzzer_sys::fuzz_target;

/// One path per dialect, one that only content detection can place, and no path at all.
const PATHS: [Option<&str>; 6] = [
    Some(".claude/agents/reviewer.md"),
    Some(".factory/droids/reviewer.md"),
    Some(".github/agents/reviewer.agent.md"),
    Some(".opencode/agent/reviewer.md"),
    Some("notes/reviewer.md"),
    None,
];

fn assert_span(text: &str, span: &Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} splits a character"
    );
}

/// Offsets to ask completion and hover at: the ends, a few derived from the input, and every
/// line start of the first lines (where keys are typed).
fn probe_offsets(text: &str) -> Vec<usize> {
    let mut out = vec![0, text.len(), text.len() / 2, text.len() / 3];
    out.extend(text.match_indices('\n').take(16).flat_map(|(i, _)| [i, i + 1]));
    out.extend(text.match_indices(':').take(8).map(|(i, _)| i + 1));
    out.into_iter()
        .map(|mut o| {
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            o
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let settings = Settings::default();
    let offsets = probe_offsets(text);
    for path in PATHS {
        let a = analyze(text, path.map(Path::new), &settings);
        let diags = rules::run(&a);
        for d in &diags {
            assert_span(text, &d.span, d.code.as_str());
            for f in &d.fixes {
                for e in &f.edits {
                    assert_span(text, &e.span, "fix edit");
                }
                let _ = apply_edits(text, &f.edits);
            }
        }
        for &o in &offsets {
            for c in ide::completions(&a, o) {
                assert_span(text, &c.replace, "completion");
            }
            if let Some(h) = ide::hover(&a, o) {
                assert_span(text, &h.span, "hover");
            }
        }
        let mut stack = ide::symbols(&a);
        while let Some(s) = stack.pop() {
            assert_span(text, &s.span, "symbol");
            assert_span(text, &s.selection, "symbol selection");
            stack.extend(s.children);
        }
        for f in ide::folds(&a) {
            assert_span(text, &f.span, "fold");
        }
        for t in ide::semantic_tokens(&a) {
            assert_span(text, &t.span, "token");
        }
        for act in ide::code_actions(&a, &diags, 0..text.len()) {
            for e in &act.edits {
                assert_span(text, &e.span, "code action edit");
            }
            let _ = apply_edits(text, &act.edits);
        }
    }
});
