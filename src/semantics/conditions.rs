//! Conditions that remove tools or change what a product reads (`data/conditions.yaml`): the tools
//! Claude Code takes from subagents even when `tools` lists them (the subagent filter, the
//! background filter, `isolation: worktree`, the Task tools of the newest models), and what VS
//! Code and GitHub Copilot each do with a Copilot agent (`target`, GitHub's prompt limit and
//! required `description`, `agents` without the `agent` tool). This module says which conditions
//! hold for a file; the rules turn them into diagnostics, the editor features may show them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::analysis::Analysis;
use crate::catalog::{at_version, AtVersion, Catalog, Status, ToolSpec};
use crate::diagnostic::{Severity, Span};
use crate::dialect::{Dialect, FileKind};
use crate::registry::{self, RuleCode};
use crate::semantics::keys::kind_id;
use crate::semantics::tools::{covers, granted_tools};
use crate::syntax::{Frontmatter, Node, ScalarKind, Value};

/// The product id of VS Code, as a Copilot agent's `target` and the policy's `products` write it.
pub const VSCODE: &str = "vscode";
/// The product id of GitHub Copilot (github.com's cloud agent and the Copilot CLI).
pub const GITHUB_COPILOT: &str = "github-copilot";

/// What a condition does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The `tools` it names are removed.
    RemovesTools,
    /// Every built-in tool but the `tools` it names is removed.
    KeepsTools,
    /// `key` has no effect unless the file grants one of the `tools` it names.
    KeyNeedsTool,
    /// The body may have at most `max` characters.
    BodyMax,
    /// The product does not load the agent without `key`.
    KeyRequired,
    /// Only `product` reads `key`.
    KeyReadBy,
}

/// A test of the frontmatter: the key's value `is` something, or the key is `present` (or not).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Test {
    pub key: String,
    #[serde(default)]
    pub is: Option<serde_yaml::Value>,
    #[serde(default)]
    pub present: Option<bool>,
}

/// One condition of `data/conditions.yaml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub id: String,
    pub dialect: Dialect,
    /// Whose behaviour this is (`claude-code`, `vscode`, `github-copilot`); `since` counts in its versions.
    pub product: String,
    /// File kinds it applies to (`agent`, `prompt`, `chat-mode`); empty means all.
    #[serde(default)]
    pub kinds: Vec<String>,
    pub kind: Kind,
    pub rule: RuleCode,
    /// The severity of this condition's finding; by default the rule's.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// For a Copilot file without `target`, which must satisfy both products.
    #[serde(default)]
    pub untargeted_severity: Option<Severity>,
    #[serde(default)]
    pub tools: Vec<String>,
    /// For `keeps-tools`: tools kept only from a product version on.
    #[serde(default)]
    pub keep_since: BTreeMap<String, String>,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub max: Option<usize>,
    #[serde(default)]
    pub when: Vec<Test>,
    #[serde(default)]
    pub unless: Vec<Test>,
    /// The product version from which the condition holds.
    #[serde(default)]
    pub since: Option<String>,
    /// The finding's text: `{tool}`, `{key}`, `{count}`, `{max}` are filled in.
    pub message: String,
    pub source: String,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// When the conditions were last checked against the vendors' documentation, `YYYY-MM-DD`.
    pub updated: String,
    pub sources: Vec<String>,
    pub conditions: Vec<Condition>,
}

/// The built-in conditions, parsed once.
pub fn builtin() -> &'static Conditions {
    static ALL: OnceLock<Conditions> = OnceLock::new();
    ALL.get_or_init(|| {
        serde_yaml::from_str(include_str!("../../data/conditions.yaml"))
            .unwrap_or_else(|e| panic!("data/conditions.yaml is invalid: {e}"))
    })
}

/// A condition that holds for a file, where, and at which severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'c> {
    pub condition: &'c Condition,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
}

/// Which of Copilot's two products a Copilot file is for: `target: vscode`, `target:
/// github-copilot`, or both without a `target`. Prompt files and chat modes are VS Code's only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub vscode: bool,
    pub github: bool,
    /// True when `target` (or the file kind) chose one product.
    pub explicit: bool,
}

