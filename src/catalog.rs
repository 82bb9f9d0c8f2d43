//! Catalogs: what each dialect accepts (frontmatter keys, tools, tool categories, MCP tool name
//! patterns, models), loaded from the data files in `data/catalogs/` that are compiled into the
//! binary. A policy can add or override entries; see [`Catalog::extend`].

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::dialect::{Dialect, FileKind};

/// The type a frontmatter value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ValueType {
    #[default]
    String,
    Boolean,
    Integer,
    Number,
    /// One of `values`.
    Enum,
    /// A list of strings.
    StringList,
    /// A string or a list of strings.
    StringOrList,
    /// A mapping.
    Map,
    /// A list of mappings or strings.
    List,
    /// The `tools` key: its accepted shapes are given by [`Catalog::tools_forms`].
    Tools,
    /// A model id or alias (Copilot also takes a list).
    Model,
    /// Anything.
    Any,
}

impl ValueType {
    /// The type in words, for hover and completion ("list of strings"); the one place that names
    /// a value type (see [`ValueType::expected`] for messages and [`Catalog::type_label`] for `tools`).
    pub fn label(self) -> &'static str {
        match self {
            ValueType::String => "string",
            ValueType::Boolean => "boolean",
            ValueType::Integer => "integer",
            ValueType::Number => "number",
            ValueType::Enum => "one of its values",
            ValueType::StringList => "list of strings",
            ValueType::StringOrList => "string or list of strings",
            ValueType::Map => "mapping",
            ValueType::List => "list",
            ValueType::Tools => "tools",
            ValueType::Model => "model id or alias",
            ValueType::Any => "any",
        }
    }

    /// What a value of this type is, after "expects" in a message ("a list of strings").
    pub fn expected(self) -> String {
        match self {
            ValueType::Boolean => "`true` or `false`".into(),
            ValueType::Integer => "a whole number".into(),
            ValueType::Enum | ValueType::Any => self.label().into(),
            t => format!("a {}", t.label()),
        }
    }
}

impl ToolsForm {
    /// The shape in words, with an example, for messages and hover.
    pub fn describe(self) -> &'static str {
        match self {
            ToolsForm::FlowList => "a list (`[\"Read\", \"Grep\"]`)",
            ToolsForm::BlockList => "a block list (`- Read` lines)",
            ToolsForm::CommaString => "a comma-separated string (`Read, Grep`)",
            ToolsForm::Category => "a category name",
            ToolsForm::Map => "a mapping of tool to true/false",
            ToolsForm::SpaceString => "a space-separated string (`Read Grep`)",
        }
    }
}

/// Whether an entry is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Current,
    /// Still accepted, but a replacement exists.
    Deprecated,
    /// No longer accepted by the loader.
    Removed,
    /// Exists in the product, but the loader refuses it in this kind of file.
    Unavailable,
}

/// One frontmatter key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct KeySpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ValueType,
    pub required: bool,
    /// Allowed values for `enum` (also used for completion of other types).
    pub values: Vec<String>,
    /// Doc text for each value, by value.
    pub value_docs: HashMap<String, String>,
    /// Regex a string value must match.
    pub pattern: Option<String>,
    /// Markdown shown on hover and in completion.
    pub doc: String,
    pub status: Status,
    /// The key to use instead (for deprecated or removed keys).
    pub replacement: Option<String>,
    /// Version or date since when the status holds (before it, the entry counts as current).
    pub since: Option<String>,
    /// The product version that introduced the key; a team on an older version does not have it.
    pub added: Option<String>,
    /// Which file kinds take this key; empty means all.
    pub kinds: Vec<String>,
    /// Where this fact comes from.
    pub source: Option<String>,
    /// Snippet inserted after `key: ` on completion, in LSP snippet syntax.
    pub snippet: Option<String>,
}

/// One tool name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ToolSpec {
    pub name: String,
    pub doc: String,
    /// A dialect's category this tool belongs to (Factory's `read-only`, Copilot's `edit`, ...).
    pub category: Option<String>,
    /// A dialect-neutral concept (`shell`, `read-file`, `web-fetch`, ...), used to map a tool of one
    /// dialect to its equivalent in another.
    pub concept: Option<String>,
    pub status: Status,
    pub replacement: Option<String>,
    /// Product version or date since when the status holds (before it, the tool counts as current).
    pub since: Option<String>,
    /// The product version that introduced the tool; a team on an older version does not have it.
    pub added: Option<String>,
    /// Why the tool is deprecated, removed or unavailable.
    pub reason: Option<String>,
    /// Other spellings the loader accepts (matched case-insensitively when the dialect's tool names are).
    pub aliases: Vec<String>,
    /// True when the loader gives the tool to every agent, listed or not (Factory's `TodoWrite`).
    pub always_granted: bool,
    pub source: Option<String>,
}

