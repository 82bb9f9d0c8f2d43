//! Rules about the Markdown body: required and recommended sections (with fixes that insert
//! them where the policy's order says), empty required sections, and tools the body tells the
//! agent to use but the frontmatter does not grant.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{fix, Ctx};
use crate::catalog::{self, Status, ToolSpec};
use crate::diagnostic::{Fix, Span, TextEdit};
use crate::dialect::Dialect;
use crate::policy::SectionSpec;
use crate::registry::RuleCode;
use crate::rules::tools::{equivalent, resolve, Resolved};
use crate::syntax::Body;
use crate::tools::{self, Shape, ToolList};

pub(super) fn check(cx: &mut Ctx) {
    let Some(det) = cx.a.detected else { return };
    if cx.a.parsed.frontmatter.is_none() {
        return;
    }
    // Sections are a convention of agent system prompts, not of prompt files.
    if det.kind == crate::dialect::FileKind::Agent {
        sections(cx);
    }
    mentions(cx);
}

/// True when `h` is the heading of `spec` (the one matcher, in `semantics::sections`).
pub(crate) use crate::semantics::sections::heading_matches as matches;

/// The edit that inserts `spec` as a new section, placed by `order` relative to the sections present.
pub fn insert_section(text: &str, body: &Body, order: &[&SectionSpec], spec: &SectionSpec) -> TextEdit {
    let nl = super::line_break(text);
    let idx = order.iter().position(|s| s.title == spec.title).unwrap_or(order.len());
    let find = |s: &SectionSpec| body.headings.iter().find(|h| matches(s, h));
    let level = spec.level.unwrap_or(2).clamp(1, 6) as usize;
    let template = spec.template.as_deref().unwrap_or_default();
    let template = if nl == "\n" { template.into() } else { std::borrow::Cow::Owned(template.replace('\n', nl)) };
    let mut block = format!("{} {}{nl}{nl}", "#".repeat(level), spec.title);
    if !template.trim().is_empty() {
        block.push_str(template.trim_end());
        block.push_str(nl);
        block.push_str(nl);
    }
    // Before the next section of the order that is present...
    if let Some(h) = order[idx.min(order.len())..].iter().skip(1).find_map(|s| find(s)) {
        return TextEdit { span: h.span.start..h.span.start, new_text: block };
    }
    // ...or after the previous one...
    if let Some(h) = order[..idx.min(order.len())].iter().rev().find_map(|s| find(s)) {
        let at = h.section.end;
        let sep = if text[..at].ends_with("\n\n") || text[..at].ends_with("\r\n\r\n") || at == body.span.start {
            ""
        } else if text[..at].ends_with('\n') {
            nl
        } else {
            return TextEdit { span: at..at, new_text: format!("{nl}{nl}{block}") };
        };
        return TextEdit { span: at..at, new_text: format!("{sep}{block}") };
    }
    // ...or at the end of the body.
    let at = text.len();
    let sep = if text.ends_with("\n\n") || text.ends_with("\r\n\r\n") || text[body.span.clone()].trim().is_empty() {
        ""
    } else if text.ends_with('\n') {
        nl
    } else {
        return TextEdit { span: at..at, new_text: format!("{nl}{nl}{block}") };
    };
    TextEdit { span: at..at, new_text: format!("{sep}{block}") }
}

/// The policy's sections in order: required, then recommended.
pub fn section_order(cx_policy: &crate::policy::EffectivePolicy) -> Vec<&SectionSpec> {
    cx_policy.sections.required.iter().chain(cx_policy.sections.recommended.iter()).collect()
}

fn sections(cx: &mut Ctx) {
    let a = cx.a;
    let text = cx.text;
    let body = &a.parsed.body;
    let fm = a.parsed.frontmatter.as_ref().expect("checked");
    let anchor: Span = fm.close.clone().unwrap_or(fm.open.clone());
    let order = section_order(&a.policy);
    for (required, list) in [(true, &a.policy.sections.required), (false, &a.policy.sections.recommended)] {
        for spec in list {
            if let Some(h) = body.headings.iter().find(|h| matches(spec, h)) {
                if required {
                    let content = body.section_content(h);
                    if text[content].trim().is_empty() {
                        cx.emit(
                            RuleCode::EmptySection,
                            h.title_span.clone(),
                            format!("the required section `{}` is empty", spec.title),
                        );
                    }
                }
                continue;
            }
            let edit = insert_section(text, body, &order, spec);
            let code = if required { RuleCode::MissingSection } else { RuleCode::RecommendedSection };
            let why = if required { "the team policy requires" } else { "agentls recommends" };
            let plain = first_sentence(&spec.doc);
            let doc = plain.as_str();
            let msg = if doc.is_empty() {
                format!("{why} a `## {}` section", spec.title)
            } else {
                format!("{why} a `## {}` section: {doc}", spec.title)
            };
            if let Some(d) = cx.emit(code, anchor.clone(), msg) {
                d.fixes.push(Fix { title: format!("Insert section `{}`", spec.title), edits: vec![edit], safe: false });
            }
        }
    }
}

