//! The team policy file `.agentls.yaml`: denied and allowed tools, models, required and
//! recommended body sections, limits, rule severities and per-glob overrides. A built-in default
//! policy applies when there is none. The format is documented in `docs/policy.md` and has a
//! JSON Schema in `schemas/agentls-policy.schema.json`.

mod tree;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Deserializer, Serialize};

use crate::catalog::{ModelSpec, ToolSpec};
use crate::diagnostic::{Severity, Span};
use crate::dialect::Dialect;
use crate::semantics::sections::normalize_title;
use tree::{Seg, Tree};

/// The file name looked for, walking up from an agent file.
pub const FILE_NAME: &str = ".agentls.yaml";

/// The largest policy file read. Real policies are a few kilobytes; anything this big is a
/// mistake or an attack, and refusing it keeps every keystroke cheap.
pub const MAX_POLICY_BYTES: u64 = 1024 * 1024;

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
        crate::semantics::sections::names_section(self, heading)
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

    /// Drops entries whose title or alias already names an earlier entry, so that a section the
    /// policy requires is not also recommended (or only documented).
    fn dedupe(&mut self) {
        let mut seen = BTreeSet::new();
        for list in [&mut self.required, &mut self.recommended, &mut self.known] {
            list.retain(|s| {
                let keys: Vec<String> = s.names().map(normalize_title).collect();
                let fresh = !keys.iter().any(|k| seen.contains(k));
                if fresh {
                    seen.extend(keys);
                }
                fresh
            });
        }
    }

    /// `user` over `default`: a default entry is replaced in place by the user's entry with the
    /// same title in the same list, dropped if the user lists that title elsewhere, kept
    /// otherwise; the user's other entries follow.
    fn merged_over(user: &SectionsPolicy, default: &SectionsPolicy) -> SectionsPolicy {
        let user_keys: BTreeSet<String> = user.all().flat_map(|s| s.names().map(normalize_title)).collect();
        let merge = |mine: &[SectionSpec], theirs: &[SectionSpec]| {
            let mut out = Vec::new();
            let mut used = vec![false; mine.len()];
            for d in theirs {
                if let Some(i) = mine.iter().position(|u| d.names().any(|n| u.matches(n))) {
                    if !used[i] {
                        used[i] = true;
                        out.push(mine[i].clone());
                    }
                } else if !d.names().any(|n| user_keys.contains(&normalize_title(n))) {
                    out.push(d.clone());
                }
            }
            out.extend(mine.iter().zip(&used).filter(|(_, u)| !**u).map(|(s, _)| s.clone()));
            out
        };
        let mut out = SectionsPolicy {
            required: merge(&user.required, &default.required),
            recommended: merge(&user.recommended, &default.recommended),
            known: merge(&user.known, &default.known),
        };
        out.dedupe();
        out
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
    /// The keys the override wrote in the file, dotted (`tools`, `tools.deny`, `description.max`),
    /// so that an override replaces only what it writes. Filled in when parsed; when it lacks a
    /// group key (an override built in code), a group that is `Some` replaces the whole group.
    #[serde(skip)]
    pub written: BTreeSet<String>,
}

impl Override {
    /// Whether the override sets `group.field` (e.g. `tools.deny`).
    fn writes(&self, group: &str, field: &str) -> bool {
        !self.written.contains(group) || self.written.contains(&format!("{group}.{field}"))
    }
}

