//! Finding the `---` frontmatter block and handing its YAML to the tree builder.
//!
//! The block must open on line 1 (after an optional byte-order mark) with a line holding only
//! `---`, and closes at the next line holding only `---` (or `...`). Trailing spaces and CRLF
//! are tolerated. A block that opens after blank lines is still read, with a problem; a block
//! that never closes is read up to the first blank line or Markdown heading, so the body is not
//! swallowed.

use super::{yaml, Frontmatter, Problem, ProblemKind};

/// Lines of `text` from byte `from`: (start, end without line break, next line start).
fn lines(text: &str, from: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let mut end = start;
        while end < bytes.len() && bytes[end] != b'\n' && bytes[end] != b'\r' {
            end += 1;
        }
        let mut next = end;
        if next < bytes.len() {
            next += if bytes[next] == b'\r' && bytes.get(next + 1) == Some(&b'\n') { 2 } else { 1 };
        }
        pos = next;
        Some((start, end, next))
    })
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

fn is_close(line: &str) -> bool {
    let t = line.trim_end();
    t == "---" || t == "..."
}

/// Where the block is: (open fence span, content start, close: Option<(fence span, end)>, leading blank lines?).
struct Located {
    open: std::ops::Range<usize>,
    content_start: usize,
    close: Option<(std::ops::Range<usize>, usize)>,
    not_first: bool,
    /// For an unclosed block: where its content stops.
    unclosed_end: usize,
}

fn locate(text: &str, bom: usize) -> Option<Located> {
    let mut it = lines(text, bom);
    let mut not_first = false;
    let (s, e, next) = loop {
        let (s, e, next) = it.next()?;
        let line = &text[s..e];
        if line.trim().is_empty() {
            not_first = true;
            continue;
        }
        if !is_fence(line) {
            return None;
        }
        break (s, e, next);
    };
    let open = s..s + 3;
    let _ = e;
    let mut unclosed_end = None;
    for (ls, le, lnext) in lines(text, next) {
        let line = &text[ls..le];
        if is_close(line) {
            return Some(Located {
                open,
                content_start: next,
                close: Some((ls..ls + 3, lnext)),
                not_first,
                unclosed_end: ls,
            });
        }
        if unclosed_end.is_none() && (line.trim().is_empty() || line.starts_with("# ") || line.starts_with("## ")) {
            unclosed_end = Some(ls);
        }
    }
    Some(Located {
        open,
        content_start: next,
        close: None,
        not_first,
        unclosed_end: unclosed_end.unwrap_or(text.len()),
    })
}

/// The YAML text of the frontmatter, if the file starts with one (cheap; no YAML parsing).
pub fn frontmatter_text(text: &str) -> Option<&str> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let l = locate(text, bom)?;
    let end = l.close.as_ref().map_or(l.unclosed_end, |(c, _)| c.start);
    Some(&text[l.content_start.min(end)..end])
}

pub(super) fn parse(text: &str, bom: usize, problems: &mut Vec<Problem>) -> Option<Frontmatter> {
    let l = locate(text, bom)?;
    if l.not_first {
        problems.push(Problem {
            kind: ProblemKind::FrontmatterNotFirst,
            span: l.open.clone(),
            message: "the frontmatter must start on line 1; loaders ignore a `---` block after blank lines".into(),
        });
    }
    let (content_end, span_end, close) = match &l.close {
        Some((c, end)) => (c.start, *end, Some(c.clone())),
        None => {
            problems.push(Problem {
                kind: ProblemKind::UnclosedFrontmatter,
                span: l.open.clone(),
                message: "the frontmatter is never closed: add a line `---` after the last key".into(),
            });
            (l.unclosed_end, l.unclosed_end, None)
        }
    };
    let content = l.content_start.min(content_end)..content_end;
    if let Some((c, _)) = &l.close {
        if text[c.clone()].starts_with("...") {
            problems.push(Problem {
                kind: ProblemKind::DotsClose,
                span: c.clone(),
                message: "the frontmatter is closed by `...`, which agent loaders do not read as its end; close it with `---`"
                    .into(),
            });
        }
    }
    let yaml_text = &text[content.clone()];
    // Claude Code's frontmatter pattern ends at the first `---` anywhere, not only on a line of its own.
    if let Some(i) = memchr::memmem::find(yaml_text.as_bytes(), b"---") {
        let at = content.start + i;
        problems.push(Problem {
            kind: ProblemKind::FenceInValue,
            span: at..at + 3,
            message: "`---` inside the frontmatter".into(),
        });
    }
    let root = if yaml_text.trim().is_empty() { None } else { yaml::parse(yaml_text, content.start, problems) };
    if let Some(r) = &root {
        if !matches!(r.value, yaml::Value::Map(_) | yaml::Value::Invalid) {
            problems.push(Problem {
                kind: ProblemKind::NotAMapping,
                span: r.span.clone(),
                message: format!("the frontmatter must be a mapping of `key: value` lines, not a {}", r.type_name()),
            });
        }
    }
    Some(Frontmatter { span: l.open.start..span_end, open: l.open, close, content, root })
}

#[cfg(test)]
mod tests {
    use super::super::parse as parse_file;
    use super::*;

    #[test]
    fn basic_and_crlf_and_bom() {
        for t in
            ["---\nname: a\n---\nbody\n", "\u{feff}---\r\nname: a\r\n---\r\nbody\r\n", "---  \nname: a\n---\t\nbody"]
        {
            let f = parse_file(t);
            let fm = f.frontmatter.as_ref().unwrap();
            assert!(f.problems.is_empty(), "{t:?}: {:?}", f.problems);
            assert_eq!(fm.get("name").unwrap().value.as_str(), Some("a"));
            assert_eq!(&t[fm.open.clone()], "---");
            assert!(t[f.body.span.clone()].starts_with("body"));
        }
    }

    #[test]
    fn unclosed_stops_at_heading() {
        let t = "---\nname: a\n# Title\ntext\n";
        let f = parse_file(t);
        assert_eq!(f.problems[0].kind, ProblemKind::UnclosedFrontmatter);
        assert_eq!(f.problems[0].span, 0..3);
        assert_eq!(&t[f.body.span.clone()], "# Title\ntext\n");
        assert_eq!(f.frontmatter.unwrap().get("name").unwrap().value.as_str(), Some("a"));
    }

    #[test]
    fn not_first_and_missing() {
        let f = parse_file("\n\n---\nname: a\n---\n");
        assert_eq!(f.problems[0].kind, ProblemKind::FrontmatterNotFirst);
        assert_eq!(f.problems[0].span, 2..5);
        assert!(parse_file("# Just markdown\n").frontmatter.is_none());
        assert!(parse_file("").frontmatter.is_none());
        let f = parse_file("---\n---\n");
        assert!(f.frontmatter.unwrap().root.is_none());
    }

    #[test]
    fn not_a_mapping() {
        let f = parse_file("---\n- a\n---\n");
        assert_eq!(f.problems[0].kind, ProblemKind::NotAMapping);
    }
}
