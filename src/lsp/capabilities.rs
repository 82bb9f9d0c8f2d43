//! What the client can do (resolved once into flat booleans) and what the server announces.

use serde_json::Value;
use tower_lsp_server::ls_types as lsp;

use super::proto;
use crate::text::Encoding;

/// Characters after which clients should ask for completions: quotes and list punctuation in
/// YAML values, `#` for body headings, `:` after a key, `-` for block list items.
pub const TRIGGER_CHARACTERS: [&str; 7] = ["\"", ",", "[", " ", "#", ":", "-"];

/// The client capabilities the server acts on, resolved once in `initialize`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientFlags {
    /// UTF-8 when the client offers it, else the LSP default UTF-16.
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); the server then never pushes.
    pub pull_diagnostics: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    pub diagnostic_refresh: bool,
    /// `workspace/didChangeWatchedFiles` may be registered dynamically.
    pub watch_files: bool,
    /// The client answers `workspace/configuration`.
    pub configuration: bool,
    pub snippets: bool,
    pub completion_deprecated_tag: bool,
    pub hierarchical_symbols: bool,
    /// Workspace edits may create files (the `create` resource operation, in `documentChanges`):
    /// the "Port to ..." actions need it.
    pub create_files: bool,
    /// The client shows `$/progress` for tokens the server creates (`window.workDoneProgress`).
    pub work_done_progress: bool,
    /// Workspace edits may use `documentChanges` (announced, or implied by resource operations).
    pub document_changes: bool,
    /// ... and `RenameFile` operations in them (the `rename` resource operation).
    pub rename_files: bool,
    /// The client sends `textDocument/prepareRename`.
    pub prepare_rename: bool,
    /// The client accepts `workspace/inlayHint/refresh` (asked once the index changed).
    pub inlay_hint_refresh: bool,
    /// The client accepts `workspace/codeLens/refresh`.
    pub code_lens_refresh: bool,
}

impl ClientFlags {
    pub fn from_capabilities(caps: &lsp::ClientCapabilities) -> ClientFlags {
        // Looking fields up by JSON pointer keeps the many nested `Option`s out of the way; the
        // capabilities arrive as JSON anyway.
        let v = serde_json::to_value(caps).unwrap_or(Value::Null);
        let flag = |ptr: &str| v.pointer(ptr).and_then(Value::as_bool).unwrap_or(false);
        let offers_utf8 = v
            .pointer("/general/positionEncodings")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|e| e.as_str() == Some("utf-8")));
        let deprecated_tag = v
            .pointer("/textDocument/completion/completionItem/tagSupport/valueSet")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|t| t.as_u64() == Some(1)));
        // Resource operations only exist inside `documentChanges`, so a client that lists any
        // accepts `documentChanges` even without `documentChanges: true`. The spec: "If a client
        // neither supports `documentChanges` nor `workspace.workspaceEdit.resourceOperations` then
        // only plain `TextEdit`s using the `changes` property are supported." Neovim 0.11 sends
        // `resourceOperations: [rename, create, delete]` alone (vim/lsp/protocol.lua).
        let resource_ops: Vec<&str> = v
            .pointer("/workspace/workspaceEdit/resourceOperations")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let resource_op = |op: &str| resource_ops.contains(&op);
        ClientFlags {
            encoding: if offers_utf8 { Encoding::Utf8 } else { Encoding::Utf16 },
            pull_diagnostics: v.pointer("/textDocument/diagnostic").is_some_and(Value::is_object),
            diagnostic_refresh: flag("/workspace/diagnostics/refreshSupport"),
            watch_files: flag("/workspace/didChangeWatchedFiles/dynamicRegistration"),
            configuration: flag("/workspace/configuration"),
            snippets: flag("/textDocument/completion/completionItem/snippetSupport"),
            completion_deprecated_tag: deprecated_tag,
            hierarchical_symbols: flag("/textDocument/documentSymbol/hierarchicalDocumentSymbolSupport"),
            create_files: resource_op("create"),
            work_done_progress: flag("/window/workDoneProgress"),
            document_changes: flag("/workspace/workspaceEdit/documentChanges") || !resource_ops.is_empty(),
            rename_files: resource_op("rename"),
            prepare_rename: flag("/textDocument/rename/prepareSupport"),
            inlay_hint_refresh: flag("/workspace/inlayHint/refreshSupport"),
            code_lens_refresh: flag("/workspace/codeLens/refreshSupport"),
        }
    }
}

/// The capabilities announced in the `initialize` result.
pub fn server_capabilities(flags: &ClientFlags) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(proto::to_position_encoding_kind(flags.encoding)),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(lsp::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
            will_save: None,
            will_save_wait_until: None,
            // Saving `.agentls.yaml` reloads the policy even when the client cannot watch files.
            save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
        })),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(TRIGGER_CHARACTERS.iter().map(|c| c.to_string()).collect()),
            resolve_provider: Some(false),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
            code_action_kinds: Some(vec![
                lsp::CodeActionKind::QUICKFIX,
                lsp::CodeActionKind::REFACTOR_REWRITE,
                lsp::CodeActionKind::new(proto::FIX_ALL_KIND),
            ]),
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
        document_link_provider: Some(lsp::DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        semantic_tokens_provider: Some(lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
            lsp::SemanticTokensOptions {
                legend: proto::semantic_tokens_legend(),
                full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(if flags.prepare_rename {
            lsp::OneOf::Right(lsp::RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })
        } else {
            lsp::OneOf::Left(true)
        }),
        workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
        // The effective tool set of an agent file: a hint after `tools`, a lens on the opening
        // `---`. Clients without inlay hints or code lenses never ask.
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        code_lens_provider: Some(lsp::CodeLensOptions { resolve_provider: Some(false) }),
        workspace: Some(lsp::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        diagnostic_provider: flags.pull_diagnostics.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some(proto::SOURCE.to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(json: Value) -> ClientFlags {
        ClientFlags::from_capabilities(&serde_json::from_value(json).unwrap())
    }

    #[test]
    fn utf8_only_when_offered() {
        assert_eq!(flags(serde_json::json!({})).encoding, Encoding::Utf16);
        let offered = serde_json::json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}});
        assert_eq!(flags(offered).encoding, Encoding::Utf8);
        let utf32 = serde_json::json!({"general": {"positionEncodings": ["utf-32"]}});
        assert_eq!(flags(utf32).encoding, Encoding::Utf16);
    }

    #[test]
    fn pull_diagnostics_when_the_client_has_the_capability() {
        assert!(!flags(serde_json::json!({})).pull_diagnostics);
        assert!(flags(serde_json::json!({"textDocument": {"diagnostic": {}}})).pull_diagnostics);
    }

    #[test]
    fn resource_operations_imply_document_changes() {
        let none = flags(serde_json::json!({}));
        assert!(!none.document_changes && !none.rename_files && !none.create_files);
        // Neovim 0.11's default capabilities.
        let nvim = flags(
            serde_json::json!({"workspace": {"workspaceEdit": {"resourceOperations": ["rename", "create", "delete"]}}}),
        );
        assert!(nvim.document_changes && nvim.rename_files && nvim.create_files);
        let versioned_only = flags(serde_json::json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}));
        assert!(versioned_only.document_changes && !versioned_only.rename_files && !versioned_only.create_files);
        let rename_only =
            flags(serde_json::json!({"workspace": {"workspaceEdit": {"resourceOperations": ["rename"]}}}));
        assert!(rename_only.rename_files && !rename_only.create_files);
    }
}
