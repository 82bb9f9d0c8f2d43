//! Every conversion between the engine's byte spans and types and the LSP wire types lives here.
//!
//! Positions go through [`LineIndex`] with the negotiated [`Encoding`], so a column is counted in
//! UTF-16 code units or UTF-8 bytes exactly as agreed in `initialize`. Incoming positions clamp:
//! a column past the end of its line lands at the line end, a line past the end of the text lands
//! at the end of the text, and a column inside a character moves to that character's start.
//! Function names state their direction (`to_range`, `to_span`).

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types as lsp;

use crate::diagnostic::{self, Severity, Span};
use crate::ide;
use crate::policy::PolicyError;
use crate::text::{Encoding, LineCol, LineIndex};

/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "agentls";

/// The code action kind of "apply every safe fix".
pub const FIX_ALL_KIND: &str = "source.fixAll.agentls";

/// A text with its line index and the negotiated encoding: everything a conversion needs.
#[derive(Clone, Copy)]
pub struct Lines<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub enc: Encoding,
}

impl Lines<'_> {
    /// Byte offset → LSP position.
    pub fn to_position(self, offset: usize) -> lsp::Position {
        let lc = self.index.position(self.text, offset, self.enc);
        lsp::Position::new(lc.line, lc.col)
    }

    /// Byte span → LSP range. A reversed span is treated as empty at its start.
    pub fn to_range(self, span: &Span) -> lsp::Range {
        let start = self.to_position(span.start);
        let end = if span.end < span.start { start } else { self.to_position(span.end) };
        lsp::Range::new(start, end)
    }

    /// LSP position → byte offset, clamped to the text (see the module documentation).
    pub fn to_offset(self, pos: lsp::Position) -> usize {
        self.index.offset(self.text, LineCol { line: pos.line, col: pos.character }, self.enc)
    }

    /// LSP range → byte span; a reversed range becomes the empty span at its earlier end.
    pub fn to_span(self, range: lsp::Range) -> Span {
        let a = self.to_offset(range.start);
        let b = self.to_offset(range.end);
        a.min(b)..a.max(b)
    }

    /// Engine text edits → LSP text edits.
    pub fn to_text_edits(self, edits: &[diagnostic::TextEdit]) -> Vec<lsp::TextEdit> {
        edits.iter().map(|e| lsp::TextEdit::new(self.to_range(&e.span), e.new_text.clone())).collect()
    }
}

/// The negotiated encoding as the LSP kind announced in the server capabilities.
pub fn to_position_encoding_kind(enc: Encoding) -> lsp::PositionEncodingKind {
    match enc {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
    }
}

fn to_severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// What the server stores in `Diagnostic.data`: the document version the diagnostic was computed
/// for and its fixes, already in LSP coordinates of that version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticData {
    pub version: i32,
    pub fixes: Vec<FixData>,
}

/// One fix inside [`DiagnosticData`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixData {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<lsp::TextEdit>,
}

/// Engine diagnostic → LSP diagnostic, with the rule code in `code`, `source: "agentls"` and the
/// fixes in `data`.
pub fn to_diagnostic(lines: &Lines, d: &diagnostic::Diagnostic, version: i32) -> lsp::Diagnostic {
    let data = (!d.fixes.is_empty()).then(|| DiagnosticData {
        version,
        fixes: d
            .fixes
            .iter()
            .map(|f| FixData { title: f.title.clone(), safe: f.safe, edits: lines.to_text_edits(&f.edits) })
            .collect(),
    });
    lsp::Diagnostic {
        range: lines.to_range(&d.span),
        severity: Some(to_severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: None,
        tags: None,
        data: data.and_then(|d| serde_json::to_value(d).ok()),
    }
}

/// Reads back the [`DiagnosticData`] of a diagnostic this server published.
pub fn from_diagnostic_data(d: &lsp::Diagnostic) -> Option<DiagnosticData> {
    if d.source.as_deref() != Some(SOURCE) {
        return None;
    }
    serde_json::from_value(d.data.clone()?).ok()
}

/// The rule code of an LSP diagnostic, if it is a string.
pub fn diagnostic_code(d: &lsp::Diagnostic) -> Option<&str> {
    match &d.code {
        Some(lsp::NumberOrString::String(s)) => Some(s),
        _ => None,
    }
}

/// A problem of a policy file → a diagnostic on the policy document, with the problem's own
/// severity. The parser's trailing " at line L column C" is dropped: the range already says it.
pub fn policy_error_to_diagnostic(lines: &Lines, err: &PolicyError) -> lsp::Diagnostic {
    let message = match err.message.rfind(" at line ") {
        Some(at) if err.message[at..].contains(" column ") => &err.message[..at],
        _ => err.message.as_str(),
    };
    lsp::Diagnostic {
        range: lines.to_range(&err.span),
        severity: Some(to_severity(err.severity)),
        code: Some(lsp::NumberOrString::String(crate::registry::RuleCode::PolicyError.as_str().to_string())),
        source: Some(SOURCE.to_string()),
        message: message.to_string(),
        ..Default::default()
    }
}

/// How the client wants completion items shaped.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompletionStyle {
    pub snippets: bool,
    pub deprecated_tag: bool,
}

