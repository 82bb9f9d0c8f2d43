//! End-to-end feature tests of `agentls lsp`: completion, hover, symbols, folding, semantic
//! tokens and code actions. Each test opens a fixture with a `$0` cursor through `open_at` and
//! asks one request through a helper that returns plain Rust values, so engine-specific
//! assertions are one line each (`assert!(completion_labels(..).contains(..))`). The invariants
//! checked now hold for any engine output: well-formed items, ranges inside the document.

mod common;

use common::{cursor, range, Workspace};
use serde_json::{json, Value};

/// A Factory droid with the cursor inside the `tools` list.
const DROID_IN_TOOLS: &str = "---\nname: reviewer\ndescription: Reviews code 😀\ntools: [\"$0\"]\nmodel: inherit\n---\n\n# Reviewer\n\n## Core Purpose\nReview.\n\n```sh\nls\n```\n";

/// Opens `text` (with a `$0` marker) as `rel` in a fresh UTF-16 workspace.
fn open_at(rel: &str, text_with_marker: &str) -> (Workspace, String, Value) {
    let (text, pos) = cursor(text_with_marker);
    let mut ws = Workspace::default_push();
    let (uri, _) = ws.open(rel, &text);
    (ws, uri, pos)
}

fn at(uri: &str, pos: &Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": pos})
}

fn doc(uri: &str) -> Value {
    json!({"textDocument": {"uri": uri}})
}

/// The completion items at `pos`, checked for shape.
fn completion_items(ws: &mut Workspace, uri: &str, pos: &Value) -> Vec<Value> {
    let r = ws.client.request("textDocument/completion", at(uri, pos)).unwrap();
    let items = if r.is_array() { r.clone() } else { r["items"].clone() };
    let items = items.as_array().expect("a completion list").clone();
    for item in &items {
        assert!(item["label"].as_str().is_some_and(|l| !l.is_empty()), "{item}");
        let edit = &item["textEdit"];
        assert!(edit["newText"].is_string(), "completion inserts through a textEdit: {item}");
        assert_eq!(edit["range"]["start"]["line"], pos["line"], "the edit replaces on the cursor line: {item}");
    }
    items
}

fn completion_labels(ws: &mut Workspace, uri: &str, pos: &Value) -> Vec<String> {
    completion_items(ws, uri, pos).iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

/// The hover Markdown at `pos`, if any.
fn hover_markdown(ws: &mut Workspace, uri: &str, pos: &Value) -> Option<String> {
    let r = ws.client.request("textDocument/hover", at(uri, pos)).unwrap();
    if r.is_null() {
        return None;
    }
    assert_eq!(r["contents"]["kind"], "markdown", "{r}");
    Some(r["contents"]["value"].as_str().unwrap().to_string())
}

/// The outline as `(depth, name)` pairs, checked so each selection range lies inside its range.
fn symbol_names(ws: &mut Workspace, uri: &str) -> Vec<(usize, String)> {
    fn walk(symbols: &Value, depth: usize, out: &mut Vec<(usize, String)>) {
        for s in symbols.as_array().unwrap() {
            let (r, sel) = (&s["range"], &s["selectionRange"]);
            let key = |p: &Value| (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
            assert!(key(&r["start"]) <= key(&sel["start"]) && key(&sel["end"]) <= key(&r["end"]), "{s}");
            out.push((depth, s["name"].as_str().unwrap().to_string()));
            if let Some(children) = s.get("children") {
                walk(children, depth + 1, out);
            }
        }
    }
    let r = ws.client.request("textDocument/documentSymbol", doc(uri)).unwrap();
    let mut out = Vec::new();
    walk(&r, 0, &mut out);
    out
}

/// Folding ranges as `(start line, end line)`.
fn fold_lines(ws: &mut Workspace, uri: &str) -> Vec<(u64, u64)> {
    let r = ws.client.request("textDocument/foldingRange", doc(uri)).unwrap();
    r.as_array()
        .unwrap()
        .iter()
        .map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap()))
        .inspect(|(a, b)| assert!(a < b))
        .collect()
}

