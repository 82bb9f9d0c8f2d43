//! The serde types of `.agentls.yaml`: the policy, its groups, overrides and the file form of an
//! override that records which keys it wrote.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use super::merge::{DescriptionWritten, ListsWritten, NameWritten, SectionsWritten, Written};
use crate::diagnostic::Severity;
use crate::dialect::Dialect;

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Error,
    /// `warn` is accepted too, as ESLint users write it.
    #[serde(alias = "warn")]
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

impl SectionSpec {
    /// The heading level to insert (`##` unless the policy says otherwise).
    pub fn heading_level(&self) -> u8 {
        self.level.unwrap_or(2)
    }

    /// The title and every alias.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.title.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether a heading's text names this section: the title or an alias, ignoring case,
    /// surrounding blanks, repeated inner blanks and a trailing colon.
    pub fn matches(&self, heading: &str) -> bool {
        self.names().any(|n| crate::syntax::titles::titles_match(n, heading))
    }
}

/// An extra tool a policy declares known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExtraTool {
    pub name: String,
    /// The dialects it applies to; empty means all.
    #[serde(deserialize_with = "de_dialects")]
    pub dialects: Vec<Dialect>,
    pub doc: String,
}

/// An extra model a policy declares known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExtraModel {
    pub id: String,
    #[serde(deserialize_with = "de_dialects")]
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

impl SectionsPolicy {
    /// The section a heading stands for, looking in `required`, then `recommended`, then `known`.
    pub fn find(&self, heading: &str) -> Option<&SectionSpec> {
        self.all().find(|s| s.matches(heading))
    }

    /// Every section, required first.
    pub fn all(&self) -> impl Iterator<Item = &SectionSpec> {
        self.required.iter().chain(&self.recommended).chain(&self.known)
    }
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
    /// A regex the `name` must match; like the catalogs' patterns it is searched, so write `^...$`
    /// to constrain the whole name.
    pub pattern: Option<String>,
}

/// Settings for files matching `files`, layered over the top level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(from = "OverrideRaw")]
pub struct Override {
    /// Globs relative to the policy file's folder.
    pub files: Vec<String>,
    /// File kinds (`agent`, `skill`, `command`, `instructions`, `memory`, `prompt`, `chat-mode`)
    /// the override applies to; with `files` too, a file must match both.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<crate::dialect::FileKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialect: Option<Dialect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<ToolsPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub models: Option<ModelsPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<SectionsPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<DescriptionPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<NamePolicy>,
    pub rules: BTreeMap<String, RuleLevel>,
    /// Which fields of each group the override wrote in the file, so that it replaces only
    /// those. Filled in when parsed; for a group it does not record (an override built in code),
    /// a group that is `Some` replaces the whole group.
    #[serde(skip)]
    pub written: Written,
}

/// The file form of [`Override`]: every field optional, so that the keys written are known.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct OverrideRaw {
    files: Vec<String>,
    kinds: Vec<crate::dialect::FileKind>,
    #[serde(deserialize_with = "de_dialect")]
    dialect: Option<Dialect>,
    tools: Option<ListsPatch<ExtraTool>>,
    models: Option<ListsPatch<ExtraModel>>,
    sections: Option<SectionsPatch>,
    description: Option<DescriptionPatch>,
    name: Option<NamePatch>,
    rules: BTreeMap<String, RuleLevel>,
}

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields, bound = "T: Deserialize<'de>")]
struct ListsPatch<T> {
    deny: Option<Vec<String>>,
    /// `Some(None)` when the file writes `allow: null`, which lifts an allow-list.
    #[serde(deserialize_with = "present")]
    allow: Option<Option<Vec<String>>>,
    extra: Option<Vec<T>>,
}

