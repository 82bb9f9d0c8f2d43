//! End-to-end latency and memory of the language server, measured from the client's side:
//!
//! ```sh
//! cargo build --release && cargo run --release --example lspbench [-- --server PATH] [--runs N] [--only-big | --only-seed] [--big-bytes N]
//! ```
//!
//! It starts `agentls lsp` (by default the `agentls` binary next to this example's target folder,
//! i.e. `target/release/agentls`) over stdio and reports, as p50 / p99 / max:
//! - the time from process start to the `initialize` response (fresh processes);
//! - edit → `publishDiagnostics` (matched on the document version) while replaying a typing session
//!   on the seed droid: a tool name typed into the `tools` list (with a typo and its correction),
//!   the description extended, a bullet typed into the body and a paragraph typed at its end, one
//!   character per `didChange`, each sent after the previous one's diagnostics arrived;
//! - completion and hover round trips on the seed;
//! - peak memory (VmHWM) with 100 generated agent files open;
//! - open → diagnostics and edit → diagnostics on a large droid, 1 MiB by default (`--big-bytes N`
//!   sets its size; `--only-big` runs just this part, `--runs` times, each in a fresh server).
//!
//! `--only-seed` runs just the typing session with completion and hover, `--runs` times, each in
//! a fresh server, and reports the pooled latencies (for comparing two servers on a noisy machine).
//!
//! The client advertises no pull diagnostics (so the server pushes), no `workspace/configuration`
//! and no file watching, and speaks UTF-16 positions like most editors.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long to wait for any single answer before declaring the server stuck.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A running server and the client's end of its pipes.
struct Server {
    child: Child,
    stdin: ChildStdin,
    /// Raw message bodies with the instant their last byte was read.
    rx: Receiver<(Instant, Vec<u8>)>,
    next_id: i64,
    /// When the process was spawned.
    started: Instant,
}

