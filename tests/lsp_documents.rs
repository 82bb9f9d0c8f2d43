//! End-to-end document tests of `agentls lsp`: incremental sync (CRLF, emoji, surrogate pairs,
//! clamping) under both position encodings, pushed and pulled diagnostics, and policy reloads.

mod common;

use std::time::Duration;

use common::{capabilities, position, range, Workspace};
use serde_json::{json, Value};

/// A tiny deterministic generator, so the edit script is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Char boundaries of `text` where a position can point (never between `\r` and `\n`).
fn cut_points(text: &str) -> Vec<usize> {
    (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .filter(|&i| !(i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n')))
        .collect()
}

const START: &str = "---\r\nname: 😀 bot\r\ndescription: 𐐀 é\n---\r# Title 😀\r\n\r\nBody\u{2028}still body\u{85}é\n";

const INSERTS: [&str; 14] = [
    "a",
    "é",
    "😀",
    "𐐀",
    "\r\n",
    "\n",
    "\r",
    "x\r\ny",
    "\u{2028}",
    "\u{85}",
    "\t",
    "",
    "😀\r\n𐐀",
    "tools: [\"Read\"]\n",
];

/// Replays a pseudo-random edit script (batches of changes, each positioned against the text
/// after the previous change) and checks the server's text against a plain `String`.
fn replay_edits(utf8: bool) {
    let mut ws = Workspace::new(capabilities(utf8, false), Value::Null);
    let (uri, _) = ws.open(".factory/droids/sync.md", START);
    let mut model = START.to_string();
    let mut rng = Lcg(if utf8 { 8 } else { 16 });
    let mut version = 1;
    for step in 0..150 {
        version += 1;
        let mut batch = Vec::new();
        for _ in 0..1 + rng.next(3) {
            let cuts = cut_points(&model);
            let a = cuts[rng.next(cuts.len())];
            let b = if rng.next(3) == 0 { a } else { cuts[rng.next(cuts.len())] };
            let (a, b) = (a.min(b), a.max(b));
            // Keep the text from growing without bound.
            let b = if model.len() > 400 { b.max(a + (model.len() - a).min(40)) } else { b };
            let b = *cuts.iter().find(|&&c| c >= b).unwrap_or(&model.len());
            let insert = INSERTS[rng.next(INSERTS.len())];
            batch.push((range(position(&model, a, utf8), position(&model, b, utf8)), insert));
            model.replace_range(a..b, insert);
        }
        ws.client.did_change(&uri, version, &batch);
        if step % 50 == 49 {
            assert_eq!(ws.client.document_text(&uri), (version as i64, model.clone()), "after step {step}");
        }
    }
    assert_eq!(ws.client.document_text(&uri), (version as i64, model));
    assert_eq!(ws.client.shutdown_and_exit(), 0);
}

#[test]
fn incremental_edits_match_a_string_under_utf16() {
    replay_edits(false);
}

#[test]
fn incremental_edits_match_a_string_under_utf8() {
    replay_edits(true);
}

#[test]
fn positions_clamp_and_snap_to_character_starts() {
    for (utf8, mid_char, expected_mid) in [(false, 2, "aX😀b\r\nc"), (true, 3, "aX😀b\r\nc")] {
        let mut ws = Workspace::new(capabilities(utf8, false), Value::Null);
        let (uri, _) = ws.open("notes.md", "a😀b\r\nc");
        // Inside the emoji (mid surrogate pair in UTF-16, mid sequence in UTF-8).
        let p = json!({"line": 0, "character": mid_char});
        ws.client.did_change(&uri, 2, &[(range(p.clone(), p), "X")]);
        assert_eq!(ws.client.document_text(&uri).1, expected_mid);
        // Past the end of line 0 lands before its CRLF; past the last line lands at the end.
        let eol = json!({"line": 0, "character": 999});
        let eof = json!({"line": 42, "character": 7});
        ws.client.did_change(&uri, 3, &[(range(eol.clone(), eol), "!"), (range(eof.clone(), eof), "?")]);
        assert_eq!(ws.client.document_text(&uri).1, "aX😀b!\r\nc?");
        // A whole-document change replaces everything.
        ws.client.did_change(&uri, 4, &[(Value::Null, "fresh\n")]);
        assert_eq!(ws.client.document_text(&uri), (4, "fresh\n".to_string()));
    }
}

#[test]
fn stale_versions_and_unknown_documents_are_ignored() {
    let mut ws = Workspace::default_push();
    let (uri, _) = ws.open("notes.md", "one\n");
    let start = json!({"line": 0, "character": 0});
    ws.client.did_change(&uri, 5, &[(range(start.clone(), start.clone()), "A")]);
    ws.client.did_change(&uri, 3, &[(range(start.clone(), start.clone()), "B")]);
    ws.client.did_change(&ws.uri("other.md"), 9, &[(range(start.clone(), start), "C")]);
    assert_eq!(ws.client.document_text(&uri), (5, "Aone\n".to_string()));
    let warning = ws.client.wait_notification_where("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("older than the open version")
    });
    assert_eq!(warning["type"], 2);
}

#[test]
fn diagnostics_carry_the_version_and_clear_on_close() {
    let mut ws = Workspace::default_push();
    let uri = ws.uri(".claude/agents/reviewer.md");
    ws.client.did_open(&uri, 7, "---\nname: reviewer\n---\n");
    let first = ws.client.diagnostics(&uri, Some(7));
    assert!(first["diagnostics"].is_array());
    let end = json!({"line": 3, "character": 0});
    ws.client.did_change(&uri, 8, &[(range(end.clone(), end), "# Role\n")]);
    let second = ws.client.diagnostics(&uri, Some(8));
    assert_eq!(second["version"], 8);
    ws.client.did_close(&uri);
    let cleared = ws.client.diagnostics(&uri, None);
    assert_eq!(cleared["diagnostics"], json!([]));
    assert!(ws.client.document_text_opt(&uri).is_none());
}

#[test]
fn pull_clients_get_reports_and_no_pushes() {
    let mut ws = Workspace::new(capabilities(false, true), Value::Null);
    let uri = ws.uri(".claude/agents/reviewer.md");
    ws.client.did_open(&uri, 1, "---\nname: reviewer\n---\n");
    let params = json!({"textDocument": {"uri": uri}});
    let report = ws.client.request("textDocument/diagnostic", params).unwrap();
    assert_eq!(report["kind"], "full");
    assert!(report["items"].is_array());
    let again = json!({"textDocument": {"uri": uri}, "previousResultId": report["resultId"]});
    assert_eq!(ws.client.request("textDocument/diagnostic", again).unwrap()["kind"], "unchanged");
    let pushed =
        ws.client.try_wait_notification_where("textDocument/publishDiagnostics", |_| true, Duration::from_millis(300));
    assert!(pushed.is_none(), "pull clients get no pushed diagnostics: {pushed:?}");
}

fn has_code(published: &Value, code: &str) -> bool {
    published["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == code)
}

const AGENT_WITH_BASH: &str =
    "---\nname: a\ndescription: Does a thing when asked\ntools: Bash, Read\n---\n\n# A\n\nDo.\n";

#[test]
fn broken_policy_is_reported_and_reloaded_when_fixed() {
    let mut ws = Workspace::default_push();
    ws.write(".agentls.yaml", "tools: [unclosed\n");
    // The server watches policy files when the client allows dynamic registration.
    let registration = ws.client.wait_server_request("client/registerCapability");
    assert_eq!(registration["registrations"][0]["method"], "workspace/didChangeWatchedFiles");

    // While the policy is broken the built-in default applies (Bash is allowed) and the user is told.
    let (agent, first) = ws.open(".claude/agents/a.md", AGENT_WITH_BASH);
    assert!(!has_code(&first, "denied-tool"), "{first}");
    let shown = ws.client.wait_notification("window/showMessage");
    assert!(shown["message"].as_str().unwrap().contains("invalid"), "{shown}");

    // The open policy file shows its own error.
    let policy_text = std::fs::read_to_string(ws.path(".agentls.yaml")).unwrap();
    let (policy_uri, diags) = ws.open(".agentls.yaml", &policy_text);
    let d = &diags["diagnostics"][0];
    assert_eq!(d["code"], "policy-error");
    assert_eq!(d["source"], "agentls");
    assert_eq!(d["severity"], 1);

    // Fixed in the editor: the error goes away while typing.
    let fixed = "tools:\n  deny: [Bash]\n";
    let (start, end) = (json!({"line": 0, "character": 0}), json!({"line": 9, "character": 0}));
    ws.client.did_change(&policy_uri, 2, &[(range(start, end), fixed)]);
    assert_eq!(ws.client.diagnostics(&policy_uri, Some(2))["diagnostics"], json!([]));
    // Saved to disk and reported by the file watcher: the policy reloads and open agents are
    // re-checked under it.
    ws.write(".agentls.yaml", fixed);
    ws.client
        .notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": ws.uri(".agentls.yaml"), "type": 2}]}));
    let rechecked = ws.client.diagnostics(&agent, Some(1));
    assert!(has_code(&rechecked, "denied-tool"), "{rechecked}");
}

#[test]
fn policy_path_setting_picks_the_policy() {
    let dir_policy = "tools:\n  deny: [Read]\n";
    let mut ws = Workspace::new(capabilities(false, false), json!({"policyPath": "policies/team.yaml"}));
    ws.write("policies/team.yaml", "tools:\n  deny: [Bash]\n");
    ws.write(".agentls.yaml", dir_policy);
    let (_, published) = ws.open(".claude/agents/a.md", AGENT_WITH_BASH);
    assert!(has_code(&published, "denied-tool"), "{published}");
    let denied: Vec<&Value> =
        published["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "denied-tool").collect();
    assert_eq!(denied.len(), 1, "only the configured policy's Bash is denied: {published}");
    assert!(denied[0]["message"].as_str().unwrap().contains("Bash"));
}

#[test]
fn settings_come_from_init_options_and_configuration_changes() {
    let mut ws = Workspace::new(capabilities(false, false), json!({"extraTools": ["Deploy"], "dialect": "factory"}));
    ws.client.wait_notification_where("window/logMessage", |p| p["message"].as_str().unwrap().contains("Deploy"));
    // A change notification without settings makes the server ask for them.
    ws.client.configuration = json!({"dialect": "warp-drive"});
    ws.client.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    ws.client.wait_server_request("workspace/configuration");
    ws.client.wait_notification_where("window/logMessage", |p| p["message"].as_str().unwrap().contains("warp-drive"));
    // Settings pushed in the notification itself, nested under `agentls`.
    ws.client.notify("workspace/didChangeConfiguration", json!({"settings": {"agentls": {"extraTools": "oops"}}}));
    ws.client.wait_notification_where("window/logMessage", |p| {
        p["message"].as_str().unwrap().contains("invalid agentls settings")
    });
}

#[test]
fn many_documents_opened_at_once_are_all_kept() {
    // The transport decodes each didOpen ahead of the server and hands it over by ticket; however
    // far ahead it runs, no document may be lost.
    let mut ws = Workspace::default_push();
    let docs: Vec<(String, String)> = (0..300)
        .map(|i| {
            let text = format!("---\nname: agent-{i}\ndescription: Agent number {i}.\n---\n\nBody {i}.\n");
            (ws.uri(&format!(".factory/droids/agent-{i}.md")), text)
        })
        .collect();
    for (uri, text) in &docs {
        ws.client.did_open(uri, 1, text);
    }
    for (uri, text) in &docs {
        assert_eq!(ws.client.document_text(uri), (1, text.clone()), "{uri}");
    }
}