/// Semantic tokens as absolute `(line, start, length, type, modifiers)`.
fn semantic_tokens(ws: &mut Workspace, uri: &str) -> Vec<[u64; 5]> {
    let r = ws.client.request("textDocument/semanticTokens/full", doc(uri)).unwrap();
    let data: Vec<u64> = r["data"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert_eq!(data.len() % 5, 0);
    let (mut line, mut col) = (0, 0);
    data.chunks(5)
        .map(|t| {
            line += t[0];
            col = if t[0] == 0 { col + t[1] } else { t[1] };
            [line, col, t[2], t[3], t[4]]
        })
        .collect()
}

/// Code actions for `range` with the given context diagnostics and `only` filter.
fn code_actions(ws: &mut Workspace, uri: &str, range: Value, diagnostics: Value, only: Option<Value>) -> Vec<Value> {
    let mut context = json!({"diagnostics": diagnostics});
    if let Some(only) = only {
        context["only"] = only;
    }
    let params = json!({"textDocument": {"uri": uri}, "range": range, "context": context});
    let r = ws.client.request("textDocument/codeAction", params).unwrap();
    let actions = r.as_array().cloned().unwrap_or_default();
    for a in &actions {
        assert!(a["title"].is_string() && a["kind"].is_string(), "{a}");
        assert!(a["edit"]["changes"][uri].is_array(), "every action edits this document: {a}");
    }
    actions
}

/// A droid with a Claude Code tool after an emoji, so columns differ between encodings.
const DROID_WITH_BASH: &str = "---\nname: reviewer\ndescription: Reviews code\ntools: [\"😀\", \"Bash\"]\nmodel: inherit\n---\n\n# Reviewer\n\nReview.\n";

/// The published diagnostic with `code`.
fn find_diagnostic(published: &Value, code: &str) -> Value {
    let all = published["diagnostics"].as_array().unwrap();
    all.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no `{code}` in {published}")).clone()
}

#[test]
fn diagnostics_carry_rule_codes_fixes_and_negotiated_columns() {
    for (utf8, start, end) in [(false, 15, 19), (true, 17, 21)] {
        let mut ws = Workspace::new(common::capabilities(utf8, false), Value::Null);
        let (_, published) = ws.open(".factory/droids/reviewer.md", DROID_WITH_BASH);
        let d = find_diagnostic(&published, "foreign-tool");
        assert_eq!(d["source"], "agentls");
        assert_eq!(d["severity"], 1);
        let expected = range(json!({"line": 3, "character": start}), json!({"line": 3, "character": end}));
        assert_eq!(d["range"], expected, "utf8={utf8}");
        assert_eq!(d["data"]["version"], 1);
        let fix = &d["data"]["fixes"][0];
        assert_eq!(fix["title"], "Replace `Bash` with `Execute`");
        assert_eq!(fix["safe"], true);
        assert_eq!(fix["edits"][0]["range"], expected);
    }
}

#[test]
fn quick_fix_and_fix_all_repair_a_foreign_tool() {
    let mut ws = Workspace::default_push();
    let (uri, published) = ws.open(".factory/droids/reviewer.md", DROID_WITH_BASH);
    let d = find_diagnostic(&published, "foreign-tool");
    let actions = code_actions(&mut ws, &uri, d["range"].clone(), json!([d]), None);
    let fixes: Vec<&Value> = actions.iter().filter(|a| a["title"] == "Replace `Bash` with `Execute`").collect();
    assert_eq!(fixes.len(), 1, "the engine's fix and the one in `data` are the same action: {actions:?}");
    let fix = fixes[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0], d, "the action carries the client's diagnostic");
    assert_eq!(fix["edit"]["changes"][&uri], json!([{"range": d["range"], "newText": "Execute"}]));

    // `source.fixAll` (as editors request on save) gets only the fix-all action, which applies
    // every safe fix of the file, even outside the requested range.
    let top = range(json!({"line": 0, "character": 0}), json!({"line": 0, "character": 0}));
    let fix_all = code_actions(&mut ws, &uri, top, json!([]), Some(json!(["source.fixAll"])));
    assert_eq!(fix_all.len(), 1, "{fix_all:?}");
    assert_eq!(fix_all[0]["kind"], "source.fixAll.agentls");
    let edits = fix_all[0]["edit"]["changes"][&uri].as_array().unwrap();
    assert!(edits.iter().any(|e| e["newText"] == "Execute" && e["range"] == d["range"]), "{edits:?}");
}

