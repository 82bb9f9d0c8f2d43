//! Where the cursor is, for completion and hover: typing a key, an item of a value (flow list,
//! block list, comma string, scalar) or a section title.
//!
//! The frontmatter is read line by line here rather than from the YAML tree, because the tree is
//! partial while the user types (`tools: ["Read", ` does not parse, and error recovery blanks the
//! line). A top-level key starts in column 0; every indented line, list item or continuation line
//! belongs to the nearest key line above it.

use crate::analysis::Analysis;
use crate::diagnostic::Span;

use super::{line_end, line_start};

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cursor {
    Key(KeyCtx),
    Value(ValueCtx),
    Heading(HeadingCtx),
    Nothing,
}

/// Typing a top-level key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KeyCtx {
    /// The partial key (the whole word around the cursor).
    pub replace: Span,
    /// The line already has `key:` after the cursor: insert only the name.
    pub has_colon: bool,
}

/// Where in a value the cursor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueShape {
    /// On the key's line with nothing typed yet (`tools: |`).
    Empty,
    /// A blank indented line below a key whose value is empty (`tools:\n  |`).
    BelowKey,
    /// An item of `[...]`, possibly over several lines.
    Flow,
    /// A `- item` line.
    Block,
    /// A plain or quoted scalar on the key's line (a comma string for tool keys).
    Scalar,
    /// A key of a block mapping under the key (`tools:\n  ba|`, OpenCode's map).
    MapKey,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ValueCtx {
    pub key: String,
    pub key_span: Span,
    pub shape: ValueShape,
    /// The partial item under the cursor, without quotes: from its start to its end (past the cursor).
    pub replace: Span,
    /// The cursor is inside an open quote: insert the bare name.
    pub in_quote: bool,
    /// The quote new items should use when not inside one (the style of the list's items).
    pub quote: Option<char>,
    /// The whole value: from after the colon to the next top-level key.
    pub region: Span,
    /// The insertion needs a space before it (`tools:|`).
    pub needs_space: bool,
}

/// Typing a section title at a `## ` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HeadingCtx {
    pub level: u8,
    pub replace: Span,
    pub needs_space: bool,
}

pub(super) fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Characters of a tool name or a model id written without quotes.
pub(super) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || "_-./*:@[]".contains(c)
}

/// Options that depend on the key rather than the text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Options {
    /// Items are separated by commas (tool keys): a scalar is a comma string.
    pub comma_items: bool,
    /// White space separates items too (a skill's `allowed-tools: Read Grep`).
    pub space_items: bool,
    /// The quote for the first item of an empty flow list.
    pub default_quote: char,
}

/// The cursor context at `offset` (already clamped onto a char boundary).
pub(super) fn cursor(a: &Analysis, offset: usize, opts: impl Fn(&str) -> Options) -> Cursor {
    let text = a.text;
    if let Some(fm) = &a.parsed.frontmatter {
        let c = fm.content.clone();
        let inside = offset >= c.start && (offset < c.end || (fm.close.is_none() && offset == c.end));
        if inside {
            return frontmatter(text, c, offset, opts).unwrap_or(Cursor::Nothing);
        }
        if offset < fm.span.end {
            return Cursor::Nothing;
        }
    }
    heading(a, offset).map_or(Cursor::Nothing, Cursor::Heading)
}

fn heading(a: &Analysis, offset: usize) -> Option<HeadingCtx> {
    let text = a.text;
    let ls = line_start(text, offset);
    // Only real ATX headings count (not `##` inside a code block): the parser found one here.
    let h = a.parsed.body.headings.iter().find(|h| h.span.start == ls && offset <= h.span.end.max(ls))?;
    let le = line_end(text, offset);
    let line = &text[ls..le];
    let hashes = line.len() - line.trim_start_matches('#').len();
    if hashes == 0 || hashes > 6 || offset < ls + hashes {
        return None;
    }
    let after = &line[hashes..];
    let title_start = ls + hashes + (after.len() - after.trim_start().len());
    let start = title_start.min(offset);
    let end = ls + line.trim_end().len();
    Some(HeadingCtx { level: h.level, replace: start..end.max(offset), needs_space: !after.starts_with([' ', '\t']) })
}

