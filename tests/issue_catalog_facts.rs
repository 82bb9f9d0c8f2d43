//! The catalog facts the loader-fidelity issue found wrong, each pinned to what agentls now says
//! (verified against the vendors; the sources are in the catalog entries).

mod support;

use agentls::diagnostic::{Diagnostic, Severity};
use support::check_at;

const DROID: &str = ".factory/droids/reviewer.md";
const CLAUDE: &str = ".claude/agents/reviewer.md";
const COPILOT: &str = ".github/agents/reviewer.agent.md";
const OPENCODE: &str = ".opencode/agents/reviewer.md";

fn agent(extra: &str) -> String {
    format!("---\nname: reviewer\ndescription: Reviews code\n{extra}---\nYou review code.\n")
}

fn with<'a>(diags: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    diags.iter().filter(|d| d.code == code).collect()
}

#[test]
fn factory_models_from_its_table() {
    for m in ["claude-opus-4-7-fast", "claude-opus-4-6-fast"] {
        let d = check_at(DROID, &agent(&format!("model: {m}\n")));
        assert!(with(&d, "unknown-model").is_empty(), "{m}: {d:?}");
        assert!(d.iter().all(|x| x.severity != Severity::Error), "{m}: {d:?}");
    }
    let d = check_at(DROID, &agent("model: claude-opus-4-8-fast\nreasoningEffort: max\n"));
    assert!(with(&d, "unsupported-reasoning-effort").is_empty(), "{d:?}");
    let d = check_at(DROID, &agent("model: claude-opus-4-8-fast\nreasoningEffort: off\n"));
    assert!(with(&d, "unsupported-reasoning-effort").is_empty(), "{d:?}");
}

#[test]
fn copilot_tools_from_vscode_registrations() {
    let tools =
        "[execute/runTests, execute/runTask, read/getTaskOutput, vscode/memory, vscode/newWorkspace, web/githubRepo]";
    let d = check_at(COPILOT, &agent(&format!("tools: {tools}\n")));
    assert!(with(&d, "unknown-tool").is_empty(), "{d:?}");
    // A tool an extension or MCP server contributes: agentls cannot confirm it.
    let d = check_at(COPILOT, &agent("tools: [mssql_query]\n"));
    let u = with(&d, "unknown-tool");
    assert_eq!(u.len(), 1, "{d:?}");
    assert_eq!(u[0].severity, Severity::Info, "{d:?}");
    // One letter off a built-in: a warning with did-you-mean.
    let d = check_at(COPILOT, &agent("tools: [serch]\n"));
    let u = with(&d, "unknown-tool");
    assert_eq!(u[0].severity, Severity::Warning, "{d:?}");
    assert!(u[0].message.contains("search"), "{d:?}");
}

#[test]
fn copilot_retired_models() {
    let d = check_at(COPILOT, &agent("model: GPT-5\n"));
    let r = with(&d, "retired-model");
    assert_eq!(r.len(), 1, "{d:?}");
    assert_eq!(r[0].severity, Severity::Error);
}

#[test]
fn opencode_reasoning_effort_is_passed_to_the_provider() {
    let d = check_at(OPENCODE, &agent("model: openai/gpt-5\nreasoningEffort: high\n"));
    assert!(with(&d, "foreign-key").is_empty(), "{d:?}");
}

#[test]
fn claude_tools_models_and_names() {
    let d = check_at(CLAUDE, &agent("tools: Read, ListAgents\n"));
    assert!(with(&d, "unknown-tool").is_empty(), "{d:?}");
    for m in ["claude-opus-4-1-20250805", "claude-sonnet-4-20250514", "claude-3-opus-20240229"] {
        let d = check_at(CLAUDE, &agent(&format!("model: {m}\n")));
        let r = with(&d, "retired-model");
        assert_eq!(r.len(), 1, "{m}: {d:?}");
        assert_eq!(r[0].severity, Severity::Error, "{m}");
        assert!(r[0].message.contains("use `"), "{m}: names the replacement: {}", r[0].message);
    }
    let d = check_at(CLAUDE, &agent("model: claude-sonet-4-5\n"));
    let u = with(&d, "unknown-model");
    assert_eq!(u[0].severity, Severity::Warning, "{d:?}");
    assert!(u[0].message.contains("did you mean"), "{d:?}");
    let d = check_at(CLAUDE, &agent("permissionMode: plan\ntools: Read, ExitPlanMode\n"));
    assert!(d.iter().all(|x| x.severity != Severity::Error), "{d:?}");
    let text = "---\nname: team:reviewer\ndescription: Reviews code\n---\nYou review code.\n";
    let d = check_at(CLAUDE, text);
    let n = with(&d, "agent-not-loaded");
    assert_eq!(n.len(), 1, "{d:?}");
    assert_eq!(&text[n[0].span.clone()], ":");
    assert_eq!(n[0].severity, Severity::Error);
}
