//! The document outline: the frontmatter with one child per key, then the headings nested by level.

use crate::analysis::Analysis;
use crate::syntax::{Node, Value};

use super::{Symbol, SymbolKind};

/// At most this many characters of a value are shown as a key's detail.
const DETAIL_MAX: usize = 60;

fn shorten(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= DETAIL_MAX {
        return one_line;
    }
    let cut: String = one_line.chars().take(DETAIL_MAX - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A short rendering of a value: the scalar, the list's items, or the number of keys.
fn short_value(n: &Node) -> Option<String> {
    match &n.value {
        Value::Scalar(s) if s.text.is_empty() => None,
        Value::Scalar(s) => Some(shorten(&s.text)),
        Value::Seq(s) => {
            let names: Vec<&str> = s.items.iter().filter_map(|i| i.as_str()).collect();
            if names.len() == s.items.len() {
                Some(shorten(&format!("[{}]", names.join(", "))))
            } else {
                Some(format!("{} items", s.items.len()))
            }
        }
        Value::Map(m) => Some(format!("{} keys", m.entries.len())),
        Value::Alias => Some("alias".into()),
        Value::Invalid => None,
    }
}

pub(super) fn symbols(a: &Analysis) -> Vec<Symbol> {
    let text = a.text;
    let mut out = Vec::new();
    if let Some(fm) = &a.parsed.frontmatter {
        let children = fm
            .entries()
            .iter()
            .filter_map(|e| {
                let name = e.key.as_str()?;
                if name.is_empty() {
                    return None;
                }
                Some(Symbol {
                    name: name.to_string(),
                    detail: short_value(&e.value),
                    kind: SymbolKind::Key,
                    span: e.span(),
                    selection: e.key.span.clone(),
                    children: Vec::new(),
                })
            })
            .collect();
        out.push(Symbol {
            name: "Frontmatter".into(),
            detail: a.detected.map(|d| d.dialect.display().to_string()),
            kind: SymbolKind::Frontmatter,
            span: fm.span.clone(),
            selection: fm.open.clone(),
            children,
        });
    }
    // Headings nest by their parent links; build bottom-up so children are complete when attached.
    let hs = &a.parsed.body.headings;
    let mut built: Vec<Option<Symbol>> = hs
        .iter()
        .map(|h| {
            let title = if h.title.is_empty() { "(untitled)".to_string() } else { h.title.clone() };
            let selection = if h.title_span.is_empty() { h.span.clone() } else { h.title_span.clone() };
            // A section ends before the blank lines that separate it from the next one.
            let end = h.span.end.max(h.section.start + text[h.section.clone()].trim_end().len());
            Some(Symbol {
                name: title,
                detail: Some("#".repeat(h.level as usize)),
                kind: SymbolKind::Heading,
                span: h.section.start..end,
                selection,
                children: Vec::new(),
            })
        })
        .collect();
    for i in (0..hs.len()).rev() {
        if let Some(p) = hs[i].parent {
            if let Some(s) = built[i].take() {
                if let Some(ps) = built[p].as_mut() {
                    ps.children.insert(0, s);
                }
            }
        }
    }
    out.extend(built.into_iter().flatten());
    out
}
