//! Editor settings: the wire form (`initializationOptions`, `workspace/didChangeConfiguration`,
//! `workspace/configuration` section `agentls`) and the resolved [`Config`] the server uses.
//!
//! Keys (camelCase, all optional):
//! - `policyPath`: path of the `.agentls.yaml` to use instead of discovering one; relative paths
//!   are resolved against the workspace root, `~/` against the home folder.
//! - `extraTools`: tool names to treat as known in every dialect.
//! - `dialect`: force a dialect (`claude`, `factory`, `copilot`, `opencode`); `auto` or empty
//!   means detect by path, then content.
//! - `userScope` (default `false`): also read the user-level agent folders (`~/.claude/agents`,
//!   `~/.factory/droids`, `~/.copilot/agents`, `~/.config/opencode/agent(s)`) as a read-only layer:
//!   definitions for references and the `shadows-user-agent` finding, never reported on or edited
//!   (`workspace::user`).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::dialect::Dialect;

/// The settings exactly as the client sends them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Options {
    pub policy_path: Option<String>,
    pub extra_tools: Vec<String>,
    pub dialect: Option<String>,
    pub user_scope: bool,
}

/// The resolved settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub policy_path: Option<PathBuf>,
    pub extra_tools: Vec<String>,
    pub dialect: Option<Dialect>,
    pub user_scope: bool,
}

impl Options {
    /// Reads options from a settings value: either the options object itself or an object with
    /// an `agentls` member (what `didChangeConfiguration` carries in VS Code). `Ok(None)` when the
    /// value holds no settings at all.
    pub fn from_value(v: &Value) -> Result<Option<Options>, String> {
        let v = match v {
            Value::Null => return Ok(None),
            Value::Object(m) if m.is_empty() => return Ok(None),
            Value::Object(m) => m.get("agentls").unwrap_or(v),
            _ => v,
        };
        if v.is_null() {
            return Ok(None);
        }
        Options::deserialize(v).map(Some).map_err(|e| format!("invalid agentls settings: {e}"))
    }

    /// Resolves paths and names; problems come back as warnings to log, never as failures.
    pub fn resolve(&self, root: Option<&Path>) -> (Config, Vec<String>) {
        let mut warnings = Vec::new();
        let policy_path = self.policy_path.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(|p| {
            let home = std::env::var_os("HOME").map(PathBuf::from);
            let path = match (p.strip_prefix("~/"), home) {
                (Some(rest), Some(home)) => home.join(rest),
                _ => PathBuf::from(p),
            };
            match root {
                Some(root) if path.is_relative() => root.join(path),
                _ => path,
            }
        });
        let dialect = match self.dialect.as_deref().map(str::trim) {
            None | Some("") | Some("auto") => None,
            Some(d) => {
                let found = Dialect::from_id(d);
                if found.is_none() {
                    warnings.push(format!(
                        "unknown dialect `{d}` in settings (expected claude, factory, copilot or opencode); detecting instead"
                    ));
                }
                found
            }
        };
        let extra_tools = self.extra_tools.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        (Config { policy_path, extra_tools, dialect, user_scope: self.user_scope }, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_flat_and_nested_settings() {
        let flat = json!({"policyPath": "p.yaml", "extraTools": ["X"], "dialect": "factory"});
        let nested = json!({"agentls": flat.clone()});
        let a = Options::from_value(&flat).unwrap().unwrap();
        assert_eq!(Some(a.clone()), Options::from_value(&nested).unwrap());
        let (c, w) = a.resolve(Some(Path::new("/ws")));
        assert!(w.is_empty());
        assert_eq!(c.policy_path, Some(PathBuf::from("/ws/p.yaml")));
        assert_eq!(c.extra_tools, vec!["X".to_string()]);
        assert_eq!(c.dialect, Some(Dialect::Factory));
        assert!(!c.user_scope, "off by default");
        let on = Options::from_value(&json!({"userScope": true})).unwrap().unwrap();
        assert!(on.resolve(None).0.user_scope);
        assert!(Options::from_value(&json!({"userScope": "yes"})).is_err());
        assert_eq!(Options::from_value(&Value::Null).unwrap(), None);
        assert!(Options::from_value(&json!({"extraTools": "X"})).is_err());
    }

    #[test]
    fn unknown_dialect_warns_and_detects() {
        let o = Options { dialect: Some("cursor".into()), ..Default::default() };
        let (c, w) = o.resolve(None);
        assert_eq!(c.dialect, None);
        assert_eq!(w.len(), 1);
    }
}
