//! Human-readable output in the style of rustc and ruff: a header with severity and code, the
//! location, the source line with the culprit underlined by carets, the fixes, and a summary.

use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

use super::{safe_fixes, FileReport, Report};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::LineIndex;

/// How text output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// ANSI colours (only when writing to a terminal and NO_COLOR is unset).
    pub color: bool,
    /// Show hint-level diagnostics (recommendations). Off by default on the command line: hints
    /// are meant for the editor, where they show faintly; the summary still counts them.
    pub hints: bool,
}

/// Tabs are shown as this many spaces, as rustc does, so the caret line can match them exactly.
const TAB_WIDTH: usize = 4;
/// Source lines wider than this many columns are cut around the culprit.
const MAX_LINE_WIDTH: usize = 100;
/// Columns of context kept left of the culprit when a long line is cut.
const LEFT_CONTEXT: usize = 30;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const GUTTER: &str = "\x1b[1;34m";

fn severity_style(s: Severity) -> &'static str {
    match s {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;34m",
        Severity::Hint => "\x1b[1;36m",
    }
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Renders the whole report into `out`.
pub fn render(report: &Report, opts: &Options, out: &mut String) {
    let p = Painter { color: opts.color };
    for file in &report.files {
        // Most files of a large run have hints only, which are hidden: index only the files
        // that show something (this loop runs on one thread after the parallel checks).
        let mut shown = file.diagnostics.iter().filter(|d| opts.hints || d.severity != Severity::Hint).peekable();
        if shown.peek().is_none() {
            continue;
        }
        let index = LineIndex::new(&file.text);
        for d in shown {
            render_diagnostic(report, file, &index, d, &p, out);
        }
    }
    render_summary(report, &p, out);
    let hidden = report.count(Severity::Hint);
    if !opts.hints && hidden > 0 {
        let _ = writeln!(out, "Hints are not shown; `agentls check --hints` shows them.");
    }
}

fn render_diagnostic(
    report: &Report,
    file: &FileReport,
    index: &LineIndex,
    d: &Diagnostic,
    p: &Painter,
    out: &mut String,
) {
    let text = file.text.as_str();
    let start = clamp_to_char(text, d.span.start);
    let end = clamp_to_char(text, d.span.end.max(start));
    let line = index.line_of(start);
    let line_range = index.line_range(text, line);
    // Columns are counted in characters (1-based), as editors and rustc show them.
    let col = text[line_range.start..start.max(line_range.start)].chars().count() + 1;
    let line_no = (line + 1).to_string();
    let pad = " ".repeat(line_no.len());
    let sev = d.severity.as_str();

    let _ = writeln!(
        out,
        "{}{}",
        p.paint(severity_style(d.severity), &format!("{sev}[{}]", d.code)),
        p.paint(BOLD, &format!(": {}", sanitize(&d.message)))
    );
    let _ = writeln!(out, "{pad}{} {}:{}:{}", p.paint(GUTTER, "-->"), file.path, line + 1, col);
    let bar = p.paint(GUTTER, "|");
    let _ = writeln!(out, "{pad} {bar}");

    // Underline from the start to the end of the span, or to the end of the first line when the
    // span continues on later lines.
    let under_start = start.clamp(line_range.start, line_range.end);
    let under_end = end.clamp(under_start, line_range.end);
    let shown = show_line(&text[line_range.clone()], under_start - line_range.start, under_end - line_range.start);
    let _ = writeln!(out, "{} {bar} {}", p.paint(GUTTER, &line_no), shown.line.trim_end());
    let carets = "^".repeat(shown.caret_width.max(1));
    let _ =
        writeln!(out, "{pad} {bar} {}{}", " ".repeat(shown.caret_col), p.paint(severity_style(d.severity), &carets));

    if !d.fixes.is_empty() {
        let _ = writeln!(out, "{pad} {bar}");
        for fix in &d.fixes {
            let _ = writeln!(out, "{pad} {} help: {}", p.paint(GUTTER, "="), sanitize(&fix.title));
        }
    }
    // The other files a cross-file finding involves, each as path:line:column (a whole-file
    // mention, such as an MCP configuration that was read, as the path alone).
    if !d.related.is_empty() {
        if d.fixes.is_empty() {
            let _ = writeln!(out, "{pad} {bar}");
        }
        for r in &d.related {
            let place = match report.text_of(&r.path) {
                Some(t) if r.span != (0..0) => {
                    let (l, c) = crate::text::line_column_1based(t, r.span.start);
                    format!("{}:{l}:{c}", r.path)
                }
                _ => r.path.clone(),
            };
            let _ = writeln!(out, "{pad} {} note: {}: {place}", p.paint(GUTTER, "="), sanitize(&r.message));
        }
    }
    out.push('\n');
}

