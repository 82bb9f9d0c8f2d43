//! Consistency checks of the built-in catalogs in `data/catalogs/`: they parse, their names are unique,
//! their regexes compile, their cross-references resolve, and the tool concepts map the well-known pairs
//! between dialects both ways.

use std::collections::{HashMap, HashSet};

use agentls::catalog::{builtin, Catalog, Status, ValueType};
use agentls::dialect::Dialect;
use regex::Regex;

fn all() -> Vec<(Dialect, &'static Catalog)> {
    Dialect::ALL.iter().map(|d| (*d, builtin(*d))).collect()
}

/// Compiles a catalog regex, naming the catalog and the field when it fails.
fn compile(d: Dialect, what: &str, re: &str) -> Regex {
    Regex::new(re).unwrap_or_else(|e| panic!("{}: {what} regex {re:?} does not compile: {e}", d.id()))
}

/// The name the `to` dialect uses for the tool `name` of the `from` dialect, by concept.
fn equivalent(from: Dialect, name: &str, to: Dialect) -> Option<String> {
    let tool = builtin(from).tool(name).unwrap_or_else(|| panic!("{}: no tool {name}", from.id()));
    let concept = tool.concept.as_deref().unwrap_or_else(|| panic!("{}: tool {name} has no concept", from.id()));
    builtin(to).tool_for_concept(concept).map(|t| t.name.clone())
}

#[test]
fn all_catalogs_parse_and_name_their_dialect() {
    for (d, c) in all() {
        assert_eq!(c.dialect, d.id(), "catalog file of {} names another dialect", d.id());
        assert!(!c.sources.is_empty(), "{}: no sources", d.id());
        assert!(!c.keys.is_empty() && !c.tools.is_empty() && !c.models.is_empty(), "{}: empty catalog", d.id());
        assert!(!c.tools_forms.is_empty(), "{}: no tools forms", d.id());
        for k in &c.tool_keys {
            let key = c.key(k).unwrap_or_else(|| panic!("{}: tool key {k} is not a key", d.id()));
            assert_eq!(key.ty, ValueType::Tools, "{}: tool key {k} must have type tools", d.id());
        }
    }
}

#[test]
fn names_are_unique_within_a_catalog() {
    for (d, c) in all() {
        let mut keys = HashSet::new();
        for k in &c.keys {
            assert!(keys.insert(k.name.as_str()), "{}: duplicate key {}", d.id(), k.name);
        }
        // Tool names and aliases share one namespace, compared the way the dialect compares them.
        let fold = |s: &str| if c.tools_case_insensitive { s.to_ascii_lowercase() } else { s.to_string() };
        let mut tools = HashSet::new();
        for t in &c.tools {
            for n in std::iter::once(&t.name).chain(&t.aliases) {
                assert!(tools.insert(fold(n)), "{}: duplicate tool name or alias {n}", d.id());
            }
        }
        let mut models = HashSet::new();
        for m in &c.models {
            assert!(models.insert(m.id.as_str()), "{}: duplicate model {}", d.id(), m.id);
        }
        let mut cats = HashSet::new();
        for cat in &c.categories {
            assert!(cats.insert(cat.name.as_str()), "{}: duplicate category {}", d.id(), cat.name);
        }
    }
}

#[test]
fn every_entry_has_doc_and_source() {
    for (d, c) in all() {
        for k in &c.keys {
            assert!(!k.doc.trim().is_empty() && k.source.is_some(), "{}: key {} lacks doc or source", d.id(), k.name);
        }
        for t in &c.tools {
            assert!(!t.doc.trim().is_empty() && t.source.is_some(), "{}: tool {} lacks doc or source", d.id(), t.name);
        }
        for m in &c.models {
            assert!(!m.doc.trim().is_empty() && m.source.is_some(), "{}: model {} lacks doc or source", d.id(), m.id);
        }
        for cat in &c.categories {
            assert!(!cat.doc.trim().is_empty(), "{}: category {} lacks doc", d.id(), cat.name);
        }
        assert!(!c.mcp.doc.trim().is_empty() && c.mcp.snippet.is_some(), "{}: mcp lacks doc or snippet", d.id());
    }
}

