//! The user scope over stdio, against the built binary with `HOME` pointed at a temporary folder:
//! off by default (nothing outside the workspace is read); with `userScope` on, a project agent
//! named like a user-level one gets `shadows-user-agent` on its name, a use of a user-level agent
//! resolves (go-to-definition lands in the user's file), a rename of it is refused, turning the
//! setting off again brings the old findings back, and no diagnostics are ever published for the
//! user's files.

mod common;

use std::path::{Path, PathBuf};

use common::{capabilities, file_uri, utf16_position, Client};
use serde_json::{json, Value};

const PROJECT_REVIEWER: &str = "---\nname: reviewer\ndescription: Reviews the project's diffs.\n---\nReview.\n";
const LEAD: &str = "---\nname: lead\ndescription: Leads.\ntools: Read, Agent(helper, ghost)\n---\nLead.\n";
const USER_REVIEWER: &str = "---\nname: reviewer\ndescription: My own reviewer.\ntools: Agent(nobody)\n---\nMine.\n";
const USER_HELPER: &str = "---\nname: helper\ndescription: Helps.\n---\nHelp.\n";

struct Setup {
    _dir: tempfile::TempDir,
    home: PathBuf,
    ws: PathBuf,
}

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let ws = dir.path().join("ws");
    write(&home.join(".claude/agents/reviewer.md"), USER_REVIEWER);
    write(&home.join(".claude/agents/team/helper.md"), USER_HELPER);
    write(&ws.join(".claude/agents/reviewer.md"), PROJECT_REVIEWER);
    write(&ws.join(".claude/agents/lead.md"), LEAD);
    Setup { _dir: dir, home, ws }
}

fn caps() -> Value {
    let mut c = capabilities(false, false);
    c["window"] = json!({"workDoneProgress": true});
    c["workspace"]["workspaceEdit"] = json!({"documentChanges": true, "resourceOperations": ["rename"]});
    c["workspace"]["didChangeConfiguration"] = json!({"dynamicRegistration": false});
    c
}

fn start(s: &Setup, options: Value) -> Client {
    let xdg = s.home.join(".config");
    let mut c = Client::spawn_env(&[("HOME", Some(&s.home)), ("XDG_CONFIG_HOME", Some(&xdg))]);
    c.initialize(caps(), options, Some(&s.ws));
    c.wait_notification_where("$/progress", |p| p["value"]["kind"] == "end");
    c
}

fn slice<'a>(text: &'a str, range: &Value) -> &'a str {
    let off = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + p["character"].as_u64().unwrap() as usize
    };
    &text[off(&range["start"])..off(&range["end"])]
}

/// The (code, covered text) pairs of a publish.
fn codes(text: &str, p: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap_or("").to_string(), slice(text, &d["range"]).to_string()))
        .collect();
    v.sort();
    v
}

fn has(v: &[(String, String)], code: &str, text: &str) -> bool {
    v.iter().any(|(c, t)| c == code && t == text)
}

/// After the server exited: no publish ever named a file of the user scope.
fn no_publish_under(c: &mut Client, home: &Path) {
    c.drain();
    let prefix = file_uri(home);
    let user: Vec<&Value> = c
        .notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .filter(|n| n["params"]["uri"].as_str().unwrap().starts_with(&prefix))
        .collect();
    assert!(user.is_empty(), "diagnostics published for user-scope files: {user:?}");
    let publishes = c.notifications.iter().filter(|n| n["method"] == "textDocument/publishDiagnostics").count();
    assert!(publishes > 0, "the check saw the publishes");
}

#[test]
fn off_by_default_nothing_of_the_user_scope_is_seen() {
    let s = setup();
    let mut c = start(&s, Value::Null);
    let uri = file_uri(&s.ws.join(".claude/agents/reviewer.md"));
    c.did_open(&uri, 1, PROJECT_REVIEWER);
    let d = c.diagnostics(&uri, Some(1));
    assert!(!has(&codes(PROJECT_REVIEWER, &d), "shadows-user-agent", "reviewer"), "{d}");
    let lead_uri = file_uri(&s.ws.join(".claude/agents/lead.md"));
    c.did_open(&lead_uri, 1, LEAD);
    let d = c.diagnostics(&lead_uri, Some(1));
    assert!(has(&codes(LEAD, &d), "unknown-agent", "helper"), "{d}");
    let msg = d["diagnostics"].as_array().unwrap().iter().find(|x| x["code"] == "unknown-agent").unwrap();
    assert!(msg["message"].as_str().unwrap().contains("user-level agents are not read"), "{msg}");
    c.shutdown_and_exit();
    no_publish_under(&mut c, &s.home);
}