/// The file form of [`Override`]: every field optional, so that the keys written are known.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct OverrideRaw {
    files: Vec<String>,
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
        let mut written = BTreeSet::new();
        let mut mark = |group: &str, field: &str, set: bool| {
            written.insert(group.to_string());
            if set {
                written.insert(format!("{group}.{field}"));
            }
        };
        let tools = r.tools.map(|t| {
            mark("tools", "deny", t.deny.is_some());
            mark("tools", "allow", t.allow.is_some());
            mark("tools", "extra", t.extra.is_some());
            ToolsPolicy {
                deny: t.deny.unwrap_or_default(),
                allow: t.allow.flatten(),
                extra: t.extra.unwrap_or_default(),
            }
        });
        let models = r.models.map(|m| {
            mark("models", "deny", m.deny.is_some());
            mark("models", "allow", m.allow.is_some());
            mark("models", "extra", m.extra.is_some());
            ModelsPolicy {
                deny: m.deny.unwrap_or_default(),
                allow: m.allow.flatten(),
                extra: m.extra.unwrap_or_default(),
            }
        });
        let sections = r.sections.map(|s| {
            mark("sections", "required", s.required.is_some());
            mark("sections", "recommended", s.recommended.is_some());
            mark("sections", "known", s.known.is_some());
            SectionsPolicy {
                required: s.required.unwrap_or_default(),
                recommended: s.recommended.unwrap_or_default(),
                known: s.known.unwrap_or_default(),
            }
        });
        let description = r.description.map(|d| {
            mark("description", "min", d.min.is_some());
            mark("description", "max", d.max.is_some());
            DescriptionPolicy { min: d.min.flatten(), max: d.max.flatten() }
        });
        let name = r.name.map(|n| {
            mark("name", "pattern", n.pattern.is_some());
            NamePolicy { pattern: n.pattern.flatten() }
        });
        Override {
            files: r.files,
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
    pub overrides: Vec<Override>,
}

/// A problem in a policy file: where and why. Errors make the built-in default apply instead;
/// warnings (e.g. an unknown rule code) leave the policy in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub path: Option<PathBuf>,
    pub message: String,
    /// Byte range in the policy file.
    pub span: std::ops::Range<usize>,
    pub severity: Severity,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, in characters.
    pub column: usize,
}

