//! End-to-end tests of the workspace index over stdio: a generated workspace with every dialect,
//! skills and MCP configurations is indexed in the background with `$/progress`; cross-file
//! findings arrive at their exact ranges; definition, references and rename return exactly the
//! expected locations and edits (a rename is applied to the files and re-checked); files created,
//! changed, renamed and deleted on disk update the diagnostics of the files that refer to them;
//! an open buffer's unsaved text wins over the disk.

mod common;

use std::path::{Path, PathBuf};

use common::{capabilities, file_uri, utf16_position, Client};
use serde_json::{json, Value};

const LEAD: &str = "---\nname: lead\ndescription: d\ntools: Read, Agent(helper, ghost), mcp__github__search, mcp__gone__x\nskills: pdf, pdff\n---\nBody\n";

fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        (".claude/agents/lead.md", LEAD),
        (".claude/agents/helper.md", "---\nname: helper\ndescription: d\n---\nB\n"),
        (".claude/agents/sub/dup.md", "---\nname: lead\ndescription: d\n---\nB\n"),
        (".claude/agents/explore.md", "---\nname: Explore\ndescription: d\n---\nB\n"),
        (".claude/skills/pdf/SKILL.md", "---\nname: pdf\ndescription: d\n---\nB\n"),
        (".mcp.json", "{\"mcpServers\": {\"github\": {\"command\": \"gh-mcp\"}}}\n"),
        (".github/agents/plan.agent.md", "---\nname: Planner\ndescription: d\nhandoffs:\n  - label: Go\n    agent: implement\n  - label: X\n    agent: nobody\n---\nB\n"),
        (".github/agents/implement.agent.md", "---\ndescription: d\n---\nB\n"),
        (".factory/mcp.json", "{\"mcpServers\": {\"linear\": {\"type\": \"http\", \"url\": \"https://l\"}}}\n"),
        (".factory/droids/triage.md", "---\nname: triage\ndescription: d\ntools: [\"Read\", \"linear___a\", \"jira___b\"]\n---\nB\n"),
        (".opencode/agents/lead.md", "---\ndescription: d\npermission:\n  task:\n    \"rev*\": allow\n    docs: allow\n---\nB\n"),
        (".opencode/agents/review.md", "---\ndescription: d\n---\nB\n"),
        // Never indexed: a dependency folder and a gitignored one.
        ("node_modules/pkg/.claude/agents/x.md", "---\nname: lead\ndescription: d\n---\nB\n"),
        ("ignored/.claude/agents/y.md", "---\nname: helper\ndescription: d\n---\nB\n"),
        (".gitignore", "ignored/\n"),
    ]
}

struct Ws {
    dir: tempfile::TempDir,
    c: Client,
}

fn caps() -> Value {
    let mut c = capabilities(false, false);
    c["window"] = json!({"workDoneProgress": true});
    c["workspace"]["workspaceEdit"] =
        json!({"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]});
    c["workspace"]["workspaceFolders"] = json!(true);
    c["textDocument"]["rename"] = json!({"prepareSupport": true});
    c
}

impl Ws {
    /// Writes the files, starts a server on the folder and waits until indexing ended.
    fn new() -> Ws {
        Ws::with_caps(caps())
    }

    fn with_caps(caps: Value) -> Ws {
        let dir = tempfile::tempdir().unwrap();
        let ws_dir = dir.path().join("ws");
        for (rel, text) in files() {
            write(&ws_dir.join(rel), text);
        }
        let mut c = Client::spawn();
        c.initialize(caps, Value::Null, Some(&ws_dir));
        c.wait_notification_where("$/progress", |p| p["value"]["kind"] == "end");
        Ws { dir, c }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("ws")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn uri(&self, rel: &str) -> String {
        file_uri(&self.path(rel))
    }

    /// Waits for diagnostics of `rel` that satisfy `pred` (over `(code, covered text)` pairs).
    fn diags_where(
        &mut self,
        rel: &str,
        text: &str,
        pred: impl Fn(&[(String, String)]) -> bool,
    ) -> Vec<(String, String)> {
        let uri = self.uri(rel);
        let text = text.to_string();
        let p = self.c.wait_notification_where("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && pred(&found(&text, p))
        });
        found(&text, &p)
    }

    fn watched(&mut self, changes: &[(&Path, u32)]) {
        let changes: Vec<Value> = changes.iter().map(|(p, t)| json!({"uri": file_uri(p), "type": t})).collect();
        self.c.clear_pending();
        self.c.notify("workspace/didChangeWatchedFiles", json!({"changes": changes}));
    }
}

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Byte offset of an LSP position in an ASCII text.
fn offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let ch = pos["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    start + ch
}

fn slice<'a>(text: &'a str, range: &Value) -> &'a str {
    &text[offset(text, &range["start"])..offset(text, &range["end"])]
}

