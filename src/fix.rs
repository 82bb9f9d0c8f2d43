//! The one fixer: applies every safe fix, re-checks, and repeats until nothing changes, since one
//! fix can reveal or enable another (a renamed key whose value then gets checked). `agentls check
//! --fix` and the editor's `source.fixAll` both run it, so both leave the same file.

use crate::diagnostic::{apply_edits, Diagnostic, Fix, TextEdit};

/// The fixes the fixer applies for a diagnostic: its safe ones that change something.
pub fn safe_fixes(d: &Diagnostic) -> impl Iterator<Item = &Fix> {
    d.fixes.iter().filter(|f| f.safe && !f.edits.is_empty())
}

/// The one edit that turns `old` into `new`: the changed middle, between their common prefix and
/// suffix (kept on character boundaries). `None` when they are equal.
pub fn diff_edit(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut pre = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(pre) || !new.is_char_boundary(pre) {
        pre -= 1;
    }
    let max_suf = old.len().min(new.len()) - pre;
    let mut suf = old.bytes().rev().zip(new.bytes().rev()).take(max_suf).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - suf) || !new.is_char_boundary(new.len() - suf) {
        suf -= 1;
    }
    Some(TextEdit { span: pre..old.len() - suf, new_text: new[pre..new.len() - suf].to_string() })
}

/// Rounds of fix-and-recheck before giving up; guards against two fixes that undo each other.
pub const MAX_ROUNDS: usize = 8;

/// The result of fixing one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied over all rounds.
    pub applied: usize,
    /// The diagnostics of the final text.
    pub diagnostics: Vec<Diagnostic>,
}

/// Picks the safe fixes of `diagnostics` that can be applied together: a fix is taken whole or
/// not at all, so it is dropped when any of its edits is invalid or overlaps an edit already
/// taken (the earlier diagnostic wins; the next round re-checks and tries again). Returns the
/// edits and how many fixes they make up.
pub fn pick(text: &str, diagnostics: &[Diagnostic]) -> (Vec<TextEdit>, usize) {
    let mut taken: Vec<TextEdit> = Vec::new();
    let mut count = 0;
    for d in diagnostics {
        for fix in safe_fixes(d) {
            let valid = fix.edits.iter().all(|e| {
                e.span.start <= e.span.end
                    && e.span.end <= text.len()
                    && text.is_char_boundary(e.span.start)
                    && text.is_char_boundary(e.span.end)
            });
            // The same fix attached to two diagnostics must not be applied twice.
            let duplicate = fix.edits.iter().all(|e| taken.contains(e));
            let clashes = fix
                .edits
                .iter()
                .enumerate()
                .any(|(i, e)| taken.iter().chain(&fix.edits[..i]).any(|t| overlaps(&t.span, &e.span)));
            if valid && !duplicate && !clashes {
                taken.extend(fix.edits.iter().cloned());
                count += 1;
            }
        }
    }
    (taken, count)
}

/// Whether two edits touch the same text. Insertions at the edge of a replaced range do not
/// overlap it; an insertion strictly inside one does, and so do two insertions at one point
/// (their order would be arbitrary; the next round applies the second).
fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    if a == b {
        return true;
    }
    a.start < b.end && b.start < a.end
}

/// Fixes `text` until no safe fix is left or [`MAX_ROUNDS`] have run. `check` is the checker
/// (the engine in production, a fake in tests).
pub fn fix_until_stable(text: &str, check: impl Fn(&str) -> Vec<Diagnostic>) -> Fixed {
    let first = check(text);
    fix_until_stable_from(text, first, check)
}

