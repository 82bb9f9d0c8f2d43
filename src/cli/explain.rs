//! `agentls explain CODE` prints a rule's documentation; `agentls rules` lists every rule.

use std::fmt::Write as _;
use std::io::Write as _;

use super::{EXIT_OK, EXIT_USAGE};
use crate::registry::{self, RuleInfo};

/// The documentation of one rule, as printed by `agentls explain`: the heading gives the
/// default severity, then any dialect's own, e.g. `unknown-tool (warning; factory: error)`.
pub fn explain_text(r: &RuleInfo) -> String {
    let mut severity = r.severity.as_str().to_string();
    for (d, s) in &r.severity_by_dialect {
        let _ = write!(severity, "; {d}: {}", s.as_str());
    }
    format!("{} ({severity})\n\n{}\n\n{}\n", r.code, r.summary.trim(), r.doc.trim_end())
}

/// Every rule, one per line: code, default severity, summary, in aligned columns.
pub fn list_text() -> String {
    let all = registry::all();
    let width = all.iter().map(|r| r.code.as_str().len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in all {
        let _ = writeln!(out, "{:width$}  {:7}  {}", r.code.as_str(), r.severity.as_str(), r.summary.trim());
    }
    out
}

fn print(s: &str) {
    // A closed pipe (`agentls rules | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

pub fn explain(code: &str) -> i32 {
    match registry::lookup(code.trim()) {
        Some(r) => {
            print(&explain_text(r));
            EXIT_OK
        }
        None => {
            eprintln!("agentls: error: unknown rule code `{code}`; the rules are:\n");
            eprint!("{}", list_text());
            EXIT_USAGE
        }
    }
}

pub fn list() -> i32 {
    print(&list_text());
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::RuleCode;

    #[test]
    fn explain_prints_code_severity_summary_and_doc() {
        let r = registry::info(RuleCode::YamlSyntax);
        let text = explain_text(r);
        assert!(text.starts_with("yaml-syntax (error)\n\n"));
        assert!(text.contains(r.doc.trim_end()));
        let text = explain_text(registry::info(RuleCode::UnknownTool));
        assert!(text.starts_with("unknown-tool (warning; factory: error)\n\n"), "{text}");
    }

    #[test]
    fn list_has_one_line_per_rule() {
        let text = list_text();
        assert_eq!(text.lines().count(), registry::all().len());
        assert!(text.lines().any(|l| l.starts_with("yaml-syntax ") && l.contains("error")));
    }
}
