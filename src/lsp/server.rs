//! `impl LanguageServer`: a thin router. Notification handlers update the store synchronously
//! (so edits apply in the order they were sent) and then check the document; request handlers go
//! through [`Backend::with_document`]: look up the snapshot, run the matching `features` function
//! behind the panic guard, answer. The engine works on a small document where the handler runs
//! (it takes under a millisecond) and on a large one on the engine thread, so a slow analysis
//! cannot stall the protocol.

use std::fmt::Display;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{self, ErrorCode};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::{Client, LanguageServer};

use super::capabilities::{self, ClientFlags};
use super::config::Options;
use super::engine_thread::EngineThread;
use super::features;
use super::index::{self, Index};
use super::session::Session;
use super::store::{self, Snapshot, Store};
use crate::analysis::Settings;

/// Documents up to this size are checked and answered on the protocol thread itself, larger ones
/// on the engine thread. Checking a file of this size takes under a millisecond (0.3 ms for the
/// 23 KB seed droid); handing the work to another thread and back costs two thread wake-ups, which
/// on a loaded machine came to a third of a keystroke's latency. Agent files are kilobytes, so
/// the engine thread is there for what would stall the protocol: a large or pathological file.
pub const INLINE_MAX_BYTES: usize = 64 << 10;

/// True when the engine works on `snap` on the protocol thread (see [`INLINE_MAX_BYTES`]).
fn runs_inline(snap: &Snapshot) -> bool {
    snap.text.len() <= INLINE_MAX_BYTES
}

/// A check made for publishing, with what delivering it needs: the result, the message of a
/// newly broken policy, and which version of which document it is for (held weakly).
struct Checked {
    outcome: (Result<Vec<lsp::Diagnostic>, String>, Option<String>),
    uri: lsp::Uri,
    version: i32,
    snap: std::sync::Weak<Snapshot>,
}

/// The id of the dynamic `workspace/didChangeWatchedFiles` registration.
const WATCH_REGISTRATION_ID: &str = "agentls-watch-policy";

/// The server as tower-lsp-server sees it: a cheap handle, so work that waits on the client can
/// run in a spawned task.
#[derive(Clone)]
pub struct Backend(Arc<Inner>);

impl std::ops::Deref for Backend {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

pub struct Inner {
    pub(super) client: Client,
    pub(super) store: Store,
    pub(super) session: Session,
    /// The workspace index (see `index`).
    pub(super) index: Index,
    /// Where indexing runs: its own thread, so a long walk never delays engine work.
    pub(super) indexer: EngineThread,
    /// Set by `shutdown`; decides the exit code after `exit`.
    shut_down: Arc<AtomicBool>,
    /// Messages produced during `initialize`, when the client may not receive logs yet.
    pending_logs: Mutex<Vec<(lsp::MessageType, String)>>,
    /// Where engine work runs: never on the runtime's threads.
    engine: EngineThread,
    /// The runtime, so that a job on the engine thread can hand its result to the client.
    pub(super) runtime: tokio::runtime::Handle,
}

/// What a `features` function runs on: one document version, the settings it is checked under
/// (`generation` was read before `settings`, as `features` asks) and the client's flags.
pub struct Cx<'a> {
    pub snap: &'a Snapshot,
    pub settings: &'a Settings,
    pub flags: ClientFlags,
    pub generation: u64,
}

/// Params of the custom request `agentls/documentText`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub text_document: lsp::TextDocumentIdentifier,
}

/// Result of `agentls/documentText`: the server's copy of an open document.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentText {
    pub uri: lsp::Uri,
    pub version: i32,
    pub text: String,
}

/// Runs `f`, turning a panic into an `InternalError` answer so one bug in the engine costs one
/// request, not the session.
fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("internal error in {what}: {msg}")
    })
}

fn internal_error(message: String) -> jsonrpc::Error {
    jsonrpc::Error { code: ErrorCode::InternalError, message: message.into(), data: None }
}

fn level(typ: lsp::MessageType) -> &'static str {
    match typ {
        lsp::MessageType::ERROR => "error",
        lsp::MessageType::WARNING => "warning",
        lsp::MessageType::INFO => "info",
        _ => "log",
    }
}