/// Top-level key lines start in column 0 with a name character.
fn key_line(text: &str, ls: usize, le: usize) -> Option<(Span, usize)> {
    let line = &text[ls..le];
    let first = line.chars().next()?;
    if !(first.is_alphanumeric() || first == '_' || first == '"' || first == '\'') {
        return None;
    }
    let colon = line.find(':')?;
    let raw = &line[..colon];
    let name = raw.trim_end();
    let quoted = name.len() >= 2 && ["\"", "'"].iter().any(|q| name.starts_with(q) && name.ends_with(q));
    let (s, e) = if quoted { (1, name.len() - 1) } else { (0, name.len()) };
    Some((ls + s..ls + e, ls + colon + 1))
}

/// Lines of `text` between `from` and `to`: (start, end without break).
fn lines_between(text: &str, from: usize, to: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= to || pos >= text.len() {
            return None;
        }
        let s = pos;
        let e = line_end(text, s).min(to);
        let mut next = e;
        if text[next..].starts_with("\r\n") {
            next += 2;
        } else if next < text.len() {
            next += 1;
        }
        pos = next;
        Some((s, e))
    })
}

fn frontmatter(text: &str, content: Span, offset: usize, opts: impl Fn(&str) -> Options) -> Option<Cursor> {
    let ls = line_start(text, offset).max(content.start);
    let le = line_end(text, offset);
    let line = &text[ls..le];
    let before = &text[ls..offset];
    let starts_key = line.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"' || c == '\'');
    // The value ends at the next top-level key line (or the end of the frontmatter).
    let region_end = lines_between(text, le, content.end)
        .skip(1)
        .find(|(s, e)| key_line(text, *s, *e).is_some())
        .map_or(content.end.max(le), |(s, _)| s);

    if line.is_empty() || starts_key {
        if let Some((key_span, colon_end)) = key_line(text, ls, le).filter(|(_, ce)| offset >= *ce) {
            let key = text[key_span.clone()].to_string();
            let o = opts(&key);
            return value_on_key_line(text, key, key_span, colon_end, offset, le, region_end, o).map(Cursor::Value);
        }
        // Typing a key: only name characters between the line start and the cursor.
        if !before.chars().all(is_key_char) {
            return None;
        }
        let end = offset + text[offset..le].find(|c: char| !is_key_char(c)).unwrap_or(le - offset);
        let has_colon = text[end..le].trim_start().starts_with(':');
        return Some(Cursor::Key(KeyCtx { replace: ls..end, has_colon }));
    }

    // An indented line, a `- ` line or a continuation: find the key it belongs to.
    let mut owner = None;
    let mut pos = ls;
    while pos > content.start {
        let ps = line_start(text, pos - 1).max(content.start);
        let pe = line_end(text, ps);
        let l = &text[ps..pe];
        if l.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"' || c == '\'') {
            owner = key_line(text, ps, pe).map(|k| (k, ps, pe));
            break;
        }
        pos = ps;
    }
    let ((key_span, colon_end), _ks, ke) = owner?;
    let key = text[key_span.clone()].to_string();
    let o = opts(&key);
    let region = colon_end..region_end;
    let key_line_value = text[colon_end..ke].trim();
    let value_first = text[colon_end..region_end].find(|c: char| !c.is_whitespace()).map(|p| colon_end + p);

    // A flow list opened on an earlier line and still open at the cursor.
    if let Some(vf) = value_first.filter(|vf| *vf < offset && text[*vf..].starts_with('[')) {
        return flow(text, key, key_span, vf, offset, region, o).map(Cursor::Value);
    }
    if !key_line_value.is_empty() && !key_line_value.starts_with('#') {
        // A multi-line scalar (`description: >` and its lines): nothing to complete.
        return None;
    }
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if trimmed.starts_with("- ") || trimmed == "-" {
        let marker_end = ls + indent + 1;
        if offset <= marker_end {
            return None;
        }
        let after = &text[marker_end..offset];
        let item_start = marker_end + (after.len() - after.trim_start().len());
        let quote = block_quote(text, region.clone(), ls);
        return item(text, key, key_span, ValueShape::Block, item_start, offset, le, region, quote, o, false)
            .map(Cursor::Value);
    }
    if line.trim().is_empty() {
        return Some(Cursor::Value(ValueCtx {
            key,
            key_span,
            shape: ValueShape::BelowKey,
            replace: offset..offset,
            in_quote: false,
            quote: block_quote(text, region.clone(), ls),
            region,
            needs_space: false,
        }));
    }
    // `  name|` under a key: a key of a nested block mapping.
    let typed = &before[indent.min(before.len())..];
    if indent > 0 && offset >= ls + indent && typed.chars().all(is_key_char) {
        let end = offset + text[offset..le].find(|c: char| !is_key_char(c)).unwrap_or(le - offset);
        return Some(Cursor::Value(ValueCtx {
            key,
            key_span,
            shape: ValueShape::MapKey,
            replace: ls + indent..end,
            in_quote: false,
            quote: None,
            region,
            needs_space: false,
        }));
    }
    None
}

