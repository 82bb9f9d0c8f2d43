//! Mentions of tools in the body: known tool names of every dialect that the prose tells the
//! agent to use ("via Bash", "the Read tool") or that stand alone in inline code.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::analysis::Analysis;
use crate::catalog::{self, ToolSpec};
use crate::diagnostic::Span;
use crate::dialect::Dialect;

/// PascalCase tool names of every dialect: the words worth looking for in prose.
fn known_tools() -> &'static HashMap<&'static str, Vec<(Dialect, &'static ToolSpec)>> {
    static M: OnceLock<HashMap<&'static str, Vec<(Dialect, &'static ToolSpec)>>> = OnceLock::new();
    M.get_or_init(|| {
        let mut m: HashMap<&str, Vec<(Dialect, &ToolSpec)>> = HashMap::new();
        for d in Dialect::ALL {
            for t in &catalog::builtin(d).tools {
                if t.name.len() >= 2 && t.name.starts_with(|c: char| c.is_ascii_uppercase()) {
                    m.entry(t.name.as_str()).or_default().push((d, t));
                }
            }
        }
        m
    })
}

/// Finds the known tool names in text: one pass for all of them, whatever the text's size
/// (a regex for "via X" / "X tool" spent a tenth of `agentls check` in its automaton).
fn tool_names() -> &'static AhoCorasick {
    static A: OnceLock<AhoCorasick> = OnceLock::new();
    A.get_or_init(|| {
        // Only names made of ASCII letters can be mentioned as words; the longest match at a
        // position wins, so `TaskOutput` is found as itself and not as `Task`.
        let names = known_tools().keys().filter(|n| n.bytes().all(|b| b.is_ascii_alphabetic()));
        AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(names).expect("tool names build")
    })
}

/// Words that introduce a tool name: "via Bash", "use the Execute tool", "running Grep".
const LEAD_WORDS: &[&str] = &[
    "via", "Via", "use", "Use", "uses", "Uses", "using", "Using", "call", "Call", "calls", "Calls", "calling",
    "Calling", "run", "Run", "runs", "Runs", "running", "Running", "invoke", "Invoke", "with", "With",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when `s` (a prose run, up to a tool name) ends with a lead word, optionally followed
/// by "the": `use `, `via the `, `Running  `. Whitespace must separate the words.
fn led_by_verb(s: &str) -> bool {
    let Some(s) = s.strip_suffix(char::is_whitespace) else { return false };
    let s = s.trim_end();
    let s = match s.strip_suffix("the") {
        Some(rest) if rest.ends_with(char::is_whitespace) && !rest.trim_end().is_empty() => rest.trim_end(),
        _ => s,
    };
    let word_start =
        s.rfind(|c: char| !is_word_char(c)).map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
    LEAD_WORDS.contains(&&s[word_start..])
}

/// True when `s` (a prose run, after a tool name) starts with whitespace and the word "tool".
fn followed_by_tool(s: &str) -> bool {
    let rest = s.trim_start();
    rest.len() < s.len() && rest.strip_prefix("tool").is_some_and(|r| !r.starts_with(is_word_char))
}
/// Mentions of known tool names in the body's prose and inline code within `within`, sorted by position.
pub fn tool_mentions(a: &Analysis, within: Span) -> Vec<(String, Span)> {
    let text = a.text;
    let known = known_tools();
    let inside = |r: &Span| r.start >= within.start && r.end <= within.end;
    let mut found: Vec<(String, Span)> = Vec::new();
    let prose = &a.parsed.body.prose;
    let within = within.start.min(text.len())..within.end.min(text.len());
    if !prose.is_empty() && text.is_char_boundary(within.start) && text.is_char_boundary(within.end) {
        for m in tool_names().find_iter(&text[within.clone()]) {
            let name = within.start + m.start()..within.start + m.end();
            // The prose run holding the name: mentions never cross runs (markup, code, lines).
            let i = prose.partition_point(|r| r.start <= name.start);
            let Some(run) = i.checked_sub(1).map(|i| &prose[i]) else { continue };
            if name.end > run.end || !inside(run) {
                continue;
            }
            let before = &text[run.start..name.start];
            let after = &text[name.end..run.end];
            // A whole word: no word character right before or after the name.
            if before.ends_with(is_word_char) || after.starts_with(is_word_char) {
                continue;
            }
            if led_by_verb(before) || followed_by_tool(after) {
                found.push((text[name.clone()].to_string(), name));
            }
        }
    }
    for r in a.parsed.body.inline_code.iter().filter(|r| inside(r)) {
        let s = &text[r.clone()];
        if s.len() >= 4 && known.contains_key(s) {
            found.push((s.to_string(), r.clone()));
        }
    }
    found.sort_by_key(|(_, s)| s.start);
    found
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::analysis::{analyze, Settings};

    /// The tool names `tool_mentions` finds in the body of a Claude agent.
    fn mentions(body: &str) -> Vec<String> {
        let text = format!("---\nname: x\n---\n{body}");
        let a = analyze(&text, Some(Path::new(".claude/agents/x.md")), &Settings::default());
        super::tool_mentions(&a, a.parsed.body.span.clone()).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn lead_words_and_the_tool_suffix() {
        assert_eq!(mentions("Search via Grep, then use the Read tool.\n"), ["Grep", "Read"]);
        assert_eq!(mentions("Using  Bash and calling WebFetch; running\tGlob.\n"), ["Bash", "WebFetch", "Glob"]);
        assert_eq!(mentions("The Write tool, the TaskOutput tool.\n"), ["Write", "TaskOutput"]);
        assert_eq!(mentions("Invoke Task with the Skill tool\n"), ["Task", "Skill"]);
        assert_eq!(mentions("`MultiEdit` and `LS` in code, `Bash` too\n"), ["MultiEdit", "Bash"]);
    }

    #[test]
    fn only_whole_words_after_whole_lead_words() {
        // Not a lead word, no "tool" after, or the name is part of a longer word.
        assert!(mentions("Read the file. Refuse Bash. Reuse Grep. Bash is there.\n").is_empty());
        assert!(mentions("use Bash2, use Bashful, use XBash, use Bash_x, use Bashé, via ÉBash\n").is_empty());
        assert!(mentions("use\u{a0}the\u{a0}Grep\n") == ["Grep"]);
        assert!(mentions("Grep tools, Grep toolkit, usethe Grep, use theGrep, bathe Grep\n").is_empty());
        assert!(mentions("use the the Grep, Used Grep, uses: Grep\n").is_empty());
        // Not across markup or lines, and not in code blocks.
        assert!(mentions("use **Bash**, Grep *tool*\nvia\nBash\n```\nuse Bash\n```\n").is_empty());
    }
}
