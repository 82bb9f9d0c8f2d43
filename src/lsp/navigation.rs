//! The bodies of the cross-file requests (definition, references, prepareRename, rename,
//! workspace symbols): position → byte offset in the document, `ide::navigate` over the index,
//! byte spans → LSP locations in each file's current text (open buffer, else disk).

use std::collections::HashMap;

use tower_lsp_server::ls_types as lsp;

use super::index::key_of;
use super::proto::{self, Lines};
use super::server::Backend;
use crate::diagnostic::Span;
use crate::ide::navigate;
use crate::text::LineIndex;
use crate::workspace::FileKey;

/// At most this many workspace symbols are returned.
const SYMBOL_LIMIT: usize = 500;

impl Backend {
    /// The document's index key and the byte offset of `pos` in its current text.
    fn offset_of(&self, uri: &lsp::Uri, pos: lsp::Position) -> Option<(String, usize, String)> {
        let path = super::store::path_of(uri)?;
        let key = key_of(&path);
        let text = self.text_of(&key)?;
        let index = LineIndex::new(&text);
        let offset = Lines { text: &text, index: &index, enc: self.flags().encoding }.to_offset(pos);
        Some((key, offset, text))
    }

    /// Spans in several files → locations, reading each file once.
    fn locations(&self, spans: Vec<(FileKey, Span)>) -> Vec<lsp::Location> {
        self.locations_each(spans).into_iter().flatten().collect()
    }

    /// [`Backend::locations`], `None` where a file cannot be read.
    fn locations_each(&self, spans: Vec<(FileKey, Span)>) -> Vec<Option<lsp::Location>> {
        let mut texts: HashMap<FileKey, Option<(String, LineIndex)>> = HashMap::new();
        let enc = self.flags().encoding;
        let mut out = Vec::new();
        for (k, span) in spans {
            let entry = texts.entry(k.clone()).or_insert_with(|| {
                self.text_of(&k).map(|t| {
                    let i = LineIndex::new(&t);
                    (t, i)
                })
            });
            let (Some((text, index)), Some(uri)) = (entry.as_ref(), lsp::Uri::from_file_path(&*k)) else {
                out.push(None);
                continue;
            };
            out.push(Some(proto::to_location(uri, &Lines { text, index, enc }, &span)));
        }
        out
    }

    pub(super) fn definition_at(&self, uri: &lsp::Uri, pos: lsp::Position) -> Option<lsp::GotoDefinitionResponse> {
        let (key, offset, _) = self.offset_of(uri, pos)?;
        let spans = self.with_index(|ws| navigate::definition(ws, &key, offset));
        let locs = self.locations(spans);
        (!locs.is_empty()).then_some(lsp::GotoDefinitionResponse::Array(locs))
    }

    pub(super) fn references_at(&self, uri: &lsp::Uri, pos: lsp::Position, decl: bool) -> Option<Vec<lsp::Location>> {
        let (key, offset, _) = self.offset_of(uri, pos)?;
        let spans = self.with_index(|ws| {
            navigate::at(ws, &key, offset).map(|hit| navigate::references(ws, &hit.target, decl)).unwrap_or_default()
        });
        Some(self.locations(spans))
    }

    pub(super) fn prepare_rename_at(
        &self,
        uri: &lsp::Uri,
        pos: lsp::Position,
    ) -> Result<Option<lsp::PrepareRenameResponse>, String> {
        let Some((key, offset, text)) = self.offset_of(uri, pos) else { return Ok(None) };
        let hit = self.with_index(|ws| navigate::prepare_rename(ws, &key, offset, &text))?;
        let index = LineIndex::new(&text);
        let range = Lines { text: &text, index: &index, enc: self.flags().encoding }.to_range(&hit.span);
        Ok(Some(lsp::PrepareRenameResponse::RangeWithPlaceholder { range, placeholder: hit.target.name }))
    }

    pub(super) fn rename_at(
        &self,
        uri: &lsp::Uri,
        pos: lsp::Position,
        new: &str,
    ) -> Result<Option<lsp::WorkspaceEdit>, String> {
        let Some((key, offset, _)) = self.offset_of(uri, pos) else { return Ok(None) };
        let text_of = |k: &str| self.text_of(k);
        let plan = self.with_index(|ws| navigate::rename(ws, &key, offset, new, &text_of))?;
        let flags = self.flags();
        if !plan.moves.is_empty() && !flags.rename_files {
            let what: Vec<String> = plan.moves.iter().map(|(a, _)| a.display().to_string()).collect();
            return Err(format!(
                "renaming needs to rename {} (the name is taken from it), and this client cannot rename files",
                what.join(", ")
            ));
        }
        let mut by_file: Vec<(FileKey, Vec<(Span, String)>)> = Vec::new();
        for (k, span, t) in plan.edits {
            match by_file.last_mut() {
                Some((last, v)) if *last == k => v.push((span, t)),
                _ => by_file.push((k, vec![(span, t)])),
            }
        }
        let mut edits = Vec::new();
        for (k, list) in by_file {
            let (Some(text), Some(u)) = (self.text_of(&k), lsp::Uri::from_file_path(&*k)) else { continue };
            let index = LineIndex::new(&text);
            let lines = Lines { text: &text, index: &index, enc: flags.encoding };
            let version = self.store.version(&u);
            let e = list.iter().map(|(s, t)| lsp::TextEdit { range: lines.to_range(s), new_text: t.clone() }).collect();
            edits.push((u, version, e));
        }
        let moves = plan
            .moves
            .iter()
            .filter_map(|(a, b)| Some((lsp::Uri::from_file_path(a)?, lsp::Uri::from_file_path(b)?)))
            .collect();
        Ok(Some(proto::to_rename_edit(edits, moves, flags.document_changes)))
    }

    pub(super) fn workspace_symbols(&self, query: &str) -> Vec<lsp::SymbolInformation> {
        let found = self.with_index(|ws| navigate::workspace_symbols(ws, query, SYMBOL_LIMIT));
        let spans: Vec<(FileKey, Span)> = found.iter().map(|s| (s.file.clone(), s.span.clone())).collect();
        let locs = self.locations_each(spans);
        found
            .into_iter()
            .zip(locs)
            .filter_map(|(s, location)| Some((s, location?)))
            .map(|(s, location)| {
                #[allow(deprecated)]
                lsp::SymbolInformation {
                    name: s.name,
                    kind: proto::to_workspace_symbol_kind(s.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: Some(format!("{} {}", s.dialect.map_or("", |d| d.display()), s.kind.noun())),
                }
            })
            .collect()
    }
}
