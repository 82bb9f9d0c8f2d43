//! Pathological inputs for the engine and the command line: huge files, absurd lines, key counts
//! and nesting, alias bombs, binary and broken files, broken policies. Each must end in a clear
//! diagnostic or a bounded refusal, never a panic, a hang or unbounded memory. Work is bounded by
//! construction in the engine; these tests assert the behaviour, never a timing.

mod support;

use std::path::Path;
use std::sync::Arc;

use agentls::analysis::{analyze, Settings};
use agentls::diagnostic::Diagnostic;
use agentls::engine::check;
use agentls::ide;
use agentls::policy::{self, LoadedPolicy};
use agentls::syntax::{self, ProblemKind, Value};
use support::check_at;

const PATHS: [&str; 4] =
    [".claude/agents/a.md", ".factory/droids/a.md", ".github/agents/a.agent.md", ".opencode/agent/a.md"];

/// Every span inside the text and on character boundaries, fixes included.
fn assert_sane(text: &str, diags: &[Diagnostic]) {
    for d in diags {
        let spans = std::iter::once(&d.span).chain(d.fixes.iter().flat_map(|f| f.edits.iter().map(|e| &e.span)));
        for s in spans {
            assert!(s.start <= s.end && s.end <= text.len(), "{} span {s:?} outside {} bytes", d.code, text.len());
            assert!(
                text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                "{} span {s:?} splits a char",
                d.code
            );
        }
    }
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

fn has(diags: &[Diagnostic], code: &str) -> bool {
    diags.iter().any(|d| d.code == code)
}

/// Hover and completion at a few offsets of a big text still answer within the text.
fn probe_ide(text: &str, path: &str) {
    let a = analyze(text, Some(Path::new(path)), &Settings::default());
    for o in [0, 1, text.len() / 2, text.len().saturating_sub(1), text.len()] {
        let mut o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        for c in ide::completions(&a, o) {
            assert!(c.replace.end <= text.len());
        }
        if let Some(h) = ide::hover(&a, o) {
            assert!(h.span.end <= text.len());
        }
    }
}

const HEAD: &str = "---\nname: a\ndescription: Reviews code for security issues. Use after every change.\n\
                    tools: [Read, Grpe]\n---\n\n";

#[test]
fn ten_megabyte_file_is_checked_whole() {
    let mut text = String::from(HEAD);
    let mut n = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "## Section {n}\n\nRead the diff, then use `Read` on each file. Ünïcödé prose 漢字 😀.\n\n```sh\ngit diff\n```\n\n"
        ));
        n += 1;
    }
    let diags = check_at(".claude/agents/a.md", &text);
    assert_sane(&text, &diags);
    // The planted typo in the frontmatter is still found: the file was analysed, not refused.
    let typo = diags.iter().find(|d| d.code == "unknown-tool").expect("unknown-tool for Grpe");
    assert_eq!(&text[typo.span.clone()], "Grpe");
    let parsed = syntax::parse(&text);
    assert_eq!(parsed.body.headings.len(), n);
    probe_ide(&text, ".claude/agents/a.md");
}

#[test]
fn one_line_of_100k_characters() {
    // Multi-byte and astral characters, so byte, UTF-16 and character counts all differ.
    let long: String = "é漢😀a".repeat(25_000);
    assert_eq!(long.chars().count(), 100_000);

    // In the body.
    let text = format!("{HEAD}{long}\n");
    for path in PATHS {
        assert_sane(&text, &check_at(path, &text));
    }
    probe_ide(&text, ".claude/agents/a.md");

    // As the description of a droid, whose limit is 500 characters: one clear diagnostic.
    let text = format!("---\nname: a\ndescription: {long}\n---\n\nBody.\n");
    let diags = check_at(".factory/droids/a.md", &text);
    assert_sane(&text, &diags);
    let d = diags.iter().find(|d| d.code == "description-too-long").expect("description-too-long");
    assert!(d.message.contains("100000"), "{}", d.message);

    // A frontmatter of one line with no closing fence and no line break at all.
    let text = format!("---{long}");
    for path in PATHS {
        assert_sane(&text, &check_at(path, &text));
    }
    probe_ide(&text, ".factory/droids/a.md");
}

