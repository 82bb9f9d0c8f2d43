//! `not-portable`: what porting the file to each product of the policy's `portable_to` loses, on
//! the culprit in this file.

use crate::diagnostic::Severity;
use crate::port::{self, NoteKind};
use crate::registry::RuleCode;

use super::Ctx;

pub(super) fn check(cx: &mut Ctx) {
    let targets = cx.a.policy.portable_to.clone();
    let Some(own) = cx.dialect() else { return };
    let Some(fm) = cx.a.parsed.frontmatter.as_ref() else { return };
    let fence = fm.open.clone();
    for t in targets.into_iter().filter(|t| *t != own) {
        let Ok(p) = port::port(cx.a, t) else { continue };
        for n in p.notes.iter().filter(|n| n.kind.is_loss() && !n.in_source) {
            let sev = match n.kind {
                NoteKind::ToolDropped | NoteKind::ModelDropped => Severity::Error,
                NoteKind::KeyDropped => Severity::Warning,
                _ => Severity::Info,
            };
            let span = n.span.clone().unwrap_or_else(|| fence.clone());
            cx.emit_at(RuleCode::NotPortable, sev, span, format!("not portable to {}: {}", t.display(), n.message));
        }
    }
}