impl PolicyError {
    fn new(text: &str, path: Option<&Path>, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        let at = floor_char_boundary(text, span.start);
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
        PolicyError { path: path.map(Path::to_path_buf), message: message.into(), span, severity, line, column }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for PolicyError {
    /// `path:line:column: severity: message`, the shape compilers print.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.as_ref().map_or_else(|| FILE_NAME.to_string(), |p| p.display().to_string());
        write!(f, "{path}:{}:{}: {}: {}", self.line, self.column, self.severity.as_str(), self.message)
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The policy in force for a workspace: the file's, or the built-in default.
#[derive(Debug, Clone)]
pub struct LoadedPolicy {
    pub policy: Arc<Policy>,
    /// The file it came from; `None` for the built-in default.
    pub path: Option<PathBuf>,
    /// Set when the file exists but is broken; the built-in default applies meanwhile.
    /// It is the first error of `problems`.
    pub error: Option<PolicyError>,
    /// Every problem found in the file, errors and warnings, in file order.
    pub problems: Vec<PolicyError>,
    compiled: Arc<Compiled>,
}

/// What `for_file` needs ready on every keystroke: the top level already merged with the default
/// sections, the folders globs are relative to, and each override's compiled globs.
#[derive(Debug)]
struct Compiled {
    base: Arc<EffectivePolicy>,
    /// The policy file's folder as written and (when different) canonicalized.
    roots: Vec<PathBuf>,
    /// One set per override; `None` when a glob did not compile (the load reports it).
    globs: Vec<Option<GlobSet>>,
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

    /// Layers one override: set scalars and written lists replace, `rules` merge key by key.
    fn apply(&mut self, o: &Override) {
        if o.dialect.is_some() {
            self.dialect = o.dialect;
        }
        if let Some(t) = &o.tools {
            if o.writes("tools", "deny") {
                self.tools.deny = t.deny.clone();
            }
            if o.writes("tools", "allow") {
                self.tools.allow = t.allow.clone();
            }
            if o.writes("tools", "extra") {
                self.tools.extra = t.extra.clone();
            }
        }
        if let Some(m) = &o.models {
            if o.writes("models", "deny") {
                self.models.deny = m.deny.clone();
            }
            if o.writes("models", "allow") {
                self.models.allow = m.allow.clone();
            }
            if o.writes("models", "extra") {
                self.models.extra = m.extra.clone();
            }
        }
        if let Some(s) = &o.sections {
            if o.writes("sections", "required") {
                self.sections.required = s.required.clone();
            }
            if o.writes("sections", "recommended") {
                self.sections.recommended = s.recommended.clone();
            }
            if o.writes("sections", "known") {
                self.sections.known = s.known.clone();
            }
        }
        if let Some(d) = &o.description {
            if o.writes("description", "min") {
                self.description.min = d.min;
            }
            if o.writes("description", "max") {
                self.description.max = d.max;
            }
        }
        if let Some(n) = &o.name {
            if o.writes("name", "pattern") {
                self.name.pattern = n.pattern.clone();
            }
        }
        self.rules.extend(o.rules.iter().map(|(k, v)| (k.clone(), *v)));
    }
}

/// Compiles `name.pattern` as the `name-format` rule does, to report a bad one in the policy.
fn compile_name_pattern(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(pattern)
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

/// Turns an override glob into a globset pattern: a glob without `/` matches at any depth (as in
/// `.gitignore` and EditorConfig), a leading `/` or `./` anchors it at the policy's folder, and a
/// trailing `/` means everything below that folder.
fn file_glob_pattern(glob: &str) -> String {
    let mut g = glob.trim();
    while let Some(rest) = g.strip_prefix("./") {
        g = rest;
    }
    let anchored = g.starts_with('/') || glob.trim().starts_with("./");
    let g = g.trim_start_matches('/');
    let mut out = if !anchored && !g.trim_end_matches('/').contains('/') { format!("**/{g}") } else { g.to_string() };
    if out.ends_with('/') {
        out.push_str("**");
    }
    out
}

fn compile_file_glob(glob: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(&file_glob_pattern(glob)).literal_separator(true).backslash_escape(true).build()
}

fn compile_override_globs(files: &[String]) -> Option<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for f in files {
        b.add(compile_file_glob(f).ok()?);
    }
    b.build().ok()
}

/// Removes `.` and resolves `..` without touching the file system; `None` if it climbs above
/// the start of a relative path.
fn normalize_lexically(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => return None,
            },
            other => out.push(other),
        }
    }
    Some(out)
}

impl LoadedPolicy {
    /// The built-in default policy.
    pub fn builtin() -> LoadedPolicy {
        static B: OnceLock<LoadedPolicy> = OnceLock::new();
        B.get_or_init(|| LoadedPolicy::from_policy(builtin_default().clone(), None)).clone()
    }

    /// Wraps a policy (read from `path`, if any), preparing what `for_file` needs.
    pub fn from_policy(policy: Policy, path: Option<PathBuf>) -> LoadedPolicy {
        let mut base = EffectivePolicy {
            dialect: policy.dialect,
            tools: policy.tools.clone(),
            models: policy.models.clone(),
            sections: policy.sections.clone(),
            description: policy.description,
            name: policy.name.clone(),
            rules: policy.rules.clone(),
        };
        if policy.extends_default != Some(false) {
            base.sections = SectionsPolicy::merged_over(&policy.sections, &builtin_default().sections);
        }
        let mut roots = Vec::new();
        if let Some(dir) = path.as_deref().and_then(Path::parent) {
            let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
            let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
            if let Some(abs) = normalize_lexically(&abs) {
                roots.push(abs);
            }
            // Editors may hand over a file through a symlinked folder; the canonical folder
            // matches those paths too.
            if let Ok(canon) = std::fs::canonicalize(dir) {
                if !roots.contains(&canon) {
                    roots.push(canon);
                }
            }
        }
        let globs = policy.overrides.iter().map(|o| compile_override_globs(&o.files)).collect();
        LoadedPolicy {
            policy: Arc::new(policy),
            path,
            error: None,
            problems: Vec::new(),
            compiled: Arc::new(Compiled { base: Arc::new(base), roots, globs }),
        }
    }

