//! Code actions: one quick fix per fix of the diagnostics under the cursor, "insert section" for
//! each missing required or recommended section (and one action inserting them all), and a
//! fix-all action gathering every safe fix whose edits do not collide.

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Span, TextEdit};
use crate::rules::body::{insert_section, section_order};
use crate::semantics::sections::heading_matches as matches;

use super::{Action, ActionKind};

/// True when two ranges touch (an empty range touches its neighbours too).
fn touches(a: &Span, b: &Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// True when two edits cannot both be applied: they overlap, or both insert at the same point
/// (their order would be ambiguous).
fn collide(a: &TextEdit, b: &TextEdit) -> bool {
    (a.span.start < b.span.end && b.span.start < a.span.end)
        || (a.span.start == b.span.start && (a.span.is_empty() || b.span.is_empty()))
}

pub(super) fn code_actions(a: &Analysis, diags: &[Diagnostic], range: Span) -> Vec<Action> {
    let mut out = Vec::new();
    for (i, d) in diags.iter().enumerate() {
        if !touches(&d.span, &range) {
            continue;
        }
        let one_safe = d.fixes.len() == 1 && d.fixes[0].safe;
        for f in &d.fixes {
            out.push(Action {
                title: f.title.clone(),
                kind: ActionKind::QuickFix,
                edits: f.edits.clone(),
                fixes: Some(i),
                preferred: one_safe,
            });
        }
    }
    // Like the section rules: only for agent files (not prompt files), with a frontmatter.
    let agent = a.detected.is_some_and(|d| d.kind == crate::dialect::FileKind::Agent);
    if agent && a.parsed.frontmatter.is_some() {
        sections(a, &mut out);
    }
    if let Some(all) = fix_all(diags) {
        out.push(all);
    }
    out
}

fn sections(a: &Analysis, out: &mut Vec<Action>) {
    let text = a.text;
    let body = &a.parsed.body;
    let order = section_order(&a.policy);
    let missing: Vec<_> = order.iter().filter(|s| !body.headings.iter().any(|h| matches(s, h))).collect();
    let mut all: Vec<TextEdit> = Vec::new();
    for spec in &missing {
        let edit = insert_section(text, body, &order, spec);
        // Merge with an insertion at the same point, in policy order, without doubling blank lines.
        match all.iter_mut().find(|e| e.span == edit.span) {
            Some(e) => {
                let sep_ok = e.new_text.ends_with("\n\n") || e.new_text.ends_with("\r\n\r\n");
                let add = if sep_ok { edit.new_text.trim_start_matches(['\r', '\n']) } else { &edit.new_text };
                e.new_text.push_str(add);
            }
            None => all.push(edit.clone()),
        }
        // A quick fix already offers exactly this edit when the cursor is on the diagnostic.
        let dup = out.iter().any(|x| x.kind == ActionKind::QuickFix && x.edits == [edit.clone()]);
        if !dup {
            out.push(Action {
                title: format!("Insert section `{}`", spec.title),
                kind: ActionKind::InsertSection,
                edits: vec![edit],
                fixes: None,
                preferred: false,
            });
        }
    }
    if missing.len() > 1 {
        all.sort_by_key(|e| e.span.start);
        out.push(Action {
            title: format!("Insert all {} missing sections", missing.len()),
            kind: ActionKind::InsertSection,
            edits: all,
            fixes: None,
            preferred: false,
        });
    }
}

/// Every safe fix (the first of each diagnostic) whose edits collide with none taken before.
fn fix_all(diags: &[Diagnostic]) -> Option<Action> {
    let mut edits: Vec<TextEdit> = Vec::new();
    let mut n = 0;
    for d in diags {
        let Some(f) = d.fixes.iter().find(|f| f.safe) else { continue };
        if f.edits.iter().any(|e| edits.iter().any(|x| collide(x, e))) {
            continue;
        }
        if f.edits.iter().enumerate().any(|(i, e)| f.edits[..i].iter().any(|x| collide(x, e))) {
            continue;
        }
        edits.extend(f.edits.iter().cloned());
        n += 1;
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    Some(Action {
        title: format!("Fix all safely fixable problems ({n})"),
        kind: ActionKind::FixAll,
        edits,
        fixes: None,
        preferred: false,
    })
}