#[test]
fn ten_thousand_frontmatter_keys() {
    let mut text = String::from("---\nname: a\ndescription: Reviews code.\n");
    for i in 0..10_000 {
        text.push_str(&format!("key{i}: value {i}\n"));
    }
    text.push_str("---\n\nBody.\n");
    let parsed = syntax::parse(&text);
    assert_eq!(parsed.frontmatter.as_ref().unwrap().entries().len(), 10_002);
    let diags = check_at(".claude/agents/a.md", &text);
    assert_sane(&text, &diags);
    // Each unknown key is reported on itself.
    let unknown: Vec<_> = diags.iter().filter(|d| d.code == "unknown-key").collect();
    assert_eq!(unknown.len(), 10_000, "{:?}", codes(&diags).iter().take(5).collect::<Vec<_>>());
    assert!(unknown.iter().all(|d| text[d.span.clone()].starts_with("key")));
}

#[test]
fn one_hundred_thousand_repeated_keys_take_linear_work() {
    // Duplicate detection must not compare every key with every earlier one: 100,000 keys would
    // be five billion comparisons.
    let mut text = String::from("---\n");
    for i in 0..100_000 {
        text.push_str(&format!("k{i}: v\n"));
    }
    text.push_str("k7: again\n---\n");
    let parsed = syntax::parse(&text);
    let dups: Vec<_> = parsed.problems.iter().filter(|p| p.kind == ProblemKind::DuplicateKey).collect();
    assert_eq!(dups.len(), 1, "{dups:?}");
    assert_eq!(&text[dups[0].span.clone()], "k7");
}

#[test]
fn repeated_keys_and_tools_are_reported_in_linear_work() {
    // Fifty thousand keys, then fifty thousand repeats of the last one: naming the first line of
    // each repeat must not rescan the entries or the text every time.
    let mut text = String::from("---\n");
    for i in 0..50_000 {
        text.push_str(&format!("k{i}: v\n"));
    }
    text.push_str(&"k49999: again\n".repeat(50_000));
    text.push_str("---\n");
    let diags = check_at(".claude/agents/a.md", &text);
    let dups: Vec<_> = diags.iter().filter(|d| d.code == "duplicate-key").collect();
    assert_eq!(dups.len(), 50_000);
    assert!(dups[0].message.contains("line 50001"), "{}", dups[0].message);

    // A tools list of a hundred thousand entries, most of them repeats or unknown.
    let tools: Vec<String> =
        (0..100_000).map(|i| if i % 2 == 0 { "Read".into() } else { format!("Tool{i}") }).collect();
    let text = format!("---\nname: a\ndescription: Many tools.\ntools: [{}]\n---\n\nBody.\n", tools.join(", "));
    for path in PATHS {
        let diags = check_at(path, &text);
        assert_sane(&text, &diags);
        assert!(has(&diags, "duplicate-tool") || has(&diags, "unknown-tool"), "{path}: {:?}", codes(&diags));
    }
}

/// Frontmatter whose YAML nests `depth` levels in the given style.
fn nested(style: &str, depth: usize) -> String {
    let yaml = match style {
        "flow-seq" => format!("tools: {}x{}", "[".repeat(depth), "]".repeat(depth)),
        "flow-map" => format!("tools: {}x{}", "{a: ".repeat(depth), "}".repeat(depth)),
        "block-seq" => format!("tools:\n  {}x", "- ".repeat(depth)),
        // Block mappings need growing indentation; a thousand levels is already half a megabyte.
        "block-map" => (0..depth).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect(),
        _ => unreachable!(),
    };
    format!("---\nname: a\ndescription: Deep.\n{yaml}\n---\n\nBody.\n")
}

#[test]
fn yaml_nested_ten_thousand_deep_is_cut_not_overflowed() {
    for (style, depth) in [("flow-seq", 10_000), ("flow-map", 10_000), ("block-seq", 10_000), ("block-map", 1_000)] {
        let text = nested(style, depth);
        for path in PATHS {
            let diags = check_at(path, &text);
            assert_sane(&text, &diags);
            assert!(
                has(&diags, "yaml-too-deep") || has(&diags, "yaml-syntax"),
                "{style}: expected a nesting diagnostic, got {:?}",
                codes(&diags)
            );
            let fm = text.find("---\n").unwrap()..text.rfind("---").unwrap();
            for d in diags.iter().filter(|d| d.code.as_str().starts_with("yaml-")) {
                assert!(fm.contains(&d.span.start), "{style}: {} at {:?} outside the frontmatter", d.code, d.span);
            }
        }
        probe_ide(&text, ".claude/agents/a.md");
    }
}

