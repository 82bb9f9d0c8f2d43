//! Folding ranges: the frontmatter block, its multi-line values, each section and each fenced code
//! block (as the one parse of the body found them). Ranges are byte spans; the server turns them into whole lines and drops one-line folds.

use crate::analysis::Analysis;
use crate::diagnostic::Span;

use super::{Fold, FoldKind};

fn multi_line(text: &str, s: &Span) -> bool {
    text.get(s.clone()).is_some_and(|t| t.trim_end().contains(['\n', '\r']))
}

/// Drops trailing white space, so a fold ends on its last line of content.
fn trim_end(text: &str, s: Span) -> Span {
    s.start..s.start + text[s.clone()].trim_end().len()
}

pub(super) fn folds(a: &Analysis) -> Vec<Fold> {
    let text = a.text;
    let mut out = Vec::new();
    if let Some(fm) = &a.parsed.frontmatter {
        out.push(Fold { span: trim_end(text, fm.span.clone()), kind: FoldKind::Frontmatter });
        for e in fm.entries() {
            let s = trim_end(text, e.span());
            if multi_line(text, &s) {
                out.push(Fold { span: s, kind: FoldKind::Frontmatter });
            }
        }
    }
    for h in &a.parsed.body.headings {
        let s = trim_end(text, h.section.clone());
        if multi_line(text, &s) {
            out.push(Fold { span: s, kind: FoldKind::Section });
        }
    }
    for r in &a.parsed.body.fences {
        let s = trim_end(text, r.clone());
        if multi_line(text, &s) {
            out.push(Fold { span: s, kind: FoldKind::Code });
        }
    }
    out.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
    out
}
