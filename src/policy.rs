//! The team policy file `.agentls.yaml`: denied and allowed tools, models, required and
//! recommended body sections, limits, rule severities and per-glob overrides. A built-in default
//! policy applies when there is none. The format is documented in `docs/policy.md` and has a
//! JSON Schema in `schemas/agentls-policy.schema.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::catalog::{ModelSpec, ToolSpec};
use crate::diagnostic::Severity;
use crate::dialect::Dialect;

/// The file name looked for, walking up from an agent file.
pub const FILE_NAME: &str = ".agentls.yaml";

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Error,
    Warning,
    Info,
    Hint,
    Off,
}

impl RuleLevel {
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Hint => Some(Severity::Hint),
            RuleLevel::Off => None,
        }
    }
}

/// A body section the policy asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SectionSpec {
    /// The heading text, e.g. `Core Purpose`.
    pub title: String,
    /// Other titles that count as this section (compared case-insensitively).
    pub aliases: Vec<String>,
    /// Heading level, 2 by default.
    pub level: Option<u8>,
    /// Markdown shown on hover over the heading.
    pub doc: String,
    /// Text inserted below the heading by the "insert section" fix.
    pub template: Option<String>,
}

/// An extra tool a policy declares known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExtraTool {
    pub name: String,
    /// The dialects it applies to; empty means all.
    pub dialects: Vec<Dialect>,
    pub doc: String,
}

/// An extra model a policy declares known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExtraModel {
    pub id: String,
    pub dialects: Vec<Dialect>,
    pub doc: String,
    pub reasoning: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ToolsPolicy {
    /// Globs of tools that must not be granted (e.g. `Bash`, `mcp__*`).
    pub deny: Vec<String>,
    /// If set, only tools matching one of these globs may be granted.
    pub allow: Option<Vec<String>>,
    /// Tools to treat as known in addition to the catalogs.
    pub extra: Vec<ExtraTool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ModelsPolicy {
    pub deny: Vec<String>,
    pub allow: Option<Vec<String>>,
    pub extra: Vec<ExtraModel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SectionsPolicy {
    /// Missing ones are reported by `missing-section` (warning by default).
    pub required: Vec<SectionSpec>,
    /// Missing ones are reported by `recommended-section` (hint by default).
    pub recommended: Vec<SectionSpec>,
    /// Documented for hover only; never reported missing.
    pub known: Vec<SectionSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct DescriptionPolicy {
    pub min: Option<usize>,
    pub max: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct NamePolicy {
    /// A regex the `name` must match.
    pub pattern: Option<String>,
}

/// Settings for files matching `files`, layered over the top level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Override {
    /// Globs relative to the policy file's folder.
    pub files: Vec<String>,
    pub dialect: Option<Dialect>,
    pub tools: Option<ToolsPolicy>,
    pub models: Option<ModelsPolicy>,
    pub sections: Option<SectionsPolicy>,
    pub description: Option<DescriptionPolicy>,
    pub name: Option<NamePolicy>,
    pub rules: BTreeMap<String, RuleLevel>,
}

/// The whole policy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Forces the dialect of every file (otherwise detected by path, then content).
    pub dialect: Option<Dialect>,
    /// When false, the built-in default sections are not merged in.
    pub extends_default: Option<bool>,
    pub tools: ToolsPolicy,
    pub models: ModelsPolicy,
    pub sections: SectionsPolicy,
    pub description: DescriptionPolicy,
    pub name: NamePolicy,
    pub rules: BTreeMap<String, RuleLevel>,
    pub overrides: Vec<Override>,
}

/// A policy file that failed to load: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub path: Option<PathBuf>,
    pub message: String,
    /// Byte range in the policy file.
    pub span: std::ops::Range<usize>,
}

/// The policy in force for a workspace: the file's, or the built-in default.
#[derive(Debug, Clone)]
pub struct LoadedPolicy {
    pub policy: Arc<Policy>,
    /// The file it came from; `None` for the built-in default.
    pub path: Option<PathBuf>,
    /// Set when the file exists but is broken; the built-in default applies meanwhile.
    pub error: Option<PolicyError>,
}

/// The policy as it applies to one file, after overrides.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EffectivePolicy {
    pub dialect: Option<Dialect>,
    pub tools: ToolsPolicy,
    pub models: ModelsPolicy,
    pub sections: SectionsPolicy,
    pub description: DescriptionPolicy,
    pub name: NamePolicy,
    pub rules: BTreeMap<String, RuleLevel>,
}

impl EffectivePolicy {
    /// The configured level of a rule, if the policy sets one.
    pub fn rule_level(&self, code: &str) -> Option<RuleLevel> {
        self.rules.get(code).copied()
    }

    pub fn tool_denied(&self, tool: &str) -> bool {
        glob_any(&self.tools.deny, tool)
    }