#[test]
fn alias_bomb_in_frontmatter_is_never_expanded() {
    // "Billion laughs": expanded, `tools` would hold 9^9 strings.
    let mut yaml =
        String::from("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let text = format!("---\nname: a\ndescription: Bomb.\n{yaml}tools: *i\nmodel: *a\n---\n\nBody.\n");
    let parsed = syntax::parse(&text);
    let fm = parsed.frontmatter.as_ref().expect("frontmatter");
    // Aliases stay leaves: the tree is exactly as big as the text.
    assert!(matches!(fm.get("tools").unwrap().value.value, Value::Alias));
    for path in PATHS {
        let diags = check_at(path, &text);
        assert_sane(&text, &diags);
    }
    probe_ide(&text, ".claude/agents/a.md");
}

#[test]
fn control_characters_and_replacement_characters() {
    // What a binary file read lossily looks like: NULs, escapes, U+FFFD, a lone CR.
    let text = "---\nname: a\0b\ndescription: \u{1b}[31mred\u{fffd}\r\ntools: [\0]\n---\n\0\0\u{fffd}\r\u{7f}# x\n";
    for path in PATHS {
        assert_sane(text, &check_at(path, text));
    }
    let junk: String = (0u8..=255).map(char::from).cycle().take(50_000).collect();
    for path in PATHS {
        assert_sane(&junk, &check_at(path, &junk));
    }
}

#[test]
fn byte_order_mark_is_skipped_not_misread() {
    let text = "\u{feff}---\nname: a\ndescription: Reviews code.\ntools: [Read, Grpe]\n---\n\nBody.\n";
    let parsed = syntax::parse(text);
    assert_eq!(parsed.bom, 3);
    assert!(parsed.frontmatter.is_some());
    let diags = check_at(".claude/agents/a.md", text);
    assert_sane(text, &diags);
    assert!(!has(&diags, "missing-frontmatter") && !has(&diags, "frontmatter-not-first"), "{:?}", codes(&diags));
    let typo = diags.iter().find(|d| d.code == "unknown-tool").expect("unknown-tool");
    assert_eq!(&text[typo.span.clone()], "Grpe");
    // Every diagnostic lies after the mark, never inside its three bytes.
    assert!(diags.iter().all(|d| d.span.start >= 3 || d.span == (0..0)), "{diags:?}");

    for text in ["\u{feff}", "\u{feff}\u{feff}---\nname: a\n---\n", "\u{feff}---", "\u{feff}\r\n---\r\n---\r\n"] {
        for path in PATHS {
            assert_sane(text, &check_at(path, text));
        }
    }
}

#[test]
fn frontmatter_that_never_closes() {
    let text = "---\nname: a\ndescription: Reviews code.\n\n# Reviewer\n\nBody.\n";
    let diags = check_at(".claude/agents/a.md", text);
    assert_sane(text, &diags);
    let d = diags.iter().find(|d| d.code == "unclosed-frontmatter").expect("unclosed-frontmatter");
    assert_eq!(d.span.start, 0, "on the opening fence");
    // The body is not swallowed: the heading is still a heading.
    assert_eq!(syntax::parse(text).body.headings.len(), 1);

    // A megabyte of keys that never closes, and fences with nothing else.
    let big = format!("---\n{}", "key: value\n".repeat(100_000));
    for text in ["---", "---\n", "---\r\n", "---\r", &big] {
        let diags = check_at(".claude/agents/a.md", text);
        assert_sane(text, &diags);
        assert!(has(&diags, "unclosed-frontmatter"), "{:?}", codes(&diags));
    }
}

fn policy_check(policy_text: &str) -> LoadedPolicy {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(policy::FILE_NAME);
    std::fs::write(&path, policy_text).unwrap();
    let loaded = policy::load(&path);
    // Whatever the policy, an agent file is still checked (with the built-in default if need be).
    let settings = Settings { policy: Arc::new(loaded.clone()), ..Settings::default() };
    let file = dir.path().join(".claude/agents/a.md");
    let text = HEAD;
    let diags = check(text, Some(&file), &settings);
    assert!(has(&diags, "unknown-tool"), "{:?}", codes(&diags));
    loaded
}

#[test]
fn broken_policy_is_located_and_the_default_applies() {
    let loaded = policy_check("tools:\n  deny: [Bash\nmodels: {\n");
    let e = loaded.error.expect("error");
    assert!(e.line >= 2, "{e}");
    assert!(loaded.policy.as_ref() == policy::builtin_default(), "the built-in default applies");

    let loaded = policy_check("tools: 7\nrules: [a, b]\n");
    assert!(loaded.error.is_some());

    // Not UTF-8 at all.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(policy::FILE_NAME);
    std::fs::write(&path, b"tools:\n  deny: [\xff\xfe]\n").unwrap();
    let e = policy::load(&path).error.expect("error");
    assert!(e.message.contains("UTF-8"), "{e}");
    assert_eq!(e.line, 2);
}

#[test]
fn huge_policy_is_refused_before_reading() {
    let text = format!("rules:\n{}", "  unknown-tool: warning\n".repeat(60_000));
    assert!(text.len() as u64 > policy::MAX_POLICY_BYTES);
    let loaded = policy_check(&text);
    let e = loaded.error.expect("refused");
    assert!(e.message.contains("limit"), "{e}");
    let (p, problems) = policy::parse_all(&text, None);
    assert!(p.is_none() && problems[0].message.contains("limit"));
}

#[test]
fn recursive_and_exploding_policies_are_refused() {
    // An alias bomb.
    let mut bomb = String::from("x: &a [a, a, a, a, a, a, a, a, a, a]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g"].iter().zip(["b", "c", "d", "e", "f", "g", "h"]) {
        bomb.push_str(&format!("y{name}: &{name} [{}]\n", vec![format!("*{prev}"); 10].join(", ")));
    }
    bomb.push_str("tools:\n  deny: *h\n");
    let e = policy_check(&bomb).error.expect("refused");
    assert!(e.message.contains("alias"), "{e}");

    // A node that refers to itself, and an alias to an anchor never defined.
    for text in ["tools: &t\n  deny: *t\n", "tools: &t [*t]\n", "tools:\n  deny: *nowhere\n"] {
        assert!(policy_check(text).error.is_some(), "{text}");
    }

    // Nesting ten thousand deep.
    for text in
        [format!("tools: {}x{}", "[".repeat(10_000), "]".repeat(10_000)), format!("rules: {}", "- ".repeat(10_000))]
    {
        assert!(policy_check(&text).error.is_some());
    }

    // A regex too big to compile is an error on the pattern, not a hang.
    let e = policy_check("name:\n  pattern: \"(a{1000}){1000}\"\n").error.expect("refused");
    assert_eq!(e.line, 2, "{e}");
}

#[test]
fn cli_skips_binary_files_and_checks_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let agents = dir.path().join(".claude/agents");
    std::fs::create_dir_all(&agents).unwrap();
    // A PNG saved as an agent file: not UTF-8, so skipped with a warning.
    std::fs::write(agents.join("image.md"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01").unwrap();
    // NUL bytes are valid UTF-8: checked like any text, without crashing.
    std::fs::write(agents.join("nul.md"), b"---\nname: nul\0\ndescription: x\0y\n---\n\0\0\0\n").unwrap();
    // An empty file, and a folder whose name looks like an agent file.
    std::fs::write(agents.join("empty.md"), b"").unwrap();
    std::fs::create_dir_all(agents.join("folder.md")).unwrap();
    std::fs::write(agents.join("ok.md"), HEAD).unwrap();
    let o = support::run_agentls(dir.path(), &["check", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "findings, not a crash: {stderr}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["files_checked"], 3, "{v}");
    assert_eq!(v["skipped"][0]["path"], ".claude/agents/image.md");
    assert!(v["skipped"][0]["reason"].as_str().unwrap().contains("UTF-8"));
}
