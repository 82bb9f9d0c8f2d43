//! Shared helpers for the engine's integration tests.
#![allow(dead_code)]

use std::path::Path;

use agentls::analysis::Settings;
use agentls::diagnostic::Diagnostic;
use agentls::engine::check;
use agentls::text::{Encoding, LineIndex};

/// The seed droid (a real Factory droid), kept in the repository at `tests/fixtures/seed-droid.md`:
/// tests read nothing outside the repository.
pub fn seed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed-droid.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Renders diagnostics one per line: `line:col-line:col severity code: message «culprit»`, then
/// each fix as `  fix[safe]: title`. Positions are 1-based lines and 0-based UTF-16 columns.
pub fn render(text: &str, diags: &[Diagnostic]) -> String {
    let idx = LineIndex::new(text);
    let mut out = String::new();
    for d in diags {
        let s = idx.position(text, d.span.start, Encoding::Utf16);
        let e = idx.position(text, d.span.end, Encoding::Utf16);
        let culprit: String = text[d.span.clone()].chars().take(60).collect();
        out.push_str(&format!(
            "{}:{}-{}:{} {} {}: {} «{}»\n",
            s.line + 1,
            s.col,
            e.line + 1,
            e.col,
            d.severity.as_str(),
            d.code,
            d.message,
            culprit.replace('\n', "⏎")
        ));
        for f in &d.fixes {
            out.push_str(&format!("  fix[{}]: {}\n", if f.safe { "safe" } else { "unsafe" }, f.title));
        }
    }
    out
}

pub fn check_at(path: &str, text: &str) -> Vec<Diagnostic> {
    check(text, Some(Path::new(path)), &Settings::default())
}

/// Checks `text` at `path` inside a temporary workspace whose `.agentls.yaml` is `policy_yaml`.
pub fn check_with_policy(path: &str, text: &str, policy_yaml: &str) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(".agentls.yaml"), policy_yaml).expect("write policy");
    let file = dir.path().join(path);
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    let loaded = agentls::policy::discover(&file);
    assert!(loaded.error.is_none(), "test policy is broken: {:?}", loaded.error);
    let settings = Settings { policy: std::sync::Arc::new(loaded), ..Settings::default() };
    check(text, Some(&file), &settings)
}

/// Runs the built `agentls` binary in `dir`, without colour.
pub fn run_agentls(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_agentls"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}
