//! The effective tool set of an agent file, worked out as the product's loader computes it: the
//! tools it inherits or lists, categories and tool sets expanded, minus what the file's own
//! deny lists and the loader remove, minus what the team policy denies, plus the MCP servers it
//! can reach. Pure and LSP-free: an [`Analysis`] and the configured MCP servers (plain data from
//! the workspace index) in, an [`Effective`] out; hover, the inlay hint and the code lens render it.
//! It runs on those requests only, never on an edit.
//!
//! What each loader does, with its source (read 2026-12-02 unless stated):
//! - Claude Code: `tools` omitted inherits every tool available to subagents, MCP tools included;
//!   `disallowedTools` is applied first and `tools` resolved against what remains; `mcp__<server>`
//!   and `mcp__<server>__*` name a whole server, `mcp__*` in `disallowedTools` every MCP tool; an
//!   allowlist without MCP names gives no MCP tools (code.claude.com/docs/en/sub-agents, "Available
//!   tools"; mirrored in github.com/pleaseai/claude-code-docs docs/sub-agents.md at 219faf2). A list
//!   holding `*` inherits everything (the catalog's `*` entry). The subagent and background filters
//!   are the conditions of `data/conditions.yaml`: the certain ones (error severity) remove, the
//!   others are listed as "may be withheld".
//! - Factory: `tools` omitted gives all tools, a category string its tools, a list those IDs;
//!   `TodoWrite` (and, per the shipped CLI, `Skill`) are added to every droid (`always_granted`);
//!   `mcpServers` grants every tool of the servers it names "without exposing every other server",
//!   exact registered MCP tool IDs in `tools` grant single tools (docs.factory.ai/cli/configuration/
//!   custom-droids; github.com/Factory-AI/factory docs/cli/configuration/custom-droids.mdx at
//!   153c5a7, "Selecting MCP servers"). The `mcp` category grants every MCP tool; with `model:
//!   inherit` (the default) `Edit` brings `ApplyPatch` (same page). A list none of whose IDs is
//!   valid gives every tool (the catalog's `tools` key, from the shipped CLI 0.225.2).
//! - Copilot, as VS Code reads it: `tools` omitted or `*` gives all tools, `[]` none; a tool set's
//!   name (`read`, `edit`...) enables the whole set; a renamed tool's old name its new one; unknown
//!   names are ignored; `<server>/*` a whole MCP server (the catalog's `tools` key and tool sets).
//!   GitHub's cloud agent also reaches its built-in `github` and `playwright` servers.
//! - OpenCode: every tool is allowed unless a permission rule denies it. The deprecated `tools` map
//!   becomes `permission` rules (`write`, `edit` and `patch` collapse into `edit`), the `permission`
//!   key is merged over it, and a tool is disabled when the last rule whose permission matches it
//!   (a `*` glob) denies it for the pattern `*` (github.com/anomalyco/opencode
//!   packages/core/src/v1/config/agent.ts `normalize`, at 24e0290; `Permission.disabled` in
//!   packages/opencode/src/permission). Custom agents start from the defaults `"*": allow` and
//!   `question: deny` (packages/opencode/src/agent/agent.ts at 02ce4a3, `defaults`). A subagent run
//!   through `task` gets no `todowrite` and no `task` unless its own permission names them
//!   (packages/opencode/src/tool/task.ts at 005201e, `hasTaskPermission`; the catalog's `todowrite`).
//!   The project's and the user's `opencode.json` permissions are not read.
//!
//! The team policy is agentls's, not the product's: the product still grants a tool the policy
//! denies. It is subtracted here because the effective set answers "what may this agent use", and
//! the hover says which tools only the policy removes.

use std::collections::{HashMap, HashSet};

use crate::analysis::Analysis;
use crate::catalog::{at_version, AtVersion, Catalog, Status, ToolSpec};
use crate::diagnostic::Severity;
use crate::dialect::Dialect;
use crate::mcp::toolref::server_of_tool;
use crate::policy::glob_any;
use crate::semantics::conditions::{copilot_targets, tool_removed};
use crate::semantics::tools::{key_grants, resolve, Resolved};
use crate::syntax::{Node, Value};
use crate::tools::{self, Shape, ToolList};
use crate::workspace::{builtins, Workspace};

/// One MCP server configured for a file: in an MCP configuration file of its project, or inline in
/// the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McpServerInfo {
    pub name: String,
    /// Where it is configured, for display: `.mcp.json`, `.vscode/mcp.json`, `this file`.
    pub origin: String,
    /// `disabled: true` (or OpenCode's `enabled: false`) in its configuration.
    pub disabled: bool,
}

/// The MCP servers the workspace index knows for the file `key` (its own inline ones first), for
/// the file's dialect. Empty when the file is not indexed.
pub fn mcp_servers(ws: &Workspace, key: &str) -> Vec<McpServerInfo> {
    let Some(facts) = ws.file(key) else { return Vec::new() };
    let Some(dialect) = facts.dialect else { return Vec::new() };
    let Some(k) = ws.key(key) else { return Vec::new() };
    let root = facts.root.trim_end_matches('/').to_string();
    ws.servers_for(&k, dialect)
        .into_iter()
        .map(|(file, s)| {
            let origin = if &*file == key {
                "this file".to_string()
            } else {
                let f = file.strip_prefix(root.as_str()).unwrap_or(&file);
                f.trim_start_matches(['/', '\\']).replace('\\', "/")
            };
            McpServerInfo { name: s.name.clone(), origin, disabled: s.disabled }
        })
        .collect()
}

/// How the starting set of tools was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// No tools key: every tool of the dialect.
    Inherited,
    /// `*` in the list: the same as no list.
    Wildcard,
    /// A list of names.
    Listed,
    /// One category name as the whole value (Factory's `read-only`).
    Category(String),
    /// OpenCode: a rule denies every tool (`"*": false`) and others enable some.
    Enabled,
    /// A value no loader reads as a list (`tools:` with nothing after it); what the loaders do.
    Unreadable(String),
    /// Factory: a list none of whose IDs is valid, which the loader treats as no list.
    NoneValid,
}

/// Tools that share a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub tools: Vec<String>,
    pub why: String,
}

/// What a file may use of one MCP server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum McpAccess {
    All,
    Only(Vec<String>),
    AllBut(Vec<String>),
    /// Nothing, and why.
    Not(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McpGrant {
    pub server: String,
    /// Where the server is configured; `None` when the file names a server no configuration in the
    /// workspace defines.
    pub origin: Option<String>,
    pub access: McpAccess,
    /// Every tool of the server, in the dialect's spelling (`mcp__github__*`, `github/*`).
    pub pattern: String,
}

impl McpGrant {
    /// True when the file can use at least one tool of a configured server.
    pub fn granted(&self) -> bool {
        self.origin.is_some() && !matches!(self.access, McpAccess::Not(_))
    }
}

/// The effective tool set of one agent file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub dialect: Dialect,
    pub basis: Basis,
    /// The number of tools the basis gives once the loader has taken what it always takes, before
    /// the file's own deny lists and the policy.
    pub pool: usize,
    /// The built-in tools the agent gets, in catalog order (extra tools of the policy last).
    pub tools: Vec<String>,
    /// How names were expanded or tools added (a category, a tool set, a renamed tool, automatic ones).
    pub expanded: Vec<Group>,
    /// Tools removed, by reason.
    pub removed: Vec<Group>,
    /// Tools kept in `tools` that the loader withholds under conditions it cannot know here.
    pub withheld: Vec<Group>,
    /// OpenCode: tools the agent gets but must ask approval for (`ask`).
    pub asks: Vec<String>,
    /// Names the file lists that grant nothing, by reason.
    pub ignored: Vec<Group>,
    pub mcp: Vec<McpGrant>,
    /// The file reaches every MCP server of the session, also ones agentls cannot see.
    pub mcp_all: bool,
    pub notes: Vec<String>,
    /// The model in words: `sonnet`, `inherited`, `default`.
    pub model: String,
}

impl Effective {
    /// The configured MCP servers the file can use.
    pub fn mcp_servers(&self) -> usize {
        self.mcp.iter().filter(|g| g.granted()).count()
    }
}

/// True when hovering `key` in this file shows the effective tools: its tool keys and, for
/// OpenCode, `permission`, in agent files.
pub fn shapes_tools(a: &Analysis, key: &str) -> bool {
    let (Some(d), Some(cat)) = (a.detected, a.catalog.as_deref()) else { return false };
    d.kind.is_agent_like() && (cat.is_tool_key(key) || (d.dialect == Dialect::Opencode && key == "permission"))
}

