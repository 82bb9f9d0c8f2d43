//! A small LSP client for end-to-end tests: spawns the built `agentls lsp`, frames JSON-RPC with
//! Content-Length headers, matches responses to requests, answers the server's own requests, and
//! waits for notifications with a timeout so a broken server fails a test instead of hanging it.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// JSON-RPC and LSP error codes the tests check.
pub mod codes {
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    pub const SERVER_NOT_INITIALIZED: i64 = -32002;
}

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received but not yet consumed by a wait.
    pending: VecDeque<Value>,
    /// Every request the server sent us, in order (already answered).
    pub server_requests: Vec<Value>,
    /// Every notification received, in order, whether or not a wait consumed it.
    pub notifications: Vec<Value>,
    /// What to answer for each item of `workspace/configuration`.
    pub configuration: Value,
    stderr: Arc<Mutex<String>>,
}

impl Client {
    /// Spawns `agentls lsp`.
    pub fn spawn() -> Client {
        Client::spawn_env(&[])
    }

    /// Spawns `agentls lsp` with environment variables set (`Some`) or removed (`None`).
    pub fn spawn_env(vars: &[(&str, Option<&Path>)]) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_agentls"));
        for (k, v) in vars {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let mut child = cmd
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn agentls lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            rx,
            next_id: 1,
            pending: VecDeque::new(),
            server_requests: Vec::new(),
            notifications: Vec::new(),
            configuration: Value::Null,
            stderr,
        }
    }

    /// After the process ended: reads the rest of its output, so [`Client::notifications`] holds
    /// every notification it sent.
    pub fn drain(&mut self) {
        while let Ok(msg) = self.rx.recv_timeout(TIMEOUT) {
            if is_notification(&msg) {
                self.notifications.push(msg);
            }
        }
    }

    /// Forgets the notifications received but not yet consumed (stale ones, before an action
    /// whose effect a test then waits for).
    pub fn clear_pending(&mut self) {
        self.pending.clear();
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Writes one framed message.
    pub fn send(&mut self, msg: &Value) {
        self.send_raw(msg.to_string().as_bytes());
    }

    /// Writes any bytes as a message body (to test how the server copes with garbage).
    pub fn send_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(body).unwrap();
        stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error object)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(id)
    }

    /// Waits for the response with `id`, queueing notifications that arrive meanwhile.
    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self.recv(deadline).unwrap_or_else(|| panic!("no response to request {id}\n{}", self.stderr()));
            if msg.get("method").is_none() && msg["id"] == json!(id) {
                return match msg.get("error") {
                    Some(e) => Err(e.clone()),
                    None => Ok(msg["result"].clone()),
                };
            }
            if is_notification(&msg) {
                self.pending.push_back(msg);
            }
        }
    }

    /// The error code of a failed request.
    pub fn error_code(result: Result<Value, Value>) -> i64 {
        result.expect_err("expected an error")["code"].as_i64().unwrap()
    }

    /// Waits for a notification `method` whose params satisfy `pred`; earlier notifications that
    /// don't match stay queued for later waits.
    pub fn wait_notification_where(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.try_wait_notification_where(method, pred, TIMEOUT)
            .unwrap_or_else(|| panic!("no `{method}` notification within {TIMEOUT:?}\n{}", self.stderr()))
    }

    pub fn wait_notification(&mut self, method: &str) -> Value {
        self.wait_notification_where(method, |_| true)
    }

    /// Like [`Client::wait_notification_where`] but returns `None` after `timeout`.
    pub fn try_wait_notification_where(
        &mut self,
        method: &str,
        pred: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Option<Value> {
        if let Some(i) = self.pending.iter().position(|m| m["method"] == method && pred(&m["params"])) {
            return self.pending.remove(i).map(|m| m["params"].clone());
        }
        let deadline = Instant::now() + timeout;
        loop {
            let msg = self.recv(deadline)?;
            if !is_notification(&msg) {
                continue;
            }
            if msg["method"] == method && pred(&msg["params"]) {
                return Some(msg["params"].clone());
            }
            self.pending.push_back(msg);
        }
    }

    /// The next message from the server. Server→client requests are answered (and recorded in
    /// `server_requests`) before being returned.
    fn recv(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = self.rx.recv_timeout(left).ok()?;
        if is_notification(&msg) {
            self.notifications.push(msg.clone());
        }
        if msg.get("method").is_some() && msg.get("id").is_some() {
            let result = match msg["method"].as_str() {
                Some("workspace/configuration") => {
                    let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
                    Value::Array(vec![self.configuration.clone(); n])
                }
                _ => Value::Null,
            };
            let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": result});
            self.server_requests.push(msg.clone());
            self.send(&reply);
        }
        Some(msg)
    }

    /// Sends `initialize` with `capabilities` and `options`, then `initialized`; returns the result.
    pub fn initialize(&mut self, capabilities: Value, options: Value, root: Option<&Path>) -> Value {
        let folders = root.map(|r| json!([{"uri": file_uri(r), "name": "ws"}])).unwrap_or(Value::Null);
        let params = json!({
            "processId": null,
            "rootUri": root.map(file_uri),
            "workspaceFolders": folders,
            "capabilities": capabilities,
            "initializationOptions": options,
        });
        let result = self.request("initialize", params).expect("initialize succeeds");
        self.notify("initialized", json!({}));
        result
    }

    pub fn did_open(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
        );
    }

    /// Sends one `didChange` with several `(range, text)` changes (`range` null = whole text).
    pub fn did_change(&mut self, uri: &str, version: i32, changes: &[(Value, &str)]) {
        let changes: Vec<Value> = changes
            .iter()
            .map(
                |(range, text)| {
                    if range.is_null() {
                        json!({"text": text})
                    } else {
                        json!({"range": range, "text": text})
                    }
                },
            )
            .collect();
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn did_close(&mut self, uri: &str) {
        self.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    }

    /// The server's copy of a document via `agentls/documentText`: `(version, text)`.
    pub fn document_text(&mut self, uri: &str) -> (i64, String) {
        let r = self.request("agentls/documentText", json!({"textDocument": {"uri": uri}})).unwrap();
        (r["version"].as_i64().unwrap(), r["text"].as_str().unwrap().to_string())
    }

    /// Like [`Client::document_text`], `None` when the server does not have the document open.
    pub fn document_text_opt(&mut self, uri: &str) -> Option<(i64, String)> {
        let r = self.request("agentls/documentText", json!({"textDocument": {"uri": uri}})).unwrap();
        (!r.is_null()).then(|| (r["version"].as_i64().unwrap(), r["text"].as_str().unwrap().to_string()))
    }

    /// Waits for `publishDiagnostics` for `uri` (with `version`, if given).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Value {
        self.wait_notification_where("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && version.is_none_or(|v| p["version"] == v)
        })
    }

    /// Waits until the server has sent a request `method` (answered automatically); returns its
    /// params.
    pub fn wait_server_request(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(r) = self.server_requests.iter().find(|r| r["method"] == method) {
                return r["params"].clone();
            }
            match self.recv(deadline) {
                Some(msg) if is_notification(&msg) => self.pending.push_back(msg),
                Some(_) => {}
                None => panic!("no `{method}` request from the server within {TIMEOUT:?}\n{}", self.stderr()),
            }
        }
    }

    /// Waits for the process to end, killing it after `timeout`; `None` if it had to be killed.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `shutdown` then `exit`, with stdin left open (as some clients do); returns the exit code.
    pub fn shutdown_and_exit(&mut self) -> i32 {
        self.request("shutdown", Value::Null).expect("shutdown succeeds");
        self.notify("exit", Value::Null);
        self.wait_exit(TIMEOUT).expect("server exits after `exit`").code().unwrap()
    }

    /// Closes the server's stdin (end of input).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // Never leave a server running, whatever the test did.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn is_notification(msg: &Value) -> bool {
    msg.get("method").is_some() && msg.get("id").is_none()
}