impl Backend {
    /// A backend whose engine work runs on `engine`; called inside the runtime.
    pub fn new(client: Client, shut_down: Arc<AtomicBool>, engine: EngineThread, indexer: EngineThread) -> Backend {
        Backend(Arc::new(Inner {
            client,
            store: Store::default(),
            session: Session::default(),
            index: Index::default(),
            indexer,
            shut_down,
            pending_logs: Mutex::new(Vec::new()),
            engine,
            runtime: tokio::runtime::Handle::current(),
        }))
    }

    /// Runs `work` in its own task. Used for everything that sends requests to the client
    /// (`workspace/configuration`, `client/registerCapability`, diagnostic refresh): a handler
    /// awaiting the client's answer would keep tower-lsp-server from finishing after `exit` or
    /// end of input, since it drains in-flight handlers before returning.
    fn spawn<F, Fut>(&self, work: F)
    where
        F: FnOnce(Backend) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        tokio::spawn(work(self.clone()));
    }

    /// `agentls/documentText`: the server's copy of an open document (text and version), so
    /// tests and editor integrations can check that incremental sync kept the text exact.
    pub async fn document_text(&self, params: DocumentTextParams) -> jsonrpc::Result<Option<DocumentText>> {
        Ok(self.store.get(&params.text_document.uri).map(|s| DocumentText {
            uri: s.uri.clone(),
            version: s.version,
            text: s.text.clone(),
        }))
    }

    /// `agentls/debugPanic` (debug builds only): panics inside the guard, to prove that a bug
    /// answers one request with `InternalError` and the server keeps serving.
    #[cfg(debug_assertions)]
    pub async fn debug_panic(&self) -> jsonrpc::Result<()> {
        let result = self
            .off_async("agentls/debugPanic", |_| guard("agentls/debugPanic", || panic!("deliberate panic for testing")))
            .await;
        self.answer(result.and_then(|r| r)).await
    }

    /// Runs `f` on the engine thread and waits for it. A panic that escapes `f` comes back as an
    /// error message, as [`guard`] makes it.
    async fn off_async<T: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce(&Inner) -> T + Send + 'static,
    ) -> Result<T, String> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let this = self.clone();
        if !self.engine.run(move || {
            let _ = tx.send(f(&this));
        }) {
            return Err(format!("internal error in {what}: the engine thread is gone"));
        }
        rx.await.map_err(|_| format!("internal error in {what}: the engine job panicked"))
    }

    /// The shared shape of every document request: looks up the document's current snapshot
    /// (`None` when it is not open), then, inline for a small document and on the engine thread
    /// otherwise, reads the settings for it and runs `f` behind the panic guard. A newly found
    /// broken policy is shown to the user; a panic answers this request with `InternalError`.
    async fn with_document<T: Send + 'static>(
        &self,
        what: &'static str,
        uri: &lsp::Uri,
        f: impl FnOnce(&Cx<'_>) -> T + Send + 'static,
    ) -> jsonrpc::Result<Option<T>> {
        let Some(snap) = self.store.get(uri) else { return Ok(None) };
        let outcome = if runs_inline(&snap) {
            self.run_engine(what, &snap, f)
        } else {
            let outcome = self.off_async(what, move |inner| inner.run_engine(what, &snap, f)).await;
            outcome.unwrap_or_else(|e| (Err(e), None))
        };
        self.finish(outcome).await.map(Some)
    }

    /// Pushes a document's diagnostics (unless the client pulls them): checks a small document
    /// at once; queues a large one's check on the engine thread, which then hands the diagnostics
    /// to the client's queue itself (no async task in between).
    pub(super) async fn publish(&self, snap: Arc<Snapshot>) {
        if self.flags().pull_diagnostics {
            return;
        }
        if runs_inline(&snap) {
            if let Some(checked) = self.check_for_publish(snap) {
                self.deliver(checked).await;
            }
            return;
        }
        let this = self.clone();
        self.engine.run(move || {
            if let Some(checked) = this.check_for_publish(snap) {
                this.runtime.block_on(this.deliver(checked));
            }
        });
    }
}

