//! The synchronous body of each request: LSP params in, engine call, LSP result out. The server
//! runs these inside its panic guard; they never await and never touch shared state.

use tower_lsp_server::ls_types as lsp;

use super::capabilities::ClientFlags;
use super::proto::{self, CompletionStyle};
use super::session::is_policy_file;
use super::store::Snapshot;
use crate::analysis::{self, Settings};
use crate::diagnostic::{self, Span};
use crate::{ide, policy, rules};

/// The diagnostics of a document. An open policy file is checked as a policy (so its problems
/// show while it is being edited); every other document goes to the engine with its path.
pub fn diagnostics(snap: &Snapshot, settings: &Settings, flags: &ClientFlags) -> Vec<lsp::Diagnostic> {
    let lines = snap.lines(flags.encoding);
    if let Some(path) = snap.path.as_deref().filter(|p| is_policy_file(p)) {
        let (_, problems) = policy::parse_all(&snap.text, Some(path));
        return problems.iter().map(|e| proto::policy_error_to_diagnostic(&lines, e)).collect();
    }
    analysis::check(&snap.text, snap.path.as_deref(), settings)
        .iter()
        .map(|d| proto::to_diagnostic(&lines, d, snap.version))
        .collect()
}

pub fn completion(
    snap: &Snapshot,
    settings: &Settings,
    flags: &ClientFlags,
    pos: lsp::Position,
) -> lsp::CompletionResponse {
    let lines = snap.lines(flags.encoding);
    let a = analysis::analyze(&snap.text, snap.path.as_deref(), settings);
    let style = CompletionStyle { snippets: flags.snippets, deprecated_tag: flags.completion_deprecated_tag };
    let items = ide::completions(&a, lines.to_offset(pos))
        .iter()
        .map(|c| proto::to_completion_item(&lines, c, style))
        .collect();
    lsp::CompletionResponse::List(lsp::CompletionList { is_incomplete: false, items })
}

pub fn hover(snap: &Snapshot, settings: &Settings, flags: &ClientFlags, pos: lsp::Position) -> Option<lsp::Hover> {
    let lines = snap.lines(flags.encoding);
    let a = analysis::analyze(&snap.text, snap.path.as_deref(), settings);
    ide::hover(&a, lines.to_offset(pos)).map(|h| proto::to_hover(&lines, &h))
}

pub fn document_symbols(snap: &Snapshot, settings: &Settings, flags: &ClientFlags) -> lsp::DocumentSymbolResponse {
    let lines = snap.lines(flags.encoding);
    let a = analysis::analyze(&snap.text, snap.path.as_deref(), settings);
    let symbols = ide::symbols(&a);
    if flags.hierarchical_symbols {
        lsp::DocumentSymbolResponse::Nested(proto::to_document_symbols(&lines, &symbols))
    } else {
        lsp::DocumentSymbolResponse::Flat(proto::to_symbol_information(&lines, &snap.uri, &symbols))
    }
}

pub fn folding_ranges(snap: &Snapshot, settings: &Settings, flags: &ClientFlags) -> Vec<lsp::FoldingRange> {
    let lines = snap.lines(flags.encoding);
    let a = analysis::analyze(&snap.text, snap.path.as_deref(), settings);
    ide::folds(&a).iter().filter_map(|f| proto::to_folding_range(&lines, f)).collect()
}

pub fn semantic_tokens(snap: &Snapshot, settings: &Settings, flags: &ClientFlags) -> lsp::SemanticTokens {
    let lines = snap.lines(flags.encoding);
    let a = analysis::analyze(&snap.text, snap.path.as_deref(), settings);
    proto::to_semantic_tokens(&lines, &ide::semantic_tokens(&a))
}