/// The cross-file findings (the workspace rules) of a publish, as (code, covered text).
fn found(text: &str, p: &Value) -> Vec<(String, String)> {
    const CROSS: [&str; 7] = [
        "duplicate-agent-name",
        "shadows-builtin-agent",
        "unknown-agent",
        "unknown-skill",
        "unknown-mcp-server",
        "droid-name-clash",
        "mcp-config-invalid",
    ];
    let mut v: Vec<(String, String)> = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| CROSS.contains(&d["code"].as_str().unwrap_or("")))
        .map(|d| (d["code"].as_str().unwrap().to_string(), slice(text, &d["range"]).to_string()))
        .collect();
    v.sort();
    v
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    v.sort();
    v
}

fn pos_of(text: &str, needle: &str, nth: usize) -> Value {
    let at = text.match_indices(needle).nth(nth).unwrap().0;
    utf16_position(text, at + 1)
}

/// (file relative to the root, covered text, line) of each location.
fn locs(ws: &Ws, v: &Value) -> Vec<(String, String, u64)> {
    let mut out: Vec<(String, String, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let path = l["uri"].as_str().unwrap().strip_prefix("file://").unwrap().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let rel = Path::new(&path).strip_prefix(ws.root()).unwrap().to_string_lossy().into_owned();
            (rel, slice(&text, &l["range"]).to_string(), l["range"]["start"]["line"].as_u64().unwrap())
        })
        .collect();
    out.sort();
    out
}

/// Applies a workspace edit with `documentChanges` to the files on disk; returns the touched
/// paths (old and new of renames).
fn apply(edit: &Value) -> Vec<PathBuf> {
    let mut touched = Vec::new();
    for op in edit["documentChanges"].as_array().unwrap() {
        if op["kind"] == "rename" {
            let from = PathBuf::from(op["oldUri"].as_str().unwrap().strip_prefix("file://").unwrap());
            let to = PathBuf::from(op["newUri"].as_str().unwrap().strip_prefix("file://").unwrap());
            assert!(!to.exists());
            std::fs::rename(&from, &to).unwrap();
            touched.extend([from, to]);
            continue;
        }
        let path = PathBuf::from(op["textDocument"]["uri"].as_str().unwrap().strip_prefix("file://").unwrap());
        let mut text = std::fs::read_to_string(&path).unwrap();
        let mut edits: Vec<(usize, usize, String)> = op["edits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    offset(&text, &e["range"]["start"]),
                    offset(&text, &e["range"]["end"]),
                    e["newText"].as_str().unwrap().into(),
                )
            })
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        for (a, b, t) in edits {
            text.replace_range(a..b, &t);
        }
        std::fs::write(&path, text).unwrap();
        touched.push(path);
    }
    touched
}

