//! `--format sarif`: SARIF 2.1.0 for code-scanning services (GitHub code scanning and others).
//! Lines and columns are 1-based; columns count UTF-16 code units, SARIF's default `columnKind`.

use serde_json::{json, Value};

use super::{safe_fixes, Report};
use crate::diagnostic::Severity;
use crate::registry::{self, RuleInfo};
use crate::text::{Encoding, LineIndex};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where users learn about the tool: the package's repository when Cargo.toml names one.
fn information_uri() -> &'static str {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => "https://crates.io/crates/agentls",
        repo => repo,
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A relative reference or `file://` URI for a path with `/` separators, percent-encoding every
/// byte outside RFC 3986's unreserved characters and `/`.
fn uri(path: &str) -> String {
    let mut out = String::new();
    let bytes = path.as_bytes();
    let windows_drive = bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    if path.starts_with('/') {
        out.push_str("file://");
    } else if windows_drive {
        out.push_str("file:///");
    }
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (windows_drive && i == 1);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(text: &str, index: &LineIndex, span: &std::ops::Range<usize>) -> Value {
    let start = index.position(text, span.start, Encoding::Utf16);
    let end = index.position(text, span.end.max(span.start), Encoding::Utf16);
    // SARIF's endColumn is the column just past the region, which is what an exclusive end is.
    json!({
        "startLine": start.line + 1,
        "startColumn": start.col + 1,
        "endLine": end.line + 1,
        "endColumn": end.col + 1,
    })
}

fn rule_descriptor(r: &RuleInfo) -> Value {
    json!({
        "id": r.code,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": r.doc.trim_end() },
        "help": { "text": r.doc.trim_end(), "markdown": r.doc.trim_end() },
        "defaultConfiguration": { "level": level(r.severity) },
    })
}

/// Renders the report as one SARIF log followed by a newline.
pub fn render(report: &Report, out: &mut String) {
    // Every rule, in registry order, so a code's index in the list is its enum index.
    let rules: Vec<Value> = registry::all().iter().map(rule_descriptor).collect();

    let mut results = Vec::new();
    for file in &report.files {
        let index = LineIndex::new(&file.text);
        let artifact = json!({ "uri": uri(&file.path) });
        for d in &file.diagnostics {
            let idx = d.code as usize;
            let fixes: Vec<Value> = safe_fixes(d)
                .map(|f| {
                    let replacements: Vec<Value> = f
                        .edits
                        .iter()
                        .map(|e| {
                            json!({
                                "deletedRegion": region(&file.text, &index, &e.span),
                                "insertedContent": { "text": e.new_text },
                            })
                        })
                        .collect();
                    json!({
                        "description": { "text": f.title },
                        "artifactChanges": [{ "artifactLocation": artifact, "replacements": replacements }],
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": idx,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": region(&file.text, &index, &d.span),
                    }
                }],
            });
            if !fixes.is_empty() {
                result["fixes"] = Value::Array(fixes);
            }
            if !d.related.is_empty() {
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let t = report.text_of(&r.path).unwrap_or("");
                        json!({
                            "id": i + 1,
                            "message": { "text": r.message },
                            "physicalLocation": {
                                "artifactLocation": { "uri": uri(&r.path) },
                                "region": region(t, &LineIndex::new(t), &r.span),
                            }
                        })
                    })
                    .collect();
                result["relatedLocations"] = Value::Array(related);
            }
            results.push(result);
        }
    }

    let notifications: Vec<Value> = report
        .skipped
        .iter()
        .map(|s| {
            json!({
                "level": "warning",
                "message": { "text": format!("skipped: {}", s.reason) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&s.path) } } }],
            })
        })
        .collect();

    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "agentls",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": information_uri(),
                    "rules": rules,
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    out.push_str(&serde_json::to_string_pretty(&log).expect("JSON values serialize"));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::render::fixtures;

    fn rendered() -> Value {
        let mut out = String::new();
        render(&fixtures::report(), &mut out);
        serde_json::from_str(&out).expect("valid JSON")
    }

    #[test]
    fn snapshot() {
        // The rule list (and so every ruleIndex) comes from data/rules.yaml, which keeps
        // growing; the tests below check them, the snapshot pins everything else.
        let mut v = rendered();
        let run = &mut v["runs"][0];
        let driver = &mut run["tool"]["driver"];
        driver["rules"] = json!("[rules]");
        driver["version"] = json!("[version]");
        driver["semanticVersion"] = json!("[version]");
        for r in run["results"].as_array_mut().unwrap() {
            r["ruleIndex"] = json!("[index]");
        }
        insta::assert_json_snapshot!(v);
    }

    #[test]
    fn rule_indexes_point_at_their_rules() {
        let v = rendered();
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert!(rules.len() >= crate::registry::all().len());
        for r in run["results"].as_array().unwrap() {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
        assert_eq!(v["version"], "2.1.0");
    }

    #[test]
    fn every_registered_rule_is_described() {
        let v = rendered();
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().clone();
        for (r, info) in rules.iter().zip(crate::registry::all()) {
            assert_eq!(r["id"], info.code.as_str());
            assert_eq!(r["shortDescription"]["text"], info.summary.as_str());
            assert!(r["help"]["markdown"].is_string());
            assert!(["error", "warning", "note"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
        }
    }

    #[test]
    fn only_safe_fixes_are_offered() {
        let v = rendered();
        let results = v["runs"][0]["results"].as_array().unwrap();
        let with_fixes: Vec<&str> =
            results.iter().filter(|r| r.get("fixes").is_some()).map(|r| r["ruleId"].as_str().unwrap()).collect();
        assert_eq!(with_fixes, ["unknown-key", "foreign-tool"]);
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri(".claude/agents/my agent#1.md"), ".claude/agents/my%20agent%231.md");
        assert_eq!(uri("/repo/é.md"), "file:///repo/%C3%A9.md");
        assert_eq!(uri("C:/repo/a.md"), "file:///C:/repo/a.md");
    }
}