#[test]
fn on_the_user_scope_defines_shadows_refuses_renames_and_is_never_reported() {
    let s = setup();
    let mut c = start(&s, json!({"userScope": true}));
    let log = c.wait_notification_where("window/logMessage", |p| {
        p["message"].as_str().is_some_and(|m| m.starts_with("user scope:"))
    });
    assert!(log["message"].as_str().unwrap().contains("2 user-level agent file(s)"), "{log}");

    // The project's `reviewer` hides the user's: a warning on its name, naming the user file.
    let uri = file_uri(&s.ws.join(".claude/agents/reviewer.md"));
    c.did_open(&uri, 1, PROJECT_REVIEWER);
    let d = c.diagnostics(&uri, Some(1));
    let shadow = d["diagnostics"].as_array().unwrap().iter().find(|x| x["code"] == "shadows-user-agent");
    let shadow = shadow.unwrap_or_else(|| panic!("no shadows-user-agent: {d}"));
    assert_eq!(slice(PROJECT_REVIEWER, &shadow["range"]), "reviewer");
    assert_eq!(shadow["severity"], 2, "a warning");
    let message = shadow["message"].as_str().unwrap();
    assert!(
        message.contains("~/.claude/agents/reviewer.md") && message.contains("Claude Code runs this project's agent"),
        "{message}"
    );
    let rel = &shadow["relatedInformation"][0]["location"];
    assert_eq!(rel["uri"], file_uri(&s.home.join(".claude/agents/reviewer.md")));
    assert_eq!(rel["range"]["start"], json!({"line": 1, "character": 6}));

    // `helper` is the user's (in a subfolder): no finding, and go-to-definition lands there.
    let lead_uri = file_uri(&s.ws.join(".claude/agents/lead.md"));
    c.did_open(&lead_uri, 1, LEAD);
    let d = c.diagnostics(&lead_uri, Some(1));
    let found = codes(LEAD, &d);
    assert!(!has(&found, "unknown-agent", "helper") && has(&found, "unknown-agent", "ghost"), "{found:?}");
    let ghost = d["diagnostics"].as_array().unwrap().iter().find(|x| x["code"] == "unknown-agent").unwrap();
    assert!(ghost["message"].as_str().unwrap().contains("nor among your user-level agents"), "{ghost}");
    let at_helper =
        json!({"textDocument": {"uri": lead_uri}, "position": utf16_position(LEAD, LEAD.find("helper").unwrap() + 1)});
    let def = c.request("textDocument/definition", at_helper.clone()).unwrap();
    assert_eq!(def[0]["uri"], file_uri(&s.home.join(".claude/agents/team/helper.md")));
    assert_eq!(slice(USER_HELPER, &def[0]["range"]), "helper");

    // Renaming the user's agent is refused: the user scope is read-only.
    let mut p = at_helper.clone();
    p["newName"] = json!("aide");
    let err = c.request("textDocument/rename", p).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("does not edit the user scope"), "{err}");
    assert!(c.request("textDocument/prepareRename", at_helper).is_err());
    // Renaming the project's `reviewer` edits project files only.
    let mut p =
        json!({"textDocument": {"uri": uri}, "position": utf16_position(PROJECT_REVIEWER, 12), "newName": "critic"});
    let edit = c.request("textDocument/rename", p.take()).unwrap();
    assert!(!edit.to_string().contains(&file_uri(&s.home)), "no edit under HOME: {edit}");

    // Off again: the shadow goes, `helper` is unknown again.
    c.clear_pending();
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"agentls": {"userScope": false}}}));
    c.wait_notification_where("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str() && !has(&codes(PROJECT_REVIEWER, p), "shadows-user-agent", "reviewer")
    });
    c.wait_notification_where("textDocument/publishDiagnostics", |p| {
        p["uri"] == lead_uri.as_str() && has(&codes(LEAD, p), "unknown-agent", "helper")
    });
    // And on once more: the shadow is back.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"agentls": {"userScope": true}}}));
    c.wait_notification_where("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str() && has(&codes(PROJECT_REVIEWER, p), "shadows-user-agent", "reviewer")
    });
    c.shutdown_and_exit();
    no_publish_under(&mut c, &s.home);
}
