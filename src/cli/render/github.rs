//! `--format github`: GitHub Actions workflow commands, one per diagnostic, which the runner turns
//! into annotations on the run and on the pull request's diff:
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=agentls(CODE)::message`.
//!
//! Lines and columns are 1-based; columns count UTF-16 code units, as in the SARIF output. A
//! span over several lines gets no `col`/`endColumn`: the runner accepts columns only when the
//! start and end lines are the same (`AnnotationProperties` in `@actions/core`). Values are
//! escaped as `@actions/core` escapes them (`command.ts`): `%`, CR and LF in the message; also
//! `:` and `,` in properties. Info and hint both become `notice`; hints are printed only when
//! asked for, as in text output. Skipped files become warnings; nothing else is printed.

use std::fmt::Write;

use super::Report;
use crate::diagnostic::Severity;
use crate::text::{Encoding, LineIndex};

/// How github output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Print hint-level diagnostics as notices too.
    pub hints: bool,
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "notice",
    }
}

/// Escapes a command's message (the part after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`): the message escapes plus `:` and `,`, which
/// would otherwise end the property list or the property.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders the report as workflow commands, one per line.
pub fn render(report: &Report, opts: &Options, out: &mut String) {
    for file in &report.files {
        let mut shown = file.diagnostics.iter().filter(|d| opts.hints || d.severity != Severity::Hint).peekable();
        if shown.peek().is_none() {
            continue;
        }
        let index = LineIndex::new(&file.text);
        let path = escape_property(&file.path);
        for d in shown {
            let start = index.position(&file.text, d.span.start, Encoding::Utf16);
            let end = index.position(&file.text, d.span.end.max(d.span.start), Encoding::Utf16);
            let _ = write!(out, "::{} file={path},line={}", command(d.severity), start.line + 1);
            if start.line == end.line {
                let _ = write!(out, ",col={},endLine={},endColumn={}", start.col + 1, end.line + 1, end.col + 1);
            } else {
                let _ = write!(out, ",endLine={}", end.line + 1);
            }
            let title = escape_property(&format!("agentls({})", d.code));
            let _ = writeln!(out, ",title={title}::{}", escape_data(&d.message));
        }
    }
    for s in &report.skipped {
        let _ = writeln!(
            out,
            "::warning file={},title=agentls::{}",
            escape_property(&s.path),
            escape_data(&format!("skipped: {}", s.reason))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::render::fixtures;

    fn rendered(hints: bool) -> String {
        let mut out = String::new();
        render(&fixtures::report(), &Options { hints }, &mut out);
        out
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(true));
    }

    #[test]
    fn hints_only_when_asked_for() {
        assert!(rendered(true).contains("agentls(deprecated-tool)"));
        assert!(!rendered(false).contains("agentls(deprecated-tool)"));
        assert_eq!(rendered(false).lines().count() + 1, rendered(true).lines().count());
    }

    #[test]
    fn one_line_per_diagnostic_and_severities_map() {
        let out = rendered(true);
        let kinds: Vec<&str> = out.lines().map(|l| l.split(' ').next().unwrap()).collect();
        assert_eq!(kinds, ["::warning", "::notice", "::error", "::warning", "::error", "::notice", "::warning"]);
    }

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("100% a:b,c\r\nd"), "100%25 a%3Ab%2Cc%0D%0Ad");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_property("%3A"), "%253A");
    }

    #[test]
    fn a_multiline_span_has_no_columns() {
        let out = rendered(true);
        let empty_body = out.lines().find(|l| l.contains("agentls(empty-body)")).unwrap();
        assert_eq!(
            empty_body,
            "::warning file=.claude/agents/wide.md,line=1,endLine=5,title=agentls(empty-body)::the file has no body"
        );
    }
}