impl Inner {
    /// The engine side of a document job, on the engine thread: the settings for the document,
    /// then `f` behind the panic guard. Returns `f`'s result and the message of a newly found
    /// broken policy, for [`Inner::finish`].
    fn run_engine<T>(
        &self,
        what: &str,
        snap: &Snapshot,
        f: impl FnOnce(&Cx<'_>) -> T,
    ) -> (Result<T, String>, Option<String>) {
        let generation = self.session.generation();
        let (settings, news) = self.session.settings_for(snap.path.as_deref());
        let cx = Cx { snap, settings: &settings, flags: self.flags(), generation };
        (guard(what, || f(&cx)), news)
    }

    /// The protocol side of a document job: shows a newly broken policy, then answers with the
    /// result (an error is logged and becomes `InternalError`).
    async fn finish<T>(&self, (result, news): (Result<T, String>, Option<String>)) -> jsonrpc::Result<T> {
        if let Some(msg) = news {
            self.log(lsp::MessageType::WARNING, &msg).await;
            self.client.show_message(lsp::MessageType::WARNING, format!("agentls: {msg}")).await;
        }
        self.answer(result).await
    }

    /// The check behind [`Backend::publish`]; `None` when a newer change (or a close) landed
    /// meanwhile, which publishes for itself. Checked before the work, so a burst of keystrokes
    /// in a large file checks only what is current.
    fn check_for_publish(&self, snap: Arc<Snapshot>) -> Option<Checked> {
        if !self.store.is_current(&snap) {
            return None;
        }
        let mut outcome = self.run_engine("diagnostics", &snap, |cx| {
            features::diagnostics(cx.snap, cx.settings, cx.generation, &cx.flags)
        });
        if let Ok(diags) = &mut outcome.0 {
            diags.extend(self.cross_diagnostics(&snap));
        }
        // Let go of the snapshot before the client can see its diagnostics: the client's next
        // edit then finds nobody holding it and edits it in place instead of copying it.
        Some(Checked { outcome, uri: snap.uri.clone(), version: snap.version, snap: Arc::downgrade(&snap) })
    }

    /// Publishes a check unless its version was replaced in the meantime.
    async fn deliver(&self, checked: Checked) {
        let Checked { outcome, uri, version, snap } = checked;
        let Ok(diags) = self.finish(outcome).await else { return };
        if self.store.is_still_current(&uri, &snap) {
            self.client.publish_diagnostics(uri, diags, Some(version)).await;
        }
    }

    pub(super) fn flags(&self) -> ClientFlags {
        self.session.flags()
    }

    /// Logs to stderr and to the client's log (`window/logMessage`); stdout is the protocol's.
    pub(super) async fn log(&self, typ: lsp::MessageType, msg: impl Display) {
        eprintln!("agentls {}: {msg}", level(typ));
        self.client.log_message(typ, msg).await;
    }

    /// Answers with `result`; an error (a panic in the engine) is logged and becomes
    /// `InternalError`.
    async fn answer<T>(&self, result: Result<T, String>) -> jsonrpc::Result<T> {
        match result {
            Ok(v) => Ok(v),
            Err(msg) => {
                self.log(lsp::MessageType::ERROR, &msg).await;
                Err(internal_error(msg))
            }
        }
    }
}

impl Backend {
    /// Re-checks every open document after settings or a policy changed.
    async fn refresh_diagnostics(&self) {
        let flags = self.flags();
        if flags.pull_diagnostics {
            if flags.diagnostic_refresh {
                if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                    self.log(lsp::MessageType::WARNING, format!("diagnostic refresh failed: {e}")).await;
                }
            }
            return;
        }
        for snap in self.store.all() {
            self.publish(snap).await;
        }
    }

    /// Applies a settings value; returns the messages to log.
    fn apply_settings(&self, value: &Value) -> Vec<(lsp::MessageType, String)> {
        match Options::from_value(value) {
            Ok(None) => Vec::new(),
            Ok(Some(options)) => {
                let (config, warnings) = options.resolve(self.session.root().as_deref());
                let mut logs = vec![(lsp::MessageType::INFO, format!("settings: {config:?}"))];
                logs.extend(warnings.into_iter().map(|w| (lsp::MessageType::WARNING, w)));
                self.session.set_config(config);
                logs
            }
            Err(e) => vec![(lsp::MessageType::WARNING, format!("{e}; keeping the previous settings"))],
        }
    }

