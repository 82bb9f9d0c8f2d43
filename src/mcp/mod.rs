//! MCP server configurations, read without starting any server: which servers each product's
//! configuration files name, with the exact byte span of every name, the transport (command and
//! arguments, or URL) and the names (never the values) of environment variables and headers.
//! Pure: callers hand in the text. Reading never fails: a malformed file yields a problem at the
//! JSON error's position plus every server read before it.
//!
//! The files and shapes, as each vendor documents them (read 2026-12-02):
//! - Claude Code: `.mcp.json` at the project root, `{"mcpServers": {<name>: {type?, command, args,
//!   env} | {type: "http"|"sse", url, headers}}}`; `type` defaults to stdio
//!   (code.claude.com/docs/en/mcp, project scope). `mcpServers` in `.claude/settings.json` and
//!   `settings.local.json` is read too, although the docs do not list it there: the servers count as
//!   configured, so agentls never calls a reference to them dangling. A subagent's own `mcpServers`
//!   frontmatter lists server names or inline `{<name>: <config>}` entries
//!   (code.claude.com/docs/en/sub-agents, Supported frontmatter fields).
//! - Factory: `.factory/mcp.json` (project) with `{"mcpServers": {<name>: {type: "stdio"|"http",
//!   command, args, env | url, headers, disabled}}}` (docs.factory.ai/cli/configuration/mcp,
//!   Configuration; github.com/Factory-AI/factory docs/cli/configuration/mcp.mdx). The user level
//!   (`~/.factory/mcp.json`) is not read.
//! - VS Code / Copilot: `.vscode/mcp.json` with `{"servers": {<name>: {type, command, args, env,
//!   envFile | url, headers}}, "inputs": [...]}`; the portable Copilot format is `.mcp.json` with
//!   `mcpServers` (code.visualstudio.com/docs/agents/reference/mcp-configuration). A GitHub agent
//!   file's `mcp-servers` map defines servers inline (docs.github.com, Custom agents configuration).
//! - OpenCode: `mcp` in `opencode.json` / `opencode.jsonc` (JSONC: comments, trailing commas), at
//!   the project root or in `.opencode/`: `{<name>: {type: "local", command: [..], environment,
//!   enabled} | {type: "remote", url, headers, enabled}}` (opencode.ai/docs/mcp-servers); V2 nests
//!   them one level down, `mcp.servers.<name>`, with `disabled` (opencode.ai/v2/docs/mcp-servers).

pub mod json;
pub mod toolref;

use std::path::Path;

use crate::diagnostic::Span;
use crate::dialect::Dialect;
use crate::syntax::{Node, Value};
use json::{JsonNode, Member};

/// Which configuration file a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConfigSource {
    /// `.mcp.json`: Claude Code's project scope, also Copilot's portable format.
    McpJson,
    /// `.claude/settings.json` or `.claude/settings.local.json`.
    ClaudeSettings,
    /// `.factory/mcp.json`.
    Factory,
    /// `.vscode/mcp.json`.
    Vscode,
    /// `opencode.json` / `opencode.jsonc`, at the root or in `.opencode/`.
    Opencode,
}

impl ConfigSource {
    /// The products that read this file.
    pub fn dialects(self) -> &'static [Dialect] {
        match self {
            ConfigSource::McpJson => &[Dialect::Claude, Dialect::Copilot],
            ConfigSource::ClaudeSettings => &[Dialect::Claude],
            ConfigSource::Factory => &[Dialect::Factory],
            ConfigSource::Vscode => &[Dialect::Copilot],
            ConfigSource::Opencode => &[Dialect::Opencode],
        }
    }

    /// The object that holds the servers.
    fn servers_key(self) -> &'static str {
        match self {
            ConfigSource::Vscode => "servers",
            ConfigSource::Opencode => "mcp",
            _ => "mcpServers",
        }
    }
}

/// The configuration file a path names, by its file name and folder, and the project root it
/// belongs to (the folder holding `.mcp.json`, `.claude/`, `.factory/`, `.vscode/` or `opencode.json`).
pub fn config_source(path: &Path) -> Option<(ConfigSource, &Path)> {
    let name = path.file_name()?.to_str()?;
    let parent = path.parent().unwrap_or(Path::new(""));
    let parent_name = parent.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let grand = || parent.parent().unwrap_or(Path::new(""));
    match (parent_name, name) {
        (_, ".mcp.json") => Some((ConfigSource::McpJson, parent)),
        (".claude", "settings.json" | "settings.local.json") => Some((ConfigSource::ClaudeSettings, grand())),
        (".factory", "mcp.json") => Some((ConfigSource::Factory, grand())),
        (".vscode", "mcp.json") => Some((ConfigSource::Vscode, grand())),
        (".opencode", "opencode.json" | "opencode.jsonc") => Some((ConfigSource::Opencode, grand())),
        (_, "opencode.json" | "opencode.jsonc") => Some((ConfigSource::Opencode, parent)),
        _ => None,
    }
}