#[test]
fn every_regex_compiles_and_matches_documented_examples() {
    for (d, c) in all() {
        for k in &c.keys {
            if let Some(p) = &k.pattern {
                compile(d, &format!("key {}", k.name), p);
            }
        }
        if let Some(p) = &c.name_pattern {
            compile(d, "name_pattern", p);
        }
        for p in &c.mcp.patterns {
            compile(d, "mcp", p);
        }
        for p in &c.model_patterns {
            compile(d, "model", p);
        }
    }
    let matches = |patterns: &[String], s: &str| patterns.iter().any(|p| Regex::new(p).unwrap().is_match(s));
    let mcp = |d: Dialect| builtin(d).mcp.patterns.clone();
    let models = |d: Dialect| builtin(d).model_patterns.clone();

    assert!(matches(&mcp(Dialect::Claude), "mcp__github__search_repositories"));
    assert!(matches(&mcp(Dialect::Claude), "mcp__plugin_tools_db__query"));
    assert!(matches(&mcp(Dialect::Claude), "mcp__github__*"));
    assert!(matches(&mcp(Dialect::Claude), "mcp__*"));
    assert!(!matches(&mcp(Dialect::Claude), "Read"));
    assert!(matches(&mcp(Dialect::Factory), "github___search_code"));
    assert!(matches(&mcp(Dialect::Factory), "context7___resolve-library-id"));
    assert!(!matches(&mcp(Dialect::Factory), "Execute"));
    assert!(matches(&mcp(Dialect::Copilot), "github/*"));
    assert!(matches(&mcp(Dialect::Copilot), "playwright/browser_click"));
    assert!(matches(&mcp(Dialect::Copilot), "ms-python.python/getPythonEnvironmentInfo"));
    assert!(matches(&mcp(Dialect::Copilot), "io.github.github/github-mcp-server/*"));
    assert!(matches(&mcp(Dialect::Opencode), "mymcp_*"));
    assert!(matches(&mcp(Dialect::Opencode), "github_search_code"));

    // Another dialect's MCP spelling is not well formed, but the markers flag it as an MCP attempt.
    let marked = |d: Dialect, s: &str| builtin(d).mcp.markers.iter().any(|m| s.contains(m.as_str()));
    for (d, foreign) in [
        (Dialect::Claude, "github___search_code"),
        (Dialect::Factory, "linear__list_issues"),
        // Factory's CLI (v0.225.2) registers MCP tools as `<server>___<tool>` only; Claude's spelling is no ID.
        (Dialect::Factory, "mcp__linear__list_issues"),
        (Dialect::Copilot, "mcp__github__search_code"),
        (Dialect::Opencode, "mcp__github__search_code"),
        (Dialect::Opencode, "github/*"),
    ] {
        assert!(!matches(&mcp(d), foreign) && marked(d, foreign), "{}: {foreign}", d.id());
    }

    assert!(matches(&models(Dialect::Factory), "custom:gpt-4o-mini"));
    assert!(!matches(&models(Dialect::Factory), "gpt-4o-mini"));
    assert!(matches(&models(Dialect::Claude), "claude-sonnet-4-6"));
    assert!(matches(&models(Dialect::Claude), "claude-sonnet-4-5-20250929"));
    assert!(!matches(&models(Dialect::Claude), "gpt-5"));
    assert!(matches(&models(Dialect::Opencode), "anthropic/claude-sonnet-4-20250514"));
    assert!(!matches(&models(Dialect::Opencode), "claude-sonnet-4"));
    assert!(matches(&models(Dialect::Copilot), "GPT-5 (copilot)"));
    assert!(matches(&models(Dialect::Copilot), "Claude Sonnet 4.5 (copilot)"));

    let name = |d: Dialect| compile(d, "name_pattern", builtin(d).name_pattern.as_deref().unwrap());
    assert!(name(Dialect::Factory).is_match("code_reviewer-2"));
    assert!(!name(Dialect::Factory).is_match("Code Reviewer"));
    assert!(name(Dialect::Claude).is_match("code-reviewer"));
    assert!(!name(Dialect::Claude).is_match("code_reviewer"));
}

