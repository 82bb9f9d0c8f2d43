//! The workspace index: every agent, skill, command and MCP server the loaders see across files,
//! and the references between them, each with its exact byte span. Pure data: per-file facts are
//! extracted from the per-file parse ([`facts::extract`]), the index ([`Workspace`]) holds them by
//! file and by name, and updating one file replaces that file's facts only, marking dirty just the
//! files whose cross-file findings can change. The cross-file rules (`rules::workspace`) read it;
//! so does navigation (`ide::navigate`). Optionally, the user's own agent folders form a read-only
//! layer under every project ([`user`]). No LSP types and no I/O here.

pub mod builtins;
pub mod facts;
mod index;
pub mod user;

use std::path::{Component, Path};
use std::sync::Arc;

use crate::dialect::Dialect;

pub use facts::{extract, extract_config, Definition, FileFacts, Reference};
pub use index::{Resolution, Workspace};
pub use user::{UserFolder, UserScope, USER_ROOT};

/// How the index names a file: the caller's path (the CLI's display path, the server's file path).
pub type FileKey = Arc<str>;

/// What a name denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    Agent,
    Skill,
    Command,
    McpServer,
    /// A droid's file name (Factory ties `name` and the file name; a clash is a finding).
    DroidFile,
}

impl SymbolKind {
    pub fn noun(self) -> &'static str {
        match self {
            SymbolKind::Agent => "agent",
            SymbolKind::Skill => "skill",
            SymbolKind::Command => "command",
            SymbolKind::McpServer => "MCP server",
            SymbolKind::DroidFile => "droid file",
        }
    }
}

fn components(path: &Path) -> Vec<&str> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect()
}

/// The folder before component `i` of `path`, as a string (`""` for the current folder).
fn prefix(path: &Path, i: usize) -> String {
    let mut out = std::path::PathBuf::new();
    let mut n = 0;
    for c in path.components() {
        if n == i {
            break;
        }
        if matches!(c, Component::Normal(_)) {
            n += 1;
        }
        out.push(c);
    }
    out.to_string_lossy().replace('\\', "/")
}

/// A skill file, `<root>/<product>/skills/[<group>/...]<name>/SKILL.md` for every product folder
/// [`crate::dialect::skills_folder`] knows (the same table as the file-kind detection, nested skill
/// folders included): its dialect, the skill's name (its folder) and the project root.
pub fn skill_name_from_path(path: &Path) -> Option<(Dialect, String, String)> {
    // Most files are not skills: the file name says so before the path is split.
    if path.file_name()? != "SKILL.md" {
        return None;
    }
    let c = components(path);
    let n = c.len();
    if n < 4 {
        return None;
    }
    // The last product folder above the skill's own folder (nested projects: the innermost).
    let (i, dialect) = (0..n - 3).rev().find_map(|i| crate::dialect::skills_folder(c[i], c[i + 1]).map(|d| (i, d)))?;
    Some((dialect, c[n - 2].to_string(), prefix(path, i)))
}

/// A command file: Claude `.claude/commands/**/*.md`, Factory `.factory/commands/*.md`, OpenCode
/// `.opencode/command(s)/**/*.md`: its dialect, name (the file stem; OpenCode's nested path) and root.
pub fn command_name_from_path(path: &Path) -> Option<(Dialect, String, String)> {
    // Every command folder is named `command` or `commands`: no such word, no command.
    if !path.as_os_str().as_encoded_bytes().windows(7).any(|w| w == b"command") {
        return None;
    }
    let c = components(path);
    let n = c.len();
    let stem = c.last()?.strip_suffix(".md")?;
    for i in 0..n.saturating_sub(2) {
        let d = match (c[i], c[i + 1]) {
            (".claude", "commands") => Dialect::Claude,
            (".factory", "commands") if i + 3 == n => Dialect::Factory,
            (".opencode", "command" | "commands") => Dialect::Opencode,
            _ => continue,
        };
        let name = if d == Dialect::Opencode {
            let mut parts: Vec<&str> = c[i + 2..n - 1].to_vec();
            parts.push(stem);
            parts.join("/")
        } else {
            stem.to_string()
        };
        return Some((d, name, prefix(path, i)));
    }
    None
}

/// Where an agent file's dialect folder starts: (project root, scope folder, the name OpenCode
/// derives from the path). The scope is the folder the loader scans (`.claude/agents`, ...): names
/// are unique within it. Files outside a dialect folder (a `.agent.md` anywhere) scope to their folder.
pub fn agent_scope(path: &Path, dialect: Dialect) -> (String, String, Option<String>) {
    let c = components(path);
    let n = c.len();
    let pair = |a: &str, b: &[&str]| (0..n.saturating_sub(1)).rev().find(|&i| c[i] == a && b.contains(&c[i + 1]));
    let at = match dialect {
        Dialect::Claude => pair(".claude", &["agents"]),
        Dialect::Factory => pair(".factory", &["droids"]),
        Dialect::Copilot => pair(".github", &["agents", "chatmodes", "prompts"]),
        Dialect::Opencode => pair(".opencode", &["agent", "agents"]),
    };
    match at {
        Some(i) => {
            let opencode_name = (dialect == Dialect::Opencode && n > i + 2).then(|| {
                let mut parts: Vec<&str> = c[i + 2..n].to_vec();
                if let Some(last) = parts.last_mut() {
                    *last = last.strip_suffix(".md").unwrap_or(last);
                }
                parts.join("/")
            });
            // OpenCode reads `agent/` and `agents/` as one scope.
            let scope_end = if dialect == Dialect::Opencode { i + 1 } else { i + 2 };
            (prefix(path, i), prefix(path, scope_end), opencode_name)
        }
        None => {
            let parent = prefix(path, n.saturating_sub(1));
            (parent.clone(), parent, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p = Path::new;
        assert_eq!(
            skill_name_from_path(p("r/.claude/skills/pdf/SKILL.md")),
            Some((Dialect::Claude, "pdf".into(), "r".into()))
        );
        assert_eq!(skill_name_from_path(p(".opencode/skill/x/SKILL.md")).map(|s| s.1), Some("x".into()));
        assert_eq!(skill_name_from_path(p("r/.claude/skills/SKILL.md")), None);
        assert_eq!(
            skill_name_from_path(p("r/.factory/skills/team/pdf/SKILL.md")),
            Some((Dialect::Factory, "pdf".into(), "r".into()))
        );
        assert_eq!(skill_name_from_path(p(".agents/skills/x/SKILL.md")).map(|s| s.0), Some(Dialect::Opencode));
        assert_eq!(skill_name_from_path(p("r/.copilot/skills/x/SKILL.md")).map(|s| s.0), Some(Dialect::Copilot));
        assert_eq!(
            command_name_from_path(p("r/.opencode/commands/a/b.md")),
            Some((Dialect::Opencode, "a/b".into(), "r".into()))
        );
        assert_eq!(command_name_from_path(p("r/.factory/commands/sub/b.md")), None);
        assert_eq!(
            agent_scope(p("r/.claude/agents/sub/a.md"), Dialect::Claude),
            ("r".into(), "r/.claude/agents".into(), None)
        );
        assert_eq!(
            agent_scope(p(".opencode/agents/team/rev.md"), Dialect::Opencode),
            ("".into(), ".opencode".into(), Some("team/rev".into()))
        );
        assert_eq!(agent_scope(p("x/y.agent.md"), Dialect::Copilot), ("x".into(), "x".into(), None));
    }
}
