//! Rules from the conditions of `data/conditions.yaml` about keys and the body: `agents` without
//! the `agent` tool, GitHub's prompt limit and its required `description`, keys the file's
//! `target` product does not read. (The conditions that remove listed tools are reported with the
//! other tool findings, in `tools`.)

use super::{fix, Ctx};
use crate::semantics::conditions::{file_hits, Kind};
use crate::semantics::tools::granted_tools;

pub(super) fn check(cx: &mut Ctx) {
    let text = cx.text;
    for hit in file_hits(cx.a) {
        let c = hit.condition;
        let key = c.key.clone().unwrap_or_default();
        let fixes = match c.kind {
            Kind::KeyNeedsTool => {
                let tool = c.tools.first().cloned().unwrap_or_default();
                cx.catalog()
                    .and_then(|_| granted_tools(cx.a))
                    .and_then(|l| l.insertion(text, &tool))
                    .map(|e| fix(format!("Add `{tool}` to `tools`"), e.span, e.new_text, false))
            }
            Kind::KeyRequired => {
                let fm = cx.a.parsed.frontmatter.as_ref();
                let at = fm.map(|f| f.close.as_ref().map_or(f.content.end, |c| c.start));
                at.map(|at| {
                    let nl = super::line_break(text);
                    fix(format!("Add `{key}`"), at..at, format!("{key}: {nl}"), false)
                })
            }
            _ => None,
        };
        if let Some(d) = cx.emit_at(c.rule, hit.severity, hit.span, hit.message) {
            d.fixes.extend(fixes);
        }
    }
}