/// Engine completion → LSP completion item; the insertion is a `textEdit` over `replace`.
pub fn to_completion_item(lines: &Lines, c: &ide::Completion, style: CompletionStyle) -> lsp::CompletionItem {
    let kind = match c.kind {
        ide::CompletionKind::Key => lsp::CompletionItemKind::PROPERTY,
        ide::CompletionKind::Tool => lsp::CompletionItemKind::FUNCTION,
        ide::CompletionKind::McpTool => lsp::CompletionItemKind::INTERFACE,
        ide::CompletionKind::Model => lsp::CompletionItemKind::ENUM_MEMBER,
        ide::CompletionKind::Value => lsp::CompletionItemKind::VALUE,
        ide::CompletionKind::Section => lsp::CompletionItemKind::MODULE,
    };
    let (new_text, format) = if !c.is_snippet {
        (c.insert_text.clone(), lsp::InsertTextFormat::PLAIN_TEXT)
    } else if style.snippets {
        (c.insert_text.clone(), lsp::InsertTextFormat::SNIPPET)
    } else {
        (snippet_to_plain(&c.insert_text), lsp::InsertTextFormat::PLAIN_TEXT)
    };
    let (tags, deprecated) = match (c.deprecated, style.deprecated_tag) {
        (false, _) => (None, None),
        (true, true) => (Some(vec![lsp::CompletionItemTag::DEPRECATED]), None),
        (true, false) => (None, Some(true)),
    };
    lsp::CompletionItem {
        label: c.label.clone(),
        kind: Some(kind),
        detail: c.detail.clone(),
        documentation: c.doc.as_ref().map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value: d.clone() })
        }),
        deprecated,
        tags,
        sort_text: c.sort_text.clone(),
        insert_text_format: Some(format),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(lines.to_range(&c.replace), new_text))),
        ..Default::default()
    }
}

/// Strips LSP snippet syntax for clients without snippet support: `$1`/`$0` vanish,
/// `${1:text}` becomes `text`, `${1|a,b|}` becomes `a`, and `\$`, `\}`, `\\` unescape.
pub fn snippet_to_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    // How many `${n:` placeholders the scan is inside; their closing `}` is dropped.
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(&n) = chars.peek() {
                    if matches!(n, '$' | '}' | '\\' | ',' | '|') {
                        out.push(n);
                        chars.next();
                        continue;
                    }
                }
                out.push('\\');
            }
            '$' => match chars.peek() {
                Some(d) if d.is_ascii_digit() => {
                    while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                        chars.next();
                    }
                }
                Some('{') => {
                    chars.next();
                    while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                        chars.next();
                    }
                    match chars.next() {
                        Some(':') => depth += 1,
                        Some('|') => {
                            // A choice: keep the first option, drop the rest up to `|}`.
                            let mut first = true;
                            while let Some(ch) = chars.next() {
                                match ch {
                                    '|' if chars.peek() == Some(&'}') => {
                                        chars.next();
                                        break;
                                    }
                                    ',' => first = false,
                                    _ if first => out.push(ch),
                                    _ => {}
                                }
                            }
                        }
                        // `${1}` or a malformed tail: nothing to keep.
                        _ => {}
                    }
                }
                _ => out.push('$'),
            },
            '}' if depth > 0 => depth -= 1,
            _ => out.push(c),
        }
    }
    out
}

/// Engine hover → LSP hover with Markdown content.
pub fn to_hover(lines: &Lines, h: &ide::Hover) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown.clone(),
        }),
        range: Some(lines.to_range(&h.span)),
    }
}

