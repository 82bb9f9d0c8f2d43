//! The agent-file dialects and how a file's dialect is detected: by path first, then by content.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// A family of agent files with its own keys, tools and models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    /// Claude Code subagents, `.claude/agents/**/*.md`.
    Claude,
    /// Factory custom droids, `.factory/droids/*.md`.
    Factory,
    /// GitHub Copilot custom agents, `.github/agents/*.agent.md`, prompt files and chat modes.
    Copilot,
    /// OpenCode agents, `.opencode/agent(s)/**/*.md`.
    Opencode,
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [Dialect::Claude, Dialect::Factory, Dialect::Copilot, Dialect::Opencode];

    /// The identifier used in data files, policies and settings.
    pub fn id(self) -> &'static str {
        match self {
            Dialect::Claude => "claude",
            Dialect::Factory => "factory",
            Dialect::Copilot => "copilot",
            Dialect::Opencode => "opencode",
        }
    }

    /// The product name shown in messages.
    pub fn display(self) -> &'static str {
        match self {
            Dialect::Claude => "Claude Code",
            Dialect::Factory => "Factory",
            Dialect::Copilot => "GitHub Copilot",
            Dialect::Opencode => "OpenCode",
        }
    }

    /// What one file of this dialect is called in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Dialect::Claude => "Claude Code subagent",
            Dialect::Factory => "Factory droid",
            Dialect::Copilot => "Copilot agent",
            Dialect::Opencode => "OpenCode agent",
        }
    }

    /// The product name with its article: "a Claude Code", "an OpenCode".
    pub fn a_display(self) -> &'static str {
        match self {
            Dialect::Claude => "a Claude Code",
            Dialect::Factory => "a Factory",
            Dialect::Copilot => "a GitHub Copilot",
            Dialect::Opencode => "an OpenCode",
        }
    }

    /// The noun with its article, for messages: "a Factory droid", "an OpenCode agent".
    pub fn a_noun(self) -> &'static str {
        match self {
            Dialect::Claude => "a Claude Code subagent",
            Dialect::Factory => "a Factory droid",
            Dialect::Copilot => "a Copilot agent",
            Dialect::Opencode => "an OpenCode agent",
        }
    }

    pub fn from_id(s: &str) -> Option<Dialect> {
        match s.trim().to_ascii_lowercase().as_str() {
            "claude" | "claude-code" => Some(Dialect::Claude),
            "factory" | "droid" | "factory-droid" => Some(Dialect::Factory),
            "copilot" | "github-copilot" | "vscode" => Some(Dialect::Copilot),
            "opencode" => Some(Dialect::Opencode),
            _ => None,
        }
    }
}

/// Which kind of file within a dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Agent,
    /// Copilot `.prompt.md`.
    Prompt,
    /// Copilot legacy `.chatmode.md`.
    ChatMode,
    /// An Agent Skill: `SKILL.md` in a skill folder (`.claude/skills/<name>/SKILL.md`, ...).
    Skill,
    /// A slash command: `.claude/commands/**/*.md`, `.factory/commands/*.md`, `.opencode/command/*.md`.
    Command,
    /// Instructions for matching files: Copilot's `*.instructions.md` and
    /// `.github/copilot-instructions.md`, Claude Code's `.claude/rules/**/*.md`.
    Instructions,
    /// A memory file the product reads into every session: `CLAUDE.md`, `AGENTS.md`.
    Memory,
}

impl FileKind {
    /// The id used in data files, policies (`overrides[].kinds`) and output.
    pub fn id(self) -> &'static str {
        match self {
            FileKind::Agent => "agent",
            FileKind::Prompt => "prompt",
            FileKind::ChatMode => "chat-mode",
            FileKind::Skill => "skill",
            FileKind::Command => "command",
            FileKind::Instructions => "instructions",
            FileKind::Memory => "memory",
        }
    }

    pub fn from_id(s: &str) -> Option<FileKind> {
        [
            FileKind::Agent,
            FileKind::Prompt,
            FileKind::ChatMode,
            FileKind::Skill,
            FileKind::Command,
            FileKind::Instructions,
            FileKind::Memory,
        ]
        .into_iter()
        .find(|k| k.id() == s.trim())
    }

    /// What one file of this kind is called in messages ("skill", "command").
    pub fn noun(self) -> &'static str {
        match self {
            FileKind::Agent => "agent",
            FileKind::Prompt => "prompt file",
            FileKind::ChatMode => "chat mode",
            FileKind::Skill => "skill",
            FileKind::Command => "command",
            FileKind::Instructions => "instructions file",
            FileKind::Memory => "memory file",
        }
    }

    /// True for the kinds that define an agent (their rules are the agent rules).
    pub fn is_agent_like(self) -> bool {
        matches!(self, FileKind::Agent | FileKind::ChatMode)
    }
}

