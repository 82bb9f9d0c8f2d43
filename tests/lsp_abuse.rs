//! Protocol abuse over stdio against the built `agentls lsp`: requests before `initialize`,
//! unknown methods, undecodable messages, invalid params, positions past the end of a line or the file, changes for
//! documents never opened, versions that go backwards, a flood of changes sent without waiting,
//! `$/cancelRequest`, huge and absurd documents, and `exit` without `shutdown`. Each gets the
//! answer the LSP specification asks for, and afterwards the server still answers a hover
//! correctly.

mod common;

use std::time::Duration;

use common::{capabilities, codes, range, Client, Workspace, TIMEOUT};
use serde_json::{json, Value};

const DROID: &str =
    "---\nname: reviewer\ndescription: Reviews code for security issues.\ntools: [Read, Bash]\n---\n\n# Reviewer\n";
const REL: &str = ".factory/droids/reviewer.md";

/// Hovering `Bash` (line 3) explains the foreign-tool diagnostic and names Factory's equivalent.
fn assert_hover_works(c: &mut Client, uri: &str) {
    let params = json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 16}});
    let r = c.request("textDocument/hover", params).expect("hover answers");
    let md = r["contents"]["value"].as_str().unwrap_or_else(|| panic!("hover content: {r}"));
    assert!(md.contains("Execute"), "{md}");
}

fn open_droid() -> (Workspace, String) {
    let mut ws = Workspace::default_push();
    let (uri, _) = ws.open(REL, DROID);
    (ws, uri)
}

fn at(uri: &str, line: u64, character: u64) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