pub fn to_inlay_hint(lines: &Lines, h: &ide::InlayHint) -> lsp::InlayHint {
    lsp::InlayHint {
        position: lines.to_position(h.offset),
        label: lsp::InlayHintLabel::String(h.label.clone()),
        kind: None,
        text_edits: None,
        tooltip: Some(lsp::InlayHintTooltip::MarkupContent(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.tooltip.clone(),
        })),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

/// A title-only code lens: the command id is empty, which VS Code renders as text that cannot be
/// clicked (microsoft/vscode#24469 settled on a command that does nothing for information-only
/// lenses; eclipse-lsp4e/lsp4e#285 treats an empty id the same way). A lens without any command
/// shows as "!!MISSING: command!!" in VS Code (microsoft/vscode#197643).
pub fn to_code_lens(lines: &Lines, l: &ide::Lens) -> lsp::CodeLens {
    lsp::CodeLens {
        range: lines.to_range(&l.span),
        command: Some(lsp::Command { title: l.title.clone(), command: String::new(), arguments: None }),
        data: None,
    }
}

fn to_symbol_kind(k: ide::SymbolKind) -> lsp::SymbolKind {
    match k {
        ide::SymbolKind::Frontmatter => lsp::SymbolKind::NAMESPACE,
        ide::SymbolKind::Key => lsp::SymbolKind::PROPERTY,
        ide::SymbolKind::Heading => lsp::SymbolKind::STRING,
    }
}

/// Engine outline → hierarchical LSP document symbols. The selection range is forced inside the
/// full range, because clients (VS Code among them) reject symbols where it is not.
pub fn to_document_symbols(lines: &Lines, symbols: &[ide::Symbol]) -> Vec<lsp::DocumentSymbol> {
    symbols
        .iter()
        .map(|s| {
            let span = s.span.start.min(s.span.end)..s.span.end.max(s.span.start);
            let sel_start = s.selection.start.clamp(span.start, span.end);
            let sel_end = s.selection.end.clamp(sel_start, span.end);
            #[allow(deprecated)]
            lsp::DocumentSymbol {
                name: if s.name.is_empty() { " ".to_string() } else { s.name.clone() },
                detail: s.detail.clone(),
                kind: to_symbol_kind(s.kind),
                tags: None,
                deprecated: None,
                range: lines.to_range(&span),
                selection_range: lines.to_range(&(sel_start..sel_end)),
                children: (!s.children.is_empty()).then(|| to_document_symbols(lines, &s.children)),
            }
        })
        .collect()
}

/// Engine outline → flat symbol information, for clients without hierarchical support.
pub fn to_symbol_information(lines: &Lines, uri: &lsp::Uri, symbols: &[ide::Symbol]) -> Vec<lsp::SymbolInformation> {
    fn walk(
        lines: &Lines,
        uri: &lsp::Uri,
        symbols: &[ide::Symbol],
        parent: Option<&str>,
        out: &mut Vec<lsp::SymbolInformation>,
    ) {
        for s in symbols {
            #[allow(deprecated)]
            out.push(lsp::SymbolInformation {
                name: s.name.clone(),
                kind: to_symbol_kind(s.kind),
                tags: None,
                deprecated: None,
                location: lsp::Location::new(uri.clone(), lines.to_range(&s.span)),
                container_name: parent.map(str::to_string),
            });
            walk(lines, uri, &s.children, Some(&s.name), out);
        }
    }
    let mut out = Vec::new();
    walk(lines, uri, symbols, None, &mut out);
    out
}

/// Engine fold → LSP folding range over whole lines. A span that ends at the very start of a line
/// (after its final newline) folds up to the line before. Folds of a single line are dropped.
/// A document link to a file; `None` where the path makes no `file:` URI (a relative path).
pub fn to_document_link(lines: &Lines, l: &ide::DocLink) -> Option<lsp::DocumentLink> {
    let target = lsp::Uri::from_file_path(&l.target)?;
    Some(lsp::DocumentLink {
        range: lines.to_range(&l.span),
        target: Some(target),
        tooltip: Some(format!("Open the {} `{}`", l.what, l.target.display())),
        data: None,
    })
}

pub fn to_folding_range(lines: &Lines, f: &ide::Fold) -> Option<lsp::FoldingRange> {
    let start = lines.to_position(f.span.start).line;
    let end_pos = lines.to_position(f.span.end);
    let end = if end_pos.character == 0 && end_pos.line > start && f.span.end > f.span.start {
        end_pos.line - 1
    } else {
        end_pos.line
    };
    (end > start).then_some(lsp::FoldingRange {
        start_line: start,
        start_character: None,
        end_line: end,
        end_character: None,
        kind: Some(match f.kind {
            ide::FoldKind::Frontmatter | ide::FoldKind::Section => lsp::FoldingRangeKind::Region,
            ide::FoldKind::Code => lsp::FoldingRangeKind::Region,
        }),
        collapsed_text: None,
    })
}

/// The semantic token legend; indices into these lists are what the encoded tokens carry.
pub fn semantic_tokens_legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: vec![
            lsp::SemanticTokenType::PROPERTY,
            lsp::SemanticTokenType::FUNCTION,
            lsp::SemanticTokenType::ENUM_MEMBER,
        ],
        token_modifiers: vec![lsp::SemanticTokenModifier::DEPRECATED],
    }
}