#[test]
fn quick_fixes_come_from_diagnostic_data_of_the_current_version() {
    let (mut ws, uri, _) = open_at("notes/plain.md", "# Notes\n\nNothing to fix here.\n$0");
    let culprit = range(json!({"line": 2, "character": 0}), json!({"line": 2, "character": 7}));
    let diag = |version: i32| {
        json!({
            "range": culprit, "message": "test", "source": "agentls", "code": "test-rule",
            "data": {"version": version, "fixes": [
                {"title": "Fabricated fix", "safe": true, "edits": [{"range": culprit, "newText": "Something"}]}
            ]}
        })
    };
    let actions = code_actions(&mut ws, &uri, culprit.clone(), json!([diag(1)]), None);
    let fix = actions.iter().find(|a| a["title"] == "Fabricated fix").expect("the quick fix from data");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "test-rule");
    assert_eq!(fix["edit"]["changes"][&uri][0]["newText"], "Something");
    // Data computed for another version would edit the wrong place: it is not used.
    let stale = code_actions(&mut ws, &uri, culprit.clone(), json!([diag(0)]), None);
    assert!(stale.iter().all(|a| a["title"] != "Fabricated fix"));
    // `only` filters by kind prefix.
    let only = Some(json!(["refactor"]));
    let refactors = code_actions(&mut ws, &uri, culprit.clone(), json!([diag(1)]), only);
    assert!(refactors.iter().all(|a| a["kind"].as_str().unwrap().starts_with("refactor")));
}

#[test]
fn completion_offers_factory_tools_in_a_droid() {
    let (mut ws, uri, pos) = open_at(".factory/droids/reviewer.md", DROID_IN_TOOLS);
    let items = completion_items(&mut ws, &uri, &pos);
    let execute = items.iter().find(|i| i["label"] == "Execute").expect("Execute is offered");
    assert!(execute["documentation"]["kind"] == "markdown" || execute["documentation"].is_null());
    assert!(!completion_labels(&mut ws, &uri, &pos).iter().any(|l| l == "Bash"), "Bash is a Claude Code tool");
}

#[test]
fn hover_explains_keys_in_markdown() {
    let (mut ws, uri, _) = open_at(".factory/droids/reviewer.md", DROID_IN_TOOLS);
    let on_tools_key = json!({"line": 3, "character": 2});
    let md = hover_markdown(&mut ws, &uri, &on_tools_key).expect("hover on `tools`");
    assert!(!md.trim().is_empty());
    let nowhere = json!({"line": 500, "character": 500});
    let _ = hover_markdown(&mut ws, &uri, &nowhere);
}

#[test]
fn hover_on_a_diagnostic_explains_the_rule() {
    let mut ws = Workspace::default_push();
    let (uri, _) = ws.open(".factory/droids/reviewer.md", DROID_WITH_BASH);
    let on_bash = json!({"line": 3, "character": 16});
    let md = hover_markdown(&mut ws, &uri, &on_bash).expect("hover on `Bash`");
    assert!(md.contains("Execute"), "{md}");
}

#[test]
fn outline_folds_and_tokens_cover_the_droid() {
    let (mut ws, uri, _) = open_at(".factory/droids/reviewer.md", DROID_IN_TOOLS);
    let names = symbol_names(&mut ws, &uri);
    assert!(names.iter().any(|(_, n)| n == "tools"), "{names:?}");
    assert!(names.iter().any(|(_, n)| n.contains("Reviewer")), "{names:?}");
    let folds = fold_lines(&mut ws, &uri);
    // The frontmatter folds from its opening to its closing `---`; the fenced code block and the sections fold too.
    assert!(folds.contains(&(0, 5)), "{folds:?}");
    assert!(folds.contains(&(12, 14)), "{folds:?}");
    assert!(folds.contains(&(7, 14)), "the `# Reviewer` section: {folds:?}");
    let tokens = semantic_tokens(&mut ws, &uri);
    assert!(!tokens.is_empty());
    // The `name` key on line 1 is a property token (legend index 0).
    assert!(tokens.iter().any(|t| t[0] == 1 && t[1] == 0 && t[2] == 4 && t[3] == 0), "{tokens:?}");
}