    /// The file's path relative to the policy's folder; `None` when it lies outside.
    fn relative(&self, file: &Path) -> Option<PathBuf> {
        if file.is_absolute() {
            let file = normalize_lexically(file)?;
            self.compiled.roots.iter().find_map(|r| file.strip_prefix(r).ok().map(Path::to_path_buf))
        } else {
            normalize_lexically(file)
        }
    }

    /// The policy for one file: top level plus every override whose globs match, in order.
    /// `path` may be absolute or relative to the policy file's folder; a file outside that folder
    /// gets no override.
    pub fn for_file(&self, path: Option<&Path>) -> EffectivePolicy {
        EffectivePolicy::clone(&self.for_file_shared(path))
    }

    /// [`for_file`](Self::for_file) without copying: files that no override matches (most files,
    /// on every keystroke) share the merged top level instead of cloning its section lists.
    pub fn for_file_shared(&self, path: Option<&Path>) -> Arc<EffectivePolicy> {
        let Some(rel) = path.and_then(|p| self.relative(p)) else {
            return self.compiled.base.clone();
        };
        let candidate = globset::Candidate::new(&rel);
        let mut eff: Option<EffectivePolicy> = None;
        for (o, set) in self.policy.overrides.iter().zip(&self.compiled.globs) {
            if set.as_ref().is_some_and(|s| s.is_match_candidate(&candidate)) {
                eff.get_or_insert_with(|| EffectivePolicy::clone(&self.compiled.base)).apply(o);
            }
        }
        match eff {
            Some(mut eff) => {
                eff.sections.dedupe();
                Arc::new(eff)
            }
            None => self.compiled.base.clone(),
        }
    }
}

/// The built-in default policy (data file `data/default-policy.yaml`).
pub fn builtin_default() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        serde_yaml::from_str(include_str!("../data/default-policy.yaml"))
            .unwrap_or_else(|e| panic!("data/default-policy.yaml is invalid: {e}"))
    })
}

/// Walks up from `start` (a file or folder) to find `.agentls.yaml`.
pub fn find(start: &Path) -> Option<PathBuf> {
    find_within(start, None)
}

/// Like [`find`], but never looks above `root` (the language server's workspace folder), so the
/// server reads nothing outside the workspace.
pub fn find_within(start: &Path, root: Option<&Path>) -> Option<PathBuf> {
    let mut dir = if start.is_dir() { Some(start) } else { start.parent() };
    while let Some(d) = dir {
        if root.is_some_and(|r| !d.starts_with(r)) {
            return None;
        }
        let f = d.join(FILE_NAME);
        if f.is_file() {
            return Some(f);
        }
        dir = d.parent();
    }
    None
}

/// Like [`discover`], bounded by `root` (see [`find_within`]).
pub fn discover_within(start: &Path, root: Option<&Path>) -> LoadedPolicy {
    match find_within(start, root) {
        Some(f) => load(&f),
        None => LoadedPolicy::builtin(),
    }
}

/// Parses a policy file's text; the first error, if any.
pub fn parse(text: &str, path: Option<&Path>) -> Result<Policy, PolicyError> {
    match parse_all(text, path) {
        (Some(p), _) => Ok(p),
        (None, problems) => Err(problems
            .into_iter()
            .find(PolicyError::is_error)
            .unwrap_or_else(|| PolicyError::new(text, path, Severity::Error, 0..0, "the policy could not be read"))),
    }
}