/// A named group of tools that a dialect accepts in place of a list (Factory's `read-only`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CategorySpec {
    pub name: String,
    pub doc: String,
    pub tools: Vec<String>,
}

/// How MCP tool names are written in a dialect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct McpSpec {
    /// Regexes of well-formed MCP tool names (any one matches).
    pub patterns: Vec<String>,
    /// A prefix or marker that makes a name look like an MCP tool (used to report malformed ones),
    /// e.g. `mcp__` or `___`.
    pub markers: Vec<String>,
    /// The completion template, e.g. `mcp__${1:server}__${2:tool}`.
    pub snippet: Option<String>,
    pub doc: String,
}

/// One model id or alias.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ModelSpec {
    pub id: String,
    pub doc: String,
    /// True for aliases like `sonnet` or `inherit`.
    pub alias: bool,
    pub status: Status,
    pub replacement: Option<String>,
    /// Product version or date since when the status holds (a retirement date, say).
    pub since: Option<String>,
    /// The product version that first offered the model.
    pub added: Option<String>,
    /// Reasoning-effort values the model takes; empty means unknown (not checked).
    pub reasoning: Vec<String>,
    pub source: Option<String>,
}

/// The shapes a dialect's `tools` value may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolsForm {
    /// `["Read", "Grep"]`
    FlowList,
    /// `- Read` lines
    BlockList,
    /// `Read, Grep`
    CommaString,
    /// A single category name (`read-only`).
    Category,
    /// `{ bash: true }` (OpenCode, deprecated).
    Map,
    /// `Read Grep Bash(git diff:*)`: names separated by spaces (the Agent Skills standard's
    /// `allowed-tools`); where a kind accepts it, commas separate too.
    SpaceString,
}

/// Everything known about one dialect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Catalog {
    pub dialect: String,
    /// The product whose versions `since` and `added` count in, as the policy's `products` names it
    /// (`claude-code`, `factory`, `vscode`, `opencode`).
    pub product: String,
    /// The date the catalog was last checked against the vendor, `YYYY-MM-DD`.
    pub updated: String,
    /// Where the facts come from, with dates.
    pub sources: Vec<String>,
    /// True when tool names are matched case-insensitively (Copilot).
    pub tools_case_insensitive: bool,
    /// Accepted shapes of `tools`.
    pub tools_forms: Vec<ToolsForm>,
    /// Keys whose values are tool lists (e.g. `tools`, `disallowedTools`).
    pub tool_keys: Vec<String>,
    pub keys: Vec<KeySpec>,
    pub tools: Vec<ToolSpec>,
    pub categories: Vec<CategorySpec>,
    pub mcp: McpSpec,
    pub models: Vec<ModelSpec>,
    /// Regexes of model ids accepted without being listed (e.g. `^custom:.+`, `^[a-z0-9-]+/.+`).
    pub model_patterns: Vec<String>,
    /// Description length limit in characters, if the dialect has one.
    pub description_max: Option<usize>,
    /// Regex for `name`, if the dialect has one.
    pub name_pattern: Option<String>,
    /// True when the loader ties `name` to the file name.
    pub name_matches_file: bool,
    /// True when the body must not be empty.
    pub body_required: bool,
    /// The file kind this catalog describes (`skill`, `command`, ...); empty for the agent
    /// catalogs of `data/catalogs/<dialect>.yaml`, whose keys say their kinds.
    pub kind: String,
    /// Where the product loads such files from (for hover and documentation).
    pub paths: Vec<String>,
    /// The most characters `name` may have, if the product limits it.
    pub name_max: Option<usize>,
    /// True when the product refuses or skips a file without `name`.
    pub name_required: bool,
    /// True when the product refuses or skips a file without `description`.
    pub description_required: bool,
    /// True when tools may carry a permission pattern (`Bash(git diff:*)`).
    pub tool_patterns: bool,
    /// For a kind catalog: true when the product skips a file without frontmatter (agent
    /// catalogs: always, see the `missing-frontmatter` rule).
    pub frontmatter_required: bool,
    /// What the loader does with the body (arguments, shell injection, imports, ...).
    pub body_features: Vec<BodyFeature>,
    /// True when agentls has no key list for this kind of file in this product: unknown keys are
    /// then not reported (a false "unknown key" costs more than a missed one).
    pub open_keys: bool,
}

