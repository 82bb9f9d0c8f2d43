//! The seed droid, placed as a Factory droid and as a Claude Code agent: the diagnostics the
//! issue asks for, on their exact ranges.

mod support;

use agentls::diagnostic::Severity;
use agentls::text::{Encoding, LineIndex};
use support::{check_at, render, seed};

/// (line, start col, end col, code) of each diagnostic on line 5 (the tools line), 1-based line.
fn on_tools_line(text: &str, path: &str) -> Vec<(String, &'static str, Severity)> {
    let idx = LineIndex::new(text);
    check_at(path, text)
        .into_iter()
        .filter(|d| idx.position(text, d.span.start, Encoding::Utf16).line == 4)
        .map(|d| (text[d.span.clone()].to_string(), d.code.as_str(), d.severity))
        .collect()
}

#[test]
fn seed_as_droid() {
    let text = seed();
    let path = ".factory/droids/senior-backend-developer.md";
    let tools = on_tools_line(&text, path);
    let flagged: Vec<&str> = tools.iter().map(|(t, _, _)| t.as_str()).collect();
    // Factory's CLI (v0.225.2) still accepts `MultiEdit` and gives the droid `Edit` instead.
    assert!(tools.contains(&("MultiEdit".into(), "deprecated-tool", Severity::Info)), "{tools:?}");
    assert!(tools.contains(&("Task".into(), "unavailable-tool", Severity::Error)), "{tools:?}");
    assert!(tools.contains(&("GenerateDroid".into(), "unavailable-tool", Severity::Error)), "{tools:?}");
    for ok in ["Read", "LS", "Grep", "Glob", "Create", "Edit", "Execute", "WebSearch", "FetchUrl", "TodoWrite"] {
        assert!(!flagged.contains(&ok), "{ok} must not be flagged: {tools:?}");
    }
    // Exact columns of MultiEdit on line 5 (0-based UTF-16).
    let idx = LineIndex::new(&text);
    let d = check_at(path, &text);
    let me = d.iter().find(|d| d.code == "deprecated-tool").unwrap();
    let line5 = &text[idx.line_range(&text, 4)];
    let col = line5.find("MultiEdit").unwrap() as u32;
    assert_eq!(idx.position(&text, me.span.start, Encoding::Utf16).col, col);
    assert_eq!(idx.position(&text, me.span.end, Encoding::Utf16).col, col + 9);
    // The body's "via Bash" is reported, on the word Bash, with Execute as the equivalent.
    let bash: Vec<_> = d.iter().filter(|d| d.code == "body-tool-not-granted").collect();
    assert!(!bash.is_empty(), "{}", render(&text, &d));
    assert!(bash.iter().all(|d| &text[d.span.clone()] == "Bash"));
    assert!(bash[0].message.contains("Execute"), "{}", bash[0].message);
    assert_eq!(idx.position(&text, bash[0].span.start, Encoding::Utf16).line, 13);
    insta::assert_snapshot!("seed_as_droid", render(&text, &d));
}

#[test]
fn seed_as_claude_agent() {
    let text = seed();
    let path = ".claude/agents/senior-backend-developer.md";
    let tools = on_tools_line(&text, path);
    for name in ["LS", "Create", "MultiEdit", "Execute", "FetchUrl", "GenerateDroid"] {
        assert!(tools.iter().any(|(t, _, _)| t == name), "{name} must be reported: {tools:?}");
    }
    for ok in ["Read", "Grep", "Glob", "Edit", "WebSearch"] {
        assert!(!tools.iter().any(|(t, _, _)| t == ok), "{ok} must not be flagged: {tools:?}");
    }
    let d = check_at(path, &text);
    let msg = |name: &str| d.iter().find(|d| &text[d.span.clone()] == name).map(|d| d.message.clone()).unwrap();
    assert!(msg("Execute").contains("`Bash`"), "{}", msg("Execute"));
    assert!(msg("Create").contains("`Write`"), "{}", msg("Create"));
    assert!(msg("FetchUrl").contains("`WebFetch`"), "{}", msg("FetchUrl"));
    insta::assert_snapshot!("seed_as_claude", render(&text, &d));
}

#[test]
fn positions_after_astral_and_multibyte_characters() {
    let text = "---\nname: reviewer\ndescription: 🚀 Revíews\ntools: [\"Réad\", \"😀\", \"Bash\"]\n---\nBody\n";
    let d = check_at(".factory/droids/reviewer.md", text);
    let bash = d.iter().find(|d| &text[d.span.clone()] == "Bash").expect("Bash flagged");
    let idx = LineIndex::new(text);
    let s = idx.position(text, bash.span.start, Encoding::Utf16);
    // `tools: ["Réad", "😀", "` is 23 UTF-16 units (é is 1, 😀 is 2).
    assert_eq!((s.line, s.col), (3, 23));
    let s8 = idx.position(text, bash.span.start, Encoding::Utf8);
    assert_eq!(s8.col, 26);
}
