//! End-to-end tests of the `agentls` binary: walking, exit codes, output formats, `explain`.

mod support;

use std::path::Path;
use std::process::Output;

use support::run_agentls as agentls;

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 stderr")
}

fn write(root: &Path, rel: &str, content: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

const AGENT: &[u8] = b"---\nname: reviewer\ndescription: Reviews code.\n---\n\nReview the diff.\n";

/// A tree with an agent file of every dialect (all under hidden folders), plus files that must
/// not be checked: a plain Markdown file, a droid in a subfolder (droids are flat), and an
/// agent in a git-ignored folder.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".claude/agents/review.md", AGENT);
    write(root, ".claude/agents/nested/deep.md", AGENT);
    write(root, ".factory/droids/backend.md", AGENT);
    write(root, ".factory/droids/sub/ignored.md", AGENT);
    write(root, ".github/agents/planner.agent.md", AGENT);
    write(root, ".github/prompts/explain.prompt.md", AGENT);
    write(root, ".opencode/agents/docs.md", AGENT);
    write(root, "README.md", b"# Not an agent\n");
    write(root, "docs/guide.md", b"# Not an agent either\n");
    write(root, ".gitignore", b"vendor/\n");
    write(root, "vendor/.claude/agents/vendored.md", AGENT);
    dir
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

#[test]
fn walking_finds_hidden_agent_dirs_and_respects_gitignore() {
    let dir = tree();
    let o = agentls(dir.path(), &["check", "--show-files"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        ".claude/agents/nested/deep.md\n\
         .claude/agents/review.md\n\
         .factory/droids/backend.md\n\
         .github/agents/planner.agent.md\n\
         .github/prompts/explain.prompt.md\n\
         .opencode/agents/docs.md\n"
    );
    let o = agentls(dir.path(), &["check", "--format", "json"]);
    assert_eq!(json(&o)["files_checked"], 6);
}

#[test]
fn explicit_files_are_always_checked() {
    let dir = tree();
    let o = agentls(
        dir.path(),
        &["check", "--show-files", "README.md", "vendor/.claude/agents/vendored.md", "./.claude/agents/review.md", "."],
    );
    let out = stdout(&o);
    assert!(out.lines().any(|l| l == "README.md"), "{out}");
    assert!(out.lines().any(|l| l == "vendor/.claude/agents/vendored.md"), "{out}");
    // Named twice (explicitly and by walking `.`): checked once.
    assert_eq!(out.lines().count(), 8, "{out}");
    let o = agentls(dir.path(), &["check", "--format", "json", "README.md"]);
    assert_eq!(json(&o)["files_checked"], 1);
}

#[test]
fn walking_a_subfolder_still_recognises_the_dialect() {
    let dir = tree();
    let o = agentls(&dir.path().join(".claude/agents"), &["check", "--show-files"]);
    assert_eq!(stdout(&o), "nested/deep.md\nreview.md\n");
}

#[test]
fn non_utf8_file_is_skipped_without_failing() {
    let dir = tree();
    write(dir.path(), ".claude/agents/latin1.md", b"---\nname: caf\xe9\n---\n");
    let o = agentls(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(".claude/agents/latin1.md"), "{}", stderr(&o));
    assert!(stderr(&o).contains("UTF-8"));
    assert!(stdout(&o).contains("in 6 files"), "{}", stdout(&o));

    let o = agentls(dir.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["skipped"][0]["path"], ".claude/agents/latin1.md");
    assert!(v["skipped"][0]["reason"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(v["files_checked"], 6);
}

#[test]
fn missing_path_is_a_usage_error() {
    let dir = tree();
    let o = agentls(dir.path(), &["check", "no/such/file.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.md"));
    let o = agentls(dir.path(), &["check", "--policy", "missing.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = agentls(dir.path(), &["check", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
}

fn policy_errors(v: &serde_json::Value) -> Vec<&serde_json::Value> {
    v["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "policy-error").collect()
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = tree();
    // A broken policy is a diagnostic the CLI produces on its own, whatever the rules say.
    write(dir.path(), ".agentls.yaml", b"tools:\n  deny: [Bash]\nbogus: true\n");
    let o = agentls(dir.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["files_checked"], 6);
    // Reported once, though six files share the policy.
    let found = policy_errors(&v);
    assert_eq!(found.len(), 1, "{v}");
    let d = found[0];
    assert_eq!(d["path"], ".agentls.yaml");
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().unwrap().contains("bogus"));
    assert_eq!(d["range"]["start"], serde_json::json!({"line": 2, "character": 0}));
    assert!(d["range"]["end"]["line"].is_u64());
    assert!(d["fixes"].is_array());
    // Diagnostics come sorted by path.
    let paths: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn every_policy_problem_is_reported_where_it_is() {
    // Warnings leave the policy in force, so no check fails for them; they are still shown, at
    // their place, as the server shows them on the open policy file.
    let dir = tree();
    write(dir.path(), ".agentls.yaml", b"rules:\n  unknwn-tool: off\n  also-not-a-rule: warning\n");
    let o = agentls(dir.path(), &["check", "--format", "json"]);
    let v = json(&o);
    let found = policy_errors(&v);
    assert_eq!(found.len(), 2, "{v}");
    for (d, line) in found.iter().zip([1, 2]) {
        assert_eq!(d["path"], ".agentls.yaml");
        assert_eq!(d["severity"], "warning", "{d}");
        assert_eq!(d["range"]["start"]["line"], line, "{d}");
        assert!(!d["message"].as_str().unwrap().contains("built-in policy applies"), "{d}");
    }
    assert!(found[0]["message"].as_str().unwrap().contains("unknwn-tool"), "{v}");
    // In text output too, with the line shown.
    let out = stdout(&agentls(dir.path(), &["check"]));
    assert!(out.contains(" --> .agentls.yaml:2:3\n"), "{out}");
}

#[test]
fn text_output_points_at_the_culprit() {
    let dir = tree();
    write(dir.path(), ".agentls.yaml", b"tools:\n  deny: [Bash]\nbogus: true\n");
    let o = agentls(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("error[policy-error]: "), "{out}");
    assert!(out.contains(" --> .agentls.yaml:3:1\n  |\n3 | bogus: true\n  | ^^^^^\n"), "{out}");
    let summary = out.lines().find(|l| l.contains(" in 6 files")).unwrap_or_else(|| panic!("no summary: {out}"));
    assert!(summary.contains(" error") && summary.contains(" warning") && summary.contains(" hint"), "{summary}");
    assert!(!out.contains('\x1b'), "no colour when NO_COLOR is set");
}

/// The engine's own rules, end to end: an unquoted `: ` is judged as each product's loader reads
/// it: a warning in a Claude agent (Claude Code's fallback reads it; VS Code, which also reads the
/// path, cuts the value), an error in a Copilot agent (the GitHub loader refuses it).
#[test]
fn yaml_syntax_error_is_reported_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let text = b"---\nname: docs\ndescription: Writes docs: fast\n---\n\nBody.\n";
    write(dir.path(), ".claude/agents/docs.md", text);
    let o = agentls(dir.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v = json(&o);
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "yaml-syntax").expect("yaml-syntax");
    assert_eq!(d["range"]["start"]["line"], 2);
    assert_eq!(d["severity"], "warning", "{d}");
    assert!(d["message"].as_str().unwrap().contains("VS Code cuts the value"), "{d}");
    write(dir.path(), ".github/agents/docs.agent.md", text);
    let o = agentls(dir.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

/// `--fix` applies the safe fixes the engine offers, writes the file, and fixes what it can.
#[test]
fn fix_applies_safe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let text = b"---\nname: docs\ndescription: Writes docs: fast\n---\n\nBody.\n";
    write(dir.path(), ".claude/agents/docs.md", text);
    let fixable = |v: &serde_json::Value| {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["fixes"].as_array().unwrap().iter().any(|f| f["safe"] == true))
            .count()
    };
    let before = fixable(&json(&agentls(dir.path(), &["check", "--format", "json"])));
    let o = agentls(dir.path(), &["check", "--fix", "--format", "json"]);
    let v = json(&o);
    let after = std::fs::read(dir.path().join(".claude/agents/docs.md")).unwrap();
    if before == 0 {
        assert_eq!(after, text, "nothing to fix, nothing written");
    } else {
        assert_ne!(after, text);
        assert!(v["fixes_applied"].as_u64().unwrap() >= 1);
        assert!(fixable(&v) < before, "{v}");
    }
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let dir = tree();
    write(dir.path(), ".agentls.yaml", b"bogus: true\n");
    let o = agentls(dir.path(), &["check", "--format", "sarif"]);
    let v = json(&o);
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "agentls");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "yaml-syntax"));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "policy-error");
    assert_eq!(result["level"], "error");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], ".agentls.yaml");
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(loc["region"]["startColumn"], 1);
}