fn frame(msg: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(msg).expect("JSON encodes");
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

/// Reads framed messages until the pipe closes; stamps each when fully read, before parsing, so
/// the client's JSON decoding is not counted as server latency.
fn reader(stdout: impl Read, tx: mpsc::Sender<(Instant, Vec<u8>)>) {
    let mut r = BufReader::new(stdout);
    let mut line = String::new();
    loop {
        let mut len = None;
        loop {
            line.clear();
            match r.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("Content-Length:") {
                len = v.trim().parse::<usize>().ok();
            }
        }
        let Some(len) = len else { return };
        let mut body = vec![0; len];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        if tx.send((Instant::now(), body)).is_err() {
            return;
        }
    }
}

impl Server {
    fn spawn(bin: &Path) -> Server {
        let started = Instant::now();
        let mut child = Command::new(bin)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || reader(stdout, tx));
        Server { child, stdin, rx, next_id: 1, started }
    }

    fn write(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).and_then(|()| self.stdin.flush()).expect("server stdin open");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.write(&frame(&json!({"jsonrpc": "2.0", "method": method, "params": params})));
    }

    /// The next message; answers requests from the server on the way (with `null`).
    fn recv(&mut self) -> (Instant, Value) {
        loop {
            let (t, body) = match self.rx.recv_timeout(TIMEOUT) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => panic!("the server did not answer within {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            };
            let v: Value = serde_json::from_slice(&body).expect("server sends JSON");
            if v.get("method").is_some() && v.get("id").is_some() {
                let reply = json!({"jsonrpc": "2.0", "id": v["id"], "result": null});
                self.write(&frame(&reply));
                continue;
            }
            return (t, v);
        }
    }

    /// Sends a request and waits for its response: (result, round-trip time).
    fn request(&mut self, method: &str, params: Value) -> (Value, Duration) {
        let id = self.next_id;
        self.next_id += 1;
        let bytes = frame(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let t0 = Instant::now();
        self.write(&bytes);
        loop {
            let (t, v) = self.recv();
            if v.get("id").and_then(Value::as_i64) == Some(id) && v.get("method").is_none() {
                return (v.get("result").cloned().unwrap_or(Value::Null), t - t0);
            }
        }
    }

    /// Waits for the diagnostics of `uri` at `version`; returns when they arrived.
    fn diagnostics(&mut self, uri: &str, version: i64) -> (Instant, usize) {
        loop {
            let (t, v) = self.recv();
            if v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && v["params"]["version"].as_i64() == Some(version)
            {
                return (t, v["params"]["diagnostics"].as_array().map_or(0, Vec::len));
            }
        }
    }

    /// Waits for the diagnostics of every one of `uris` at `version`, in whatever order they come.
    fn diagnostics_of_all(&mut self, uris: &[String], version: i64) {
        let mut waiting: std::collections::HashSet<&str> = uris.iter().map(String::as_str).collect();
        while !waiting.is_empty() {
            let (_, v) = self.recv();
            if v["method"] == "textDocument/publishDiagnostics" && v["params"]["version"].as_i64() == Some(version) {
                if let Some(u) = v["params"]["uri"].as_str() {
                    waiting.remove(u);
                }
            }
        }
    }

    /// `initialize` + `initialized`; returns the time from spawn to the response.
    fn initialize(&mut self, root: &Path) -> Duration {
        let root_uri = uri(root);
        let params = json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "bench"}],
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {
                    "synchronization": {"didSave": true},
                    "publishDiagnostics": {"versionSupport": true, "relatedInformation": true},
                    "completion": {"completionItem": {"snippetSupport": true}},
                    "hover": {"contentFormat": ["markdown", "plaintext"]}
                }
            }
        });
        let id = self.next_id;
        self.next_id += 1;
        self.write(&frame(&json!({"jsonrpc": "2.0", "id": id, "method": "initialize", "params": params})));
        let started = self.started;
        loop {
            let (t, v) = self.recv();
            if v.get("id").and_then(Value::as_i64) == Some(id) {
                assert!(v.get("result").is_some(), "initialize failed: {v}");
                self.notify("initialized", json!({}));
                return t - started;
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        let doc = json!({"uri": uri, "languageId": "markdown", "version": 0, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": doc}));
    }

    /// Peak resident memory (VmHWM) in KiB, from /proc (Linux only).
    fn peak_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// An LSP position (UTF-16 columns) of a byte offset.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// A document the client edits, keeping its own copy of the text.
struct Doc {
    uri: String,
    text: String,
    version: i64,
}

impl Doc {
    /// Replaces `range` with `new`, sends the change and waits for the matching diagnostics.
    fn edit(&mut self, server: &mut Server, range: std::ops::Range<usize>, new: &str) -> Duration {
        let start = position(&self.text, range.start);
        let end = position(&self.text, range.end);
        self.text.replace_range(range, new);
        self.version += 1;
        let params = json!({
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [{"range": {"start": start, "end": end}, "text": new}]
        });
        let bytes = frame(&json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": params}));
        let t0 = Instant::now();
        server.write(&bytes);
        let (t, _) = server.diagnostics(&self.uri.clone(), self.version);
        t - t0
    }

    /// Types `s` one character at a time at byte `at`; returns the offset after it.
    fn type_at(&mut self, server: &mut Server, mut at: usize, s: &str, out: &mut Vec<Duration>) -> usize {
        for c in s.chars() {
            let mut buf = [0; 4];
            out.push(self.edit(server, at..at, c.encode_utf8(&mut buf)));
            at += c.len_utf8();
        }
        at
    }

    /// Deletes `n` characters before byte `at`, one backspace at a time; returns the new offset.
    fn backspace(&mut self, server: &mut Server, mut at: usize, n: usize, out: &mut Vec<Duration>) -> usize {
        for _ in 0..n {
            let prev = self.text[..at].chars().next_back().map_or(0, char::len_utf8);
            out.push(self.edit(server, at - prev..at, ""));
            at -= prev;
        }
        at
    }
}

/// p50, p99 and max of a sample, in milliseconds.
struct Stats {
    n: usize,
    p50: f64,
    p99: f64,
    max: f64,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let at = |p: f64| ms(v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]);
    Stats { n: v.len(), p50: at(0.50), p99: at(0.99), max: ms(*v.last().expect("a non-empty sample")) }
}

fn row(what: &str, s: &Stats, target: &str) {
    println!("| {what} | {} | {:.3} | {:.3} | {:.3} | {target} |", s.n, s.p50, s.p99, s.max);
}

struct Args {
    server: PathBuf,
    runs: usize,
    /// Runs only the large droid section (for profiling the large-file path).
    only_big: bool,
    /// Runs only the seed's typing session with completion and hover, `runs` times.
    only_seed: bool,
    /// Size of the large droid.
    big_bytes: usize,
}

/// The size of the large droid by default: agent files are kilobytes, so 1 MiB is already far
/// past any real one.
const BIG_BYTES: usize = 1 << 20;

/// "1 MB", "5 MB", "300 KB": the large droid's size for the report.
fn size_label(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.0} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    }
}

/// The open → diagnostics target at this size: 50 ms up to 1 MiB, 100 ms above.
fn open_target(bytes: usize) -> &'static str {
    if bytes <= BIG_BYTES {
        "≤ 50 ms"
    } else {
        "≤ 100 ms"
    }
}