/// Parses a policy file's text and checks it: the policy (`None` if there is any error) and every
/// problem found, in file order. YAML and type errors stop at the first; checks after parsing
/// (regexes, globs, rule codes, limits) report all.
pub fn parse_all(text: &str, path: Option<&Path>) -> (Option<Policy>, Vec<PolicyError>) {
    let err = |span: Span, msg: String| PolicyError::new(text, path, Severity::Error, span, msg);
    if text.len() as u64 > MAX_POLICY_BYTES {
        let msg = format!("the policy file is {} bytes; the limit is {MAX_POLICY_BYTES}", text.len());
        return (None, vec![err(0..0, msg)]);
    }
    // The tree comes first: it refuses alias bombs before serde would expand them, and it gives
    // the spans of values that fail the checks after parsing.
    let tree = match Tree::build(text) {
        Ok(t) => t,
        Err(e) => return (None, vec![err(e.span, e.message)]),
    };
    let empty = match tree.root {
        None => true,
        Some(r) => matches!(tree.scalar(r), Some("" | "~" | "null" | "Null" | "NULL")),
    };
    let policy = if empty {
        Policy::default()
    } else {
        match serde_yaml::from_str::<Policy>(text) {
            Ok(p) => p,
            Err(e) => {
                let (span, msg) = serde_error(&e, text, &tree);
                return (None, vec![err(span, msg)]);
            }
        }
    };
    let mut problems = validate(&policy, text, path, &tree);
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    let ok = !problems.iter().any(PolicyError::is_error);
    (ok.then_some(policy), problems)
}

/// serde_yaml's error as a message without its trailing position and the span of the token
/// it points at.
fn serde_error(e: &serde_yaml::Error, text: &str, tree: &Tree) -> (Span, String) {
    let mut msg = e.to_string();
    if let Some(loc) = e.location() {
        let suffix = format!(" at line {} column {}", loc.line(), loc.column());
        if msg.ends_with(&suffix) {
            msg.truncate(msg.len() - suffix.len());
        }
    }
    let at = floor_char_boundary(text, e.location().map_or(0, |l| l.index()));
    let span = tree.node_starting_at(at).unwrap_or_else(|| {
        let len =
            text[at..].find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}').unwrap_or(text.len() - at);
        at..at + len
    });
    (span, msg)
}

