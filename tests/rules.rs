//! Per-rule fixtures: each case is a small agent file at a path of its dialect; the diagnostics
//! (ranges, severities, messages and fixes) are snapshot-tested.

mod support;

use support::{check_at, check_with_policy, render};

/// Snapshots the diagnostics, leaving out the built-in policy's section hints (tested apart).
fn snap(name: &str, path: &str, text: &str) {
    let diags: Vec<_> = check_at(path, text).into_iter().filter(|d| d.code != "recommended-section").collect();
    let out = render(text, &diags);
    insta::assert_snapshot!(name, out);
}

const DROID: &str = ".factory/droids/reviewer.md";
const CLAUDE: &str = ".claude/agents/reviewer.md";
const COPILOT: &str = ".github/agents/reviewer.agent.md";
const OPENCODE: &str = ".opencode/agents/reviewer.md";

const BODY: &str = "\nYou review code.\n";

#[test]
fn clean_files_of_each_dialect() {
    let droid = "---\nname: reviewer\ndescription: Reviews code\nmodel: inherit\ntools: [\"Read\", \"Grep\", \"Execute\"]\n---\nYou review code via Execute.\n";
    let claude = "---\nname: reviewer\ndescription: Reviews code\nmodel: sonnet\ntools: Read, Grep, Bash\n---\nYou review code using the Bash tool.\n";
    let copilot = "---\ndescription: Reviews code\ntools: ['read', 'search', 'github/*']\nmodel: Claude Sonnet 4.5\n---\nYou review code.\n";
    let opencode = "---\ndescription: Reviews code\nmode: subagent\nmodel: anthropic/claude-sonnet-4-5\ntemperature: 0.1\n---\nYou review code.\n";
    for (p, t) in [(DROID, droid), (CLAUDE, claude), (COPILOT, copilot), (OPENCODE, opencode)] {
        let d: Vec<_> = check_at(p, t).into_iter().filter(|d| d.code != "recommended-section").collect();
        assert!(d.is_empty(), "{p}:\n{}", render(t, &d));
    }
}

#[test]
fn syntax_rules() {
    snap(
        "yaml_syntax_unquoted_colon",
        CLAUDE,
        "---\nname: reviewer\ndescription: Use for: reviews\ntools: Read\n---\nBody\n",
    );
    snap(
        "yaml_syntax_unclosed_flow",
        CLAUDE,
        "---\nname: reviewer\ndescription: x\ntools: [Read, Grep\nmodel: sonnet\n---\nBody\n",
    );
    snap("duplicate_key", CLAUDE, "---\nname: reviewer\ndescription: x\nname: other\n---\nBody\n");
    snap("unclosed_frontmatter", CLAUDE, "---\nname: reviewer\ndescription: x\n\n# Reviewer\nBody\n");
    snap("frontmatter_not_first", CLAUDE, "\n\n---\nname: reviewer\ndescription: x\n---\nBody\n");
    snap("missing_frontmatter", CLAUDE, "# Reviewer\nJust text\n");
    snap("empty_body_droid", DROID, "---\nname: reviewer\ndescription: x\n---\n\n");
    snap("not_a_mapping", CLAUDE, "---\n- a\n- b\n---\nBody\n");
}

#[test]
fn key_rules() {
    snap(
        "unknown_key_did_you_mean",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\ndescripton: y\nmodle: sonnet\n---{BODY}"),
    );
    snap("foreign_key", DROID, &format!("---\nname: reviewer\ndescription: x\npermissionMode: plan\n---{BODY}"));
    snap(
        "wrong_type",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\nbackground: yes\nmaxTurns: many\n---{BODY}"),
    );
    snap(
        "invalid_enum",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\npermissionMode: acceptedits\ncolor: magenta\n---{BODY}"),
    );
    snap("missing_required", CLAUDE, &format!("---\ntools: Read\n---{BODY}"));
    snap("deprecated_key_copilot", COPILOT, &format!("---\ndescription: x\ninfer: true\n---{BODY}"));
    snap(
        "opencode_unknown_key_is_hint",
        OPENCODE,
        &format!("---\ndescription: x\nreasoningEffort: high\nfoo: 1\n---{BODY}"),
    );
}

