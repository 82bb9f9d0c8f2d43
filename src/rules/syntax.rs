//! Rules about the file's structure: YAML errors, duplicate keys, the frontmatter's placement,
//! an empty body.

use std::collections::HashMap;

use super::{fix, Ctx};
use crate::diagnostic::Severity;
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
    for p in &cx.a.parsed.problems {
        let code = match p.kind {
            ProblemKind::YamlSyntax => RuleCode::YamlSyntax,
            ProblemKind::DuplicateKey => RuleCode::DuplicateKey,
            ProblemKind::UnclosedFrontmatter => RuleCode::UnclosedFrontmatter,
            ProblemKind::FrontmatterNotFirst => RuleCode::FrontmatterNotFirst,
            ProblemKind::NotAMapping => RuleCode::FrontmatterNotMapping,
            ProblemKind::TooDeep => RuleCode::YamlTooDeep,
        };
        let message = match p.kind {
            ProblemKind::DuplicateKey => {
                let key = &text[p.span.clone()];
                let first = first_key.get(key.trim_matches(['"', '\''])).copied();
                match first {
                    Some(f) if f < p.span.start => {
                        let line = newlines.partition_point(|&n| n < f) + 1;
                        format!(
                            "duplicate key `{key}`: it is already set on line {line}; loaders keep only one of the two"
                        )
                    }
                    _ => p.message.clone(),
                }
            }
            _ => p.message.clone(),
        };
        let quote_fix = if p.kind == ProblemKind::YamlSyntax { unquoted_colon_fix(text, p.span.start) } else { None };
        let close_at = cx.a.parsed.frontmatter.as_ref().map(|f| f.content.end);
        let bom = cx.a.parsed.bom;
        let Some(d) = cx.emit(code, p.span.clone(), message) else { continue };
        match p.kind {
            ProblemKind::YamlSyntax => {
                if let Some(f) = quote_fix {
                    d.message.push_str(": a plain value cannot contain `: `; quote it");
                    d.fixes.push(f);
                }
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
    let Some(detected) = cx.a.detected else { return };
    let parsed = &cx.a.parsed;
    match &parsed.frontmatter {
        None => {
            let first_line_end = text.find(['\n', '\r']).unwrap_or(text.len());
            let span = parsed.bom..first_line_end.max(parsed.bom);
            let noun = detected.dialect.a_noun();
            cx.emit(
                RuleCode::MissingFrontmatter,
                span,
                format!("{noun} must start with YAML frontmatter (`---` on line 1, then `name:`, `description:`...)"),
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
                        detected.dialect.noun(),
                        if body_required { ", and the loader refuses an empty one" } else { "" }
                    ),
                );
            }
        }
    }
}

/// For `key: value: more` (a plain value holding `: `), the fix that double-quotes the value.
fn unquoted_colon_fix(text: &str, at: usize) -> Option<crate::diagnostic::Fix> {
    let line_start = text[..at.min(text.len())].rfind(['\n', '\r']).map_or(0, |p| p + 1);
    let line_end = text[line_start..].find(['\n', '\r']).map_or(text.len(), |p| line_start + p);
    let line = &text[line_start..line_end];
    let indent = line.len() - line.trim_start().len();
    let key_end = line.find(": ")?;
    let key = &line[indent..key_end];
    if key.is_empty() || key.contains([' ', '"', '\'', '[', '{', '#']) || key.starts_with('-') {
        return None;
    }
    let value = line[key_end + 2..].trim();
    if !value.contains(": ") || value.starts_with(['"', '\'', '[', '{', '|', '>']) {
        return None;
    }
    let vstart = line_start + key_end + 2 + (line[key_end + 2..].len() - line[key_end + 2..].trim_start().len());
    let quoted = format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
    Some(fix("Quote the value", vstart..vstart + value.len(), quoted, true))
}
