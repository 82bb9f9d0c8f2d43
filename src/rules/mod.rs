//! The rules: each turns an [`Analysis`] into diagnostics with stable kebab-case codes. Rule
//! metadata (default severity, summary, documentation for `agentls explain`) is data, in
//! `data/rules.yaml`.

use crate::analysis::Analysis;
use crate::diagnostic::Diagnostic;

/// Runs every rule, applies policy severities and inline suppressions, sorts by position.
pub fn run(_a: &Analysis) -> Vec<Diagnostic> {
    Vec::new()
}
