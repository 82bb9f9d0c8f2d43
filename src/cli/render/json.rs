//! `--format json`: one JSON document with every diagnostic. Positions are LSP-style: 0-based
//! lines and UTF-16 columns, so editors and scripts can use them without conversion.

use serde::Serialize;

use super::Report;
use crate::diagnostic::{Diagnostic, Fix};
use crate::text::{Encoding, LineIndex};

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    files_checked: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skipped: Vec<JsonSkipped<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes_applied: Option<usize>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    range: Range,
    fixes: Vec<JsonFix<'a>>,
    /// Every other place a cross-file finding involves; absent for findings about one file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    range: Range,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    /// Whether `--fix` applies it.
    safe: bool,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    range: Range,
    new_text: &'a str,
}

#[derive(Serialize)]
struct JsonSkipped<'a> {
    path: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
pub(super) struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    character: u32,
}

pub(super) fn range(text: &str, index: &LineIndex, span: &std::ops::Range<usize>) -> Range {
    let pos = |offset| {
        let lc = index.position(text, offset, Encoding::Utf16);
        Position { line: lc.line, character: lc.col }
    };
    Range { start: pos(span.start), end: pos(span.end.max(span.start)) }
}

fn fix<'a>(text: &str, index: &LineIndex, f: &'a Fix) -> JsonFix<'a> {
    JsonFix {
        title: &f.title,
        safe: f.safe,
        edits: f.edits.iter().map(|e| JsonEdit { range: range(text, index, &e.span), new_text: &e.new_text }).collect(),
    }
}

fn diagnostic<'a>(
    report: &'a Report,
    path: &'a str,
    text: &str,
    index: &LineIndex,
    d: &'a Diagnostic,
) -> JsonDiagnostic<'a> {
    let related = d
        .related
        .iter()
        .map(|r| {
            let t = report.text_of(&r.path).unwrap_or("");
            JsonRelated { path: &r.path, range: range(t, &LineIndex::new(t), &r.span), message: &r.message }
        })
        .collect();
    JsonDiagnostic {
        related,
        path,
        code: d.code.as_str(),
        severity: d.severity.as_str(),
        message: &d.message,
        range: range(text, index, &d.span),
        fixes: d.fixes.iter().map(|f| fix(text, index, f)).collect(),
    }
}

/// Renders the report as one pretty-printed JSON document followed by a newline.
pub fn render(report: &Report, out: &mut String) {
    let mut diagnostics = Vec::new();
    for file in &report.files {
        let index = LineIndex::new(&file.text);
        diagnostics.extend(file.diagnostics.iter().map(|d| diagnostic(report, &file.path, &file.text, &index, d)));
    }
    let doc = Document {
        diagnostics,
        files_checked: report.files_checked,
        skipped: report.skipped.iter().map(|s| JsonSkipped { path: &s.path, reason: &s.reason }).collect(),
        fixes_applied: report.fixes_applied,
    };
    out.push_str(&serde_json::to_string_pretty(&doc).expect("plain structs serialize"));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::render::fixtures;

    fn rendered() -> serde_json::Value {
        let mut out = String::new();
        render(&fixtures::report(), &mut out);
        serde_json::from_str(&out).expect("valid JSON")
    }

    #[test]
    fn snapshot() {
        // The rendered text itself, so the snapshot also pins the field order.
        let mut out = String::new();
        render(&fixtures::report(), &mut out);
        insta::assert_snapshot!(out);
    }

    /// `name: "<TAB>日本😀"`: the closing quote is after a tab (1 unit), two BMP characters (1 unit
    /// each) and an astral emoji (2 units), so the value ends at UTF-16 column 6 + 1 + 1 + 2 + 2 + 1.
    #[test]
    fn columns_are_utf16_code_units() {
        let v = rendered();
        let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "name-format").unwrap();
        assert_eq!(d["range"]["start"], serde_json::json!({"line": 1, "character": 6}));
        assert_eq!(d["range"]["end"], serde_json::json!({"line": 1, "character": 13}));
    }

    #[test]
    fn skipped_is_omitted_when_empty() {
        let mut out = String::new();
        render(&Report::default(), &mut out);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).unwrap(),
            serde_json::json!({"diagnostics": [], "files_checked": 0})
        );
    }
}
