//! The cross-file rules, over the workspace index: duplicate agent names within a product's
//! folder, agents shadowing built-in ones or (with the user scope read) the user's own agents,
//! references to agents, skills and MCP servers that do not exist, droid names clashing with
//! another droid's file name, and broken MCP configuration files. Each finding sits on the exact
//! span in the file it is reported for and lists the other files involved in `related`. Files of
//! the user scope are never reported on.

use crate::diagnostic::{Diagnostic, Related, Severity, Span};
use crate::dialect::Dialect;
use crate::policy::RuleLevel;
use crate::registry::{self, RuleCode};
use crate::workspace::{builtins, FileFacts, FileKey, Reference, SymbolKind, Workspace, USER_ROOT};

struct Out<'a> {
    facts: &'a FileFacts,
    out: Vec<Diagnostic>,
}

impl Out<'_> {
    fn emit(&mut self, code: RuleCode, default: Option<Severity>, span: Span, message: String, related: Vec<Related>) {
        let default =
            default.unwrap_or_else(|| registry::info(code).default_severity(self.facts.dialect.map(Dialect::id)));
        let severity = match self.facts.policy.rule_level(code) {
            Some(RuleLevel::Off) => return,
            Some(level) => level.severity().unwrap_or(default),
            None => default,
        };
        let mut d = Diagnostic::new(code, severity, span, message);
        d.related = related;
        self.out.push(d);
    }
}

fn list(keys: &[FileKey]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// Whether a definition takes part in the product's duplicate check: the key the loader uses.
fn keyed(d: Dialect, def: &crate::workspace::Definition) -> bool {
    def.kind == SymbolKind::Agent
        && match d {
            Dialect::Claude | Dialect::Factory => true,
            Dialect::Copilot | Dialect::Opencode => def.from_path,
        }
}

fn duplicate_note(d: Dialect) -> &'static str {
    match d {
        Dialect::Claude => "Claude Code loads only one of them, chosen by the order it reads the files",
        Dialect::Factory => "Factory keys droids by name and documents no order, so which one runs is luck",
        Dialect::Copilot => "VS Code keys custom agents by file name, so one hides the other",
        Dialect::Opencode => "OpenCode reads `agent/` and `agents/` as one set of names, so one replaces the other",
    }
}

/// What the product does when a project agent and a user-level agent share a name: which one
/// it runs, per its documentation (see `data/rules.yaml`, `shadows-user-agent`).
fn user_shadow_note(d: Dialect) -> &'static str {
    match d {
        Dialect::Claude => "Claude Code runs this project's agent, so the user-level one is ignored in this project",
        Dialect::Factory => "Factory runs the project droid, so your personal one is ignored here",
        Dialect::Copilot => {
            "Copilot CLI runs the one in your home folder instead of this file (VS Code documents no order)"
        }
        Dialect::Opencode => {
            "OpenCode reads the user-level one first and merges this file over it: the keys this file does not set still come from it"
        }
    }
}

/// The cross-file findings of one file, sorted by position. None for a file of the user scope.
pub fn check(ws: &Workspace, key: &str) -> Vec<Diagnostic> {
    ws.entry(key).map_or_else(Vec::new, |(key, facts)| check_file(ws, key, facts))
}

/// [`check`] for a file the caller already holds: `key` and `facts` are one of
/// [`Workspace::files`] (so checking every file looks none up).
pub fn check_file(ws: &Workspace, key: &FileKey, facts: &FileFacts) -> Vec<Diagnostic> {
    if facts.user.is_some() {
        return Vec::new();
    }
    let mut o = Out { facts, out: Vec::new() };
    if let Some(c) = &facts.config {
        for p in &c.problems {
            o.emit(RuleCode::McpConfigInvalid, None, p.span.clone(), p.message.clone(), Vec::new());
        }
    }
    let Some(d) = facts.dialect else { return o.out };
    definitions(ws, key, facts, d, &mut o);
    for r in &facts.references {
        reference(ws, key, facts, d, r, &mut o);
    }
    if !facts.suppressions.is_empty() {
        o.out.retain(|x| !facts.suppressions.hides(x));
    }
    o.out.sort_by_key(|x| (x.span.start, x.span.end, x.code));
    o.out
}

