//! The server's workspace index: every agent, skill, command and MCP configuration file of every
//! workspace folder, read in the background on the index thread after `initialized` (with
//! `$/progress` when the client shows it), then kept current from open buffers (which win over
//! the disk), watched-file events and workspace-folder changes. Whenever an update changes the
//! cross-file findings of other files (`Workspace::upsert` / `remove` say which), those files'
//! diagnostics are published again: an open document's in full, a closed file's cross-file
//! findings alone (cleared once it has none).
//!
//! With the `userScope` setting on, the user's own agent folders are read too, once when the
//! setting turns on (no watcher covers them), as a read-only layer (`workspace::user`): never
//! published, never edited. A file of those folders opened in the editor stays in that layer.
//!
//! The index is one `Workspace` behind a mutex held only for updates and lookups, never while
//! reading or parsing files, so requests are answered while indexing runs: the indexing adds files
//! a few at a time and hands the lock to a waiting request between groups (a fair unlock).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use parking_lot::{Mutex, MutexGuard};

use tower_lsp_server::ls_types as lsp;

use super::proto::{self, Lines};
use super::server::{Backend, Inner};
use super::store::{self, Snapshot};
use crate::analysis::{analyze, Settings};
use crate::diagnostic::Diagnostic;
use crate::text::LineIndex;
use crate::workspace::{self, FileFacts, FileKey, UserScope, Workspace};
use crate::{dialect, mcp};

/// Folders never indexed (dependencies and build output), besides what `.gitignore` excludes.
const SKIPPED_FOLDERS: [&str; 10] =
    [".git", ".hg", ".svn", "node_modules", "target", ".venv", "venv", "__pycache__", ".tox", ".cache"];

/// Files read per batch: each batch is parsed without the lock, then added under it at once.
const BATCH: usize = 256;

/// Files added to the index per hold of its lock while indexing (0.1 to 0.5 ms of work).
const LOCKED: usize = 32;

/// The id of the dynamic watcher registration for the files the index reads.
pub const WATCH_INDEX_ID: &str = "agentls-watch-index";

/// Globs of every file kind the index reads (agent files of each product, skills, commands and
/// MCP configuration files), for `workspace/didChangeWatchedFiles`.
pub const WATCH_GLOBS: [&str; 21] = [
    "**/.claude/agents/**/*.md",
    "**/.claude/skills/**/SKILL.md",
    "**/.claude/commands/**/*.md",
    "**/.claude/settings.json",
    "**/.claude/settings.local.json",
    "**/.factory/droids/*.md",
    "**/.factory/skills/**/SKILL.md",
    "**/.factory/commands/*.md",
    "**/.factory/mcp.json",
    "**/.github/agents/*.md",
    "**/.github/skills/**/SKILL.md",
    "**/*.prompt.md",
    "**/*.chatmode.md",
    "**/.opencode/{agent,agents}/**/*.md",
    "**/.opencode/{skill,skills}/**/SKILL.md",
    "**/{.copilot,.agent,.agents}/skills/**/SKILL.md",
    "**/.opencode/{command,commands}/**/*.md",
    "**/.mcp.json",
    "**/.vscode/mcp.json",
    "**/opencode.json",
    "**/opencode.jsonc",
];

/// The index and what the server tracks around it.
#[derive(Default)]
pub struct IndexState {
    pub ws: Workspace,
    /// Files open in the editor: their buffer's facts are in `ws`, and the disk is ignored.
    open: HashSet<String>,
    pub folders: Vec<PathBuf>,
    /// Closed files whose cross-file findings were published (to clear them when they go).
    shown: HashSet<FileKey>,
    /// Bumped on every change, so pulled diagnostics' result ids change with the index.
    pub revision: u64,
    /// The user scope, while the `userScope` setting is on and `$HOME` is known.
    pub user: Option<UserScope>,
}

#[derive(Default)]
pub struct Index(Mutex<IndexState>);

impl Index {
    pub fn lock(&self) -> MutexGuard<'_, IndexState> {
        self.0.lock()
    }
}

