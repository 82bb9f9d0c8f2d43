//! One file's cross-file facts: what it defines (an agent, a skill, a command, MCP servers) and
//! what it refers to (agents, skills, MCP servers, MCP tools), each with its exact span. Extracted
//! from the per-file [`Analysis`] (so the parse is shared with the per-file rules), or from an MCP
//! configuration file's text.

use std::path::Path;
use std::sync::Arc;

use crate::analysis::Analysis;
use crate::diagnostic::Span;
use crate::dialect::Dialect;
use crate::mcp::{self, ConfigSource, McpConfig, Server};
use crate::policy::EffectivePolicy;
use crate::semantics::tools::{self as sem_tools, Resolved};
use crate::syntax::{Entry, Node, Value};
use crate::tools;

use super::SymbolKind;

/// A name this file defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub kind: SymbolKind,
    pub name: String,
    /// The name's exact span; for a name the dialect takes from the file or folder name, the
    /// frontmatter's opening `---` (or 0..0), where a finding about the file as a whole sits.
    pub span: Span,
    /// True when the name comes from the file or folder name, not from the text.
    pub from_path: bool,
}

/// A name this file refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `Agent`, `Skill` or `McpServer`; MCP tool names are `McpServer` references with `tool: true`.
    pub kind: SymbolKind,
    /// The name as written: an agent, skill or server name, a glob (`pattern`), or a whole MCP tool name.
    pub name: String,
    pub span: Span,
    /// The frontmatter key it sits under, for messages (`handoffs`, `tools`, `skills`, ...).
    pub key: &'static str,
    /// A glob over agent names (OpenCode's `permission.task`).
    pub pattern: bool,
    /// An MCP tool name: the server is found inside it at check time (OpenCode's form needs the
    /// configured server names).
    pub tool: bool,
}

/// Everything the index keeps about one file.
#[derive(Debug, Clone)]
pub struct FileFacts {
    pub dialect: Option<Dialect>,
    /// The project folder (holding `.claude/`, `.mcp.json`, ...): MCP configurations apply within it.
    pub root: Arc<str>,
    /// The folder the loader scans for this file's kind: names are unique within it.
    pub scope: Arc<str>,
    pub definitions: Vec<Definition>,
    pub references: Vec<Reference>,
    /// Servers defined in the file itself (a configuration file's, or an agent's inline ones).
    pub servers: Vec<Server>,
    /// For an MCP configuration file: which one, and its problems.
    pub config: Option<McpConfig>,
    /// The severities the file's policy sets.
    pub policy: Arc<EffectivePolicy>,
    /// The file's `agentls-disable` comments, which cross-file findings obey too.
    pub suppressions: crate::suppress::Suppressions,
    /// For a file of the user scope (read-only, never reported on): how messages name it
    /// (`~/.claude/agents/x.md`). Its `root` is then [`super::USER_ROOT`].
    pub user: Option<Arc<str>>,
}

impl FileFacts {
    fn new(dialect: Option<Dialect>, root: Arc<str>, scope: Arc<str>, policy: Arc<EffectivePolicy>) -> Self {
        FileFacts {
            dialect,
            root,
            scope,
            definitions: Vec::new(),
            references: Vec::new(),
            servers: Vec::new(),
            config: None,
            policy,
            suppressions: Default::default(),
            user: None,
        }
    }
}

fn scalar(e: &Entry, text: &str) -> Option<(String, Span)> {
    let s = e.value.as_str()?.trim();
    if s.is_empty() {
        return None;
    }
    let (span, exact) = tools::name_span(&e.value, text);
    Some((s.to_string(), if exact { span } else { e.value.span.clone() }))
}

fn entry<'n>(node: &'n Node, key: &str) -> Option<&'n Entry> {
    match &node.value {
        Value::Map(m) => m.entries.iter().find(|e| e.key.as_str() == Some(key)),
        _ => None,
    }
}

/// Where the last agent file placed on a thread was: its folder (the path's bytes), dialect,
/// root and scope.
type Place = (Vec<u8>, Dialect, Arc<str>, Arc<str>);

thread_local! {
    static LAST_PLACE: std::cell::RefCell<Option<Place>> = const { std::cell::RefCell::new(None) };
}

