//! The one section-title matcher: a heading names a section when its text equals the title or
//! an alias, ignoring case, surrounding blanks, repeated inner blanks and a trailing colon (as
//! docs/policy.md promises). Policy merging, the rules, completion and hover all use it. Also
//! the policy's section order and where a missing section goes.

use crate::diagnostic::TextEdit;
use crate::policy::{EffectivePolicy, SectionSpec};
use crate::syntax::{Body, Heading};

pub use crate::syntax::titles::{normalize_title, titles_match};

/// Whether `heading` (its text, without the `#` marks) names `spec`: its title or an alias.
pub fn names_section(spec: &SectionSpec, heading: &str) -> bool {
    spec.matches(heading)
}

/// Whether the parsed heading `h` names `spec`.
pub fn heading_matches(spec: &SectionSpec, h: &Heading) -> bool {
    names_section(spec, &h.title)
}

/// The edit that inserts `spec` as a new section, placed by `order` relative to the sections present.
pub fn insert_section(text: &str, body: &Body, order: &[&SectionSpec], spec: &SectionSpec) -> TextEdit {
    insert_located(text, body, order, &locate(body, order), spec)
}

/// For each section of `order`, the first heading that names it: worked out once per file, since
/// placing each missing section looks at every other one.
pub fn locate<'b>(body: &'b Body, order: &[&SectionSpec]) -> Vec<Option<&'b Heading>> {
    order.iter().map(|s| body.headings.iter().find(|h| heading_matches(s, h))).collect()
}

/// [`insert_section`] with the headings of `order` already located (`found` is `locate(body, order)`).
pub fn insert_located(
    text: &str,
    body: &Body,
    order: &[&SectionSpec],
    found: &[Option<&Heading>],
    spec: &SectionSpec,
) -> TextEdit {
    let nl = crate::text::line_break(text);
    let idx = order.iter().position(|s| s.title == spec.title).unwrap_or(order.len());
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
    if let Some(h) = found[idx.min(found.len())..].iter().skip(1).find_map(|h| *h) {
        return TextEdit { span: h.span.start..h.span.start, new_text: block };
    }
    // ...or after the previous one...
    if let Some(h) = found[..idx.min(found.len())].iter().rev().find_map(|h| *h) {
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
pub fn section_order(cx_policy: &EffectivePolicy) -> Vec<&SectionSpec> {
    cx_policy.sections.required.iter().chain(cx_policy.sections.recommended.iter()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_matches_by_title_or_alias() {
        let spec = SectionSpec { title: "Core Purpose".into(), aliases: vec!["Purpose".into()], ..Default::default() };
        assert!(names_section(&spec, "core  purpose:"));
        assert!(names_section(&spec, "PURPOSE"));
        assert!(!names_section(&spec, "Purposes"));
    }
}