/// How the index names a file: its path as a string.
pub fn key_of(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// True for a file the index reads: an agent, skill or command file, or an MCP configuration.
pub fn is_indexed(path: &Path) -> bool {
    dialect::detect_by_path(path).is_some()
        || workspace::skill_name_from_path(path).is_some()
        || workspace::command_name_from_path(path).is_some()
        || mcp::config_source(path).is_some()
}

/// The facts of one file's text.
pub fn facts_of(path: &Path, text: &str, settings: &Settings) -> FileFacts {
    match mcp::config_source(path) {
        Some((src, root)) => {
            workspace::extract_config(src, &root.to_string_lossy(), text, settings.policy.for_file_shared(Some(path)))
        }
        None => workspace::extract(&analyze(text, Some(path), settings), path),
    }
}

/// Every indexed file under `folder`, honouring `.gitignore` (also outside a git checkout) and
/// skipping [`SKIPPED_FOLDERS`]; hidden folders are walked, as the agent folders are hidden.
/// The user's global git excludes are not read: the server reads nothing outside the workspace
/// but policy files (tests/lsp_safety.rs).
pub fn walk(folder: &Path) -> Vec<PathBuf> {
    let walker = ignore::WalkBuilder::new(folder)
        .hidden(false)
        .require_git(false)
        .git_global(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name().to_str().is_some_and(|n| SKIPPED_FOLDERS.contains(&n)))
        })
        .build();
    walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_indexed(e.path()))
        .map(|e| e.into_path())
        .collect()
}

/// Threads that read and parse files while indexing: all cores but one (at most four), so one
/// core stays free for the requests answered meanwhile. On two cores, reading on both took the
/// hover p99 during indexing from 1-2 ms to 3-4 ms, for 20% less indexing time (examples/indexbench).
fn readers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).saturating_sub(1).clamp(1, 4)
}

/// Reads and extracts `paths`, in order, on [`readers`] threads.
fn read_all(paths: &[PathBuf], facts: &(dyn Fn(&Path, &str) -> FileFacts + Sync)) -> Vec<(String, Option<FileFacts>)> {
    let one = |p: &PathBuf| (key_of(p), std::fs::read_to_string(p).ok().map(|t| facts(p, &t)));
    let threads = readers();
    if threads == 1 || paths.len() < 64 {
        return paths.iter().map(one).collect();
    }
    let part = paths.len().div_ceil(threads);
    std::thread::scope(|s| {
        let mut parts = paths.chunks(part);
        let first = parts.next().unwrap_or_default();
        let handles: Vec<_> = parts.map(|c| s.spawn(move || c.iter().map(one).collect::<Vec<_>>())).collect();
        let mut out: Vec<_> = first.iter().map(one).collect();
        for h in handles {
            out.extend(h.join().unwrap_or_default());
        }
        out
    })
}

fn uri_of(key: &str) -> Option<lsp::Uri> {
    lsp::Uri::from_file_path(key)
}

impl Backend {
    /// Indexes `folders` on the index thread: walks them, reads every file, reports progress,
    /// then publishes the files whose findings changed.
    pub(super) fn index_folders(&self, folders: Vec<PathBuf>) {
        let this = self.clone();
        self.indexer.run(move || this.run_index(folders));
    }

    fn progress(&self, token: &lsp::NumberOrString, value: lsp::WorkDoneProgress) {
        let params = lsp::ProgressParams { token: token.clone(), value: lsp::ProgressParamsValue::WorkDone(value) };
        self.runtime.block_on(self.client.send_notification::<lsp::notification::Progress>(params));
    }

    /// Creates a progress token (waiting for the client's answer, at most two seconds).
    fn create_progress(&self, n: usize) -> Option<lsp::NumberOrString> {
        if !self.flags().work_done_progress {
            return None;
        }
        let token = lsp::NumberOrString::String(format!("agentls-index-{n}"));
        let (tx, rx) = std::sync::mpsc::channel();
        let client = self.client.clone();
        let params = lsp::WorkDoneProgressCreateParams { token: token.clone() };
        self.runtime.spawn(async move {
            let r = client.send_request::<lsp::request::WorkDoneProgressCreate>(params).await;
            let _ = tx.send(r.is_ok());
        });
        rx.recv_timeout(std::time::Duration::from_secs(2)).ok().filter(|ok| *ok).map(|_| token)
    }

