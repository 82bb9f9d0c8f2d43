//! Analysis, completion, hover and code actions at every byte offset of real files (the examples
//! and the seed droid) and of random texts with CRLF, lone CR, BOMs and astral characters: nothing
//! panics, and every range returned lies inside the document and on character boundaries.

mod support;

use std::path::{Path, PathBuf};

use agentls::analysis::{analyze, Settings};
use agentls::diagnostic::{apply_edits, Span};
use agentls::engine::check;
use agentls::ide;
use proptest::prelude::*;

const PATHS: [&str; 11] = [
    ".claude/agents/x.md",
    ".factory/droids/x.md",
    ".github/agents/x.agent.md",
    ".opencode/agent/x.md",
    "notes/x.md",
    ".claude/skills/x/SKILL.md",
    ".github/skills/x/SKILL.md",
    ".claude/commands/x.md",
    ".opencode/commands/x.md",
    ".github/instructions/x.instructions.md",
    "CLAUDE.md",
];

fn span_ok(text: &str, s: &Span) -> bool {
    s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
}

/// Every feature at every offset (char boundary or not: the server may be handed either after a
/// clamped conversion, and the engine must cope). Returns the first problem found.
fn probe(text: &str, path: &str, every: usize) -> Result<(), String> {
    let s = Settings::default();
    let a = analyze(text, Some(Path::new(path)), &s);
    let mut diags = check(text, Some(Path::new(path)), &s);
    // The link rules, against an empty file system (every link dangles).
    let linked =
        agentls::engine::check_with_files(text, Some(Path::new(path)), &s, &agentls::files::Overlay::default());
    diags.extend(linked.into_iter().filter(|d| d.code.as_str() == "missing-file" || d.code.as_str() == "import-cycle"));
    for l in ide::document_links(&a) {
        if !span_ok(text, &l.span) {
            return Err(format!("{path}: document link {l:?}"));
        }
    }
    for d in &diags {
        if !span_ok(text, &d.span) || d.fixes.iter().flat_map(|f| &f.edits).any(|e| !span_ok(text, &e.span)) {
            return Err(format!("{path}: diagnostic {d:?}"));
        }
    }
    let spans = ide::symbols(&a)
        .into_iter()
        .flat_map(|s| [s.span, s.selection])
        .chain(ide::folds(&a).into_iter().map(|f| f.span))
        .chain(ide::semantic_tokens(&a).into_iter().map(|t| t.span));
    for sp in spans {
        if !span_ok(text, &sp) {
            return Err(format!("{path}: outline/fold/token span {sp:?}"));
        }
    }
    // Fix-all does not depend on an offset: once per file.
    if let Some(all) = ide::fix_all(&a, &diags, &|t: &str| check(t, Some(Path::new(path)), &s)) {
        if all.edits.iter().any(|e| !span_ok(text, &e.span)) {
            return Err(format!("{path}: fix-all {all:?}"));
        }
    }
    for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)).step_by(every) {
        for c in ide::completions(&a, at) {
            if !span_ok(text, &c.replace) {
                return Err(format!("{path} @{at}: completion {c:?}"));
            }
        }
        if let Some(h) = ide::hover_with_diagnostics(&a, &diags, at) {
            if !span_ok(text, &h.span) {
                return Err(format!("{path} @{at}: hover {h:?}"));
            }
        }
        let end = text[at..].char_indices().nth(3).map_or(text.len(), |(i, _)| at + i);
        for act in ide::code_actions(&a, &diags, at..end) {
            if act.edits.iter().any(|e| !span_ok(text, &e.span)) {
                return Err(format!("{path} @{at}: action {act:?}"));
            }
            apply_edits(text, &act.edits);
        }
    }
    Ok(())
}

fn real_files() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![(root.join("tests/fixtures/seed-droid.md"), support::seed())];
    let mut stack = vec![root.join("examples")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") && p.file_name().unwrap() != "README.md" {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, text));
            }
        }
    }
    assert!(out.len() >= 10, "examples missing: {out:?}");
    out
}

#[test]
fn every_offset_of_every_real_file() {
    for (path, text) in real_files() {
        // At its own path, and as CRLF text at another dialect's path.
        let own = path.to_string_lossy().into_owned();
        probe(&text, &own, 1).unwrap();
        let crlf = text.replace('\n', "\r\n");
        probe(&crlf, PATHS[text.len() % PATHS.len()], 1).unwrap();
    }
}

const PIECES: &[&str] = &[
    "---\n",
    "---\r\n",
    "\u{feff}",
    "name: ",
    "description: ",
    "tools: ",
    "model: ",
    "[",
    "]",
    ", ",
    "Read",
    "Grpe",
    "Execute",
    "mcp__a__b",
    "\n",
    "\r\n",
    "\r",
    "  - ",
    "# ",
    "## Role\n",
    "`Read`",
    "allowed-tools: ",
    "Bash(git diff:*) ",
    "!`git status`",
    "@docs/a.md ",
    "[x](scripts/a.py)",
    "scripts/run.sh",
    "applyTo: ",
    "**/*.{ts",
    "%2",
    "😀",
    "𐐀",
    "é",
    ": ",
    "\"",
    "'",
    "|\n  ",
    "&a ",
    "*a",
    "{",
    "}",
    "\t",
];

fn doc() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..50).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn every_offset_of_random_files(text in doc(), dialect in 0usize..PATHS.len()) {
        let r = probe(&text, PATHS[dialect], 1);
        prop_assert!(r.is_ok(), "{:?}: {}", text, r.unwrap_err());
    }
}
