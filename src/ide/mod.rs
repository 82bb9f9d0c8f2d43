//! Editor features computed from an [`Analysis`]: completion, hover, outline, folding, code actions
//! and semantic tokens. LSP-free: byte spans in, engine types out; `lsp` converts them.

mod actions;
mod completion;
mod context;
pub mod effective;
mod folding;
mod hover;
pub mod navigate;
mod port;
mod symbols;
mod tokens;

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Span, TextEdit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Key,
    Tool,
    McpTool,
    Model,
    Value,
    Section,
}

/// One completion candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A short line shown beside the label (e.g. the dialect or category).
    pub detail: Option<String>,
    /// Markdown documentation.
    pub doc: Option<String>,
    /// The text that replaces `replace`; LSP snippet syntax when `is_snippet`.
    pub insert_text: String,
    pub is_snippet: bool,
    /// The byte range the insertion replaces (the word being typed).
    pub replace: Span,
    pub deprecated: bool,
    pub sort_text: Option<String>,
}

/// Completions at byte `offset`.
pub fn completions(a: &Analysis, offset: usize) -> Vec<Completion> {
    completion::completions(a, offset)
}

/// Hover content at byte `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The range hovered (a key, a tool, a heading...).
    pub span: Span,
    pub markdown: String,
}

pub fn hover(a: &Analysis, offset: usize) -> Option<Hover> {
    hover::hover(a, offset, &[])
}

/// [`hover`], followed by the explanation of each diagnostic whose range holds `offset` (its
/// message and the rule's documentation from `data/rules.yaml`). Without other hover content, the
/// span is the innermost such diagnostic's.
pub fn hover_with_diagnostics(a: &Analysis, diags: &[Diagnostic], offset: usize) -> Option<Hover> {
    hover::with_diagnostics(a, diags, offset, &[])
}

/// [`hover_with_diagnostics`] with the MCP servers the workspace configures for the file, which
/// the effective tool set on a tools key lists.
pub fn hover_in_workspace(
    a: &Analysis,
    diags: &[Diagnostic],
    offset: usize,
    servers: &[McpServerInfo],
) -> Option<Hover> {
    hover::with_diagnostics(a, diags, offset, servers)
}

pub use effective::{mcp_servers, Effective, McpServerInfo};

/// The effective tool set of an agent file (see [`effective`]); `None` for other files.
pub fn effective_tools(a: &Analysis, servers: &[McpServerInfo]) -> Option<Effective> {
    effective::effective(a, servers)
}

/// An inlay hint: a short label shown at `offset`, with a Markdown tooltip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub tooltip: String,
}

/// The effective tool count after the `tools` value (after the deny list's value, the `name` line
/// or the opening `---` when there is no `tools`), for agent files.
pub fn inlay_hints(a: &Analysis, servers: &[McpServerInfo]) -> Vec<InlayHint> {
    let Some(e) = effective::effective(a, servers) else { return Vec::new() };
    let Some(fm) = a.parsed.frontmatter.as_ref() else { return Vec::new() };
    let cat = a.catalog.as_deref();
    let tool_key = |grants: bool| {
        cat.into_iter()
            .flat_map(|c| c.tool_keys.iter())
            .filter(|k| crate::semantics::tools::key_grants(k) == grants)
            .find_map(|k| fm.get(k))
    };
    let value_end = |e: &crate::syntax::Entry| {
        let end = if e.value.span.end > e.value.span.start { e.value.span.end } else { e.key.span.end };
        let end = crate::text::floor_char_boundary(a.text, end.min(a.text.len()));
        a.text[..end].trim_end().len().max(e.key.span.end)
    };
    let offset = match tool_key(true).or_else(|| tool_key(false)) {
        Some(entry) => value_end(entry),
        None => match fm.get("name") {
            Some(entry) => line_end(a.text, entry.key.span.start),
            None => fm.open.end,
        },
    };
    vec![InlayHint { offset, label: effective::hint_label(&e), tooltip: effective::tooltip(&e) }]
}