#[test]
fn indexes_with_progress_and_finds_cross_file_problems_at_their_ranges() {
    let mut ws = Ws::new();
    let created = ws.c.server_requests.iter().any(|r| r["method"] == "window/workDoneProgress/create");
    assert!(created, "a progress token was created");
    let begin = ws.c.wait_notification_where("$/progress", |p| p["value"]["kind"] == "begin");
    assert_eq!(begin["value"]["title"], "agentls: indexing");
    let report = ws.c.wait_notification_where("$/progress", |p| p["value"]["kind"] == "report");
    assert!(report["value"]["message"].as_str().unwrap().ends_with("files"), "{report}");
    let reg = ws.c.wait_server_request("client/registerCapability");
    let globs = reg.to_string();
    for g in ["**/.mcp.json", "**/.factory/droids/*.md", "**/.claude/skills/**/SKILL.md", "**/opencode.json"] {
        assert!(globs.contains(g), "{g} watched: {globs}");
    }

    // Closed files with findings get them published (without a version).
    let lead = ws.diags_where(".claude/agents/lead.md", LEAD, |v| !v.is_empty());
    assert_eq!(
        lead,
        pairs(&[
            ("duplicate-agent-name", "lead"),
            ("unknown-agent", "ghost"),
            ("unknown-mcp-server", "gone"),
            ("unknown-skill", "pdff"),
        ]),
        "node_modules and gitignored copies of `lead` are not indexed"
    );
    let f = files();
    let text = |rel: &str| f.iter().find(|(r, _)| *r == rel).unwrap().1;
    let e = ws.diags_where(".claude/agents/explore.md", text(".claude/agents/explore.md"), |v| !v.is_empty());
    assert_eq!(e, pairs(&[("shadows-builtin-agent", "Explore")]));
    let p = ws.diags_where(".github/agents/plan.agent.md", text(".github/agents/plan.agent.md"), |v| !v.is_empty());
    assert_eq!(p, pairs(&[("unknown-agent", "nobody")]));
    let t = ws.diags_where(".factory/droids/triage.md", text(".factory/droids/triage.md"), |v| !v.is_empty());
    assert_eq!(t, pairs(&[("unknown-mcp-server", "jira")]));
    let o = ws.diags_where(".opencode/agents/lead.md", text(".opencode/agents/lead.md"), |v| !v.is_empty());
    assert_eq!(o, pairs(&[("unknown-agent", "docs")]));

    // An open document gets its own findings and the cross-file ones, with related locations.
    let uri = ws.uri(".claude/agents/lead.md");
    ws.c.did_open(&uri, 1, LEAD);
    let d = ws.c.diagnostics(&uri, Some(1));
    assert_eq!(found(LEAD, &d), lead);
    let dup = d["diagnostics"].as_array().unwrap().iter().find(|x| x["code"] == "duplicate-agent-name").unwrap();
    assert_eq!(dup["relatedInformation"].as_array().unwrap().len(), 1, "node_modules and ignored/ are skipped: {dup}");
    let rel = &dup["relatedInformation"][0]["location"];
    assert_eq!(rel["uri"], ws.uri(".claude/agents/sub/dup.md"));
    assert_eq!(rel["range"]["start"], json!({"line": 1, "character": 6}));
    ws.c.shutdown_and_exit();
}

