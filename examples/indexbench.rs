//! The workspace index of the language server, measured from the client's side:
//!
//! ```sh
//! cargo build --release && cargo run --release --example indexbench [-- --server PATH] [--files N]
//! ```
//!
//! Generates N (10,000 by default) Claude Code agents in a temporary folder, each calling two
//! others through `Agent(...)`, plus a `hub` agent called by 100 of them, and reports:
//! - indexing wall time (`initialized` → the `$/progress` end) and the server's peak memory (VmHWM);
//! - hover round trips on an open document while indexing runs (p50 / p99 / max);
//! - an edit renaming `hub` in its open buffer → the 100 files that call it re-published;
//! - `textDocument/rename` of `hub` across its 100 references;
//! - edit → `publishDiagnostics` on one open agent (single-file keystrokes) after indexing.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(60);

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// When the `$/progress` end arrived.
    indexed: Option<Instant>,
    /// publishDiagnostics seen, by URI, while waiting for something else.
    published: Vec<(Instant, Value)>,
}

fn reader(stdout: impl Read, tx: mpsc::Sender<Value>) {
    let mut r = BufReader::new(stdout);
    let mut line = String::new();
    loop {
        let mut len = None;
        loop {
            line.clear();
            if r.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("Content-Length:") {
                len = v.trim().parse::<usize>().ok();
            }
        }
        let mut body = vec![0; len.unwrap_or(0)];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        if tx.send(serde_json::from_slice(&body).unwrap_or(Value::Null)).is_err() {
            return;
        }
    }
}

impl Server {
    fn spawn(bin: &Path) -> Server {
        let mut child = Command::new(bin)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || reader(stdout, tx));
        Server { child, stdin, rx, next_id: 1, indexed: None, published: Vec::new() }
    }

    fn send(&mut self, v: &Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message; answers server requests with `null` and notes progress and publishes.
    fn recv(&mut self) -> Value {
        loop {
            let v = self.rx.recv_timeout(TIMEOUT).expect("server answers");
            if v.get("method").is_some() && v.get("id").is_some() {
                self.send(&json!({"jsonrpc": "2.0", "id": v["id"], "result": null}));
                continue;
            }
            if v["method"] == "$/progress" && v["params"]["value"]["kind"] == "end" {
                self.indexed = Some(Instant::now());
            }
            if v["method"] == "textDocument/publishDiagnostics" {
                self.published.push((Instant::now(), v["params"].clone()));
            }
            return v;
        }
    }

    fn request(&mut self, method: &str, params: Value) -> (Value, Duration) {
        let id = self.next_id;
        self.next_id += 1;
        let t0 = Instant::now();
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let v = self.recv();
            if v.get("method").is_none() && v["id"] == id {
                return (v["result"].clone(), t0.elapsed());
            }
        }
    }

    fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn stats(name: &str, v: &mut [Duration]) {
    v.sort();
    let q = |f: f64| v[((v.len() as f64 - 1.0) * f).round() as usize].as_secs_f64() * 1e3;
    println!("{name}: n={} p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms", v.len(), q(0.5), q(0.99), q(1.0));
}

