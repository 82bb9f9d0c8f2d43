//! Cross-file rules end to end through the built binary, on `tests/fixtures/workspace` (agents of
//! every dialect, a skill, an MCP configuration of every product): each finding at its exact place
//! with the other files involved, JSON and SARIF, `--no-cross-file`, `--changed` and `--user-scope`
//! (with `HOME` pointed at a temporary folder).

mod support;

use std::path::{Path, PathBuf};

use support::run_agentls as agentls;

const CROSS: [&str; 8] = [
    "duplicate-agent-name",
    "shadows-builtin-agent",
    "shadows-user-agent",
    "unknown-agent",
    "unknown-skill",
    "unknown-mcp-server",
    "droid-name-clash",
    "mcp-config-invalid",
];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace")
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let o = agentls(dir, args);
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

/// (path, code, severity, the text under the range, related paths) of every cross-file finding.
fn cross(dir: &Path, v: &serde_json::Value) -> Vec<(String, String, String, String, Vec<String>)> {
    let mut out = Vec::new();
    for d in v["diagnostics"].as_array().unwrap() {
        let code = d["code"].as_str().unwrap();
        if !CROSS.contains(&code) {
            continue;
        }
        let path = d["path"].as_str().unwrap();
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        let (s, e) = (&d["range"]["start"], &d["range"]["end"]);
        let line = |l: &serde_json::Value| text.lines().nth(l.as_u64().unwrap() as usize).unwrap_or("").to_string();
        assert_eq!(s["line"], e["line"], "one-line culprits");
        let l = line(&s["line"]);
        let culprit =
            l[s["character"].as_u64().unwrap() as usize..e["character"].as_u64().unwrap() as usize].to_string();
        let related = d["related"]
            .as_array()
            .map_or(vec![], |r| r.iter().map(|x| x["path"].as_str().unwrap().to_string()).collect());
        out.push((path.to_string(), code.to_string(), d["severity"].as_str().unwrap().to_string(), culprit, related));
    }
    out
}

fn row(p: &str, c: &str, s: &str, t: &str, r: &[&str]) -> (String, String, String, String, Vec<String>) {
    (p.into(), c.into(), s.into(), t.into(), r.iter().map(|x| x.to_string()).collect())
}

#[test]
fn every_cross_file_finding_at_its_place() {
    let dir = fixture();
    let v = json(&dir, &["check", ".", "--format", "json"]);
    let found = cross(&dir, &v);
    let expected = vec![
        row(".claude/agents/explore.md", "shadows-builtin-agent", "info", "Explore", &[]),
        row(
            ".claude/agents/helper.md",
            "duplicate-agent-name",
            "warning",
            "helper",
            &[".claude/agents/team/helper-copy.md"],
        ),
        row(".claude/agents/lead.md", "unknown-agent", "warning", "ghost", &[]),
        row(".claude/agents/lead.md", "unknown-mcp-server", "warning", "jira", &[".mcp.json"]),
        row(".claude/agents/lead.md", "unknown-skill", "warning", "pdff", &[]),
        row(".claude/agents/lead.md", "unknown-mcp-server", "warning", "slack", &[".mcp.json"]),
        row(
            ".claude/agents/team/helper-copy.md",
            "duplicate-agent-name",
            "warning",
            "helper",
            &[".claude/agents/helper.md"],
        ),
        row(".factory/droids/triage.md", "droid-name-clash", "warning", "review", &[".factory/droids/review.md"]),
        row(".factory/droids/triage.md", "unknown-mcp-server", "error", "jira", &[".factory/mcp.json"]),
        row(
            ".github/agents/planner.agent.md",
            "unknown-mcp-server",
            "warning",
            "nothere",
            &[".mcp.json", ".vscode/mcp.json"],
        ),
        row(".github/agents/planner.agent.md", "unknown-agent", "warning", "reviewr", &[]),
        row(".opencode/agent/review.md", "duplicate-agent-name", "warning", "---", &[".opencode/agents/review.md"]),
        row(".opencode/agents/lead.md", "unknown-mcp-server", "warning", "otherdb", &["opencode.jsonc"]),
        row(".opencode/agents/lead.md", "unknown-agent", "warning", "docs*", &[]),
        row(".opencode/agents/review.md", "duplicate-agent-name", "warning", "---", &[".opencode/agent/review.md"]),
    ];
    assert_eq!(found, expected);
    // The configured `github`, `linear`, `fs`, `my_db`, the built-in `github/*`, the skill `pdf` and
    // the agents `helper`, `implementer`, `review*` resolve: nothing else is reported.
    let out = String::from_utf8(agentls(&dir, &["check", ".", "--format", "json"]).stdout).unwrap();
    assert!(
        !out.contains("ghp_never_shown") && !out.contains("db_pw_never_shown"),
        "configuration values never appear"
    );
    // A message names the configuration files read.
    let msg = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "unknown-mcp-server").unwrap();
    assert!(msg["message"].as_str().unwrap().contains("read `.mcp.json`"), "{msg}");
    // Files read for the index only (MCP configurations) are not counted as checked; the skill is.
    assert_eq!(v["files_checked"], 12);
}

