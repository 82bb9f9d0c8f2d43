//! Reading a tools value in every shape real files use: a flow list (`["Read", "Grep"]`), a block
//! list (`- Read` lines), a comma string (`Read, Grep`), a single category name, or OpenCode's
//! map of tool to boolean. Each item keeps the exact span of its name, for diagnostics and edits.

use crate::diagnostic::{Span, TextEdit};
use crate::syntax::{Entry, Node, ScalarKind, ScalarStyle, Value};

/// The shape of a tools value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    FlowList,
    BlockList,
    /// A string of comma-separated names (one name is a comma string of one item).
    CommaString,
    /// `{ bash: true }` or a block mapping.
    Map,
    /// `tools:` with nothing after it, or `null`.
    Empty,
    /// `true`/`false`, a number, an alias: something no loader reads as tool names.
    Other,
}

/// One tool named in a tools value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The tool name, without any `(arguments)` (Claude's `Bash(git *)`, `Agent(worker)`).
    pub name: String,
    /// The name's exact span (inside quotes).
    pub span: Span,
    /// The whole item: quotes and arguments included.
    pub item_span: Span,
    /// The value in a map shape (`bash: false` → Some(false)).
    pub enabled: Option<bool>,
}

/// A tools value, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolList {
    pub shape: Shape,
    pub items: Vec<Item>,
    /// The whole value.
    pub span: Span,
}

impl ToolList {
    pub fn contains(&self, name: &str) -> bool {
        self.items.iter().any(|i| i.name == name)
    }

    /// The edit that removes item `i` together with its separator, leaving valid YAML.
    pub fn removal(&self, text: &str, i: usize) -> TextEdit {
        let it = &self.items[i];
        let span = match self.shape {
            Shape::BlockList => {
                // The whole line, `- ` marker and line break included.
                let start = text[..it.item_span.start].rfind('\n').map_or(0, |p| p + 1);
                let end = text[it.item_span.end..].find('\n').map_or(text.len(), |p| it.item_span.end + p + 1);
                start..end
            }
            _ if self.items.len() == 1 => it.item_span.clone(),
            _ if i > 0 => self.items[i - 1].item_span.end..it.item_span.end,
            _ => it.item_span.start..self.items[1].item_span.start,
        };
        TextEdit { span, new_text: String::new() }
    }

    /// Where to insert one more item, and the text (with separator) for `name`.
    pub fn insertion(&self, text: &str, name: &str) -> Option<TextEdit> {
        let last = self.items.last()?;
        let quote = text[last.item_span.clone()].chars().next().filter(|c| *c == '"' || *c == '\'');
        let q = quote.map(String::from).unwrap_or_default();
        match self.shape {
            Shape::FlowList | Shape::CommaString => {
                Some(TextEdit { span: last.item_span.end..last.item_span.end, new_text: format!(", {q}{name}{q}") })
            }
            Shape::BlockList => {
                let line_start = text[..last.item_span.start].rfind('\n').map_or(0, |p| p + 1);
                let indent = &text[line_start..last.item_span.start];
                Some(TextEdit {
                    span: last.item_span.end..last.item_span.end,
                    new_text: format!("\n{indent}{q}{name}{q}"),
                })
            }
            _ => None,
        }
    }
}

/// Reads an entry's value as a tool list.
pub fn read(entry: &Entry, text: &str) -> ToolList {
    read_node(&entry.value, text)
}

/// Reads an entry's value as the catalog's kind of file reads it: where the kind takes
/// space-separated names (a skill's `allowed-tools: Read Grep`), spaces separate items too.
pub fn read_in(cat: &crate::catalog::Catalog, entry: &Entry, text: &str) -> ToolList {
    read_node_split(&entry.value, text, cat.tools_forms.contains(&crate::catalog::ToolsForm::SpaceString))
}

pub fn read_node(node: &Node, text: &str) -> ToolList {
    read_node_split(node, text, false)
}

/// [`read_node`], with spaces outside parentheses separating names when `spaces`.
pub fn read_node_split(node: &Node, text: &str, spaces: bool) -> ToolList {
    let span = node.span.clone();
    match &node.value {
        Value::Seq(seq) => {
            let items = seq.items.iter().flat_map(|n| scalar_items(n, text, false, false)).collect();
            ToolList { shape: if seq.flow { Shape::FlowList } else { Shape::BlockList }, items, span }
        }
        Value::Map(map) => {
            let items = map
                .entries
                .iter()
                .filter_map(|e| {
                    let name = e.key.as_str()?;
                    let enabled = match e.value.as_scalar().map(|s| s.kind()) {
                        Some(ScalarKind::Bool(b)) => Some(b),
                        _ => None,
                    };
                    let (span, _) = name_span(&e.key, text);
                    Some(Item { name: name.to_string(), span, item_span: e.span(), enabled })
                })
                .collect();
            ToolList { shape: Shape::Map, items, span }
        }
        Value::Scalar(s) => match s.kind() {
            ScalarKind::Null => ToolList { shape: Shape::Empty, items: Vec::new(), span },
            ScalarKind::Str => {
                ToolList { shape: Shape::CommaString, items: scalar_items(node, text, true, spaces), span }
            }
            _ => ToolList { shape: Shape::Other, items: Vec::new(), span },
        },
        Value::Alias | Value::Invalid => ToolList { shape: Shape::Other, items: Vec::new(), span },
    }
}