/// Reads one Content-Length framed message; `None` at end of stream.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0u8; len?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A `file://` URI for a path (ASCII test paths need no escaping beyond spaces).
pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.to_string_lossy().replace(' ', "%20"))
}

/// Client capabilities close to what a modern editor sends. `utf8` offers UTF-8 positions;
/// `pull` announces pull diagnostics.
pub fn capabilities(utf8: bool, pull: bool) -> Value {
    let mut caps = json!({
        "general": {"positionEncodings": if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) }},
        "workspace": {
            "configuration": true,
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "diagnostics": {"refreshSupport": true},
        },
        "textDocument": {
            "synchronization": {"dynamicRegistration": false, "didSave": true},
            "completion": {"completionItem": {"snippetSupport": true, "tagSupport": {"valueSet": [1]}}},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "publishDiagnostics": {"versionSupport": true, "dataSupport": true},
        },
    });
    if pull {
        caps["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
    }
    caps
}

/// A workspace on disk with agent files, and a server initialized on it.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub client: Client,
}

impl Workspace {
    /// A temporary workspace and a server initialized with `capabilities` and `options`.
    pub fn new(capabilities: Value, options: Value) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let mut client = Client::spawn();
        client.initialize(capabilities, options, Some(dir.path()));
        Workspace { dir, client }
    }

    /// A UTF-16, push-diagnostics workspace with default settings.
    pub fn default_push() -> Workspace {
        Workspace::new(capabilities(false, false), Value::Null)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn uri(&self, rel: &str) -> String {
        file_uri(&self.path(rel))
    }

    /// Writes a file into the workspace (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Opens `rel` with `text` (version 1) and returns its URI and the first diagnostics.
    pub fn open(&mut self, rel: &str, text: &str) -> (String, Value) {
        let uri = self.uri(rel);
        self.client.did_open(&uri, 1, text);
        let diags = self.client.diagnostics(&uri, Some(1));
        (uri, diags)
    }
}

/// A document with a `$0` cursor marker: the text without the marker and the marker's position
/// (UTF-16 columns), for feature tests.
pub fn cursor(text_with_marker: &str) -> (String, Value) {
    let at = text_with_marker.find("$0").expect("fixture has a $0 marker");
    let text = text_with_marker.replacen("$0", "", 1);
    (text.clone(), utf16_position(&text, at))
}

/// The LSP position (UTF-16 columns) of byte `offset` in `text`.
pub fn utf16_position(text: &str, offset: usize) -> Value {
    position(text, offset, false)
}

/// The LSP position of byte `offset` in `text`, counting columns in UTF-8 bytes or UTF-16 units.
/// Lines end at `\n`, `\r\n` or `\r`. Written independently of the server's own conversion.
pub fn position(text: &str, offset: usize, utf8: bool) -> Value {
    let before = &text[..offset];
    let mut line = 0;
    let mut line_start = 0;
    // Look ahead in the whole text, so a `\r` just before `offset` sees a following `\n`.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < offset {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let col_text = &before[line_start..];
    let col = if utf8 { col_text.len() } else { col_text.encode_utf16().count() };
    json!({"line": line, "character": col})
}

pub fn range(start: Value, end: Value) -> Value {
    json!({"start": start, "end": end})
}