#[test]
fn tool_rules() {
    snap("droid_foreign_and_unknown_tools", DROID, &format!("---\nname: reviewer\ndescription: x\ntools: [\"Read\", \"Bash\", \"Gerp\", \"WebFetch\", \"Read\"]\n---{BODY}"));
    snap(
        "claude_foreign_tools_comma",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\ntools: Read, Execute, Create, FetchUrl\n---{BODY}"),
    );
    snap(
        "claude_block_list_legacy",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\ntools:\n  - Task\n  - LS\n  - MultiEdit\n---{BODY}"),
    );
    snap("tools_false", CLAUDE, &format!("---\nname: reviewer\ndescription: x\ntools: false\n---{BODY}"));
    snap("tools_empty", CLAUDE, &format!("---\nname: reviewer\ndescription: x\ntools:\n---{BODY}"));
    snap(
        "tool_conflict",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\ntools: Read, Bash\ndisallowedTools: Bash\n---{BODY}"),
    );
    snap("mcp_names", CLAUDE, &format!("---\nname: reviewer\ndescription: x\ntools: mcp__github__search, mcp_github_search, mcp__github__*\n---{BODY}"));
    snap(
        "droid_mcp_and_category",
        DROID,
        &format!("---\nname: reviewer\ndescription: x\ntools: [\"github___search_code\", \"read-only\"]\n---{BODY}"),
    );
    snap("droid_category_string", DROID, &format!("---\nname: reviewer\ndescription: x\ntools: read-only\n---{BODY}"));
    snap(
        "opencode_tools_map",
        OPENCODE,
        &format!("---\ndescription: x\ntools:\n  bash: false\n  write: maybe\n---{BODY}"),
    );
}

#[test]
fn model_rules() {
    snap("claude_models", CLAUDE, &format!("---\nname: reviewer\ndescription: x\nmodel: sonet\n---{BODY}"));
    snap(
        "droid_unknown_model",
        DROID,
        &format!("---\nname: reviewer\ndescription: x\nmodel: claude-sonet-4-5-20250929\n---{BODY}"),
    );
    snap(
        "droid_effort_with_inherit",
        DROID,
        &format!("---\nname: reviewer\ndescription: x\nmodel: inherit\nreasoningEffort: high\n---{BODY}"),
    );
    snap("opencode_malformed_model", OPENCODE, &format!("---\ndescription: x\nmodel: claude sonnet\n---{BODY}"));
}

#[test]
fn identity_rules() {
    snap("droid_name_format_and_mismatch", DROID, &format!("---\nname: Code Reviewer\ndescription: x\n---{BODY}"));
    let long = "A".repeat(520);
    snap("droid_description_too_long", DROID, &format!("---\nname: reviewer\ndescription: {long}\n---{BODY}"));
    snap("empty_description", CLAUDE, &format!("---\nname: reviewer\ndescription: \"\"\n---{BODY}"));
}

const POLICY: &str = "tools:\n  deny: [\"Bash\", \"mcp__*\"]\nmodels:\n  allow: [\"sonnet\", \"claude-sonnet-*\"]\nsections:\n  required:\n    - title: Core Purpose\n      aliases: [Purpose]\n      doc: What the agent is for. One paragraph.\n      template: Describe what this agent does.\n    - title: Constraints\n      doc: What the agent must never do.\n      template: \"- Never ...\"\nextends_default: false\ndescription:\n  min: 10\nrules:\n  unknown-key: error\n  empty-body: off\n";

#[test]
fn policy_rules() {
    let t = "---\nname: reviewer\ndescription: short\nmodel: opus\ntools: Read, Bash, mcp__github__search\nfoo: 1\n---\n## Constraints\n\n## Other\ntext\n";
    let out = render(t, &check_with_policy(CLAUDE, t, POLICY));
    insta::assert_snapshot!("policy_violations", out);
}

