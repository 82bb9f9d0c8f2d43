//! The user scope: the agent folders in the user's home folder that each product reads next to
//! the project's, as a read-only layer under every project of the index. Off by default (the
//! `userScope` setting, `agentls check --user-scope`). Its files serve as definitions for
//! references and for the `shadows-user-agent` finding, and are never reported on or edited.
//!
//! The folders, per the products' documentation (quoted in `data/rules.yaml`, `shadows-user-agent`):
//! - Claude Code: `~/.claude/agents/`, read recursively (code.claude.com/docs/en/sub-agents,
//!   "Choose the subagent scope"; a project agent of the same `name` has priority 3, the user's 4);
//! - Factory: `~/.factory/droids/*.md`, top-level files only (docs.factory.ai/cli/configuration/
//!   custom-droids: "Project definitions override personal ones when the names match");
//! - Copilot: `~/.copilot/agents/*.agent.md` (VS Code's custom-agents page, "User profile"; GitHub's
//!   "Creating custom agents for Copilot CLI", where the home directory's agent of the same name wins);
//! - OpenCode: `$XDG_CONFIG_HOME/opencode/{agent,agents}/**/*.md`, `~/.config/opencode` by default
//!   (opencode.ai/docs/agents; its config loader reads that folder first and merges the project's
//!   agents of the same name over it).
//!
//! Pure paths and facts: the caller lists the files (`engine::user_files`) and reads them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::{analyze, Settings};
use crate::dialect::Dialect;

use super::{FileFacts, SymbolKind};

/// The index's project root for files of the user scope: no real folder is named like this, so
/// a project's lookups never see them unless they ask for this layer.
pub const USER_ROOT: &str = "\u{0}user";

/// One folder of the user scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFolder {
    pub dialect: Dialect,
    /// The folder the product scans.
    pub dir: PathBuf,
    /// Whether subfolders are read too.
    pub recursive: bool,
    /// The file name ending the product reads there (`.md`, `.agent.md`).
    pub suffix: &'static str,
    /// The folder names are unique within (OpenCode reads `agent/` and `agents/` as one set).
    pub scope: PathBuf,
}

impl UserFolder {
    /// Whether `path` is an agent file of this folder.
    pub fn holds(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.dir) else { return false };
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let depth = rel.components().count();
        depth >= 1 && (self.recursive || depth == 1) && name.to_ascii_lowercase().ends_with(self.suffix)
    }
}

/// The user's folders: `home` is `$HOME`, `xdg_config` `$XDG_CONFIG_HOME` when set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserScope {
    pub home: PathBuf,
    pub folders: Vec<UserFolder>,
}

impl UserScope {
    pub fn new(home: &Path, xdg_config: Option<&Path>) -> UserScope {
        let config = xdg_config.filter(|p| p.is_absolute()).map_or_else(|| home.join(".config"), Path::to_path_buf);
        let opencode = config.join("opencode");
        let folder = |dialect, dir: PathBuf, recursive, suffix, scope: Option<&Path>| UserFolder {
            dialect,
            scope: scope.map_or_else(|| dir.clone(), Path::to_path_buf),
            dir,
            recursive,
            suffix,
        };
        let folders = vec![
            folder(Dialect::Claude, home.join(".claude/agents"), true, ".md", None),
            folder(Dialect::Factory, home.join(".factory/droids"), false, ".md", None),
            folder(Dialect::Copilot, home.join(".copilot/agents"), false, ".agent.md", None),
            folder(Dialect::Opencode, opencode.join("agent"), true, ".md", Some(&opencode)),
            folder(Dialect::Opencode, opencode.join("agents"), true, ".md", Some(&opencode)),
        ];
        UserScope { home: home.to_path_buf(), folders }
    }

