//! A YAML tree with byte spans, built from saphyr-parser's events.
//!
//! The tree builder is iterative (no recursion, so deep nesting cannot overflow the stack), caps
//! the depth it keeps, keeps aliases as leaves (no expansion, so no alias bombs), reports repeated
//! keys at the repeat, and recovers from syntax errors: the offending line is blanked and the
//! text parsed again, so one broken line does not hide the rest of the frontmatter.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle};

use super::{Problem, ProblemKind};
use crate::diagnostic::Span;

/// Nesting deeper than this is not kept (agent frontmatter never nests more than a few levels).
pub const MAX_DEPTH: usize = 64;
/// How many syntax errors are recovered from before giving up on the rest.
const MAX_RECOVERIES: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// How a plain scalar resolves under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScalarKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The value after unquoting and unescaping.
    pub text: String,
    pub style: ScalarStyle,
}

impl Scalar {
    /// The scalar's type: quoted and block scalars are always strings.
    pub fn kind(&self) -> ScalarKind {
        if self.style != ScalarStyle::Plain {
            return ScalarKind::Str;
        }
        let t = self.text.as_str();
        match t {
            "" | "~" | "null" | "Null" | "NULL" => ScalarKind::Null,
            "true" | "True" | "TRUE" => ScalarKind::Bool(true),
            "false" | "False" | "FALSE" => ScalarKind::Bool(false),
            _ => {
                if let Ok(i) = t.parse::<i64>() {
                    ScalarKind::Int(i)
                } else if t.bytes().any(|b| b.is_ascii_digit())
                    && t.bytes().all(|b| b.is_ascii_digit() || b"+-.eE_".contains(&b))
                {
                    t.parse::<f64>().map_or(ScalarKind::Str, ScalarKind::Float)
                } else {
                    ScalarKind::Str
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Seq {
    pub items: Vec<Node>,
    /// `[a, b]` rather than `- a` lines.
    pub flow: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub entries: Vec<Entry>,
    pub flow: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    /// From the key's start to the value's end.
    pub fn span(&self) -> Span {
        self.key.span.start..self.value.span.end.max(self.key.span.end)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Seq),
    Map(Map),
    /// `*anchor`: kept as a leaf, never expanded.
    Alias,
    /// Nothing could be read here (a syntax error, or nesting too deep).
    Invalid,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte span in the whole document (quotes and brackets included).
    pub span: Span,
    pub value: Value,
}

impl Node {
    /// The text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// True for an empty plain scalar (`key:` with nothing after it) or `null`/`~`.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.kind() == ScalarKind::Null)
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar(s) => match s.kind() {
                ScalarKind::Null => "null",
                ScalarKind::Bool(_) => "boolean",
                ScalarKind::Int(_) => "integer",
                ScalarKind::Float(_) => "number",
                ScalarKind::Str => "string",
            },
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
            Value::Alias => "alias",
            Value::Invalid => "invalid value",
        }
    }
}

/// Maps saphyr's character indices to byte offsets of the document.
struct Offsets {
    /// Byte offset of the YAML text in the document.
    base: usize,
    /// Byte offset of each character; empty when the text is ASCII (identity).
    chars: Vec<usize>,
    len: usize,
}

impl Offsets {
    fn new(yaml: &str, base: usize) -> Self {
        let chars = if yaml.is_ascii() {
            Vec::new()
        } else {
            yaml.char_indices().map(|(i, _)| i).chain(std::iter::once(yaml.len())).collect()
        };
        Offsets { base, chars, len: yaml.len() }
    }

    fn byte(&self, char_index: usize) -> usize {
        let b = if self.chars.is_empty() {
            char_index.min(self.len)
        } else {
            self.chars.get(char_index).copied().unwrap_or(self.len)
        };
        self.base + b
    }
}

/// A collection being built.
struct Open {
    start: usize,
    kind: OpenKind,
    flow: bool,
    items: Vec<Node>,
    /// Keys seen so far (mappings), for duplicate detection.
    pending_key: Option<Node>,
    entries: Vec<Entry>,
    /// Where each key text was first seen (byte offset), so finding a repeat costs one lookup
    /// rather than a scan of every earlier entry (quadratic for a frontmatter of many keys).
    first_seen: HashMap<String, usize>,
}

enum OpenKind {
    Seq,
    Map,
}

/// The outcome of one parse attempt.
struct Attempt {
    root: Option<Node>,
    /// The syntax error, as (char index, message).
    error: Option<(usize, String)>,
    /// Char index where the innermost still-open collection started, at the time of the error.
    open_start: Option<usize>,
    duplicates: Vec<Problem>,
    too_deep: Option<usize>,
}

fn style(s: SaphyrStyle) -> ScalarStyle {
    match s {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

fn attempt(yaml: &str, off: &Offsets) -> Attempt {
    let mut parser = Parser::new_from_str(yaml);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut duplicates = Vec::new();
    // Depth of collections opened beyond MAX_DEPTH (skipped, not kept).
    let mut skipped = 0usize;
    let mut skipped_start = 0usize;
    let mut too_deep = None;
    let mut error = None;

    // Attaches a finished node to its parent, or makes it the root.
    fn attach(stack: &mut [Open], root: &mut Option<Node>, node: Node, duplicates: &mut Vec<Problem>) {
        let Some(top) = stack.last_mut() else {
            if root.is_none() {
                *root = Some(node);
            }
            return;
        };
        match top.kind {
            OpenKind::Seq => top.items.push(node),
            OpenKind::Map => match top.pending_key.take() {
                None => {
                    if let Some(k) = node.as_str() {
                        if let Some(&line_hint) = top.first_seen.get(k) {
                            duplicates.push(Problem {
                                kind: ProblemKind::DuplicateKey,
                                span: node.span.clone(),
                                message: format!("duplicate key `{k}` (first defined at byte {line_hint})"),
                            });
                        } else {
                            top.first_seen.insert(k.to_string(), node.span.start);
                        }
                    }
                    top.pending_key = Some(node);
                }
                Some(key) => top.entries.push(Entry { key, value: node }),
            },
        }
    }

    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(x)) => x,
            Some(Err(e)) => {
                error = Some((e.marker().index(), e.info().to_string()));
                break;
            }
        };
        let (s, e) = (off.byte(span.start.index()), off.byte(span.end.index()));
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH || skipped > 0 {
                    if skipped == 0 {
                        skipped_start = s;
                    }
                    skipped += 1;
                    continue;
                }
                // A block collection's start event is empty; a flow one covers its bracket.
                let flow = e > s;
                let kind = if matches!(event, Event::SequenceStart(..)) { OpenKind::Seq } else { OpenKind::Map };
                stack.push(Open {
                    start: s,
                    kind,
                    flow,
                    items: Vec::new(),
                    pending_key: None,
                    entries: Vec::new(),
                    first_seen: HashMap::new(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if skipped > 0 {
                    skipped -= 1;
                    if skipped == 0 {
                        too_deep.get_or_insert(skipped_start);
                        let node = Node { span: skipped_start..e, value: Value::Invalid };
                        attach(&mut stack, &mut root, node, &mut duplicates);
                    }
                    continue;
                }
                let Some(open) = stack.pop() else { continue };
                let node = close(open, e);
                attach(&mut stack, &mut root, node, &mut duplicates);
            }
            Event::Scalar(value, st, ..) => {
                if skipped > 0 {
                    continue;
                }
                let text = match value {
                    Cow::Borrowed(v) => v.to_string(),
                    Cow::Owned(v) => v,
                };
                let node = Node { span: s..e, value: Value::Scalar(Scalar { text, style: style(st) }) };
                attach(&mut stack, &mut root, node, &mut duplicates);
            }
            Event::Alias(_) => {
                if skipped > 0 {
                    continue;
                }
                attach(&mut stack, &mut root, Node { span: s..e, value: Value::Alias }, &mut duplicates);
            }
            Event::DocumentEnd => {
                // Only the first document counts; a second `---` inside frontmatter is not ours.
                break;
            }
            _ => {}
        }
    }
    let open_start = stack.last().map(|o| o.start);
    // Close whatever is still open, so the partial tree is kept.
    let end = off.byte(usize::MAX);
    while let Some(open) = stack.pop() {
        let node = close(open, end);
        attach(&mut stack, &mut root, node, &mut duplicates);
    }
    let open_start = open_start.map(|b| b - off.base);
    Attempt { root, error, open_start, duplicates, too_deep }
}

/// Turns a finished collection into a node. Block collections end where their last child ends.
fn close(mut open: Open, end_event_end: usize) -> Node {
    let last_child_end = match open.kind {
        OpenKind::Seq => open.items.last().map(|n| n.span.end),
        OpenKind::Map => {
            if let Some(k) = open.pending_key.take() {
                // A key without a value (cut short by an error): keep it with an invalid value.
                let at = k.span.end;
                open.entries.push(Entry { key: k, value: Node { span: at..at, value: Value::Invalid } });
            }
            open.entries.last().map(|en| en.span().end)
        }
    };
    let end = if open.flow { end_event_end } else { last_child_end.unwrap_or(open.start).max(open.start) };
    let value = match open.kind {
        OpenKind::Seq => Value::Seq(Seq { items: open.items, flow: open.flow }),
        OpenKind::Map => Value::Map(Map { entries: open.entries, flow: open.flow }),
    };
    Node { span: open.start..end, value }
}

/// Parses `yaml`, which sits at byte `base` of the document. Never fails: syntax errors become
/// problems and the rest is still read.
///
/// Recovery reads a broken line the way the tolerant loaders' fallbacks do, so that the keys
/// after it, and the broken value itself, are still checked: a plain value holding `: ` or
/// starting with `@` or a backtick is read as the whole rest of its line; a leading tab counts as
/// a space; an unclosed quote runs to the end of its line. Each repair keeps every byte offset
/// (the working copy only changes bytes in place), and the repaired values get their original text
/// back afterwards. A line that fits none of these is blanked. A flow collection whose closing
/// bracket sits alone in column 0 is valid YAML 1.2 that saphyr refuses: it is read without a problem.
pub(super) fn parse(yaml: &str, base: usize, problems: &mut Vec<Problem>) -> Option<Node> {
    let mut work: Option<String> = None;
    let mut last_error_at = None;
    // Byte offset (in the document) of each repaired value, and its original text.
    let mut restore: HashMap<usize, String> = HashMap::new();
    for _ in 0..=MAX_RECOVERIES {
        let text = work.as_deref().unwrap_or(yaml);
        // Blanking keeps byte offsets but not character indices (a multi-byte character becomes
        // several spaces), so saphyr's character indices are mapped through the text it read.
        let off = Offsets::new(text, base);
        let a = attempt(text, &off);
        let Some((at, message)) = a.error else {
            problems.extend(a.duplicates);
            if let Some(at) = a.too_deep {
                // The first character of the cut collection: a block one starts at its first
                // key, which may be a multi-byte character.
                let len = yaml.get(at - base..).and_then(|r| r.chars().next()).map_or(0, char::len_utf8);
                problems.push(Problem {
                    kind: ProblemKind::TooDeep,
                    span: at..at + len,
                    message: format!("YAML nested deeper than {MAX_DEPTH} levels; the deeper part is not checked"),
                });
            }
            let mut root = a.root;
            if let Some(r) = root.as_mut().filter(|_| !restore.is_empty()) {
                restore_values(r, &mut restore);
            }
            return root;
        };
        let byte = crate::text::floor_char_boundary(yaml, off.byte(at) - base);
        let w = work.get_or_insert_with(|| yaml.to_string());
        if last_error_at != Some(byte) {
            if let Some(repair) = classify(w, byte, &message) {
                let done = apply(w, &repair, base, &mut restore);
                if let Some(kind) = repair.kind.filter(|_| done) {
                    problems.push(Problem {
                        kind,
                        span: base + repair.culprit.start..base + repair.culprit.end,
                        message: format!("YAML syntax error: {message}"),
                    });
                }
                if done {
                    last_error_at = Some(byte);
                    continue;
                }
            }
        }
        let err_span = error_span(yaml, byte);
        problems.push(Problem {
            kind: ProblemKind::YamlSyntax,
            span: base + err_span.start..base + err_span.end,
            message: format!("YAML syntax error: {message}"),
        });
        // Recover: blank the line of the error (or, if that changes nothing, the line where the
        // unclosed collection began) and parse again. Blanking keeps every byte offset.
        let target = if last_error_at == Some(byte) { a.open_start.unwrap_or(byte) } else { byte };
        last_error_at = Some(byte);
        if !blank_line(w, target) {
            // Nothing left to blank: keep the partial tree of this attempt.
            problems.extend(a.duplicates);
            return a.root;
        }
    }
    None
}

/// How to repair one broken line in place.
struct Repair {
    /// The problem to report (`None` for valid YAML that saphyr refuses).
    kind: Option<ProblemKind>,
    /// Where the problem is shown (relative to the YAML text).
    culprit: Span,
    /// The bytes to overwrite with `fill` (relative to the YAML text).
    replace: Span,
    fill: u8,
    /// True when `replace` holds a value whose original text the tree should keep.
    keep_value: bool,
}

/// The start and end (without line break) of the line holding byte `at`.
fn line_at(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    (start, end)
}

/// For a `key: value` line (optionally a `- key: value` item): where the value starts, after
/// the key's `: ` and any blanks.
fn value_start(line: &str) -> Option<usize> {
    let body = line.trim_start_matches([' ', '\t']);
    let body = body.strip_prefix("- ").unwrap_or(body);
    let offset = line.len() - body.len();
    let key_end = body.find(": ").or_else(|| body.find(":\t"))?;
    let key = body[..key_end].trim_end();
    if key.is_empty() || key.starts_with(['"', '\'', '[', '{', '#', '-', '?']) || key.contains(['#', '[', '{']) {
        return None;
    }
    let after = &body[key_end + 1..];
    let lead = after.len() - after.trim_start_matches([' ', '\t']).len();
    let v = offset + key_end + 1 + lead;
    (v < line.len()).then_some(v)
}

/// Which known case the error at byte `at` is, and its repair.
fn classify(text: &str, at: usize, message: &str) -> Option<Repair> {
    let (ls, le) = line_at(text, at);
    let line = &text[ls..le];
    // a: `]` or `}` alone in column 0 closes a flow collection: join it to the line before.
    if line.trim_end() == "]" || line.trim_end() == "}" {
        let brk = text[..ls]
            .char_indices()
            .rev()
            .find(|(_, c)| *c != '\n' && *c != '\r')
            .map_or(0, |(i, c)| i + c.len_utf8());
        if brk < ls {
            return Some(Repair { kind: None, culprit: ls..ls, replace: brk..ls, fill: b' ', keep_value: false });
        }
    }
    // c: leading tabs, on this line or (saphyr reports a tab at the end of the line before) the next.
    let next = text[le..].strip_prefix("\r\n").or_else(|| text[le..].strip_prefix(['\n', '\r'])).map(|r| {
        let start = text.len() - r.len();
        (start, line_at(text, start).1)
    });
    for (ls, le) in std::iter::once((ls, le)).chain(next) {
        let line = &text[ls..le];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if line[..indent].contains('\t') {
            let rest = line[indent..].trim_end();
            let nested_map = !rest.starts_with('-') && rest.contains(':');
            return Some(Repair {
                kind: Some(ProblemKind::TabIndent { nested_map }),
                culprit: ls..ls + indent,
                replace: ls..ls + indent,
                fill: b' ',
                keep_value: false,
            });
        }
    }
    let repair_value = |kind, v: usize| {
        let value = line[v..].trim_end();
        Some(Repair {
            kind: Some(kind),
            culprit: ls + v..ls + v + value.len(),
            replace: ls + v..ls + v + value.len(),
            fill: b'x',
            keep_value: true,
        })
    };
    if let Some(v) = value_start(line) {
        let value = line[v..].trim_end();
        // j: an opening quote with no closing one on the line (saphyr reports it further on).
        if value.starts_with(['"', '\'']) && !closes_on_line(value) && message.contains("quoted") {
            let mut r = repair_value(ProblemKind::UnclosedQuote, v)?;
            r.culprit = ls + v..ls + v + 1;
            return Some(r);
        }
        if value.starts_with(['@', '`']) {
            return repair_value(ProblemKind::ReservedIndicator, v);
        }
        let plain = !value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']);
        if plain && (value.contains(": ") || value.ends_with(':')) {
            return repair_value(ProblemKind::ColonInValue, v);
        }
    }
    // j again: saphyr reports an unclosed quote at the end of the text; find the line it opened on.
    if message.contains("quoted") {
        let mut pos = 0;
        while pos < text.len() {
            let (s, e) = line_at(text, pos);
            let l = &text[s..e];
            if let Some(v) = value_start(l) {
                let value = l[v..].trim_end();
                if value.starts_with(['"', '\'']) && !closes_on_line(value) {
                    return Some(Repair {
                        kind: Some(ProblemKind::UnclosedQuote),
                        culprit: s + v..s + v + 1,
                        replace: s + v..s + v + value.len(),
                        fill: b'x',
                        keep_value: true,
                    });
                }
            }
            pos = e + 1;
        }
    }
    None
}

/// True when a value that opens with a quote closes it on the same line.
fn closes_on_line(value: &str) -> bool {
    let q = value.as_bytes()[0];
    let b = value.as_bytes();
    let mut i = 1;
    while i < b.len() {
        if q == b'"' && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return true;
        }
        i += 1;
    }
    false
}

/// Overwrites the repair's bytes in place. Returns false when there was nothing to change.
fn apply(text: &mut String, r: &Repair, base: usize, restore: &mut HashMap<usize, String>) -> bool {
    let span = r.replace.clone();
    if span.is_empty()
        || span.end > text.len()
        || !text.is_char_boundary(span.start)
        || !text.is_char_boundary(span.end)
        || text[span.clone()].bytes().all(|b| b == r.fill)
    {
        return false;
    }
    if r.keep_value {
        restore.insert(base + span.start, text[span.clone()].to_string());
    }
    let fill = (r.fill as char).to_string().repeat(span.len());
    text.replace_range(span, &fill);
    true
}

/// Gives the repaired values their original text back.
fn restore_values(root: &mut Node, restore: &mut HashMap<usize, String>) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &mut n.value {
            Value::Scalar(s) => {
                if let Some(t) = restore.remove(&n.span.start) {
                    s.text = t;
                }
            }
            Value::Seq(q) => stack.extend(q.items.iter_mut()),
            Value::Map(m) => {
                for e in m.entries.iter_mut() {
                    stack.push(&mut e.key);
                    stack.push(&mut e.value);
                }
            }
            _ => {}
        }
        if restore.is_empty() {
            return;
        }
    }
}