#[test]
fn requests_see_the_current_version_and_settings_never_a_cached_past() {
    // The server parses and checks each version once and reuses that for later requests; this
    // proves the reuse never outlives the version or the settings it was made for.
    let mut ws = Workspace::default_push();
    let (uri, published) = ws.open(".factory/droids/reviewer.md", DROID_WITH_BASH);
    let d = find_diagnostic(&published, "foreign-tool");
    let on_bash = json!({"line": 3, "character": 16});
    let offers_fix = |ws: &mut Workspace| {
        code_actions(ws, &uri, d["range"].clone(), json!([]), None)
            .iter()
            .any(|a| a["title"] == "Replace `Bash` with `Execute`")
    };
    assert!(offers_fix(&mut ws));
    assert!(hover_markdown(&mut ws, &uri, &on_bash).unwrap().contains("foreign-tool"));

    // Same version, new settings: Bash becomes a known tool.
    let has_foreign = |p: &Value| p["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "foreign-tool");
    let settings = |tools: Value| json!({"settings": {"agentls": {"extraTools": tools}}});
    ws.client.notify("workspace/didChangeConfiguration", settings(json!(["Bash"])));
    ws.client.wait_notification_where("textDocument/publishDiagnostics", |p| p["uri"] == uri && !has_foreign(p));
    assert!(!offers_fix(&mut ws), "code actions use the diagnostics of the new settings");
    assert!(!hover_markdown(&mut ws, &uri, &on_bash).unwrap_or_default().contains("foreign-tool"));
    ws.client.notify("workspace/didChangeConfiguration", settings(json!([])));
    ws.client.wait_notification_where("textDocument/publishDiagnostics", |p| p["uri"] == uri && has_foreign(p));
    assert!(offers_fix(&mut ws));

    // New version: Bash replaced by a Factory tool.
    ws.client.did_change(&uri, 2, &[(d["range"].clone(), "Grep")]);
    let published = ws.client.diagnostics(&uri, Some(2));
    assert!(!has_foreign(&published), "{published}");
    assert!(!offers_fix(&mut ws), "code actions use the new version");
    assert!(!hover_markdown(&mut ws, &uri, &on_bash).unwrap_or_default().contains("foreign-tool"));
}

#[test]
fn skill_links_point_at_files_and_a_missing_script_is_a_diagnostic() {
    let rel = ".claude/skills/pdf-forms/SKILL.md";
    let text = "---\nname: pdf-forms\ndescription: Fills PDF forms.\nallowed-tools: Read Grpe\n---\nRun `scripts/fill.py`, read [the fields](references/fields.md), then `scripts/gone.sh`.\n";
    let mut ws = Workspace::default_push();
    ws.write(".claude/skills/pdf-forms/scripts/fill.py", "print()\n");
    ws.write(".claude/skills/pdf-forms/references/fields.md", "# Fields\n");
    let (uri, published) = ws.open(rel, text);
    let codes: Vec<&str> =
        published["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"unknown-tool"), "{published}");
    let missing = find_diagnostic(&published, "missing-file");
    assert_eq!(missing["range"]["start"]["line"], 5, "{missing}");
    let col = text.lines().nth(5).unwrap().find("scripts/gone.sh").unwrap();
    assert_eq!(missing["range"]["start"]["character"], col as u64, "{missing}");
    let links = ws.client.request("textDocument/documentLink", doc(&uri)).unwrap();
    let targets: Vec<String> =
        links.as_array().unwrap().iter().map(|l| l["target"].as_str().unwrap().to_string()).collect();
    assert_eq!(targets.len(), 3, "{links}");
    assert!(targets[0].ends_with("/.claude/skills/pdf-forms/scripts/fill.py"), "{targets:?}");
    assert!(targets[1].ends_with("/.claude/skills/pdf-forms/references/fields.md"), "{targets:?}");
    assert_eq!(links[0]["range"]["start"], json!({"line": 5, "character": 5}), "{links}");
}
