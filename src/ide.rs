//! Editor features computed from an [`Analysis`]: completion, hover, outline, folding, code actions
//! and semantic tokens. LSP-free: byte spans in, engine types out; `lsp` converts them.

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
pub fn completions(_a: &Analysis, _offset: usize) -> Vec<Completion> {
    Vec::new()
}

/// Hover content at byte `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The range hovered (a key, a tool, a heading...).
    pub span: Span,
    pub markdown: String,
}

pub fn hover(_a: &Analysis, _offset: usize) -> Option<Hover> {
    None
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

pub fn symbols(_a: &Analysis) -> Vec<Symbol> {
    Vec::new()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    Frontmatter,
    Section,
    Code,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub span: Span,
    pub kind: FoldKind,
}

pub fn folds(_a: &Analysis) -> Vec<Fold> {
    Vec::new()
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

/// Code actions for the byte range `range`, given the file's current diagnostics.
pub fn code_actions(_a: &Analysis, _diags: &[Diagnostic], _range: Span) -> Vec<Action> {
    Vec::new()
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

pub fn semantic_tokens(_a: &Analysis) -> Vec<Token> {
    Vec::new()
}