/// A source line prepared for display, with where the carets go in display columns.
struct ShownLine {
    line: String,
    caret_col: usize,
    caret_width: usize,
}

/// Expands tabs, replaces control characters, and cuts a long line around the culprit, keeping
/// track of display columns (wide CJK and emoji take two) so the carets land under it.
fn show_line(line: &str, under_start: usize, under_end: usize) -> ShownLine {
    // Columns come from slices, with a fast path for ASCII: a long line (a flow list of
    // thousands of tools) with a diagnostic per entry must not cost a character walk, let alone
    // an allocation per character, for every diagnostic.
    let under_start = clamp_to_char(line, under_start);
    let under_end = clamp_to_char(line, under_end.max(under_start));
    let caret_col = width(&line[..under_start]);
    let caret_width = width(&line[under_start..under_end]);
    let total = caret_col + caret_width + width(&line[under_end..]);

    if total <= MAX_LINE_WIDTH {
        let mut shown = String::with_capacity(line.len());
        line.chars().for_each(|c| push_char(&mut shown, c));
        return ShownLine { line: shown, caret_col, caret_width };
    }
    // Keep a window of MAX_LINE_WIDTH columns that starts a little left of the culprit.
    let from = caret_col.saturating_sub(LEFT_CONTEXT);
    let to = from + MAX_LINE_WIDTH;
    // On an ASCII line without tabs, columns are byte offsets: start at the window.
    let skip = if line.is_ascii() && !line.as_bytes().contains(&b'\t') { from.min(line.len()) } else { 0 };
    let mut shown = String::new();
    let mut col = skip;
    let mut first_shown_col = None;
    for c in line[skip..].chars() {
        let w = char_width(c);
        if col + w > to {
            break;
        }
        if col >= from {
            first_shown_col.get_or_insert(col);
            push_char(&mut shown, c);
        }
        col += w;
    }
    let first = first_shown_col.unwrap_or(from);
    let prefix = if first > 0 { "..." } else { "" };
    let suffix = if total > to { "..." } else { "" };
    let caret_col = caret_col.saturating_sub(first) + prefix.len();
    let caret_width = caret_width.min(to.saturating_sub(first).saturating_sub(caret_col - prefix.len()));
    ShownLine { line: format!("{prefix}{shown}{suffix}"), caret_col, caret_width }
}

/// The display width of a piece of a line.
fn width(s: &str) -> usize {
    if s.is_ascii() {
        let tabs = s.bytes().filter(|&b| b == b'\t').count();
        s.len() + tabs * (TAB_WIDTH - 1)
    } else {
        s.chars().map(char_width).sum()
    }
}

/// The display width of a character as [`push_char`] shows it.
fn char_width(c: char) -> usize {
    match c {
        '\t' => TAB_WIDTH,
        c if c.is_control() => 1,
        c => c.width().unwrap_or(0),
    }
}

