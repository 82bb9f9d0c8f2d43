//! Diagnostics as the engine produces them: byte ranges, typed rule codes, text-edit fixes.
//! Nothing here knows about LSP; `lsp::proto` and `cli` render these at the edge.

use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use crate::registry::{RuleCode, Severity};

/// A byte range into the document text.
pub type Span = Range<usize>;

/// One replacement of a byte range of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

/// A fix for a diagnostic: one or more edits applied together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Shown as the quick-fix title, e.g. "Replace `Bash` with `Execute`".
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// Safe fixes are applied by `agentls check --fix` and `source.fixAll`; unsafe ones only on request.
    pub safe: bool,
}

/// A finding of the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The rule, serialized as its stable kebab-case code, e.g. `unknown-tool`.
    pub code: RuleCode,
    pub severity: Severity,
    pub message: String,
    /// The exact culprit, as a byte range of the document.
    pub span: Span,
    pub fixes: Vec<Fix>,
    /// Other places a cross-file finding involves (the other definition of a duplicate name, the
    /// configuration files read); empty for findings about one file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// A place in another file (or the same one) that a diagnostic involves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// The file, as the index keys it (the caller's path).
    pub path: String,
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: RuleCode, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { code, severity, message: message.into(), span, fixes: Vec::new(), related: Vec::new() }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
}

/// Applies non-overlapping edits to `text`. Overlapping or out-of-bounds edits are skipped
/// (the earlier one wins), so a bad fix can never corrupt the text.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in sorted {
        let ok = e.span.start >= pos
            && e.span.start <= e.span.end
            && e.span.end <= text.len()
            && text.is_char_boundary(e.span.start)
            && text.is_char_boundary(e.span.end);
        if !ok {
            continue;
        }
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.new_text);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_overlaps_are_skipped() {
        let edits = vec![
            TextEdit { span: 6..11, new_text: "there".into() },
            TextEdit { span: 0..5, new_text: "Hi".into() },
            TextEdit { span: 8..9, new_text: "X".into() },
        ];
        assert_eq!(apply_edits("hello world", &edits), "Hi there");
    }
}