/// The effective tool set, for agent files (`FileKind::is_agent_like`) with a frontmatter.
pub fn effective(a: &Analysis, servers: &[McpServerInfo]) -> Option<Effective> {
    let det = a.detected?;
    if !det.kind.is_agent_like() {
        return None;
    }
    let cat = a.catalog.as_deref()?;
    a.parsed.frontmatter.as_ref()?;
    let mut b = Builder::new(a, cat, det.dialect, servers);
    if det.dialect == Dialect::Opencode {
        b.opencode();
    } else {
        b.listed();
    }
    Some(b.finish())
}

// ---------------------------------------------------------------------------------------------

struct Builder<'a, 'c> {
    a: &'a Analysis<'a>,
    cat: &'c Catalog,
    d: Dialect,
    stated: Option<&'a str>,
    basis: Basis,
    pool: usize,
    tools: Vec<String>,
    expanded: Vec<Group>,
    removed: Vec<Group>,
    withheld: Vec<Group>,
    asks: Vec<String>,
    ignored: Vec<Group>,
    ignored_seen: HashSet<String>,
    servers: Vec<McpServerInfo>,
    mcp: Vec<McpGrant>,
    /// Where each server's grant is in `mcp`, and the single tools already granted.
    mcp_at: HashMap<String, usize>,
    mcp_tools_seen: HashSet<(String, String)>,
    mcp_all: bool,
    notes: Vec<String>,
}

/// Adds `tool` to the group with reason `why`, making the group if needed.
fn push_group(groups: &mut Vec<Group>, why: &str, tool: &str) {
    match groups.iter_mut().find(|g| g.why == why) {
        Some(g) if !g.tools.iter().any(|t| t == tool) => g.tools.push(tool.to_string()),
        Some(_) => {}
        None => groups.push(Group { tools: vec![tool.to_string()], why: why.to_string() }),
    }
}

impl<'a, 'c> Builder<'a, 'c> {
    fn new(a: &'a Analysis<'a>, cat: &'c Catalog, d: Dialect, servers: &[McpServerInfo]) -> Self {
        let mut all: Vec<McpServerInfo> = Vec::new();
        for s in servers {
            if !all.iter().any(|x| x.name == s.name) {
                all.push(s.clone());
            }
        }
        // GitHub's cloud agent reaches its own servers without configuration.
        if d == Dialect::Copilot && copilot_targets(a).github {
            for n in builtins::mcp_servers(d) {
                if !all.iter().any(|x| &x.name == n) {
                    all.push(McpServerInfo { name: n.clone(), origin: "built into GitHub".into(), disabled: false });
                }
            }
        }
        Builder {
            a,
            cat,
            d,
            stated: a.policy.product_version(&cat.product),
            basis: Basis::Inherited,
            pool: 0,
            tools: Vec::new(),
            expanded: Vec::new(),
            removed: Vec::new(),
            withheld: Vec::new(),
            asks: Vec::new(),
            ignored: Vec::new(),
            ignored_seen: HashSet::new(),
            servers: all,
            mcp: Vec::new(),
            mcp_at: HashMap::new(),
            mcp_tools_seen: HashSet::new(),
            mcp_all: false,
            notes: Vec::new(),
        }
    }

    /// Notes a listed name that grants nothing (once per reason; a list may hold thousands).
    fn ignore(&mut self, why: &str, name: &str) {
        if self.ignored_seen.insert(format!("{why}\u{0}{name}")) {
            match self.ignored.iter_mut().find(|g| g.why == why) {
                Some(g) => g.tools.push(name.to_string()),
                None => self.ignored.push(Group { tools: vec![name.to_string()], why: why.to_string() }),
            }
        }
    }

    fn has(&self, t: &str) -> bool {
        self.tools.iter().any(|x| x == t)
    }

    fn add(&mut self, t: &str) {
        if !self.has(t) {
            self.tools.push(t.to_string());
        }
    }

    fn remove(&mut self, t: &str) -> bool {
        let before = self.tools.len();
        self.tools.retain(|x| x != t);
        self.tools.len() != before
    }