/// One thing a product does with a file's body, by id: `arguments` (`$ARGUMENTS`), `positional`
/// (`$1`), `named-arguments`, `shell-injection` (`` !`cmd` ``), `file-references` (`@path`),
/// `skill-dir`, `imports` (`@path` in memory files), `relative-links`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct BodyFeature {
    pub id: String,
    pub doc: String,
    pub source: Option<String>,
}

/// A per-kind catalog file (`data/catalogs/kinds/<dialect>-<kind>.yaml`): the keys and limits of
/// one kind of file in one product. Its tools and models are the dialect's.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct KindFile {
    dialect: String,
    kind: String,
    product: String,
    updated: String,
    sources: Vec<String>,
    paths: Vec<String>,
    paths_source: Option<String>,
    name_pattern: Option<String>,
    name_max: Option<usize>,
    name_required: bool,
    name_matches_folder: bool,
    description_required: bool,
    description_max: Option<usize>,
    frontmatter_required: bool,
    tool_keys: Vec<String>,
    tools_forms: Vec<ToolsForm>,
    tool_patterns: bool,
    body_features: Vec<BodyFeature>,
    keys: Vec<KeySpec>,
    /// Free-form notes (what the loader does with a bad file, where vendors disagree).
    notes: Option<serde_yaml::Value>,
}

mod kind_files {
    include!(concat!(env!("OUT_DIR"), "/kind_catalogs.rs"));
}

/// The catalog of one kind of file in a dialect: for agents, prompts and chat modes the dialect's
/// catalog; for skills, commands, instructions and memory files the dialect's tools and models with
/// the keys and limits of `data/catalogs/kinds/<dialect>-<kind>.yaml` (no keys when there is none).
pub fn builtin_for(d: Dialect, kind: FileKind) -> &'static Catalog {
    if matches!(kind, FileKind::Agent | FileKind::Prompt | FileKind::ChatMode) {
        return builtin(d);
    }
    static KINDS: OnceLock<HashMap<(Dialect, FileKind), Catalog>> = OnceLock::new();
    let all = KINDS.get_or_init(|| {
        let mut m = HashMap::new();
        let files: Vec<KindFile> = kind_files::KIND_CATALOGS
            .iter()
            .map(|(stem, src)| {
                serde_yaml::from_str(src).unwrap_or_else(|e| panic!("built-in kind catalog {stem} is invalid: {e}"))
            })
            .collect();
        // The open standard's limits (`agentskills-standard.yaml`, dialect `any`) hold for a skill
        // wherever its product sets none: another product reading the same folder may enforce them.
        let standard = files.iter().find(|f| f.dialect == "any" && f.kind == "skill").cloned();
        for mut f in files {
            let (Some(dialect), Some(k)) = (Dialect::from_id(&f.dialect), FileKind::from_id(&f.kind)) else {
                continue;
            };
            if let (FileKind::Skill, Some(std)) = (k, &standard) {
                f.name_pattern = f.name_pattern.or_else(|| std.name_pattern.clone());
                f.name_matches_folder |= std.name_matches_folder;
            }
            m.insert((dialect, k), overlay(builtin(dialect), f));
        }
        for dialect in Dialect::ALL {
            for k in [FileKind::Skill, FileKind::Command, FileKind::Instructions, FileKind::Memory] {
                m.entry((dialect, k)).or_insert_with(|| {
                    overlay(builtin(dialect), KindFile { kind: k.id().into(), ..Default::default() })
                });
            }
        }
        m
    });
    &all[&(d, kind)]
}