fn agent(name: &str, calls: &[String]) -> String {
    format!(
        "---\nname: {name}\ndescription: Generated agent {name} for the index benchmark.\ntools: Read, Grep, Agent({})\nmodel: sonnet\n---\n\n# {name}\n\nDo the work of {name}.\n",
        calls.join(", ")
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).cloned();
    let n: usize = arg("--files").and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let bin = arg("--server").map(PathBuf::from).unwrap_or_else(|| {
        let exe = std::env::current_exe().unwrap();
        exe.parent().unwrap().parent().unwrap().join("agentls")
    });
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let agents = root.join(".claude/agents");
    for i in 0..n {
        let mut calls = vec![format!("a{}", (i + 1) % n), format!("a{}", (i + 37) % n)];
        if i < 100 {
            calls.push("hub".into());
        }
        let p = agents.join(format!("g{}/a{i}.md", i / 100));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, agent(&format!("a{i}"), &calls)).unwrap();
    }
    let hub_path = agents.join("hub.md");
    let hub_text = agent("hub", &["a1".into()]);
    std::fs::write(&hub_path, &hub_text).unwrap();

    let mut s = Server::spawn(&bin);
    let caps = json!({"window": {"workDoneProgress": true}, "workspace": {"workspaceEdit": {"documentChanges": true}}});
    let init = json!({"processId": null, "rootUri": uri(&root), "workspaceFolders": [{"uri": uri(&root), "name": "ws"}], "capabilities": caps});
    s.request("initialize", init);
    let t0 = Instant::now();
    s.notify("initialized", json!({}));
    // Requests while indexing: hover on an open agent.
    let open = agents.join("g0/a5.md");
    let open_text = std::fs::read_to_string(&open).unwrap();
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&open), "languageId": "markdown", "version": 1, "text": open_text}}),
    );
    let mut during = Vec::new();
    while s.indexed.is_none() {
        let (_, d) = s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&open)}, "position": {"line": 3, "character": 9}}),
        );
        during.push(d);
    }
    let wall = s.indexed.unwrap() - t0;
    println!(
        "index {} files: {:.0} ms wall, peak {} MiB (VmHWM)",
        n + 1,
        wall.as_secs_f64() * 1e3,
        s.peak_kib() / 1024
    );
    stats("hover during indexing", &mut during);

    // Rename across the 100 references (not applied).
    let mut renames = Vec::new();
    for _ in 0..30 {
        let (r, d) = s.request(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri(&hub_path)}, "position": {"line": 1, "character": 7}, "newName": "hub2"}),
        );
        assert!(r["documentChanges"].as_array().is_some_and(|a| a.len() == 101), "{r}");
        renames.push(d);
    }
    stats("rename across 100 references", &mut renames);

    // An edit that renames `hub` in its buffer: the 100 callers are re-published.
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&hub_path), "languageId": "markdown", "version": 1, "text": hub_text}}),
    );
    std::thread::sleep(Duration::from_millis(300));
    while s.rx.try_recv().is_ok() {}
    let mut edits = Vec::new();
    for v in 2..22 {
        let name = if v % 2 == 0 { "hubx" } else { "hub" };
        s.published.clear();
        let t = Instant::now();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&hub_path), "version": v}, "contentChanges": [{"range": {"start": {"line": 1, "character": 6}, "end": {"line": 1, "character": if name == "hubx" { 9 } else { 10 }}}, "text": name}]}),
        );
        let callers = |p: &Vec<(Instant, Value)>| {
            p.iter().filter(|(_, x)| x["uri"].as_str().is_some_and(|u| u.contains("/g0/"))).count()
        };
        while callers(&s.published) < 100 {
            s.recv();
        }
        let last = s.published.iter().map(|(i, _)| *i).max().unwrap();
        edits.push(last - t);
    }
    stats("edit renaming an agent called by 100 files -> 100 files re-published", &mut edits);

    // Single-file keystrokes after indexing: characters typed at the end of a5's body.
    let mut keys = Vec::new();
    let lines = open_text.lines().count() as u32;
    for v in 2..302 {
        let t = Instant::now();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&open), "version": v}, "contentChanges": [{"range": {"start": {"line": lines, "character": 0}, "end": {"line": lines, "character": 0}}, "text": "x"}]}),
        );
        loop {
            let m = s.recv();
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri(&open)
                && m["params"]["version"] == v
            {
                break;
            }
        }
        keys.push(t.elapsed());
    }
    stats("keystroke -> publishDiagnostics", &mut keys);
    println!("peak {} MiB (VmHWM) at the end", s.peak_kib() / 1024);
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let _ = s.child.wait();
}
