//! Resolution: one call turns a file's text and path into a parsed file, its dialect, the
//! effective catalog and policy. Pure: no I/O. The rules and `ide` read the result; `engine`
//! runs the rules over it.

use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::catalog::{self, Catalog};
use crate::dialect::{self, Detected, FileKind};
use crate::policy::{EffectivePolicy, LoadedPolicy};
use crate::syntax::{self, Entry, ParsedFile};
use crate::tools::ToolList;

/// What the caller (CLI or server) configures.
#[derive(Debug, Clone)]
pub struct Settings {
    pub policy: Arc<LoadedPolicy>,
    /// Forces the dialect (a server setting; beats the policy's `dialect`).
    pub dialect_override: Option<dialect::Dialect>,
    /// Tool names to treat as known in every dialect (a server setting).
    pub extra_tools: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { policy: Arc::new(LoadedPolicy::builtin()), dialect_override: None, extra_tools: Vec::new() }
    }
}

/// Everything the rules, completion and hover need to know about one file.
#[derive(Debug, Clone)]
pub struct Analysis<'t> {
    pub text: &'t str,
    /// Shared: the server keeps one parse per document version and lends it to every request.
    pub parsed: Arc<ParsedFile>,
    /// `None` when neither the path, the settings nor the content say which dialect this is.
    pub detected: Option<Detected>,
    /// The dialect's catalog with the policy's and settings' extra entries; `None` without a dialect.
    pub catalog: Option<Cow<'static, Catalog>>,
    /// Shared with the loaded policy unless an override applies to this file.
    pub policy: Arc<EffectivePolicy>,
    /// The file name without `.md` / `.agent.md` etc., when a path was given (a skill's folder name).
    pub file_stem: Option<String>,
    /// The file's path, when the caller gave one.
    pub path: Option<std::path::PathBuf>,
    /// Each tool-list key's value, read on first use (see [`Analysis::tool_list`]).
    tool_lists: OnceLock<Vec<(usize, ToolList)>>,
}

impl Analysis<'_> {
    /// The value of a frontmatter entry of this file whose key is one of the catalog's tool-list
    /// keys, read as the catalog's kind of file reads it ([`crate::tools::read_in`]). Read once per
    /// file: the rules, the effective tool set and the workspace facts all ask for it. `None` for
    /// another entry, or without a catalog.
    pub fn tool_list(&self, entry: &Entry) -> Option<&ToolList> {
        let lists = self.tool_lists.get_or_init(|| {
            let (Some(cat), Some(fm)) = (self.catalog.as_deref(), self.parsed.frontmatter.as_ref()) else {
                return Vec::new();
            };
            fm.entries()
                .iter()
                .filter(|e| e.key.as_str().is_some_and(|k| cat.is_tool_key(k)))
                .map(|e| (e.key.span.start, crate::tools::read_in(cat, e, self.text)))
                .collect()
        });
        lists.iter().find(|(at, _)| *at == entry.key.span.start).map(|(_, l)| l)
    }
}

/// Parses and resolves one file.
pub fn analyze<'t>(text: &'t str, path: Option<&Path>, settings: &Settings) -> Analysis<'t> {
    resolve(text, Arc::new(syntax::parse(text)), path, settings)
}

/// Resolves a file already parsed (`parsed` must be `syntax::parse(text)`), so a caller that keeps
/// the parse of an unchanged text (the language server, per document version) does not redo it.
pub fn resolve<'t>(text: &'t str, parsed: Arc<ParsedFile>, path: Option<&Path>, settings: &Settings) -> Analysis<'t> {
    let policy = settings.policy.for_file_shared(path);
    let forced = settings.dialect_override.or(policy.dialect);
    let detected = match forced {
        Some(d) => {
            let kind = path.and_then(dialect::detect_by_path).map_or(FileKind::Agent, |x| x.kind);
            Some(Detected { dialect: d, kind, by_path: true })
        }
        None => dialect::detect(path, text),
    };
    // Overrides by kind (`overrides[].kinds`) need the kind, known only now.
    let policy = match detected {
        Some(d) if settings.policy.has_kind_overrides() => settings.policy.for_file_kind(path, Some(d.kind)),
        _ => policy,
    };
    let catalog = detected.map(|d| {
        let base = catalog::builtin_for(d.dialect, d.kind);
        let mut tools = policy.extra_tools(d.dialect);
        tools.extend(settings.extra_tools.iter().map(|n| catalog::ToolSpec {
            name: n.clone(),
            doc: "Declared in the editor settings.".into(),
            source: Some("settings".into()),
            ..Default::default()
        }));
        let models = policy.extra_models(d.dialect);
        if tools.is_empty() && models.is_empty() {
            Cow::Borrowed(base)
        } else {
            let mut c = base.clone();
            c.extend(&tools, &models);
            Cow::Owned(c)
        }
    });
    let file_stem = path.and_then(|p| p.file_name()).and_then(|n| n.to_str()).map(|n| {
        let lower = n.to_ascii_lowercase();
        let cut = [".agent.md", ".prompt.md", ".chatmode.md", ".md"]
            .iter()
            .find(|s| lower.ends_with(*s))
            .map_or(0, |s| s.len());
        n[..n.len() - cut].to_string()
    });
    // A skill is named by its folder: `.claude/skills/pdf/SKILL.md` is `pdf`.
    let file_stem = match detected.map(|d| d.kind) {
        Some(FileKind::Skill) => path
            .and_then(|p| p.parent())
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .map(str::to_string)
            .or(file_stem),
        _ => file_stem,
    };
    Analysis {
        text,
        parsed,
        detected,
        catalog,
        policy,
        file_stem,
        path: path.map(Path::to_path_buf),
        tool_lists: OnceLock::new(),
    }
}