impl Targets {
    pub fn includes(&self, product: &str) -> bool {
        match product {
            VSCODE => self.vscode,
            GITHUB_COPILOT => self.github,
            _ => true,
        }
    }
}

/// The products a Copilot file is for.
pub fn copilot_targets(a: &Analysis) -> Targets {
    if a.detected.is_some_and(|d| d.kind != FileKind::Agent) {
        return Targets { vscode: true, github: false, explicit: true };
    }
    let target = a.parsed.frontmatter.as_ref().and_then(|fm| fm.get("target")).and_then(|e| e.value.as_str());
    match target.map(str::trim) {
        Some(VSCODE) => Targets { vscode: true, github: false, explicit: true },
        Some(GITHUB_COPILOT) => Targets { vscode: false, github: true, explicit: true },
        _ => Targets { vscode: true, github: true, explicit: false },
    }
}

impl Condition {
    fn applies_to(&self, a: &Analysis, dialect: Dialect) -> bool {
        if self.dialect != dialect {
            return false;
        }
        let kind = a.detected.map_or(FileKind::Agent, |d| d.kind);
        // A condition without `kinds` is about agents (and Copilot's prompt files, which share
        // their keys), not about skills, commands, instructions or memory files.
        let new_kind = matches!(kind, FileKind::Skill | FileKind::Command | FileKind::Instructions | FileKind::Memory);
        if self.kinds.is_empty() && new_kind {
            return false;
        }
        if !self.kinds.is_empty() && !self.kinds.iter().any(|k| k == kind_id(kind)) {
            return false;
        }
        if at_version(None, self.since.as_deref(), a.policy.product_version(&self.product)) == AtVersion::Before {
            return false;
        }
        let Some(fm) = a.parsed.frontmatter.as_ref() else { return false };
        self.when.iter().all(|t| t.holds(fm)) && !self.unless.iter().any(|t| t.holds(fm))
    }

    /// The severity for a file: the condition's, the untargeted one for a Copilot file without
    /// `target`, else the rule's default for the dialect.
    fn severity_for(&self, targets: Option<Targets>) -> Severity {
        let untargeted = targets.is_some_and(|t| !t.explicit);
        let own = if untargeted { self.untargeted_severity.or(self.severity) } else { self.severity };
        own.unwrap_or_else(|| registry::info(self.rule).default_severity(Some(self.dialect.id())))
    }

    fn message_for(&self, tool: &str, count: usize) -> String {
        self.message
            .replace("{tool}", tool)
            .replace("{key}", self.key.as_deref().unwrap_or(""))
            .replace("{count}", &thousands(count))
            .replace("{max}", &thousands(self.max.unwrap_or(0)))
    }

    /// Whether a `keeps-tools` condition keeps `name` for a team on `stated`.
    fn keeps(&self, name: &str, stated: Option<&str>) -> bool {
        self.tools.iter().any(|t| t == name)
            && self.keep_since.get(name).is_none_or(|v| at_version(None, Some(v), stated) != AtVersion::Before)
    }
}

impl Test {
    fn holds(&self, fm: &Frontmatter) -> bool {
        let entry = fm.get(&self.key);
        if self.present.is_some_and(|p| p != entry.is_some()) {
            return false;
        }
        match &self.is {
            None => true,
            Some(want) => entry.is_some_and(|e| value_is(&e.value, want)),
        }
    }
}

fn value_is(n: &Node, want: &serde_yaml::Value) -> bool {
    let Some(s) = n.as_scalar() else { return false };
    match want {
        serde_yaml::Value::Bool(b) => s.kind() == ScalarKind::Bool(*b),
        serde_yaml::Value::String(w) => s.kind() == ScalarKind::Str && s.text.trim() == w,
        serde_yaml::Value::Number(x) => s.text.trim() == x.to_string(),
        _ => false,
    }
}