/// The quote used by the `- ` items of a block list (other than the line at `skip`).
fn block_quote(text: &str, region: Span, skip: usize) -> Option<char> {
    lines_between(text, region.start, region.end).filter(|(s, _)| *s != skip).find_map(|(s, e)| {
        let t = text[s..e].trim_start().strip_prefix("- ")?.trim_start();
        Some(t.chars().next().filter(|c| *c == '"' || *c == '\''))
    })?
}

#[allow(clippy::too_many_arguments)]
fn value_on_key_line(
    text: &str,
    key: String,
    key_span: Span,
    colon_end: usize,
    offset: usize,
    le: usize,
    region_end: usize,
    o: Options,
) -> Option<ValueCtx> {
    let lead = &text[colon_end..offset];
    let typed = lead.trim_start();
    let item_start = offset - typed.len();
    let region = colon_end..region_end.max(le);
    if typed.is_empty() {
        let rest = text[offset..le].trim();
        if rest.is_empty() || rest.starts_with('#') {
            return Some(ValueCtx {
                key,
                key_span,
                shape: ValueShape::Empty,
                replace: offset..offset,
                in_quote: false,
                quote: None,
                region,
                needs_space: lead.is_empty(),
            });
        }
    }
    match typed.chars().next() {
        Some('[') => flow(text, key, key_span, item_start, offset, region, o),
        Some('|' | '>' | '{' | '&' | '*' | '!' | '#') => None,
        _ => item(text, key, key_span, ValueShape::Scalar, item_start, offset, le, region, None, o, lead.is_empty()),
    }
}

/// One item starting at `start` (a block list item or a scalar), possibly quoted.
#[allow(clippy::too_many_arguments)]
fn item(
    text: &str,
    key: String,
    key_span: Span,
    shape: ValueShape,
    start: usize,
    offset: usize,
    le: usize,
    region: Span,
    quote: Option<char>,
    o: Options,
    needs_space: bool,
) -> Option<ValueCtx> {
    let typed = &text[start..offset];
    let comma = o.comma_items && shape == ValueShape::Scalar;
    let (in_quote, body_start, q) = match typed.chars().next() {
        Some(q @ ('"' | '\'')) => {
            if closing_quote(&text[start + 1..offset], q).is_some() {
                // The cursor is after a closed string.
                return None;
            }
            (true, start + 1, Some(q))
        }
        _ => (false, start, None),
    };
    // In a comma string, the item under the cursor starts after the last comma.
    let mut item_start = body_start;
    if comma {
        let seg = &text[body_start..offset];
        if let Some(p) = last_top_level_comma(seg, o.space_items) {
            item_start = body_start + p + seg[p..].chars().next().map_or(1, char::len_utf8);
        }
        let rest = &text[item_start..offset];
        item_start += rest.len() - rest.trim_start().len();
    }
    let partial = &text[item_start..offset];
    if o.comma_items
        && (partial.contains('(') || (!in_quote && !o.space_items && partial.contains(char::is_whitespace)))
    {
        return None;
    }
    // The item runs on to the next separator.
    let tail = &text[offset..le];
    let stop = tail
        .char_indices()
        .find(|&(i, c)| {
            (in_quote && Some(c) == q)
                || (comma && (c == ',' || (o.space_items && c.is_whitespace())))
                || (!in_quote && c == '#' && (i > 0 || offset > start) && text[..offset + i].ends_with([' ', '\t']))
        })
        .map_or(tail.len(), |(i, _)| i);
    let end = offset + tail[..stop].trim_end().len();
    Some(ValueCtx {
        key,
        key_span,
        shape,
        replace: item_start..end.max(offset),
        in_quote,
        quote: if in_quote { q } else { quote },
        region,
        needs_space,
    })
}