fn token_type_index(k: ide::TokenKind) -> u32 {
    match k {
        ide::TokenKind::Key => 0,
        ide::TokenKind::Tool => 1,
        ide::TokenKind::Model => 2,
    }
}

/// Engine tokens → the LSP relative encoding. Tokens are sorted, overlapping ones dropped, and a
/// token that spans lines is split per line (not every client supports multiline tokens).
pub fn to_semantic_tokens(lines: &Lines, tokens: &[ide::Token]) -> lsp::SemanticTokens {
    let mut sorted: Vec<&ide::Token> = tokens.iter().filter(|t| t.span.end > t.span.start).collect();
    sorted.sort_by_key(|t| (t.span.start, t.span.end));
    let mut data = Vec::new();
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    let mut covered = 0usize;
    for t in sorted {
        if t.span.start < covered {
            continue;
        }
        covered = t.span.end;
        let first = lines.index.line_of(t.span.start.min(lines.text.len()));
        let last = lines.index.line_of(t.span.end.min(lines.text.len()));
        for line in first..=last {
            let lr = lines.index.line_range(lines.text, line);
            let a = t.span.start.max(lr.start);
            let b = t.span.end.min(lr.end);
            if b <= a {
                continue;
            }
            let start = lines.to_position(a);
            let end = lines.to_position(b);
            let delta_line = start.line - prev_line;
            let delta_start = if delta_line == 0 { start.character - prev_col } else { start.character };
            data.push(lsp::SemanticToken {
                delta_line,
                delta_start,
                length: end.character - start.character,
                token_type: token_type_index(t.kind),
                token_modifiers_bitset: u32::from(t.deprecated),
            });
            prev_line = start.line;
            prev_col = start.character;
        }
    }
    lsp::SemanticTokens { result_id: None, data }
}

/// The LSP code action kind of an engine action.
pub fn to_code_action_kind(k: ide::ActionKind) -> lsp::CodeActionKind {
    match k {
        ide::ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
        ide::ActionKind::InsertSection => lsp::CodeActionKind::REFACTOR_REWRITE,
        ide::ActionKind::FixAll => lsp::CodeActionKind::new(FIX_ALL_KIND),
    }
}

/// A related location of a diagnostic, in another file.
pub fn related(uri: lsp::Uri, lines: &Lines, span: &Span, message: &str) -> lsp::DiagnosticRelatedInformation {
    lsp::DiagnosticRelatedInformation {
        location: lsp::Location { uri, range: lines.to_range(span) },
        message: message.to_string(),
    }
}

/// A location in a file.
pub fn to_location(uri: lsp::Uri, lines: &Lines, span: &Span) -> lsp::Location {
    lsp::Location { uri, range: lines.to_range(span) }
}

/// The LSP kind of a workspace symbol.
pub fn to_workspace_symbol_kind(k: crate::workspace::SymbolKind) -> lsp::SymbolKind {
    use crate::workspace::SymbolKind as K;
    match k {
        K::Agent | K::DroidFile => lsp::SymbolKind::CLASS,
        K::Skill => lsp::SymbolKind::FUNCTION,
        K::Command => lsp::SymbolKind::EVENT,
        K::McpServer => lsp::SymbolKind::MODULE,
    }
}