fn definitions(ws: &Workspace, key: &FileKey, facts: &FileFacts, d: Dialect, o: &mut Out) {
    for def in &facts.definitions {
        if keyed(d, def) && ws.defined_elsewhere(&facts.root, d, SymbolKind::Agent, &def.name, key) {
            let others: Vec<(FileKey, Span)> = ws
                .definitions(&facts.root, d, SymbolKind::Agent, &def.name)
                .into_iter()
                .filter(|(k, _)| k != key)
                .filter(|(k, sp)| {
                    ws.file(k).is_some_and(|f| {
                        f.scope == facts.scope
                            && f.definitions.iter().any(|x| x.span == *sp && keyed(d, x) && x.name == def.name)
                    })
                })
                .collect();
            if !others.is_empty() {
                let files: Vec<FileKey> = others.iter().map(|(k, _)| k.clone()).collect();
                let related = others
                    .iter()
                    .map(|(k, sp)| Related {
                        path: k.to_string(),
                        span: sp.clone(),
                        message: format!("`{}` is also defined here", def.name),
                    })
                    .collect();
                o.emit(
                    RuleCode::DuplicateAgentName,
                    None,
                    def.span.clone(),
                    format!(
                        "another {} in this folder is named `{}` ({}); {}",
                        d.noun(),
                        def.name,
                        list(&files),
                        duplicate_note(d)
                    ),
                    related,
                );
            }
        }
        if keyed(d, def) {
            let users: Vec<(FileKey, Span, String)> = ws
                .definitions(USER_ROOT, d, SymbolKind::Agent, &def.name)
                .into_iter()
                .filter_map(|(k, sp)| {
                    let f = ws.file(&k)?;
                    let shown = f.user.clone()?;
                    f.definitions
                        .iter()
                        .any(|x| x.span == sp && keyed(d, x) && x.name == def.name)
                        .then(|| (k, sp, shown.to_string()))
                })
                .collect();
            if let Some((_, _, first)) = users.first() {
                let related = users
                    .iter()
                    .map(|(k, sp, _)| Related {
                        path: k.to_string(),
                        span: sp.clone(),
                        message: format!("the user-level {} `{}`", d.noun(), def.name),
                    })
                    .collect();
                o.emit(
                    RuleCode::ShadowsUserAgent,
                    None,
                    def.span.clone(),
                    format!(
                        "a user-level {} is also named `{}` ({first}); {}",
                        d.noun(),
                        def.name,
                        user_shadow_note(d)
                    ),
                    related,
                );
            }
        }
        if def.kind == SymbolKind::Agent
            && builtins::is_agent(d, &def.name)
            && ((keyed(d, def) && d != Dialect::Copilot) || !def.from_path)
        {
            o.emit(
                RuleCode::ShadowsBuiltinAgent,
                None,
                def.span.clone(),
                format!(
                    "`{}` is the name of a built-in {} agent; this file replaces it wherever it is called",
                    def.name,
                    d.display()
                ),
                Vec::new(),
            );
        }
        if d == Dialect::Factory && def.kind == SymbolKind::Agent && !def.from_path {
            let own_file = facts.definitions.iter().any(|x| x.kind == SymbolKind::DroidFile && x.name == def.name);
            if !own_file {
                let clash: Vec<(FileKey, Span)> = ws
                    .definitions(&facts.root, d, SymbolKind::DroidFile, &def.name)
                    .into_iter()
                    .filter(|(k, _)| k != key && ws.file(k).is_some_and(|f| f.scope == facts.scope))
                    .collect();
                if !clash.is_empty() {
                    let files: Vec<FileKey> = clash.iter().map(|(k, _)| k.clone()).collect();
                    let related = clash
                        .iter()
                        .map(|(k, sp)| Related {
                            path: k.to_string(),
                            span: sp.clone(),
                            message: format!("the droid file `{}.md`", def.name),
                        })
                        .collect();
                    o.emit(
                        RuleCode::DroidNameClash,
                        None,
                        def.span.clone(),
                        format!(
                            "the droid name `{}` is the file name of {}; Factory ties `name` to the file name, so both claim one subagent type",
                            def.name,
                            list(&files)
                        ),
                        related,
                    );
                }
            }
        }
    }
}

