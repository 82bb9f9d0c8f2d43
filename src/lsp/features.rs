//! The synchronous body of each request: LSP params in, engine call, LSP result out. The server
//! runs these inside its panic guard; they never await and never touch shared state.

use tower_lsp_server::ls_types as lsp;

use super::capabilities::ClientFlags;
use super::proto::{self, CompletionStyle};
use super::session::is_policy_file;
use std::sync::Arc;

use super::store::Snapshot;
use crate::analysis::Settings;
use crate::diagnostic::Diagnostic;
use crate::{ide, policy, rules};

/// The engine's diagnostics of a snapshot, computed once per version and settings generation.
/// Callers read `generation` before fetching `settings`: a change in between then files the new
/// settings' diagnostics under the old generation (merely recomputed later), never the reverse.
fn engine_diagnostics(snap: &Snapshot, settings: &Settings, generation: u64) -> Arc<Vec<Diagnostic>> {
    snap.diagnostics(generation, || snap.with_analysis(settings, |a| rules::run_with(a, Some(&crate::files::Disk))))
}

/// The diagnostics of a document. An open policy file is checked as a policy (so its problems
/// show while it is being edited); every other document goes to the engine with its path.
pub fn diagnostics(snap: &Snapshot, settings: &Settings, generation: u64, flags: &ClientFlags) -> Vec<lsp::Diagnostic> {
    let lines = snap.lines(flags.encoding);
    if let Some(path) = snap.path.as_deref().filter(|p| is_policy_file(p)) {
        let (_, problems) = policy::parse_all(&snap.text, Some(path));
        return problems.iter().map(|e| proto::policy_error_to_diagnostic(&lines, e)).collect();
    }
    engine_diagnostics(snap, settings, generation)
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
    let style = CompletionStyle { snippets: flags.snippets, deprecated_tag: flags.completion_deprecated_tag };
    let completions = snap.with_analysis(settings, |a| ide::completions(a, lines.to_offset(pos)));
    let items = completions.iter().map(|c| proto::to_completion_item(&lines, c, style)).collect();
    lsp::CompletionResponse::List(lsp::CompletionList { is_incomplete: false, items })
}

/// Hover content, followed by the explanation of any diagnostic under the cursor.
pub fn hover(
    snap: &Snapshot,
    settings: &Settings,
    generation: u64,
    flags: &ClientFlags,
    pos: lsp::Position,
    servers: &[ide::McpServerInfo],
) -> Option<lsp::Hover> {
    let lines = snap.lines(flags.encoding);
    let diags = engine_diagnostics(snap, settings, generation);
    let hover = snap.with_analysis(settings, |a| ide::hover_in_workspace(a, &diags, lines.to_offset(pos), servers));
    hover.map(|h| proto::to_hover(&lines, &h))
}

/// The effective tool count of an agent file, when it falls in `range`.
pub fn inlay_hints(
    snap: &Snapshot,
    settings: &Settings,
    flags: &ClientFlags,
    range: lsp::Range,
    servers: &[ide::McpServerInfo],
) -> Vec<lsp::InlayHint> {
    let lines = snap.lines(flags.encoding);
    let span = lines.to_span(range);
    snap.with_analysis(settings, |a| ide::inlay_hints(a, servers))
        .iter()
        .filter(|h| span.start <= h.offset && h.offset <= span.end)
        .map(|h| proto::to_inlay_hint(&lines, h))
        .collect()
}

/// The effective tool set's summary as a lens on the frontmatter's opening line.
pub fn code_lenses(
    snap: &Snapshot,
    settings: &Settings,
    flags: &ClientFlags,
    servers: &[ide::McpServerInfo],
) -> Vec<lsp::CodeLens> {
    let lines = snap.lines(flags.encoding);
    snap.with_analysis(settings, |a| ide::code_lenses(a, servers))
        .iter()
        .map(|l| proto::to_code_lens(&lines, l))
        .collect()
}

pub fn document_symbols(snap: &Snapshot, settings: &Settings, flags: &ClientFlags) -> lsp::DocumentSymbolResponse {
    let lines = snap.lines(flags.encoding);
    let symbols = snap.with_analysis(settings, ide::symbols);
    if flags.hierarchical_symbols {
        lsp::DocumentSymbolResponse::Nested(proto::to_document_symbols(&lines, &symbols))
    } else {
        lsp::DocumentSymbolResponse::Flat(proto::to_symbol_information(&lines, &snap.uri, &symbols))
    }
}

pub fn document_links(snap: &Snapshot, settings: &Settings, flags: &ClientFlags) -> Vec<lsp::DocumentLink> {
    let lines = snap.lines(flags.encoding);
    snap.with_analysis(settings, ide::document_links)
        .iter()
        .filter_map(|l| proto::to_document_link(&lines, l))
        .collect()
}