/// How a server is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// A local process.
    Command { command: String, args: Vec<String> },
    /// A remote endpoint (`http`, `sse`, `ws`, OpenCode's `remote`).
    Url { url: String },
    /// Neither a command nor a URL could be read.
    Unknown,
}

impl Transport {
    /// One line for hover and messages, with likely secrets masked: URL query values, and
    /// arguments after `--header`/`-H`/`--token`-like flags or holding `key=`/`token=`.
    pub fn summary(&self) -> String {
        match self {
            Transport::Command { command, args } => {
                let mut out = command.clone();
                let mut mask_next = false;
                for a in args {
                    out.push(' ');
                    let lower = a.to_ascii_lowercase();
                    if mask_next {
                        out.push_str("***");
                        mask_next = false;
                        continue;
                    }
                    let secretish =
                        ["key", "token", "secret", "password", "bearer", "auth"].iter().any(|w| lower.contains(w));
                    if lower.starts_with('-') && secretish && !a.contains('=') || lower == "--header" || lower == "-h" {
                        out.push_str(a);
                        mask_next = true;
                    } else if secretish && (a.contains('=') || a.contains(':')) {
                        let cut = a.find(['=', ':']).map_or(0, |i| i + 1);
                        out.push_str(&a[..cut]);
                        out.push_str("***");
                    } else {
                        out.push_str(a);
                    }
                }
                out
            }
            Transport::Url { url } => match url.split_once('?') {
                Some((base, query)) => {
                    let masked: Vec<String> = query
                        .split('&')
                        .map(|kv| kv.split_once('=').map_or(kv.to_string(), |(k, _)| format!("{k}=***")))
                        .collect();
                    format!("{base}?{}", masked.join("&"))
                }
                None => url.clone(),
            },
            Transport::Unknown => "(no command or URL)".into(),
        }
    }
}

/// One configured server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub name: String,
    /// The name's exact span in its file (inside the quotes).
    pub name_span: Span,
    pub transport: Transport,
    /// Names of the environment variables it is given (values are never kept).
    pub env_keys: Vec<String>,
    /// Names of the HTTP headers it is given (values are never kept).
    pub header_keys: Vec<String>,
    /// `disabled: true`, or OpenCode's `enabled: false`.
    pub disabled: bool,
}

/// Something wrong in a configuration file, at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub span: Span,
    pub message: String,
}

/// What one configuration file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McpConfig {
    pub source: ConfigSource,
    pub servers: Vec<Server>,
    pub problems: Vec<ConfigProblem>,
}

/// Reads a configuration file's text. Never fails.
pub fn parse_config(source: ConfigSource, text: &str) -> McpConfig {
    let (root, error) = json::parse(text);
    let mut problems: Vec<ConfigProblem> = error
        .map(|e| ConfigProblem { span: e.span, message: format!("invalid JSON: {}", e.message) })
        .into_iter()
        .collect();
    let mut servers = Vec::new();
    if let Some(holder) = root.as_ref().and_then(|r| r.get(source.servers_key())) {
        let holder = match source {
            // OpenCode V2 nests servers under `mcp.servers`; V1 names them directly under `mcp`.
            ConfigSource::Opencode => holder
                .get("servers")
                .filter(|s| !s.members().is_empty() && s.get("type").is_none() && s.get("command").is_none())
                .unwrap_or(holder),
            _ => holder,
        };
        if !matches!(holder.value, json::Json::Object(_)) {
            problems.push(ConfigProblem {
                span: holder.span.clone(),
                message: format!("`{}` must be an object of server names", source.servers_key()),
            });
        }
        servers.extend(holder.members().iter().filter_map(|m| json_server(source, m)));
    }
    McpConfig { source, servers, problems }
}