/// A rename as one workspace edit: text edits per document (on the documents' current URIs),
/// then the file and folder renames, as `documentChanges` when the client takes them.
pub fn to_rename_edit(
    edits: Vec<(lsp::Uri, Option<i32>, Vec<lsp::TextEdit>)>,
    moves: Vec<(lsp::Uri, lsp::Uri)>,
    document_changes: bool,
) -> lsp::WorkspaceEdit {
    if !document_changes {
        let changes = edits.into_iter().map(|(u, _, e)| (u, e)).collect();
        return lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() };
    }
    let mut ops: Vec<lsp::DocumentChangeOperation> = edits
        .into_iter()
        .map(|(uri, version, e)| {
            lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version },
                edits: e.into_iter().map(lsp::OneOf::Left).collect(),
            })
        })
        .collect();
    ops.extend(moves.into_iter().map(|(old_uri, new_uri)| {
        lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Rename(lsp::RenameFile {
            old_uri,
            new_uri,
            options: None,
            annotation_id: None,
        }))
    }));
    lsp::WorkspaceEdit { document_changes: Some(lsp::DocumentChanges::Operations(ops)), ..Default::default() }
}

/// A workspace edit that changes one document.
/// An edit that creates the file at `uri` (failing if it exists) and writes `text` into it.
pub fn to_create_file_edit(uri: &lsp::Uri, text: String) -> lsp::WorkspaceEdit {
    let create = lsp::CreateFile {
        uri: uri.clone(),
        options: Some(lsp::CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(false) }),
        annotation_id: None,
    };
    let insert = lsp::TextDocumentEdit {
        text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri: uri.clone(), version: None },
        edits: vec![lsp::OneOf::Left(lsp::TextEdit { range: lsp::Range::default(), new_text: text })],
    };
    lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Operations(vec![
            lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(create)),
            lsp::DocumentChangeOperation::Edit(insert),
        ])),
        ..Default::default()
    }
}

pub fn to_workspace_edit(uri: &lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit { changes: Some([(uri.clone(), edits)].into_iter().collect()), ..Default::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> lsp::Position {
        lsp::Position::new(line, character)
    }

    #[test]
    fn ranges_use_the_negotiated_encoding() {
        let text = "a😀b\nc";
        let index = LineIndex::new(text);
        let utf16 = Lines { text, index: &index, enc: Encoding::Utf16 };
        let utf8 = Lines { text, index: &index, enc: Encoding::Utf8 };
        assert_eq!(utf16.to_range(&(5..6)), lsp::Range::new(pos(0, 3), pos(0, 4)));
        assert_eq!(utf8.to_range(&(5..6)), lsp::Range::new(pos(0, 5), pos(0, 6)));
        assert_eq!(utf16.to_span(lsp::Range::new(pos(1, 9), pos(0, 3))), 5..8);
    }

    #[test]
    fn snippets_become_plain_text() {
        assert_eq!(snippet_to_plain("tools: [${1:Read}]$0"), "tools: [Read]");
        assert_eq!(snippet_to_plain("model: ${1|a,b|}"), "model: a");
        assert_eq!(snippet_to_plain("cost \\$5 ${2}"), "cost $5 ");
        assert_eq!(snippet_to_plain("${1:outer ${2:inner}}"), "outer inner");
    }

    #[test]
    fn multiline_tokens_are_split_per_line() {
        let text = "ab\ncd\n";
        let index = LineIndex::new(text);
        let lines = Lines { text, index: &index, enc: Encoding::Utf16 };
        let toks = [ide::Token { span: 1..5, kind: ide::TokenKind::Tool, deprecated: true }];
        let st = to_semantic_tokens(&lines, &toks);
        let flat: Vec<[u32; 5]> = st
            .data
            .iter()
            .map(|t| [t.delta_line, t.delta_start, t.length, t.token_type, t.token_modifiers_bitset])
            .collect();
        assert_eq!(flat, vec![[0, 1, 1, 1, 1], [1, 0, 2, 1, 1]]);
    }

    #[test]
    fn folds_end_on_the_last_covered_line() {
        let text = "---\na: 1\n---\n# H\n";
        let index = LineIndex::new(text);
        let lines = Lines { text, index: &index, enc: Encoding::Utf16 };
        let f = to_folding_range(&lines, &ide::Fold { span: 0..13, kind: ide::FoldKind::Frontmatter }).unwrap();
        assert_eq!((f.start_line, f.end_line), (0, 2));
        assert!(to_folding_range(&lines, &ide::Fold { span: 0..3, kind: ide::FoldKind::Code }).is_none());
    }
}