#[test]
fn replacements_name_existing_entries() {
    for (d, c) in all() {
        for k in &c.keys {
            if let Some(r) = &k.replacement {
                assert!(c.key(r).is_some(), "{}: key {} is replaced by unknown key {r}", d.id(), k.name);
            }
            if k.status != Status::Current {
                assert!(k.replacement.is_some(), "{}: retired key {} has no replacement", d.id(), k.name);
            }
        }
        for t in &c.tools {
            if let Some(r) = &t.replacement {
                let target = c.tool(r).unwrap_or_else(|| panic!("{}: tool {} replaced by unknown {r}", d.id(), t.name));
                assert_ne!(target.name, t.name, "{}: tool {} replaces itself", d.id(), t.name);
            }
        }
        for m in &c.models {
            if let Some(r) = &m.replacement {
                let target = c.model(r).unwrap_or_else(|| panic!("{}: model {} replaced by unknown {r}", d.id(), m.id));
                assert_eq!(target.status, Status::Current, "{}: model {} replaced by retired {r}", d.id(), m.id);
            }
            if m.status != Status::Current {
                assert!(m.replacement.is_some(), "{}: retired model {} has no replacement", d.id(), m.id);
            }
        }
    }
}

#[test]
fn retired_tools_explain_themselves() {
    for (d, c) in all() {
        for t in c.tools.iter().filter(|t| t.status != Status::Current) {
            assert!(
                t.reason.is_some() || t.replacement.is_some(),
                "{}: {:?} tool {} has neither reason nor replacement",
                d.id(),
                t.status,
                t.name
            );
        }
    }
}

#[test]
fn enum_keys_have_values_and_value_docs_match() {
    const KINDS: [&str; 3] = ["agent", "prompt", "chat-mode"];
    for (d, c) in all() {
        for k in &c.keys {
            if k.ty == ValueType::Enum {
                assert!(!k.values.is_empty(), "{}: enum key {} has no values", d.id(), k.name);
            }
            for v in k.value_docs.keys() {
                assert!(k.values.contains(v), "{}: key {} documents unknown value {v}", d.id(), k.name);
            }
            for kind in &k.kinds {
                assert!(KINDS.contains(&kind.as_str()), "{}: key {} has unknown kind {kind}", d.id(), k.name);
            }
        }
    }
}

#[test]
fn categories_and_tools_refer_to_each_other() {
    for (d, c) in all() {
        for cat in &c.categories {
            for t in &cat.tools {
                let tool = c.tool(t).unwrap_or_else(|| panic!("{}: category {} lists unknown {t}", d.id(), cat.name));
                assert_eq!(tool.category.as_deref(), Some(cat.name.as_str()), "{}: {t} vs {}", d.id(), cat.name);
            }
        }
        for t in &c.tools {
            if let Some(cat) = &t.category {
                assert!(c.category(cat).is_some(), "{}: tool {} has unknown category {cat}", d.id(), t.name);
            }
        }
    }
}

#[test]
fn each_concept_has_at_most_one_current_tool() {
    for (d, c) in all() {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for t in c.tools.iter().filter(|t| t.status == Status::Current) {
            if let Some(concept) = t.concept.as_deref() {
                if let Some(other) = seen.insert(concept, &t.name) {
                    panic!("{}: concept {concept} is carried by both {other} and {}", d.id(), t.name);
                }
            }
        }
    }
}

#[test]
fn concepts_map_tools_between_dialects_both_ways() {
    use Dialect::*;
    let pairs =
        [("Bash", "Execute"), ("Write", "Create"), ("WebFetch", "FetchUrl"), ("Read", "Read"), ("Edit", "Edit")];
    for (claude, factory) in pairs {
        assert_eq!(equivalent(Claude, claude, Factory).as_deref(), Some(factory), "claude {claude} -> factory");
        assert_eq!(equivalent(Factory, factory, Claude).as_deref(), Some(claude), "factory {factory} -> claude");
    }
    // Legacy names map to the current tool of the other dialect.
    assert_eq!(equivalent(Claude, "MultiEdit", Opencode).as_deref(), Some("multiedit"));
    assert_eq!(equivalent(Factory, "MultiEdit", Opencode).as_deref(), Some("multiedit"));
    assert_eq!(equivalent(Claude, "Task", Opencode).as_deref(), Some("task"));
    assert_eq!(equivalent(Claude, "Task", Factory), None, "droids cannot spawn subagents");
    // Copilot and OpenCode take part in the same vocabulary.
    assert_eq!(equivalent(Claude, "Bash", Copilot).as_deref(), Some("execute"));
    assert_eq!(equivalent(Copilot, "execute", Claude).as_deref(), Some("Bash"));
    assert_eq!(equivalent(Copilot, "editFiles", Factory).as_deref(), Some("Edit"));
    assert_eq!(equivalent(Copilot, "web/fetch", Factory).as_deref(), Some("FetchUrl"));
    assert_eq!(equivalent(Opencode, "bash", Factory).as_deref(), Some("Execute"));
    assert_eq!(equivalent(Opencode, "write", Claude).as_deref(), Some("Write"));
    assert_eq!(equivalent(Factory, "TodoWrite", Claude).as_deref(), Some("TaskCreate"));
}

