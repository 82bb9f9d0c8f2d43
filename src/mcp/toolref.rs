//! Which MCP server a tool name refers to, in each dialect's naming form, and where the server's
//! name sits inside the tool name:
//! - Claude Code: `mcp__<server>__<tool>`, `mcp__<server>__*` and `mcp__<server>` (the whole
//!   server) (code.claude.com/docs/en/mcp, MCP tool names; /sub-agents). Plugin servers
//!   (`mcp__plugin_<plugin>_<server>__<tool>`) are configured by their plugin and are not judged.
//! - Factory: the exact registered MCP tool ID (docs.factory.ai/cli/configuration/custom-droids:
//!   "exact registered MCP tool IDs"). The docs never spell the ID out; the shipped CLI 0.225.2
//!   registers `<server>___<tool>` (three underscores) and its binary holds no `mcp__`, while
//!   Factory's hooks reference says "MCP tools follow the pattern `mcp__<server>__<tool>`"
//!   (github.com/Factory-AI/factory docs/reference/hooks-reference.mdx, commit a80aa7c of
//!   2026-07-24; neither the custom-droids page nor the release notes name the droid ID's shape;
//!   read 2026-12-02). Until Factory documents it, both shapes are read and the server name is
//!   what is judged.
//! - VS Code / Copilot: `<server>/<tool>` and `<server>/*` (code.visualstudio.com, Custom agents:
//!   tools); the server is everything before the last `/`.
//! - OpenCode: `<server>_<tool>` and `<server>_*` (opencode.ai/docs/agents, tools). Server names
//!   may hold `_` themselves, so the longest configured server that prefixes the name wins; with
//!   none, the server is the part before the first `_`.

use crate::diagnostic::Span;
use crate::dialect::Dialect;

/// A server named inside a tool name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRef {
    pub server: String,
    /// The server's span within the tool name (add the name's offset for a span in the file).
    pub span: Span,
}

/// The server `tool` refers to in `dialect`, if the name has an MCP shape. `configured` says
/// whether a server of that name is configured (only OpenCode's ambiguous form consults it).
pub fn server_of_tool(dialect: Dialect, tool: &str, configured: &dyn Fn(&str) -> bool) -> Option<ServerRef> {
    let found = |start: usize, end: usize| {
        (end > start && &tool[start..end] != "*")
            .then(|| ServerRef { server: tool[start..end].to_string(), span: start..end })
    };
    match dialect {
        Dialect::Claude => claude_form(tool).and_then(|(s, e)| found(s, e)),
        Dialect::Factory => {
            if let Some((s, e)) = claude_form(tool) {
                return found(s, e);
            }
            tool.find("___").and_then(|i| found(0, i))
        }
        Dialect::Copilot => tool.rfind('/').and_then(|i| found(0, i)),
        Dialect::Opencode => {
            let cuts = tool.match_indices('_').map(|(i, _)| i);
            let best = cuts.clone().filter(|&i| configured(&tool[..i])).max();
            best.or_else(|| cuts.min()).and_then(|i| found(0, i))
        }
    }
}

/// `mcp__<server>[__<tool>]`: the server's (start, end); `None` for plugin servers and `mcp__*`.
fn claude_form(tool: &str) -> Option<(usize, usize)> {
    let rest = tool.strip_prefix("mcp__")?;
    if rest.starts_with("plugin_") {
        return None;
    }
    let end = rest.find("__").unwrap_or(rest.len());
    Some((5, 5 + end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(d: Dialect, t: &str) -> Option<(String, String)> {
        let conf = |n: &str| n == "my_db";
        server_of_tool(d, t, &conf).map(|r| (r.server.clone(), t[r.span].to_string()))
    }

    #[test]
    fn every_form() {
        let pair = |a: &str| Some((a.to_string(), a.to_string()));
        assert_eq!(s(Dialect::Claude, "mcp__github__search"), pair("github"));
        assert_eq!(s(Dialect::Claude, "mcp__github__*"), pair("github"));
        assert_eq!(s(Dialect::Claude, "mcp__github"), pair("github"));
        assert_eq!(s(Dialect::Claude, "mcp__*"), None);
        assert_eq!(s(Dialect::Claude, "mcp__plugin_x_y__z"), None);
        assert_eq!(s(Dialect::Claude, "Read"), None);
        assert_eq!(s(Dialect::Factory, "linear___list_issues"), pair("linear"));
        assert_eq!(s(Dialect::Factory, "mcp__linear__list_issues"), pair("linear"));
        assert_eq!(s(Dialect::Copilot, "github/*"), pair("github"));
        assert_eq!(s(Dialect::Copilot, "io.github/server/tool"), pair("io.github/server"));
        assert_eq!(s(Dialect::Opencode, "my_db_query"), pair("my_db"));
        assert_eq!(s(Dialect::Opencode, "other_db_*"), pair("other"));
        assert_eq!(s(Dialect::Opencode, "bash"), None);
    }
}