/// The span to show for an error at byte `at` of `yaml`: the character there, or the end of the
/// previous non-empty line when the error sits at the end of the text.
fn error_span(yaml: &str, at: usize) -> Span {
    let at = crate::text::floor_char_boundary(yaml, at);
    if at >= yaml.trim_end().len() && at > 0 {
        let end = yaml.trim_end().len();
        let start = yaml[..end].char_indices().next_back().map_or(0, |(i, _)| i);
        return start..end;
    }
    let len = yaml[at..].chars().next().filter(|c| *c != '\n' && *c != '\r').map_or(0, char::len_utf8);
    at..at + len
}

/// Replaces every byte of the line holding byte `at` with a space, so every byte offset of the
/// text stays where it was. Returns false if the line was already blank.
fn blank_line(text: &mut String, at: usize) -> bool {
    let at = at.min(text.len());
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    if text[start..end].trim().is_empty() {
        return false;
    }
    let spaces = " ".repeat(end - start);
    text.replace_range(start..end, &spaces);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(y: &str) -> (Option<Node>, Vec<Problem>) {
        let mut probs = Vec::new();
        let n = parse(y, 0, &mut probs);
        (n, probs)
    }

    #[test]
    fn duplicates_are_found_in_small_and_large_maps() {
        for n in [3, 16, 48] {
            let mut y: String = (0..n).map(|i| format!("k{i}: {i}\n")).collect();
            let first = y.find("k1:").unwrap();
            let dup = y.len();
            y.push_str("k1: again\nlast: 1\nk0: again\n");
            let (_, problems) = p(&y);
            let dups: Vec<_> = problems.iter().filter(|p| p.kind == ProblemKind::DuplicateKey).collect();
            assert_eq!(dups.len(), 2, "{n} keys: {problems:?}");
            assert_eq!(dups[0].span, dup..dup + 2);
            assert!(dups[0].message.contains(&format!("byte {first}")), "{}", dups[0].message);
        }
    }

    #[test]
    fn recovery_after_multibyte_lines_stays_on_char_boundaries() {
        // The second error's byte offset (in the original) lies inside `é` of the blanked copy.
        let (_, problems) = p("]é\n\"\"é");
        assert!(problems.iter().all(|x| x.kind == ProblemKind::YamlSyntax), "{problems:?}");
        let (_, problems) = p("a: [é\nb: 日本 ]\nc: \"\"é\n");
        assert!(!problems.is_empty());
    }

    fn entries(n: &Node) -> &[Entry] {
        match &n.value {
            Value::Map(m) => &m.entries,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn spans_of_keys_values_and_items() {
        let y = "name: réviewer\ntools: [\"Read\", Grep]\nlist:\n  - a\n  - b\n";
        let (n, probs) = p(y);
        assert!(probs.is_empty());
        let e = entries(n.as_ref().unwrap());
        assert_eq!(&y[e[0].key.span.clone()], "name");
        assert_eq!(&y[e[0].value.span.clone()], "réviewer");
        assert_eq!(&y[e[1].value.span.clone()], "[\"Read\", Grep]");
        let Value::Seq(s) = &e[1].value.value else { panic!() };
        assert!(s.flow);
        assert_eq!(&y[s.items[0].span.clone()], "\"Read\"");
        assert_eq!(&y[s.items[1].span.clone()], "Grep");
        let Value::Seq(s) = &e[2].value.value else { panic!() };
        assert!(!s.flow);
        assert_eq!(&y[e[2].value.span.clone()], "- a\n  - b");
        assert_eq!(&y[s.items[1].span.clone()], "b");
    }

    #[test]
    fn duplicate_key_at_the_duplicate() {
        let y = "a: 1\nb: 2\na: 3\n";
        let (_, probs) = p(y);
        assert_eq!(probs.len(), 1);
        assert_eq!(probs[0].kind, ProblemKind::DuplicateKey);
        assert_eq!(probs[0].span, 10..11);
    }

    #[test]
    fn recovers_after_a_broken_line() {
        let y = "name: x\ndescription: foo: bar\ntools: Read\n";
        let (n, probs) = p(y);
        assert_eq!(probs.len(), 1, "{probs:?}");
        assert_eq!(probs[0].kind, ProblemKind::ColonInValue);
        assert_eq!(&y[probs[0].span.clone()], "foo: bar");
        let e = entries(n.as_ref().unwrap());
        let keys: Vec<_> = e.iter().filter_map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["name", "description", "tools"]);
        // The value is read as the fallback loaders read it, at its place in the text.
        assert_eq!(e[1].value.as_str(), Some("foo: bar"));
        assert_eq!(&y[e[1].value.span.clone()], "foo: bar");
        // A line that fits no known case is blanked, and the rest still read.
        let y = "name: x\n  bad: [\ntools: Read\n";
        let (n, probs) = p(y);
        assert!(probs.iter().all(|p| p.kind == ProblemKind::YamlSyntax), "{probs:?}");
        let e = entries(n.as_ref().unwrap());
        assert!(e.iter().any(|e| e.key.as_str() == Some("tools")), "{e:?}");
    }

    fn kinds(y: &str) -> Vec<ProblemKind> {
        p(y).1.into_iter().map(|p| p.kind).collect()
    }

    #[test]
    fn a_closing_bracket_after_a_multi_byte_character() {
        // Found by proptest: the line break before a column-0 `]` was located one byte after
        // the start of the character before it, inside `✓`.
        let y = "[✓}\n:`\tmodel:trueExecute{Execute`\n]  ```\n:'   ###  ### :Bash(git *)\"\\ name:, tools:- `\n";
        let (_, probs) = p(y);
        for pr in &probs {
            assert!(y.is_char_boundary(pr.span.start) && y.is_char_boundary(pr.span.end), "{pr:?}");
        }
        let (n, probs) = p("tools: [\n  Réad,\n  Grép✓\n]\n");
        assert!(probs.is_empty(), "{probs:?}");
        assert!(n.is_some());
    }

    #[test]
    fn the_loader_cases_are_told_apart_and_read_on() {
        // a: a flow list closed in column 0 is valid YAML 1.2.
        let y = "tools: [\n  Read,\n  Grep\n]\nmodel: x\n";
        let (n, probs) = p(y);
        assert!(probs.is_empty(), "{probs:?}");
        let e = entries(n.as_ref().unwrap());
        let Value::Seq(s) = &e[0].value.value else { panic!("{e:?}") };
        assert_eq!(s.items.len(), 2);
        assert_eq!(e[1].key.as_str(), Some("model"));
        // c, c2: tabs.
        assert_eq!(kinds("tools:\n\t- Read\n\t- Grep\nmodel: x\n"), [ProblemKind::TabIndent { nested_map: false }; 2]);
        assert_eq!(kinds("hooks:\n\tstart: x\n"), [ProblemKind::TabIndent { nested_map: true }]);
        let (n, _) = p("tools:\n\t- Read\n\t- Grep\nmodel: x\n");
        let e = entries(n.as_ref().unwrap());
        assert!(matches!(&e[0].value.value, Value::Seq(s) if s.items.len() == 2), "{e:?}");
        // f: reserved indicators.
        let y = "description: @team reviews\nmodel: `x`\nname: a\n";
        let (n, probs) = p(y);
        assert_eq!(probs.iter().map(|p| p.kind).collect::<Vec<_>>(), [ProblemKind::ReservedIndicator; 2]);
        assert_eq!(&y[probs[0].span.clone()], "@team reviews");
        let e = entries(n.as_ref().unwrap());
        assert_eq!(e[0].value.as_str(), Some("@team reviews"));
        assert_eq!(e[2].value.as_str(), Some("a"));
        // j: an unclosed quote.
        let y = "name: a\ndescription: \"Reviews code\ntools: Read\n";
        let (n, probs) = p(y);
        assert_eq!(probs.iter().map(|p| p.kind).collect::<Vec<_>>(), [ProblemKind::UnclosedQuote], "{probs:?}");
        assert_eq!(&y[probs[0].span.clone()], "\"");
        let e = entries(n.as_ref().unwrap());
        assert_eq!(e[1].value.as_str(), Some("\"Reviews code"));
        assert_eq!(e[2].key.as_str(), Some("tools"));
        // Quotes and colons that are fine stay fine.
        assert!(kinds("a: \"x: y\"\nb: 'it''s'\nc: |\n  d: e\n  \tf\n").is_empty());
    }

    #[test]
    fn recovery_after_a_line_of_multi_byte_characters() {
        // Found by fuzzing: blanking the first broken line turned its multi-byte characters into
        // single spaces, so the second error's character index mapped to the wrong byte (inside
        // the BOM) and slicing there panicked.
        let y = "a: b: é漢😀\nc: d: \u{feff}x\ne: ok\n";
        let (n, probs) = p(y);
        assert_eq!(probs.iter().filter(|p| p.kind == ProblemKind::ColonInValue).count(), 2, "{probs:?}");
        for pr in &probs {
            assert!(y.is_char_boundary(pr.span.start) && y.is_char_boundary(pr.span.end), "{pr:?}");
        }
        assert!(probs[1].span.start > y.find('\n').unwrap(), "the second error is on line 2: {probs:?}");
        let e = entries(n.as_ref().unwrap());
        assert_eq!(&y[e.last().unwrap().key.span.clone()], "e");
    }

    #[test]
    fn too_deep_span_covers_a_whole_character() {
        let y: String = (0..MAX_DEPTH + 2).map(|i| format!("{}é{i}:\n", " ".repeat(i))).collect();
        let (_, probs) = p(&y);
        let deep = probs.iter().find(|p| p.kind == ProblemKind::TooDeep).expect("too deep");
        assert!(&y[deep.span.clone()] == "é", "{deep:?}");
    }

    #[test]
    fn unclosed_flow_list() {
        let y = "a: 1\nb: [unclosed\nc: 2\n";
        let (n, probs) = p(y);
        assert!(!probs.is_empty());
        assert!(probs.iter().all(|p| p.kind == ProblemKind::YamlSyntax));
        assert!(n.is_some());
    }

    #[test]
    fn deep_nesting_is_cut() {
        let y = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        // saphyr refuses this depth itself: a clear error, no stack overflow.
        let (_, probs) = p(&y);
        assert!(probs.iter().any(|p| p.message.contains("recursion limit")), "{probs:?}");
        // Below saphyr's limit, the tree builder cuts at MAX_DEPTH.
        let y = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        let (n, probs) = p(&y);
        assert!(n.is_some());
        assert!(probs.iter().any(|p| p.kind == ProblemKind::TooDeep), "{probs:?}");
    }

    #[test]
    fn aliases_are_leaves() {
        let y = "a: &x [1, 2]\nb: *x\n";
        let (n, _) = p(y);
        let e = entries(n.as_ref().unwrap());
        assert_eq!(e[1].value.value, Value::Alias);
    }

    #[test]
    fn scalar_kinds() {
        let s = |t: &str| Scalar { text: t.into(), style: ScalarStyle::Plain }.kind();
        assert_eq!(s("false"), ScalarKind::Bool(false));
        assert_eq!(s("12"), ScalarKind::Int(12));
        assert_eq!(s("0.5"), ScalarKind::Float(0.5));
        assert_eq!(s(""), ScalarKind::Null);
        assert_eq!(s("Read"), ScalarKind::Str);
        assert_eq!(s("1.2.3"), ScalarKind::Str);
    }
}
