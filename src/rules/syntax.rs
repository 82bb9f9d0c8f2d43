//! Rules about the file's structure: YAML errors, duplicate keys, the frontmatter's placement,
//! an empty body.

use std::collections::HashMap;

use super::{fix, Ctx};
use crate::diagnostic::Severity;
use crate::dialect::Dialect;
use crate::loader::{self, Case};
use crate::registry::RuleCode;
use crate::syntax::ProblemKind;

pub(super) fn check(cx: &mut Ctx) {
    let text = cx.text;
    let nl = super::line_break(text);
    // Where each top-level key first appears, and the line starts, built once: a frontmatter may
    // repeat keys thousands of times, and a scan of the entries and the text for every repeat
    // would be quadratic.
    let mut first_key: HashMap<&str, usize> = HashMap::new();
    let mut newlines: Vec<usize> = Vec::new();
    if cx.a.parsed.problems.iter().any(|p| p.kind == ProblemKind::DuplicateKey) {
        for e in cx.a.parsed.frontmatter.iter().flat_map(|f| f.entries()) {
            if let Some(k) = e.key.as_str() {
                first_key.entry(k).or_insert(e.key.span.start);
            }
        }
        newlines = text.match_indices('\n').map(|(i, _)| i).collect();
    }
    let crlf = nl == "\r\n";
    let target = target(cx);
    for p in &cx.a.parsed.problems {
        let code = match p.kind {
            ProblemKind::YamlSyntax
            | ProblemKind::ColonInValue
            | ProblemKind::TabIndent { .. }
            | ProblemKind::ReservedIndicator
            | ProblemKind::UnclosedQuote => RuleCode::YamlSyntax,
            ProblemKind::DuplicateKey => RuleCode::DuplicateKey,
            ProblemKind::UnclosedFrontmatter | ProblemKind::DotsClose => RuleCode::UnclosedFrontmatter,
            ProblemKind::FrontmatterNotFirst => RuleCode::FrontmatterNotFirst,
            ProblemKind::NotAMapping => RuleCode::FrontmatterNotMapping,
            ProblemKind::TooDeep => RuleCode::YamlTooDeep,
            ProblemKind::FenceInValue => RuleCode::FenceInFrontmatter,
        };
        let case = match p.kind {
            ProblemKind::YamlSyntax => Some(Case::OtherSyntax),
            ProblemKind::ColonInValue if crlf => Some(Case::CrlfColonInValue),
            ProblemKind::ColonInValue => Some(Case::ColonInValue),
            ProblemKind::TabIndent { nested_map: false } => Some(Case::TabIndent),
            ProblemKind::TabIndent { nested_map: true } => Some(Case::TabNestedMap),
            ProblemKind::ReservedIndicator => Some(Case::ReservedIndicator),
            ProblemKind::UnclosedQuote => Some(Case::UnclosedQuote),
            ProblemKind::DuplicateKey => Some(Case::DuplicateKey),
            ProblemKind::DotsClose => Some(Case::DotsClose),
            ProblemKind::FenceInValue => Some(Case::FenceInValue),
            _ => None,
        };
        // What the products that read this file make of it: the severity, and what to say.
        let verdict = match (case, cx.dialect()) {
            (Some(c), Some(d)) => Some(loader::judge(d, target, c)),
            _ => None,
        };
        if p.kind == ProblemKind::FenceInValue && verdict.as_ref().is_none_or(|v| v.severity.is_none()) {
            continue;
        }
        let what = match p.kind {
            ProblemKind::DuplicateKey => {
                let key = &text[p.span.clone()];
                let first = first_key.get(key.trim_matches(['"', '\''])).copied();
                match first {
                    Some(f) if f < p.span.start => {
                        let line = newlines.partition_point(|&n| n < f) + 1;
                        format!("duplicate key `{key}`: it is already set on line {line}")
                    }
                    _ => p.message.clone(),
                }
            }
            ProblemKind::ColonInValue => "this plain value holds `: `, which strict YAML refuses".to_string(),
            ProblemKind::TabIndent { .. } => "YAML forbids tabs in indentation".to_string(),
            ProblemKind::ReservedIndicator => {
                format!("a plain value cannot start with `{}` in YAML", &text[p.span.start..p.span.start + 1])
            }
            ProblemKind::UnclosedQuote => "this quote is never closed".to_string(),
            ProblemKind::DotsClose => "the frontmatter is closed by `...`, not `---`".to_string(),
            ProblemKind::FenceInValue => "`---` inside the frontmatter".to_string(),
            _ => p.message.clone(),
        };
        let (severity, message) = match &verdict {
            // Every product that reads the file loads it as written.
            Some(v) if v.severity.is_none() => continue,
            Some(v) => (v.severity.expect("checked"), format!("{what}: {}", v.say())),
            None => (cx.default_severity(code), what),
        };
        let quote_fix = match p.kind {
            ProblemKind::ColonInValue | ProblemKind::ReservedIndicator => quote_fix(text, p.span.clone()),
            _ => None,
        };
        let close_at = cx.a.parsed.frontmatter.as_ref().map(|f| f.content.end);
        let bom = cx.a.parsed.bom;
        let Some(d) = cx.emit_at(code, severity, p.span.clone(), message) else { continue };
        match p.kind {
            ProblemKind::ColonInValue | ProblemKind::ReservedIndicator => d.fixes.extend(quote_fix),
            ProblemKind::TabIndent { .. } => {
                let spaces = text[p.span.clone()].replace('\t', "  ");
                d.fixes.push(fix("Indent with spaces", p.span.clone(), spaces, true));
            }
            ProblemKind::UnclosedQuote => {
                let q = &text[p.span.start..p.span.start + 1];
                let end = text[p.span.start..].find(['\n', '\r']).map_or(text.len(), |i| p.span.start + i);
                let end = p.span.start + text[p.span.start..end].trim_end().len();
                d.fixes.push(fix("Close the quote", end..end, q, true));
            }
            ProblemKind::DuplicateKey => {
                // Deleting the repeated line: the value VS Code and strict parsers would not see
                // (Claude Code and Factory use it), so this is not applied on its own.
                let ls = text[..p.span.start].rfind('\n').map_or(0, |i| i + 1);
                if text[ls..p.span.start].trim().is_empty() {
                    let le = text[p.span.start..].find('\n').map_or(text.len(), |i| p.span.start + i + 1);
                    let value_continues = text[le..].starts_with([' ', '\t']);
                    if !value_continues {
                        d.fixes.push(fix(format!("Remove this `{}` line", &text[p.span.clone()]), ls..le, "", false));
                    }
                }
            }
            ProblemKind::DotsClose => {
                d.fixes.push(fix("Close the frontmatter with `---`", p.span.clone(), "---", true))
            }
            ProblemKind::UnclosedFrontmatter => {
                if let Some(at) = close_at {
                    d.fixes.push(fix("Close the frontmatter with `---`", at..at, format!("---{nl}"), true));
                }
            }
            ProblemKind::FrontmatterNotFirst => {
                d.fixes.push(fix("Remove the blank lines before the frontmatter", bom..p.span.start, "", true));
            }
            _ => {}
        }
    }
    // A byte-order mark before the opening `---`.
    if cx.a.parsed.bom > 0 && cx.a.parsed.frontmatter.is_some() {
        if let Some(d) = cx.dialect() {
            let v = loader::judge(d, target, Case::Bom);
            if let Some(sev) = v.severity {
                let msg = format!("the file starts with a byte-order mark: {}", v.say());
                let bom = cx.a.parsed.bom;
                if let Some(diag) = cx.emit_at(RuleCode::ByteOrderMark, sev, 0..bom, msg) {
                    diag.fixes.push(fix("Remove the byte-order mark", 0..bom, "", true));
                }
            }
        }
    }
    let Some(detected) = cx.a.detected else { return };
    let parsed = &cx.a.parsed;
    match &parsed.frontmatter {
        // A skill, command or memory file may go without frontmatter where its product allows it.
        None if !detected.kind.is_agent_like()
            && detected.kind != crate::dialect::FileKind::Prompt
            && !cx.catalog().is_some_and(|c| c.frontmatter_required) => {}
        None => {
            let first_line_end = text.find(['\n', '\r']).unwrap_or(text.len());
            let span = parsed.bom..first_line_end.max(parsed.bom);
            let noun = cx.a_noun();
            let then = match detected.dialect {
                _ if !detected.kind.is_agent_like() && detected.kind != crate::dialect::FileKind::Prompt => {
                    "; the product skips a file without one"
                }
                Dialect::Claude => "; Claude Code skips a file without one",
                Dialect::Factory => {
                    "; Factory loads it with every field dropped: every tool, the whole file as its prompt"
                }
                Dialect::Copilot => "; GitHub refuses an agent without a `description`",
                Dialect::Opencode => "; OpenCode loads it with the whole file as its prompt and no description",
            };
            cx.emit(
                RuleCode::MissingFrontmatter,
                span,
                format!(
                    "{noun} must start with YAML frontmatter (`---` on line 1, then `name:`, `description:`...){then}"
                ),
            );
        }
        Some(fm) => {
            let body_required = cx.catalog().is_some_and(|c| c.body_required);
            if parsed.body.is_empty(text) && fm.close.is_some() {
                let sev = if body_required { Severity::Error } else { Severity::Warning };
                let close = fm.close.clone().expect("checked");
                cx.emit_at(
                    RuleCode::EmptyBody,
                    sev,
                    close,
                    format!(
                        "the body is empty: it is the {}'s system prompt{}",
                        detected.noun(),
                        if body_required { ", and the loader refuses an empty one" } else { "" }
                    ),
                );
            }
        }
    }
}

/// The fix that double-quotes a plain value (the span of the value).
fn quote_fix(text: &str, span: crate::diagnostic::Span) -> Option<crate::diagnostic::Fix> {
    let value = text.get(span.clone())?;
    if value.is_empty() || value.starts_with(['"', '\'']) {
        return None;
    }
    let quoted = format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
    Some(fix("Quote the value", span, quoted, true))
}

/// A Copilot file's `target` (`vscode` or `github-copilot`), which says whose loader reads it.
fn target<'a>(cx: &Ctx<'a, '_>) -> Option<&'a str> {
    cx.a.parsed.frontmatter.as_ref()?.get("target")?.value.as_str()
}
