//! `agentls port`: every example of every dialect ported to every other loads without an error,
//! round trips keep the tools and the model where the products have equivalents and report every
//! loss, the seed droid becomes a clean Claude Code subagent, and the porting table names only ids
//! the catalogs know.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use agentls::analysis::{analyze, Settings};
use agentls::catalog::{self, Status};
use agentls::dialect::Dialect;
use agentls::port::{self, data::data, NoteKind, Ported, Want};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every agent example, with the path it lives at (relative to the repository), and the seed.
fn examples() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for dir in [".claude/agents", ".factory/droids", ".github/agents", ".github/prompts", ".opencode/agents"] {
        let d = root().join("examples").join(dir);
        let mut files: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let rel = PathBuf::from(dir).join(f.file_name().unwrap());
            out.push((rel, std::fs::read_to_string(&f).unwrap()));
        }
    }
    out.push((PathBuf::from(".factory/droids/senior-backend-developer.md"), support::seed()));
    out
}

fn port_to(path: &Path, text: &str, to: Dialect) -> Ported {
    let a = analyze(text, Some(path), &Settings::default());
    agentls::engine::port(&a, to).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn dialect_of(path: &Path, text: &str) -> Dialect {
    analyze(text, Some(path), &Settings::default()).detected.unwrap().dialect
}

fn agent(path: &Path, text: &str) -> port::Agent {
    port::read(&analyze(text, Some(path), &Settings::default()))
}

#[test]
fn every_example_ports_to_every_other_dialect_without_an_error() {
    let mut n = 0;
    for (path, text) in examples() {
        let from = dialect_of(&path, &text);
        for to in Dialect::ALL.into_iter().filter(|d| *d != from) {
            let p = port_to(&path, &text, to);
            assert!(
                p.errors.is_empty(),
                "{} -> {}: {:?}\n{}",
                path.display(),
                to.id(),
                p.errors.iter().map(|d| (&d.code, &d.message)).collect::<Vec<_>>(),
                p.text
            );
            // Written where the target loads it from, and detected as the target there.
            let det = agentls::dialect::detect_by_path(&p.path).unwrap();
            assert_eq!(det.dialect, to, "{}", p.path.display());
            n += 1;
        }
    }
    assert!(n >= 36, "{n} ports");
}

/// The concepts a port can carry to `to` and back: those with a current tool in both.
fn carried(concepts: &BTreeSet<Want>, from: Dialect, to: Dialect) -> BTreeSet<Want> {
    let (fc, tc) = (catalog::builtin(from), catalog::builtin(to));
    concepts
        .iter()
        .filter(|w| match w {
            Want::Concept(c) => fc.tool_for_concept(c).is_some() && tc.tool_for_concept(c).is_some(),
            Want::Mcp { .. } => true,
        })
        .cloned()
        .collect()
}

#[test]
fn round_trips_keep_tools_and_model_where_both_products_have_them_and_report_every_loss() {
    for (path, text) in examples() {
        let from = dialect_of(&path, &text);
        let original = agent(&path, &text);
        for via in Dialect::ALL.into_iter().filter(|d| *d != from) {
            let there = port_to(&path, &text, via);
            let back = port_to(&there.path, &there.text, from);
            let returned = agent(&back.path, &back.text);
            let notes: Vec<_> = there.notes.iter().chain(&back.notes).collect();
            let ctx = format!("{} -> {} -> {}\n{}\n{}", path.display(), via.id(), from.id(), there.text, back.text);
            match (original.concepts(), returned.concepts()) {
                (None, None) => {}
                (Some(o), Some(r)) => {
                    let expected = carried(&o, from, via);
                    assert!(
                        expected.is_subset(&r),
                        "lost tools {:?}: {ctx}",
                        expected.difference(&r).collect::<Vec<_>>()
                    );
                    // Every concept that did not come back is reported by one of the legs.
                    for lost in o.difference(&r) {
                        let from_name = original
                            .grant_names()
                            .into_iter()
                            .find(|(w, _)| w == lost)
                            .map(|(_, n)| n)
                            .unwrap_or_default();
                        assert!(
                            notes.iter().any(|n| n.kind.is_loss() && n.message.contains(&format!("`{from_name}`"))),
                            "{lost:?} ({from_name}) lost without a note: {ctx}\n{notes:#?}"
                        );
                    }
                }
                // A denylist the target cannot write becomes an explicit list, which is said.
                (None, Some(_)) => assert!(
                    notes.iter().any(|n| n.message.contains("no denylist")),
                    "all tools became a list without a note: {ctx}"
                ),
                (Some(_), None) => panic!("a list became every tool: {ctx}"),
            }
            // The model: the same where the target offers it, else reported.
            match original.model_id() {
                Some(id) => {
                    let offered =
                        data().model(id).unwrap().spellings(via).first().is_some_and(|s| {
                            catalog::builtin(via).model(s).is_none_or(|m| m.status != Status::Removed)
                        }) && data().model(id).unwrap().spellings(from).first().is_some_and(|s| {
                            catalog::builtin(from).model(s).is_none_or(|m| m.status != Status::Removed)
                        });
                    if offered {
                        assert_eq!(returned.model_id(), Some(id), "{ctx}");
                    } else {
                        assert!(notes.iter().any(|n| n.kind == NoteKind::ModelDropped), "model lost silently: {ctx}");
                    }
                }
                None => assert_eq!(returned.model_id(), None, "{ctx}"),
            }
        }
    }
}

#[test]
fn the_seed_droid_becomes_a_clean_claude_subagent() {
    let p = port_to(Path::new(".factory/droids/senior-backend-developer.md"), &support::seed(), Dialect::Claude);
    assert_eq!(p.path, PathBuf::from(".claude/agents/senior-backend-developer.md"));
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let tools_line = p.text.lines().find(|l| l.starts_with("tools: ")).unwrap();
    let tools: Vec<&str> = tools_line["tools: ".len()..].split(", ").collect();
    // Factory's Execute, Create, FetchUrl and Glob, in Claude Code's names.
    for t in ["Bash", "Write", "WebFetch", "Glob", "Read", "Grep", "Edit", "WebSearch"] {
        assert!(tools.contains(&t), "{t} missing from {tools:?}");
    }
    for t in ["Execute", "Create", "FetchUrl", "GenerateDroid", "Task", "MultiEdit", "LS"] {
        assert!(!tools.contains(&t), "{t} in {tools:?}");
    }
    let note = p.notes.iter().find(|n| n.subject == "GenerateDroid").expect("a note on GenerateDroid");
    assert_eq!(note.kind, NoteKind::ToolDropped);
    assert!(note.message.contains("cannot be enabled"), "{}", note.message);
    // MultiEdit: Factory gives Edit instead, so it is not a loss.
    assert!(!p.notes.iter().any(|n| n.subject == "MultiEdit" && n.kind.is_loss()), "{:#?}", p.notes);
    // The retired Sonnet 4.5 is left out with its replacement named, not carried into an error.
    assert!(!p.text.contains("model:"), "{}", p.text);
    assert!(p.notes.iter().any(|n| n.kind == NoteKind::ModelDropped && n.message.contains("claude-sonnet-5")));
    // The body already says Bash, Claude Code's name: nothing to rewrite.
    assert!(p.text.contains("Use CLI tools exclusively via Bash:"));
}

#[test]
fn body_mentions_are_rewritten_in_prose_and_listed_in_code() {
    let text = "---\nname: x\ndescription: Builds things.\ntools: Bash, Read\n---\n\nRun the build via Bash, then use the Read tool.\nThe `Bash` tool in code stays; use the NotebookEdit tool.\n";
    let p = port_to(Path::new(".claude/agents/x.md"), text, Dialect::Factory);
    assert!(p.text.contains("Run the build via Execute, then use the Read tool."), "{}", p.text);
    assert!(p.text.contains("The `Bash` tool in code stays; use the NotebookEdit tool."), "{}", p.text);
    let review: Vec<_> =
        p.notes.iter().filter(|n| n.kind == NoteKind::BodyReview).map(|n| n.subject.as_str()).collect();
    assert_eq!(review, ["Bash", "NotebookEdit"], "{:#?}", p.notes);
    assert!(p.notes.iter().any(|n| n.kind == NoteKind::BodyRewritten && n.subject == "Bash"));
}

#[test]
fn mcp_names_categories_denylists_and_keys_take_the_target_form() {
    let text = "---\nname: x\ndescription: Uses GitHub.\ntools: Read, mcp__github__create_issue, mcp__jira\nmodel: opus\npermissionMode: plan\nmaxTurns: 7\neffort: high\n---\n\nBody.\n";
    let p = port_to(Path::new(".claude/agents/x.md"), text, Dialect::Factory);
    assert!(p.text.contains("tools: [\"Read\", \"github___create_issue\"]"), "{}", p.text);
    assert!(p.text.contains("mcpServers: [\"jira\"]"), "{}", p.text);
    assert!(p.text.contains("model: claude-opus-5\n"), "{}", p.text);
    assert!(p.text.contains("reasoningEffort: high\n"), "{}", p.text);
    assert!(p.notes.iter().any(|n| n.kind == NoteKind::KeyDropped && n.subject == "permissionMode"));
    assert!(p.notes.iter().any(|n| n.kind == NoteKind::KeyDropped && n.subject == "maxTurns"));
    let c = port_to(Path::new(".claude/agents/x.md"), text, Dialect::Copilot);
    assert!(c.text.contains("tools: ['read', 'github/create_issue', 'jira/*']"), "{}", c.text);
    assert!(c.text.contains("model: Claude Opus 5\n"), "{}", c.text);
    let o = port_to(Path::new(".claude/agents/x.md"), text, Dialect::Opencode);
    assert!(
        o.text.contains("  github_create_issue: allow\n  jira_*: allow\n") || o.text.contains("\"jira_*\": allow"),
        "{}",
        o.text
    );
    assert!(o.text.contains("steps: 7\n"), "{}", o.text);

    // A category forms from exactly its tools; Factory's read-only expands.
    let claude = "---\nname: r\ndescription: Reads.\ntools: Read, Grep, Glob\n---\n\nBody.\n";
    let f = port_to(Path::new(".claude/agents/r.md"), claude, Dialect::Factory);
    assert!(f.text.contains("tools: [\"Read\", \"Grep\", \"Glob\"]"), "{}", f.text);
    let droid = "---\nname: r\ndescription: Reads.\ntools: read-only\n---\n\nBody.\n";
    let back = port_to(Path::new(".factory/droids/r.md"), droid, Dialect::Opencode);
    let there = port_to(&back.path, &back.text, Dialect::Factory);
    assert!(back.text.contains("  read: allow\n  grep: allow\n  glob: allow\n"), "{}", back.text);
    assert!(there.text.contains("tools: [\"Read\", \"Grep\", \"Glob\"]"), "{}", there.text);

    // Claude's denylist: OpenCode denies, Copilot lists the rest.
    let deny = "---\nname: d\ndescription: No shell.\ndisallowedTools: Bash\n---\n\nBody.\n";
    let o = port_to(Path::new(".claude/agents/d.md"), deny, Dialect::Opencode);
    assert!(o.text.contains("permission:\n  bash: deny\n"), "{}", o.text);
    let c = port_to(Path::new(".claude/agents/d.md"), deny, Dialect::Copilot);
    assert!(!c.text.contains("'execute'") && c.text.contains("'read'"), "{}", c.text);
}

#[test]
fn the_porting_table_names_models_the_catalogs_know() {
    let d = data();
    let mut ids = BTreeSet::new();
    for m in &d.models {
        assert!(ids.insert(&m.id), "{} twice", m.id);
        assert!(m.source.contains("https://") && m.source.contains("2026"), "{}: source", m.id);
        for dialect in Dialect::ALL {
            let cat = catalog::builtin(dialect);
            for s in m.spellings(dialect) {
                let pattern = cat.model_patterns.iter().any(|p| regex::Regex::new(p).unwrap().is_match(s));
                assert!(cat.model(s).is_some() || pattern, "{}: `{s}` is no {} model", m.id, dialect.id());
            }
        }
    }
    for a in &d.aliases {
        assert!(d.model(&a.model).is_some(), "{}: {}", a.alias, a.model);
        assert!(catalog::builtin(a.dialect).model(&a.alias).is_some_and(|m| m.alias), "{}", a.alias);
    }
    for k in &d.keys {
        for dialect in Dialect::ALL {
            if let Some(key) = k.key(dialect) {
                assert!(
                    catalog::builtin(dialect).key(key).is_some(),
                    "{}: `{key}` is no {} key",
                    k.concept,
                    dialect.id()
                );
            }
        }
    }
}

#[test]
fn the_command_writes_the_target_file_and_refuses_to_overwrite_it() {
    let dir = std::env::temp_dir().join(format!("agentls-port-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".claude/agents")).unwrap();
    std::fs::write(
        dir.join(".claude/agents/code-reviewer.md"),
        std::fs::read_to_string(root().join("examples/.claude/agents/code-reviewer.md")).unwrap(),
    )
    .unwrap();
    let out = support::run_agentls(&dir, &["port", ".claude/agents/code-reviewer.md", "--to", "factory"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(dir.join(".factory/droids/code-reviewer.md")).unwrap();
    assert!(written.contains("tools: [\"Read\", \"Grep\", \"Glob\", \"Execute\"]"), "{written}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`Bash` becomes `Execute`"), "{stderr}");
    let again = support::run_agentls(&dir, &["port", ".claude/agents/code-reviewer.md", "--to", "factory"]);
    assert_eq!(again.status.code(), Some(2));
    let json =
        support::run_agentls(&dir, &["port", ".claude/agents/code-reviewer.md", "--to", "copilot", "--format", "json"]);
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["to"], "copilot");
    assert!(v["notes"].as_array().unwrap().iter().any(|n| n["kind"] == "model-mapped"), "{v}");
    assert!(dir.join(".github/agents/code-reviewer.agent.md").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_portability_report_says_what_each_product_loads() {
    let text = std::fs::read_to_string(root().join("examples/.claude/agents/code-reviewer.md")).unwrap();
    let path = Path::new(".claude/agents/code-reviewer.md");
    let a = analyze(&text, Some(path), &Settings::default());
    let r = port::report::report(&a).unwrap();
    let ids: Vec<Vec<String>> = r.views.iter().map(|v| v.products.clone()).collect();
    assert_eq!(ids[0], ["claude-code"]);
    // VS Code reads `.claude/agents` (loaders.yaml), so it is not only "if ported".
    let vscode = r.views.iter().find(|v| v.products == ["vscode"]).expect("VS Code reads this path");
    assert_eq!(vscode.reach, port::report::Reach::AlsoReads);
    assert_eq!(vscode.tools.as_deref(), Some(&["read".to_string(), "search".into(), "execute".into()][..]));
    let factory = r.views.iter().find(|v| v.dialect == Dialect::Factory).unwrap();
    assert_eq!(factory.reach, port::report::Reach::Ported);
    assert_eq!(factory.model.as_deref(), Some("claude-sonnet-5"));
    assert_eq!(factory.keys_ignored, ["color"]);
    // On hover over the opening fence.
    let h = agentls::ide::hover(&a, 1).expect("hover on the fence");
    assert_eq!(h.span, 0..3);
    assert!(h.markdown.contains("**Factory** (if ported to `.factory/droids/code-reviewer.md`)"), "{}", h.markdown);
    assert!(h.markdown.contains("- tools: `Read`, `Grep`, `Glob`, `Execute`"), "{}", h.markdown);
}

#[test]
fn portable_to_turns_losses_into_diagnostics_on_their_culprits() {
    let text = "---\nname: x\ndescription: Reviews.\ntools: Read, NotebookEdit\nmodel: sonnet\npermissionMode: plan\n---\n\nReview.\n";
    let diags = support::check_with_policy(".claude/agents/x.md", text, "portable_to: [factory]\n");
    let np: Vec<_> = diags.iter().filter(|d| d.code.as_str() == "not-portable").collect();
    let at = |s: &str| np.iter().find(|d| &text[d.span.clone()] == s).unwrap_or_else(|| panic!("none on {s}: {np:#?}"));
    assert_eq!(at("NotebookEdit").severity, agentls::diagnostic::Severity::Error);
    assert_eq!(at("permissionMode").severity, agentls::diagnostic::Severity::Warning);
    assert!(at("NotebookEdit").message.starts_with("not portable to Factory: `NotebookEdit` is left out"));
    // Nothing without the key, and nothing for the file's own dialect.
    assert!(!support::check_at(".claude/agents/x.md", text).iter().any(|d| d.code.as_str() == "not-portable"));
    let own = support::check_with_policy(".claude/agents/x.md", text, "portable_to: [claude]\n");
    assert!(!own.iter().any(|d| d.code.as_str() == "not-portable"));
}

#[test]
fn check_portability_prints_the_report_as_json() {
    let out = support::run_agentls(
        &root(),
        &["check", "--portability", "--format", "json", "examples/.factory/droids/deployer.md"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let views = v[0]["report"]["views"].as_array().unwrap();
    assert_eq!(views[0]["products"], serde_json::json!(["factory"]));
    let claude = views.iter().find(|x| x["dialect"] == "claude").unwrap();
    assert_eq!(claude["tools"], serde_json::json!(["Read", "Grep", "Bash", "WebFetch"]));
    assert!(claude["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d.as_str().unwrap().contains("claude-opus-4-1-20250805")));
}