    fn run_index(&self, folders: Vec<PathBuf>) {
        let (n, user) = {
            let mut st = self.index.lock();
            for f in &folders {
                if !st.folders.contains(f) {
                    st.folders.push(f.clone());
                }
            }
            (st.revision, st.user.clone())
        };
        let token = self.create_progress(n as usize);
        if let Some(t) = &token {
            self.progress(
                t,
                lsp::WorkDoneProgress::Begin(lsp::WorkDoneProgressBegin {
                    title: "agentls: indexing".into(),
                    cancellable: Some(false),
                    message: Some("finding agent files".into()),
                    percentage: Some(0),
                }),
            );
        }
        // A file of the user scope inside a workspace folder stays in the user layer.
        let paths: Vec<PathBuf> = folders
            .iter()
            .flat_map(|f| walk(f))
            .filter(|p| user.as_ref().is_none_or(|u| u.folder_of(p).is_none()))
            .collect();
        let total = paths.len();
        // Room for every file at once: the tables then never grow (rehashing every file under the lock).
        self.index.lock().ws.reserve(total);
        let mut done = 0;
        for chunk in paths.chunks(BATCH) {
            let read = read_all(chunk, &|p, t| self.facts_for(None, p, t));
            // Added a few files at a time: a request waiting for the lock (hover reads the MCP
            // servers from the index) waits for one small group, not for the whole batch.
            let mut read = read.into_iter().peekable();
            while read.peek().is_some() {
                let mut st = self.index.lock();
                for (k, f) in read.by_ref().take(LOCKED) {
                    if st.open.contains(&k) {
                        continue;
                    }
                    match f {
                        Some(f) => drop(st.ws.upsert(&k, f)),
                        None => drop(st.ws.remove(&k)),
                    }
                }
                st.revision += 1;
                // Handed to a waiting request, if any: this thread would otherwise take the lock
                // again before the woken request runs, group after group.
                MutexGuard::unlock_fair(st);
            }
            done += chunk.len();
            if let Some(t) = &token {
                self.progress(
                    t,
                    lsp::WorkDoneProgress::Report(lsp::WorkDoneProgressReport {
                        cancellable: Some(false),
                        message: Some(format!("{done}/{total} files")),
                        percentage: Some((done * 100 / total.max(1)) as u32),
                    }),
                );
            }
        }
        if let Some(t) = &token {
            self.progress(
                t,
                lsp::WorkDoneProgress::End(lsp::WorkDoneProgressEnd {
                    message: Some(format!("{total} files indexed")),
                }),
            );
        }
        self.runtime.block_on(self.publish_dirty());
    }

    /// Applies file events from disk on the index thread (an open buffer wins over the disk).
    pub(super) fn disk_changes(&self, changes: Vec<(PathBuf, lsp::FileChangeType)>) {
        let this = self.clone();
        self.indexer.run(move || {
            for (path, typ) in changes {
                let key = key_of(&path);
                if typ == lsp::FileChangeType::DELETED || !path.exists() {
                    let mut st = this.index.lock();
                    if st.open.contains(&key) {
                        continue;
                    }
                    // A folder: everything under it goes.
                    let prefix = format!("{key}/");
                    let gone: Vec<FileKey> = st
                        .ws
                        .files()
                        .map(|(k, _)| k.clone())
                        .filter(|k| **k == *key || k.starts_with(&prefix))
                        .collect();
                    for k in gone {
                        st.ws.remove(&k);
                    }
                    st.revision += 1;
                    continue;
                }
                let user = this.index.lock().user.clone();
                let paths = if path.is_dir() { walk(&path) } else { vec![path] };
                let paths: Vec<PathBuf> = paths.into_iter().filter(|p| is_indexed(p)).collect();
                let read = read_all(&paths, &|p, t| this.facts_for(user.as_ref(), p, t));
                let mut st = this.index.lock();
                for (k, f) in read {
                    if let (false, Some(f)) = (st.open.contains(&k), f) {
                        st.ws.upsert(&k, f);
                    }
                }
                st.revision += 1;
            }
            this.runtime.block_on(this.publish_dirty());
        });
    }