#[test]
fn before_initialize_requests_are_refused_and_notifications_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let uri = common::file_uri(&dir.path().join(REL));
    let mut c = Client::spawn();
    for method in ["textDocument/hover", "textDocument/completion", "shutdown"] {
        let r = c.request(method, at(&uri, 0, 0));
        assert_eq!(Client::error_code(r), codes::SERVER_NOT_INITIALIZED, "{method}");
    }
    // A notification before `initialize` is dropped, not remembered.
    c.did_open(&uri, 1, DROID);
    c.initialize(capabilities(false, false), Value::Null, Some(dir.path()));
    assert!(c.document_text_opt(&uri).is_none(), "didOpen before initialize must be dropped");
    c.did_open(&uri, 1, DROID);
    c.diagnostics(&uri, Some(1));
    assert_hover_works(&mut c, &uri);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn unknown_methods_are_method_not_found_and_unknown_notifications_ignored() {
    let (mut ws, uri) = open_droid();
    let c = &mut ws.client;
    for method in ["agentls/nothing", "textDocument/noSuchFeature", "$/someExtension"] {
        assert_eq!(Client::error_code(c.request(method, json!({}))), codes::METHOD_NOT_FOUND, "{method}");
    }
    c.notify("$/someNotification", json!({"x": 1}));
    c.notify("workspace/noSuchNotification", json!(null));
    assert_hover_works(c, &uri);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn invalid_params_are_invalid_params() {
    let (mut ws, uri) = open_droid();
    let c = &mut ws.client;
    let bad = [
        ("textDocument/hover", json!({"textDocument": {"uri": uri}})),
        ("textDocument/hover", json!(42)),
        ("textDocument/completion", json!({"textDocument": {"uri": 7}, "position": {"line": 0, "character": 0}})),
        ("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}})),
        ("textDocument/codeAction", json!({"textDocument": {"uri": uri}})),
        ("textDocument/documentSymbol", json!([])),
    ];
    for (method, params) in bad {
        let code = Client::error_code(c.request(method, params.clone()));
        assert_eq!(code, codes::INVALID_PARAMS, "{method} {params}");
    }
    // Notifications with bad params cannot be answered; they are dropped without harm.
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri}, "contentChanges": "x"}));
    c.notify("textDocument/didOpen", json!({"textDocument": 3}));
    assert_eq!(c.document_text(&uri), (1, DROID.to_string()));
    assert_hover_works(c, &uri);
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// Why `lsp/transport.rs` exists: tower-lsp-server 0.23 ends its input stream (and so the session)
/// at the first body it cannot decode. Each of these would do that on its own; through the
/// transport every one is dropped with a warning on stderr, and the session goes on.
#[test]
fn undecodable_messages_never_end_the_session() {
    let (mut ws, uri) = open_droid();
    let c = &mut ws.client;
    let bodies: [&[u8]; 8] = [
        b"{ this is not json",
        b"\xff\xfe{\"jsonrpc\":\"2.0\",\"method\":\"x\"}",
        b"[1, 2, 3]",
        b"{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"textDocument/hover\"}",
        b"{\"id\":2,\"method\":\"textDocument/hover\"}",
        b"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":7}",
        b"{\"jsonrpc\":\"2.0\",\"method\":\"x\"} trailing",
        b"",
    ];
    for (i, body) in bodies.iter().enumerate() {
        c.send_raw(body);
        // The messages after it are still read, in order: a change, then a request.
        let version = i as i64 + 2;
        c.did_change(
            &uri,
            version as i32,
            &[(range(json!({"line": 6, "character": 0}), json!({"line": 6, "character": 0})), "")],
        );
        assert_eq!(c.document_text(&uri).0, version, "after body {i}: {}", String::from_utf8_lossy(body));
        assert_hover_works(c, &uri);
    }
    assert!(c.stderr().contains("dropped a message"), "stderr: {}", c.stderr());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn positions_past_the_end_of_a_line_or_the_file_clamp() {
    let (mut ws, uri) = open_droid();
    let c = &mut ws.client;
    let far = [(0, 9_999), (3, 4_000_000), (9_999, 0), (u32::MAX as u64, u32::MAX as u64)];
    for (line, character) in far {
        // Hover and completion answer (with something or null), never with an error.
        c.request("textDocument/hover", at(&uri, line, character)).expect("hover past the end");
        c.request("textDocument/completion", at(&uri, line, character)).expect("completion past the end");
        let r = range(json!({"line": line, "character": character}), json!({"line": 0, "character": 0}));
        let params = json!({"textDocument": {"uri": uri}, "range": r, "context": {"diagnostics": []}});
        c.request("textDocument/codeAction", params).expect("code action on a reversed, outside range");
    }
    // An edit past the end of line 1 lands at that line's end; past the last line, at the end.
    let eol = json!({"line": 1, "character": 500});
    let eof = json!({"line": 500, "character": 3});
    c.did_change(&uri, 2, &[(range(eol.clone(), eol), "!"), (range(eof.clone(), eof), "\n## Notes\n")]);
    let expected = DROID.replacen("reviewer\n", "reviewer!\n", 1) + "\n## Notes\n";
    assert_eq!(c.document_text(&uri), (2, expected));
    assert_hover_works(c, &uri);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn changes_to_unopened_documents_and_older_versions_are_ignored() {
    let (mut ws, uri) = open_droid();
    let other = ws.uri(".factory/droids/never-opened.md");
    let c = &mut ws.client;
    let start = json!({"line": 0, "character": 0});
    c.did_change(&other, 2, &[(range(start.clone(), start.clone()), "x")]);
    c.did_close(&other);
    assert!(c.document_text_opt(&other).is_none());
    c.did_change(&uri, 7, &[(Value::Null, DROID)]);
    c.did_change(&uri, 3, &[(range(start.clone(), start), "garbage")]);
    assert_eq!(c.document_text(&uri), (7, DROID.to_string()));
    // Diagnostics are never published for the refused version.
    let published = c.diagnostics(&uri, Some(7));
    assert_eq!(published["version"], 7);
    assert_hover_works(c, &uri);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn a_flood_of_changes_is_applied_in_order_and_only_the_last_version_matters() {
    let (mut ws, uri) = open_droid();
    let c = &mut ws.client;
    let mut expected = DROID.to_string();
    let n = 3_000;
    for v in 0..n {
        // Append at the end (line 7 is the empty line after the heading).
        let end = common::utf16_position(&expected, expected.len());
        let piece = if v % 100 == 99 { "\n" } else { "é" };
        c.did_change(&uri, v + 2, &[(range(end.clone(), end), piece)]);
        expected.push_str(piece);
    }
    let last = (n + 1) as i64;
    assert_eq!(c.document_text(&uri), (last, expected));
    c.diagnostics(&uri, Some(last));
    assert_hover_works(c, &uri);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn cancelled_requests_get_exactly_one_answer() {
    let (mut ws, uri) = open_droid();
    let c = &mut ws.client;
    for (id, method) in
        [(1_000, "textDocument/hover"), (1_001, "textDocument/completion"), (1_002, "textDocument/documentSymbol")]
    {
        let params = if method == "textDocument/documentSymbol" {
            json!({"textDocument": {"uri": uri}})
        } else {
            at(&uri, 3, 16)
        };
        c.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        c.notify("$/cancelRequest", json!({"id": id}));
        // Either the result (it finished first) or RequestCancelled (-32800), never silence.
        match c.response(id) {
            Ok(_) => {}
            Err(e) => assert_eq!(e["code"], -32800, "{e}"),
        }
    }
    // Cancelling an id that was never sent, or already answered, is harmless.
    c.notify("$/cancelRequest", json!({"id": 99_999}));
    c.notify("$/cancelRequest", json!({"id": 1_000}));
    c.notify("$/cancelRequest", json!({"id": "not-a-number"}));
    assert_hover_works(c, &uri);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn exit_without_shutdown_ends_promptly_with_code_1_even_when_busy() {
    let (mut ws, uri) = open_droid();
    let c = &mut ws.client;
    for v in 2..500 {
        c.did_change(&uri, v, &[(Value::Null, &DROID.repeat(v as usize % 7 + 1))]);
    }
    c.notify("exit", Value::Null);
    let status = c.wait_exit(TIMEOUT).expect("the server exits after `exit`");
    assert_eq!(status.code(), Some(1));
}

/// Opens `text`, waits (generously: debug builds are slow on megabytes) for its diagnostics, and
/// checks that the server still answers a hover on the droid afterwards.
fn survives(text: &str, rel: &str) -> Value {
    let (mut ws, uri) = open_droid();
    let big = ws.uri(rel);
    ws.client.did_open(&big, 1, text);
    let published = ws
        .client
        .try_wait_notification_where(
            "textDocument/publishDiagnostics",
            |p| p["uri"] == big.as_str() && p["version"] == 1,
            Duration::from_secs(300),
        )
        .unwrap_or_else(|| panic!("no diagnostics for {rel}\n{}", ws.client.stderr()));
    ws.client.request("textDocument/hover", at(&big, 0, 0)).expect("hover on the big file");
    assert_hover_works(&mut ws.client, &uri);
    assert_eq!(ws.client.shutdown_and_exit(), 0);
    published
}

fn codes_of(published: &Value) -> Vec<String> {
    published["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

#[test]
fn server_survives_a_ten_megabyte_document() {
    let mut text = String::from("---\nname: big\ndescription: Big.\ntools: [Read, Grpe]\n---\n\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str("## Section\n\nRead the diff with `Read`; ünïcödé 😀 prose.\n\n");
    }
    let published = survives(&text, ".factory/droids/big.md");
    assert!(codes_of(&published).iter().any(|c| c == "unknown-tool"), "{:?}", codes_of(&published));
}

#[test]
fn server_survives_absurd_documents() {
    let long = "é😀".repeat(50_000);
    let deep = format!("---\nname: a\ndescription: Deep.\ntools: {}x{}\n---\n", "[".repeat(10_000), "]".repeat(10_000));
    let mut bomb = String::from("---\nname: a\ndescription: Bomb.\na: &a [x, x, x, x, x, x, x, x, x]\n");
    for (p, n) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        bomb.push_str(&format!("{n}: &{n} [{}]\n", vec![format!("*{p}"); 9].join(", ")));
    }
    bomb.push_str("tools: *i\n---\n");
    let keys: String = (0..10_000).map(|i| format!("key{i}: v\n")).collect();
    let cases = [
        (format!("---\nname: a\ndescription: {long}\n---\n{long}"), "description-too-long"),
        (deep, "yaml-"),
        (bomb, ""),
        (format!("---\n{keys}"), "unclosed-frontmatter"),
        (format!("\u{feff}\0\0\u{1b}[0m{}", "\r".repeat(10_000)), ""),
    ];
    for (text, code) in cases {
        let published = survives(&text, ".factory/droids/odd.md");
        let got = codes_of(&published);
        assert!(code.is_empty() || got.iter().any(|c| c.starts_with(code)), "expected {code}, got {got:?}");
    }
}