/// `30000` as `30,000`.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// True when a `removes-tools` condition of the dialect names the tool: the conditions, not the
/// catalog's `unavailable` status, decide whether it is available (`ExitPlanMode` is, with
/// `permissionMode: plan`).
pub fn governs_tool(dialect: Dialect, name: &str) -> bool {
    builtin()
        .conditions
        .iter()
        .any(|c| c.dialect == dialect && c.kind == Kind::RemovesTools && c.tools.iter().any(|t| t == name))
}

/// True when a `key-required` condition of the dialect names the key: the conditions, not the
/// catalog's `required`, decide which product needs it.
pub fn governs_required_key(dialect: Dialect, key: &str) -> bool {
    builtin()
        .conditions
        .iter()
        .any(|c| c.dialect == dialect && c.kind == Kind::KeyRequired && c.key.as_deref() == Some(key))
}

/// The condition that removes a tool the file grants (`spec`, the tool's catalog entry, listed at
/// `span`), if one does: the most severe of those that hold, the first in the file on a tie.
pub fn tool_removed(
    a: &Analysis,
    cat: &Catalog,
    dialect: Dialect,
    spec: &ToolSpec,
    span: Span,
) -> Option<Hit<'static>> {
    let stated_cat = a.policy.product_version(&cat.product);
    // The background filter removes built-in tools: current ones, and deprecated ones without a
    // replacement (`TaskOutput` still exists); an old name with a replacement (`LS`, `Task`) has
    // its own finding, and a tool the policy or the editor declares is not built in.
    let builtin_tool = match spec.status.at(spec.since.as_deref(), stated_cat) {
        Status::Current | Status::Unavailable => true,
        Status::Deprecated => spec.replacement.is_none(),
        Status::Removed => false,
    } && spec.source.as_deref().is_some_and(|s| s != "policy" && s != "settings");
    let mut best: Option<Hit> = None;
    for c in builtin().conditions.iter().filter(|c| matches!(c.kind, Kind::RemovesTools | Kind::KeepsTools)) {
        let removed = match c.kind {
            Kind::RemovesTools => c.tools.contains(&spec.name),
            _ => builtin_tool && !c.keeps(&spec.name, a.policy.product_version(&c.product)),
        };
        if !removed || !c.applies_to(a, dialect) {
            continue;
        }
        let severity = c.severity_for(None);
        if best.as_ref().is_none_or(|b| severity < b.severity) {
            best = Some(Hit { condition: c, severity, span: span.clone(), message: c.message_for(&spec.name, 0) });
        }
    }
    best
}