    /// Asks the client for the `agentls` settings section, when it answers such requests.
    async fn fetch_configuration(&self) -> Option<Value> {
        if !self.flags().configuration {
            return None;
        }
        let item = lsp::ConfigurationItem { scope_uri: None, section: Some("agentls".to_string()) };
        match self.client.configuration(vec![item]).await {
            Ok(mut values) if !values.is_empty() => Some(values.swap_remove(0)),
            Ok(_) => None,
            Err(e) => {
                self.log(lsp::MessageType::WARNING, format!("workspace/configuration failed: {e}")).await;
                None
            }
        }
    }

    async fn apply_and_log(&self, value: &Value) -> bool {
        let logs = self.apply_settings(value);
        let changed = !logs.is_empty();
        for (typ, msg) in logs {
            self.log(typ, msg).await;
        }
        changed
    }

    /// Watches `.agentls.yaml` files (and an explicit `policyPath`) so edits made outside the
    /// editor reload the policy.
    async fn register_watchers(&self) {
        if !self.flags().watch_files {
            return;
        }
        let mut globs = vec![format!("**/{}", crate::policy::FILE_NAME)];
        if let Some(p) = self.session.config().policy_path {
            globs.push(p.to_string_lossy().replace('\\', "/"));
        }
        let watchers = globs
            .into_iter()
            .map(|g| lsp::FileSystemWatcher { glob_pattern: lsp::GlobPattern::String(g), kind: None })
            .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = lsp::Registration {
            id: WATCH_REGISTRATION_ID.to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        let index_watchers = index::WATCH_GLOBS
            .iter()
            .map(|g| lsp::FileSystemWatcher { glob_pattern: lsp::GlobPattern::String(g.to_string()), kind: None })
            .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers: index_watchers };
        let index_registration = lsp::Registration {
            id: index::WATCH_INDEX_ID.to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(e) = self.client.register_capability(vec![registration, index_registration]).await {
            self.log(lsp::MessageType::WARNING, format!("cannot watch policy and agent files: {e}")).await;
        }
    }

    async fn reload_policies(&self, why: &str) {
        self.log(lsp::MessageType::INFO, format!("reloading policies ({why})")).await;
        self.session.invalidate_policies();
        self.refresh_diagnostics().await;
    }

    /// Logs the start, applies pulled settings and registers file watchers.
    async fn after_initialized(&self) {
        let flags = self.flags();
        let mode = if flags.pull_diagnostics { "pull" } else { "push" };
        self.log(
            lsp::MessageType::INFO,
            format!("agentls {} ready: {:?} positions, {mode} diagnostics", env!("CARGO_PKG_VERSION"), flags.encoding),
        )
        .await;
        let pending = std::mem::take(&mut *self.pending_logs.lock().unwrap_or_else(PoisonError::into_inner));
        for (typ, msg) in pending {
            self.log(typ, msg).await;
        }
        if let Some(value) = self.fetch_configuration().await {
            if self.apply_and_log(&value).await {
                self.sync_user_scope();
                self.refresh_diagnostics().await;
            }
        }
        self.register_watchers().await;
    }

    async fn configuration_changed(&self, settings: Value) {
        let mut value = settings;
        if matches!(Options::from_value(&value), Ok(None)) {
            // VS Code-style clients send an empty notification and expect a pull.
            value = self.fetch_configuration().await.unwrap_or(Value::Null);
        }
        if self.apply_and_log(&value).await {
            self.sync_user_scope();
            self.refresh_diagnostics().await;
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> jsonrpc::Result<lsp::InitializeResult> {
        let flags = ClientFlags::from_capabilities(&params.capabilities);
        self.session.set_flags(flags);
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| &f.uri)
            .or(params.root_uri.as_ref())
            .and_then(store::path_of);
        self.session.set_root(root);
        self.index.lock().folders = index::initial_folders(&params);
        if let Some(options) = &params.initialization_options {
            let logs = self.apply_settings(options);
            self.pending_logs.lock().unwrap_or_else(PoisonError::into_inner).extend(logs);
        }
        Ok(lsp::InitializeResult {
            capabilities: capabilities::server_capabilities(&flags),
            server_info: Some(lsp::ServerInfo {
                name: "agentls".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        // The engine thread's first job, while the client sends its first documents, so that the
        // first check does not pay for it. (Queued at process start instead, it competed with
        // answering `initialize`: start → initialize answered went from 4 to 6.6 ms, p50.)
        self.engine.run(crate::engine::warm_up);
        self.spawn(|this| async move { this.after_initialized().await });
        let folders = self.index.lock().folders.clone();
        self.index_folders(folders);
        // Queued behind the first index on the same thread.
        self.sync_user_scope();
    }

    async fn shutdown(&self) -> jsonrpc::Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let snap = self.store.open(doc.uri, doc.version, doc.text);
        let others = self.index_open(&snap);
        self.publish(snap).await;
        self.publish_files(others).await;
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let doc = params.text_document;
        let result = self.store.change(&doc.uri, doc.version, &params.content_changes, self.flags().encoding);
        match result {
            Ok(snap) => {
                let others = self.index_open(&snap);
                self.publish(snap).await;
                self.publish_files(others).await;
            }
            Err(e) => {
                self.log(lsp::MessageType::WARNING, format!("ignored didChange for {}: {e}", doc.uri.as_str())).await
            }
        }
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        let path = store::path_of(&params.text_document.uri);
        if path.is_some_and(|p| self.session.is_policy_path(&p)) {
            self.spawn(|this| async move { this.reload_policies("policy saved").await });
        }
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if !self.store.close(&uri) {
            self.log(lsp::MessageType::WARNING, format!("ignored didClose for {}: not open", uri.as_str())).await;
        }
        if !self.flags().pull_diagnostics {
            self.client.publish_diagnostics(uri.clone(), Vec::new(), None).await;
        }
        if let Some(path) = store::path_of(&uri) {
            let affected = self.index_closed(&path);
            self.publish_files(affected).await;
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        self.spawn(|this| async move { this.configuration_changed(params.settings).await });
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        let touched =
            params.changes.iter().filter_map(|c| store::path_of(&c.uri)).any(|p| self.session.is_policy_path(&p));
        if touched {
            self.spawn(|this| async move { this.reload_policies("policy file changed on disk").await });
        }
        let changes: Vec<_> = params
            .changes
            .iter()
            .filter_map(|c| Some((store::path_of(&c.uri)?, c.typ)))
            .filter(|(p, t)| index::is_indexed(p) || *t == lsp::FileChangeType::DELETED || p.is_dir())
            .collect();
        if !changes.is_empty() {
            self.disk_changes(changes);
        }
    }

    async fn did_change_workspace_folders(&self, params: lsp::DidChangeWorkspaceFoldersParams) {
        let paths = |f: &[lsp::WorkspaceFolder]| f.iter().filter_map(|f| store::path_of(&f.uri)).collect::<Vec<_>>();
        let (added, removed) = (paths(&params.event.added), paths(&params.event.removed));
        if !removed.is_empty() {
            self.remove_folders(removed);
        }
        if !added.is_empty() {
            self.index_folders(added);
        }
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> jsonrpc::Result<Option<lsp::GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        self.answer(guard("definition", || self.definition_at(&at.text_document.uri, at.position))).await
    }

    async fn references(&self, params: lsp::ReferenceParams) -> jsonrpc::Result<Option<Vec<lsp::Location>>> {
        let at = params.text_document_position;
        let decl = params.context.include_declaration;
        self.answer(guard("references", || self.references_at(&at.text_document.uri, at.position, decl))).await
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> jsonrpc::Result<Option<lsp::PrepareRenameResponse>> {
        let r = guard("prepareRename", || self.prepare_rename_at(&params.text_document.uri, params.position));
        self.answer(r).await?.map_err(|m| jsonrpc::Error {
            code: ErrorCode::InvalidRequest,
            message: m.into(),
            data: None,
        })
    }

    async fn rename(&self, params: lsp::RenameParams) -> jsonrpc::Result<Option<lsp::WorkspaceEdit>> {
        let at = params.text_document_position;
        let r = guard("rename", || self.rename_at(&at.text_document.uri, at.position, &params.new_name));
        self.answer(r).await?.map_err(|m| jsonrpc::Error {
            code: ErrorCode::InvalidRequest,
            message: m.into(),
            data: None,
        })
    }

    async fn symbol(
        &self,
        params: lsp::WorkspaceSymbolParams,
    ) -> jsonrpc::Result<Option<lsp::WorkspaceSymbolResponse>> {
        let r = guard("workspace/symbol", || self.workspace_symbols(&params.query));
        Ok(Some(lsp::WorkspaceSymbolResponse::Flat(self.answer(r).await?)))
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> jsonrpc::Result<lsp::DocumentDiagnosticReportResult> {
        let full = |items, result_id| {
            lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
                lsp::RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id, items },
                },
            ))
        };
        let previous = params.previous_result_id;
        let revision = self.index.lock().revision;
        let cross = self.store.get(&params.text_document.uri).map(|s| self.cross_diagnostics(&s)).unwrap_or_default();
        let report = self.with_document("textDocument/diagnostic", &params.text_document.uri, move |cx| {
            let result_id = format!("{}:{}:{revision}", cx.generation, cx.snap.version);
            if previous.as_deref() == Some(result_id.as_str()) {
                return lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Unchanged(
                    lsp::RelatedUnchangedDocumentDiagnosticReport {
                        related_documents: None,
                        unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport { result_id },
                    },
                ));
            }
            let mut items = features::diagnostics(cx.snap, cx.settings, cx.generation, &cx.flags);
            items.extend(cross);
            full(items, Some(result_id))
        });
        Ok(report.await?.unwrap_or_else(|| full(Vec::new(), None)))
    }

    async fn completion(&self, params: lsp::CompletionParams) -> jsonrpc::Result<Option<lsp::CompletionResponse>> {
        let at = params.text_document_position;
        self.with_document("completion", &at.text_document.uri, move |cx| {
            features::completion(cx.snap, cx.settings, &cx.flags, at.position)
        })
        .await
    }

    async fn hover(&self, params: lsp::HoverParams) -> jsonrpc::Result<Option<lsp::Hover>> {
        let at = params.text_document_position_params;
        let servers = self.mcp_servers_of(&at.text_document.uri);
        let hover =
            move |cx: &Cx<'_>| features::hover(cx.snap, cx.settings, cx.generation, &cx.flags, at.position, &servers);
        Ok(self.with_document("hover", &at.text_document.uri, hover).await?.flatten())
    }

    async fn inlay_hint(&self, params: lsp::InlayHintParams) -> jsonrpc::Result<Option<Vec<lsp::InlayHint>>> {
        let servers = self.mcp_servers_of(&params.text_document.uri);
        let range = params.range;
        let hints = move |cx: &Cx<'_>| features::inlay_hints(cx.snap, cx.settings, &cx.flags, range, &servers);
        self.with_document("inlayHint", &params.text_document.uri, hints).await
    }

    async fn code_lens(&self, params: lsp::CodeLensParams) -> jsonrpc::Result<Option<Vec<lsp::CodeLens>>> {
        let servers = self.mcp_servers_of(&params.text_document.uri);
        let lenses = move |cx: &Cx<'_>| features::code_lenses(cx.snap, cx.settings, &cx.flags, &servers);
        self.with_document("codeLens", &params.text_document.uri, lenses).await
    }

    async fn code_action(&self, params: lsp::CodeActionParams) -> jsonrpc::Result<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_document("codeAction", &uri, move |cx| {
            features::code_actions(cx.snap, cx.settings, cx.generation, &cx.flags, &params)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> jsonrpc::Result<Option<lsp::DocumentSymbolResponse>> {
        let symbols = |cx: &Cx<'_>| features::document_symbols(cx.snap, cx.settings, &cx.flags);
        self.with_document("documentSymbol", &params.text_document.uri, symbols).await
    }

    async fn document_link(&self, params: lsp::DocumentLinkParams) -> jsonrpc::Result<Option<Vec<lsp::DocumentLink>>> {
        let links = |cx: &Cx<'_>| features::document_links(cx.snap, cx.settings, &cx.flags);
        self.with_document("documentLink", &params.text_document.uri, links).await
    }

    async fn folding_range(&self, params: lsp::FoldingRangeParams) -> jsonrpc::Result<Option<Vec<lsp::FoldingRange>>> {
        let folds = |cx: &Cx<'_>| features::folding_ranges(cx.snap, cx.settings, &cx.flags);
        self.with_document("foldingRange", &params.text_document.uri, folds).await
    }

    async fn semantic_tokens_full(
        &self,
        params: lsp::SemanticTokensParams,
    ) -> jsonrpc::Result<Option<lsp::SemanticTokensResult>> {
        let tokens = |cx: &Cx<'_>| features::semantic_tokens(cx.snap, cx.settings, &cx.flags).into();
        self.with_document("semanticTokens", &params.text_document.uri, tokens).await
    }
}