/// The dialect's catalog with a kind file's keys and limits in place of the agent ones.
fn overlay(base: &Catalog, f: KindFile) -> Catalog {
    let mut sources = f.sources;
    sources.extend(f.paths_source);
    Catalog {
        dialect: base.dialect.clone(),
        product: if f.product.is_empty() { base.product.clone() } else { f.product },
        updated: if f.updated.is_empty() { base.updated.clone() } else { f.updated },
        sources,
        tools_case_insensitive: base.tools_case_insensitive,
        tools_forms: f.tools_forms,
        tool_keys: f.tool_keys,
        keys: f.keys,
        tools: base.tools.clone(),
        categories: base.categories.clone(),
        mcp: base.mcp.clone(),
        models: base.models.clone(),
        model_patterns: base.model_patterns.clone(),
        description_max: f.description_max,
        name_pattern: f.name_pattern,
        name_matches_file: f.name_matches_folder,
        body_required: false,
        kind: f.kind,
        paths: f.paths,
        name_max: f.name_max,
        name_required: f.name_required,
        description_required: f.description_required,
        tool_patterns: f.tool_patterns,
        frontmatter_required: f.frontmatter_required,
        body_features: f.body_features,
        open_keys: false,
    }
}

impl Catalog {
    /// True when the product does something with `feature` in this kind's body (see [`BodyFeature`]).
    pub fn has_body_feature(&self, feature: &str) -> bool {
        self.body_features.iter().any(|f| f.id == feature)
    }
}

const BUILTIN: [(&str, &str); 4] = [
    ("claude", include_str!("../data/catalogs/claude.yaml")),
    ("factory", include_str!("../data/catalogs/factory.yaml")),
    ("copilot", include_str!("../data/catalogs/copilot.yaml")),
    ("opencode", include_str!("../data/catalogs/opencode.yaml")),
];

/// The built-in catalog of a dialect, parsed once.
pub fn builtin(d: Dialect) -> &'static Catalog {
    static ALL: OnceLock<Vec<Catalog>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|(name, src)| {
                serde_yaml::from_str(src).unwrap_or_else(|e| panic!("built-in catalog {name} is invalid: {e}"))
            })
            .collect()
    });
    &all[Dialect::ALL.iter().position(|x| *x == d).expect("dialect in ALL")]
}

impl Catalog {
    pub fn key(&self, name: &str) -> Option<&KeySpec> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// Looks a tool up by name or alias, honouring the dialect's case rule.
    pub fn tool(&self, name: &str) -> Option<&ToolSpec> {
        let eq = |a: &str| if self.tools_case_insensitive { a.eq_ignore_ascii_case(name) } else { a == name };
        self.tools.iter().find(|t| eq(&t.name)).or_else(|| self.tools.iter().find(|t| t.aliases.iter().any(|a| eq(a))))
    }

    pub fn category(&self, name: &str) -> Option<&CategorySpec> {
        self.categories.iter().find(|c| c.name == name)
    }

    pub fn model(&self, id: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The current tool of this dialect that stands for `concept`.
    pub fn tool_for_concept(&self, concept: &str) -> Option<&ToolSpec> {
        self.tools.iter().find(|t| t.concept.as_deref() == Some(concept) && t.status == Status::Current)
    }

    /// A key's type in words; for `tools`, the shapes this dialect accepts.
    pub fn type_label(&self, ty: ValueType) -> String {
        if ty != ValueType::Tools {
            return ty.label().to_string();
        }
        let forms: Vec<&str> = self.tools_forms.iter().map(|f| f.describe()).collect();
        format!("tools: {}", forms.join(", "))
    }

    pub fn is_tool_key(&self, key: &str) -> bool {
        self.tool_keys.iter().any(|k| k == key)
    }

    /// Adds or replaces entries (by name or id) from `other`: how a policy extends a catalog.
    pub fn extend(&mut self, tools: &[ToolSpec], models: &[ModelSpec]) {
        for t in tools {
            match self.tools.iter_mut().find(|x| x.name == t.name) {
                Some(x) => *x = t.clone(),
                None => self.tools.push(t.clone()),
            }
        }
        for m in models {
            match self.models.iter_mut().find(|x| x.id == m.id) {
                Some(x) => *x = m.clone(),
                None => self.models.push(m.clone()),
            }
        }
    }
}

/// A product version as the catalogs, the conditions and the policy write it (`2.1.200`,
/// `v2.1.200`, `1.107`), as numbers. Anything else (a date such as `2026-08-17`, a word) is `None`:
/// it cannot be compared with a version.
pub fn parse_version(s: &str) -> Option<Vec<u64>> {
    let s = s.trim();
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    if s.is_empty() {
        return None;
    }
    s.split('.')
        .map(|part| if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) { part.parse().ok() } else { None })
        .collect()
}