/// The span of a scalar's content: inside the quotes when the source between them is the value
/// itself (no escapes), else the whole node. The bool says whether the span maps 1:1 to the text.
pub fn name_span(node: &Node, text: &str) -> (Span, bool) {
    let Some(s) = node.as_scalar() else { return (node.span.clone(), false) };
    let src = text.get(node.span.clone()).unwrap_or("");
    match s.style {
        ScalarStyle::Plain if src == s.text => (node.span.clone(), true),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
            if src.len() >= 2 && src.get(1..src.len() - 1) == Some(s.text.as_str()) =>
        {
            (node.span.start + 1..node.span.end - 1, true)
        }
        _ => (node.span.clone(), false),
    }
}

/// Items of one scalar: split at top-level commas when `split` (comma strings), else one item.
fn scalar_items(node: &Node, text: &str, split: bool, spaces: bool) -> Vec<Item> {
    let Some(s) = node.as_scalar() else { return Vec::new() };
    let (inner, exact) = name_span(node, text);
    let mut out = Vec::new();
    let pieces: Vec<(usize, &str)> = if split { split_top_level(&s.text, spaces) } else { vec![(0, s.text.as_str())] };
    for (off, piece) in pieces {
        let lead = piece.len() - piece.trim_start().len();
        let p = piece.trim();
        if p.is_empty() {
            continue;
        }
        let name = p.split('(').next().unwrap_or(p).trim_end();
        let (span, item_span) = if exact {
            let start = inner.start + off + lead;
            (start..start + name.len(), if split { start..start + p.len() } else { node.span.clone() })
        } else {
            (inner.clone(), node.span.clone())
        };
        out.push(Item { name: name.to_string(), span, item_span, enabled: None });
    }
    out
}

/// Splits at commas outside parentheses: `Bash(git add, commit), Read` has two items; with
/// `spaces`, white space outside parentheses separates too (`Read Bash(git diff:*)`).
fn split_top_level(s: &str, spaces: bool) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if depth <= 0 && (c == ',' || (spaces && c.is_whitespace())) => {
                out.push((start, &s[start..i]));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push((start, &s[start..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::apply_edits;
    use crate::syntax::parse;

    fn tools(t: &str) -> ToolList {
        let f = parse(t);
        read(f.frontmatter.as_ref().unwrap().get("tools").unwrap(), t)
    }

    fn names<'a>(t: &'a str, l: &ToolList) -> Vec<&'a str> {
        l.items.iter().map(|i| &t[i.span.clone()]).collect()
    }

    #[test]
    fn three_shapes() {
        let t = "---\ntools: [\"Read\", 'Grep', Glob]\n---\n";
        let l = tools(t);
        assert_eq!(l.shape, Shape::FlowList);
        assert_eq!(names(t, &l), ["Read", "Grep", "Glob"]);
        let t = "---\ntools:\n  - Read\n  - \"Grep\"\n---\n";
        let l = tools(t);
        assert_eq!(l.shape, Shape::BlockList);
        assert_eq!(names(t, &l), ["Read", "Grep"]);
        let t = "---\ntools: Read, Grep ,Bash(git add *, git commit)\n---\n";
        let l = tools(t);
        assert_eq!(l.shape, Shape::CommaString);
        assert_eq!(names(t, &l), ["Read", "Grep", "Bash"]);
        assert_eq!(&t[l.items[2].item_span.clone()], "Bash(git add *, git commit)");
        let t = "---\ntools: \"Read, Grep\"\n---\n";
        assert_eq!(names(t, &tools(t)), ["Read", "Grep"]);
    }

    #[test]
    fn space_separated_names_keep_their_patterns() {
        let t = "---\nallowed-tools: Read Grep  Bash(git diff:*) Bash(git add *),Write\n---\n";
        let f = parse(t);
        let l = read_node_split(&f.frontmatter.as_ref().unwrap().get("allowed-tools").unwrap().value, t, true);
        assert_eq!(names(t, &l), ["Read", "Grep", "Bash", "Bash", "Write"]);
        assert_eq!(&t[l.items[3].item_span.clone()], "Bash(git add *)");
    }

    #[test]
    fn odd_values() {
        assert_eq!(tools("---\ntools: false\n---\n").shape, Shape::Other);
        assert_eq!(tools("---\ntools:\n---\n").shape, Shape::Empty);
        let t = "---\ntools:\n  bash: false\n  edit: true\n---\n";
        let l = tools(t);
        assert_eq!(l.shape, Shape::Map);
        assert_eq!(l.items[0].enabled, Some(false));
        assert_eq!(names(t, &l), ["bash", "edit"]);
    }

    #[test]
    fn removal_and_insertion_keep_yaml_valid() {
        let t = "---\ntools: [\"Read\", \"Grep\", \"Glob\"]\n---\n";
        let l = tools(t);
        assert_eq!(apply_edits(t, &[l.removal(t, 1)]), "---\ntools: [\"Read\", \"Glob\"]\n---\n");
        assert_eq!(apply_edits(t, &[l.removal(t, 0)]), "---\ntools: [\"Grep\", \"Glob\"]\n---\n");
        assert_eq!(
            apply_edits(t, &[l.insertion(t, "Edit").unwrap()]),
            "---\ntools: [\"Read\", \"Grep\", \"Glob\", \"Edit\"]\n---\n"
        );
        let t = "---\ntools:\n  - Read\n  - Grep\n---\n";
        let l = tools(t);
        assert_eq!(apply_edits(t, &[l.removal(t, 0)]), "---\ntools:\n  - Grep\n---\n");
        assert_eq!(
            apply_edits(t, &[l.insertion(t, "Edit").unwrap()]),
            "---\ntools:\n  - Read\n  - Grep\n  - Edit\n---\n"
        );
        let t = "---\ntools: Read, Grep\n---\n";
        let l = tools(t);
        assert_eq!(apply_edits(t, &[l.removal(t, 1)]), "---\ntools: Read\n---\n");
    }
}