/// [`fix_until_stable`] for a caller that already has `check(text)` (the server, per version).
pub fn fix_until_stable_from(text: &str, first: Vec<Diagnostic>, check: impl Fn(&str) -> Vec<Diagnostic>) -> Fixed {
    let mut current = text.to_string();
    let mut diagnostics = first;
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let (edits, n) = pick(&current, &diagnostics);
        if n == 0 {
            break;
        }
        let next = apply_edits(&current, &edits);
        if next == current {
            break;
        }
        current = next;
        applied += n;
        diagnostics = check(&current);
    }
    Fixed { text: current, applied, diagnostics }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnostic::{RuleCode, Severity};

    /// A fake checker: flags every `Bash` with a safe fix to `Execute`, and every `Execute` that
    /// is not yet followed by `!` with a safe fix adding one, so fixing takes two rounds.
    pub fn fake_check(text: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (i, _) in text.match_indices("Bash") {
            let span = i..i + 4;
            out.push(Diagnostic::new(RuleCode::ForeignTool, Severity::Error, span.clone(), "Bash").with_fix(Fix {
                title: "Use Execute".into(),
                edits: vec![TextEdit { span, new_text: "Execute".into() }],
                safe: true,
            }));
        }
        for (i, _) in text.match_indices("Execute") {
            let end = i + "Execute".len();
            if !text[end..].starts_with('!') {
                out.push(Diagnostic::new(RuleCode::WrongType, Severity::Warning, i..end, "quiet").with_fix(Fix {
                    title: "Add !".into(),
                    edits: vec![TextEdit { span: end..end, new_text: "!".into() }],
                    safe: true,
                }));
            }
        }
        for (i, _) in text.match_indices("Write") {
            out.push(Diagnostic::new(RuleCode::DeniedTool, Severity::Warning, i..i + 5, "w").with_fix(Fix {
                title: "Drop it".into(),
                edits: vec![TextEdit { span: i..i + 5, new_text: String::new() }],
                safe: false,
            }));
        }
        out.sort_by_key(|d| (d.span.start, d.span.end));
        out
    }

    #[test]
    fn fixes_repeat_until_stable_and_leave_unsafe_ones() {
        let fixed = fix_until_stable("tools: [Bash, Write, Bash]", fake_check);
        assert_eq!(fixed.text, "tools: [Execute!, Write, Execute!]");
        assert_eq!(fixed.applied, 4);
        assert_eq!(fixed.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), ["denied-tool"]);
    }

    #[test]
    fn nothing_to_fix_leaves_text_alone() {
        let fixed = fix_until_stable("tools: [Read]", fake_check);
        assert_eq!(fixed, Fixed { text: "tools: [Read]".into(), applied: 0, diagnostics: vec![] });
    }

    fn fix_diag(edits: Vec<TextEdit>) -> Diagnostic {
        Diagnostic::new(RuleCode::YamlSyntax, Severity::Error, 0..0, "x").with_fix(Fix {
            title: "t".into(),
            edits,
            safe: true,
        })
    }

    fn edit(span: std::ops::Range<usize>, t: &str) -> TextEdit {
        TextEdit { span, new_text: t.into() }
    }

    #[test]
    fn overlapping_fixes_are_taken_whole_or_not_at_all() {
        let text = "abcdefgh";
        let diags = vec![
            fix_diag(vec![edit(0..2, "X")]),
            // Overlaps the first fix in one of its two edits: dropped entirely.
            fix_diag(vec![edit(6..7, "Y"), edit(1..3, "Z")]),
            // The same fix twice (two diagnostics share it): applied once.
            fix_diag(vec![edit(4..5, "W")]),
            fix_diag(vec![edit(4..5, "W")]),
            // Out of bounds: dropped.
            fix_diag(vec![edit(7..99, "V")]),
            // Insertion at the edge of a replaced range: fine.
            fix_diag(vec![edit(2..2, "+")]),
        ];
        let (edits, n) = pick(text, &diags);
        assert_eq!(n, 3);
        assert_eq!(apply_edits(text, &edits), "X+cdWfgh");
    }

    #[test]
    fn the_diff_edit_rebuilds_the_new_text() {
        for (old, new) in [
            ("abc", "abc"),
            ("tools: [Bash]", "tools: [Execute]"),
            ("aaa", "aaaa"),
            ("aaaa", "aa"),
            ("", "x"),
            ("x", ""),
            ("é—ü", "é–ü"),
            ("a🎉b", "a🎊b"),
        ] {
            let out = match diff_edit(old, new) {
                Some(e) => apply_edits(old, &[e]),
                None => old.to_string(),
            };
            assert_eq!(out, new, "{old:?} -> {new:?}");
        }
        let e = diff_edit("tools: [Bash]", "tools: [Execute]").unwrap();
        assert_eq!((e.span, e.new_text.as_str()), (8..12, "Execute"));
    }
}