/// The conditions about keys and the body that hold for a file (`key-needs-tool`, `body-max`,
/// `key-required`, `key-read-by`), each at the key, the characters past the limit, or the closing
/// `---`.
pub fn file_hits(a: &Analysis) -> Vec<Hit<'static>> {
    let (Some(dialect), Some(cat), Some(fm)) =
        (a.detected.map(|d| d.dialect), a.catalog.as_deref(), a.parsed.frontmatter.as_ref())
    else {
        return Vec::new();
    };
    let targets = (dialect == Dialect::Copilot).then(|| copilot_targets(a));
    let mut out = Vec::new();
    for c in builtin().conditions.iter().filter(|c| !matches!(c.kind, Kind::RemovesTools | Kind::KeepsTools)) {
        if !c.applies_to(a, dialect) {
            continue;
        }
        let for_product = targets.is_none_or(|t| t.includes(&c.product));
        let severity = c.severity_for(targets);
        let key = c.key.as_deref().unwrap_or("");
        match c.kind {
            Kind::KeyNeedsTool if for_product => {
                let Some(e) = fm.get(key) else { continue };
                let wants_some = match &e.value.value {
                    Value::Seq(s) => !s.items.is_empty(),
                    Value::Scalar(_) => !e.value.is_null() && e.value.as_str().is_some_and(|v| !v.trim().is_empty()),
                    _ => false,
                };
                let Some(list) = granted_tools(a) else { continue };
                let granted = c.tools.iter().any(|t| covers(cat, list, t))
                    || list.items.iter().any(|i| i.name.to_ascii_lowercase().starts_with("agent/"));
                if wants_some && !granted {
                    out.push(Hit { condition: c, severity, span: e.key.span.clone(), message: c.message_for("", 0) });
                }
            }
            Kind::BodyMax if for_product => {
                let Some(max) = c.max else { continue };
                let body = &a.text[a.parsed.body.span.clone()];
                let trimmed = body.trim();
                let count = trimmed.chars().count();
                if count > max {
                    let start = a.parsed.body.span.start + (trimmed.as_ptr() as usize - body.as_ptr() as usize);
                    let past = trimmed.char_indices().nth(max).map_or(trimmed.len(), |(i, _)| i);
                    let span = start + past..start + trimmed.len();
                    out.push(Hit { condition: c, severity, span, message: c.message_for("", count) });
                }
            }
            Kind::KeyRequired if for_product => {
                let is_map = matches!(fm.root.as_ref().map(|r| &r.value), Some(Value::Map(_)) | None);
                let yaml = &a.text[fm.content.clone()];
                let written =
                    yaml.lines().any(|l| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')));
                if is_map && fm.get(key).is_none() && !written {
                    let span = fm.close.clone().unwrap_or_else(|| fm.open.clone());
                    out.push(Hit { condition: c, severity, span, message: c.message_for("", 0) });
                }
            }
            // Read only by `product`, in a file explicitly meant for the other one.
            Kind::KeyReadBy if !for_product => {
                if let Some(e) = fm.get(key) {
                    out.push(Hit { condition: c, severity, span: e.key.span.clone(), message: c.message_for("", 0) });
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_data_is_valid() {
        let all = builtin();
        assert!(regex::Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap().is_match(&all.updated), "updated");
        let dated = regex::Regex::new(r"https://[^\s)]+.*(\b\d{4}-\d{2}(-\d{2})?\b|\bv\d+\.\d+)").unwrap();
        assert!(!all.sources.is_empty());
        for s in &all.sources {
            assert!(dated.is_match(s), "source {s:?} has no address and date");
        }
        let mut ids = HashSet::new();
        let products = [crate::catalog::products(), vec![GITHUB_COPILOT]].concat();
        for c in &all.conditions {
            let id = &c.id;
            assert!(ids.insert(id.as_str()), "{id}: duplicate id");
            assert!(
                id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id}: not kebab-case"
            );
            assert!(dated.is_match(&c.source), "{id}: source {:?} has no address and date", c.source);
            assert!(products.contains(&c.product.as_str()), "{id}: unknown product {}", c.product);
            assert!(!c.message.trim().is_empty(), "{id}: no message");
            for k in &c.kinds {
                assert!(["agent", "prompt", "chat-mode"].contains(&k.as_str()), "{id}: unknown kind {k}");
            }
            for v in c.since.iter().chain(c.keep_since.values()) {
                assert!(crate::catalog::parse_version(v).is_some(), "{id}: `{v}` is not a version");
            }
            let needs = match c.kind {
                Kind::RemovesTools | Kind::KeepsTools => !c.tools.is_empty() && c.key.is_none() && c.max.is_none(),
                Kind::KeyNeedsTool => !c.tools.is_empty() && c.key.is_some(),
                Kind::BodyMax => c.max.is_some() && c.tools.is_empty(),
                Kind::KeyRequired | Kind::KeyReadBy => c.key.is_some() && c.tools.is_empty(),
            };
            assert!(needs, "{id}: the fields do not fit kind {:?}", c.kind);
            assert!(c.keep_since.is_empty() || c.kind == Kind::KeepsTools, "{id}: keep_since without keeps-tools");
            for t in c.keep_since.keys() {
                assert!(c.tools.contains(t), "{id}: keep_since names {t}, which is not kept");
            }
            if c.dialect == Dialect::Copilot {
                assert!([VSCODE, GITHUB_COPILOT].contains(&c.product.as_str()), "{id}: a Copilot product");
            }
            // Every tool a condition names is in the dialect's catalog or documented as newer.
            let cat = crate::catalog::builtin(c.dialect);
            for t in c.tools.iter().filter(|_| c.kind == Kind::RemovesTools) {
                assert!(cat.tool(t).is_some(), "{id}: `{t}` is not a tool of the {} catalog", c.dialect.id());
            }
        }
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(30000), "30,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