/// Appends a character as shown: tabs expanded, control characters replaced, since they could
/// move the cursor or start escape sequences on a terminal.
fn push_char(out: &mut String, c: char) {
    match c {
        '\t' => out.extend(std::iter::repeat_n(' ', TAB_WIDTH)),
        c if c.is_control() => out.push('\u{fffd}'),
        c => out.push(c),
    }
}

/// Replaces control characters (which may come from the file, e.g. in a tool name) so a message
/// cannot play tricks on the terminal.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' => ' ',
            c if c.is_control() && c != '\t' => '\u{fffd}',
            c => c,
        })
        .collect()
}

fn clamp_to_char(text: &str, offset: usize) -> usize {
    crate::text::floor_char_boundary(text, offset)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn render_summary(report: &Report, p: &Painter, out: &mut String) {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let infos = report.count(Severity::Info);
    let hints = report.count(Severity::Hint);
    let mut parts = vec![plural(errors, "error", "errors"), plural(warnings, "warning", "warnings")];
    if infos > 0 {
        parts.push(plural(infos, "info", "infos"));
    }
    parts.push(plural(hints, "hint", "hints"));
    let mut line = format!("{} in {}", parts.join(", "), plural(report.files_checked, "file", "files"));
    if !report.skipped.is_empty() {
        let _ = write!(line, " ({} skipped)", report.skipped.len());
    }
    let style = if errors > 0 { severity_style(Severity::Error) } else { BOLD };
    let _ = writeln!(out, "{}", p.paint(style, &line));
    if let Some(n) = report.fixes_applied {
        let _ = writeln!(out, "Fixed {}.", plural(n, "problem", "problems"));
    }
    let fixable = report.diagnostics().filter(|(_, d)| safe_fixes(d).next().is_some()).count();
    if fixable > 0 {
        let _ = writeln!(out, "{} fixable with `agentls check --fix`.", plural(fixable, "problem is", "problems are"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::render::fixtures;

    fn render_plain(report: &Report) -> String {
        let mut out = String::new();
        render(report, &Options { color: false, hints: true }, &mut out);
        out
    }

    #[test]
    fn snapshot_plain() {
        insta::assert_snapshot!(render_plain(&fixtures::report()));
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = render_plain(&fixtures::report());
        assert!(!plain.contains('\x1b'));
        let mut coloured = String::new();
        render(&fixtures::report(), &Options { color: true, hints: true }, &mut coloured);
        assert!(coloured.contains("\x1b[1;31merror[foreign-tool]"));
    }

    /// The carets must sit under the culprit in display columns: a tab is four columns, a CJK
    /// character and an emoji two each.
    #[test]
    fn carets_line_up_after_tabs_and_wide_chars() {
        let line = "a\t日😀x = 1";
        let start = line.find('x').unwrap();
        let shown = show_line(line, start, start + 1);
        assert_eq!(shown.line, "a    日😀x = 1");
        assert_eq!(shown.caret_col, 1 + 4 + 2 + 2);
        assert_eq!(shown.caret_width, 1);
    }

    #[test]
    fn long_lines_are_cut_around_the_culprit() {
        let line = format!("description: {}CULPRIT{}", "a".repeat(300), "b".repeat(300));
        let start = line.find("CULPRIT").unwrap();
        let shown = show_line(&line, start, start + 7);
        assert!(shown.line.starts_with("...") && shown.line.ends_with("..."));
        assert_eq!(&shown.line[shown.caret_col..shown.caret_col + 7], "CULPRIT");
        assert_eq!(shown.caret_width, 7);
    }

    #[test]
    fn control_characters_are_not_echoed() {
        let shown = show_line("a\x1b[2Jb", 0, 1);
        assert!(!shown.line.contains('\x1b'));
        assert_eq!(sanitize("x\x1by"), "x\u{fffd}y");
    }

    #[test]
    fn empty_report_still_summarises() {
        let out = render_plain(&Report { files_checked: 2, ..Report::default() });
        assert_eq!(out, "0 errors, 0 warnings, 0 hints in 2 files\n");
    }
}
