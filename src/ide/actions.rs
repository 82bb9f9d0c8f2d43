//! Code actions: one quick fix per fix of the diagnostics under the cursor, "insert section" for
//! each missing required or recommended section (and one action inserting them all), and the
//! fix-all action: the engine's one fixer (`crate::fix`), the same loop as `agentls check --fix`.

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Span, TextEdit};
use crate::fix;
use crate::semantics::sections::{insert_located, locate, section_order};

use super::{Action, ActionKind, Recheck};

/// True when two ranges touch (an empty range touches its neighbours too).
fn touches(a: &Span, b: &Span) -> bool {
    a.start <= b.end && b.start <= a.end
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
    out
}

fn sections(a: &Analysis, out: &mut Vec<Action>) {
    let text = a.text;
    let body = &a.parsed.body;
    let order = section_order(&a.policy);
    let found = locate(body, &order);
    let missing: Vec<_> = order.iter().zip(&found).filter(|(_, h)| h.is_none()).map(|(s, _)| s).collect();
    let mut all: Vec<TextEdit> = Vec::new();
    for spec in &missing {
        let edit = insert_located(text, body, &order, &found, spec);
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

/// What the fixer leaves of the whole file, as one edit: the same fix loop, with the same checker,
/// as `agentls check --fix`, so both give the same bytes. `diags` are `recheck(text)` already.
pub(super) fn fix_all(text: &str, diags: &[Diagnostic], recheck: &Recheck<'_>) -> Option<Action> {
    if !diags.iter().any(|d| fix::safe_fixes(d).next().is_some()) {
        return None;
    }
    let fixed = fix::fix_until_stable_from(text, diags.to_vec(), recheck);
    let edit = fix::diff_edit(text, &fixed.text)?;
    Some(Action {
        title: format!("Fix all safely fixable problems ({})", fixed.applied),
        kind: ActionKind::FixAll,
        edits: vec![edit],
        fixes: None,
        preferred: false,
    })
}