/// [`super::agent_scope`], with the root and scope shared by the files of one folder: they are
/// the same for all of them, and checking 10,000 agents split 10,000 paths to build 20,000 equal
/// strings. OpenCode's name, taken from the path, is worked out for each file.
fn agent_place(path: &Path, dialect: Dialect) -> (Arc<str>, Arc<str>, Option<String>) {
    let bytes = path.as_os_str().as_encoded_bytes();
    let folder = &bytes[..bytes.iter().rposition(|b| std::path::is_separator(char::from(*b))).unwrap_or(0)];
    // A file whose own name is a dialect folder's (`.claude/agents` as a file) places differently
    // from its siblings; agent files end in `.md`, which no such folder name does.
    let by_folder = dialect != Dialect::Opencode && bytes.ends_with(b".md");
    if by_folder {
        let hit = LAST_PLACE.with_borrow(|last| {
            last.as_ref()
                .filter(|(f, d, _, _)| *d == dialect && f.as_slice() == folder)
                .map(|(_, _, r, s)| (r.clone(), s.clone()))
        });
        if let Some((root, scope)) = hit {
            return (root, scope, None);
        }
    }
    let (root, scope, name) = super::agent_scope(path, dialect);
    let (root, scope): (Arc<str>, Arc<str>) = (root.into(), scope.into());
    if by_folder {
        LAST_PLACE.set(Some((folder.to_vec(), dialect, root.clone(), scope.clone())));
    }
    (root, scope, name)
}

/// The facts of an agent, skill or command file, from its analysis. `path` is the file's path
/// (relative or absolute; only its components are read).
pub fn extract(a: &Analysis, path: &Path) -> FileFacts {
    let mut f = extract_names(a, path);
    f.suppressions = crate::suppress::Suppressions::parse(a.text);
    f
}

