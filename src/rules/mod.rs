//! The rules: each turns an [`Analysis`] into diagnostics with stable kebab-case codes. Rule
//! metadata (default severity, summary, documentation for `agentls explain`) is data, in
//! `data/rules.yaml`; the policy can change any rule's severity or turn it off.

pub(crate) mod body;
mod identity;
pub(crate) mod keys;
mod model;
mod suppress;
mod syntax;
pub(crate) mod tools;

use std::sync::OnceLock;

use serde::Deserialize;

use crate::analysis::Analysis;
use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Fix, Severity, Span, TextEdit};
use crate::dialect::Dialect;
use crate::policy::RuleLevel;

/// A rule's metadata.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleInfo {
    pub code: String,
    /// The severity when no policy says otherwise (some rules pick another per dialect; the doc says so).
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// Markdown: what the rule checks, why, and how to fix it.
    pub doc: String,
}

pub(crate) use crate::text::line_break;

/// Every rule, in the order of `data/rules.yaml`.
pub fn all() -> &'static [RuleInfo] {
    static RULES: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    RULES.get_or_init(|| {
        serde_yaml::from_str(include_str!("../../data/rules.yaml"))
            .unwrap_or_else(|e| panic!("data/rules.yaml is invalid: {e}"))
    })
}

/// A rule by code.
pub fn info(code: &str) -> Option<&'static RuleInfo> {
    all().iter().find(|r| r.code == code)
}

/// Collects diagnostics, applying the policy's severities as they are emitted.
pub(crate) struct Ctx<'a, 't> {
    pub a: &'a Analysis<'t>,
    pub text: &'t str,
    out: Vec<Diagnostic>,
}

impl<'a, 't> Ctx<'a, 't> {
    /// The dialect's catalog (rules that need one only run when there is one).
    pub fn catalog(&self) -> Option<&'a Catalog> {
        self.a.catalog.as_deref()
    }

    pub fn dialect(&self) -> Option<Dialect> {
        self.a.detected.map(|d| d.dialect)
    }

    /// Emits a diagnostic at the rule's default severity (unless the policy says otherwise).
    pub fn emit(&mut self, code: &'static str, span: Span, message: impl Into<String>) -> Option<&mut Diagnostic> {
        let default = info(code).map_or(Severity::Warning, |r| r.severity);
        self.emit_at(code, default, span, message)
    }

    /// Emits with a rule-chosen default severity (e.g. per dialect); the policy still wins.
    pub fn emit_at(
        &mut self,
        code: &'static str,
        default: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        debug_assert!(info(code).is_some(), "rule `{code}` is missing from data/rules.yaml");
        let severity = match self.a.policy.rule_level(code) {
            Some(RuleLevel::Off) => return None,
            Some(level) => level.severity().unwrap_or(default),
            None => default,
        };
        let span = clamp(self.text, span);
        self.out.push(Diagnostic::new(code, severity, span, message));
        self.out.last_mut()
    }
}

/// Keeps a span inside the text and on character boundaries.
fn clamp(text: &str, span: Span) -> Span {
    let fix = |mut o: usize| {
        o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    let (s, e) = (fix(span.start), fix(span.end));
    s.min(e)..e.max(s)
}

/// A one-edit fix.
pub(crate) fn fix(title: impl Into<String>, span: Span, new_text: impl Into<String>, safe: bool) -> Fix {
    Fix { title: title.into(), edits: vec![TextEdit { span, new_text: new_text.into() }], safe }
}

/// The closest candidate to `word` (case-insensitive edit distance), for "did you mean".
pub(crate) fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let w = word.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let cl = c.to_ascii_lowercase();
        if cl == w {
            return Some(c);
        }
        let d = strsim::levenshtein(&w, &cl);
        let limit = match w.chars().count() {
            0..=3 => 1,
            4..=7 => 2,
            _ => 3,
        };
        let score = strsim::jaro_winkler(&w, &cl);
        if d <= limit || score >= 0.92 {
            let s = score - d as f64 * 0.01;
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Runs every rule, applies policy severities and inline suppressions, sorts by position.
pub fn run(a: &Analysis) -> Vec<Diagnostic> {
    let mut cx = Ctx { a, text: a.text, out: Vec::new() };
    syntax::check(&mut cx);
    if a.catalog.is_some() {
        keys::check(&mut cx);
        tools::check(&mut cx);
        model::check(&mut cx);
        identity::check(&mut cx);
    }
    body::check(&mut cx);
    let mut out = cx.out;
    suppress::apply(a.text, &mut out);
    out.sort_by(|x, y| (x.span.start, x.span.end, x.code).cmp(&(y.span.start, y.span.end, y.code)));
    out.dedup_by(|x, y| x.span == y.span && x.code == y.code && x.message == y.message);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_close_names() {
        let c = ["Read", "Grep", "Glob", "WebFetch", "Execute"];
        assert_eq!(did_you_mean("Reed", c), Some("Read"));
        assert_eq!(did_you_mean("read", c), Some("Read"));
        assert_eq!(did_you_mean("Webfetch", c), Some("WebFetch"));
        assert_eq!(did_you_mean("Exec", c), None);
        assert_eq!(did_you_mean("Banana", c), None);
    }

    #[test]
    fn every_rule_is_documented() {
        for r in all() {
            assert!(!r.summary.is_empty() && r.doc.len() > 40, "{} needs a summary and a doc", r.code);
            assert!(r.code.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{} is not kebab-case", r.code);
        }
    }
}