fn parse_args() -> Result<Args, String> {
    // The example lives in <target>/release/examples/; the server binary in <target>/release/.
    let default = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.join("agentls")))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("target/release/agentls"));
    let mut args = Args { server: default, runs: 20, only_big: false, only_seed: false, big_bytes: BIG_BYTES };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--server" => args.server = it.next().ok_or("--server needs a path")?.into(),
            "--runs" => args.runs = it.next().and_then(|s| s.parse().ok()).ok_or("--runs needs a number")?,
            "--only-big" => args.only_big = true,
            "--only-seed" => args.only_seed = true,
            "--big-bytes" => {
                args.big_bytes = it.next().and_then(|s| s.parse().ok()).ok_or("--big-bytes needs a number")?
            }
            _ => {
                return Err(format!(
                    "unknown argument {a}; usage: lspbench [--server PATH] [--runs N] [--only-big | --only-seed] [--big-bytes N]"
                ))
            }
        }
    }
    Ok(args)
}

/// A scratch workspace, removed on drop.
struct Workspace(PathBuf);

impl Workspace {
    fn new() -> Workspace {
        let dir = std::env::temp_dir().join(format!("agentls-lspbench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        Workspace(dir)
    }

    /// Writes a file (servers may look at the disk) and returns its absolute path.
    fn put(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().expect("a file has a parent")).expect("temp dir is writable");
        std::fs::write(&p, text).expect("temp dir is writable");
        p
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn find(text: &str, needle: &str) -> usize {
    text.find(needle).unwrap_or_else(|| panic!("the seed contains {needle:?}"))
}

/// The typing session on the seed; returns the edit latencies and the server's final text check.
fn typing_session(server: &mut Server, doc: &mut Doc) -> Vec<Duration> {
    let mut lat = Vec::new();
    // 1. A tool typed into the flow list, then a mistyped one corrected.
    let at = find(&doc.text, "\"GenerateDroid\"") + "\"GenerateDroid\"".len();
    let at = doc.type_at(server, at, ", \"ApplyPatch\"", &mut lat);
    let at = doc.type_at(server, at, ", \"Grpe", &mut lat);
    let at = doc.backspace(server, at, 3, &mut lat);
    doc.type_at(server, at, "rep\"", &mut lat);
    // 2. The description extended at its end.
    let at = find(&doc.text, "\nmodel:");
    doc.type_at(server, at, " Prefers small, reviewed changes that come with tests.", &mut lat);
    // 3. A bullet typed into the middle of the body.
    let at = find(&doc.text, "\n### Microservices Architecture\n") + 1;
    doc.type_at(server, at, "- **Idempotency keys**: Store keys per client, expire them after a day.\n\n", &mut lat);
    // 4. A paragraph typed at the end, mentioning tools as prose does.
    let end = doc.text.len();
    doc.type_at(
        server,
        end,
        "\n## Working Style\n\nYou make small, well-tested changes and explain every trade-off in plain words. \
         Before editing, use Grep and Read to find the code involved; after editing, run the tests with \
         Execute and report what changed, what you checked and what remains uncertain. Never guess an API: \
         read its definition first. When a change touches security, say so in the summary.\n",
        &mut lat,
    );
    lat
}

/// The typing session on the seed droid in a fresh server, then completion and hover round trips
/// on the edited text. Returns the edit, completion and hover latencies and the peak memory.
fn seed_session(bin: &Path, ws: &Workspace) -> (Vec<Duration>, Vec<Duration>, Vec<Duration>, Option<u64>) {
    let mut server = Server::spawn(bin);
    server.initialize(&ws.0);
    let path = ws.put(".factory/droids/senior-backend-developer.md", corpus::SEED);
    let mut doc = Doc { uri: uri(&path), text: corpus::SEED.to_string(), version: 0 };
    server.open(&doc.uri, &doc.text);
    let (_, n) = server.diagnostics(&doc.uri, 0);
    eprintln!("seed opened: {n} diagnostics");
    let lat = typing_session(&mut server, &mut doc);
    let (remote, _) = server.request("agentls/documentText", json!({"textDocument": {"uri": doc.uri}}));
    if let Some(t) = remote.get("text").and_then(Value::as_str) {
        assert_eq!(t, doc.text, "the server's copy of the document diverged from the client's");
    }

    // Completion and hover round trips on the edited seed.
    let text = doc.text.clone();
    let complete_at =
        [find(&text, "\"Read\"") + 3, find(&text, "\nmodel:") + 1, find(&text, "\"ApplyPatch\"") + 1, text.len()];
    let hover_at = [find(&text, "\ndescription:") + 3, find(&text, "\"Grep\"") + 2, find(&text, "\nmodel: ") + 10];
    let (mut comp, mut hov) = (Vec::new(), Vec::new());
    let (mut items, mut hovers) = (0, 0);
    for i in 0..200 {
        let pos = position(&text, complete_at[i % complete_at.len()]);
        let (r, d) =
            server.request("textDocument/completion", json!({"textDocument": {"uri": doc.uri}, "position": pos}));
        items += r.as_array().or_else(|| r["items"].as_array()).map_or(0, Vec::len);
        comp.push(d);
        let pos = position(&text, hover_at[i % hover_at.len()]);
        let (r, d) = server.request("textDocument/hover", json!({"textDocument": {"uri": doc.uri}, "position": pos}));
        hovers += usize::from(!r.is_null());
        hov.push(d);
    }
    eprintln!("completion: {items} items in 200 requests; hover: {hovers} of 200 answered");
    let peak = server.peak_kib();
    server.stop();
    (lat, comp, hov, peak)
}

/// A droid of about `bytes` bytes: open → diagnostics, then edits in the middle of the body.
/// Returns the open latency, the edit latencies and the server's peak memory.
fn big_droid(bin: &Path, ws: &Workspace, bytes: usize) -> (Duration, Vec<Duration>, Option<u64>) {
    let mut server = Server::spawn(bin);
    server.initialize(&ws.0);
    let big = corpus::big_body(bytes);
    let path = ws.put(".factory/droids/big.md", &big);
    let mut doc = Doc { uri: uri(&path), text: big, version: 0 };
    let open_bytes = frame(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": doc.uri, "languageId": "markdown", "version": 0, "text": doc.text}}}));
    let t0 = Instant::now();
    server.write(&open_bytes);
    let (t, _) = server.diagnostics(&doc.uri, 0);
    let open_big = t - t0;
    let mut edits = Vec::new();
    let mid = doc.text.len() / 2;
    let mid = (mid..doc.text.len()).find(|&i| doc.text.as_bytes()[i] == b'\n').unwrap_or(mid);
    doc.type_at(&mut server, mid, "\nA new line.", &mut edits);
    let big_peak = server.peak_kib();
    server.stop();
    (open_big, edits, big_peak)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("lspbench: {e}");
            return ExitCode::from(2);
        }
    };
    if !args.server.is_file() {
        eprintln!(
            "lspbench: no server at {}; run `cargo build --release` first or pass --server",
            args.server.display()
        );
        return ExitCode::from(2);
    }
    let ws = Workspace::new();
    println!("server: {}", args.server.display());
    println!();
    println!("| measure | n | p50 ms | p99 ms | max ms | target |");
    println!("|---|---:|---:|---:|---:|---|");
    let size = size_label(args.big_bytes);
    if args.only_big {
        let mut opens = Vec::new();
        let mut all_edits = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..args.runs {
            let (open, edits, peak) = big_droid(&args.server, &ws, args.big_bytes);
            opens.push(open);
            all_edits.extend(edits);
            peaks.extend(peak);
        }
        row(&format!("open → diagnostics, {size} droid"), &stats(opens), open_target(args.big_bytes));
        row(&format!("edit → diagnostics, {size} droid"), &stats(all_edits), "≤ 100 ms");
        if let (Some(lo), Some(hi)) = (peaks.iter().min(), peaks.iter().max()) {
            let mib = |k: u64| k as f64 / 1024.0;
            println!();
            println!("peak memory (VmHWM), {size} droid open and edited: {:.1}–{:.1} MiB", mib(*lo), mib(*hi));
        }
        return ExitCode::SUCCESS;
    }
    if args.only_seed {
        let (mut lat, mut comp, mut hov) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..args.runs {
            let (l, c, h, _) = seed_session(&args.server, &ws);
            lat.extend(l);
            comp.extend(c);
            hov.extend(h);
        }
        row("edit → diagnostics, seed (typing session)", &stats(lat), "p99 ≤ 1 ms");
        row("completion, seed", &stats(comp), "p99 ≤ 0.5 ms");
        row("hover, seed", &stats(hov), "p99 ≤ 0.5 ms");
        return ExitCode::SUCCESS;
    }

    // Startup: fresh processes, from spawn to the initialize response.
    let mut startup = Vec::new();
    for _ in 0..args.runs {
        let mut s = Server::spawn(&args.server);
        startup.push(s.initialize(&ws.0));
        s.stop();
    }
    row("process start → initialize response", &stats(startup), "≤ 10 ms");

    let (lat, comp, hov, seed_peak) = seed_session(&args.server, &ws);
    row("edit → diagnostics, seed (typing session)", &stats(lat), "p99 ≤ 1 ms");
    row("completion, seed", &stats(comp), "p99 ≤ 0.5 ms");
    row("hover, seed", &stats(hov), "p99 ≤ 0.5 ms");

    // Memory with 100 open agent files of the four dialects.
    let mut server = Server::spawn(&args.server);
    server.initialize(&ws.0);
    let files = corpus::corpus(100, 2);
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let uris: Vec<String> = files.iter().map(|f| uri(&ws.put(&f.path, &f.text))).collect();
    for (u, f) in uris.iter().zip(&files) {
        server.open(u, &f.text);
    }
    server.diagnostics_of_all(&uris, 0);
    let open100_peak = server.peak_kib();
    server.stop();

    let (open_big, edits, big_peak) = big_droid(&args.server, &ws, args.big_bytes);
    row(&format!("open → diagnostics, {size} droid"), &stats(vec![open_big]), open_target(args.big_bytes));
    row(&format!("edit → diagnostics, {size} droid"), &stats(edits), "≤ 100 ms");

    println!();
    let mib = |k: Option<u64>| k.map_or("n/a".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    println!("| peak memory (VmHWM) | value | target |");
    println!("|---|---:|---|");
    println!("| seed typing session | {} | |", mib(seed_peak));
    println!("| 100 open agent files ({:.1} MB) | {} | ≤ 20 MB |", bytes as f64 / 1e6, mib(open100_peak));
    println!("| {size} droid open and edited | {} | |", mib(big_peak));
    ExitCode::SUCCESS
}