fn extract_names(a: &Analysis, path: &Path) -> FileFacts {
    let policy = a.policy.clone();
    let fm = a.parsed.frontmatter.as_ref();
    let anchor = fm.map_or(0..0, |f| f.open.clone());
    let name_entry = fm.and_then(|f| f.get("name")).and_then(|e| scalar(e, a.text));

    if let Some((dialect, name, root)) = super::skill_name_from_path(path) {
        let scope = format!("{root}/skills");
        let mut f = FileFacts::new(Some(dialect), root.into(), scope.into(), policy);
        let span = name_entry.as_ref().filter(|(n, _)| *n == name).map_or(anchor.clone(), |(_, s)| s.clone());
        f.definitions.push(Definition { kind: SymbolKind::Skill, name, span, from_path: true });
        return f;
    }
    if let Some((dialect, name, root)) = super::command_name_from_path(path) {
        let scope = format!("{root}/commands");
        let mut f = FileFacts::new(Some(dialect), root.into(), scope.into(), policy);
        f.definitions.push(Definition { kind: SymbolKind::Command, name, span: anchor, from_path: true });
        return f;
    }

    let Some(dialect) = a.detected.map(|d| d.dialect) else {
        return FileFacts::new(None, "".into(), "".into(), policy);
    };
    let (root, scope, opencode_name) = agent_place(path, dialect);
    let mut f = FileFacts::new(Some(dialect), root, scope, policy);
    let stem = a.file_stem.clone();
    let def = |name: String, span: Span, from_path: bool| Definition { kind: SymbolKind::Agent, name, span, from_path };
    match dialect {
        Dialect::Claude => f.definitions.extend(name_entry.clone().map(|(n, s)| def(n, s, false))),
        Dialect::Factory => {
            // The loader falls back to the file name when `name` is missing or fails its schema.
            match (&name_entry, &stem) {
                (Some((n, s)), _) => f.definitions.push(def(n.clone(), s.clone(), false)),
                (None, Some(st)) => f.definitions.push(def(st.clone(), anchor.clone(), true)),
                _ => {}
            }
            if let Some(st) = &stem {
                f.definitions.push(Definition {
                    kind: SymbolKind::DroidFile,
                    name: st.clone(),
                    span: anchor.clone(),
                    from_path: true,
                });
            }
        }
        Dialect::Copilot => {
            // VS Code keys agents by file name; `name` is how handoffs and the picker name them.
            if let Some(st) = &stem {
                let span = name_entry.as_ref().map_or(anchor.clone(), |(_, s)| s.clone());
                f.definitions.push(def(st.clone(), span, true));
            }
            if let Some((n, s)) = &name_entry {
                if Some(n) != stem.as_ref() {
                    f.definitions.push(def(n.clone(), s.clone(), false));
                }
            }
        }
        Dialect::Opencode => {
            if let Some(n) = opencode_name.or(stem) {
                f.definitions.push(def(n, anchor.clone(), true));
            }
        }
    }
    let Some(fm) = fm else { return f };
    let text = a.text;
    let reference = |kind, name: String, span: Span, key: &'static str| Reference {
        kind,
        name,
        span,
        key,
        pattern: false,
        tool: false,
    };

    // Tools: Claude's `Agent(a, b)` / `Task(a, b)` name agents; MCP tool names name servers.
    if let (Some(e), Some(cat)) = (fm.get("tools"), a.catalog.as_deref()) {
        // The list the rules read too (a catalog without a `tools` key: read here).
        let list =
            a.tool_list(e).map_or_else(|| std::borrow::Cow::Owned(tools::read(e, text)), std::borrow::Cow::Borrowed);
        let whole = list.items.len() == 1;
        for item in &list.items {
            if dialect == Dialect::Claude && (item.name == "Agent" || item.name == "Task") {
                let src = &text[item.item_span.clone()];
                if let (Some(open), Some(close)) = (src.find('('), src.rfind(')')) {
                    let base = item.item_span.start + open + 1;
                    let inner = &src[open + 1..close.max(open + 1)];
                    let mut off = 0;
                    for piece in inner.split(',') {
                        let lead = piece.len() - piece.trim_start().len();
                        let name = piece.trim();
                        if !name.is_empty() && name != "*" {
                            let start = base + off + lead;
                            f.references.push(reference(
                                SymbolKind::Agent,
                                name.into(),
                                start..start + name.len(),
                                "tools",
                            ));
                        }
                        off += piece.len() + 1;
                    }
                }
                continue;
            }
            let mcp_shaped = match sem_tools::resolve(cat, dialect, &item.name, whole) {
                Resolved::Mcp => true,
                Resolved::BadMcp => dialect == Dialect::Factory && item.name.starts_with("mcp__"),
                _ => false,
            };
            if mcp_shaped && item.span.len() == item.name.len() {
                f.references.push(Reference {
                    tool: true,
                    ..reference(SymbolKind::McpServer, item.name.clone(), item.span.clone(), "tools")
                });
            }
        }
    }
    match dialect {
        Dialect::Claude | Dialect::Factory => {
            if let Some(e) = fm.get("mcpServers") {
                let (defs, names) = mcp::frontmatter_servers(&e.value, text);
                f.servers.extend(defs);
                for n in names {
                    f.references.push(reference(SymbolKind::McpServer, n.name, n.span, "mcpServers"));
                }
            }
        }
        Dialect::Copilot => {
            if let Some(e) = fm.get("mcp-servers") {
                f.servers.extend(mcp::frontmatter_servers(&e.value, text).0);
            }
        }
        Dialect::Opencode => {}
    }
    if dialect == Dialect::Claude {
        if let Some(e) = fm.get("skills") {
            for item in tools::read(e, text).items {
                f.references.push(reference(SymbolKind::Skill, item.name, item.span, "skills"));
            }
        }
    }
    if dialect == Dialect::Copilot {
        if let Some(Value::Seq(s)) = fm.get("handoffs").map(|e| &e.value.value) {
            for h in &s.items {
                if let Some((n, span)) = entry(h, "agent").and_then(|e| scalar(e, text)) {
                    f.references.push(reference(SymbolKind::Agent, n, span, "handoffs"));
                }
            }
        }
        if let Some(e) = fm.get("agents") {
            for item in tools::read(e, text).items.into_iter().filter(|i| i.name != "*") {
                f.references.push(reference(SymbolKind::Agent, item.name, item.span, "agents"));
            }
        }
    }
    if dialect == Dialect::Opencode {
        if let Some(task) = fm.get("permission").and_then(|e| entry(&e.value, "task")) {
            if let Value::Map(m) = &task.value.value {
                for e in &m.entries {
                    let Some(pat) = e.key.as_str() else { continue };
                    if pat == "*" {
                        continue;
                    }
                    let (span, _) = tools::name_span(&e.key, text);
                    f.references.push(Reference {
                        pattern: pat.contains(['*', '?']),
                        ..reference(SymbolKind::Agent, pat.to_string(), span, "permission.task")
                    });
                }
            }
        }
    }
    f
}