    /// From `$HOME` and `$XDG_CONFIG_HOME`; `None` without a usable `$HOME`.
    pub fn from_env() -> Option<UserScope> {
        let home = std::env::var_os("HOME").map(PathBuf::from).filter(|h| h.is_absolute())?;
        let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);
        Some(UserScope::new(&home, xdg.as_deref()))
    }

    /// The folder of the user scope holding `path`, if one does.
    pub fn folder_of(&self, path: &Path) -> Option<&UserFolder> {
        self.folders.iter().find(|f| f.holds(path))
    }

    /// How messages name a file of the user scope: `~/` for the home folder.
    pub fn display(&self, path: &Path) -> String {
        match path.strip_prefix(&self.home) {
            Ok(rel) => format!("~/{}", rel.to_string_lossy().replace('\\', "/")),
            Err(_) => path.to_string_lossy().into_owned(),
        }
    }

    /// The facts of a file of the user scope: parsed as its folder's product with the built-in
    /// policy (no policy outside the workspace is looked for), then moved into the layer.
    pub fn facts(&self, folder: &UserFolder, path: &Path, text: &str) -> FileFacts {
        let settings = Settings { dialect_override: Some(folder.dialect), ..Settings::default() };
        let facts = super::extract(&analyze(text, Some(path), &settings), path);
        self.into_layer(facts, folder, path)
    }

    /// Moves the facts of `path` (extracted as `folder.dialect`) into the user layer: the
    /// [`USER_ROOT`] root, the folder's scope, its display name, and OpenCode's name from the path
    /// relative to the folder.
    pub fn into_layer(&self, mut facts: FileFacts, folder: &UserFolder, path: &Path) -> FileFacts {
        facts.root = USER_ROOT.into();
        facts.scope = folder.scope.to_string_lossy().into_owned().into();
        facts.user = Some(Arc::from(self.display(path)));
        if folder.dialect == Dialect::Opencode {
            if let Some(name) = path
                .strip_prefix(&folder.dir)
                .ok()
                .and_then(|r| r.to_str())
                .and_then(|r| r.strip_suffix(".md"))
                .map(|r| r.replace('\\', "/"))
            {
                for d in facts.definitions.iter_mut().filter(|d| d.kind == SymbolKind::Agent && d.from_path) {
                    d.name = name.clone();
                }
            }
        }
        facts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_what_they_hold() {
        let u = UserScope::new(Path::new("/h"), None);
        let of = |p: &str| u.folder_of(Path::new(p)).map(|f| f.dialect);
        assert_eq!(of("/h/.claude/agents/team/rev.md"), Some(Dialect::Claude), "Claude reads subfolders");
        assert_eq!(of("/h/.factory/droids/rev.md"), Some(Dialect::Factory));
        assert_eq!(of("/h/.factory/droids/sub/rev.md"), None, "Factory reads top-level files only");
        assert_eq!(of("/h/.copilot/agents/rev.agent.md"), Some(Dialect::Copilot));
        assert_eq!(of("/h/.copilot/agents/rev.md"), None);
        assert_eq!(of("/h/.config/opencode/agents/team/rev.md"), Some(Dialect::Opencode));
        assert_eq!(of("/h/.config/opencode/agent/rev.md"), Some(Dialect::Opencode));
        assert_eq!(of("/h/.claude/agents/notes.txt"), None);
        assert_eq!(of("/p/.claude/agents/rev.md"), None);
        let x = UserScope::new(Path::new("/h"), Some(Path::new("/x")));
        assert!(x.folder_of(Path::new("/x/opencode/agents/a.md")).is_some(), "XDG_CONFIG_HOME");
        assert!(UserScope::new(Path::new("/h"), Some(Path::new("rel")))
            .folder_of(Path::new("/h/.config/opencode/agents/a.md"))
            .is_some());
        assert_eq!(u.display(Path::new("/h/.claude/agents/a.md")), "~/.claude/agents/a.md");
    }

    #[test]
    fn facts_move_into_the_layer() {
        let u = UserScope::new(Path::new("/h"), None);
        let path = Path::new("/h/.config/opencode/agents/team/rev.md");
        let folder = u.folder_of(path).unwrap();
        let f = u.facts(folder, path, "---\ndescription: d\n---\nB\n");
        assert_eq!(&*f.root, USER_ROOT);
        assert_eq!(&*f.scope, "/h/.config/opencode");
        assert_eq!(f.user.as_deref(), Some("~/.config/opencode/agents/team/rev.md"));
        assert_eq!(f.definitions[0].name, "team/rev");
    }
}