#[test]
fn inline_suppression() {
    let t = "---\nname: reviewer\ndescription: x\n# agentls-disable-next-line unknown-key\nfoo: 1\nbar: 2\n---\n<!-- agentls-disable foreign-tool -->\nBody\n";
    let d = check_at(CLAUDE, t);
    let codes: Vec<_> = d.iter().map(|d| d.code).collect();
    assert_eq!(codes.iter().filter(|c| **c == "unknown-key").count(), 1, "{}", render(t, &d));
    assert!(d.iter().any(|d| &t[d.span.clone()] == "bar"));
}

#[test]
fn body_mentions() {
    snap("droid_body_mentions", DROID, "---\nname: reviewer\ndescription: x\ntools: [\"Read\"]\n---\nAlways run tests via Bash.\nUse the Grep tool to search, then call `Execute`.\n- **Task processing**: queues\n");
}

#[test]
fn every_emitted_code_is_documented() {
    let cases = [
        (CLAUDE, "---\nname: X Y\ndescription: \"\"\nfoo: 1\ntools: Execute, Bash, Bash, mcp_x\ndisallowedTools: Bash\nmodel: claude sonnet\n---\n"),
        (DROID, "---\nname: a\ntools: [\"MultiEdit\", \"Task\"]\nmodel: nope\nreasoningEffort: extreme\n---\n"),
    ];
    for (p, t) in cases {
        for d in check_at(p, t) {
            assert!(!agentls::registry::info(d.code).doc.is_empty(), "undocumented code {}", d.code);
        }
    }
}

#[test]
fn recommended_sections_are_inserted_in_policy_order() {
    let t = "---\nname: reviewer\ndescription: Reviews code\n---\nIntro.\n\n## Behavioral Traits\n- careful\n";
    let d: Vec<_> = check_at(CLAUDE, t).into_iter().filter(|d| d.code == "recommended-section").collect();
    insta::assert_snapshot!("recommended_sections", render(t, &d));
    // Core Purpose goes before Behavioral Traits (its successor in the policy's order)...
    let core = d.iter().find(|d| d.message.contains("Core Purpose")).expect("Core Purpose hint");
    let fixed = agentls::diagnostic::apply_edits(t, &core.fixes[0].edits);
    let (a, b) = (fixed.find("## Core Purpose").unwrap(), fixed.find("## Behavioral Traits").unwrap());
    assert!(a < b, "{fixed}");
    // ...and Response Approach after it, at the end.
    let resp = d.iter().find(|d| d.message.contains("Response Approach")).expect("Response Approach hint");
    let fixed = agentls::diagnostic::apply_edits(t, &resp.fixes[0].edits);
    assert!(fixed.find("## Response Approach").unwrap() > fixed.find("- careful").unwrap(), "{fixed}");
    assert!(fixed.ends_with("\n"), "{fixed:?}");
    // The seed file has all of them: no hint.
    let seed = support::seed();
    assert!(!check_at(CLAUDE, &seed).iter().any(|d| d.code == "recommended-section"));
}

/// The rules match section headings as docs/policy.md promises: case, repeated blanks and a
/// trailing colon do not matter (the one matcher in `semantics::sections`).
#[test]
fn required_sections_match_loosely_written_headings() {
    let policy = "sections:\n  required:\n    - title: Core Purpose\n      doc: Why the agent exists.\n";
    let head = "---\nname: reviewer\ndescription: Reviews code\nmodel: inherit\n---\n\n";
    for heading in ["## Core Purpose", "## core purpose", "## Core  Purpose:", "##   CORE\tPURPOSE :"] {
        let text = format!("{head}{heading}\nReview.\n");
        let d = check_with_policy(DROID, &text, policy);
        assert!(d.iter().all(|d| d.code != "missing-section"), "{heading:?}:\n{}", render(&text, &d));
    }
    let text = format!("{head}## Core Purposes\nReview.\n");
    let d = check_with_policy(DROID, &text, policy);
    assert!(d.iter().any(|d| d.code == "missing-section"), "{}", render(&text, &d));
}