/// Compares two product versions, `1.107` and `1.107.0` being equal; `None` when either is not a
/// version (see [`parse_version`]).
pub fn compare_versions(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let (a, b) = (parse_version(a)?, parse_version(b)?);
    let n = a.len().max(b.len());
    let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    Some((0..n).map(|i| at(&a, i).cmp(&at(&b, i))).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal))
}

/// What a catalog entry (or a condition) is for a team that runs `stated`, the product version its
/// policy gives (`products:`), knowing the version the entry was `added` in and the version `since`
/// when its status holds. The one place that compares a stated version with a fact's versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtVersion {
    /// The stated version is older than `added`: the team's product does not have the entry.
    NotYet,
    /// The stated version is older than `since`: the entry is still current for the team.
    Before,
    /// No stated version, a version at or after `since`, or versions that cannot be compared (a
    /// date): the newest facts apply.
    Holds,
}

pub fn at_version(added: Option<&str>, since: Option<&str>, stated: Option<&str>) -> AtVersion {
    use std::cmp::Ordering::Less;
    let Some(stated) = stated else { return AtVersion::Holds };
    if added.and_then(|a| compare_versions(stated, a)) == Some(Less) {
        return AtVersion::NotYet;
    }
    if since.and_then(|s| compare_versions(stated, s)) == Some(Less) {
        return AtVersion::Before;
    }
    AtVersion::Holds
}

impl Status {
    /// The status that holds for a team on `stated` (before `since`, every status is current).
    pub fn at(self, since: Option<&str>, stated: Option<&str>) -> Status {
        match at_version(None, since, stated) {
            AtVersion::Before => Status::Current,
            _ => self,
        }
    }
}

/// The products whose versions the catalogs count in (`claude-code`, `factory`, `vscode`,
/// `opencode`): the keys a policy's `products:` may give.
pub fn products() -> Vec<&'static str> {
    Dialect::ALL.iter().map(|d| builtin(*d).product.as_str()).collect()
}

/// A product's name in messages: `Claude Code` for `claude-code`.
pub fn product_name(id: &str) -> &str {
    match id {
        "claude-code" => "Claude Code",
        "factory" => "Factory",
        "vscode" => "VS Code",
        "opencode" => "OpenCode",
        "github-copilot" => "GitHub Copilot",
        other => other,
    }
}

#[cfg(test)]
mod version_tests {
    use super::*;
    use std::cmp::Ordering::*;

    #[test]
    fn versions_compare_by_number() {
        assert_eq!(parse_version("v2.1.200"), Some(vec![2, 1, 200]));
        assert_eq!(parse_version("1.107"), Some(vec![1, 107]));
        assert_eq!(parse_version("2026-08-17"), None);
        assert_eq!(parse_version("2.1.x"), None);
        assert_eq!(parse_version(""), None);
        assert_eq!(compare_versions("2.1.200", "v2.1.233"), Some(Less));
        assert_eq!(compare_versions("2.1.63", "2.1.200"), Some(Less), "numbers, not text");
        assert_eq!(compare_versions("1.107", "1.107.0"), Some(Equal));
        assert_eq!(compare_versions("0.225.2", "0.225.10"), Some(Less));
        assert_eq!(compare_versions("2.2", "2.1.999"), Some(Greater));
        assert_eq!(compare_versions("2.1.200", "2026-08-17"), None);
    }

    #[test]
    fn a_stated_version_selects_the_facts() {
        // No stated version: the newest facts.
        assert_eq!(at_version(Some("v2.1.224"), Some("v2.1.233"), None), AtVersion::Holds);
        // Older than `added`: the team does not have the entry.
        assert_eq!(at_version(Some("v2.1.224"), None, Some("2.1.200")), AtVersion::NotYet);
        // Between `added` and `since`: still current.
        assert_eq!(at_version(Some("v2.1.100"), Some("v2.1.233"), Some("2.1.200")), AtVersion::Before);
        // At `since`: the status holds.
        assert_eq!(at_version(None, Some("v2.1.233"), Some("2.1.233")), AtVersion::Holds);
        // A date cannot be compared with a version: the newest facts apply.
        assert_eq!(at_version(None, Some("2026-02-17"), Some("1.107")), AtVersion::Holds);
        assert_eq!(Status::Deprecated.at(Some("v2.1.142"), Some("2.1.100")), Status::Current);
        assert_eq!(Status::Deprecated.at(Some("v2.1.142"), Some("2.1.142")), Status::Deprecated);
        assert_eq!(Status::Removed.at(None, Some("2.1.100")), Status::Removed);
    }
}
