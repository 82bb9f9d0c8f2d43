//! Checks serde cannot express (regexes, globs, rule codes, limits, empty titles), and
//! [`PolicyError`], a problem located in the policy file by byte span, line and column.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::glob::compile_file_glob;
use super::load::FILE_NAME;
use super::schema::{DescriptionPolicy, ModelsPolicy, NamePolicy, Policy, RuleLevel, SectionsPolicy, ToolsPolicy};
use super::tree::{Seg, Tree};
use crate::diagnostic::{Severity, Span};

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
    pub(super) fn new(
        text: &str,
        path: Option<&Path>,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = crate::text::line_column_1based(text, span.start);
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

/// Compiles `name.pattern` as the `name-format` rule does, to report a bad one in the policy.
fn compile_name_pattern(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(pattern)
}

/// Checks serde cannot express, each reported on the offending value.
pub(super) fn validate(p: &Policy, text: &str, path: Option<&Path>, tree: &Tree) -> Vec<PolicyError> {
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
        if o.files.is_empty() && o.kinds.is_empty() {
            report(
                Severity::Warning,
                &at,
                None,
                "this override has no `files` globs nor `kinds`, so it applies to no file".into(),
            );
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
    let known = crate::catalog::products();
    for (product, version) in &p.products {
        if !known.contains(&product.as_str()) {
            let ids = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let msg = format!("unknown product `{product}` (expected one of {ids}); this setting has no effect");
            report(Severity::Warning, &[Seg::Key("products")], Some(product), msg);
        } else if crate::catalog::parse_version(version).is_none() {
            let msg =
                format!("`{version}` is not a version such as \"2.1.200\"; the newest facts apply to `{product}`");
            report(Severity::Warning, &[Seg::Key("products"), Seg::Key(product)], None, msg);
        }
    }
    for (i, d) in p.portable_to.iter().enumerate() {
        if crate::dialect::Dialect::from_id(d).is_none() {
            let msg = format!(
                "unknown dialect `{d}` in `portable_to` (expected claude, factory, copilot or opencode); it is ignored"
            );
            report(Severity::Warning, &[Seg::Key("portable_to"), Seg::Index(i)], None, msg);
        }
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