#[test]
fn sarif_has_related_locations_and_cross_file_rules_can_be_skipped() {
    let dir = fixture();
    let o = agentls(&dir, &["check", ".", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let dup = results.iter().find(|r| r["ruleId"] == "duplicate-agent-name").unwrap();
    let rel = &dup["relatedLocations"][0]["physicalLocation"];
    assert_eq!(rel["artifactLocation"]["uri"], ".claude/agents/team/helper-copy.md");
    assert_eq!(rel["region"]["startLine"], 2);
    assert_eq!(rel["region"]["startColumn"], 7);

    // The text output names the other file at its line and column, as SARIF does.
    let o = agentls(&dir, &["check", ".", "--no-color"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("= note: `helper` is also defined here: .claude/agents/team/helper-copy.md:2:7"), "{text}");
    assert!(text.contains("= note: MCP configuration read: .factory/mcp.json"), "{text}");

    let v = json(&dir, &["check", ".", "--format", "json", "--no-cross-file"]);
    assert!(cross(&dir, &v).is_empty());
    assert_eq!(v["files_checked"], 12);
}

#[test]
fn changed_reports_only_changed_files_but_resolves_against_the_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(root)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@t")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@t")
            .output()
            .unwrap();
        assert!(ok.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&ok.stderr));
    };
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(".claude/agents/a.md", "---\nname: a\ndescription: d\ntools: Agent(b, nobody)\n---\nBody.\n");
    write(".claude/agents/b.md", "---\nname: b\ndescription: d\ntools: Agent(gone)\n---\nBody.\n");
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "x"]);
    // Only c.md is new: a.md's and b.md's findings are not reported, but c.md's reference to `a` resolves.
    write(".claude/agents/c.md", "---\nname: c\ndescription: d\ntools: Agent(a, missing)\n---\nBody.\n");
    let v = json(root, &["check", ".", "--format", "json", "--changed", "HEAD"]);
    let found = cross(root, &v);
    assert_eq!(found, vec![row(".claude/agents/c.md", "unknown-agent", "warning", "missing", &[])]);
    let all = cross(root, &json(root, &["check", ".", "--format", "json"]));
    assert_eq!(all.len(), 3);
    let o = agentls(root, &["check", ".", "--changed", "no-such-ref"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn user_scope_resolves_and_shadows_but_is_never_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let (home, root) = (tmp.path().join("home"), tmp.path().join("proj"));
    let write = |p: PathBuf, text: &str| {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        home.join(".claude/agents/reviewer.md"),
        "---\nname: reviewer\ndescription: d\ntools: Agent(nobody)\n---\nB\n",
    );
    write(home.join(".claude/agents/team/helper.md"), "---\nname: helper\ndescription: d\n---\nB\n");
    write(home.join(".factory/droids/triage.md"), "---\nname: triage\ndescription: d\n---\nB\n");
    write(home.join(".config/opencode/agents/rev.md"), "---\ndescription: d\n---\nB\n");
    write(root.join(".claude/agents/reviewer.md"), "---\nname: reviewer\ndescription: d\n---\nBody.\n");
    write(root.join(".claude/agents/lead.md"), "---\nname: lead\ndescription: d\ntools: Agent(helper)\n---\nBody.\n");
    write(root.join(".factory/droids/triage.md"), "---\nname: triage\ndescription: d\n---\nBody.\n");
    write(root.join(".opencode/agents/rev.md"), "---\ndescription: d\n---\nBody.\n");
    let run = |extra: &[&str]| {
        let mut args = vec!["check", ".", "--format", "json"];
        args.extend(extra);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_agentls"))
            .args(&args)
            .current_dir(&root)
            .env("HOME", &home)
            .env_remove("XDG_CONFIG_HOME")
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let user = |rel: &str| home.join(rel).to_string_lossy().into_owned();

    let v = run(&["--user-scope"]);
    let found = cross(&root, &v);
    let expected = vec![
        row(
            ".claude/agents/reviewer.md",
            "shadows-user-agent",
            "warning",
            "reviewer",
            &[&user(".claude/agents/reviewer.md")],
        ),
        row(
            ".factory/droids/triage.md",
            "shadows-user-agent",
            "warning",
            "triage",
            &[&user(".factory/droids/triage.md")],
        ),
        row(
            ".opencode/agents/rev.md",
            "shadows-user-agent",
            "warning",
            "---",
            &[&user(".config/opencode/agents/rev.md")],
        ),
    ];
    assert_eq!(found, expected, "`helper` resolves to the user's agent; the user's `nobody` is not reported");
    let paths: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert!(!paths.iter().any(|p| p.contains("home")), "nothing reported for the user's files: {paths:?}");
    assert_eq!(v["files_checked"], 4, "the user's files are not counted");
    let shadow = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "shadows-user-agent").unwrap();
    assert!(shadow["message"].as_str().unwrap().contains("(~/.claude/agents/reviewer.md)"), "{shadow}");

    // Off by default: no shadowing, `helper` is unknown, and the message says the user scope was not read.
    let v = run(&[]);
    let found = cross(&root, &v);
    assert_eq!(found, vec![row(".claude/agents/lead.md", "unknown-agent", "warning", "helper", &[])]);
    let msg = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "unknown-agent").unwrap();
    assert!(msg["message"].as_str().unwrap().contains("user-level agents are not read"), "{msg}");
}