    pub fn tool_allowed(&self, tool: &str) -> bool {
        self.tools.allow.as_ref().is_none_or(|a| glob_any(a, tool))
    }

    pub fn model_denied(&self, model: &str) -> bool {
        glob_any(&self.models.deny, model)
    }

    pub fn model_allowed(&self, model: &str) -> bool {
        self.models.allow.as_ref().is_none_or(|a| glob_any(a, model))
    }

    /// Extra tools for one dialect, as catalog entries.
    pub fn extra_tools(&self, d: Dialect) -> Vec<ToolSpec> {
        self.tools
            .extra
            .iter()
            .filter(|t| t.dialects.is_empty() || t.dialects.contains(&d))
            .map(|t| ToolSpec {
                name: t.name.clone(),
                doc: t.doc.clone(),
                source: Some("policy".into()),
                ..Default::default()
            })
            .collect()
    }

    /// Extra models for one dialect, as catalog entries.
    pub fn extra_models(&self, d: Dialect) -> Vec<ModelSpec> {
        self.models
            .extra
            .iter()
            .filter(|m| m.dialects.is_empty() || m.dialects.contains(&d))
            .map(|m| ModelSpec {
                id: m.id.clone(),
                doc: m.doc.clone(),
                reasoning: m.reasoning.clone(),
                source: Some("policy".into()),
                ..Default::default()
            })
            .collect()
    }
}

/// Matches `name` against simple globs (`*` and `?`), case-sensitively.
pub fn glob_any(globs: &[String], name: &str) -> bool {
    globs.iter().any(|g| glob_match(g.as_bytes(), name.as_bytes()))
}

fn glob_match(p: &[u8], s: &[u8]) -> bool {
    // Iterative wildcard matching with one backtrack point: linear in practice, no recursion.
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

impl LoadedPolicy {
    /// The built-in default policy.
    pub fn builtin() -> LoadedPolicy {
        LoadedPolicy { policy: Arc::new(builtin_default().clone()), path: None, error: None }
    }

    /// The policy for one file: top level plus every override whose globs match. `path` may be
    /// absolute or relative to the policy file's folder.
    pub fn for_file(&self, path: Option<&Path>) -> EffectivePolicy {
        let p = &self.policy;
        EffectivePolicy {
            dialect: p.dialect,
            tools: p.tools.clone(),
            models: p.models.clone(),
            sections: p.sections.clone(),
            description: p.description,
            name: p.name.clone(),
            rules: p.rules.clone(),
        }
        // TODO(policy helper): apply overrides by glob; merge the built-in sections.
        .with_path(path)
    }
}

impl EffectivePolicy {
    fn with_path(self, _path: Option<&Path>) -> Self {
        self
    }
}

/// The built-in default policy (data file `data/default-policy.yaml`).
pub fn builtin_default() -> &'static Policy {
    static P: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    P.get_or_init(Policy::default)
}

/// Walks up from `start` (a file or folder) to find `.agentls.yaml`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = if start.is_dir() { Some(start) } else { start.parent() };
    while let Some(d) = dir {
        let f = d.join(FILE_NAME);
        if f.is_file() {
            return Some(f);
        }
        dir = d.parent();
    }
    None
}

/// Parses a policy file's text.
pub fn parse(text: &str, path: Option<&Path>) -> Result<Policy, PolicyError> {
    serde_yaml::from_str(text).map_err(|e| {
        let at = e.location().map_or(0, |l| l.index());
        PolicyError { path: path.map(Path::to_path_buf), message: e.to_string(), span: at..at }
    })
}

/// Loads the policy that applies at `start`, or the built-in default.
pub fn discover(start: &Path) -> LoadedPolicy {
    match find(start) {
        Some(f) => load(&f),
        None => LoadedPolicy::builtin(),
    }
}

/// Loads one policy file; on any error the built-in default applies and the error is kept.
pub fn load(path: &Path) -> LoadedPolicy {
    let fail = |message: String| LoadedPolicy {
        error: Some(PolicyError { path: Some(path.to_path_buf()), message, span: 0..0 }),
        path: Some(path.to_path_buf()),
        ..LoadedPolicy::builtin()
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot read policy file: {e}")),
    };
    match parse(&text, Some(path)) {
        Ok(p) => LoadedPolicy { policy: Arc::new(p), path: Some(path.to_path_buf()), error: None },
        Err(e) => LoadedPolicy { error: Some(e), path: Some(path.to_path_buf()), ..LoadedPolicy::builtin() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let g = |p: &str, s: &str| glob_any(&[p.to_string()], s);
        assert!(g("mcp__*", "mcp__github__x"));
        assert!(g("Bash", "Bash"));
        assert!(!g("Bash", "bash"));
        assert!(g("*-preview", "gemini-3-flash-preview"));
        assert!(g("a?c", "abc"));
        assert!(!g("mcp__*", "github___x"));
    }
}
