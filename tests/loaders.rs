//! Loader fidelity: every case of the loader matrix (`data/loaders.yaml`, measured on each
//! product's shipped parser) as a fixture in every dialect, with the diagnostic the profile
//! implies, or none; and files their products load unchanged get no error.

mod support;

use agentls::diagnostic::Severity;
use agentls::dialect::Dialect;
use agentls::loader::{judge, Case};
use support::{check_at, render};

fn path(d: Dialect) -> &'static str {
    match d {
        Dialect::Claude => ".claude/agents/reviewer.md",
        Dialect::Factory => ".factory/droids/reviewer.md",
        Dialect::Copilot => ".github/agents/reviewer.agent.md",
        Dialect::Opencode => ".opencode/agents/reviewer.md",
    }
}

/// A tool each dialect knows, for the cases that need a tools list.
fn tool(d: Dialect) -> &'static str {
    match d {
        Dialect::Copilot => "read",
        Dialect::Opencode => "read",
        _ => "Read",
    }
}

/// A clean agent whose frontmatter holds `lines` after `name` (and `description` unless `lines` sets one).
fn file(lines: &str) -> String {
    let desc = if lines.contains("description") { "" } else { "description: Reviews code.\n" };
    format!("---\nname: reviewer\n{desc}{lines}---\nYou review code.\n")
}

/// One matrix case: its letter in loaders.md, the text, the rule code it is reported under and
/// the loader case that decides its severity (`None`: every product loads it as written).
struct Row {
    letter: &'static str,
    text: String,
    code: &'static str,
    case: Option<Case>,
}

fn rows(d: Dialect) -> Vec<Row> {
    let t = tool(d);
    let row = |letter, text: String, code, case| Row { letter, text, code, case };
    vec![
        row("a", file("tags: [\n  one,\n  two\n]\n"), "yaml-syntax", None),
        row("b", file("description: Use when: reviewing\n"), "yaml-syntax", Some(Case::ColonInValue)),
        row("c", file(&format!("tools:\n\t- {t}\n")), "yaml-syntax", Some(Case::TabIndent)),
        row("c2", file("metadata:\n\towner: me\n"), "yaml-syntax", Some(Case::TabNestedMap)),
        row(
            "d",
            file("description: Reviews code.\ndescription: Reviews more code.\n"),
            "duplicate-key",
            Some(Case::DuplicateKey),
        ),
        row("e", file("tools:\n"), "tools-form", Some(Case::EmptyTools)),
        row("f", file("description: @team reviews\n"), "yaml-syntax", Some(Case::ReservedIndicator)),
        row("g", file("description: >\n  Reviews\n  code.\n"), "yaml-syntax", None),
        row("h", file("").replace('\n', "\r\n"), "yaml-syntax", None),
        row(
            "h+b",
            file("description: Use when: reviewing\n").replace('\n', "\r\n"),
            "yaml-syntax",
            Some(Case::CrlfColonInValue),
        ),
        row("i", format!("\u{feff}{}", file("")), "byte-order-mark", Some(Case::Bom)),
        row("j", file("description: \"Reviews code\n"), "yaml-syntax", Some(Case::UnclosedQuote)),
        row("l", file("description   : Reviews code.\n"), "yaml-syntax", None),
        row("m", file("").replacen("---\nYou", "...\nYou", 1), "unclosed-frontmatter", Some(Case::DotsClose)),
        row("n", file("description: Reviews code --- fast.\n"), "fence-in-frontmatter", Some(Case::FenceInValue)),
    ]
}