    fn fm_entry(&self, key: &str) -> Option<&'a crate::syntax::Entry> {
        self.a.parsed.frontmatter.as_ref()?.get(key)
    }

    /// The tools the dialect gives an agent that lists none: its current tools for the team's
    /// version, tool sets counted by their members, wildcards and declared extras left out; the
    /// tools the loader takes from subagents under conditions are included, for the conditions to
    /// take.
    fn all_tools(&self) -> Vec<&'c ToolSpec> {
        let cat = self.cat;
        cat.tools
            .iter()
            .filter(|t| {
                let status = t.status.at(t.since.as_deref(), self.stated);
                let available = status == Status::Current
                    || (status == Status::Unavailable && crate::semantics::conditions::governs_tool(self.d, &t.name));
                available
                    && at_version(t.added.as_deref(), None, self.stated) != AtVersion::NotYet
                    && t.concept.as_deref() != Some("all-tools")
                    && cat.category(&t.name).is_none()
                    && t.source.as_deref().is_some_and(|s| s != "policy" && s != "settings")
            })
            .collect()
    }

    /// The members of a category or tool set that the team's product has.
    fn members(&self, category: &str) -> Vec<String> {
        let Some(c) = self.cat.category(category) else { return Vec::new() };
        c.tools
            .iter()
            .filter(|m| {
                self.cat.tool(m).is_none_or(|t| {
                    t.status.at(t.since.as_deref(), self.stated) == Status::Current
                        && at_version(t.added.as_deref(), None, self.stated) != AtVersion::NotYet
                })
            })
            .cloned()
            .collect()
    }

    /// Grants one catalog tool as a list names it (`written` as in the file).
    fn grant_tool(&mut self, t: &'c ToolSpec, written: &str) {
        let status = t.status.at(t.since.as_deref(), self.stated);
        if at_version(t.added.as_deref(), None, self.stated) == AtVersion::NotYet {
            let why = format!(
                "not in the team's {} version (added in {})",
                self.product(),
                t.added.as_deref().unwrap_or("?")
            );
            self.ignore(&why, written);
            return;
        }
        let target: &str = match status {
            Status::Current if !written.eq_ignore_ascii_case(&t.name) => {
                push_group(&mut self.expanded, &format!("`{written}` is read as `{}`", t.name), &t.name);
                &t.name
            }
            Status::Current => &t.name,
            Status::Unavailable if crate::semantics::conditions::governs_tool(self.d, &t.name) => &t.name,
            Status::Unavailable => {
                let why = format!("not available to {}", self.d.a_noun());
                self.ignore(&why, written);
                return;
            }
            Status::Deprecated => match t.replacement.as_deref() {
                Some(r) => {
                    push_group(&mut self.expanded, &format!("`{written}` is read as `{r}`"), r);
                    r
                }
                None => &t.name,
            },
            Status::Removed => {
                let why = match t.replacement.as_deref() {
                    Some(r) => format!("removed (now `{r}`)"),
                    None => "removed".to_string(),
                };
                self.ignore(&why, written);
                return;
            }
        };
        let target = target.to_string();
        if self.cat.category(&target).is_some() {
            let members = self.members(&target);
            for m in &members {
                push_group(&mut self.expanded, &format!("`{target}` (tool set)"), m);
                self.add(m);
            }
        } else {
            self.add(&target);
        }
    }

    fn product(&self) -> &'static str {
        crate::catalog::product_name(match self.d {
            Dialect::Claude => "claude-code",
            Dialect::Factory => "factory",
            Dialect::Copilot => "vscode",
            Dialect::Opencode => "opencode",
        })
    }

    /// The server's every-tool pattern in the dialect's spelling.
    fn server_pattern(&self, server: &str) -> String {
        match self.d {
            Dialect::Claude => format!("mcp__{server}__*"),
            Dialect::Factory => format!("{server}___*"),
            Dialect::Copilot => format!("{server}/*"),
            Dialect::Opencode => format!("{server}_*"),
        }
    }

    fn grant_for(&mut self, server: &str) -> &mut McpGrant {
        if let Some(&i) = self.mcp_at.get(server) {
            return &mut self.mcp[i];
        }
        self.mcp_at.insert(server.to_string(), self.mcp.len());
        let origin = self.servers.iter().find(|s| s.name == server).map(|s| s.origin.clone());
        let pattern = self.server_pattern(server);
        self.mcp.push(McpGrant {
            server: server.to_string(),
            origin,
            access: McpAccess::Not("not granted by `tools`".into()),
            pattern,
        });
        self.mcp.last_mut().expect("just pushed")
    }

    /// An MCP name of a list: (server, tool), `tool` `None` for the whole server.
    fn mcp_name(&self, name: &str) -> Option<(String, Option<String>)> {
        let servers = &self.servers;
        let configured = |n: &str| servers.iter().any(|s| s.name == n);
        let r = server_of_tool(self.d, name, &configured)?;
        let rest = name[r.span.end..].trim_start_matches(['_', '/']);
        let tool = (!rest.is_empty() && rest != "*").then(|| rest.to_string());
        Some((r.server, tool))
    }

    /// Reads the file's grant list and deny list (Claude Code, Factory, Copilot).
    fn listed(&mut self) {
        let a = self.a;
        let cat = self.cat;
        let grant_key = cat.tool_keys.iter().find(|k| key_grants(k) && self.fm_entry(k).is_some()).cloned();
        let deny_key = cat.tool_keys.iter().find(|k| !key_grants(k) && self.fm_entry(k).is_some()).cloned();
        let list: Option<ToolList> =
            grant_key.as_deref().and_then(|k| self.fm_entry(k)).map(|e| tools::read_in(cat, e, a.text));
        let mut listed_mcp_all = false;
        match &list {
            None => self.basis = Basis::Inherited,
            Some(l) if matches!(l.shape, Shape::Empty | Shape::Other) => {
                let key = grant_key.as_deref().unwrap_or("tools");
                let why = if l.shape == Shape::Empty {
                    let target = self.fm_entry("target").and_then(|e| e.value.as_str());
                    let v = crate::loader::judge(self.d, target, crate::loader::Case::EmptyTools);
                    format!("`{key}` has no value: {}", v.say())
                } else {
                    format!("`{key}` is not a list of tools")
                };
                self.basis = Basis::Unreadable(why);
            }
            Some(l)
                if l.items
                    .iter()
                    .any(|i| cat.tool(&i.name).is_some_and(|t| t.concept.as_deref() == Some("all-tools"))) =>
            {
                self.basis = Basis::Wildcard;
            }
            Some(l) => {
                let whole = l.shape == Shape::CommaString && l.items.len() == 1;
                self.basis = Basis::Listed;
                for it in &l.items {
                    match resolve(cat, self.d, &it.name, whole) {
                        Resolved::Tool(t) => self.grant_tool(t, &it.name),
                        Resolved::Category => {
                            self.basis = Basis::Category(it.name.clone());
                            let members = self.members(&it.name);
                            if members.is_empty() {
                                // Factory's `mcp`: every MCP tool.
                                listed_mcp_all = true;
                            }
                            for m in &members {
                                self.add(m);
                            }
                        }
                        Resolved::Mcp => match self.mcp_name(&it.name) {
                            Some((server, tool)) => {
                                let fresh = tool
                                    .as_ref()
                                    .is_none_or(|t| self.mcp_tools_seen.insert((server.clone(), t.clone())));
                                let g = self.grant_for(&server);
                                match (&mut g.access, tool) {
                                    (McpAccess::All, _) => {}
                                    (_, None) => g.access = McpAccess::All,
                                    (McpAccess::Only(v), Some(t)) => {
                                        if fresh {
                                            v.push(t)
                                        }
                                    }
                                    (acc, Some(t)) => *acc = McpAccess::Only(vec![t]),
                                }
                            }
                            None if it.name == "mcp__*" => listed_mcp_all = true,
                            None => self.ignore("an MCP server agentls cannot see (a plugin's?)", &it.name),
                        },
                        Resolved::BadMcp => self.ignore("malformed MCP tool name", &it.name),
                        Resolved::Foreign(other, _) => self.ignore(&format!("{} tool", other.a_display()), &it.name),
                        Resolved::Unknown => self.ignore("unknown", &it.name),
                    }
                }
            }
        }
        // Factory: "if none of the listed IDs is valid, the droid gets every tool" (the catalog's
        // `tools` key, from the shipped CLI's `expandTools`).
        let granted_none = self.tools.is_empty() && self.mcp.iter().all(|g| matches!(g.access, McpAccess::Not(_)));
        if self.d == Dialect::Factory
            && self.basis == Basis::Listed
            && granted_none
            && !listed_mcp_all
            && list.as_ref().is_some_and(|l| !l.items.is_empty())
        {
            self.basis = Basis::NoneValid;
            self.mcp.clear();
            self.mcp_at.clear();
        }
        let inherits = matches!(self.basis, Basis::Inherited | Basis::Wildcard | Basis::NoneValid);
        if inherits {
            let all: Vec<String> = self.all_tools().iter().map(|t| t.name.clone()).collect();
            for t in &all {
                self.add(t);
            }
        }
        // Factory adds some tools to every droid.
        for t in cat.tools.iter().filter(|t| t.always_granted && t.status == Status::Current) {
            if !self.has(&t.name) && !matches!(self.basis, Basis::Unreadable(_)) {
                self.add(&t.name);
                push_group(&mut self.expanded, &format!("added to every {} by the loader", self.d.noun()), &t.name);
            }
        }
        // "When `model` is `inherit`, both tools are enabled" (`Edit` and `ApplyPatch`; the
        // custom-droids page, Factory-AI/factory docs/cli/configuration/custom-droids.mdx at 153c5a7).
        let model = self.fm_entry("model").and_then(|e| e.value.as_str()).map(str::trim);
        if self.d == Dialect::Factory
            && model.is_none_or(|m| m == "inherit")
            && self.has("Edit")
            && !self.has("ApplyPatch")
            && cat.tool("ApplyPatch").is_some()
        {
            self.add("ApplyPatch");
            push_group(&mut self.expanded, "enabled with `Edit` when `model` is `inherit`", "ApplyPatch");
        }
        self.loader_conditions();
        self.pool = self.tools.len();

        // MCP servers.
        let factory_servers: Option<Vec<String>> = (self.d == Dialect::Factory)
            .then(|| self.fm_entry("mcpServers"))
            .flatten()
            .map(|e| crate::mcp::frontmatter_servers(&e.value, a.text).1.into_iter().map(|n| n.name).collect());
        let names: Vec<String> = self.servers.iter().map(|s| s.name.clone()).collect();
        match &factory_servers {
            Some(named) => {
                for n in named {
                    self.grant_for(n).access = McpAccess::All;
                }
                for n in &names {
                    let g = self.grant_for(n);
                    if matches!(g.access, McpAccess::Not(_)) && inherits {
                        g.access = McpAccess::Not("not in `mcpServers`".into());
                    }
                }
                if named.is_empty() {
                    self.notes.push("`mcpServers: []` excludes every MCP server.".into());
                }
            }
            None if inherits || listed_mcp_all => {
                self.mcp_all = true;
                for n in &names {
                    self.grant_for(n).access = McpAccess::All;
                }
            }
            None => {
                for n in &names {
                    self.grant_for(n);
                }
            }
        }
        for s in self.servers.clone().iter().filter(|s| s.disabled) {
            self.grant_for(&s.name).access = McpAccess::Not(format!("disabled in {}", s.origin));
        }

        // The deny list (Claude Code's `disallowedTools`), applied before `tools`.
        if let Some(k) = deny_key {
            let e = self.fm_entry(&k).expect("found above");
            let deny = tools::read_in(cat, e, a.text);
            let why = format!("`{k}`");
            for it in &deny.items {
                match resolve(cat, self.d, &it.name, false) {
                    Resolved::Tool(t) => {
                        let name = match t.status {
                            Status::Deprecated => t.replacement.clone().unwrap_or_else(|| t.name.clone()),
                            _ => t.name.clone(),
                        };
                        if self.remove(&name) {
                            push_group(&mut self.removed, &why, &name);
                        }
                    }
                    Resolved::Mcp if it.name == "mcp__*" => {
                        self.mcp_all = false;
                        for g in &mut self.mcp {
                            g.access = McpAccess::Not(format!("`mcp__*` in `{k}`"));
                        }
                    }
                    Resolved::Mcp => {
                        let Some((server, tool)) = self.mcp_name(&it.name) else { continue };
                        let g = self.grant_for(&server);
                        match tool {
                            None => g.access = McpAccess::Not(format!("`{}` in `{k}`", it.name)),
                            Some(t) => match &mut g.access {
                                McpAccess::All => g.access = McpAccess::AllBut(vec![t]),
                                McpAccess::AllBut(v) => v.push(t),
                                McpAccess::Only(v) => v.retain(|x| *x != t),
                                McpAccess::Not(_) => {}
                            },
                        }
                    }
                    _ => {}
                }
            }
        }

        if let (Dialect::Claude, Basis::Listed, Some(l)) = (self.d, &self.basis, &list) {
            let known = |n: &str| match resolve(cat, self.d, n, false) {
                Resolved::Tool(t) => t.status.at(t.since.as_deref(), self.stated) != Status::Removed,
                Resolved::Mcp => true,
                _ => false,
            };
            if !l.items.is_empty() && !l.items.iter().any(|i| known(&i.name)) {
                // The catalog's `tools` key: "if no entry resolves, the launch fails naming the entries".
                self.notes.push(
                    "No entry of `tools` resolves: Claude Code refuses to launch the subagent and names the entries."
                        .into(),
                );
            }
            if self.fm_entry("mcpServers").is_some() && self.mcp.iter().any(|g| matches!(g.access, McpAccess::Not(_))) {
                self.notes.push(
                    "Claude Code's documentation does not say whether a `tools` list must also name the servers of `mcpServers`; agentls counts only those it names.".into(),
                );
            }
        }
        if self.d == Dialect::Copilot {
            let targets = copilot_targets(a);
            if targets.github {
                self.notes.push(
                    "GitHub Copilot reads tool-set names as single tools (its aliases) and ignores names it does not know; the list is VS Code's reading.".into(),
                );
            }
        }
    }

    /// The conditions of `data/conditions.yaml` that remove tools the file gets: certain ones
    /// remove, the others are noted as "may be withheld".
    fn loader_conditions(&mut self) {
        let (a, cat, d) = (self.a, self.cat, self.d);
        let mut removed_now = Vec::new();
        for name in self.tools.clone() {
            let Some(spec) = cat.tool(&name) else { continue };
            let Some(hit) = tool_removed(a, cat, d, spec, 0..0) else { continue };
            let groups = if hit.severity == Severity::Error { &mut self.removed } else { &mut self.withheld };
            push_group(groups, &condition_phrase(&hit.condition.message), &name);
            if hit.severity == Severity::Error {
                removed_now.push(name);
            }
        }
        for n in removed_now {
            self.remove(&n);
        }
    }

    /// OpenCode: every tool unless a permission rule denies it.
    fn opencode(&mut self) {
        let a = self.a;
        let cat = self.cat;
        let port = crate::port::data::data();
        let perm_of = |t: &str| port.opencode_permission(t).to_string();

        // The permission object the loader builds: the `tools` map converted, then `permission`
        // merged over it (a key keeps its first position).
        let mut object: Vec<(String, PermValue, Origin)> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut set =
            |object: &mut Vec<(String, PermValue, Origin)>, k: String, v: PermValue, o: Origin| match at.get(&k) {
                Some(&i) => {
                    object[i].1 = v;
                    object[i].2 = o;
                }
                None => {
                    at.insert(k.clone(), object.len());
                    object.push((k, v, o));
                }
            };
        if let Some(e) = self.fm_entry("tools") {
            let list = tools::read_in(cat, e, a.text);
            if list.shape == Shape::Map {
                for it in &list.items {
                    let Some(on) = it.enabled else { continue };
                    let action = if on { Action::Allow } else { Action::Deny };
                    if matches!(resolve(cat, self.d, &it.name, false), Resolved::Unknown | Resolved::Foreign(..)) {
                        self.ignore("not an OpenCode tool (an unused permission)", &it.name);
                    }
                    let origin = Origin::Tools(format!("`{}: {on}` in `tools`", it.name));
                    set(&mut object, perm_of(&it.name), PermValue::Action(action), origin);
                }
            } else if !matches!(list.shape, Shape::Empty) {
                self.notes.push("`tools` is not a map of tool to `true`/`false`: OpenCode's schema refuses it.".into());
            }
        }
        if let Some(e) = self.fm_entry("permission") {
            match &e.value.value {
                Value::Scalar(_) => {
                    if let Some(act) = e.value.as_str().and_then(Action::parse) {
                        set(&mut object, "*".into(), PermValue::Action(act), Origin::Permission("*".into()));
                    }
                }
                Value::Map(m) => {
                    for pe in &m.entries {
                        let Some(k) = pe.key.as_str() else { continue };
                        let v = match &pe.value.value {
                            Value::Map(pm) => PermValue::Patterns(
                                pm.entries
                                    .iter()
                                    .filter_map(|x| Some((x.key.as_str()?.to_string(), node_action(&x.value)?)))
                                    .collect(),
                            ),
                            _ => match node_action(&pe.value) {
                                Some(act) => PermValue::Action(act),
                                None => continue,
                            },
                        };
                        set(&mut object, k.to_string(), v, Origin::Permission(k.to_string()));
                    }
                }
                _ => {}
            }
        }
        let named = |k: &str| object.iter().any(|(x, _, _)| x == k);
        let (names_todo, names_task) = (named("todowrite"), named("task"));

        let mut rules: Vec<Rule> = vec![
            Rule { perm: "*".into(), pattern: "*".into(), action: Action::Allow, origin: Origin::Default },
            Rule { perm: "question".into(), pattern: "*".into(), action: Action::Deny, origin: Origin::Default },
        ];
        for (k, v, o) in &object {
            match v {
                PermValue::Action(act) => {
                    rules.push(Rule { perm: k.clone(), pattern: "*".into(), action: *act, origin: o.clone() })
                }
                PermValue::Patterns(ps) => rules.extend(ps.iter().map(|(p, act)| Rule {
                    perm: k.clone(),
                    pattern: p.clone(),
                    action: *act,
                    origin: o.clone(),
                })),
            }
        }
        let file_denies_all = rules
            .iter()
            .any(|r| r.origin != Origin::Default && r.perm == "*" && r.pattern == "*" && r.action == Action::Deny);
        self.basis = if file_denies_all { Basis::Enabled } else { Basis::Inherited };

        let last = |perm: &str| rules.iter().rev().find(|r| glob_any(std::slice::from_ref(&r.perm), perm));
        let all: Vec<String> = self.all_tools().iter().map(|t| t.name.clone()).collect();
        // (tool, why, removed by a rule that denies every tool)
        let mut file_removed: Vec<(String, String, bool)> = Vec::new();
        for t in &all {
            match last(&perm_of(t)) {
                Some(r) if r.pattern == "*" && r.action == Action::Deny => match &r.origin {
                    Origin::Default => {
                        push_group(&mut self.removed, "denied to custom agents by OpenCode's defaults", t);
                    }
                    o => file_removed.push((t.clone(), o.describe(), r.perm == "*")),
                },
                Some(r) => {
                    if r.pattern == "*" && r.action == Action::Ask {
                        self.asks.push(t.clone());
                    }
                    self.add(t);
                }
                None => self.add(t),
            }
        }
        // A subagent run through `task` loses `todowrite` and `task` unless its permission names them.
        let mode = self.fm_entry("mode").and_then(|e| e.value.as_str()).map(str::trim).unwrap_or("all");
        if mode != "primary" {
            let why = if mode == "subagent" {
                "withheld from a subagent (run through `task`) unless `permission` names them"
            } else {
                "withheld when another agent runs this one through `task`, unless `permission` names them"
            };
            for (t, kept) in [("todowrite", names_todo), ("task", names_task)] {
                if kept || !self.has(t) {
                    continue;
                }
                if mode == "subagent" {
                    self.remove(t);
                    push_group(&mut self.removed, why, t);
                } else {
                    push_group(&mut self.withheld, why, t);
                }
            }
        }
        // With every tool denied and some enabled, the pool is what the file enables; otherwise it
        // is every tool the defaults allow, and the file's denials are removals.
        if self.basis == Basis::Enabled {
            self.pool = self.tools.len();
            for (t, why, _) in file_removed.into_iter().filter(|(_, _, all)| !all) {
                push_group(&mut self.removed, &why, &t);
            }
        } else {
            self.pool = self.tools.len() + file_removed.len();
            for (t, why, _) in file_removed {
                push_group(&mut self.removed, &why, &t);
            }
        }

        // MCP: every server, unless a rule denies its tools.
        self.mcp_all = !file_denies_all;
        for s in self.servers.clone() {
            let probe = format!("{}_*", s.name);
            let access = match last(&probe) {
                Some(r) if r.pattern == "*" && r.action == Action::Deny => McpAccess::Not(r.origin.describe()),
                _ => {
                    let prefix = format!("{}_", s.name);
                    let mut but: Vec<String> = Vec::new();
                    let mut only: Vec<String> = Vec::new();
                    // A server's single-tool rules; at most a few hundred (each is a scan of the rules).
                    let single = object.iter().filter(|(k, _, _)| k.starts_with(&prefix) && !k.contains('*'));
                    for (k, _, _) in single.take(200) {
                        match last(k) {
                            Some(r) if r.pattern == "*" && r.action == Action::Deny => {
                                but.push(k[prefix.len()..].to_string())
                            }
                            Some(_) if file_denies_all => only.push(k[prefix.len()..].to_string()),
                            _ => {}
                        }
                    }
                    if !only.is_empty() {
                        McpAccess::Only(only)
                    } else if but.is_empty() {
                        McpAccess::All
                    } else {
                        McpAccess::AllBut(but)
                    }
                }
            };
            let access = if s.disabled { McpAccess::Not(format!("disabled in {}", s.origin)) } else { access };
            self.grant_for(&s.name).access = access;
        }
        self.notes.push(
            "The permissions of `opencode.json` (project and user) also apply; agentls does not read them.".into(),
        );
    }

    /// The team policy's denials, applied last.
    fn policy(&mut self) {
        let pol = self.a.policy.clone();
        for t in self.tools.clone() {
            if pol.tool_denied(&t) {
                self.remove(&t);
                push_group(&mut self.removed, "denied by the team policy (the product itself still grants it)", &t);
            } else if !pol.tool_allowed(&t) {
                self.remove(&t);
                push_group(
                    &mut self.removed,
                    "not in the team policy's allowed tools (the product itself still grants it)",
                    &t,
                );
            }
        }
        for g in &mut self.mcp {
            let names: Vec<String> = match &g.access {
                McpAccess::Only(v) => v.iter().map(|t| tool_name(self.d, &g.server, t)).collect(),
                McpAccess::Not(_) => continue,
                _ => vec![g.pattern.clone()],
            };
            if names.iter().all(|n| pol.tool_denied(n) || !pol.tool_allowed(n)) && !names.is_empty() {
                g.access = McpAccess::Not("denied by the team policy".into());
            }
        }
    }

    fn finish(mut self) -> Effective {
        self.policy();
        // Servers configured in the workspace first, in configuration order, then names of servers
        // no configuration defines.
        let order: Vec<String> = self.servers.iter().map(|s| s.name.clone()).collect();
        self.mcp.sort_by_key(|g| order.iter().position(|n| *n == g.server).unwrap_or(usize::MAX));
        let model = model_summary(self.a, self.d);
        Effective {
            dialect: self.d,
            basis: self.basis,
            pool: self.pool,
            tools: self.tools,
            expanded: self.expanded,
            removed: self.removed,
            withheld: self.withheld,
            asks: self.asks,
            ignored: self.ignored,
            mcp: self.mcp,
            mcp_all: self.mcp_all,
            notes: self.notes,
            model,
        }
    }
}