/// The result of detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Detected {
    pub dialect: Dialect,
    pub kind: FileKind,
    /// True when the path decided; false when only the content hinted at the dialect.
    pub by_path: bool,
}

impl Detected {
    /// The file with its article, for messages: "a Factory droid", "a Claude Code skill".
    pub fn a_noun(self) -> String {
        if self.kind.is_agent_like() {
            return self.dialect.a_noun().to_string();
        }
        format!("{} {}", self.dialect.a_display(), self.kind.noun())
    }

    /// The file without article: "Factory droid", "Claude Code skill".
    pub fn noun(self) -> String {
        if self.kind.is_agent_like() {
            return self.dialect.noun().to_string();
        }
        format!("{} {}", self.dialect.display(), self.kind.noun())
    }
}

/// Detects the dialect from the path's components (any ancestor folders count), so both
/// `/repo/.claude/agents/x.md` and a relative `.claude/agents/x.md` match.
pub fn detect_by_path(path: &Path) -> Option<Detected> {
    let name = path.file_name()?.to_str()?;
    let comps: Vec<&str> =
        path.parent().map(|p| p.components().filter_map(|c| c.as_os_str().to_str()).collect()).unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let found = |dialect, kind| Some(Detected { dialect, kind, by_path: true });
    if lower.ends_with(".chatmode.md") {
        return found(Dialect::Copilot, FileKind::ChatMode);
    }
    if lower.ends_with(".prompt.md") {
        return found(Dialect::Copilot, FileKind::Prompt);
    }
    if lower.ends_with(".agent.md") {
        return found(Dialect::Copilot, FileKind::Agent);
    }
    if !lower.ends_with(".md") {
        return None;
    }
    let n = comps.len();
    // Skills: `<product dir>/skills/[...]/<name>/SKILL.md`, in any ancestor (nested projects and
    // Factory's nested skill folders count).
    if name == "SKILL.md" && n >= 3 {
        let found_skill = comps[..n - 1].windows(2).rev().find_map(|w| skills_folder(w[0], w[1]));
        if let Some(d) = found_skill {
            return found(d, FileKind::Skill);
        }
    }
    if lower.ends_with(".instructions.md") {
        return found(Dialect::Copilot, FileKind::Instructions);
    }
    if n >= 1 && comps[n - 1] == ".github" && name == "copilot-instructions.md" {
        return found(Dialect::Copilot, FileKind::Instructions);
    }
    // Flat folders: the file's own parent must be the dialect folder.
    if n >= 2 && comps[n - 2] == ".factory" && comps[n - 1] == "droids" {
        return found(Dialect::Factory, FileKind::Agent);
    }
    if n >= 2 && comps[n - 2] == ".github" && comps[n - 1] == "agents" {
        return found(Dialect::Copilot, FileKind::Agent);
    }
    // Recursive folders: any ancestor pair counts.
    for w in comps.windows(2) {
        match (w[0], w[1]) {
            (".claude", "agents") => return found(Dialect::Claude, FileKind::Agent),
            (".opencode", "agent" | "agents") => return found(Dialect::Opencode, FileKind::Agent),
            (".claude", "commands") => return found(Dialect::Claude, FileKind::Command),
            (".opencode", "command" | "commands") => return found(Dialect::Opencode, FileKind::Command),
            (".factory" | ".agents" | ".agent", "commands") => return found(Dialect::Factory, FileKind::Command),
            (".claude", "rules") => return found(Dialect::Claude, FileKind::Instructions),
            _ => {}
        }
    }
    // Memory files, by name, anywhere (a nested `CLAUDE.md` applies to its folder).
    match name {
        "CLAUDE.md" | "CLAUDE.local.md" => return found(Dialect::Claude, FileKind::Memory),
        // Read by Factory, OpenCode, Copilot and others; judged as Factory reads it (its catalog).
        "AGENTS.md" => return found(Dialect::Factory, FileKind::Memory),
        _ => {}
    }
    None
}

/// Guesses the dialect from frontmatter content when the path says nothing. Only strong
/// signals count: a key or tool name that exists in one dialect alone.
pub fn detect_by_content(text: &str) -> Option<Detected> {
    let fm = crate::syntax::frontmatter_text(text)?;
    let has_key =
        |k: &str| fm.lines().any(|l| l.strip_prefix(k).is_some_and(|rest| rest.trim_start().starts_with(':')));
    let mentions = |w: &str| fm.contains(w);
    let dialect = if has_key("reasoningEffort") || mentions("\"Execute\"") || mentions("FetchUrl") {
        Dialect::Factory
    } else if has_key("permissionMode") || has_key("disallowedTools") || has_key("maxTurns") {
        Dialect::Claude
    } else if has_key("handoffs") || has_key("target") || has_key("argument-hint") || has_key("mcp-servers") {
        Dialect::Copilot
    } else if has_key("mode") && (has_key("temperature") || has_key("permission") || has_key("steps")) {
        Dialect::Opencode
    } else {
        return None;
    };
    Some(Detected { dialect, kind: FileKind::Agent, by_path: false })
}