#[test]
fn every_matrix_case_in_every_dialect_gets_the_severity_its_loaders_imply() {
    let mut report = String::new();
    for d in Dialect::ALL {
        for r in rows(d) {
            let diags = check_at(path(d), &r.text);
            let found: Vec<_> = diags.iter().filter(|x| x.code == r.code).collect();
            let want = r.case.and_then(|c| judge(d, None, c).severity);
            match want {
                None => assert!(found.is_empty(), "{} case {}: expected no {}: {found:?}", d.id(), r.letter, r.code),
                Some(sev) => {
                    assert!(
                        !found.is_empty(),
                        "{} case {}: expected {} {}: {diags:?}",
                        d.id(),
                        r.letter,
                        sev.as_str(),
                        r.code
                    );
                    for x in &found {
                        assert_eq!(x.severity, sev, "{} case {}: {x:?}", d.id(), r.letter);
                        // At the culprit, never on the opening fence.
                        assert!(x.span.start > 3 || r.letter == "i", "{} case {}: {x:?}", d.id(), r.letter);
                    }
                }
            }
            // A case every product loads as written gets no error of any kind.
            if r.case.is_none() {
                let errors: Vec<_> = diags.iter().filter(|x| x.severity == Severity::Error).collect();
                assert!(errors.is_empty(), "{} case {} loads everywhere: {errors:?}", d.id(), r.letter);
            }
            let shown: Vec<_> = found.into_iter().cloned().collect();
            report.push_str(&format!("## {} {}\n{}", d.id(), r.letter, render(&r.text, &shown)));
        }
    }
    insta::assert_snapshot!("loader_matrix", report);
}

/// After any of the broken lines, the rest of the frontmatter is still read and checked, and
/// the broken value itself is read the way the tolerant loaders read it.
#[test]
fn checking_goes_on_after_each_broken_line() {
    for d in Dialect::ALL {
        for broken in [
            "description: Use when: reviewing\n",
            "description: @team\n",
            "hooks:\n\tstart: x\n",
            "description: \"open\n",
        ] {
            let text = file(&format!("{broken}model: gpt-nonexistent-9\n"));
            let diags = check_at(path(d), &text);
            assert!(
                diags.iter().any(|x| x.code == "unknown-model" || x.code == "malformed-model"),
                "{}: the model after {broken:?} was not checked: {diags:?}",
                d.id()
            );
        }
    }
    // The value read through the fallback is the whole rest of the line.
    let text = file("description: Use when: reviewing\n");
    let parsed = agentls::syntax::parse(&text);
    let fm = parsed.frontmatter.unwrap();
    assert_eq!(fm.get("description").unwrap().value.as_str(), Some("Use when: reviewing"));
}

/// The quick fixes make each file load everywhere: after the safe fixes, no loader case is left.
#[test]
fn the_fixes_make_the_file_load_everywhere() {
    for d in Dialect::ALL {
        for r in rows(d) {
            if !matches!(r.letter, "b" | "c" | "c2" | "f" | "h+b" | "i" | "j" | "m") {
                continue;
            }
            let fixed = agentls::engine::fix(&r.text, Some(std::path::Path::new(path(d))), &Default::default()).text;
            let diags = check_at(path(d), &fixed);
            assert!(
                !diags.iter().any(|x| x.code == r.code),
                "{} case {}: still {} after the fixes:\n{fixed}\n{diags:?}",
                d.id(),
                r.letter,
                r.code
            );
        }
    }
}

/// The marker a fixture or an example carries when its product loads it as written.
const LOADS_UNCHANGED: &str = "<!-- agentls-test: loads-unchanged -->";

#[test]
fn files_their_products_load_unchanged_have_no_error() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for dir in ["examples", "tests/fixtures"] {
        for entry in ignore::WalkBuilder::new(root.join(dir)).hidden(false).build().flatten() {
            let p = entry.path();
            if p.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(p).unwrap();
            if !text.contains(LOADS_UNCHANGED) {
                continue;
            }
            let rel = p.strip_prefix(root.join(dir)).unwrap().to_string_lossy().replace('\\', "/");
            let diags = check_at(&rel, &text);
            let errors: Vec<_> = diags.iter().filter(|x| x.severity == Severity::Error).collect();
            assert!(errors.is_empty(), "{dir}/{rel} loads unchanged, yet: {errors:?}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} files carry the marker");
}