impl<T> Default for ListsPatch<T> {
    fn default() -> Self {
        ListsPatch { deny: None, allow: None, extra: None }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct SectionsPatch {
    required: Option<Vec<SectionSpec>>,
    recommended: Option<Vec<SectionSpec>>,
    known: Option<Vec<SectionSpec>>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct DescriptionPatch {
    #[serde(deserialize_with = "present")]
    min: Option<Option<usize>>,
    #[serde(deserialize_with = "present")]
    max: Option<Option<usize>>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct NamePatch {
    #[serde(deserialize_with = "present")]
    pattern: Option<Option<String>>,
}

/// Marks a key as present even when its value is `null`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl From<OverrideRaw> for Override {
    fn from(r: OverrideRaw) -> Self {
        let mut written = Written::default();
        let tools = r.tools.map(|t| {
            written.tools =
                Some(ListsWritten { deny: t.deny.is_some(), allow: t.allow.is_some(), extra: t.extra.is_some() });
            ToolsPolicy {
                deny: t.deny.unwrap_or_default(),
                allow: t.allow.flatten(),
                extra: t.extra.unwrap_or_default(),
            }
        });
        let models = r.models.map(|m| {
            written.models =
                Some(ListsWritten { deny: m.deny.is_some(), allow: m.allow.is_some(), extra: m.extra.is_some() });
            ModelsPolicy {
                deny: m.deny.unwrap_or_default(),
                allow: m.allow.flatten(),
                extra: m.extra.unwrap_or_default(),
            }
        });
        let sections = r.sections.map(|s| {
            written.sections = Some(SectionsWritten {
                required: s.required.is_some(),
                recommended: s.recommended.is_some(),
                known: s.known.is_some(),
            });
            SectionsPolicy {
                required: s.required.unwrap_or_default(),
                recommended: s.recommended.unwrap_or_default(),
                known: s.known.unwrap_or_default(),
            }
        });
        let description = r.description.map(|d| {
            written.description = Some(DescriptionWritten { min: d.min.is_some(), max: d.max.is_some() });
            DescriptionPolicy { min: d.min.flatten(), max: d.max.flatten() }
        });
        let name = r.name.map(|n| {
            written.name = Some(NameWritten { pattern: n.pattern.is_some() });
            NamePolicy { pattern: n.pattern.flatten() }
        });
        Override {
            files: r.files,
            kinds: r.kinds,
            dialect: r.dialect,
            tools,
            models,
            sections,
            description,
            name,
            rules: r.rules,
            written,
        }
    }
}

/// Reads a dialect id, accepting the aliases [`Dialect::from_id`] knows (`claude-code`, `droid`…).
fn de_dialect<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Dialect>, D::Error> {
    Ok(Option::<DialectId>::deserialize(d)?.map(|d| d.0))
}

fn de_dialects<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Dialect>, D::Error> {
    Ok(Vec::<DialectId>::deserialize(d)?.into_iter().map(|d| d.0).collect())
}

/// A dialect read from its id. The check runs inside the scalar's own deserialization so that
/// serde_yaml reports the error at the scalar rather than at the enclosing mapping.
struct DialectId(Dialect);

impl<'de> Deserialize<'de> for DialectId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = DialectId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a dialect id")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<DialectId, E> {
                Dialect::from_id(s).map(DialectId).ok_or_else(|| {
                    let ids: Vec<String> = Dialect::ALL.iter().map(|d| format!("`{}`", d.id())).collect();
                    E::custom(format!("unknown dialect `{s}`, expected one of {}", ids.join(", ")))
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// The whole policy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Forces the dialect of every file (otherwise detected by path, then content).
    #[serde(deserialize_with = "de_dialect")]
    pub dialect: Option<Dialect>,
    /// When false, the built-in default sections are not merged in.
    pub extends_default: Option<bool>,
    pub tools: ToolsPolicy,
    pub models: ModelsPolicy,
    pub sections: SectionsPolicy,
    pub description: DescriptionPolicy,
    pub name: NamePolicy,
    pub rules: BTreeMap<String, RuleLevel>,
    /// The product versions the team runs (`claude-code: "2.1.200"`), so that facts newer than
    /// them do not apply; without an entry the newest facts do. Numbers are read as versions too.
    #[serde(deserialize_with = "de_versions")]
    pub products: BTreeMap<String, String>,
    /// Dialects every agent must also run on (`[copilot]`): what a port to them would lose is
    /// reported as `not-portable`. Top level only.
    pub portable_to: Vec<String>,
    pub overrides: Vec<Override>,
}

/// Reads `products:`, taking a version written as a number (`vscode: 1.107`) as its text.
fn de_versions<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let raw = Option::<BTreeMap<String, serde_yaml::Value>>::deserialize(d)?.unwrap_or_default();
    raw.into_iter()
        .map(|(k, v)| match v {
            serde_yaml::Value::String(s) => Ok((k, s)),
            serde_yaml::Value::Number(n) => Ok((k, n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "the version of `{k}` must be a string such as \"2.1.200\", not {}",
                match other {
                    serde_yaml::Value::Null => "null",
                    serde_yaml::Value::Bool(_) => "a boolean",
                    serde_yaml::Value::Sequence(_) => "a list",
                    serde_yaml::Value::Mapping(_) => "a mapping",
                    _ => "another value",
                }
            ))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_compare_loosely() {
        let s = SectionSpec { title: "Core Purpose".into(), aliases: vec!["Purpose".into()], ..Default::default() };
        assert!(s.matches("core  purpose:"));
        assert!(s.matches(" PURPOSE "));
        assert!(!s.matches("Core"));
    }
}