/// A code lens: a title shown above `span`'s line; it runs nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lens {
    pub span: Span,
    pub title: String,
}

/// `12 tools · 2 MCP servers · model sonnet` on the frontmatter's opening line, for agent files.
pub fn code_lenses(a: &Analysis, servers: &[McpServerInfo]) -> Vec<Lens> {
    let Some(e) = effective::effective(a, servers) else { return Vec::new() };
    let Some(fm) = a.parsed.frontmatter.as_ref() else { return Vec::new() };
    vec![Lens { span: fm.open.clone(), title: effective::lens_title(&e) }]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Frontmatter,
    Key,
    Heading,
}

/// An outline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole extent (a key with its value; a section).
    pub span: Span,
    /// The name's range (the key; the heading title).
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// The outline: a `Frontmatter` symbol with one child per key, then the heading tree.
pub fn symbols(a: &Analysis) -> Vec<Symbol> {
    symbols::symbols(a)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// The frontmatter block, and multi-line values inside it (block lists, long flow lists).
    Frontmatter,
    Section,
    Code,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub span: Span,
    pub kind: FoldKind,
}

/// A document link: a span of the file that names another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLink {
    pub span: Span,
    pub target: std::path::PathBuf,
    /// "import", "link", "file reference" or "path".
    pub what: &'static str,
}

/// Document links: a skill's, command's, instructions or memory file's links, `@path` imports and
/// references, and a skill's `scripts/...` paths, each to the file it names.
pub fn document_links(a: &Analysis) -> Vec<DocLink> {
    crate::semantics::links::references(a)
        .into_iter()
        .map(|r| DocLink { span: r.span, target: r.target, what: r.kind.noun() })
        .collect()
}

/// Folding ranges: the frontmatter, its multi-line values, each section and each fenced code block.
pub fn folds(a: &Analysis) -> Vec<Fold> {
    folding::folds(a)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// Fixes one diagnostic.
    QuickFix,
    /// Inserts a missing body section (a refactor; also offered without a diagnostic).
    InsertSection,
    /// `source.fixAll.agentls`.
    FixAll,
}

/// A code action as edits to the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<TextEdit>,
    /// The diagnostic it fixes, if any (index into the `diags` passed in).
    pub fixes: Option<usize>,
    pub preferred: bool,
}

pub use port::{port_actions, PortAction};

/// Checks another text of the same file (same path and settings): what [`fix_all`] re-runs
/// between rounds. The server passes `engine::check`; `ide` never calls the rules itself.
pub type Recheck<'a> = dyn Fn(&str) -> Vec<Diagnostic> + 'a;

/// Code actions for the byte range `range`, given the file's current diagnostics.
pub fn code_actions(a: &Analysis, diags: &[Diagnostic], range: Span) -> Vec<Action> {
    actions::code_actions(a, diags, range)
}

/// The fix-all action (`source.fixAll`): every safe fix, re-checked and repeated until none is
/// left, as one edit; `None` when nothing is safely fixable. Its result depends on the text, not
/// on a range, so callers ask for it apart from `code_actions` and only when it is wanted.
pub fn fix_all(a: &Analysis, diags: &[Diagnostic], recheck: &Recheck<'_>) -> Option<Action> {
    actions::fix_all(a.text, diags, recheck)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Key,
    Tool,
    Model,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    pub deprecated: bool,
}

/// Keys, tool names and models of the frontmatter, sorted by position.
pub fn semantic_tokens(a: &Analysis) -> Vec<Token> {
    tokens::semantic_tokens(a)
}

/// Moves `offset` into the text and back onto a character boundary.
pub(crate) fn clamp_offset(text: &str, offset: usize) -> usize {
    crate::text::floor_char_boundary(text, offset)
}

/// The start of the line holding `offset` (lines end at `\n`, `\r\n` or a lone `\r`).
pub(crate) fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |p| p + 1)
}

/// The end of the line holding `offset`, before its line break.
pub(crate) fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find(['\n', '\r']).map_or(text.len(), |p| offset + p)
}