fn reference(ws: &Workspace, key: &FileKey, facts: &FileFacts, d: Dialect, r: &Reference, o: &mut Out) {
    if !ws.is_missing(key, r) {
        return;
    }
    match r.kind {
        SymbolKind::Agent => {
            let hint = if r.pattern {
                None
            } else {
                ws.hint(&facts.root, d, SymbolKind::Agent, &r.name, || {
                    let names = ws.names(&facts.root, d, SymbolKind::Agent);
                    let names = names.chain(ws.names(USER_ROOT, d, SymbolKind::Agent));
                    let names = names.chain(builtins::agents(d).iter().map(String::as_str));
                    crate::rules::did_you_mean(&r.name, names).map(str::to_string)
                })
            };
            let what = if r.pattern {
                format!("the pattern `{}` in `{}` matches no {}", r.name, r.key, d.noun())
            } else {
                format!("`{}` in `{}` names no {} of this project", r.name, r.key, d.noun())
            };
            let scope =
                if ws.user_scope() { "nor among your user-level agents" } else { "user-level agents are not read" };
            let hint = hint.map_or(String::new(), |h| format!("; did you mean `{h}`?"));
            o.emit(RuleCode::UnknownAgent, None, r.span.clone(), format!("{what} ({scope}){hint}"), Vec::new());
        }
        SymbolKind::Skill => {
            let hint = ws
                .hint(&facts.root, d, SymbolKind::Skill, &r.name, || {
                    crate::rules::did_you_mean(&r.name, ws.names(&facts.root, d, SymbolKind::Skill)).map(str::to_string)
                })
                .map_or(String::new(), |h| format!("; did you mean `{h}`?"));
            o.emit(
                RuleCode::UnknownSkill,
                None,
                r.span.clone(),
                format!(
                    "no skill folder of this project is named `{}` (user and plugin skills are not read){hint}",
                    r.name
                ),
                Vec::new(),
            );
        }
        SymbolKind::McpServer => {
            let Some((server, span)) = ws.server_of(key, r) else { return };
            let read = ws.configs_for(&facts.root, d);
            let servers = ws.servers_for(key, d);
            let mut names: Vec<&str> = servers.iter().map(|(_, s)| s.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            let hint = crate::rules::did_you_mean(&server, names.iter().copied())
                .map_or(String::new(), |h| format!("; did you mean `{h}`?"));
            let read_text = if read.is_empty() {
                "the agent's own inline servers".to_string()
            } else {
                format!("read {}", list(&read))
            };
            let effect = match (d, r.tool) {
                (Dialect::Factory, true) => "; Factory refuses the droid (\"Invalid tools\")",
                _ => "",
            };
            // Only a Factory tool ID stops the droid from loading; an unknown `mcpServers` name is dropped.
            let severity = (!r.tool).then_some(Severity::Warning);
            let related = read
                .iter()
                .map(|k| Related { path: k.to_string(), span: 0..0, message: "MCP configuration read".into() })
                .collect();
            o.emit(
                RuleCode::UnknownMcpServer,
                severity,
                span,
                format!("`{server}` is not a configured MCP server ({read_text}; user-level configurations are not read){hint}{effect}"),
                related,
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Settings};
    use crate::mcp::ConfigSource;
    use crate::workspace::{extract, extract_config};
    use std::path::Path;

    fn ws(files: &[(&str, &str)]) -> Workspace {
        let mut ws = Workspace::new();
        for (p, t) in files {
            let path = Path::new(p);
            let f = match crate::mcp::config_source(path) {
                Some((src, root)) => extract_config(src, &root.to_string_lossy(), t, Default::default()),
                None => extract(&analyze(t, Some(path), &Settings::default()), path),
            };
            ws.upsert(p, f);
        }
        ws
    }

    fn found(ws: &Workspace, files: &[(&str, &str)], key: &str) -> Vec<(String, String, Severity)> {
        let text = files.iter().find(|(p, _)| *p == key).unwrap().1;
        check(ws, key).into_iter().map(|d| (d.code.to_string(), text[d.span].to_string(), d.severity)).collect()
    }

    #[test]
    fn every_rule_at_its_span() {
        let files = [
            (".claude/agents/a.md", "---\nname: lead\ndescription: d\ntools: Agent(helper, ghost), mcp__github__x, mcp__gone__y\nskills: pdf, pdff\n---\nB\n"),
            (".claude/agents/sub/b.md", "---\nname: lead\ndescription: d\n---\nB\n"),
            (".claude/agents/c.md", "---\nname: helper\ndescription: d\n---\nB\n"),
            (".claude/agents/e.md", "---\nname: Explore\ndescription: d\n---\nB\n"),
            (".claude/skills/pdf/SKILL.md", "---\nname: pdf\ndescription: d\n---\nB\n"),
            (".mcp.json", "{\"mcpServers\": {\"github\": {\"command\": \"x\"}}"),
            (".factory/mcp.json", "{\"mcpServers\": {\"linear\": {\"type\": \"http\", \"url\": \"https://l\"}}}"),
            (".factory/droids/triage.md", "---\nname: review\ndescription: d\ntools: [\"Read\", \"linear___a\", \"jira___b\"]\nmcpServers: [jira]\n---\nB\n"),
            (".factory/droids/review.md", "---\nname: reviewer\ndescription: d\n---\nB\n"),
        ];
        let ws = ws(&files);
        let a = found(&ws, &files, ".claude/agents/a.md");
        assert_eq!(
            a,
            [
                ("duplicate-agent-name".into(), "lead".into(), Severity::Warning),
                ("unknown-agent".into(), "ghost".into(), Severity::Warning),
                ("unknown-mcp-server".into(), "gone".into(), Severity::Warning),
                ("unknown-skill".into(), "pdff".into(), Severity::Warning),
            ]
        );
        let d = check(&ws, ".claude/agents/a.md");
        assert_eq!(d[0].related[0].path, ".claude/agents/sub/b.md");
        assert!(d[2].message.contains("`.mcp.json`"), "{}", d[2].message);
        assert!(d[3].message.contains("did you mean `pdf`"), "{}", d[3].message);
        assert_eq!(found(&ws, &files, ".claude/agents/e.md")[0].0, "shadows-builtin-agent");
        let droid = found(&ws, &files, ".factory/droids/triage.md");
        assert_eq!(
            droid,
            [
                ("droid-name-clash".into(), "review".into(), Severity::Warning),
                ("unknown-mcp-server".into(), "jira".into(), Severity::Error),
                ("unknown-mcp-server".into(), "jira".into(), Severity::Warning),
            ]
        );
        let cfg = found(&ws, &files, ".mcp.json");
        assert_eq!(cfg[0].0, "mcp-config-invalid");
    }

    /// A workspace of project files (relative to `/p`) and user-scope files (relative to `/h`).
    fn with_user(project: &[(&str, &str)], user: &[(&str, &str)]) -> Workspace {
        let mut w = ws(&project.iter().map(|(p, t)| (*p, *t)).collect::<Vec<_>>());
        let scope = crate::workspace::UserScope::new(Path::new("/h"), None);
        for (p, t) in user {
            let path = Path::new(p);
            let folder = scope.folder_of(path).unwrap();
            let settings = Settings { dialect_override: Some(folder.dialect), ..Settings::default() };
            let f = extract(&analyze(t, Some(path), &settings), path);
            w.upsert(p, scope.into_layer(f, folder, path));
        }
        w.set_user_scope(true);
        w
    }

    #[test]
    fn the_user_scope_defines_and_is_shadowed_but_is_never_reported() {
        let project = [
            (
                "/p/.claude/agents/reviewer.md",
                "---\nname: reviewer\ndescription: d\ntools: Agent(helper, ghost)\n---\nB\n",
            ),
            ("/p/.factory/droids/triage.md", "---\nname: triage\ndescription: d\n---\nB\n"),
            (
                "/p/.github/agents/plan.agent.md",
                "---\nname: Planner\ndescription: d\nhandoffs:\n  - label: Go\n    agent: implement\n---\nB\n",
            ),
            ("/p/.opencode/agents/team/rev.md", "---\ndescription: d\n---\nB\n"),
        ];
        let user = [
            ("/h/.claude/agents/reviewer.md", "---\nname: reviewer\ndescription: d\ntools: Agent(nobody)\n---\nB\n"),
            ("/h/.claude/agents/sub/helper.md", "---\nname: helper\ndescription: d\n---\nB\n"),
            ("/h/.factory/droids/triage.md", "---\nname: triage\ndescription: d\n---\nB\n"),
            ("/h/.copilot/agents/plan.agent.md", "---\nname: Other\ndescription: d\n---\nB\n"),
            ("/h/.copilot/agents/implement.agent.md", "---\ndescription: d\n---\nB\n"),
            ("/h/.config/opencode/agents/team/rev.md", "---\ndescription: d\n---\nB\n"),
        ];
        let w = with_user(&project, &user);
        let all: Vec<(&str, &str)> = project.iter().chain(user.iter()).copied().collect();

        // `helper` resolves to the user's agent; `ghost` is unknown, and the message says the user
        // scope was looked at.
        let r = found(&w, &all, "/p/.claude/agents/reviewer.md");
        assert_eq!(
            r,
            [
                ("shadows-user-agent".into(), "reviewer".into(), Severity::Warning),
                ("unknown-agent".into(), "ghost".into(), Severity::Warning),
            ]
        );
        let d = check(&w, "/p/.claude/agents/reviewer.md");
        assert!(d[0].message.contains("(~/.claude/agents/reviewer.md)"), "{}", d[0].message);
        assert!(d[0].message.contains("Claude Code runs this project's agent"), "{}", d[0].message);
        assert_eq!(d[0].related[0].path, "/h/.claude/agents/reviewer.md");
        assert_eq!(d[0].related[0].span, 10..18);
        assert!(d[1].message.contains("nor among your user-level agents"), "{}", d[1].message);

        let droid = check(&w, "/p/.factory/droids/triage.md");
        assert_eq!(droid.len(), 1);
        assert!(droid[0].message.contains("Factory runs the project droid"), "{}", droid[0].message);
        // Copilot keys agents by file name: `plan.agent.md` clashes whatever the `name`; the
        // handoff to `implement` resolves to the user's file.
        let plan = found(&w, &all, "/p/.github/agents/plan.agent.md");
        assert_eq!(plan, [("shadows-user-agent".into(), "Planner".into(), Severity::Warning)]);
        assert!(check(&w, "/p/.github/agents/plan.agent.md")[0]
            .message
            .contains("Copilot CLI runs the one in your home folder"));
        // OpenCode names by path, relative to the agents folder.
        let oc = check(&w, "/p/.opencode/agents/team/rev.md");
        assert_eq!(oc.len(), 1);
        assert!(oc[0].message.contains("merges this file over it"), "{}", oc[0].message);

        // The user's files: never reported on (the user's `nobody` is unknown, `reviewer` is shadowed).
        for (p, _) in &user {
            assert!(check(&w, p).is_empty(), "{p}");
        }
    }

    #[test]
    fn without_the_user_scope_nothing_changes() {
        let project = [("/p/.claude/agents/a.md", "---\nname: a\ndescription: d\ntools: Agent(helper)\n---\nB\n")];
        let w = ws(&project);
        let d = check(&w, "/p/.claude/agents/a.md");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("user-level agents are not read"), "{}", d[0].message);
    }

    #[test]
    fn suppression_comments_apply_to_cross_file_findings() {
        let files = [
            (".claude/agents/a.md", "---\nname: a\ndescription: d\n# agentls-disable-next-line unknown-agent\ntools: Agent(ghost)\nskills: nope\n---\nB\n"),
            (".claude/agents/b.md", "---\nname: b\ndescription: d\ntools: Agent(ghost)\n---\n<!-- agentls-disable unknown-agent -->\n"),
            (".claude/agents/c.md", "---\nname: c\ndescription: d\ntools: Agent(ghost)\n---\n<!-- agentls-disable unknown-skill -->\n"),
        ];
        let ws = ws(&files);
        let codes = |k: &str| found(&ws, &files, k).into_iter().map(|x| x.0).collect::<Vec<_>>();
        assert_eq!(codes(".claude/agents/a.md"), ["unknown-skill"], "the next line only");
        assert!(codes(".claude/agents/b.md").is_empty(), "the whole file");
        assert_eq!(codes(".claude/agents/c.md"), ["unknown-agent"], "another rule's comment");
    }

    #[test]
    fn copilot_and_opencode_references() {
        let files = [
            (".github/agents/plan.agent.md", "---\nname: Planner\nhandoffs:\n  - label: Go\n    agent: implement\n  - label: X\n    agent: nobody\n---\nB\n"),
            (".github/agents/implement.agent.md", "---\ndescription: d\ntools: ['github/*', 'other/*']\n---\nB\n"),
            (".vscode/mcp.json", "{\"servers\": {\"fs\": {\"command\": \"x\"}}}"),
            (".opencode/agents/lead.md", "---\ndescription: d\npermission:\n  task:\n    \"rev*\": allow\n    \"doc*\": allow\n    general: allow\n---\nB\n"),
            (".opencode/agent/review.md", "---\ndescription: d\n---\nB\n"),
            (".opencode/agents/review.md", "---\ndescription: d\n---\nB\n"),
        ];
        let ws = ws(&files);
        assert_eq!(found(&ws, &files, ".github/agents/plan.agent.md")[0].1, "nobody");
        let imp = found(&ws, &files, ".github/agents/implement.agent.md");
        assert_eq!(imp.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(), ["other"], "github is built in");
        let lead = found(&ws, &files, ".opencode/agents/lead.md");
        assert_eq!(lead.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect::<Vec<_>>(), [("unknown-agent", "doc*")]);
        assert_eq!(found(&ws, &files, ".opencode/agent/review.md")[0].0, "duplicate-agent-name");
        let _ = ConfigSource::Vscode;
    }
}