    /// Forgets the files of removed workspace folders, on the index thread.
    pub(super) fn remove_folders(&self, folders: Vec<PathBuf>) {
        let this = self.clone();
        self.indexer.run(move || {
            {
                let mut st = this.index.lock();
                st.folders.retain(|f| !folders.contains(f));
                let gone: Vec<FileKey> = st
                    .ws
                    .files()
                    .map(|(k, _)| k.clone())
                    .filter(|k| folders.iter().any(|f| Path::new(&**k).starts_with(f)))
                    .filter(|k| !st.open.contains(&**k))
                    .collect();
                for k in &gone {
                    st.ws.remove(k);
                    st.ws.take_dirty();
                }
                st.revision += 1;
                let shown: Vec<FileKey> = gone.into_iter().filter(|k| st.shown.remove(k)).collect();
                drop(st);
                for k in shown {
                    if let Some(u) = uri_of(&k) {
                        this.runtime.block_on(this.client.publish_diagnostics(u, Vec::new(), None));
                    }
                }
            }
            this.runtime.block_on(this.publish_dirty());
        });
    }

    /// Puts an open buffer's facts into the index (when the file is of a kind the index reads).
    /// Returns the other files whose findings changed.
    pub(super) fn index_open(&self, snap: &Snapshot) -> Vec<FileKey> {
        let Some(path) = snap.path.as_deref() else { return Vec::new() };
        let user = self.index.lock().user.clone();
        let in_user = user.as_ref().is_some_and(|u| u.folder_of(path).is_some());
        if !in_user && !is_indexed(path) {
            return Vec::new();
        }
        let key = key_of(path);
        let facts = if in_user || mcp::config_source(path).is_some() {
            self.facts_for(user.as_ref(), path, &snap.text)
        } else {
            snap.with_analysis(&self.settings_of(path), |a| workspace::extract(a, path))
        };
        let mut st = self.index.lock();
        st.open.insert(key.clone());
        st.shown.remove(&*key);
        let mut affected = st.ws.upsert(&key, facts);
        st.ws.take_dirty();
        st.revision += 1;
        drop(st);
        affected.retain(|k| **k != *key);
        if mcp::config_source(path).is_some() {
            // Its servers are part of other files' effective tool sets.
            self.refresh_views();
        }
        affected
    }

    /// A document was closed: its disk version replaces the buffer. Returns the files to publish.
    pub(super) fn index_closed(&self, path: &Path) -> Vec<FileKey> {
        let user = self.index.lock().user.clone();
        if !is_indexed(path) && user.as_ref().is_none_or(|u| u.folder_of(path).is_none()) {
            return Vec::new();
        }
        let key = key_of(path);
        let facts = std::fs::read_to_string(path).ok().map(|t| self.facts_for(user.as_ref(), path, &t));
        let mut st = self.index.lock();
        st.open.remove(&key);
        let affected = match facts {
            Some(f) => st.ws.upsert(&key, f),
            None => st.ws.remove(&key),
        };
        st.ws.take_dirty();
        st.revision += 1;
        affected
    }

    /// Brings the index in line with the `userScope` setting, on the index thread: reads the
    /// user scope's files when it turned on, drops them when it turned off (a file of those
    /// folders that is open, or inside a workspace folder, then counts as a project file again).
    pub(super) fn sync_user_scope(&self) {
        let this = self.clone();
        self.indexer.run(move || {
            let want = this.session.config().user_scope;
            if want == this.index.lock().user.is_some() {
                return;
            }
            let message = if want { this.read_user_scope() } else { this.drop_user_scope() };
            this.runtime.block_on(this.log(lsp::MessageType::INFO, message));
            this.runtime.block_on(this.publish_dirty());
        });
    }