/// Snapshots the diagnostics under a policy, leaving out the built-in policy's section hints.
fn snap_with_policy(name: &str, path: &str, text: &str, policy: &str) {
    let diags: Vec<_> =
        check_with_policy(path, text, policy).into_iter().filter(|d| d.code != "recommended-section").collect();
    insta::assert_snapshot!(name, render(text, &diags));
}

/// The codes found, without the built-in policy's section hints.
fn codes_at(path: &str, text: &str) -> Vec<String> {
    check_at(path, text).into_iter().filter(|d| d.code != "recommended-section").map(|d| d.code.to_string()).collect()
}

/// Claude Code's subagent filter removes these tools even when `tools` lists them; `Agent` only at
/// the depth limit (a hint). Tools kept in every subagent (`Read`, `SendMessage`) pass.
#[test]
fn claude_subagent_filter() {
    snap(
        "claude_subagent_filter",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\ntools: Read, AskUserQuestion, EndConversation, EnterPlanMode, ScheduleWakeup, WaitForMcpServers, Workflow, ExitPlanMode, Agent, SendMessage\n---{BODY}"),
    );
    // The deny list is not a grant: nothing to report there.
    let t = format!("---\nname: reviewer\ndescription: x\ndisallowedTools: AskUserQuestion, Workflow\n---{BODY}");
    assert!(codes_at(CLAUDE, &t).is_empty(), "{:?}", codes_at(CLAUDE, &t));
}

/// `ExitPlanMode` is available with `permissionMode: plan`: the condition decides, not the
/// catalog's `unavailable` status.
#[test]
fn claude_exit_plan_mode_with_plan_mode() {
    let t = format!("---\nname: planner\ndescription: x\npermissionMode: plan\ntools: Read, ExitPlanMode\n---{BODY}");
    assert!(codes_at(CLAUDE, &t).is_empty(), "{:?}", codes_at(CLAUDE, &t));
    let t =
        format!("---\nname: planner\ndescription: x\npermissionMode: default\ntools: Read, ExitPlanMode\n---{BODY}");
    assert_eq!(codes_at(CLAUDE, &t), ["subagent-tool-removed"]);
}

/// Subagents run in the background by default, where Claude Code keeps a short list of built-in
/// tools: a warning; with `background: true` an error. MCP tools are kept.
#[test]
fn claude_background_filter() {
    snap(
        "claude_background_default",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\ntools: Read, LSP, CronCreate, ListMcpResourcesTool, TaskOutput, mcp__github__search\n---{BODY}"),
    );
    snap(
        "claude_background_always",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\nbackground: true\ntools:\n  - Read\n  - CronCreate\n  - TaskOutput\n  - mcp__github__search\n---{BODY}"),
    );
}

/// `ExitWorktree` is not given to a subagent with `isolation: worktree`.
#[test]
fn claude_worktree_isolation() {
    snap(
        "claude_exit_worktree_isolated",
        CLAUDE,
        &format!("---\nname: builder\ndescription: x\nisolation: worktree\ntools: [Read, EnterWorktree, ExitWorktree]\n---{BODY}"),
    );
    let t = format!("---\nname: builder\ndescription: x\ntools: [Read, EnterWorktree, ExitWorktree]\n---{BODY}");
    assert!(codes_at(CLAUDE, &t).is_empty(), "{:?}", codes_at(CLAUDE, &t));
}

/// Since v2.1.233 the Task tools and TodoWrite are off on the newest models unless opted in; in a
/// background subagent the Task tools are removed anyway (one finding per tool, the first).
#[test]
fn claude_task_tools() {
    snap(
        "claude_task_tools",
        CLAUDE,
        &format!(
            "---\nname: tracker\ndescription: x\nmodel: claude-opus-4-7\ntools: Read, TodoWrite, TaskCreate\n---{BODY}"
        ),
    );
}

