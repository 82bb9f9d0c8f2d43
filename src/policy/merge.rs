//! How a policy applies to one file: the top level merged over the built-in default sections,
//! then every matching override's written fields, recorded as typed [`Written`] flags.

use crate::dialect::FileKind;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use globset::GlobSet;

use super::glob::{compile_override_globs, glob_any, normalize_lexically};
use super::load::builtin_default;
use super::schema::{
    DescriptionPolicy, ModelsPolicy, NamePolicy, Override, Policy, RuleLevel, SectionSpec, SectionsPolicy, ToolsPolicy,
};
use super::validate::PolicyError;
use crate::catalog::{ModelSpec, ToolSpec};
use crate::dialect::Dialect;
use crate::syntax::titles::normalize_title;

/// Which fields of each group an override wrote in its file. A group left `None` is one the
/// override did not record (it was built in code): if the override's group is `Some`, all of
/// its fields replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Written {
    pub tools: Option<ListsWritten>,
    pub models: Option<ListsWritten>,
    pub sections: Option<SectionsWritten>,
    pub description: Option<DescriptionWritten>,
    pub name: Option<NameWritten>,
}

/// The fields of `tools` or `models` an override wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListsWritten {
    pub deny: bool,
    pub allow: bool,
    pub extra: bool,
}

/// The fields of `sections` an override wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SectionsWritten {
    pub required: bool,
    pub recommended: bool,
    pub known: bool,
}

/// The fields of `description` an override wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DescriptionWritten {
    pub min: bool,
    pub max: bool,
}

/// The fields of `name` an override wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NameWritten {
    pub pattern: bool,
}

impl ListsWritten {
    const ALL: ListsWritten = ListsWritten { deny: true, allow: true, extra: true };
}

impl SectionsWritten {
    const ALL: SectionsWritten = SectionsWritten { required: true, recommended: true, known: true };
}

impl DescriptionWritten {
    const ALL: DescriptionWritten = DescriptionWritten { min: true, max: true };
}

impl NameWritten {
    const ALL: NameWritten = NameWritten { pattern: true };
}

/// Replaces `to` with `from` when the override wrote that field.
fn set<T: Clone>(written: bool, to: &mut T, from: &T) {
    if written {
        to.clone_from(from);
    }
}

impl SectionsPolicy {
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
    /// The product versions the team runs, by product id (`claude-code`, `vscode`...).
    pub products: BTreeMap<String, String>,
    /// True when an override selecting this file's kind (`overrides[].kinds`) set `sections`: the
    /// section rules then apply to a skill, command or other non-agent file (they never do by
    /// default: sections are a convention of agent prompts).
    pub kind_sections: bool,
    /// The dialects every agent must also run on (`portable_to:`).
    pub portable_to: Vec<Dialect>,
}

impl EffectivePolicy {
    /// The version of `product` the team runs, if the policy says.
    pub fn product_version(&self, product: &str) -> Option<&str> {
        self.products.get(product).map(String::as_str)
    }

    /// The configured level of a rule, if the policy sets one.
    pub fn rule_level(&self, code: crate::registry::RuleCode) -> Option<RuleLevel> {
        self.rules.get(code.as_str()).copied()
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
            let w = o.written.tools.unwrap_or(ListsWritten::ALL);
            set(w.deny, &mut self.tools.deny, &t.deny);
            set(w.allow, &mut self.tools.allow, &t.allow);
            set(w.extra, &mut self.tools.extra, &t.extra);
        }
        if let Some(m) = &o.models {
            let w = o.written.models.unwrap_or(ListsWritten::ALL);
            set(w.deny, &mut self.models.deny, &m.deny);
            set(w.allow, &mut self.models.allow, &m.allow);
            set(w.extra, &mut self.models.extra, &m.extra);
        }
        if let Some(s) = &o.sections {
            let w = o.written.sections.unwrap_or(SectionsWritten::ALL);
            set(w.required, &mut self.sections.required, &s.required);
            set(w.recommended, &mut self.sections.recommended, &s.recommended);
            set(w.known, &mut self.sections.known, &s.known);
        }
        if let Some(d) = &o.description {
            let w = o.written.description.unwrap_or(DescriptionWritten::ALL);
            set(w.min, &mut self.description.min, &d.min);
            set(w.max, &mut self.description.max, &d.max);
        }
        if let Some(n) = &o.name {
            let w = o.written.name.unwrap_or(NameWritten::ALL);
            set(w.pattern, &mut self.name.pattern, &n.pattern);
        }
        self.rules.extend(o.rules.iter().map(|(k, v)| (k.clone(), *v)));
    }
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
            products: policy.products.clone(),
            kind_sections: false,
            portable_to: policy.portable_to.iter().filter_map(|d| Dialect::from_id(d)).collect(),
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
        self.for_file_kind(path, None)
    }

    /// True when an override selects files by kind (`overrides[].kinds`), so that the policy of a
    /// file depends on its detected kind.
    pub fn has_kind_overrides(&self) -> bool {
        self.policy.overrides.iter().any(|o| !o.kinds.is_empty())
    }

    /// The policy of a file of `kind`: overrides apply when their `files` globs match the path (or
    /// they have none) and their `kinds` list the kind (or they have none). Without a kind, only
    /// overrides without `kinds` apply.
    pub fn for_file_kind(&self, path: Option<&Path>, kind: Option<FileKind>) -> Arc<EffectivePolicy> {
        let rel = path.and_then(|p| self.relative(p));
        if rel.is_none() && !self.has_kind_overrides() {
            return self.compiled.base.clone();
        }
        let candidate = rel.as_ref().map(globset::Candidate::new);
        let mut eff: Option<EffectivePolicy> = None;
        for (o, set) in self.policy.overrides.iter().zip(&self.compiled.globs) {
            let by_files = match (&candidate, set) {
                _ if o.files.is_empty() => !o.kinds.is_empty(),
                (Some(c), Some(s)) => s.is_match_candidate(c),
                _ => false,
            };
            let by_kind = o.kinds.is_empty() || kind.is_some_and(|k| o.kinds.contains(&k));
            if by_files && by_kind {
                let e = eff.get_or_insert_with(|| EffectivePolicy::clone(&self.compiled.base));
                e.apply(o);
                e.kind_sections |= !o.kinds.is_empty() && o.sections.is_some();
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn an_override_records_and_replaces_only_the_fields_it_writes() {
        let text = "\
tools: { deny: [Bash], allow: [Read] }
description: { min: 5, max: 50 }
overrides:
  - files: [x.md]
    tools: { deny: [] }
    description: { max: null }
";
        let p = crate::policy::parse(text, None).unwrap();
        let w = p.overrides[0].written;
        assert_eq!(w.tools, Some(ListsWritten { deny: true, allow: false, extra: false }));
        assert_eq!(w.description, Some(DescriptionWritten { min: false, max: true }));
        assert_eq!((w.models, w.sections, w.name), (None, None, None));
        let eff = LoadedPolicy::from_policy(p, None).for_file(Some(Path::new("x.md")));
        assert!(eff.tools.deny.is_empty());
        assert_eq!(eff.tools.allow.as_deref(), Some(&["Read".to_string()][..]));
        assert_eq!((eff.description.min, eff.description.max), (Some(5), None));
    }
}