/// A section doc's first sentence as plain text on one line: `**` dropped, blanks collapsed, up to
/// the first ". " and without a final period. One pass and (without `**`) one allocation, since it runs for every
/// missing section of every file checked.
fn first_sentence(doc: &str) -> String {
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
/// The tools a file's frontmatter grants (its first allow-list key), when that is a readable list.
pub(crate) fn granted_tools(a: &crate::analysis::Analysis, cat: &catalog::Catalog) -> Option<ToolList> {
    let fm = a.parsed.frontmatter.as_ref()?;
    cat.tool_keys
        .iter()
        .filter(|k| !k.to_ascii_lowercase().starts_with("disallowed"))
        .find_map(|k| fm.get(k))
        .map(|e| tools::read(e, a.text))
        .filter(|l| !matches!(l.shape, Shape::Empty | Shape::Other | Shape::Map))
}

/// Mentions of known tool names in the body's prose and inline code within `within`, sorted by position.
pub(crate) fn tool_mentions(a: &crate::analysis::Analysis, within: Span) -> Vec<(String, Span)> {
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

fn mentions(cx: &mut Ctx) {
    let (Some(cat), Some(dialect)) = (cx.catalog(), cx.dialect()) else { return };
    let a = cx.a;
    let text = cx.text;
    let granted = granted_tools(a, cat);
    let found = tool_mentions(a, a.parsed.body.span.clone());
    for (name, span) in found {
        let is_granted = |n: &str| granted.as_ref().is_none_or(|g| covers(cat, g, n));
        match resolve(cat, dialect, &name, false) {
            Resolved::Tool(t) if t.status == Status::Current && !is_granted(&t.name) => {
                let f = granted.as_ref().and_then(|g| g.insertion(text, &t.name)).map(|e| Fix {
                    title: format!("Add `{}` to the tools", t.name),
                    edits: vec![e],
                    safe: false,
                });
                let msg = format!("the body tells the agent to use `{name}`, but `{name}` is not in its tools");
                if let Some(d) = cx.emit(RuleCode::BodyToolNotGranted, span, msg) {
                    d.fixes.extend(f);
                }
            }
            Resolved::Foreign(other, ft) => {
                let eq = equivalent(cat, ft);
                let msg = match eq {
                    Some(e) if is_granted(&e.name) => format!(
                        "the body tells the agent to use `{name}`, {} tool; {}'s equivalent is `{}`",
                        other.a_display(),
                        dialect.a_noun(),
                        e.name
                    ),
                    Some(e) => format!(
                        "the body tells the agent to use `{name}`, {} tool; {}'s equivalent is `{}`, which is not in its tools either",
                        other.a_display(),
                        dialect.a_noun(),
                        e.name
                    ),
                    None => format!(
                        "the body tells the agent to use `{name}`, {} tool that {} does not have",
                        other.a_display(),
                        dialect.a_noun()
                    ),
                };
                let f = eq.map(|e| fix(format!("Replace with `{}`", e.name), span.clone(), e.name.clone(), false));
                if let Some(d) = cx.emit(RuleCode::BodyToolNotGranted, span, msg) {
                    d.fixes.extend(f);
                }
            }
            _ => {}
        }
    }
}

/// True when the tool list grants `name` directly, by alias, or through a category.
pub(crate) fn covers(cat: &catalog::Catalog, list: &ToolList, name: &str) -> bool {
    list.items.iter().any(|i| {
        let same = if cat.tools_case_insensitive { i.name.eq_ignore_ascii_case(name) } else { i.name == name };
        same || cat.tool(&i.name).is_some_and(|t| t.name == name)
            || cat.category(&i.name).is_some_and(|c| c.tools.iter().any(|t| t == name))
            || i.name == "*"
    })
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
