//! Arbitrary text as a `.agentls.yaml`: parsing must never panic, hang or blow up memory (alias
//! bombs, deep nesting, huge regexes), every problem must point inside the text, and a policy that
//! parses must then drive a check of a real agent file without panicking.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use agentls::analysis::Settings;
use agentls::engine::check;
use agentls::policy::{self, LoadedPolicy};
use libfuzzer_sys::fuzz_target;

/// A droid with tools, a model and sections, so policy rules (deny lists, patterns, sections) fire.
const AGENT: &str = "---\nname: reviewer\ndescription: Reviews code for security issues. Use after every change.\n\
model: claude-sonnet-4-5\ntools: [Read, Grep, Execute, mcp__github__create_issue]\n---\n\n\
# Reviewer\n\n## Role\n\nYou review diffs.\n\n## Steps\n\n1. Run `Execute` with `git diff`.\n";

const FILES: [&str; 3] = [".factory/droids/reviewer.md", ".claude/agents/reviewer.md", "docs/reviewer.md"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let path = Path::new("workspace/.agentls.yaml");
    let (parsed, problems) = policy::parse_all(text, Some(path));
    for p in &problems {
        assert!(p.span.start <= p.span.end && p.span.end <= text.len(), "problem span {:?} outside the text", p.span);
        assert!(p.line >= 1 && p.column >= 1);
        let _ = p.to_string();
    }
    assert_eq!(parsed.is_some(), !problems.iter().any(|p| p.is_error()), "a policy with errors must not load");
    // `parse` agrees with `parse_all`.
    assert_eq!(policy::parse(text, Some(path)).is_ok(), parsed.is_some());
    if let Some(p) = parsed {
        let loaded = LoadedPolicy::from_policy(p, Some(PathBuf::from("workspace/.agentls.yaml")));
        let settings = Settings { policy: Arc::new(loaded), ..Settings::default() };
        for f in FILES {
            let file = Path::new("workspace").join(f);
            for d in check(AGENT, Some(&file), &settings) {
                assert!(d.span.end <= AGENT.len() && AGENT.is_char_boundary(d.span.start));
            }
        }
    }
});
