//! End-to-end lifecycle tests of `agentls lsp`: capabilities, shutdown/exit codes, protocol
//! errors, and resilience to bad input.

mod common;

use std::time::Duration;

use common::{capabilities, codes, Client, Workspace, TIMEOUT};
use serde_json::{json, Value};

fn redact_version(mut result: Value) -> Value {
    result["serverInfo"]["version"] = json!("[version]");
    result
}

#[test]
fn initialize_announces_capabilities() {
    let mut c = Client::spawn();
    let result = c.initialize(capabilities(false, false), Value::Null, None);
    insta::assert_json_snapshot!("capabilities_utf16_push", redact_version(result));
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn utf8_is_negotiated_when_offered_and_pull_diagnostics_when_supported() {
    let mut c = Client::spawn();
    let result = c.initialize(capabilities(true, true), Value::Null, None);
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-8");
    assert_eq!(caps["diagnosticProvider"]["identifier"], "agentls");
    assert_eq!(caps["diagnosticProvider"]["interFileDependencies"], true, "cross-file findings");

    let mut c = Client::spawn();
    let result = c.initialize(capabilities(false, false), Value::Null, None);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert!(result["capabilities"].get("diagnosticProvider").is_none());
}

#[test]
fn exit_after_shutdown_ends_with_code_0() {
    let mut c = Client::spawn();
    c.initialize(capabilities(false, false), Value::Null, None);
    // stdin stays open: the server must end on `exit` alone.
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn exit_without_shutdown_ends_with_code_1() {
    let mut c = Client::spawn();
    c.initialize(capabilities(false, false), Value::Null, None);
    c.notify("exit", Value::Null);
    let status = c.wait_exit(TIMEOUT).expect("server exits after `exit`");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn end_of_input_without_shutdown_ends_with_code_1() {
    let mut c = Client::spawn();
    c.initialize(capabilities(false, false), Value::Null, None);
    c.close_stdin();
    let status = c.wait_exit(TIMEOUT).expect("server exits at end of input");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn requests_before_initialize_and_after_shutdown_are_refused() {
    let mut c = Client::spawn();
    let hover = json!({"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}});
    assert_eq!(Client::error_code(c.request("textDocument/hover", hover.clone())), codes::SERVER_NOT_INITIALIZED);
    c.initialize(capabilities(false, false), Value::Null, None);
    assert_eq!(Client::error_code(c.request("initialize", json!({"capabilities": {}}))), codes::INVALID_REQUEST);
    c.request("shutdown", Value::Null).unwrap();
    assert_eq!(Client::error_code(c.request("textDocument/hover", hover)), codes::INVALID_REQUEST);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(TIMEOUT).and_then(|s| s.code()), Some(0));
}

#[test]
fn unknown_method_is_method_not_found() {
    let mut c = Client::spawn();
    c.initialize(capabilities(false, false), Value::Null, None);
    assert_eq!(Client::error_code(c.request("agentls/noSuchThing", json!({}))), codes::METHOD_NOT_FOUND);
    // Unknown notifications are ignored; the server keeps answering.
    c.notify("$/noSuchNotification", json!({}));
    assert!(c.request("agentls/documentText", json!({"textDocument": {"uri": "file:///nope.md"}})).unwrap().is_null());
}

#[test]
fn bad_input_never_stops_the_server() {
    let mut ws = Workspace::default_push();
    let (uri, _) = ws.open(".factory/droids/a.md", "---\nname: a\n---\n# A\n");
    let c = &mut ws.client;
    // A body that is not JSON, a request with wrong params, edits for an unknown document and
    // with a stale version, and positions far outside the text.
    c.send_raw(b"{ this is not json");
    let bad_hover = json!({"textDocument": {"uri": uri}, "position": "nowhere"});
    assert_eq!(Client::error_code(c.request("textDocument/hover", bad_hover)), codes::INVALID_PARAMS);
    c.did_change("file:///not/open.md", 5, &[(Value::Null, "x")]);
    let far = common::range(json!({"line": 99, "character": 99}), json!({"line": 120, "character": 0}));
    c.did_change(&uri, 0, &[(far.clone(), "stale")]);
    c.did_change(&uri, 2, &[(far, "!")]);
    assert_eq!(c.document_text(&uri), (2, "---\nname: a\n---\n# A\n!".to_string()));
    // A panic inside a request answers that request with InternalError, and the next request
    // is served normally.
    if cfg!(debug_assertions) {
        assert_eq!(Client::error_code(c.request("agentls/debugPanic", Value::Null)), codes::INTERNAL_ERROR);
    }
    let hover = json!({"textDocument": {"uri": uri}, "position": {"line": 500, "character": 500}});
    assert!(c.request("textDocument/hover", hover).is_ok());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn logs_go_to_stderr_and_the_client_log() {
    let mut c = Client::spawn();
    c.initialize(capabilities(false, false), json!({"dialect": "nonsense"}), None);
    let msg = c.wait_notification_where("window/logMessage", |p| p["message"].as_str().unwrap().contains("nonsense"));
    assert_eq!(msg["type"], 2, "a bad setting is a warning");
    assert_eq!(c.shutdown_and_exit(), 0);
    // The reader thread may still be collecting stderr for a moment after exit.
    std::thread::sleep(Duration::from_millis(50));
    assert!(c.stderr().contains("nonsense"), "stderr: {}", c.stderr());
}