    fn read_user_scope(&self) -> String {
        let Some(scope) = UserScope::from_env() else {
            return "userScope is on, but $HOME is not set: no user-level agents are read".into();
        };
        let files = crate::engine::user_files(&scope);
        let read: Vec<(String, FileFacts)> = files
            .iter()
            .filter_map(|(p, folder)| {
                let text = self.open_text(p).or_else(|| std::fs::read_to_string(p).ok())?;
                Some((key_of(p), scope.facts(folder, p, &text)))
            })
            .collect();
        let n = read.len();
        let folders: Vec<String> = scope.folders.iter().map(|f| scope.display(&f.dir)).collect();
        let mut st = self.index.lock();
        st.ws.set_user_scope(true);
        // A file that was a project file before (shown findings included) is republished as dirty:
        // its cross-file findings go.
        for (k, f) in read {
            st.ws.upsert(&k, f);
        }
        st.user = Some(scope);
        st.revision += 1;
        format!("user scope: {n} user-level agent file(s) read from {}", folders.join(", "))
    }

    fn drop_user_scope(&self) -> String {
        let (gone, folders) = {
            let mut st = self.index.lock();
            st.user = None;
            st.ws.set_user_scope(false);
            let gone: Vec<FileKey> = st.ws.files().filter(|(_, f)| f.user.is_some()).map(|(k, _)| k.clone()).collect();
            for k in &gone {
                st.ws.remove(k);
            }
            st.revision += 1;
            (gone, st.folders.clone())
        };
        let n = gone.len();
        let back: Vec<(FileKey, FileFacts)> = gone
            .into_iter()
            .filter_map(|k| {
                let p = Path::new(&*k);
                let open = self.open_text(p);
                if !is_indexed(p) || (open.is_none() && !folders.iter().any(|f| p.starts_with(f))) {
                    return None;
                }
                let text = open.or_else(|| std::fs::read_to_string(p).ok())?;
                Some((k.clone(), self.facts_for(None, p, &text)))
            })
            .collect();
        let mut st = self.index.lock();
        for (k, f) in back {
            st.ws.upsert(&k, f);
        }
        format!("user scope off: {n} user-level agent file(s) dropped")
    }

    /// Publishes every file the index marked dirty.
    async fn publish_dirty(&self) {
        let dirty = self.index.lock().ws.take_dirty();
        self.publish_files(dirty).await;
        self.refresh_views();
    }

    /// Publishes the diagnostics of `keys`: open documents in full, closed files their
    /// cross-file findings (an empty list once a file that showed some has none).
    pub(super) async fn publish_files(&self, keys: Vec<FileKey>) {
        if keys.is_empty() {
            return;
        }
        if self.flags().pull_diagnostics {
            if self.flags().diagnostic_refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        for k in keys {
            let Some(uri) = uri_of(&k) else { continue };
            if let Some(snap) = self.store.get(&uri) {
                self.publish(snap).await;
                continue;
            }
            let found = {
                let st = self.index.lock();
                let d = crate::rules::workspace::check(&st.ws, &k);
                (!d.is_empty() || st.shown.contains(&k)).then_some(d)
            };
            let Some(found) = found else { continue };
            let diags = match std::fs::read_to_string(&*k) {
                Ok(text) if !found.is_empty() => {
                    let index = LineIndex::new(&text);
                    let lines = Lines { text: &text, index: &index, enc: self.flags().encoding };
                    self.convert_cross(&lines, &found)
                }
                _ => Vec::new(),
            };
            {
                let mut st = self.index.lock();
                if diags.is_empty() {
                    st.shown.remove(&k);
                } else {
                    st.shown.insert(k.clone());
                }
            }
            self.client.publish_diagnostics(uri, diags, None).await;
        }
    }
}

impl Inner {
    /// The current text of an indexed file: the open buffer's, else the disk's.
    pub(super) fn text_of(&self, key: &str) -> Option<String> {
        if let Some(s) = uri_of(key).and_then(|u| self.store.get(&u)) {
            return Some(s.text.clone());
        }
        std::fs::read_to_string(key).ok()
    }