#[test]
fn copilot_aliases_accept_claude_names_case_insensitively() {
    let c = builtin(Dialect::Copilot);
    assert_eq!(c.tool("Bash").map(|t| t.name.as_str()), Some("execute"));
    assert_eq!(c.tool("EXECUTE").map(|t| t.name.as_str()), Some("execute"));
    assert_eq!(c.tool("Read").map(|t| t.name.as_str()), Some("read"));
    assert_eq!(c.tool("Write").map(|t| t.name.as_str()), Some("edit"));
    assert_eq!(c.tool("Task").map(|t| t.name.as_str()), Some("agent"));
    // Claude and Factory names are exact.
    assert!(builtin(Dialect::Claude).tool("bash").is_none());
    assert!(builtin(Dialect::Factory).tool("read").is_none());
}

#[test]
fn copilot_tools_follow_vscode_registrations() {
    let c = builtin(Dialect::Copilot);
    let status = |n: &str| c.tool(n).map(|t| (t.status, t.replacement.clone()));
    // Members of VS Code's tool sets (VS Code core and Copilot Chat 0.49) are current.
    for n in [
        "execute/runTests",
        "execute/runTask",
        "read/getTaskOutput",
        "vscode/memory",
        "vscode/newWorkspace",
        "web/githubRepo",
        "agent/runSubagent",
        "vscode/vscodeAPI",
        "todo",
    ] {
        assert_eq!(status(n), Some((Status::Current, None)), "{n}");
    }
    // Names VS Code still maps to the current ones.
    assert_eq!(status("runSubagent"), Some((Status::Deprecated, Some("agent".into()))));
    assert_eq!(status("todos"), Some((Status::Deprecated, Some("todo".into()))));
    assert_eq!(
        status("runCommands/terminalSelection"),
        Some((Status::Deprecated, Some("read/terminalSelection".into())))
    );
    // Names it no longer accepts.
    assert_eq!(c.tool("search/searchResults").map(|t| t.status), Some(Status::Removed));
    // Retired models name a current replacement.
    let m = c.model("GPT-5").expect("GPT-5");
    assert_eq!(
        (m.status, m.replacement.as_deref(), m.since.as_deref()),
        (Status::Removed, Some("GPT-5.2"), Some("2026-02-17"))
    );
    assert_eq!(c.model("Claude Sonnet 5").map(|m| m.status), Some(Status::Current));
}

#[test]
fn factory_current_tools_are_the_documented_table() {
    let c = builtin(Dialect::Factory);
    let mut current: Vec<&str> =
        c.tools.iter().filter(|t| t.status == Status::Current).map(|t| t.name.as_str()).collect();
    current.sort_unstable();
    // The documented custom-droid table, `TodoWrite` and `Skill` (added to every droid), and the registered
    // tools the CLI's droid validator (v0.225.2) also accepts.
    let table = ["Read", "LS", "Grep", "Glob", "Create", "Edit", "ApplyPatch", "Execute", "WebSearch", "FetchUrl"];
    let mut expected = table.to_vec();
    expected.extend([
        "TodoWrite",
        "Skill",
        "ToolSearch",
        "TaskOutput",
        "TaskStop",
        "Loop",
        "ConnectorSearch",
        "GenerateImage",
    ]);
    expected.sort_unstable();
    assert_eq!(current, expected);
    // The CLI still accepts `MultiEdit` and gives the droid `Edit` instead.
    assert_eq!(
        c.tool("MultiEdit").map(|t| (t.status, t.replacement.as_deref())),
        Some((Status::Deprecated, Some("Edit")))
    );
    for t in ["Task", "AskUser", "GenerateDroid", "ExitSpecMode"] {
        assert_eq!(c.tool(t).map(|t| t.status), Some(Status::Unavailable), "{t}");
    }
    // The categories cover exactly the documented table.
    let mut in_categories: Vec<&str> =
        c.categories.iter().flat_map(|cat| cat.tools.iter().map(String::as_str)).collect();
    in_categories.sort_unstable();
    let mut table = table.to_vec();
    table.sort_unstable();
    assert_eq!(in_categories, table);
}