fn json_server(source: ConfigSource, m: &Member) -> Option<Server> {
    let v = &m.value;
    if !matches!(v.value, json::Json::Object(_)) {
        return None;
    }
    let strings = |n: Option<&JsonNode>| -> Vec<String> {
        n.map(|n| n.items().iter().filter_map(|i| i.as_str().map(str::to_string)).collect()).unwrap_or_default()
    };
    let keys = |n: Option<&JsonNode>| -> Vec<String> {
        n.map(|n| n.members().iter().map(|m| m.key.clone()).collect()).unwrap_or_default()
    };
    let transport = if let Some(url) = v.get("url").and_then(JsonNode::as_str) {
        Transport::Url { url: url.to_string() }
    } else {
        match v.get("command") {
            // OpenCode: the command and its arguments in one array.
            Some(c) if source == ConfigSource::Opencode && !c.items().is_empty() => {
                let mut all = strings(Some(c));
                if all.is_empty() {
                    Transport::Unknown
                } else {
                    let command = all.remove(0);
                    Transport::Command { command, args: all }
                }
            }
            Some(c) => match c.as_str() {
                Some(command) => Transport::Command { command: command.to_string(), args: strings(v.get("args")) },
                None => Transport::Unknown,
            },
            None => Transport::Unknown,
        }
    };
    let env_key = if source == ConfigSource::Opencode { "environment" } else { "env" };
    let disabled = v.get("disabled").and_then(JsonNode::as_bool) == Some(true)
        || v.get("enabled").and_then(JsonNode::as_bool) == Some(false);
    Some(Server {
        name: m.key.clone(),
        name_span: m.key_span.clone(),
        transport,
        env_keys: keys(v.get(env_key)),
        header_keys: keys(v.get("headers")),
        disabled,
    })
}

/// A server named in frontmatter (`mcpServers: [name]`), by name only: a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedServer {
    pub name: String,
    pub span: Span,
}

/// Servers defined or named in an agent's frontmatter: Claude's and Factory's `mcpServers` (a list
/// of names, Claude's also of `{name: config}` maps, Factory's also a comma string) and Copilot's
/// `mcp-servers` map. Returns (inline definitions, names referring to configured servers).
pub fn frontmatter_servers(node: &Node, text: &str) -> (Vec<Server>, Vec<NamedServer>) {
    let mut defs = Vec::new();
    let mut names = Vec::new();
    match &node.value {
        Value::Map(m) => defs.extend(m.entries.iter().filter_map(|e| yaml_server(e, text))),
        Value::Seq(s) => {
            for item in &s.items {
                match &item.value {
                    Value::Map(m) => defs.extend(m.entries.iter().filter_map(|e| yaml_server(e, text))),
                    Value::Scalar(_) => names.extend(
                        crate::tools::read_node(item, text)
                            .items
                            .into_iter()
                            .map(|i| NamedServer { name: i.name, span: i.span }),
                    ),
                    _ => {}
                }
            }
        }
        Value::Scalar(_) => names.extend(
            crate::tools::read_node(node, text).items.into_iter().map(|i| NamedServer { name: i.name, span: i.span }),
        ),
        _ => {}
    }
    (defs, names)
}

