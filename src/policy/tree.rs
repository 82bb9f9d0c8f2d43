//! A small YAML tree of the policy file with byte spans, used to locate the culprit of a policy
//! error and to refuse alias bombs before serde expands them.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScanError};

/// How many nodes the document may expand to once aliases are replaced by their anchors. A real
/// policy has a few thousand at most; an alias bomb ("billion laughs") has billions.
pub(crate) const MAX_EXPANDED_NODES: u64 = 200_000;

/// How deeply collections may nest. A policy needs five levels; serde_yaml stops at 128.
pub(crate) const MAX_DEPTH: usize = 64;

#[derive(Debug)]
pub(crate) enum Kind {
    Scalar(String),
    Seq(Vec<usize>),
    Map(Vec<(usize, usize)>),
    /// An alias; the index of the node its anchor names, if the anchor is known.
    Alias(Option<usize>),
}

#[derive(Debug)]
pub(crate) struct TreeNode {
    pub span: Range<usize>,
    pub kind: Kind,
}

/// The first document of a policy file, nodes in an arena (index 0 is the root when present).
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub nodes: Vec<TreeNode>,
    pub root: Option<usize>,
}

/// Why the tree could not be built.
#[derive(Debug)]
pub(crate) struct TreeError {
    pub message: String,
    pub span: Range<usize>,
}

/// One step of a path into the tree.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Converts saphyr's character indices to byte offsets.
struct CharToByte<'a> {
    text: &'a str,
    /// Byte offset of every character, only built when the text is not ASCII.
    table: Option<Vec<usize>>,
}

impl<'a> CharToByte<'a> {
    fn new(text: &'a str) -> Self {
        let table = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        CharToByte { text, table }
    }

    fn byte(&self, ch: usize) -> usize {
        match &self.table {
            None => ch.min(self.text.len()),
            Some(t) => t.get(ch).copied().unwrap_or(self.text.len()),
        }
    }
}

/// An open collection while building: its node index, anchor, and the expanded count at its start.
struct Open {
    node: usize,
    anchor: usize,
    expanded_at_start: u64,
    /// A key waiting for its value (maps only).
    pending_key: Option<usize>,
}

