//! Parsing of agent files: the YAML frontmatter (with exact byte spans for every key, value and
//! list item) and the Markdown body (a tree of sections). Parsing never fails: any text gives a
//! [`ParsedFile`] plus a list of [`Problem`]s.

mod frontmatter;
mod markdown;
pub mod titles;
mod yaml;

use crate::diagnostic::Span;

pub use frontmatter::frontmatter_text;
pub use yaml::{Entry, Map, Node, Scalar, ScalarKind, ScalarStyle, Seq, Value};

/// What went wrong while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The YAML of the frontmatter does not parse (for a reason other than the cases below).
    YamlSyntax,
    /// A plain value holds `: ` (`description: Use when: X`). Strict YAML refuses it; the
    /// fallback parsers of Claude Code, Factory and OpenCode read the whole rest of the line, and
    /// so does the tree kept here. The span is the value.
    ColonInValue,
    /// A line indented with a tab, which YAML forbids; `nested_map` when the line is a `key:`
    /// line (loaders that accept tabs may nest it differently). The span is the tab(s).
    TabIndent { nested_map: bool },
    /// A plain value starting with `@` or a backtick, characters YAML reserves. The span is the value.
    ReservedIndicator,
    /// A quoted value whose quote never closes. The span is the opening quote; the tree keeps
    /// the rest of the line, quote included, as the value.
    UnclosedQuote,
    /// The frontmatter is closed by `...` rather than `---`. The span is the `...`.
    DotsClose,
    /// `---` inside the frontmatter but not alone on its line: Claude Code's loader ends the
    /// frontmatter there. The span is the `---`.
    FenceInValue,
    /// A mapping repeats a key; the span is the repeated key.
    DuplicateKey,
    /// The opening `---` has no closing `---`.
    UnclosedFrontmatter,
    /// A `---` frontmatter block exists, but not on line 1.
    FrontmatterNotFirst,
    /// The frontmatter is YAML but not a mapping.
    NotAMapping,
    /// The YAML nests deeper than the parser accepts.
    TooDeep,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    pub message: String,
}

/// The `---` block at the top of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontmatter {
    /// From the opening `---` to the end of the closing `---` line (or of the text if unclosed).
    pub span: Span,
    /// The opening `---` (without its line break).
    pub open: Span,
    /// The closing `---`, if there is one.
    pub close: Option<Span>,
    /// The YAML text between the fences.
    pub content: Span,
    /// The parsed YAML; `None` when empty or when nothing could be recovered.
    pub root: Option<Node>,
}

impl Frontmatter {
    /// The top-level entries, when the root is a mapping.
    pub fn entries(&self) -> &[Entry] {
        match self.root.as_ref().map(|n| &n.value) {
            Some(Value::Map(m)) => &m.entries,
            _ => &[],
        }
    }

    /// The first top-level entry with this key.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key.as_str() == Some(key))
    }
}

/// A Markdown heading and the section it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The title text, without `#` marks and trailing `#`s.
    pub title: String,
    /// The title text in the source.
    pub title_span: Span,
    /// The whole heading line(s).
    pub span: Span,
    /// From the heading to the next heading of the same or a higher level (or the end).
    pub section: Span,
    /// The enclosing heading, by index into [`Body::headings`].
    pub parent: Option<usize>,
}

/// The Markdown after the frontmatter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    pub span: Span,
    pub headings: Vec<Heading>,
    /// Prose text runs (outside code blocks and inline code), for scanning mentions of tools.
    pub prose: Vec<Span>,
    /// Inline code spans (without backticks).
    pub inline_code: Vec<Span>,
    /// Fenced code blocks, fences included.
    pub fences: Vec<Span>,
    /// Links and images with their destinations, in order.
    pub links: Vec<Link>,
}

/// A Markdown link or image in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written (`scripts/run.sh#usage`).
    pub dest: String,
    /// The destination's span where the source spells it out, else the whole link.
    pub dest_span: Span,
}

impl Body {
    /// True when the body holds nothing but white space.
    pub fn is_empty(&self, text: &str) -> bool {
        text[self.span.clone()].trim().is_empty()
    }

    /// The text of a section without its heading line.
    pub fn section_content(&self, h: &Heading) -> Span {
        h.span.end.min(h.section.end)..h.section.end
    }
}

/// A parsed agent file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    /// Byte length of a leading UTF-8 byte-order mark (0 or 3).
    pub bom: usize,
    pub frontmatter: Option<Frontmatter>,
    pub body: Body,
    pub problems: Vec<Problem>,
}

/// Parses any text. Never panics, never fails.
pub fn parse(text: &str) -> ParsedFile {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut problems = Vec::new();
    let frontmatter = frontmatter::parse(text, bom, &mut problems);
    let body_start = frontmatter.as_ref().map_or(bom, |f| f.span.end);
    let body = markdown::parse(text, body_start);
    ParsedFile { bom, frontmatter, body, problems }
}