/// The byte index of the first unescaped `q` in `s`.
fn closing_quote(s: &str, q: char) -> Option<usize> {
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if q == '"' && c == '\\' {
            it.next();
        } else if c == q {
            if q == '\'' && it.peek().map(|x| x.1) == Some('\'') {
                it.next();
            } else {
                return Some(i);
            }
        }
    }
    None
}

/// The last comma outside parentheses (`Bash(git add, commit), Re|`); with `spaces`, the last
/// separating white space too (`Read Bash(git diff:*) Gr|`).
fn last_top_level_comma(s: &str, spaces: bool) -> Option<usize> {
    let mut depth = 0i32;
    let mut last = None;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if depth <= 0 && (c == ',' || (spaces && c.is_whitespace())) => last = Some(i),
            _ => {}
        }
    }
    last
}

/// An item of a flow list whose `[` is at `open`.
fn flow(
    text: &str,
    key: String,
    key_span: Span,
    open: usize,
    offset: usize,
    region: Span,
    o: Options,
) -> Option<ValueCtx> {
    let mut depth = 0i32;
    let mut quote: Option<(char, usize)> = None;
    let mut item_start = open + 1;
    let mut comment = false;
    let s = &text[open..offset];
    // Past a closed quoted item: the scan resumes after its closing quote.
    let mut skip_to = 0;
    for (i, c) in s.char_indices() {
        let at = open + i;
        if i < skip_to {
            continue;
        }
        if comment {
            comment = c != '\n' && c != '\r';
            continue;
        }
        match c {
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    item_start = at + 1;
                }
            }
            ']' | '}' => {
                depth -= 1;
                if depth <= 0 {
                    return None;
                }
            }
            ',' if depth == 1 => item_start = at + 1,
            '"' | '\'' => match closing_quote(&s[i + 1..], c) {
                Some(j) => skip_to = i + 1 + j + 1,
                // Still open at the cursor: the cursor is inside this quoted item.
                None => {
                    quote = Some((c, at));
                    break;
                }
            },
            '#' if text[..at].ends_with([' ', '\t', '\n']) => comment = true,
            _ => {}
        }
    }
    if depth != 1 || comment {
        return None;
    }
    let le = line_end(text, offset);
    let (replace, in_quote, q) = match quote {
        Some((q, qs)) => {
            let tail = &text[offset..le];
            let stop = closing_quote(tail, q).unwrap_or(tail.len());
            (qs + 1..offset + stop, true, Some(q))
        }
        None => {
            let partial_raw = &text[item_start..offset];
            let partial = partial_raw.trim_start();
            let ps = offset - partial.len();
            if partial.contains(['"', '\'', '(']) || (o.comma_items && partial.contains(char::is_whitespace)) {
                return None;
            }
            let tail = &text[offset..le];
            let stop = tail.find([',', ']', '[', '{', '}', '#']).unwrap_or(tail.len());
            let end = offset + tail[..stop].trim_end().len();
            (ps..end.max(offset), false, flow_quote(text, open, region.end, o.default_quote))
        }
    };
    Some(ValueCtx { key, key_span, shape: ValueShape::Flow, replace, in_quote, quote: q, region, needs_space: false })
}

/// The quote of the first item of the flow list at `open` (`None` for plain items).
fn flow_quote(text: &str, open: usize, end: usize, default: char) -> Option<char> {
    let rest = &text[open + 1..end.max(open + 1).min(text.len())];
    match rest.trim_start().chars().next() {
        Some(c @ ('"' | '\'')) => Some(c),
        Some(c) if is_name_char(c) => None,
        _ => Some(default),
    }
}