#[test]
fn factory_reasoning_levels_are_values_of_reasoning_effort() {
    let c = builtin(Dialect::Factory);
    let key = c.key("reasoningEffort").expect("reasoningEffort key");
    for m in &c.models {
        for r in &m.reasoning {
            assert!(key.values.contains(r), "factory: model {} has unknown reasoning level {r}", m.id);
        }
    }
    assert!(c.models.iter().filter(|m| !m.alias && m.status == Status::Current).all(|m| !m.reasoning.is_empty()));
    // Checked against the models table and the CLI's model registry (v0.225.2).
    let levels =
        |id: &str| c.model(id).map(|m| m.reasoning.join(" ")).unwrap_or_else(|| panic!("factory: no model {id}"));
    assert_eq!(levels("claude-opus-4-7"), "off low medium high xhigh max");
    assert_eq!(levels("claude-opus-4-8-fast"), "off low medium high xhigh max");
    assert_eq!(levels("claude-opus-4-6"), "off low medium high max");
    assert_eq!(levels("gpt-5.4"), "low medium high xhigh");
    for (id, replacement) in [("claude-opus-4-7-fast", "claude-opus-4-7"), ("claude-opus-4-6-fast", "claude-opus-4-6")]
    {
        let m = c.model(id).unwrap_or_else(|| panic!("factory: no model {id}"));
        assert_eq!((m.status, m.replacement.as_deref()), (Status::Deprecated, Some(replacement)), "{id}");
    }
}

#[test]
fn retired_keys_are_marked() {
    let status = |d: Dialect, k: &str| builtin(d).key(k).map(|k| (k.status, k.replacement.clone()));
    assert_eq!(status(Dialect::Copilot, "infer").unwrap().0, Status::Deprecated);
    assert_eq!(status(Dialect::Copilot, "user-invokable"), Some((Status::Deprecated, Some("user-invocable".into()))));
    assert_eq!(status(Dialect::Copilot, "mode"), Some((Status::Deprecated, Some("agent".into()))));
    assert_eq!(status(Dialect::Opencode, "maxSteps"), Some((Status::Deprecated, Some("steps".into()))));
    assert_eq!(status(Dialect::Opencode, "tools"), Some((Status::Deprecated, Some("permission".into()))));
}

/// A source a reader can open: an address (`https://...`) and when it was read (`2026-11-30`) or the
/// product release it describes (`v2.1.224`).
fn openable_source(s: &str) -> bool {
    let url = Regex::new(r"https://[^\s)]+").unwrap();
    let when = Regex::new(r"\b\d{4}-\d{2}(-\d{2})?\b|\bv\d+\.\d+").unwrap();
    url.is_match(s) && when.is_match(s)
}

#[test]
fn every_source_can_be_opened_and_is_dated() {
    let mut bad = Vec::new();
    let date = Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap();
    for (d, c) in all() {
        assert!(date.is_match(&c.updated), "{}: updated", d.id());
        assert!(!c.product.is_empty(), "{}: product", d.id());
        let entries = c
            .sources
            .iter()
            .map(|s| ("sources", "", Some(s)))
            .chain(c.keys.iter().map(|k| ("key", k.name.as_str(), k.source.as_ref())))
            .chain(c.tools.iter().map(|t| ("tool", t.name.as_str(), t.source.as_ref())))
            .chain(c.models.iter().map(|m| ("model", m.id.as_str(), m.source.as_ref())));
        for (what, name, src) in entries {
            if !src.is_some_and(|s| openable_source(s)) {
                bad.push(format!("{}: {what} {name}: {src:?}", d.id()));
            }
        }
    }
    assert!(bad.is_empty(), "{} entries without an openable, dated source:\n{}", bad.len(), bad.join("\n"));
}