/// Checks serde cannot express, each reported on the offending value.
fn validate(p: &Policy, text: &str, path: Option<&Path>, tree: &Tree) -> Vec<PolicyError> {
    let mut out = Vec::new();
    let mut report = |sev: Severity, at: &[Seg], key: Option<&str>, msg: String| {
        let span = match key {
            Some(k) => tree.key_span(at, k),
            None => tree.span(at),
        };
        out.push(PolicyError::new(text, path, sev, span.unwrap_or(0..0), msg));
    };
    let mut scopes: Vec<(Vec<Seg<'static>>, Scope)> = vec![(
        Vec::new(),
        Scope {
            name: Some(&p.name),
            description: Some(&p.description),
            rules: &p.rules,
            sections: Some(&p.sections),
            tools: Some(&p.tools),
            models: Some(&p.models),
        },
    )];
    for (i, o) in p.overrides.iter().enumerate() {
        let at = vec![Seg::Key("overrides"), Seg::Index(i)];
        if o.files.is_empty() {
            report(Severity::Warning, &at, None, "this override has no `files` globs, so it applies to no file".into());
        }
        for (j, f) in o.files.iter().enumerate() {
            if let Err(e) = compile_file_glob(f) {
                let mut g = at.clone();
                g.extend([Seg::Key("files"), Seg::Index(j)]);
                report(Severity::Error, &g, None, format!("invalid glob `{f}`: {}", e.kind()));
            }
        }
        scopes.push((
            at,
            Scope {
                name: o.name.as_ref(),
                description: o.description.as_ref(),
                rules: &o.rules,
                sections: o.sections.as_ref(),
                tools: o.tools.as_ref(),
                models: o.models.as_ref(),
            },
        ));
    }
    for (at, s) in &scopes {
        let sub =
            |keys: &[Seg<'static>]| -> Vec<Seg<'static>> { at.iter().copied().chain(keys.iter().copied()).collect() };
        if let Some(pattern) = s.name.and_then(|n| n.pattern.as_deref()) {
            if let Err(e) = compile_name_pattern(pattern) {
                let msg = format!("`name.pattern` is not a valid regex: {}", regex_error_text(&e));
                report(Severity::Error, &sub(&[Seg::Key("name"), Seg::Key("pattern")]), None, msg);
            }
        }
        if let Some(DescriptionPolicy { min: Some(min), max: Some(max) }) = s.description {
            if min > max {
                let msg = format!("`description.min` ({min}) is greater than `description.max` ({max})");
                report(Severity::Error, &sub(&[Seg::Key("description"), Seg::Key("min")]), None, msg);
            }
        }
        for code in s.rules.keys() {
            if crate::registry::RuleCode::from_name(code).is_none() {
                report(Severity::Warning, &sub(&[Seg::Key("rules")]), Some(code), unknown_rule_message(code));
            }
        }
        if let Some(sections) = s.sections {
            for (list, specs) in
                [("required", &sections.required), ("recommended", &sections.recommended), ("known", &sections.known)]
            {
                for (i, spec) in specs.iter().enumerate() {
                    let here = sub(&[Seg::Key("sections"), Seg::Key(list), Seg::Index(i)]);
                    if spec.title.trim().is_empty() {
                        report(Severity::Error, &here, None, "a section needs a non-empty `title`".into());
                    }
                    if let Some(level) = spec.level.filter(|l| !(1..=6).contains(l)) {
                        let mut at = here.clone();
                        at.push(Seg::Key("level"));
                        report(Severity::Error, &at, None, format!("heading level {level} is not between 1 and 6"));
                    }
                }
            }
        }
        if let Some(tools) = s.tools {
            for (i, t) in tools.extra.iter().enumerate() {
                if t.name.trim().is_empty() {
                    let at = sub(&[Seg::Key("tools"), Seg::Key("extra"), Seg::Index(i)]);
                    report(Severity::Error, &at, None, "an extra tool needs a non-empty `name`".into());
                }
            }
        }
        if let Some(models) = s.models {
            for (i, m) in models.extra.iter().enumerate() {
                if m.id.trim().is_empty() {
                    let at = sub(&[Seg::Key("models"), Seg::Key("extra"), Seg::Index(i)]);
                    report(Severity::Error, &at, None, "an extra model needs a non-empty `id`".into());
                }
            }
        }
    }
    out
}

/// The parts of the top level or of an override that `validate` checks.
struct Scope<'a> {
    name: Option<&'a NamePolicy>,
    description: Option<&'a DescriptionPolicy>,
    rules: &'a BTreeMap<String, RuleLevel>,
    sections: Option<&'a SectionsPolicy>,
    tools: Option<&'a ToolsPolicy>,
    models: Option<&'a ModelsPolicy>,
}

fn unknown_rule_message(code: &str) -> String {
    let best = crate::registry::RuleCode::ALL
        .iter()
        .map(|r| (strsim::jaro_winkler(code, r.as_str()), r.as_str()))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, near)) => format!("unknown rule `{code}` (did you mean `{near}`?); this setting has no effect"),
        None => format!("unknown rule `{code}`; this setting has no effect (`agentls explain` lists the rules)"),
    }
}