/// Path first, then content.
pub fn detect(path: Option<&Path>, text: &str) -> Option<Detected> {
    path.and_then(detect_by_path).or_else(|| detect_by_content(text))
}

/// The dialect whose loader reads skills from `<product>/<folder>/` (`.claude/skills`, ...): the
/// one table both the file-kind detection and the workspace index use.
pub fn skills_folder(product: &str, folder: &str) -> Option<Dialect> {
    match (product, folder) {
        (".claude", "skills") => Some(Dialect::Claude),
        (".github", "skills") | (".copilot", "skills") => Some(Dialect::Copilot),
        (".factory", "skills") | (".agent", "skills") => Some(Dialect::Factory),
        (".opencode", "skill" | "skills") | (".agents", "skills") => Some(Dialect::Opencode),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(p: &str) -> Option<(Dialect, FileKind)> {
        detect_by_path(Path::new(p)).map(|d| (d.dialect, d.kind))
    }

    #[test]
    fn paths() {
        assert_eq!(d("/r/.claude/agents/a.md"), Some((Dialect::Claude, FileKind::Agent)));
        assert_eq!(d(".claude/agents/sub/dir/a.md"), Some((Dialect::Claude, FileKind::Agent)));
        assert_eq!(d("/r/.factory/droids/a.md"), Some((Dialect::Factory, FileKind::Agent)));
        assert_eq!(d("/r/.factory/droids/sub/a.md"), None);
        assert_eq!(d("/r/.github/agents/a.agent.md"), Some((Dialect::Copilot, FileKind::Agent)));
        assert_eq!(d("/r/.github/agents/a.md"), Some((Dialect::Copilot, FileKind::Agent)));
        assert_eq!(d("/r/.github/prompts/a.prompt.md"), Some((Dialect::Copilot, FileKind::Prompt)));
        assert_eq!(d("/r/.github/chatmodes/a.chatmode.md"), Some((Dialect::Copilot, FileKind::ChatMode)));
        assert_eq!(d("/r/.opencode/agent/a.md"), Some((Dialect::Opencode, FileKind::Agent)));
        assert_eq!(d("/r/.opencode/agents/x/a.md"), Some((Dialect::Opencode, FileKind::Agent)));
        assert_eq!(d("/r/docs/README.md"), None);
        assert_eq!(d("/r/.claude/agents/a.txt"), None);
        assert_eq!(d("/r/.claude/skills/pdf/SKILL.md"), Some((Dialect::Claude, FileKind::Skill)));
        assert_eq!(d("/r/.github/skills/pdf/SKILL.md"), Some((Dialect::Copilot, FileKind::Skill)));
        assert_eq!(d("/r/.factory/skills/pdf/SKILL.md"), Some((Dialect::Factory, FileKind::Skill)));
        assert_eq!(d("/r/.opencode/skill/pdf/SKILL.md"), Some((Dialect::Opencode, FileKind::Skill)));
        assert_eq!(d("/r/.claude/skills/pdf/reference.md"), None);
        assert_eq!(d("/r/.claude/commands/git/commit.md"), Some((Dialect::Claude, FileKind::Command)));
        assert_eq!(d("/r/.factory/commands/review.md"), Some((Dialect::Factory, FileKind::Command)));
        assert_eq!(d("/r/.opencode/command/test.md"), Some((Dialect::Opencode, FileKind::Command)));
        assert_eq!(d("/r/.github/instructions/ts.instructions.md"), Some((Dialect::Copilot, FileKind::Instructions)));
        assert_eq!(d("/r/.github/copilot-instructions.md"), Some((Dialect::Copilot, FileKind::Instructions)));
        assert_eq!(d("/r/CLAUDE.md"), Some((Dialect::Claude, FileKind::Memory)));
        assert_eq!(d("/r/pkg/AGENTS.md"), Some((Dialect::Factory, FileKind::Memory)));
        assert_eq!(d("/r/.factory/skills/team/pdf/SKILL.md"), Some((Dialect::Factory, FileKind::Skill)));
        assert_eq!(d("/r/.factory/commands/git/commit.md"), Some((Dialect::Factory, FileKind::Command)));
        assert_eq!(d("/r/.claude/agents/CLAUDE.md"), Some((Dialect::Claude, FileKind::Agent)));
    }
}