/// One tool of a server in the dialect's spelling.
fn tool_name(d: Dialect, server: &str, tool: &str) -> String {
    match d {
        Dialect::Claude => format!("mcp__{server}__{tool}"),
        Dialect::Factory => format!("{server}___{tool}"),
        Dialect::Copilot => format!("{server}/{tool}"),
        Dialect::Opencode => format!("{server}_{tool}"),
    }
}

/// A condition's message as the reason for a group of tools: the part before its first `: `
/// outside backticks, with `{tools}` where the group's tools go ("Claude Code removes {tools} from
/// every subagent, even when `tools` lists it").
fn condition_phrase(message: &str) -> String {
    let mut in_code = false;
    let mut cut = message.len();
    for (i, c) in message.char_indices() {
        match c {
            '`' => in_code = !in_code,
            ':' if !in_code && message[i + 1..].starts_with(' ') => {
                cut = i;
                break;
            }
            _ => {}
        }
    }
    let m = message[..cut].replace("`{tool}`", "{tools}").replace("{tool}", "{tools}");
    m.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Allow,
    Ask,
    Deny,
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        match s.trim() {
            "allow" => Some(Action::Allow),
            "ask" => Some(Action::Ask),
            "deny" => Some(Action::Deny),
            _ => None,
        }
    }
}

