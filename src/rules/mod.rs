//! The rules: each turns an [`Analysis`] into diagnostics with stable kebab-case codes. Rule
//! metadata (default severity, summary, documentation for `agentls explain`) is data, in
//! `data/rules.yaml`; the policy can change any rule's severity or turn it off.

pub(crate) mod body;
mod conditions;
mod identity;
pub(crate) mod keys;
pub(crate) mod kinds;
mod links;
mod model;
mod portability;
mod syntax;
pub(crate) mod tools;
pub mod workspace;

use crate::analysis::Analysis;
use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Fix, Severity, Span, TextEdit};
use crate::dialect::Dialect;
use crate::policy::RuleLevel;
use crate::registry::{self, RuleCode};
use crate::text::floor_char_boundary;

pub(crate) use crate::text::line_break;

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

    /// The file with its article, for messages ("a Factory droid", "a Claude Code skill").
    pub fn a_noun(&self) -> String {
        self.a.detected.map_or_else(|| "this agent".to_string(), |d| d.a_noun())
    }

    pub fn dialect(&self) -> Option<Dialect> {
        self.a.detected.map(|d| d.dialect)
    }

    /// The rule's default severity for this file's dialect, as `data/rules.yaml` gives it.
    pub fn default_severity(&self, code: RuleCode) -> Severity {
        registry::info(code).default_severity(self.dialect().map(Dialect::id))
    }

    /// Emits a diagnostic at the rule's default severity for the dialect, as `data/rules.yaml`
    /// gives it (unless the policy says otherwise).
    pub fn emit(&mut self, code: RuleCode, span: Span, message: impl Into<String>) -> Option<&mut Diagnostic> {
        let default = self.default_severity(code);
        self.emit_at(code, default, span, message)
    }

    /// Emits with a severity the rule picks for the case at hand (not for the dialect: that is
    /// data); the policy still wins.
    pub fn emit_at(
        &mut self,
        code: RuleCode,
        default: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
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
    let (s, e) = (floor_char_boundary(text, span.start), floor_char_boundary(text, span.end));
    s.min(e)..e.max(s)
}

/// A one-edit fix.
pub(crate) fn fix(title: impl Into<String>, span: Span, new_text: impl Into<String>, safe: bool) -> Fix {
    Fix { title: title.into(), edits: vec![TextEdit { span, new_text: new_text.into() }], safe }
}

/// The closest candidate to `word` (case-insensitive edit distance), for "did you mean".
pub(crate) fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let w = word.to_ascii_lowercase();
    let wn = w.chars().count();
    let limit = match wn {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        // Neither test can pass when the lengths differ by more than the limit and the shorter is
        // under 0.6 of the longer (Jaro-Winkler stays below 0.92 then): skip the costly part, which
        // matters when a reference is checked against the ten thousand names of a big workspace.
        let cn = c.chars().count();
        let (lo, hi) = (wn.min(cn), wn.max(cn));
        if hi - lo > limit && (lo as f64) < 0.6 * hi as f64 {
            continue;
        }
        let cl = c.to_ascii_lowercase();
        if cl == w {
            return Some(c);
        }
        let d = strsim::levenshtein(&w, &cl);
        let score = strsim::jaro_winkler(&w, &cl);
        if d <= limit || score >= 0.92 {
            let s = score - d as f64 * 0.01;
            // Ties go to the first name in sorted order, so the answer does not depend on the
            // order the candidates come in.
            if best.is_none_or(|(b, bc)| s > b || (s == b && c < bc)) {
                best = Some((s, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Runs every rule, applies policy severities and inline suppressions, sorts by position.
pub fn run(a: &Analysis) -> Vec<Diagnostic> {
    run_with(a, None)
}

/// [`run`], plus the rules that look at other files (links, imports) when `files` is given.
pub fn run_with(a: &Analysis, files: Option<&dyn crate::files::Files>) -> Vec<Diagnostic> {
    let mut cx = Ctx { a, text: a.text, out: Vec::new() };
    syntax::check(&mut cx);
    if a.catalog.is_some() {
        keys::check(&mut cx);
        tools::check(&mut cx);
        conditions::check(&mut cx);
        model::check(&mut cx);
        identity::check(&mut cx);
        kinds::check(&mut cx);
        if !a.policy.portable_to.is_empty() {
            portability::check(&mut cx);
        }
    }
    if let Some(files) = files {
        links::check(&mut cx, files);
    }
    body::check(&mut cx);
    let mut out = cx.out;
    crate::suppress::apply(a.text, &mut out);
    out.sort_by_key(|d| (d.span.start, d.span.end, d.code));
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
    fn dialect_severities_name_real_dialects() {
        for r in registry::all() {
            for id in r.severity_by_dialect.keys() {
                assert!(Dialect::ALL.iter().any(|d| d.id() == id), "{}: `{id}` is not a dialect id", r.code);
            }
        }
    }
}