/// `--format github`: one workflow command per diagnostic, 1-based positions, the code in the
/// title, hints only with `--hints`, and the exit code of the other formats.
#[test]
fn github_output_is_workflow_commands() {
    let dir = tree();
    write(dir.path(), ".agentls.yaml", b"tools:\n  deny: [Bash]\nbogus: true\n");
    let o = agentls(dir.path(), &["check", "--format", "github"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.lines().any(|l| l.starts_with(
            "::error file=.agentls.yaml,line=3,col=1,endLine=3,endColumn=6,title=agentls(policy-error)::"
        )),
        "{out}"
    );
    let command = regex::Regex::new(
        r"^::(error|warning|notice) file=[^,:]+,line=\d+(,col=\d+)?,endLine=\d+(,endColumn=\d+)?,title=agentls\([a-z-]+\)::\S",
    )
    .unwrap();
    for l in out.lines() {
        assert!(command.is_match(l), "not a workflow command: {l}");
    }
    let json_count = json(&agentls(dir.path(), &["check", "--format", "json"]))["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != "hint")
        .count();
    assert_eq!(out.lines().count(), json_count, "{out}");
    let with_hints = stdout(&agentls(dir.path(), &["check", "--format", "github", "--hints"]));
    assert!(with_hints.lines().count() > out.lines().count(), "{with_hints}");
    assert!(with_hints.lines().any(|l| l.starts_with("::notice ")), "{with_hints}");
}

/// `agentls init` writes a starter policy that names its schema and changes no outcome: a
/// repository whose agents pass without a policy still passes with it, with no policy problem.
#[test]
fn init_writes_a_starter_policy_that_passes() {
    let dir = tree();
    let before = json(&agentls(dir.path(), &["check", "--format", "json"]));
    let o = agentls(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(dir.path().join(".agentls.yaml")).unwrap();
    assert!(written.starts_with("# yaml-language-server: $schema=https://"), "{written}");
    let o = agentls(dir.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v = json(&o);
    assert!(policy_errors(&v).is_empty(), "{v}");
    // The same findings as with the built-in default: nothing above hint level comes from it.
    assert_eq!(v, before);
    assert_eq!(v["files_checked"], 6);
    // An existing policy is kept unless --force.
    std::fs::write(dir.path().join(".agentls.yaml"), "tools: { deny: [Bash] }\n").unwrap();
    let o = agentls(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.path().join(".agentls.yaml")).unwrap(), "tools: { deny: [Bash] }\n");
    let o = agentls(dir.path(), &["init", "--force"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(dir.path().join(".agentls.yaml")).unwrap(), written);
}

#[test]
fn explain_prints_the_rule_doc() {
    let dir = tempfile::tempdir().unwrap();
    let o = agentls(dir.path(), &["explain", "yaml-syntax"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("yaml-syntax (error)"), "{out}");
    assert!(out.contains("valid YAML"), "{out}");
}

#[test]
fn explain_unknown_code_lists_the_codes_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let o = agentls(dir.path(), &["explain", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("yaml-syntax"), "{}", stderr(&o));
}

#[test]
fn rules_lists_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["rules"][..], &["explain"][..]] {
        let o = agentls(dir.path(), args);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).lines().any(|l| l.starts_with("yaml-syntax ")));
    }
}

#[test]
fn version_and_help_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let o = agentls(dir.path(), &["--version"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("agentls {}", env!("CARGO_PKG_VERSION")), "{out}");
    // Each catalog's product and the date it was checked, then the conditions' date.
    let dated = regex::Regex::new(r"^\S+ catalog \d{4}-\d{2}-\d{2}$").unwrap();
    let catalogs: Vec<&str> = lines[1..].iter().copied().filter(|l| dated.is_match(l)).collect();
    assert_eq!(catalogs.len(), 4, "{out}");
    for product in ["claude-code", "factory", "vscode", "opencode"] {
        assert!(catalogs.iter().any(|l| l.starts_with(&format!("{product} catalog "))), "{product}:\n{out}");
    }
    assert!(regex::Regex::new(r"(?m)^conditions \d{4}-\d{2}-\d{2}$").unwrap().is_match(&out), "{out}");
    assert_eq!(lines.len(), 6, "{out}");
    let o = agentls(dir.path(), &["check", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("--format"));
}

/// The shipped examples: every file is found by walking, so the README's claims hold.
#[test]
fn examples_are_all_found() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = agentls(root, &["check", "--show-files", "examples"]);
    let out = stdout(&o);
    for dir in [".claude/agents/", ".factory/droids/", ".github/agents/", ".github/prompts/", ".opencode/agents/"] {
        assert!(out.lines().any(|l| l.starts_with(&format!("examples/{dir}"))), "{dir} missing:\n{out}");
    }
    assert!(out.contains("examples/.factory/droids/senior-backend-developer.md"));
    assert!(!out.contains("README.md"));
    let o = agentls(root, &["check", "--format", "json", "examples"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert_eq!(json(&o)["files_checked"].as_u64().unwrap() as usize, out.lines().count());
}

/// The JSON output on the shipped example files of all four dialects, pinned: path, code,
/// severity and LSP range of every diagnostic (messages are covered by the rule snapshots).
#[test]
fn json_output_on_the_examples_of_every_dialect() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = agentls(root, &["check", "--format", "json", "examples"]);
    assert_eq!(o.status.code(), Some(1), "the examples hold errors: {}", stderr(&o));
    let v = json(&o);
    let rows: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let r = &d["range"];
            format!(
                "{} {}:{}-{}:{} {} {}",
                d["path"].as_str().unwrap(),
                r["start"]["line"],
                r["start"]["character"],
                r["end"]["line"],
                r["end"]["character"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    for dir in [".claude/agents/", ".factory/droids/", ".github/agents/", ".opencode/agents/"] {
        assert!(rows.iter().any(|r| r.starts_with(&format!("examples/{dir}"))), "no diagnostics in {dir}");
    }
    // The seed droid: MultiEdit (deprecated: Factory's CLI gives the droid `Edit` instead) and Task on line 5
    // (0-based 4) at their exact columns.
    assert!(
        rows.contains(&"examples/.factory/droids/senior-backend-developer.md 4:57-4:66 info deprecated-tool".into())
    );
    assert!(rows
        .contains(&"examples/.factory/droids/senior-backend-developer.md 4:119-4:123 error unavailable-tool".into()));
    insta::assert_snapshot!("examples_json", rows.join("\n"));
}