    fn settings_of(&self, path: &Path) -> Settings {
        self.session.settings_quiet(path)
    }

    /// The text of an open document at `path`.
    fn open_text(&self, path: &Path) -> Option<String> {
        uri_of(&key_of(path)).and_then(|u| self.store.get(&u)).map(|s| s.text.clone())
    }

    /// The facts of a file's text: in the user layer when `user` holds it, else as the project
    /// file (or MCP configuration) it is.
    fn facts_for(&self, user: Option<&UserScope>, path: &Path, text: &str) -> FileFacts {
        match user.and_then(|u| Some((u, u.folder_of(path)?))) {
            Some((u, folder)) => u.facts(folder, path, text),
            None => facts_of(path, text, &self.settings_of(path)),
        }
    }

    /// The cross-file findings of an open document, as LSP diagnostics.
    pub(super) fn cross_diagnostics(&self, snap: &Snapshot) -> Vec<lsp::Diagnostic> {
        let Some(path) = snap.path.as_deref().filter(|p| is_indexed(p)) else { return Vec::new() };
        let found = crate::rules::workspace::check(&self.index.lock().ws, &key_of(path));
        if found.is_empty() {
            return Vec::new();
        }
        self.convert_cross(&snap.lines(self.flags().encoding), &found)
    }

    /// Converts cross-file findings, with their related locations in the other files.
    fn convert_cross(&self, lines: &Lines, found: &[Diagnostic]) -> Vec<lsp::Diagnostic> {
        found
            .iter()
            .map(|d| {
                let mut out = proto::to_diagnostic(lines, d, 0);
                let related: Vec<lsp::DiagnosticRelatedInformation> = d
                    .related
                    .iter()
                    .filter_map(|r| {
                        let uri = uri_of(&r.path)?;
                        let text = if r.span.is_empty() { String::new() } else { self.text_of(&r.path)? };
                        let index = LineIndex::new(&text);
                        let l = Lines { text: &text, index: &index, enc: lines.enc };
                        Some(proto::related(uri, &l, &r.span, &r.message))
                    })
                    .collect();
                out.related_information = (!related.is_empty()).then_some(related);
                out
            })
            .collect()
    }

    /// The MCP servers the index knows for a document (for its effective tool set); empty when
    /// the document is not indexed.
    pub(super) fn mcp_servers_of(&self, uri: &lsp::Uri) -> Vec<crate::ide::McpServerInfo> {
        let Some(path) = store::path_of(uri).filter(|p| is_indexed(p)) else { return Vec::new() };
        let key = key_of(&path);
        self.with_index(|ws| crate::ide::mcp_servers(ws, &key))
    }

    /// Asks the client to redraw inlay hints and code lenses (the effective tool sets read the
    /// index's MCP servers), when it accepts such requests. In a task of its own: nothing waits.
    pub(super) fn refresh_views(&self) {
        let flags = self.flags();
        let client = self.client.clone();
        if flags.inlay_hint_refresh {
            let c = client.clone();
            self.runtime.spawn(async move {
                let _ = c.inlay_hint_refresh().await;
            });
        }
        if flags.code_lens_refresh {
            self.runtime.spawn(async move {
                let _ = client.code_lens_refresh().await;
            });
        }
    }

    /// Index lookups for requests: runs `f` on the index under its lock.
    pub(super) fn with_index<T>(&self, f: impl FnOnce(&Workspace) -> T) -> T {
        f(&self.index.lock().ws)
    }
}

/// The folders of `initialize`: every workspace folder, else the root URI.
pub fn initial_folders(params: &lsp::InitializeParams) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> =
        params.workspace_folders.iter().flatten().filter_map(|f| store::path_of(&f.uri)).collect();
    if !folders.is_empty() {
        return folders;
    }
    #[allow(deprecated)]
    params.root_uri.as_ref().and_then(store::path_of).into_iter().collect()
}
