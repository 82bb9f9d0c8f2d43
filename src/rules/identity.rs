//! Rules about the agent's identity: the name's format, the name against the file name where
//! the dialect ties them, and the description's presence and length.

use super::{fix, Ctx};
use crate::registry::{self, RuleCode};
use crate::semantics::patterns::regex_is_match;
use crate::syntax::ScalarStyle;

pub(super) fn check(cx: &mut Ctx) {
    let (Some(cat), Some(dialect)) = (cx.catalog(), cx.dialect()) else { return };
    let Some(fm) = cx.a.parsed.frontmatter.as_ref() else { return };
    if let Some(e) = fm.get("name") {
        if let Some(name) = e.value.as_str() {
            let span = e.value.span.clone();
            let pattern = cx.a.policy.name.pattern.clone().or_else(|| cat.name_pattern.clone());
            let from_policy = cx.a.policy.name.pattern.is_some();
            let kind = cx.a.detected.map_or(crate::dialect::FileKind::Agent, |d| d.kind);
            if dialect == crate::dialect::Dialect::Claude
                && kind == crate::dialect::FileKind::Agent
                && name.contains(':')
            {
                // Claude Code does not load it (since v2.1.218): the pattern check would only add a warning.
                let at = cx.text[span.clone()].find(':').map_or(span.clone(), |j| span.start + j..span.start + j + 1);
                let msg = format!(
                    "Claude Code does not load an agent whose name contains `:` (since v2.1.218): `{}` is never available",
                    name
                );
                let slug = slugify(&name.replace(':', "-"));
                if let Some(d) = cx.emit(RuleCode::AgentNotLoaded, at, msg) {
                    d.fixes.push(fix(format!("Rename to `{slug}`"), span.clone(), slug, false));
                }
            } else if name.trim().is_empty() {
                // Not the dialect's severity: that is for a name that breaks the pattern.
                let sev = registry::info(RuleCode::NameFormat).severity;
                cx.emit_at(RuleCode::NameFormat, sev, e.key.span.clone(), "`name` is empty");
            } else if let Some(p) = pattern {
                if regex_is_match(&p, name) == Some(false) {
                    let whose = match kind {
                        _ if from_policy => "the team policy's",
                        crate::dialect::FileKind::Skill => "the Agent Skills standard's",
                        _ => dialect.display(),
                    };
                    let slug = slugify(name);
                    let msg = format!("name `{name}` does not match {whose} pattern `{p}`");
                    let f = (regex_is_match(&p, &slug) == Some(true))
                        .then(|| fix(format!("Rename to `{slug}`"), span.clone(), slug.clone(), false));
                    if let Some(d) = cx.emit(RuleCode::NameFormat, span.clone(), msg) {
                        d.fixes.extend(f);
                    }
                }
            }
            if cat.name_matches_file {
                if let Some(stem) = cx.a.file_stem.clone() {
                    if stem != name {
                        let skill = cx.a.detected.is_some_and(|d| d.kind == crate::dialect::FileKind::Skill);
                        let msg = if skill {
                            format!(
                                "name `{name}` differs from the skill's folder `{stem}`; the Agent Skills standard requires them to be equal"
                            )
                        } else {
                            format!(
                                "name `{name}` differs from the file name `{stem}`; {} is known by its file name",
                                cx.a_noun()
                            )
                        };
                        if let Some(d) = cx.emit(RuleCode::NameMismatch, span.clone(), msg) {
                            d.fixes.push(fix(format!("Rename to `{stem}`"), span, stem, false));
                        }
                    }
                }
            }
        }
    }
    if let Some(e) = fm.get("description") {
        let Some(s) = e.value.as_scalar() else { return };
        let desc = s.text.trim();
        if desc.is_empty() {
            cx.emit(
                RuleCode::EmptyDescription,
                e.key.span.clone(),
                "`description` is empty: it tells the model when to use this agent",
            );
            return;
        }
        let max = cx.a.policy.description.max.or(cat.description_max);
        let min = cx.a.policy.description.min;
        let n = desc.chars().count();
        if let Some(max) = max.filter(|m| n > *m) {
            // Point at the characters past the limit when the source maps 1:1 to the value.
            let src = &cx.text[e.value.span.clone()];
            let inner = match s.style {
                ScalarStyle::Plain => Some(e.value.span.start),
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Some(e.value.span.start + 1),
                _ => None,
            }
            .filter(|_| src.contains(desc));
            let span = match inner {
                Some(start) => {
                    let lead = cx.text[start..].len() - cx.text[start..].trim_start().len();
                    let from = start + lead + desc.char_indices().nth(max).map_or(desc.len(), |(i, _)| i);
                    from..start + lead + desc.len()
                }
                None => e.value.span.clone(),
            };
            cx.emit(
                RuleCode::DescriptionTooLong,
                span,
                format!("the description has {n} characters; the limit is {max}"),
            );
        }
        if let Some(min) = min.filter(|m| n < *m) {
            cx.emit(
                RuleCode::DescriptionTooShort,
                e.value.span.clone(),
                format!("the description has {n} characters; the team policy asks for at least {min}"),
            );
        }
    }
}

/// `Senior Backend Dev` → `senior-backend-dev`.
fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