pub fn folding_ranges(snap: &Snapshot, settings: &Settings, flags: &ClientFlags) -> Vec<lsp::FoldingRange> {
    let lines = snap.lines(flags.encoding);
    snap.with_analysis(settings, ide::folds).iter().filter_map(|f| proto::to_folding_range(&lines, f)).collect()
}

pub fn semantic_tokens(snap: &Snapshot, settings: &Settings, flags: &ClientFlags) -> lsp::SemanticTokens {
    let lines = snap.lines(flags.encoding);
    proto::to_semantic_tokens(&lines, &snap.with_analysis(settings, ide::semantic_tokens))
}

/// Code actions for a range: the engine's (a quick fix per fix of each diagnostic there, section
/// inserts, "fix all" applying every safe fix), then fixes carried in the `data` of the client's
/// context diagnostics, filtered by the kinds the client asked for.
///
/// `data` fixes are used only when computed for the current version, so an edit never targets
/// an outdated position; the engine's own fixes come from the current text.
pub fn code_actions(
    snap: &Snapshot,
    settings: &Settings,
    generation: u64,
    flags: &ClientFlags,
    params: &lsp::CodeActionParams,
) -> Vec<lsp::CodeActionOrCommand> {
    let lines = snap.lines(flags.encoding);
    let uri = &snap.uri;
    let fresh = engine_diagnostics(snap, settings, generation);
    let mut out = Actions::default();

    let only = params.context.only.as_deref();
    let range = lines.to_span(params.range);
    // Fix-all re-checks the file until no safe fix is left: only when the client wants it.
    let want_fix_all = kind_requested(only, &lsp::CodeActionKind::new(proto::FIX_ALL_KIND));
    let recheck = |t: &str| crate::engine::check(t, snap.path.as_deref(), settings);
    let engine_actions = snap.with_analysis(settings, |a| {
        let mut acts = ide::code_actions(a, &fresh, range.clone());
        if want_fix_all {
            acts.extend(ide::fix_all(a, &fresh, &recheck));
        }
        acts
    });
    for act in engine_actions {
        let fixed = act.fixes.and_then(|i| fresh.get(i)).map(|d| {
            let converted = proto::to_diagnostic(&lines, d, snap.version);
            // Prefer the client's own copy, so the client links the action to what it shows.
            let shown = params
                .context
                .diagnostics
                .iter()
                .find(|cd| cd.range == converted.range && proto::diagnostic_code(cd) == Some(d.code.as_str()));
            vec![shown.cloned().unwrap_or(converted)]
        });
        out.push(lsp::CodeAction {
            title: act.title.clone(),
            kind: Some(proto::to_code_action_kind(act.kind)),
            diagnostics: fixed,
            edit: Some(proto::to_workspace_edit(uri, lines.to_text_edits(&act.edits))),
            is_preferred: act.preferred.then_some(true),
            ..Default::default()
        });
    }

    // "Port to ...": a new file where the other product loads it from, unless one is there.
    if let Some(path) = snap.path.as_deref().filter(|_| flags.create_files) {
        for p in snap.with_analysis(settings, |a| ide::port_actions(a, range.clone())) {
            let dest = crate::port::repo_root(path).join(&p.path);
            let Some(target) = lsp::Uri::from_file_path(&dest).filter(|_| !dest.exists()) else { continue };
            out.push(lsp::CodeAction {
                title: p.title,
                kind: Some(lsp::CodeActionKind::REFACTOR),
                edit: Some(proto::to_create_file_edit(&target, p.text)),
                ..Default::default()
            });
        }
    }

    for cd in &params.context.diagnostics {
        let Some(data) = proto::from_diagnostic_data(cd).filter(|d| d.version == snap.version) else { continue };
        let one_safe = data.fixes.len() == 1 && data.fixes[0].safe;
        for f in &data.fixes {
            out.push(lsp::CodeAction {
                title: f.title.clone(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![cd.clone()]),
                edit: Some(proto::to_workspace_edit(uri, f.edits.clone())),
                is_preferred: one_safe.then_some(true),
                ..Default::default()
            });
        }
    }

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

/// `only` filtering as the spec describes it: `source.fixAll` asks for `source.fixAll.agentls`.
fn kind_requested(only: Option<&[lsp::CodeActionKind]>, kind: &lsp::CodeActionKind) -> bool {
    let Some(only) = only else { return true };
    only.iter().any(|o| {
        let (o, k) = (o.as_str(), kind.as_str());
        k == o || k.strip_prefix(o).is_some_and(|rest| rest.starts_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