fn yaml_server(e: &crate::syntax::Entry, text: &str) -> Option<Server> {
    let name = e.key.as_str()?.to_string();
    let (name_span, _) = crate::tools::name_span(&e.key, text);
    let Value::Map(m) = &e.value.value else {
        return Some(Server {
            name,
            name_span,
            transport: Transport::Unknown,
            env_keys: vec![],
            header_keys: vec![],
            disabled: false,
        });
    };
    let get = |k: &str| m.entries.iter().find(|x| x.key.as_str() == Some(k)).map(|x| &x.value);
    let list = |n: Option<&Node>| -> Vec<String> {
        match n.map(|n| &n.value) {
            Some(Value::Seq(s)) => s.items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        }
    };
    let keys = |n: Option<&Node>| -> Vec<String> {
        match n.map(|n| &n.value) {
            Some(Value::Map(m)) => m.entries.iter().filter_map(|x| x.key.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        }
    };
    let transport = match (get("url").and_then(Node::as_str), get("command").and_then(Node::as_str)) {
        (Some(url), _) => Transport::Url { url: url.to_string() },
        (None, Some(c)) => Transport::Command { command: c.to_string(), args: list(get("args")) },
        _ => Transport::Unknown,
    };
    let disabled = matches!(get("disabled").and_then(Node::as_str), Some("true"));
    Some(Server { name, name_span, transport, env_keys: keys(get("env")), header_keys: keys(get("headers")), disabled })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(c: &McpConfig, t: &str) -> Vec<String> {
        c.servers.iter().map(|s| t[s.name_span.clone()].to_string()).collect()
    }

    #[test]
    fn paths() {
        let s = |p: &str| config_source(Path::new(p)).map(|(s, root)| (s, root.to_string_lossy().into_owned()));
        assert_eq!(s("r/.mcp.json"), Some((ConfigSource::McpJson, "r".into())));
        assert_eq!(s("r/.claude/settings.local.json"), Some((ConfigSource::ClaudeSettings, "r".into())));
        assert_eq!(s("r/.factory/mcp.json"), Some((ConfigSource::Factory, "r".into())));
        assert_eq!(s("r/.vscode/mcp.json"), Some((ConfigSource::Vscode, "r".into())));
        assert_eq!(s("r/.opencode/opencode.jsonc"), Some((ConfigSource::Opencode, "r".into())));
        assert_eq!(s("r/opencode.json"), Some((ConfigSource::Opencode, "r".into())));
        assert_eq!(s("r/mcp.json"), None);
        assert_eq!(s("r/.claude/other.json"), None);
    }

    #[test]
    fn every_shape() {
        let t = r#"{"mcpServers": {"github": {"command": "npx", "args": ["-y", "gh"], "env": {"GITHUB_TOKEN": "ghp_secret"}},
            "api": {"type": "http", "url": "https://x.dev/mcp?token=abc", "headers": {"Authorization": "Bearer s"}}}}"#;
        let c = parse_config(ConfigSource::McpJson, t);
        assert_eq!(names(&c, t), ["github", "api"]);
        assert_eq!(c.servers[0].env_keys, ["GITHUB_TOKEN"]);
        assert_eq!(c.servers[0].transport.summary(), "npx -y gh");
        assert_eq!(c.servers[1].header_keys, ["Authorization"]);
        assert_eq!(c.servers[1].transport.summary(), "https://x.dev/mcp?token=***");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("ghp_secret") && !dbg.contains("Bearer s"), "values are never kept");

        let t = r#"{"servers": {"fs": {"type": "stdio", "command": "node", "args": ["s.js"]}}, "inputs": []}"#;
        assert_eq!(names(&parse_config(ConfigSource::Vscode, t), t), ["fs"]);

        let t = "{\n // comment\n \"mcp\": {\n  \"local\": {\"type\": \"local\", \"command\": [\"bun\", \"x\", \"m\"], \"environment\": {\"K\": \"v\"}, \"enabled\": false,},\n },\n}";
        let c = parse_config(ConfigSource::Opencode, t);
        assert_eq!(names(&c, t), ["local"]);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(
            c.servers[0].transport,
            Transport::Command { command: "bun".into(), args: vec!["x".into(), "m".into()] }
        );
        assert!(c.servers[0].disabled);
        assert_eq!(c.servers[0].env_keys, ["K"]);

        let t = r#"{"mcp": {"servers": {"v2": {"type": "remote", "url": "https://m"}}}}"#;
        assert_eq!(names(&parse_config(ConfigSource::Opencode, t), t), ["v2"]);
    }

    #[test]
    fn malformed_keeps_what_it_read() {
        let t = "{\"mcpServers\": {\"a\": {\"command\": \"x\"}, \"b\": {\"command\" \"y\"}}}";
        let c = parse_config(ConfigSource::Factory, t);
        assert_eq!(names(&c, t), ["a", "b"]);
        assert_eq!(c.problems.len(), 1);
        assert_eq!(&t[c.problems[0].span.clone()], "\"");
        let c = parse_config(ConfigSource::Factory, "{\"mcpServers\": []}");
        assert!(c.problems[0].message.contains("object"));
    }

    #[test]
    fn frontmatter() {
        let t = "---\nmcpServers:\n  - slack\n  - inline:\n      command: npx\n      env: {TOKEN: x}\n---\n";
        let f = crate::syntax::parse(t);
        let e = f.frontmatter.as_ref().unwrap().get("mcpServers").unwrap();
        let (defs, names) = frontmatter_servers(&e.value, t);
        assert_eq!(names.iter().map(|n| &t[n.span.clone()]).collect::<Vec<_>>(), ["slack"]);
        assert_eq!(&t[defs[0].name_span.clone()], "inline");
        assert_eq!(defs[0].env_keys, ["TOKEN"]);
        let t = "---\nmcpServers: linear, github\n---\n";
        let f = crate::syntax::parse(t);
        let e = f.frontmatter.as_ref().unwrap().get("mcpServers").unwrap();
        let (_, names) = frontmatter_servers(&e.value, t);
        assert_eq!(names.iter().map(|n| &t[n.span.clone()]).collect::<Vec<_>>(), ["linear", "github"]);
    }
}