impl Tree {
    /// Builds the tree of the first document, refusing alias bombs and absurd nesting.
    pub fn build(text: &str) -> Result<Tree, TreeError> {
        let conv = CharToByte::new(text);
        let mut tree = Tree::default();
        let mut stack: Vec<Open> = Vec::new();
        // The expanded size (in nodes) of every anchor seen so far, and the node it names.
        let mut anchors: HashMap<usize, (u64, usize)> = HashMap::new();
        let mut expanded: u64 = 0;
        let mut in_document = false;
        let mut parser = Parser::new_from_str(text);
        while let Some(item) = parser.next_event() {
            let (event, span) = item.map_err(|e: ScanError| {
                let at = conv.byte(e.marker().index());
                TreeError { message: e.info().to_string(), span: at..at }
            })?;
            let range = conv.byte(span.start.index())..conv.byte(span.end.index());
            match event {
                Event::DocumentStart(_) => {
                    // Later documents are an error serde reports; the first one is enough here.
                    if tree.root.is_some() {
                        break;
                    }
                    in_document = true;
                }
                Event::DocumentEnd => {
                    in_document = false;
                    if tree.root.is_some() {
                        break;
                    }
                }
                Event::Scalar(value, _, anchor, _) if in_document => {
                    expanded += 1;
                    let id = tree.push(range.clone(), Kind::Scalar(value.into_owned()));
                    if anchor > 0 {
                        anchors.insert(anchor, (1, id));
                    }
                    tree.attach(&mut stack, id);
                }
                Event::Alias(anchor) if in_document => {
                    let (size, target) = match anchors.get(&anchor) {
                        Some(&(size, target)) => (size, Some(target)),
                        None => (1, None),
                    };
                    expanded = expanded.saturating_add(size);
                    if expanded > MAX_EXPANDED_NODES {
                        return Err(TreeError {
                            message: format!(
                                "aliases expand the policy to more than {MAX_EXPANDED_NODES} YAML nodes; \
                                 refusing it (an alias bomb?)"
                            ),
                            span: range,
                        });
                    }
                    let id = tree.push(range.clone(), Kind::Alias(target));
                    tree.attach(&mut stack, id);
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) if in_document => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(TreeError {
                            message: format!("the policy nests deeper than {MAX_DEPTH} levels"),
                            span: range,
                        });
                    }
                    expanded += 1;
                    let kind = if matches!(event, Event::SequenceStart(..)) {
                        Kind::Seq(Vec::new())
                    } else {
                        Kind::Map(Vec::new())
                    };
                    let id = tree.push(range.clone(), kind);
                    stack.push(Open { node: id, anchor, expanded_at_start: expanded - 1, pending_key: None });
                }
                Event::SequenceEnd | Event::MappingEnd if in_document => {
                    let Some(open) = stack.pop() else { continue };
                    let node = &mut tree.nodes[open.node];
                    // A block collection ends where the next one starts; its span stops at its
                    // last character instead.
                    let end = node.span.end.max(range.end);
                    node.span.end = node.span.start.max(end - (text[..end].len() - text[..end].trim_end().len()));
                    if open.anchor > 0 {
                        anchors.insert(open.anchor, (expanded - open.expanded_at_start, open.node));
                    }
                    tree.attach(&mut stack, open.node);
                }
                _ => {}
            }
            if expanded > MAX_EXPANDED_NODES {
                return Err(TreeError {
                    message: format!("the policy has more than {MAX_EXPANDED_NODES} YAML nodes"),
                    span: range,
                });
            }
        }
        Ok(tree)
    }

    fn push(&mut self, span: Range<usize>, kind: Kind) -> usize {
        self.nodes.push(TreeNode { span, kind });
        self.nodes.len() - 1
    }

    /// Hangs a finished node on the innermost open collection, or makes it the root.
    fn attach(&mut self, stack: &mut [Open], id: usize) {
        let Some(open) = stack.last_mut() else {
            self.root.get_or_insert(id);
            return;
        };
        match &mut self.nodes[open.node].kind {
            Kind::Seq(items) => items.push(id),
            Kind::Map(entries) => match open.pending_key.take() {
                Some(k) => entries.push((k, id)),
                None => open.pending_key = Some(id),
            },
            _ => {}
        }
    }

    /// Follows aliases to the node they stand for.
    fn resolve(&self, mut id: usize) -> usize {
        // Aliases only point backwards, so this ends; the bound guards against surprises.
        for _ in 0..MAX_DEPTH {
            match self.nodes[id].kind {
                Kind::Alias(Some(t)) => id = t,
                _ => break,
            }
        }
        id
    }

    pub fn scalar(&self, id: usize) -> Option<&str> {
        match &self.nodes[self.resolve(id)].kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entry `key` of map `id`: (key node, value node).
    pub fn entry(&self, id: usize, key: &str) -> Option<(usize, usize)> {
        match &self.nodes[self.resolve(id)].kind {
            Kind::Map(entries) => entries.iter().copied().find(|&(k, _)| self.scalar(k) == Some(key)),
            _ => None,
        }
    }

    pub fn item(&self, id: usize, index: usize) -> Option<usize> {
        match &self.nodes[self.resolve(id)].kind {
            Kind::Seq(items) => items.get(index).copied(),
            _ => None,
        }
    }

    /// The node at `path` from the root.
    pub fn get(&self, path: &[Seg]) -> Option<usize> {
        let mut id = self.root?;
        for seg in path {
            id = match *seg {
                Seg::Key(k) => self.entry(id, k)?.1,
                Seg::Index(i) => self.item(id, i)?,
            };
        }
        Some(id)
    }

    /// The span of the key `key` in the map at `path`.
    pub fn key_span(&self, path: &[Seg], key: &str) -> Option<Range<usize>> {
        let map = self.get(path)?;
        self.entry(map, key).map(|(k, _)| self.nodes[k].span.clone())
    }

    /// The span of the node at `path`.
    pub fn span(&self, path: &[Seg]) -> Option<Range<usize>> {
        self.get(path).map(|id| self.nodes[id].span.clone())
    }

    /// The smallest node starting at byte `at`, used to widen serde's error points to a token.
    pub fn node_starting_at(&self, at: usize) -> Option<Range<usize>> {
        self.nodes
            .iter()
            .filter(|n| n.span.start == at && n.span.end > at)
            .map(|n| n.span.clone())
            .min_by_key(|s| s.len())
    }
}
