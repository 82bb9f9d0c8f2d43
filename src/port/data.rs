//! The porting table (`data/port.yaml`): which model of one product is the same model in another,
//! what an alias resolves to, which keys carry the same setting, and OpenCode's permission names.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::dialect::Dialect;

/// One model as every product that offers it spells it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// The neutral name: the Anthropic API id for Claude models, Factory's id otherwise.
    pub id: String,
    /// The display name, for messages.
    pub name: String,
    #[serde(default)]
    pub claude: Vec<String>,
    #[serde(default)]
    pub factory: Vec<String>,
    #[serde(default)]
    pub copilot: Vec<String>,
    #[serde(default)]
    pub opencode: Vec<String>,
    pub source: String,
}

impl ModelEntry {
    /// The spellings of this model in a dialect, the preferred one first; empty when the dialect
    /// does not offer it.
    pub fn spellings(&self, d: Dialect) -> &[String] {
        match d {
            Dialect::Claude => &self.claude,
            Dialect::Factory => &self.factory,
            Dialect::Copilot => &self.copilot,
            Dialect::Opencode => &self.opencode,
        }
    }
}

/// An alias that names a model which changes over time (`sonnet`), with what it names today.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasEntry {
    pub dialect: Dialect,
    pub alias: String,
    pub model: String,
    pub source: String,
}

/// A setting carried by a key of another name in other dialects.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    pub concept: String,
    #[serde(default)]
    pub claude: Option<String>,
    #[serde(default)]
    pub factory: Option<String>,
    #[serde(default)]
    pub copilot: Option<String>,
    #[serde(default)]
    pub opencode: Option<String>,
    /// Older names a dialect still reads, per dialect id.
    #[serde(default)]
    pub also: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
}

impl KeyEntry {
    pub fn key(&self, d: Dialect) -> Option<&str> {
        match d {
            Dialect::Claude => self.claude.as_deref(),
            Dialect::Factory => self.factory.as_deref(),
            Dialect::Copilot => self.copilot.as_deref(),
            Dialect::Opencode => self.opencode.as_deref(),
        }
    }

    /// True when `key` names this setting in dialect `d` (its key or an older name).
    pub fn named(&self, d: Dialect, key: &str) -> bool {
        self.key(d) == Some(key) || self.also.get(d.id()).is_some_and(|v| v.iter().any(|k| k == key))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortData {
    pub updated: String,
    pub sources: Vec<String>,
    pub models: Vec<ModelEntry>,
    pub aliases: Vec<AliasEntry>,
    pub keys: Vec<KeyEntry>,
    pub opencode_permissions: BTreeMap<String, String>,
    pub opencode_permissions_source: String,
}

/// The built-in table, parsed once.
pub fn data() -> &'static PortData {
    static D: OnceLock<PortData> = OnceLock::new();
    D.get_or_init(|| {
        serde_yaml::from_str(include_str!("../../data/port.yaml"))
            .unwrap_or_else(|e| panic!("data/port.yaml is invalid: {e}"))
    })
}

impl PortData {
    /// The model a dialect's model value names: by a spelling of the table, or by an alias.
    /// Copilot's qualified `Name (vendor)` counts as `Name`.
    pub fn model_of(&self, d: Dialect, value: &str) -> Option<(&ModelEntry, Option<&AliasEntry>)> {
        let v = value.trim();
        let bare = match d {
            Dialect::Copilot => v.strip_suffix(')').and_then(|s| s.rsplit_once(" (")).map_or(v, |(n, _)| n),
            _ => v,
        };
        let eq = |s: &String| if d == Dialect::Copilot { s.eq_ignore_ascii_case(bare) } else { s == bare };
        if let Some(m) = self.models.iter().find(|m| m.spellings(d).iter().any(eq)) {
            return Some((m, None));
        }
        let alias = self.aliases.iter().find(|a| a.dialect == d && a.alias == bare)?;
        self.models.iter().find(|m| m.id == alias.model).map(|m| (m, Some(alias)))
    }

    pub fn model(&self, id: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The setting a key of dialect `d` carries.
    pub fn key_of(&self, d: Dialect, key: &str) -> Option<&KeyEntry> {
        self.keys.iter().find(|k| k.named(d, key))
    }

    /// OpenCode's permission name for one of its tools.
    pub fn opencode_permission<'a>(&'a self, tool: &'a str) -> &'a str {
        self.opencode_permissions.get(tool).map_or(tool, String::as_str)
    }
}