fn node_action(n: &Node) -> Option<Action> {
    n.as_str().and_then(Action::parse)
}

#[derive(Debug, Clone)]
enum PermValue {
    Action(Action),
    Patterns(Vec<(String, Action)>),
}

/// Where a permission rule comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Default,
    /// A `tools` entry, described.
    Tools(String),
    /// A `permission` key.
    Permission(String),
}

impl Origin {
    fn describe(&self) -> String {
        match self {
            Origin::Default => "OpenCode's defaults".into(),
            Origin::Tools(s) => s.clone(),
            Origin::Permission(k) if k == "*" => "`permission` denies every tool".into(),
            Origin::Permission(k) => format!("`{k}` denied by `permission`"),
        }
    }
}

#[derive(Debug, Clone)]
struct Rule {
    perm: String,
    pattern: String,
    action: Action,
    origin: Origin,
}

/// The model in words: the file's, `inherited` where the product inherits the parent's model when
/// the key is missing or `inherit`, `default` for Copilot without a `model`.
fn model_summary(a: &Analysis, d: Dialect) -> String {
    let entry = a.parsed.frontmatter.as_ref().and_then(|f| f.get("model"));
    let first = entry.and_then(|e| match &e.value.value {
        Value::Seq(s) => {
            let n = s.items.len();
            s.items.first().and_then(|i| i.as_str()).map(|v| (v.trim().to_string(), n.saturating_sub(1)))
        }
        _ => e.value.as_str().map(|v| (v.trim().to_string(), 0)),
    });
    match first {
        Some((v, _)) if v == "inherit" => "inherited".into(),
        Some((v, 0)) if !v.is_empty() => v,
        Some((v, more)) if !v.is_empty() => format!("{v} (+{more} fallback{})", if more == 1 { "" } else { "s" }),
        _ if d == Dialect::Copilot => "default".into(),
        _ => "inherited".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// Names in backticks, at most [`LIST_MAX`] of them (a list may hold thousands).
fn code_list(names: &[String]) -> String {
    let mut s = names.iter().take(LIST_MAX).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if names.len() > LIST_MAX {
        s.push_str(&format!(" and {} more", names.len() - LIST_MAX));
    }
    s
}

/// The most names one line of the hover lists (Copilot has 59 built-in tools).
const LIST_MAX: usize = 80;

/// The count in words: `12 tools`, `all 18 tools (inherited)`, `17 of 18 tools (inherited)`.
pub fn count_label(e: &Effective) -> String {
    let n = e.tools.len();
    match &e.basis {
        Basis::Unreadable(_) => "? tools".into(),
        Basis::NoneValid => format!("all {} (no listed ID is valid)", plural(n, "tool")),
        Basis::Inherited | Basis::Wildcard if n == e.pool && n > 0 => {
            let how = if e.basis == Basis::Wildcard { "`*`" } else { "inherited" };
            format!("all {} ({how})", plural(n, "tool"))
        }
        Basis::Inherited | Basis::Wildcard => {
            let how = if e.basis == Basis::Wildcard { "`*`" } else { "inherited" };
            format!("{n} of {} ({how})", plural(e.pool, "tool"))
        }
        _ if n == 0 => "no tools".into(),
        _ => plural(n, "tool"),
    }
}

/// The inlay hint's label: `→ 12 tools`, `→ all 18 tools (inherited) + 2 MCP servers`.
pub fn hint_label(e: &Effective) -> String {
    let mut s = format!("→ {}", count_label(e));
    let k = e.mcp_servers();
    if k > 0 {
        s.push_str(&format!(" + {}", plural(k, "MCP server")));
    }
    s
}

/// The code lens's title: `12 tools · 2 MCP servers · model sonnet`.
pub fn lens_title(e: &Effective) -> String {
    let n = e.tools.len();
    let mut parts = vec![match &e.basis {
        Basis::Unreadable(_) => "tools unreadable".to_string(),
        Basis::Inherited | Basis::Wildcard if n == e.pool => format!("{} (inherited)", plural(n, "tool")),
        _ => plural(n, "tool"),
    }];
    let k = e.mcp_servers();
    if k > 0 {
        parts.push(plural(k, "MCP server"));
    }
    parts.push(match e.model.as_str() {
        "default" => "default model".to_string(),
        m => format!("model {m}"),
    });
    parts.join(" · ")
}

/// The hover's Markdown: the count and how it was computed, the tools, what was removed, what the
/// loader may withhold, names that grant nothing, and the MCP servers.
pub fn markdown(e: &Effective) -> String {
    let product = match e.dialect {
        Dialect::Copilot => "VS Code",
        d => d.display(),
    };
    let mut out = vec![format!("**Effective tools** · {} · as {product} computes them", count_label(e))];
    let from = match &e.basis {
        Basis::Inherited if e.dialect == Dialect::Opencode => {
            format!(
                "Every OpenCode tool is allowed unless a permission denies it: {} available.",
                plural(e.pool, "tool")
            )
        }
        Basis::Inherited => {
            format!(
                "No tools list: the agent inherits all {} available to {}.",
                plural(e.pool, "tool"),
                e.dialect.a_noun()
            )
        }
        Basis::Wildcard => format!("`*` in the list: all {}, as with no list.", plural(e.pool, "tool")),
        Basis::Listed => "From the tools the file lists.".to_string(),
        Basis::Category(c) => format!("The category `{c}`."),
        Basis::Enabled => "A rule denies every tool; the file enables these.".to_string(),
        Basis::Unreadable(why) => format!("{why}."),
        Basis::NoneValid => {
            format!(
                "None of the listed IDs is valid, so Factory gives the droid every tool: {}.",
                plural(e.pool, "tool")
            )
        }
    };
    out.push(from);
    if !e.tools.is_empty() {
        out.push(code_list(&e.tools));
    }
    let section = |title: &str, groups: &[Group]| -> Option<String> {
        if groups.is_empty() {
            return None;
        }
        let lines: Vec<String> = groups
            .iter()
            .map(|g| match g.why.contains("{tools}") {
                true => format!("- {}", g.why.replace("{tools}", &code_list(&g.tools))),
                false => format!("- {}: {}", code_list(&g.tools), g.why),
            })
            .collect();
        Some(format!("{title}\n{}", lines.join("\n")))
    };
    out.extend(section("Expanded or added:", &e.expanded));
    out.extend(section("Removed:", &e.removed));
    out.extend(section("May be withheld:", &e.withheld));
    if !e.asks.is_empty() {
        out.push(format!("Asks for approval first: {}", code_list(&e.asks)));
    }
    out.extend(section("Ignored (grant nothing):", &e.ignored));
    if e.mcp.is_empty() && e.mcp_all {
        out.push(
            "MCP servers: every server configured for the session; no configuration file of this workspace names one."
                .into(),
        );
    } else if !e.mcp.is_empty() || e.mcp_all {
        let mut lines = Vec::new();
        for g in e.mcp.iter().take(LIST_MAX) {
            let origin =
                g.origin.as_deref().map_or_else(|| "not configured in this workspace".to_string(), |o| o.to_string());
            let access = match &g.access {
                McpAccess::All => format!("all tools (`{}`)", g.pattern),
                McpAccess::Only(v) => code_list(v),
                McpAccess::AllBut(v) => format!("all tools but {}", code_list(v)),
                McpAccess::Not(why) => format!("none ({why})"),
            };
            lines.push(format!("- `{}` ({origin}): {access}", g.server));
        }
        if e.mcp.len() > LIST_MAX {
            lines.push(format!("- and {} more", e.mcp.len() - LIST_MAX));
        }
        if e.mcp_all {
            lines.push(
                "- and every MCP server configured outside the workspace (user settings), which agentls does not read"
                    .into(),
            );
        }
        out.push(format!("MCP servers ({} granted):\n{}", e.mcp_servers(), lines.join("\n")));
    }
    out.extend(e.notes.iter().cloned());
    out.join("\n\n")
}

/// The inlay hint's tooltip: the tools and the MCP servers, briefly.
pub fn tooltip(e: &Effective) -> String {
    let mut parts = Vec::new();
    parts.push(if e.tools.is_empty() { "No built-in tools.".to_string() } else { code_list(&e.tools) });
    let servers: Vec<String> = e
        .mcp
        .iter()
        .filter(|g| g.granted())
        .take(LIST_MAX)
        .map(|g| match &g.access {
            McpAccess::All => format!("`{}`: all tools", g.server),
            McpAccess::Only(v) => format!("`{}`: {}", g.server, code_list(v)),
            McpAccess::AllBut(v) => format!("`{}`: all tools but {}", g.server, code_list(v)),
            McpAccess::Not(_) => String::new(),
        })
        .collect();
    if !servers.is_empty() {
        parts.push(format!("MCP: {}", servers.join("; ")));
    }
    parts.join("\n\n")
}

/// A set of names, for tests and callers that compare.
pub fn names(e: &Effective) -> HashSet<&str> {
    e.tools.iter().map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Settings};
    use std::path::Path;
    use std::sync::Arc;

    const CLAUDE: &str = ".claude/agents/a.md";
    const DROID: &str = ".factory/droids/a.md";
    const COPILOT: &str = ".github/agents/a.agent.md";
    const OPENCODE: &str = ".opencode/agents/a.md";

    fn servers() -> Vec<McpServerInfo> {
        ["github", "linear"]
            .iter()
            .map(|n| McpServerInfo { name: n.to_string(), origin: ".mcp.json".into(), disabled: false })
            .collect()
    }

    fn eff_with(path: &str, text: &str, settings: &Settings) -> Effective {
        let a = analyze(text, Some(Path::new(path)), settings);
        effective(&a, &servers()).unwrap_or_else(|| panic!("no effective set for {text:?}"))
    }

    fn eff(path: &str, text: &str) -> Effective {
        eff_with(path, text, &Settings::default())
    }

    fn with_policy(yaml: &str) -> Settings {
        let p = crate::policy::parse(yaml, None).expect("a valid policy");
        Settings { policy: Arc::new(crate::policy::LoadedPolicy::from_policy(p, None)), ..Settings::default() }
    }

    fn access<'e>(e: &'e Effective, server: &str) -> &'e McpAccess {
        &e.mcp.iter().find(|g| g.server == server).unwrap_or_else(|| panic!("no {server} in {:?}", e.mcp)).access
    }

    fn group_of<'e>(groups: &'e [Group], tool: &str) -> Option<&'e Group> {
        groups.iter().find(|g| g.tools.iter().any(|t| t == tool))
    }

    #[test]
    fn omitted_tools_inherit_every_tool() {
        // Factory: every current tool, none of the unavailable or retired ones.
        let e = eff(DROID, "---\nname: a\ndescription: d\n---\nBody\n");
        assert_eq!(e.basis, Basis::Inherited);
        for t in ["Read", "LS", "Execute", "FetchUrl", "ApplyPatch", "TodoWrite", "Skill"] {
            assert!(names(&e).contains(t), "{t} in {:?}", e.tools);
        }
        for t in ["Task", "AskUser", "GenerateDroid", "MultiEdit", "Bash"] {
            assert!(!names(&e).contains(t), "{t} in {:?}", e.tools);
        }
        assert_eq!(e.pool, e.tools.len());
        assert_eq!(count_label(&e), format!("all {} tools (inherited)", e.tools.len()));
        assert!(e.mcp_all && e.mcp_servers() == 2, "{:?}", e.mcp);

        // Claude Code: the subagent filter's tools are removed, the background filter's may be withheld.
        let e = eff(CLAUDE, "---\nname: a\ndescription: d\n---\n");
        assert!(names(&e).contains("Bash") && names(&e).contains("Agent"), "{:?}", e.tools);
        let g = group_of(&e.removed, "AskUserQuestion").expect("AskUserQuestion removed");
        assert!(g.why.contains("every subagent") && g.tools.contains(&"EnterPlanMode".to_string()), "{g:?}");
        assert!(!names(&e).contains("AskUserQuestion") && !names(&e).contains("*"));
        assert!(group_of(&e.withheld, "CronCreate").is_some_and(|g| g.why.contains("background")), "{:?}", e.withheld);
        assert!(names(&e).contains("CronCreate"), "may be withheld, still counted");
        assert_eq!(e.model, "inherited");

        // A list holding `*` is no list at all.
        let w = eff(CLAUDE, "---\nname: a\ndescription: d\ntools: Read, *\n---\n");
        assert_eq!(w.basis, Basis::Wildcard);
        assert_eq!(w.tools, e.tools);

        // OpenCode: every tool but the defaults' `question`.
        let e = eff(OPENCODE, "---\ndescription: d\nmode: primary\n---\n");
        assert!(names(&e).contains("bash") && names(&e).contains("todowrite") && !names(&e).contains("question"));
        assert!(group_of(&e.removed, "question").is_some_and(|g| g.why.contains("defaults")));
        assert!(!names(&e).contains("list"), "deprecated tools are not offered");

        // Copilot: every tool, tool sets counted by their members.
        let e = eff(COPILOT, "---\ndescription: d\n---\n");
        assert!(names(&e).contains("edit/editFiles") && names(&e).contains("todo"), "{:?}", e.tools);
        assert!(!names(&e).contains("edit") && !names(&e).contains("*") && !names(&e).contains("codebase"));
        assert_eq!(e.model, "default");
    }

    #[test]
    fn categories_and_tool_sets_expand() {
        let e = eff(DROID, "---\nname: a\ndescription: d\ntools: read-only\n---\nB\n");
        assert_eq!(e.basis, Basis::Category("read-only".into()));
        assert_eq!(e.tools, ["Read", "LS", "Grep", "Glob", "TodoWrite", "Skill"]);
        assert!(group_of(&e.expanded, "TodoWrite").is_some_and(|g| g.why.contains("every Factory droid")));
        // `mcp`: every MCP tool, no built-in tool but the automatic ones.
        let e = eff(DROID, "---\nname: a\ndescription: d\ntools: mcp\n---\nB\n");
        assert_eq!(e.tools, ["TodoWrite", "Skill"]);
        assert!(e.mcp_all && matches!(access(&e, "linear"), McpAccess::All));

        let e = eff(COPILOT, "---\ndescription: d\ntools: ['edit', 'codebase', 'nonesuch']\n---\n");
        for t in ["edit/editFiles", "edit/createFile", "edit/rename", "search/codebase"] {
            assert!(names(&e).contains(t), "{t} in {:?}", e.tools);
        }
        assert!(group_of(&e.expanded, "edit/editFiles").is_some_and(|g| g.why.contains("tool set")));
        assert!(group_of(&e.expanded, "search/codebase").is_some_and(|g| g.why.contains("`codebase`")));
        assert!(group_of(&e.ignored, "nonesuch").is_some());
        // `[]`: none.
        let e = eff(COPILOT, "---\ndescription: d\ntools: []\n---\n");
        assert!(e.tools.is_empty() && e.mcp_servers() == 0);
        assert_eq!(count_label(&e), "no tools");
    }

    #[test]
    fn listed_tools_as_the_loader_reads_them() {
        let t = "---\nname: a\ndescription: d\ntools: Read, Task, LS, Bogus, Execute, AskUserQuestion\nmodel: sonnet\n---\n";
        let e = eff(CLAUDE, t);
        assert_eq!(e.basis, Basis::Listed);
        assert_eq!(e.tools, ["Read", "Agent"], "Task is read as Agent");
        assert!(group_of(&e.ignored, "LS").is_some_and(|g| g.why.contains("removed")));
        assert!(group_of(&e.ignored, "Bogus").is_some_and(|g| g.why == "unknown"));
        assert!(group_of(&e.ignored, "Execute").is_some_and(|g| g.why.contains("Factory")));
        assert!(group_of(&e.removed, "AskUserQuestion").is_some());
        assert_eq!(e.model, "sonnet");
        assert_eq!(count_label(&e), "2 tools");
        // A listed tool the background filter takes for sure with `background: true`.
        let e = eff(CLAUDE, "---\nname: a\ndescription: d\ntools: Read, CronCreate\nbackground: true\n---\n");
        assert_eq!(e.tools, ["Read"]);
        assert!(group_of(&e.removed, "CronCreate").is_some_and(|g| g.why.contains("`background: true`")));
        // Nothing resolves: the launch fails.
        let e = eff(CLAUDE, "---\nname: a\ndescription: d\ntools: Bogus, LS\n---\n");
        assert!(e.notes.iter().any(|n| n.contains("refuses to launch")), "{:?}", e.notes);

        // Factory: a retired name is read as its replacement, an unavailable one grants nothing.
        let e = eff(DROID, "---\nname: a\ndescription: d\ntools: [\"Read\", \"MultiEdit\", \"Task\"]\nmodel: claude-opus-4-8\n---\nB\n");
        assert_eq!(e.tools, ["Read", "Edit", "TodoWrite", "Skill"]);
        assert!(group_of(&e.ignored, "Task").is_some_and(|g| g.why.contains("not available")));
        // With `model: inherit` (the default), `Edit` brings `ApplyPatch`.
        let e = eff(DROID, "---\nname: a\ndescription: d\ntools: [\"Edit\"]\n---\nB\n");
        assert_eq!(e.tools, ["Edit", "TodoWrite", "Skill", "ApplyPatch"]);
        assert!(group_of(&e.expanded, "ApplyPatch").is_some_and(|g| g.why.contains("`inherit`")));
        // No listed ID is valid: every tool, every server.
        let all = eff(DROID, "---\nname: a\ndescription: d\n---\nB\n");
        let e = eff(DROID, "---\nname: a\ndescription: d\ntools: [\"Bash\", \"Nope\"]\n---\nB\n");
        assert_eq!(e.basis, Basis::NoneValid);
        assert_eq!(e.tools, all.tools);
        assert!(e.mcp_all && e.mcp_servers() == 2);
        assert_eq!(count_label(&e), format!("all {} tools (no listed ID is valid)", all.tools.len()));
    }

    #[test]
    fn disallowed_tools_are_removed() {
        let all = eff(CLAUDE, "---\nname: a\ndescription: d\n---\n");
        let e = eff(CLAUDE, "---\nname: a\ndescription: d\ndisallowedTools: Write, Edit, Task\n---\n");
        assert_eq!(e.basis, Basis::Inherited);
        for t in ["Write", "Edit", "Agent"] {
            assert!(!names(&e).contains(t), "{t}");
            assert!(group_of(&e.removed, t).is_some_and(|g| g.why == "`disallowedTools`"), "{t}: {:?}", e.removed);
        }
        assert_eq!(e.tools.len(), all.tools.len() - 3);
        assert_eq!(e.pool, all.tools.len());
        assert_eq!(count_label(&e), format!("{} of {} tools (inherited)", e.tools.len(), e.pool));
        // A tool both allowed and disallowed is removed.
        let e = eff(CLAUDE, "---\nname: a\ndescription: d\ntools: Read, Bash\ndisallowedTools: Bash\n---\n");
        assert_eq!(e.tools, ["Read"]);
    }

    #[test]
    fn opencode_permission_rules() {
        // `write: false` becomes the `edit` permission, which governs `edit`, `write` and `apply_patch`.
        let e = eff(
            OPENCODE,
            "---\ndescription: d\nmode: primary\ntools:\n  write: false\npermission:\n  bash: ask\n---\n",
        );
        for t in ["edit", "write", "apply_patch"] {
            assert!(!names(&e).contains(t), "{t} in {:?}", e.tools);
            assert!(group_of(&e.removed, t).is_some_and(|g| g.why.contains("`write: false` in `tools`")), "{t}");
        }
        assert!(names(&e).contains("bash") && e.asks == ["bash"], "{:?}", e.asks);
        assert_eq!(e.basis, Basis::Inherited);
        // Every tool off, then two on.
        let e = eff(
            OPENCODE,
            "---\ndescription: d\nmode: primary\ntools:\n  \"*\": false\n  read: true\n  grep: true\n---\n",
        );
        assert_eq!(e.basis, Basis::Enabled);
        assert_eq!(e.tools, ["read", "grep"]);
        assert!(e.removed.is_empty(), "tools never enabled are not listed as removed: {:?}", e.removed);
        assert!(e.mcp.iter().all(|g| !g.granted()) && !e.mcp_all);
        // `permission` wins over `tools`; the last matching rule decides.
        let e = eff(OPENCODE, "---\ndescription: d\nmode: primary\ntools:\n  bash: false\npermission:\n  bash: allow\n  webfetch: deny\n---\n");
        assert!(names(&e).contains("bash") && !names(&e).contains("webfetch"));
        assert!(group_of(&e.removed, "webfetch").is_some_and(|g| g.why.contains("`permission`")));
        // A pattern map does not disable the tool unless its last rule denies `*`.
        let e = eff(
            OPENCODE,
            "---\ndescription: d\nmode: primary\npermission:\n  bash:\n    \"*\": ask\n    \"git *\": allow\n---\n",
        );
        assert!(names(&e).contains("bash"));
        let e = eff(OPENCODE, "---\ndescription: d\nmode: primary\npermission: deny\n---\n");
        assert!(e.tools.is_empty() && e.basis == Basis::Enabled);
        // A subagent run through `task` loses `todowrite` and `task` unless its permission names them.
        let e = eff(OPENCODE, "---\ndescription: d\nmode: subagent\npermission:\n  task: allow\n---\n");
        assert!(!names(&e).contains("todowrite") && names(&e).contains("task"), "{:?}", e.tools);
        assert!(group_of(&e.removed, "todowrite").is_some());
        let e = eff(OPENCODE, "---\ndescription: d\n---\n");
        assert!(names(&e).contains("todowrite") && group_of(&e.withheld, "todowrite").is_some());
    }

    #[test]
    fn the_policy_denies_last() {
        let s = with_policy("tools:\n  deny: [Execute, \"mcp__linear__*\"]\n");
        let e = eff_with(DROID, "---\nname: a\ndescription: d\ntools: [\"Read\", \"Execute\"]\n---\nB\n", &s);
        assert_eq!(e.tools, ["Read", "TodoWrite", "Skill"]);
        let g = group_of(&e.removed, "Execute").expect("Execute removed");
        assert!(g.why.contains("team policy") && g.why.contains("still grants"), "{g:?}");
        let e = eff_with(CLAUDE, "---\nname: a\ndescription: d\n---\n", &s);
        assert!(matches!(access(&e, "linear"), McpAccess::Not(w) if w.contains("policy")));
        assert!(matches!(access(&e, "github"), McpAccess::All));
        // An allow list removes what it does not name.
        let s = with_policy("tools:\n  allow: [Read, Grep, TodoWrite, Skill]\n");
        let e = eff_with(DROID, "---\nname: a\ndescription: d\ntools: read-only\n---\nB\n", &s);
        assert_eq!(e.tools, ["Read", "Grep", "TodoWrite", "Skill"]);
        assert!(group_of(&e.removed, "LS").is_some_and(|g| g.why.contains("allowed tools")));
    }

    #[test]
    fn mcp_servers_per_dialect() {
        // Claude Code: a whole server, one tool, an unconfigured server; an allowlist grants no other.
        let t = "---\nname: a\ndescription: d\ntools: Read, mcp__github__*, mcp__gone__x\n---\n";
        let e = eff(CLAUDE, t);
        assert!(matches!(access(&e, "github"), McpAccess::All));
        assert!(matches!(access(&e, "linear"), McpAccess::Not(_)));
        let gone = e.mcp.iter().find(|g| g.server == "gone").unwrap();
        assert!(gone.origin.is_none() && !gone.granted());
        assert_eq!(e.mcp_servers(), 1);
        let e = eff(CLAUDE, "---\nname: a\ndescription: d\ntools: mcp__linear__search\n---\n");
        assert_eq!(access(&e, "linear"), &McpAccess::Only(vec!["search".into()]));
        // `disallowedTools`: every MCP tool, one server, one tool.
        let e = eff(CLAUDE, "---\nname: a\ndescription: d\ndisallowedTools: mcp__*\n---\n");
        assert_eq!(e.mcp_servers(), 0);
        assert!(!e.mcp_all);
        let e = eff(CLAUDE, "---\nname: a\ndescription: d\ndisallowedTools: mcp__github, mcp__linear__drop\n---\n");
        assert!(matches!(access(&e, "github"), McpAccess::Not(_)));
        assert_eq!(access(&e, "linear"), &McpAccess::AllBut(vec!["drop".into()]));
        // Factory: `mcpServers` grants whole servers, even with a tools list; `[]` none.
        let e = eff(DROID, "---\nname: a\ndescription: d\ntools: [\"Read\"]\nmcpServers: [\"linear\"]\n---\nB\n");
        assert!(matches!(access(&e, "linear"), McpAccess::All) && matches!(access(&e, "github"), McpAccess::Not(_)));
        let e = eff(DROID, "---\nname: a\ndescription: d\nmcpServers: []\n---\nB\n");
        assert_eq!(e.mcp_servers(), 0);
        let e = eff(DROID, "---\nname: a\ndescription: d\ntools: [\"Read\", \"github___search_code\"]\n---\nB\n");
        assert_eq!(access(&e, "github"), &McpAccess::Only(vec!["search_code".into()]));
        // Copilot: `<server>/*`; GitHub's own servers when the file is for GitHub.
        let e = eff(COPILOT, "---\ndescription: d\ntarget: github-copilot\ntools: ['read', 'playwright/*']\n---\n");
        let p = e.mcp.iter().find(|g| g.server == "playwright").unwrap();
        assert!(p.granted() && p.origin.as_deref() == Some("built into GitHub"));
        let e = eff(COPILOT, "---\ndescription: d\ntarget: vscode\n---\n");
        assert!(e.mcp.iter().all(|g| g.server != "playwright"));
        // OpenCode: a server's wildcard set false.
        let e = eff(OPENCODE, "---\ndescription: d\ntools:\n  linear_*: false\n  github_delete: false\n---\n");
        assert!(matches!(access(&e, "linear"), McpAccess::Not(w) if w.contains("linear_*")));
        assert_eq!(access(&e, "github"), &McpAccess::AllBut(vec!["delete".into()]));
        // A disabled server grants nothing.
        let a = analyze("---\nname: a\ndescription: d\n---\n", Some(Path::new(CLAUDE)), &Settings::default());
        let off = vec![McpServerInfo { name: "db".into(), origin: ".mcp.json".into(), disabled: true }];
        let e = effective(&a, &off).unwrap();
        assert!(matches!(access(&e, "db"), McpAccess::Not(w) if w.contains("disabled")));
    }

    #[test]
    fn labels_hints_and_lenses() {
        let t = "---\nname: a\ndescription: d\ntools: Read, Grep, mcp__github__*\nmodel: sonnet\n---\nBody\n";
        let e = eff(CLAUDE, t);
        assert_eq!(hint_label(&e), "→ 2 tools + 1 MCP server");
        assert_eq!(lens_title(&e), "2 tools · 1 MCP server · model sonnet");
        let md = markdown(&e);
        assert!(md.starts_with("**Effective tools** · 2 tools · as Claude Code computes them"), "{md}");
        assert!(
            md.contains("`Read`, `Grep`") && md.contains("`github` (.mcp.json): all tools (`mcp__github__*`)"),
            "{md}"
        );
        assert!(tooltip(&e).contains("`github`: all tools"));

        let a = analyze(t, Some(Path::new(CLAUDE)), &Settings::default());
        let hints = crate::ide::inlay_hints(&a, &servers());
        assert_eq!(hints.len(), 1);
        assert_eq!(&t[..hints[0].offset], "---\nname: a\ndescription: d\ntools: Read, Grep, mcp__github__*");
        let lenses = crate::ide::code_lenses(&a, &servers());
        assert_eq!(&t[lenses[0].span.clone()], "---");
        assert_eq!(lenses[0].title, "2 tools · 1 MCP server · model sonnet");

        // Without `tools`: after the `name` line, else after the opening `---`; a block list's
        // hint goes after its last item.
        let t = "---\nname: a\ndescription: d\n---\n";
        let a = analyze(t, Some(Path::new(DROID)), &Settings::default());
        let h = &crate::ide::inlay_hints(&a, &[])[0];
        assert_eq!(&t[..h.offset], "---\nname: a");
        assert_eq!(h.label, format!("→ all {} tools (inherited)", eff(DROID, t).tools.len()));
        let t = "---\ndescription: d\n---\n";
        let a = analyze(t, Some(Path::new(COPILOT)), &Settings::default());
        assert_eq!(crate::ide::inlay_hints(&a, &[])[0].offset, 3);
        let t = "---\nname: a\ntools:\n  - Read\n  - Grep\n\nmodel: inherit\n---\n";
        let a = analyze(t, Some(Path::new(DROID)), &Settings::default());
        assert_eq!(&t[..crate::ide::inlay_hints(&a, &[])[0].offset], "---\nname: a\ntools:\n  - Read\n  - Grep");

        // Copilot's model list: the first, and how many fall back.
        let e = eff(COPILOT, "---\ndescription: d\nmodel: [GPT-5, Claude Sonnet 5]\n---\n");
        assert_eq!(e.model, "GPT-5 (+1 fallback)");
    }

    #[test]
    fn only_agent_files() {
        let a = analyze(
            "---\nname: pdf\ndescription: d\nallowed-tools: Read\n---\n",
            Some(Path::new(".claude/skills/pdf/SKILL.md")),
            &Settings::default(),
        );
        assert!(effective(&a, &[]).is_none());
        assert!(crate::ide::inlay_hints(&a, &[]).is_empty() && crate::ide::code_lenses(&a, &[]).is_empty());
        let a = analyze("no frontmatter\n", Some(Path::new(CLAUDE)), &Settings::default());
        assert!(effective(&a, &[]).is_none());
    }

    #[test]
    fn huge_lists_stay_linear_and_short() {
        // Thousands of unknown names and single MCP tools: each is noted once, the hover lists a few.
        let names: Vec<String> = (0..20_000)
            .map(|i| if i % 2 == 0 { format!("Tool{i}") } else { format!("mcp__github__t{}", i % 5000) })
            .collect();
        let t = format!("---\nname: a\ndescription: d\ntools: [{}]\n---\n", names.join(", "));
        let e = eff(CLAUDE, &t);
        assert_eq!(group_of(&e.ignored, "Tool0").unwrap().tools.len(), 10_000);
        let McpAccess::Only(v) = access(&e, "github") else { panic!("{:?}", e.mcp) };
        assert_eq!(v.len(), 2_500, "each tool once");
        let md = markdown(&e);
        assert!(md.contains(&format!("and {} more", 10_000 - LIST_MAX)), "capped");
        assert!(md.len() < 20_000, "{}", md.len());
    }

    #[test]
    fn condition_phrases_drop_the_tool() {
        assert_eq!(
            condition_phrase(
                "Claude Code keeps only a few, and `background: true` keeps this one: it runs without `{tool}`"
            ),
            "Claude Code keeps only a few, and `background: true` keeps this one"
        );
        assert_eq!(
            condition_phrase("removes `{tool}` from every subagent: gone"),
            "removes {tools} from every subagent"
        );
    }
}
