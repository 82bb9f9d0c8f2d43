//! End-to-end tests of the effective tool set over stdio: on a generated workspace with MCP
//! configurations and a team policy, the hover on a `tools` key (and on its value between items)
//! gives the effective tools and the MCP servers, a single tool keeps its own hover, the inlay hint
//! sits right after the `tools` value (or the `name` line) with its count, the code lens sits on
//! the opening `---` with a title-only command, and editing `.mcp.json` in the editor asks the
//! client to refresh them and changes what they say.

mod common;

use std::path::Path;

use common::{capabilities, file_uri, utf16_position, Client};
use serde_json::{json, Value};

const REVIEWER: &str =
    "---\nname: reviewer\ndescription: Reviews diffs\ntools: Read, Grep, mcp__github__*\nmodel: sonnet\n---\nReview.\n";
const HELPER: &str = "---\nname: helper\ndescription: Helps\ndisallowedTools: Write\n---\nHelp.\n";
const DROID: &str = "---\nname: ro\ndescription: Reads\ntools: read-only\nmcpServers: [\"linear\"]\n---\nRead.\n";
const MCP: &str = "{\"mcpServers\": {\"github\": {\"command\": \"gh-mcp\"}, \"linear\": {\"command\": \"lin\"}}}\n";

fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        (".claude/agents/reviewer.md", REVIEWER),
        (".claude/agents/helper.md", HELPER),
        (".factory/droids/ro.md", DROID),
        (".mcp.json", MCP),
        (".factory/mcp.json", "{\"mcpServers\": {\"linear\": {\"type\": \"http\", \"url\": \"https://l\"}}}\n"),
        (".agentls.yaml", "tools:\n  deny: [Bash]\n"),
    ]
}

struct Ws {
    dir: tempfile::TempDir,
    c: Client,
}

impl Ws {
    /// Writes the files, starts a server on the folder and waits until indexing ended.
    fn new() -> Ws {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files() {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let mut caps = capabilities(false, false);
        caps["window"] = json!({"workDoneProgress": true});
        caps["workspace"]["inlayHint"] = json!({"refreshSupport": true});
        caps["workspace"]["codeLens"] = json!({"refreshSupport": true});
        caps["textDocument"]["inlayHint"] = json!({"dynamicRegistration": false});
        caps["textDocument"]["codeLens"] = json!({"dynamicRegistration": false});
        let mut c = Client::spawn();
        let init = c.initialize(caps, Value::Null, Some(dir.path()));
        assert_eq!(init["capabilities"]["inlayHintProvider"], json!(true));
        assert_eq!(init["capabilities"]["codeLensProvider"], json!({"resolveProvider": false}));
        c.wait_notification_where("$/progress", |p| p["value"]["kind"] == "end");
        Ws { dir, c }
    }

    fn uri(&self, rel: &str) -> String {
        file_uri(&self.dir.path().join(rel))
    }

    fn open(&mut self, rel: &str, text: &str) -> String {
        let uri = self.uri(rel);
        self.c.did_open(&uri, 1, text);
        self.c.diagnostics(&uri, Some(1));
        uri
    }

    fn hover(&mut self, uri: &str, text: &str, at: usize) -> Value {
        let params = json!({"textDocument": {"uri": uri}, "position": utf16_position(text, at)});
        self.c.request("textDocument/hover", params).unwrap()
    }

    fn hints(&mut self, uri: &str, text: &str) -> Vec<Value> {
        let end = utf16_position(text, text.len());
        let params = json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": end}});
        self.c.request("textDocument/inlayHint", params).unwrap().as_array().unwrap().clone()
    }

    fn lenses(&mut self, uri: &str) -> Vec<Value> {
        let params = json!({"textDocument": {"uri": uri}});
        self.c.request("textDocument/codeLens", params).unwrap().as_array().unwrap().clone()
    }
}

/// Byte offset of an LSP position in an ASCII text.
fn offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let ch = pos["character"].as_u64().unwrap() as usize;
    text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + ch
}

fn slice<'a>(text: &'a str, range: &Value) -> &'a str {
    &text[offset(text, &range["start"])..offset(text, &range["end"])]
}

fn markdown(h: &Value) -> &str {
    assert_eq!(h["contents"]["kind"], "markdown", "{h}");
    h["contents"]["value"].as_str().unwrap()
}