/// The facts of an MCP configuration file.
pub fn extract_config(source: ConfigSource, root: &str, text: &str, policy: Arc<EffectivePolicy>) -> FileFacts {
    let config = mcp::parse_config(source, text);
    let mut f = FileFacts::new(None, root.into(), root.into(), policy);
    for s in &config.servers {
        f.definitions.push(Definition {
            kind: SymbolKind::McpServer,
            name: s.name.clone(),
            span: s.name_span.clone(),
            from_path: false,
        });
    }
    f.servers = config.servers.clone();
    f.config = Some(config);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Settings};

    fn facts(path: &str, text: &str) -> FileFacts {
        let a = analyze(text, Some(Path::new(path)), &Settings::default());
        extract(&a, Path::new(path))
    }

    fn refs(f: &FileFacts, t: &str) -> Vec<(SymbolKind, String)> {
        f.references.iter().map(|r| (r.kind, t[r.span.clone()].to_string())).collect()
    }

    #[test]
    fn claude_agent() {
        let t = "---\nname: lead\ndescription: d\ntools: Read, Agent(worker, researcher), mcp__github__search\nskills: [pdf]\nmcpServers:\n  - slack\n  - local: {command: x}\n---\nBody\n";
        let f = facts("r/.claude/agents/lead.md", t);
        assert_eq!(&t[f.definitions[0].span.clone()], "lead");
        assert_eq!(&*f.root, "r");
        assert_eq!(
            refs(&f, t),
            [
                (SymbolKind::Agent, "worker".into()),
                (SymbolKind::Agent, "researcher".into()),
                (SymbolKind::McpServer, "mcp__github__search".into()),
                (SymbolKind::McpServer, "slack".into()),
                (SymbolKind::Skill, "pdf".into()),
            ]
        );
        assert_eq!(f.servers[0].name, "local");
    }

    #[test]
    fn copilot_factory_opencode() {
        let t = "---\nname: Planner\nagents: ['*', impl]\nhandoffs:\n  - label: Go\n    agent: implementer\n---\n";
        let f = facts(".github/agents/plan.agent.md", t);
        let names: Vec<_> = f.definitions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["plan", "Planner"]);
        assert_eq!(refs(&f, t), [(SymbolKind::Agent, "implementer".into()), (SymbolKind::Agent, "impl".into())]);

        let t = "---\ndescription: d\ntools: [\"Read\", \"linear___list\"]\nmcpServers: [\"linear\"]\n---\nBody\n";
        let f = facts(".factory/droids/triage.md", t);
        assert_eq!(f.definitions[0].name, "triage");
        assert!(f.definitions[0].from_path);
        assert_eq!(f.definitions[1].kind, SymbolKind::DroidFile);
        assert_eq!(refs(&f, t).len(), 2);

        let t = "---\ndescription: d\npermission:\n  task:\n    \"*\": deny\n    \"review-*\": allow\n    docs: allow\n---\n";
        let f = facts(".opencode/agents/team/lead.md", t);
        assert_eq!(f.definitions[0].name, "team/lead");
        assert_eq!(refs(&f, t), [(SymbolKind::Agent, "review-*".into()), (SymbolKind::Agent, "docs".into())]);
        assert!(f.references[0].pattern && !f.references[1].pattern);
    }

    #[test]
    fn files_of_one_folder_share_their_root_and_scope() {
        let t = "---\nname: x\ndescription: d\n---\n";
        let (a, b) = (facts("r/.claude/agents/a.md", t), facts("r/.claude/agents/b.md", t));
        assert_eq!((&*a.root, &*a.scope), ("r", "r/.claude/agents"));
        assert!(Arc::ptr_eq(&a.root, &b.root) && Arc::ptr_eq(&a.scope, &b.scope));
        // Another folder, another dialect of the same folder, and back: each placed anew.
        let c = facts("q/.claude/agents/sub/c.md", t);
        assert_eq!((&*c.root, &*c.scope), ("q", "q/.claude/agents"));
        let d = facts("r/.claude/agents/d.md", "---\nname: d\ndescription: d\n---\n");
        assert_eq!((&*d.root, &*d.scope), ("r", "r/.claude/agents"));
        let settings = Settings { dialect_override: Some(Dialect::Copilot), ..Settings::default() };
        let p = Path::new("r/.claude/agents/e.md");
        let e = extract(&analyze(t, Some(p), &settings), p);
        assert_eq!((&*e.root, &*e.scope), ("r/.claude/agents", "r/.claude/agents"));
        // OpenCode names each file by its path.
        let (o1, o2) = (facts(".opencode/agent/x/o1.md", t), facts(".opencode/agent/x/o2.md", t));
        assert_eq!((o1.definitions[0].name.as_str(), o2.definitions[0].name.as_str()), ("x/o1", "x/o2"));
    }

    #[test]
    fn skill_and_config() {
        let t = "---\nname: pdf\ndescription: d\n---\n";
        let f = facts("r/.claude/skills/pdf/SKILL.md", t);
        assert_eq!((f.definitions[0].kind, &t[f.definitions[0].span.clone()]), (SymbolKind::Skill, "pdf"));
        let t = "{\"mcpServers\": {\"github\": {\"command\": \"x\"}}}";
        let f = extract_config(ConfigSource::McpJson, "r", t, Arc::new(EffectivePolicy::default()));
        assert_eq!(&t[f.definitions[0].span.clone()], "github");
    }
}