/// A team on an older Claude Code is not told about conditions and statuses newer than it.
#[test]
fn claude_conditions_follow_the_teams_version() {
    let text = format!("---\nname: tracker\ndescription: x\ntools: Read, TodoWrite, TaskCreate, CronCreate\n---{BODY}");
    // 2.1.18: TodoWrite not yet deprecated (v2.1.19), subagents not yet backgrounded by default
    // (v2.1.198), the Task tools not yet off on new models (v2.1.233).
    let d = check_with_policy(CLAUDE, &text, "products:\n  claude-code: \"2.1.18\"\n");
    let d: Vec<_> = d.into_iter().filter(|d| d.code != "recommended-section").collect();
    assert!(d.is_empty(), "{}", render(&text, &d));
    // 2.1.250 with `background: true`: `LSP` is kept only since v2.1.280.
    snap_with_policy(
        "claude_background_lsp_before_v2_1_280",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\nbackground: true\ntools: Read, LSP\n---{BODY}"),
        "products:\n  claude-code: \"2.1.250\"\n",
    );
    let t = format!("---\nname: reviewer\ndescription: x\nbackground: true\ntools: Read, LSP\n---{BODY}");
    assert!(codes_at(CLAUDE, &t).is_empty(), "the newest facts keep LSP: {:?}", codes_at(CLAUDE, &t));
}

/// A catalog entry `added` after the team's version is unknown to the team; one whose `since` is
/// after it counts as current. (The built-in catalogs' versions change; this one is made here.)
#[test]
fn catalog_versions_select_the_facts() {
    use std::borrow::Cow;
    use std::sync::Arc;
    let text = format!("---\nname: reviewer\ndescription: x\ntools: Read, Grep\nmodel: claude-opus-4-7\n---{BODY}");
    let settings = agentls::analysis::Settings::default();
    let path = std::path::Path::new(CLAUDE);
    let mut a = agentls::analysis::analyze(&text, Some(path), &settings);
    let mut cat = a.catalog.as_deref().unwrap().clone();
    let grep = cat.tools.iter_mut().find(|t| t.name == "Grep").unwrap();
    grep.added = Some("v2.1.224".into());
    let opus = cat.models.iter_mut().find(|m| m.id == "claude-opus-4-7").unwrap();
    opus.status = agentls::catalog::Status::Removed;
    opus.since = Some("v2.1.300".into());
    a.catalog = Some(Cow::Owned(cat));
    let mut policy = (*a.policy).clone();
    policy.products.insert("claude-code".into(), "2.1.200".into());
    a.policy = Arc::new(policy);
    let d: Vec<_> = agentls::rules::run(&a).into_iter().filter(|d| d.code != "recommended-section").collect();
    insta::assert_snapshot!("catalog_versions_older_team", render(&text, &d));
    // Without a stated version the newest facts apply: the model is retired.
    let mut policy = (*a.policy).clone();
    policy.products.clear();
    a.policy = Arc::new(policy);
    let codes: Vec<_> = agentls::rules::run(&a).into_iter().map(|d| d.code.to_string()).collect();
    assert!(codes.contains(&"retired-model".to_string()), "{codes:?}");
    assert!(!codes.contains(&"unknown-tool".to_string()), "{codes:?}");
}

/// Copilot: a name that is not built in is an info (an extension's or an MCP server's tool?); a
/// near miss of a built-in is a warning with did-you-mean.
#[test]
fn copilot_unknown_tools() {
    snap(
        "copilot_unknown_tools",
        COPILOT,
        &format!(
            "---\ndescription: x\ntools: ['read', 'mssql_query', 'serch', 'search/codbase', 'github/*']\n---{BODY}"
        ),
    );
}

/// `agents` needs the `agent` tool in an explicit `tools` list (VS Code).
#[test]
fn copilot_agents_need_the_agent_tool() {
    snap(
        "copilot_agents_without_agent_tool",
        COPILOT,
        &format!("---\ndescription: x\ntools: ['read', 'search']\nagents: ['Researcher']\n---{BODY}"),
    );
    for ok in [
        "tools: ['read', 'agent']\nagents: ['Researcher']",
        "tools: ['read', 'agent/runSubagent']\nagents: ['Researcher']",
        "tools: ['*']\nagents: ['Researcher']",
        "agents: ['Researcher']",
        "tools: ['read']\nagents: []",
        "target: github-copilot\ntools: ['read']\nagents: ['Researcher']",
    ] {
        let t = format!("---\ndescription: x\n{ok}\n---{BODY}");
        let c = codes_at(COPILOT, &t);
        assert!(!c.iter().any(|c| c == "agents-without-agent-tool"), "{ok}: {c:?}");
    }
}

