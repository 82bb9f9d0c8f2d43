//! The results of a `check` run and their renderings: text for people, JSON for scripts,
//! SARIF for code-scanning services, workflow commands for GitHub Actions logs. Renderers are pure: they turn a [`Report`] into a string.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use crate::diagnostic::{Diagnostic, Severity};

/// One file that has diagnostics, with its text (needed to turn byte spans into positions).
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given or walked, with `/` separators.
    pub path: String,
    pub text: String,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// A file that could not be checked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// Everything a renderer prints.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Only files with diagnostics, sorted by path.
    pub files: Vec<FileReport>,
    /// Sorted by path.
    pub skipped: Vec<Skipped>,
    /// Agent files read and checked (a broken policy file is reported but not counted).
    pub files_checked: usize,
    /// Fixes applied by `--fix`; `None` when fixing was not asked for.
    pub fixes_applied: Option<usize>,
    /// The texts of files that cross-file findings point to (`related`) but that have no
    /// findings of their own, to turn their spans into positions.
    pub texts: std::collections::BTreeMap<String, String>,
}

impl Report {
    /// The text of a file of the report (its own, or one a finding relates to).
    pub fn text_of(&self, path: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.text.as_str())
            .or_else(|| self.texts.get(path).map(String::as_str))
    }
}

impl Report {
    pub fn diagnostics(&self) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
        self.files.iter().flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics().filter(|(_, d)| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// The fixes `--fix` would apply for a diagnostic.
pub use crate::fix::safe_fixes;

#[cfg(test)]
pub(crate) mod fixtures {
    //! A hand-built report shared by the renderer snapshots, since the rules are not written yet.

    use super::*;
    use crate::diagnostic::{Fix, RuleCode, TextEdit};

    pub const DROID: &str = "---\nname: reviewer\ndescription: Reviews code\n\
        model: claude-opus-4-1-20250805\ntools: [\"Read\", \"Bash\", \"MultiEdit\"]\n---\n\n\
        Review the diff.\n";
    /// Tabs, a CJK character and an astral emoji before the culprit, to test caret alignment
    /// and UTF-16 columns.
    pub const WIDE: &str = "---\nname: \"\t日本😀\"\ndesciption: x\n---\n";

    fn at(text: &str, needle: &str) -> std::ops::Range<usize> {
        let start = text.find(needle).expect("needle in fixture");
        start..start + needle.len()
    }

    pub fn report() -> Report {
        let bash = at(DROID, "\"Bash\"");
        let bash_inner = bash.start + 1..bash.end - 1;
        let multi = at(DROID, "\"MultiEdit\"");
        let model = at(DROID, "claude-opus-4-1-20250805");
        let typo = at(WIDE, "desciption");
        let name_val = at(WIDE, "\"\t日本😀\"");
        Report {
            files: vec![
                FileReport {
                    path: ".claude/agents/wide.md".into(),
                    text: WIDE.into(),
                    diagnostics: vec![
                        // A span over several lines: the whole file.
                        Diagnostic::new(RuleCode::EmptyBody, Severity::Warning, 0..WIDE.len(), "the file has no body"),
                        Diagnostic::new(RuleCode::NameFormat, Severity::Info, name_val, "name must be lowercase"),
                        Diagnostic::new(
                            RuleCode::UnknownKey,
                            Severity::Error,
                            typo.clone(),
                            "unknown key `desciption`",
                        )
                        .with_fix(Fix {
                            title: "Rename to `description`".into(),
                            edits: vec![TextEdit { span: typo, new_text: "description".into() }],
                            safe: true,
                        }),
                    ],
                },
                FileReport {
                    path: ".factory/droids/reviewer.md".into(),
                    text: DROID.into(),
                    diagnostics: vec![
                        Diagnostic::new(
                            RuleCode::RetiredModel,
                            Severity::Warning,
                            model.clone(),
                            "`claude-opus-4-1-20250805` is no longer offered by Factory",
                        )
                        .with_fix(Fix {
                            title: "Replace with `claude-opus-4-7`".into(),
                            edits: vec![TextEdit { span: model, new_text: "claude-opus-4-7".into() }],
                            safe: false,
                        }),
                        Diagnostic::new(
                            RuleCode::ForeignTool,
                            Severity::Error,
                            bash_inner.clone(),
                            "`Bash` is a Claude Code tool; Factory droids call it `Execute`",
                        )
                        .with_fix(Fix {
                            title: "Replace `Bash` with `Execute`".into(),
                            edits: vec![TextEdit { span: bash_inner, new_text: "Execute".into() }],
                            safe: true,
                        }),
                        Diagnostic::new(RuleCode::DeprecatedTool, Severity::Hint, multi, "`MultiEdit` was removed"),
                    ],
                },
            ],
            skipped: vec![Skipped { path: ".claude/agents/latin1.md".into(), reason: "not valid UTF-8".into() }],
            files_checked: 3,
            fixes_applied: None,
            texts: Default::default(),
        }
    }
}
