//! What the language server does to the machine, watched with strace (Linux; outside CI the test says it is
//! skipped where strace is missing): it runs no program, opens no network connection, writes no
//! file, and opens files only inside the workspace, on the way up to it (policy discovery), or in
//! system folders (the loader, /proc, /sys, /dev).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

fn frame(v: &Value) -> Vec<u8> {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Reads framed messages until the response with `id`.
fn wait_response(r: &mut impl BufRead, id: i64) -> Value {
    loop {
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(r.read_line(&mut line).unwrap() > 0, "server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                len = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        if v["id"] == id && v.get("method").is_none() {
            return v;
        }
    }
}

#[test]
fn the_server_runs_nothing_connects_nowhere_writes_nothing() {
    if Command::new("strace").arg("-V").output().is_err() {
        // CI installs strace (.ci/run), so there a missing strace is a failure, not a skip.
        assert!(std::env::var_os("CI").is_none(), "strace is missing under CI: .ci/run must install it");
        eprintln!("skipped: strace is not installed");
        return;
    }
    let ws = tempfile::tempdir().unwrap();
    let ws_path = ws.path().canonicalize().unwrap();
    let droid = ws_path.join(".factory/droids/a.md");
    std::fs::create_dir_all(droid.parent().unwrap()).unwrap();
    std::fs::write(ws_path.join(".agentls.yaml"), "tools:\n  deny: [Execute]\n").unwrap();
    let log = ws_path.join("strace.log");
    let bin = env!("CARGO_BIN_EXE_agentls");
    let mut child = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=%process,%network,%file", "-o"])
        .arg(&log)
        .args([bin, "lsp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let uri = format!("file://{}", droid.display());
    let root = format!("file://{}", ws_path.display());
    let text = "---\nname: a\ndescription: Reviews code.\ntools: [Read, Execute, Bash]\n---\n\n# A\n";
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": root, "capabilities": {}}});
    stdin.write_all(&frame(&init)).unwrap();
    wait_response(&mut out, 1);
    let script = [
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 16}}}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction",
            "params": {"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}, "context": {"diagnostics": []}}}),
    ];
    for m in &script {
        stdin.write_all(&frame(m)).unwrap();
    }
    wait_response(&mut out, 2);
    wait_response(&mut out, 3);
    stdin.write_all(&frame(&json!({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}))).unwrap();
    wait_response(&mut out, 4);
    stdin.write_all(&frame(&json!({"jsonrpc": "2.0", "method": "exit"}))).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));

    let trace = std::fs::read_to_string(&log).unwrap();
    let system = ["/proc/", "/sys/", "/dev/", "/etc/", "/lib", "/usr/"];
    let mut problems = Vec::new();
    for line in trace.lines() {
        let call = line.split_whitespace().nth(1).unwrap_or("");
        let quoted = line.split('"').nth(1).unwrap_or("");
        if call.starts_with("execve(") && !quoted.ends_with("agentls") {
            problems.push(format!("runs a program: {line}"));
        }
        if call.starts_with("connect(") || call.starts_with("bind(") || line.contains("AF_INET") {
            problems.push(format!("uses the network: {line}"));
        }
        let writes = ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"].iter().any(|f| line.contains(f));
        let mutates = ["unlink", "rename", "mkdir", "rmdir", "creat(", "truncate", "chmod", "symlink", "link("]
            .iter()
            .any(|c| call.starts_with(c));
        if (writes || mutates) && !quoted.starts_with("/dev/") {
            problems.push(format!("writes: {line}"));
        }
        if call.starts_with("open") && !line.contains("ENOENT") && !quoted.is_empty() {
            let p = Path::new(quoted);
            let inside = p.starts_with(&ws_path);
            let on_the_way_up = p.file_name().is_some_and(|n| n == ".agentls.yaml");
            if !inside && !on_the_way_up && !system.iter().any(|s| quoted.starts_with(s)) && p.is_absolute() {
                problems.push(format!("reads outside the workspace: {line}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}\n\nfull trace:\n{trace}", problems.join("\n"));
    // The policy in the workspace was read (the trace is real).
    assert!(trace.contains(".agentls.yaml"), "{trace}");
}