/// Code actions for a range: the fixes of the diagnostics there, the engine's own actions, and
/// "fix all" applying every safe fix, filtered by the kinds the client asked for.
///
/// Fixes come from `Diagnostic.data` when the client's diagnostic was computed for the current
/// version; otherwise (stale or missing data, or a client that sends no context diagnostics) from
/// the engine's diagnostics of the current text, so an edit never targets an outdated position.
pub fn code_actions(
    snap: &Snapshot,
    settings: &Settings,
    flags: &ClientFlags,
    params: &lsp::CodeActionParams,
) -> Vec<lsp::CodeActionOrCommand> {
    let lines = snap.lines(flags.encoding);
    let uri = &snap.uri;
    let range = lines.to_span(params.range);
    let a = analysis::analyze(&snap.text, snap.path.as_deref(), settings);
    let fresh = rules::run(&a);
    let mut out = Actions::default();

    for cd in &params.context.diagnostics {
        let Some(data) = proto::from_diagnostic_data(cd).filter(|d| d.version == snap.version) else { continue };
        for (i, f) in data.fixes.iter().enumerate() {
            out.push(lsp::CodeAction {
                title: f.title.clone(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![cd.clone()]),
                edit: Some(proto::to_workspace_edit(uri, f.edits.clone())),
                is_preferred: Some(i == 0 && f.safe),
                ..Default::default()
            });
        }
    }

    for d in fresh.iter().filter(|d| touches(&d.span, &range)) {
        let converted = proto::to_diagnostic(&lines, d, snap.version);
        // Prefer the client's own copy, so the client can link the action to what it shows.
        let shown = params
            .context
            .diagnostics
            .iter()
            .find(|cd| cd.range == converted.range && proto::diagnostic_code(cd) == Some(d.code))
            .cloned()
            .unwrap_or(converted);
        for (i, f) in d.fixes.iter().enumerate() {
            out.push(lsp::CodeAction {
                title: f.title.clone(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown.clone()]),
                edit: Some(proto::to_workspace_edit(uri, lines.to_text_edits(&f.edits))),
                is_preferred: Some(i == 0 && f.safe),
                ..Default::default()
            });
        }
    }

    let engine_actions = ide::code_actions(&a, &fresh, range);
    let engine_fix_all = engine_actions.iter().any(|x| x.kind == ide::ActionKind::FixAll);
    for act in &engine_actions {
        out.push(lsp::CodeAction {
            title: act.title.clone(),
            kind: Some(proto::to_code_action_kind(act.kind)),
            diagnostics: act
                .fixes
                .and_then(|i| fresh.get(i))
                .map(|d| vec![proto::to_diagnostic(&lines, d, snap.version)]),
            edit: Some(proto::to_workspace_edit(uri, lines.to_text_edits(&act.edits))),
            is_preferred: act.preferred.then_some(true),
            ..Default::default()
        });
    }

    if !engine_fix_all {
        let edits = safe_fix_edits(&fresh);
        if !edits.is_empty() {
            out.push(lsp::CodeAction {
                title: "Fix all safely fixable problems (agentls)".to_string(),
                kind: Some(lsp::CodeActionKind::new(proto::FIX_ALL_KIND)),
                edit: Some(proto::to_workspace_edit(uri, lines.to_text_edits(&edits))),
                ..Default::default()
            });
        }
    }

    let only = params.context.only.as_deref();
    out.0
        .into_iter()
        .filter(|act| act.kind.as_ref().is_none_or(|k| kind_requested(only, k)))
        .map(lsp::CodeActionOrCommand::CodeAction)
        .collect()
}

/// Code actions without duplicates (the same fix can come from `data` and from a fresh check).
#[derive(Default)]
struct Actions(Vec<lsp::CodeAction>);

impl Actions {
    fn push(&mut self, a: lsp::CodeAction) {
        if !self.0.iter().any(|o| o.title == a.title && o.edit == a.edit) {
            self.0.push(a);
        }
    }
}

/// Whether a diagnostic's span meets the requested range (touching counts: a cursor right after
/// the culprit still gets its fix).
fn touches(span: &Span, range: &Span) -> bool {
    span.start <= range.end && range.start <= span.end
}

/// `only` filtering as the spec describes it: `source.fixAll` asks for `source.fixAll.agentls`.
fn kind_requested(only: Option<&[lsp::CodeActionKind]>, kind: &lsp::CodeActionKind) -> bool {
    let Some(only) = only else { return true };
    only.iter().any(|o| {
        let (o, k) = (o.as_str(), kind.as_str());
        k == o || k.strip_prefix(o).is_some_and(|rest| rest.starts_with('.'))
    })
}

/// The edits of every diagnostic's first safe fix, skipping a fix when any of its edits would
/// overlap an edit already taken, so the result is a valid LSP edit list.
fn safe_fix_edits(diags: &[diagnostic::Diagnostic]) -> Vec<diagnostic::TextEdit> {
    let overlaps = |a: &Span, b: &Span| (a.start < b.end && b.start < a.end) || a.start == b.start;
    let mut taken: Vec<diagnostic::TextEdit> = Vec::new();
    for fix in diags.iter().filter_map(|d| d.fixes.iter().find(|f| f.safe)) {
        let clashes = fix.edits.iter().any(|e| taken.iter().any(|t| overlaps(&e.span, &t.span)));
        if !clashes {
            taken.extend(fix.edits.iter().cloned());
        }
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Fix, Severity, TextEdit};

    #[test]
    fn fix_all_takes_first_safe_fix_without_overlaps() {
        let edit = |span: Span, t: &str| TextEdit { span, new_text: t.into() };
        let fix = |safe, edits| Fix { title: "f".into(), edits, safe };
        let diags = vec![
            Diagnostic::new("a", Severity::Warning, 0..3, "m")
                .with_fix(fix(false, vec![edit(0..3, "unsafe")]))
                .with_fix(fix(true, vec![edit(0..3, "x")])),
            Diagnostic::new("b", Severity::Warning, 2..5, "m").with_fix(fix(true, vec![edit(2..5, "y")])),
            Diagnostic::new("c", Severity::Warning, 7..8, "m").with_fix(fix(true, vec![edit(7..8, "z")])),
        ];
        let got: Vec<_> = safe_fix_edits(&diags).into_iter().map(|e| e.new_text).collect();
        assert_eq!(got, vec!["x", "z"]);
    }

    #[test]
    fn only_matches_kind_prefixes() {
        let k = lsp::CodeActionKind::new(proto::FIX_ALL_KIND);
        assert!(kind_requested(None, &k));
        assert!(kind_requested(Some(&[lsp::CodeActionKind::SOURCE_FIX_ALL]), &k));
        assert!(kind_requested(Some(&[lsp::CodeActionKind::SOURCE]), &k));
        assert!(!kind_requested(Some(&[lsp::CodeActionKind::QUICKFIX]), &k));
        assert!(!kind_requested(Some(&[lsp::CodeActionKind::new("source.fix")]), &k));
    }
}