/// A regex error on one line: the regex crate prints a multi-line picture of the pattern.
fn regex_error_text(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(s) => s
            .lines()
            .rev()
            .find(|l| l.starts_with("error:"))
            .map_or_else(|| s.clone(), |l| l["error:".len()..].trim().into()),
        other => other.to_string(),
    }
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
    let problem =
        |text: &str, span: Span, message: String| PolicyError::new(text, Some(path), Severity::Error, span, message);
    let fail = |problems: Vec<PolicyError>| LoadedPolicy {
        error: problems.iter().find(|p| p.is_error()).cloned(),
        problems,
        path: Some(path.to_path_buf()),
        ..LoadedPolicy::builtin()
    };
    // The size is checked before reading so that a huge file is never loaded into memory.
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_POLICY_BYTES => {
            let msg = format!("the policy file is {} bytes; the limit is {MAX_POLICY_BYTES}", m.len());
            return fail(vec![problem("", 0..0, msg)]);
        }
        Ok(_) => {}
        Err(e) => return fail(vec![problem("", 0..0, format!("cannot read the policy file: {e}"))]),
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return fail(vec![problem("", 0..0, format!("cannot read the policy file: {e}"))]),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            return fail(vec![problem(&valid, at..at + 1, "the policy file is not valid UTF-8".into())]);
        }
    };
    match parse_all(&text, Some(path)) {
        (Some(p), problems) => LoadedPolicy { problems, ..LoadedPolicy::from_policy(p, Some(path.to_path_buf())) },
        (None, problems) => fail(problems),
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

    #[test]
    fn file_globs_follow_gitignore_conventions() {
        assert_eq!(file_glob_pattern("*.agent.md"), "**/*.agent.md");
        assert_eq!(file_glob_pattern("/top.md"), "top.md");
        assert_eq!(file_glob_pattern("./top.md"), "top.md");
        assert_eq!(file_glob_pattern(".claude/agents/*.md"), ".claude/agents/*.md");
        assert_eq!(file_glob_pattern("legacy/"), "**/legacy/**");
        assert_eq!(file_glob_pattern(".factory/droids/"), ".factory/droids/**");
        let m = |g: &str, p: &str| compile_file_glob(g).unwrap().compile_matcher().is_match(p);
        assert!(m("*.agent.md", ".github/agents/x.agent.md"));
        assert!(m(".claude/agents/*.md", ".claude/agents/a.md"));
        assert!(!m(".claude/agents/*.md", ".claude/agents/sub/a.md"), "`*` does not cross folders");
        assert!(m(".claude/agents/**/*.md", ".claude/agents/sub/a.md"));
        assert!(!m("/top.md", "sub/top.md"));
    }

    #[test]
    fn lexical_normalization() {
        assert_eq!(normalize_lexically(Path::new("./a/../b/c.md")), Some(PathBuf::from("b/c.md")));
        assert_eq!(normalize_lexically(Path::new("../c.md")), None);
        assert_eq!(normalize_lexically(Path::new("a/../../c.md")), None);
    }

    #[test]
    fn titles_compare_loosely() {
        let s = SectionSpec { title: "Core Purpose".into(), aliases: vec!["Purpose".into()], ..Default::default() };
        assert!(s.matches("core  purpose:"));
        assert!(s.matches(" PURPOSE "));
        assert!(!s.matches("Core"));
    }

    #[test]
    fn user_sections_replace_default_ones_in_place() {
        let spec = |t: &str, doc: &str| SectionSpec { title: t.into(), doc: doc.into(), ..Default::default() };
        let default = SectionsPolicy {
            recommended: vec![spec("A", "default"), spec("B", "default"), spec("C", "default")],
            known: vec![spec("K", "default")],
            ..Default::default()
        };
        let user = SectionsPolicy {
            required: vec![spec("c", "user")],
            recommended: vec![spec("Z", "user"), spec("B", "user")],
            ..Default::default()
        };
        let m = SectionsPolicy::merged_over(&user, &default);
        let titles = |l: &[SectionSpec]| l.iter().map(|s| format!("{}:{}", s.title, s.doc)).collect::<Vec<_>>();
        assert_eq!(titles(&m.required), ["c:user"]);
        assert_eq!(titles(&m.recommended), ["A:default", "B:user", "Z:user"]);
        assert_eq!(titles(&m.known), ["K:default"]);
    }

    #[test]
    fn serde_error_keeps_message_without_position() {
        let (_, problems) = parse_all("tools:\n  deny: 3\n", None);
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].message.contains(" at line "), "{}", problems[0].message);
        assert_eq!((problems[0].line, problems[0].column), (2, 9));
        assert_eq!(problems[0].span, 15..16);
    }
}
