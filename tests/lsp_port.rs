//! The "Port to ..." code actions over stdio, against the built binary: a `WorkspaceEdit` that
//! creates the other product's file (`CreateFile` plus its text), only for clients that can create
//! files, and never where the target file exists.

mod common;

use common::{capabilities, range, Workspace};
use serde_json::{json, Value};

const REVIEWER: &str = "---\nname: code-reviewer\ndescription: Reviews a diff. Use proactively after every change.\ntools: Read, Grep, Glob, Bash\nmodel: sonnet\n---\n\nYou review code. Run `git diff` via Bash, then read every changed file.\n";

/// Capabilities of a client that applies `documentChanges` with file creation.
fn creating() -> Value {
    let mut caps = capabilities(false, false);
    caps["workspace"]["workspaceEdit"] =
        json!({"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]});
    caps
}

fn actions(ws: &mut Workspace, uri: &str) -> Vec<Value> {
    let params = json!({
        "textDocument": {"uri": uri},
        "range": range(json!({"line": 0, "character": 0}), json!({"line": 0, "character": 3})),
        "context": {"diagnostics": []},
    });
    ws.client.request("textDocument/codeAction", params).unwrap().as_array().cloned().unwrap_or_default()
}

fn titled<'a>(acts: &'a [Value], title: &str) -> Option<&'a Value> {
    acts.iter().find(|a| a["title"] == title)
}

#[test]
fn port_actions_create_the_target_file_with_its_text() {
    let mut ws = Workspace::new(creating(), Value::Null);
    ws.write(".claude/agents/code-reviewer.md", REVIEWER);
    let (uri, _) = ws.open(".claude/agents/code-reviewer.md", REVIEWER);
    let acts = actions(&mut ws, &uri);
    for t in ["Port to Factory droid", "Port to Copilot", "Port to OpenCode"] {
        assert!(titled(&acts, t).is_some(), "{t} missing: {acts:#?}");
    }
    assert!(titled(&acts, "Port to Claude Code").is_none(), "not to its own product");

    let act = titled(&acts, "Port to Factory droid").unwrap();
    assert_eq!(act["kind"], "refactor");
    let changes = act["edit"]["documentChanges"].as_array().unwrap();
    let target = ws.uri(".factory/droids/code-reviewer.md");
    assert_eq!(
        changes[0],
        json!({"kind": "create", "uri": target, "options": {"overwrite": false, "ignoreIfExists": false}})
    );
    assert_eq!(changes[1]["textDocument"], json!({"uri": target, "version": null}));
    let edit = &changes[1]["edits"][0];
    assert_eq!(edit["range"], range(json!({"line": 0, "character": 0}), json!({"line": 0, "character": 0})));
    assert_eq!(
        edit["newText"],
        "---\nname: code-reviewer\ndescription: Reviews a diff. Use proactively after every change.\nmodel: claude-sonnet-5\n\
         tools: [\"Read\", \"Grep\", \"Glob\", \"Execute\"]\n---\n\nYou review code. Run `git diff` via Execute, then read every changed file.\n"
    );
    let copilot = titled(&acts, "Port to Copilot").unwrap();
    assert_eq!(copilot["edit"]["documentChanges"][0]["uri"], ws.uri(".github/agents/code-reviewer.agent.md"));

    // Refused where the target exists.
    ws.write(".factory/droids/code-reviewer.md", "---\nname: code-reviewer\n---\n");
    let again = actions(&mut ws, &uri);
    assert!(titled(&again, "Port to Factory droid").is_none(), "{again:#?}");
    assert!(titled(&again, "Port to OpenCode").is_some());
}

#[test]
fn no_port_actions_for_clients_that_cannot_create_files_or_off_the_frontmatter() {
    let mut ws = Workspace::default_push();
    let (uri, _) = ws.open(".claude/agents/code-reviewer.md", REVIEWER);
    let acts = actions(&mut ws, &uri);
    assert!(!acts.iter().any(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Port to"))), "{acts:#?}");

    let mut ws = Workspace::new(creating(), Value::Null);
    let (uri, _) = ws.open(".claude/agents/code-reviewer.md", REVIEWER);
    let params = json!({
        "textDocument": {"uri": uri},
        "range": range(json!({"line": 7, "character": 0}), json!({"line": 7, "character": 3})),
        "context": {"diagnostics": []},
    });
    let acts = ws.client.request("textDocument/codeAction", params).unwrap();
    assert!(!acts.as_array().unwrap().iter().any(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Port to"))));
}