#[test]
fn definition_references_and_rename() {
    let mut ws = Ws::new();
    let lead_uri = ws.uri(".claude/agents/lead.md");
    ws.c.did_open(&lead_uri, 1, LEAD);
    ws.c.diagnostics(&lead_uri, Some(1));
    let at = |text: &str, needle: &str, nth: usize, uri: &str| json!({"textDocument": {"uri": uri}, "position": pos_of(text, needle, nth)});

    // Agent, skill and MCP server references go to their definitions.
    let def = ws.c.request("textDocument/definition", at(LEAD, "helper", 0, &lead_uri)).unwrap();
    assert_eq!(locs(&ws, &def), [(".claude/agents/helper.md".into(), "helper".into(), 1)]);
    let def = ws.c.request("textDocument/definition", at(LEAD, "pdf", 0, &lead_uri)).unwrap();
    assert_eq!(locs(&ws, &def), [(".claude/skills/pdf/SKILL.md".into(), "pdf".into(), 1)]);
    let def = ws.c.request("textDocument/definition", at(LEAD, "github", 0, &lead_uri)).unwrap();
    assert_eq!(locs(&ws, &def), [(".mcp.json".into(), "github".into(), 0)]);
    let plan = files()[6].1;
    let plan_uri = ws.uri(".github/agents/plan.agent.md");
    let def = ws.c.request("textDocument/definition", at(plan, "implement", 0, &plan_uri)).unwrap();
    assert_eq!(locs(&ws, &def).len(), 1);
    assert_eq!(locs(&ws, &def)[0].0, ".github/agents/implement.agent.md");
    let pat = files()[10].1;
    let def = ws.c.request("textDocument/definition", at(pat, "rev*", 0, &ws.uri(".opencode/agents/lead.md"))).unwrap();
    assert_eq!(locs(&ws, &def)[0].0, ".opencode/agents/review.md", "a pattern goes to every agent it matches");

    // References from the definition and from a use; includeDeclaration honoured.
    let helper = files()[1].1;
    let helper_uri = ws.uri(".claude/agents/helper.md");
    let mut p = at(helper, "helper", 0, &helper_uri);
    p["context"] = json!({"includeDeclaration": true});
    let refs = ws.c.request("textDocument/references", p.clone()).unwrap();
    assert_eq!(
        locs(&ws, &refs),
        [
            (".claude/agents/helper.md".into(), "helper".into(), 1),
            (".claude/agents/lead.md".into(), "helper".into(), 3)
        ]
    );
    p["context"] = json!({"includeDeclaration": false});
    let refs = ws.c.request("textDocument/references", p).unwrap();
    assert_eq!(locs(&ws, &refs), [(".claude/agents/lead.md".into(), "helper".into(), 3)]);
    let mut p = at(LEAD, "github", 0, &lead_uri);
    p["context"] = json!({"includeDeclaration": true});
    let refs = ws.c.request("textDocument/references", p).unwrap();
    assert_eq!(locs(&ws, &refs).len(), 2, "the use and the .mcp.json entry");

    // Workspace symbols.
    let syms = ws.c.request("workspace/symbol", json!({"query": "help"})).unwrap();
    let names: Vec<&str> = syms.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["helper"]);
    let all = ws.c.request("workspace/symbol", json!({"query": ""})).unwrap();
    assert!(all.as_array().unwrap().len() >= 9, "{all}");

    // prepareRename: the name's range; refused on a missing agent and a built-in.
    let pr = ws.c.request("textDocument/prepareRename", at(LEAD, "helper", 0, &lead_uri)).unwrap();
    assert_eq!(slice(LEAD, &pr["range"]), "helper");
    assert_eq!(pr["placeholder"], "helper");
    assert!(ws.c.request("textDocument/prepareRename", at(LEAD, "ghost", 0, &lead_uri)).is_err());
    // Refused: a name that exists, one the dialect rejects.
    let mut p = at(LEAD, "helper", 0, &lead_uri);
    p["newName"] = json!("lead");
    assert!(ws.c.request("textDocument/rename", p.clone()).unwrap_err()["message"]
        .as_str()
        .unwrap()
        .contains("already"));
    p["newName"] = json!("Bad Name");
    assert!(ws.c.request("textDocument/rename", p.clone()).is_err());

    // Rename an agent: the `name` and every reference, nothing else.
    p["newName"] = json!("aide");
    let edit = ws.c.request("textDocument/rename", p).unwrap();
    let ops = edit["documentChanges"].as_array().unwrap();
    assert_eq!(ops.len(), 2, "{edit}");
    let touched = apply(&edit);
    let lead_now = std::fs::read_to_string(ws.path(".claude/agents/lead.md")).unwrap();
    assert!(lead_now.contains("Agent(aide, ghost)"), "{lead_now}");
    assert!(std::fs::read_to_string(ws.path(".claude/agents/helper.md")).unwrap().contains("name: aide"));
    // The editor would apply the edit to the open buffer too.
    ws.c.clear_pending();
    ws.c.did_change(&lead_uri, 2, &[(Value::Null, &lead_now)]);
    ws.watched(&touched.iter().map(|p| (p.as_path(), 2)).collect::<Vec<_>>());
    let lead_after = ws.diags_where(".claude/agents/lead.md", &lead_now, |v| v.len() == 4);
    assert_eq!(
        lead_after,
        pairs(&[
            ("duplicate-agent-name", "lead"),
            ("unknown-agent", "ghost"),
            ("unknown-mcp-server", "gone"),
            ("unknown-skill", "pdff"),
        ]),
        "no new findings after the rename"
    );

    // Rename a skill: its folder (a RenameFile), its `name` and every use.
    let mut p = at(&lead_now, "pdf", 0, &lead_uri);
    p["newName"] = json!("docs");
    let edit = ws.c.request("textDocument/rename", p).unwrap();
    let ops = edit["documentChanges"].as_array().unwrap();
    let renames: Vec<&Value> = ops.iter().filter(|o| o["kind"] == "rename").collect();
    assert_eq!(renames.len(), 1, "{edit}");
    assert!(renames[0]["newUri"].as_str().unwrap().ends_with("/.claude/skills/docs"));
    let touched = apply(&edit);
    assert!(ws.path(".claude/skills/docs/SKILL.md").exists());
    let lead_now2 = std::fs::read_to_string(ws.path(".claude/agents/lead.md")).unwrap();
    assert!(lead_now2.contains("skills: docs, pdff"), "{lead_now2}");
    ws.c.clear_pending();
    ws.c.did_change(&lead_uri, 3, &[(Value::Null, &lead_now2)]);
    let mut events: Vec<(PathBuf, u32)> =
        vec![(ws.path(".claude/skills/pdf"), 3), (ws.path(".claude/skills/docs/SKILL.md"), 1)];
    events.extend(touched.into_iter().filter(|p| p.is_file()).map(|p| (p, 2)));
    ws.watched(&events.iter().map(|(p, t)| (p.as_path(), *t)).collect::<Vec<_>>());
    let after = ws.diags_where(".claude/agents/lead.md", &lead_now2, |v| v.len() == 4);
    assert!(after.contains(&("unknown-skill".into(), "pdff".into())), "{after:?}");
    assert!(!after.iter().any(|(_, t)| t == "docs"), "{after:?}");
    ws.c.shutdown_and_exit();
}

