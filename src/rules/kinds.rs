//! Rules of the kinds of file that are not agents: a command's or skill's `` !`cmd` `` lines that
//! its `allowed-tools` does not pre-approve, an instructions file's malformed `applyTo` globs, and
//! a skill name over its product's length limit.

use super::Ctx;
use crate::catalog::Catalog;
use crate::dialect::FileKind;
use crate::registry::RuleCode;
use crate::semantics::tools::key_grants;
use crate::tools::{self, ToolList};

pub(super) fn check(cx: &mut Ctx) {
    let (Some(cat), Some(det)) = (cx.catalog(), cx.a.detected) else { return };
    match det.kind {
        FileKind::Command | FileKind::Skill => shell_lines(cx, cat),
        FileKind::Instructions => apply_to(cx),
        _ => {}
    }
    name_length(cx, cat);
}

/// The `` !`cmd` `` spans of the body: inline code right after a `!` (the command's span).
pub fn shell_injections(text: &str, code: &[crate::diagnostic::Span]) -> Vec<crate::diagnostic::Span> {
    code.iter()
        .filter(|c| text[..c.start].trim_end_matches('`').ends_with('!'))
        .filter(|c| !text[(*c).clone()].trim().is_empty())
        .cloned()
        .collect()
}

fn shell_lines(cx: &mut Ctx, cat: &Catalog) {
    if !cat.has_body_feature("shell-injection") || !cat.tool_patterns {
        return;
    }
    let a = cx.a;
    let text = cx.text;
    let shell = cat.tool_for_concept("shell").map_or("Bash", |t| t.name.as_str()).to_string();
    let fm = a.parsed.frontmatter.as_ref();
    let list: Option<(String, ToolList)> = fm.and_then(|fm| {
        cat.tool_keys
            .iter()
            .filter(|k| key_grants(k))
            .find_map(|k| fm.get(k).map(|e| (k.clone(), tools::read_in(cat, e, text))))
    });
    for span in shell_injections(text, &a.parsed.body.inline_code) {
        let cmd = text[span.clone()].trim();
        let allowed = list.as_ref().is_some_and(|(_, l)| {
            l.items.iter().any(|it| {
                it.name == shell && {
                    let whole = &text[it.item_span.clone()];
                    let inner =
                        whole.find('(').and_then(|i| whole.rfind(')').filter(|j| *j > i).map(|j| &whole[i + 1..j]));
                    inner.is_none_or(|p| pattern_allows(p, cmd))
                }
            })
        });
        if allowed {
            continue;
        }
        // The program and its subcommand (`git branch`), not its options or arguments.
        let words: Vec<&str> = cmd.split_whitespace().take(2).collect();
        let first = match words.as_slice() {
            [p, sub] if sub.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !sub.starts_with('-') => {
                format!("{p} {sub}")
            }
            [p, ..] => p.to_string(),
            [] => cmd.to_string(),
        };
        let msg = match &list {
            Some((key, _)) => format!(
                "`!{cmd}` runs before the prompt, but `{key}` does not pre-approve it: add `{shell}({first}:*)` (or the exact command), or the command fails unless the user's permission settings allow it"
            ),
            None => format!(
                "`!{cmd}` runs before the prompt and needs `allowed-tools: {shell}({first}:*)`; without it the command fails unless the user's permission settings allow it"
            ),
        };
        let grant = format!("{shell}({first}:*)");
        let edit = match &list {
            Some((_, l)) => l.insertion(text, &grant),
            // No `allowed-tools` yet: add it before the closing fence.
            None => fm.and_then(|fm| fm.close.as_ref()).map(|c| crate::diagnostic::TextEdit {
                span: c.start..c.start,
                new_text: format!("allowed-tools: {grant}{}", super::line_break(text)),
            }),
        };
        if let Some(d) = cx.emit(RuleCode::ShellNotAllowed, span, msg) {
            if let Some(e) = edit {
                d.fixes.push(crate::diagnostic::Fix {
                    title: format!("Pre-approve `{grant}`"),
                    edits: vec![e],
                    safe: false,
                });
            }
        }
    }
}

/// Whether a `Bash(...)` permission pattern covers a command: `git diff:*` is a prefix, `*`
/// matches anything, otherwise the command must be the pattern itself.
pub fn pattern_allows(pattern: &str, cmd: &str) -> bool {
    let p = pattern.trim();
    if p.is_empty() || p == "*" {
        return true;
    }
    if let Some(prefix) = p.strip_suffix(":*") {
        return cmd.starts_with(prefix.trim_end());
    }
    if !p.contains('*') {
        return p == cmd;
    }
    // The policy's glob matcher (`*` any run, iterative): the same rule as tool globs.
    crate::policy::glob_any(&[p.to_string()], cmd)
}

/// `applyTo: "**/*.ts, src/**/*.{js,jsx}"`: each comma-separated glob must parse.
fn apply_to(cx: &mut Ctx) {
    let Some(fm) = cx.a.parsed.frontmatter.as_ref() else { return };
    // Copilot's `applyTo`, Claude Code's `paths` (a rule file).
    let Some(e) = fm.get("applyTo").or_else(|| fm.get("paths")) else { return };
    let Some(value) = e.value.as_str() else { return };
    let (inner, exact) = tools::name_span(&e.value, cx.text);
    let mut depth = 0i32;
    let mut start = 0;
    let mut pieces = Vec::new();
    for (i, c) in value.char_indices() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            ',' if depth <= 0 => {
                pieces.push((start, &value[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push((start, &value[start..]));
    for (off, piece) in pieces {
        let g = piece.trim();
        if g.is_empty() {
            continue;
        }
        let lead = piece.len() - piece.trim_start().len();
        let span =
            if exact { inner.start + off + lead..inner.start + off + lead + g.len() } else { e.value.span.clone() };
        if let Err(err) = globset::GlobBuilder::new(g).literal_separator(true).build() {
            let why = err.kind().to_string();
            cx.emit(
                RuleCode::InvalidGlob,
                span,
                format!("`{g}` is not a valid glob ({why}): the instructions are never applied to the files it was meant for"),
            );
        }
    }
}

/// `name` over the product's limit (the open standard: 64 characters).
fn name_length(cx: &mut Ctx, cat: &Catalog) {
    let Some(max) = cat.name_max else { return };
    let Some(e) = cx.a.parsed.frontmatter.as_ref().and_then(|f| f.get("name")) else { return };
    let Some(name) = e.value.as_str() else { return };
    let n = name.chars().count();
    if n > max {
        let msg =
            format!("the name has {n} characters; {} allows at most {max}", crate::catalog::product_name(&cat.product));
        cx.emit(RuleCode::NameFormat, e.value.span.clone(), msg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_patterns() {
        assert!(pattern_allows("git diff:*", "git diff HEAD"));
        assert!(!pattern_allows("git diff:*", "git status"));
        assert!(pattern_allows("git add *", "git add src/a.rs"));
        assert!(pattern_allows("npm run test", "npm run test"));
        assert!(!pattern_allows("npm run test", "npm run build"));
        assert!(pattern_allows("*", "rm -rf /"));
        assert!(!pattern_allows("a*b*c", "axxbxx"));
    }

    #[test]
    fn injections_need_a_bang() {
        let t = "Status: !`git status` and `git log`";
        let code = vec![10..20, 27..34];
        assert_eq!(shell_injections(t, &code), vec![10..20]);
    }
}
