//! Semantic tokens for the frontmatter: keys, tool names and models, with the deprecated modifier
//! for retired entries.

use crate::analysis::Analysis;
use crate::catalog::Status;
use crate::semantics::tools::{resolve, Resolved};
use crate::syntax::Value;
use crate::tools::{self, Shape};

use super::{Token, TokenKind};

pub(super) fn semantic_tokens(a: &Analysis) -> Vec<Token> {
    let text = a.text;
    let Some(fm) = &a.parsed.frontmatter else { return Vec::new() };
    let cat = a.catalog.as_deref();
    let dialect = a.detected.map(|d| d.dialect);
    let mut out = Vec::new();
    for e in fm.entries() {
        let Some(key) = e.key.as_str() else { continue };
        let spec = cat.and_then(|c| c.key(key));
        out.push(Token {
            span: e.key.span.clone(),
            kind: TokenKind::Key,
            deprecated: spec.is_some_and(|s| s.status != Status::Current),
        });
        let (Some(cat), Some(dialect)) = (cat, dialect) else { continue };
        if cat.is_tool_key(key) {
            let list = tools::read_in(cat, e, text);
            let whole = list.shape == Shape::CommaString && list.items.len() == 1;
            for it in &list.items {
                let deprecated = match resolve(cat, dialect, &it.name, whole) {
                    Resolved::Tool(t) => t.status != Status::Current,
                    _ => false,
                };
                out.push(Token { span: it.span.clone(), kind: TokenKind::Tool, deprecated });
            }
        } else if spec.is_some_and(|s| s.ty == crate::catalog::ValueType::Model) {
            let nodes: Vec<_> = match &e.value.value {
                Value::Seq(s) => s.items.iter().collect(),
                Value::Scalar(_) if !e.value.is_null() => vec![&e.value],
                _ => Vec::new(),
            };
            for n in nodes {
                let Some(id) = n.as_str() else { continue };
                let span = tools::read_node(n, text).items.first().map_or(n.span.clone(), |_| {
                    // Inside the quotes, when the source is the id itself.
                    let src = &text[n.span.clone()];
                    match src.find(id.trim()) {
                        Some(p) if !id.trim().is_empty() => n.span.start + p..n.span.start + p + id.trim().len(),
                        _ => n.span.clone(),
                    }
                });
                let deprecated = cat.model(id.trim()).is_some_and(|m| m.status != Status::Current);
                out.push(Token { span, kind: TokenKind::Model, deprecated });
            }
        }
    }
    out.retain(|t| t.span.start < t.span.end && t.span.end <= text.len());
    out.sort_by_key(|t| (t.span.start, t.span.end));
    out
}