/// Neovim 0.11 lists `resourceOperations` without `documentChanges`: resource operations only exist
/// in `documentChanges`, so the server sends them there (the spec falls back to `changes` only when
/// a client has neither). Without a `rename` operation, a rename that must move a file is refused.
#[test]
fn resource_operations_alone_are_enough_to_rename_files() {
    let mut nvim = caps();
    nvim["workspace"]["workspaceEdit"] = json!({"resourceOperations": ["rename", "create", "delete"]});
    let mut ws = Ws::with_caps(nvim);
    let lead_uri = ws.uri(".claude/agents/lead.md");
    let mut p = json!({"textDocument": {"uri": lead_uri}, "position": pos_of(LEAD, "pdf", 0), "newName": "docs"});
    let edit = ws.c.request("textDocument/rename", p.clone()).unwrap();
    let ops = edit["documentChanges"].as_array().expect("documentChanges");
    let renames: Vec<&Value> = ops.iter().filter(|o| o["kind"] == "rename").collect();
    assert_eq!(renames.len(), 1, "{edit}");
    assert!(renames[0]["newUri"].as_str().unwrap().ends_with("/.claude/skills/docs"), "{edit}");
    assert!(edit.get("changes").is_none_or(Value::is_null), "{edit}");
    ws.c.shutdown_and_exit();

    let mut no_rename = caps();
    no_rename["workspace"]["workspaceEdit"] = json!({"resourceOperations": ["create"]});
    let mut ws = Ws::with_caps(no_rename);
    p["textDocument"]["uri"] = json!(ws.uri(".claude/agents/lead.md"));
    let err = ws.c.request("textDocument/rename", p).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("cannot rename files"), "{err}");
    ws.c.shutdown_and_exit();
}