/// Copilot's two products: GitHub requires `description` and caps the prompt at 30,000
/// characters; VS Code does neither. `target` says whose rules apply; without it, both, and the
/// finding says which product it is for.
#[test]
fn copilot_targets() {
    snap("copilot_missing_description_untargeted", COPILOT, &format!("---\ntools: ['read']\n---{BODY}"));
    snap(
        "copilot_missing_description_github",
        COPILOT,
        &format!("---\ntarget: github-copilot\ntools: ['read']\n---{BODY}"),
    );
    let t = format!("---\ntarget: vscode\ntools: ['read']\n---{BODY}");
    assert!(codes_at(COPILOT, &t).is_empty(), "{:?}", codes_at(COPILOT, &t));
    // Prompt files are VS Code's: no GitHub requirement.
    let t = "---\nagent: agent\n---\nDo it.\n";
    assert!(
        codes_at(".github/prompts/do.prompt.md", t).is_empty(),
        "{:?}",
        codes_at(".github/prompts/do.prompt.md", t)
    );

    let long = "word ".repeat(6001);
    snap("copilot_body_too_long_untargeted", COPILOT, &format!("---\ndescription: x\n---\n{long}\n"));
    snap(
        "copilot_body_too_long_github",
        COPILOT,
        &format!("---\ndescription: x\ntarget: github-copilot\n---\n{long}\n"),
    );
    let t = format!("---\ndescription: x\ntarget: vscode\n---\n{long}\n");
    assert!(codes_at(COPILOT, &t).is_empty(), "{:?}", codes_at(COPILOT, &t));
    let exactly = "a".repeat(30_000);
    let t = format!("---\ndescription: x\ntarget: github-copilot\n---\n{exactly}\n");
    assert!(codes_at(COPILOT, &t).is_empty(), "30,000 is within the limit");

    snap(
        "copilot_ignored_by_target_vscode",
        COPILOT,
        &format!("---\ndescription: x\ntarget: vscode\nmcp-servers:\n  db:\n    type: local\n    command: db-mcp\nmetadata:\n  team: core\n---{BODY}"),
    );
    snap(
        "copilot_ignored_by_target_github",
        COPILOT,
        &format!("---\ndescription: x\ntarget: github-copilot\nargument-hint: a file\nhandoffs:\n  - label: Go\n    agent: agent\n    prompt: Go.\n---{BODY}"),
    );
    let t = format!("---\ndescription: x\nargument-hint: a file\nmetadata:\n  team: core\n---{BODY}");
    assert!(codes_at(COPILOT, &t).is_empty(), "no target: each key serves one product: {:?}", codes_at(COPILOT, &t));
}

/// A model one edit off a known id is a warning with did-you-mean, whatever its shape; a
/// well-formed id with other numbers stays an info.
#[test]
fn model_typos() {
    snap(
        "claude_model_typo",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\nmodel: claude-sonet-4-5\n---{BODY}"),
    );
    snap(
        "claude_model_newer_version",
        CLAUDE,
        &format!("---\nname: reviewer\ndescription: x\nmodel: claude-opus-4-9\n---{BODY}"),
    );
}

/// Factory adds `TodoWrite` and `Skill` to every droid (the CLI's `ensureHiddenTools`), so a body
/// that mentions them needs no grant; another tool it mentions still does.
#[test]
fn droid_tools_granted_to_every_droid_need_no_grant() {
    let text = "---\nname: reviewer\ndescription: Reviews code\nmodel: inherit\ntools: [\"Read\"]\n---\nTrack steps with TodoWrite, load a Skill, search with Grep.\n";
    let diags = check_at(DROID, text);
    let named: Vec<_> =
        diags.iter().filter(|d| d.code == "body-tool-not-granted").map(|d| &text[d.span.clone()]).collect();
    assert_eq!(named, ["Grep"], "{diags:?}");
}