#[test]
fn hover_hint_and_lens_show_the_effective_tools() {
    let mut ws = Ws::new();
    let uri = ws.open(".claude/agents/reviewer.md", REVIEWER);

    // On the `tools` key: the key's documentation, then the effective set with the MCP servers.
    let h = ws.hover(&uri, REVIEWER, REVIEWER.find("tools:").unwrap() + 2);
    assert_eq!(slice(REVIEWER, &h["range"]), "tools");
    let md = markdown(&h);
    assert!(md.contains("**`tools`** · Claude Code key"), "{md}");
    assert!(md.contains("**Effective tools** · 2 tools · as Claude Code computes them"), "{md}");
    assert!(md.contains("`Read`, `Grep`"), "{md}");
    assert!(md.contains("- `github` (.mcp.json): all tools (`mcp__github__*`)"), "{md}");
    assert!(md.contains("- `linear` (.mcp.json): none (not granted by `tools`)"), "{md}");

    // On the value between two items: the effective set alone, over the whole value.
    let h = ws.hover(&uri, REVIEWER, REVIEWER.find(", Grep").unwrap() + 1);
    assert_eq!(slice(REVIEWER, &h["range"]), "Read, Grep, mcp__github__*");
    assert!(markdown(&h).starts_with("**Effective tools** · 2 tools"), "{}", markdown(&h));

    // On one tool: that tool's own hover.
    let h = ws.hover(&uri, REVIEWER, REVIEWER.find("Grep").unwrap() + 1);
    assert_eq!(slice(REVIEWER, &h["range"]), "Grep");
    assert!(markdown(&h).contains("**`Grep`** · Claude Code tool") && !markdown(&h).contains("Effective tools"));

    // The inlay hint: right after the `tools` value.
    let hints = ws.hints(&uri, REVIEWER);
    assert_eq!(hints.len(), 1, "{hints:?}");
    let end_of_tools = REVIEWER.find(", mcp__github__*").unwrap() + ", mcp__github__*".len();
    assert_eq!(hints[0]["position"], utf16_position(REVIEWER, end_of_tools));
    assert_eq!(hints[0]["label"], "→ 2 tools + 1 MCP server");
    assert_eq!(hints[0]["paddingLeft"], true);
    let tip = hints[0]["tooltip"]["value"].as_str().unwrap();
    assert!(tip.contains("`Read`, `Grep`") && tip.contains("`github`: all tools"), "{tip}");

    // The code lens: on the opening `---`, a title and a command that runs nothing.
    let lenses = ws.lenses(&uri);
    assert_eq!(lenses.len(), 1, "{lenses:?}");
    assert_eq!(slice(REVIEWER, &lenses[0]["range"]), "---");
    assert_eq!(lenses[0]["range"]["start"], json!({"line": 0, "character": 0}));
    assert_eq!(lenses[0]["command"]["title"], "2 tools · 1 MCP server · model sonnet");
    assert_eq!(lenses[0]["command"]["command"], "");

    // A hint outside the requested range is not sent.
    let params = json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 3}}});
    assert_eq!(ws.c.request("textDocument/inlayHint", params).unwrap(), json!([]));
}

#[test]
fn inherited_tools_disallowed_tools_policy_and_mcp_edits() {
    let mut ws = Ws::new();
    let uri = ws.open(".claude/agents/helper.md", HELPER);

    // No `tools`: inherited, minus `disallowedTools` and the policy's `Bash`; both servers.
    let h = ws.hover(&uri, HELPER, HELPER.find("disallowedTools").unwrap() + 3);
    let md = markdown(&h).to_string();
    assert!(md.contains("No tools list: the agent inherits all"), "{md}");
    assert!(md.contains("- `Write`: `disallowedTools`"), "{md}");
    assert!(md.contains("- `Bash`: denied by the team policy"), "{md}");
    assert!(md.contains("Claude Code removes `AskUserQuestion`"), "{md}");
    let hints = ws.hints(&uri, HELPER);
    assert_eq!(hints.len(), 1);
    // With a deny list and no `tools`, the hint follows the deny list.
    let end = HELPER.find("Write").unwrap() + "Write".len();
    assert_eq!(hints[0]["position"], utf16_position(HELPER, end));
    let label = hints[0]["label"].as_str().unwrap().to_string();
    assert!(label.starts_with("→ ") && label.ends_with(" tools (inherited) + 2 MCP servers"), "{label}");
    let (n, m) = label["→ ".len()..].split_once(" tools").unwrap().0.split_once(" of ").unwrap();
    let (n, m): (usize, usize) = (n.parse().unwrap(), m.parse().unwrap());
    assert_eq!(n + 2, m, "Write and Bash removed: {label}");
    let title = ws.lenses(&uri)[0]["command"]["title"].as_str().unwrap().to_string();
    assert_eq!(title, format!("{n} tools · 2 MCP servers · model inherited"));

    // A droid: its category's tools, the automatic ones, and the one server `mcpServers` names.
    let droid = ws.open(".factory/droids/ro.md", DROID);
    let hints = ws.hints(&droid, DROID);
    assert_eq!(hints[0]["label"], "→ 6 tools + 1 MCP server");
    assert_eq!(hints[0]["position"], utf16_position(DROID, DROID.find("read-only").unwrap() + "read-only".len()));

    // A third server in the open `.mcp.json`: the client is asked to refresh, and the hint counts it.
    let mcp = ws.uri(".mcp.json");
    ws.c.did_open(&mcp, 1, MCP);
    ws.c.server_requests.clear();
    let more = MCP.replace("}}}", "}, \"jira\": {\"command\": \"jira\"}}}");
    ws.c.did_change(&mcp, 2, &[(Value::Null, more.as_str())]);
    ws.c.wait_server_request("workspace/inlayHint/refresh");
    ws.c.wait_server_request("workspace/codeLens/refresh");
    let hints = ws.hints(&uri, HELPER);
    assert!(hints[0]["label"].as_str().unwrap().ends_with("+ 3 MCP servers"), "{}", hints[0]["label"]);
    let h = ws.hover(&uri, HELPER, HELPER.find("Write").unwrap() - 3);
    assert!(markdown(&h).contains("- `jira` (.mcp.json): all tools (`mcp__jira__*`)"), "{}", markdown(&h));
}

#[test]
fn files_that_are_not_agents_get_none() {
    let mut ws = Ws::new();
    let text = "---\nname: pdf\ndescription: d\nallowed-tools: Read\n---\nBody\n";
    let uri = ws.open(".claude/skills/pdf/SKILL.md", text);
    assert_eq!(ws.hints(&uri, text), Vec::<Value>::new());
    assert_eq!(ws.lenses(&uri), Vec::<Value>::new());
    // A document the server does not have open: no answer.
    let params = json!({"textDocument": {"uri": file_uri(Path::new("/nowhere/a.md"))}});
    assert_eq!(ws.c.request("textDocument/codeLens", params).unwrap(), Value::Null);
}