#[test]
fn disk_changes_and_open_buffers_update_the_files_that_refer_to_them() {
    let mut ws = Ws::new();
    let lead_uri = ws.uri(".claude/agents/lead.md");
    ws.c.did_open(&lead_uri, 1, LEAD);
    let has = |v: &[(String, String)], code: &str, t: &str| v.iter().any(|(c, x)| c == code && x == t);
    ws.diags_where(".claude/agents/lead.md", LEAD, |v| has(v, "unknown-agent", "ghost"));

    // Created on disk: `ghost` now exists.
    let ghost = ws.path(".claude/agents/ghost.md");
    write(&ghost, "---\nname: ghost\ndescription: d\n---\nB\n");
    ws.watched(&[(&ghost, 1)]);
    ws.diags_where(".claude/agents/lead.md", LEAD, |v| !has(v, "unknown-agent", "ghost"));
    // Changed: it is called something else.
    write(&ghost, "---\nname: ghost2\ndescription: d\n---\nB\n");
    ws.watched(&[(&ghost, 2)]);
    ws.diags_where(".claude/agents/lead.md", LEAD, |v| has(v, "unknown-agent", "ghost"));
    // Changed back, then deleted.
    write(&ghost, "---\nname: ghost\ndescription: d\n---\nB\n");
    ws.watched(&[(&ghost, 2)]);
    ws.diags_where(".claude/agents/lead.md", LEAD, |v| !has(v, "unknown-agent", "ghost"));
    std::fs::remove_file(&ghost).unwrap();
    ws.watched(&[(&ghost, 3)]);
    ws.diags_where(".claude/agents/lead.md", LEAD, |v| has(v, "unknown-agent", "ghost"));
    // A skill folder renamed on disk (delete + create).
    let (old, new) = (ws.path(".claude/skills/pdf"), ws.path(".claude/skills/pdf2"));
    std::fs::rename(&old, &new).unwrap();
    ws.watched(&[(&old.join("SKILL.md"), 3), (&new.join("SKILL.md"), 1)]);
    ws.diags_where(".claude/agents/lead.md", LEAD, |v| has(v, "unknown-skill", "pdf"));
    std::fs::rename(&new, &old).unwrap();
    ws.watched(&[(&new, 3), (&old.join("SKILL.md"), 1)]);
    ws.diags_where(".claude/agents/lead.md", LEAD, |v| !has(v, "unknown-skill", "pdf"));

    // An open buffer's unsaved text wins over the disk.
    let helper_uri = ws.uri(".claude/agents/helper.md");
    let unsaved = "---\nname: helper2\ndescription: d\n---\nB\n";
    ws.c.clear_pending();
    ws.c.did_open(&helper_uri, 1, unsaved);
    ws.diags_where(".claude/agents/lead.md", LEAD, |v| has(v, "unknown-agent", "helper"));
    ws.watched(&[(&ws.path(".claude/agents/helper.md"), 2)]);
    ws.c.request("agentls/documentText", json!({"textDocument": {"uri": helper_uri}})).unwrap();
    let refs =
        ws.c.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": lead_uri}, "position": pos_of(LEAD, "helper", 0)}),
        )
        .unwrap();
    assert!(refs.is_null(), "the disk's `helper` is hidden by the buffer: {refs}");
    // Closed: the disk's text is back.
    ws.c.clear_pending();
    ws.c.did_close(&helper_uri);
    ws.diags_where(".claude/agents/lead.md", LEAD, |v| !has(v, "unknown-agent", "helper"));
    ws.c.shutdown_and_exit();
}
