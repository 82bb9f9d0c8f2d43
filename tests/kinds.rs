//! Skills, commands, instructions and memory files (issue 12): every documented key of each kind
//! is accepted without a finding, and each common mistake is found at its exact culprit.

use std::path::{Path, PathBuf};

use agentls::analysis::Settings;
use agentls::catalog::{self, Status, ValueType};
use agentls::diagnostic::Diagnostic;
use agentls::dialect::{Dialect, FileKind};
use agentls::engine::check_with_files;
use agentls::files::Overlay;

/// Checks `text` at `path` (under `/w`), with `others` as the only other files there are.
fn check(path: &str, text: &str, others: &[(&str, &str)]) -> Vec<Diagnostic> {
    let root = Path::new("/w");
    let mut files = Overlay::default();
    files.files.insert(root.join(path), text.to_string());
    for (p, t) in others {
        files.files.insert(root.join(p), t.to_string());
    }
    check_with_files(text, Some(&root.join(path)), &Settings::default(), &files)
}

/// `(code, culprit)` of each diagnostic.
fn found<'t>(text: &'t str, d: &[Diagnostic]) -> Vec<(&'static str, &'t str)> {
    d.iter().map(|d| (d.code.as_str(), &text[d.span.clone()])).collect()
}

fn shown(text: &str, d: &[Diagnostic]) -> String {
    d.iter().map(|d| format!("{} {:?}: {}\n", d.code, &text[d.span.clone()], d.message)).collect()
}

/// Where each product loads a file of `kind`, for a file named `name`.
fn path_for(d: Dialect, kind: FileKind, name: &str) -> Option<String> {
    Some(match (d, kind) {
        (Dialect::Claude, FileKind::Skill) => format!(".claude/skills/{name}/SKILL.md"),
        (Dialect::Copilot, FileKind::Skill) => format!(".github/skills/{name}/SKILL.md"),
        (Dialect::Factory, FileKind::Skill) => format!(".factory/skills/{name}/SKILL.md"),
        (Dialect::Opencode, FileKind::Skill) => format!(".opencode/skills/{name}/SKILL.md"),
        (Dialect::Claude, FileKind::Command) => format!(".claude/commands/{name}.md"),
        (Dialect::Factory, FileKind::Command) => format!(".factory/commands/{name}.md"),
        (Dialect::Opencode, FileKind::Command) => format!(".opencode/commands/{name}.md"),
        (Dialect::Copilot, FileKind::Instructions) => format!(".github/instructions/{name}.instructions.md"),
        _ => return None,
    })
}

/// A valid value for a key, by its type and values.
fn sample(d: Dialect, kind: FileKind, spec: &catalog::KeySpec, name: &str) -> String {
    let cat = catalog::builtin_for(d, kind);
    // A granting key takes the first current tool, a denying one the second (no conflict).
    let nth = if spec.name.starts_with("disallowed") { 1 } else { 0 };
    let tool = || {
        cat.tools.iter().filter(|t| t.status == Status::Current).nth(nth).map(|t| t.name.clone()).unwrap_or_default()
    };
    match spec.name.as_str() {
        "name" => return name.to_string(),
        "description" => return "\"Fills in PDF forms from structured data.\"".into(),
        "applyTo" => return "\"**/*.ts\"".into(),
        _ => {}
    }
    if spec.ty == ValueType::Boolean {
        return "true".into();
    }
    if let Some(v) = spec.values.first() {
        return if spec.ty == ValueType::StringList { format!("[\"{v}\"]") } else { format!("\"{v}\"") };
    }
    match spec.ty {
        ValueType::Boolean => "true".into(),
        ValueType::Integer => "1".into(),
        ValueType::Number => "0.5".into(),
        ValueType::StringList | ValueType::List => "[\"x\"]".into(),
        ValueType::Map => "{}".into(),
        ValueType::Tools => tool(),
        ValueType::Model => {
            cat.models.iter().find(|m| m.status == Status::Current).map(|m| format!("\"{}\"", m.id)).unwrap_or_default()
        }
        _ => "\"x\"".into(),
    }
}

#[test]
fn every_documented_key_of_every_kind_gets_no_finding() {
    let mut checked = 0;
    for d in Dialect::ALL {
        for kind in [FileKind::Skill, FileKind::Command, FileKind::Instructions] {
            let Some(path) = path_for(d, kind, "pdf-forms") else { continue };
            let cat = catalog::builtin_for(d, kind);
            if cat.keys.is_empty() {
                continue;
            }
            let mut fm = String::new();
            for k in cat.keys.iter().filter(|k| k.status == Status::Current) {
                fm.push_str(&format!("{}: {}\n", k.name, sample(d, kind, k, "pdf-forms")));
            }
            let text = format!("---\n{fm}---\n\nFill the form with the data the user gives.\n");
            let diags = check(&path, &text, &[]);
            assert!(diags.is_empty(), "{path}:\n{text}\n{}", shown(&text, &diags));
            checked += 1;
        }
    }
    assert!(checked >= 1, "no kind catalog was checked");
}

#[test]
fn detection_by_path() {
    use agentls::dialect::detect_by_path;
    let kind = |p: &str| detect_by_path(Path::new(p)).map(|d| d.kind);
    assert_eq!(kind("/w/.claude/skills/pdf/SKILL.md"), Some(FileKind::Skill));
    assert_eq!(kind("/w/.claude/commands/git/commit.md"), Some(FileKind::Command));
    assert_eq!(kind("/w/.github/instructions/ts.instructions.md"), Some(FileKind::Instructions));
    assert_eq!(kind("/w/CLAUDE.md"), Some(FileKind::Memory));
    assert_eq!(kind("/w/.claude/skills/pdf/scripts/README.md"), None);
}

const SKILL: &str = ".claude/skills/pdf-forms/SKILL.md";

#[test]
fn skill_name_must_match_its_folder() {
    let t = "---\nname: pdf-tools\ndescription: Fills PDF forms.\n---\nBody.\n";
    assert_eq!(found(t, &check(SKILL, t, &[])), [("name-mismatch", "pdf-tools")]);
}

#[test]
fn skill_name_must_be_lowercase() {
    let t = "---\nname: PDF-Forms\ndescription: Fills PDF forms.\n---\nBody.\n";
    let f = found(t, &check(SKILL, t, &[]));
    assert!(f.contains(&("name-format", "PDF-Forms")), "{f:?}");
}

#[test]
fn skill_description_over_the_limit_is_found_past_the_limit() {
    let path = ".github/skills/pdf-forms/SKILL.md";
    let cat = catalog::builtin_for(Dialect::Copilot, FileKind::Skill);
    let max = cat.description_max.unwrap_or(1024);
    let desc = "a".repeat(max + 10);
    let t = format!("---\nname: pdf-forms\ndescription: {desc}\n---\nBody.\n");
    let d = check(path, &t, &[]);
    let f = found(&t, &d);
    assert_eq!(f, [("description-too-long", "aaaaaaaaaa")], "{}", shown(&t, &d));
}

#[test]
fn allowed_tools_typo_is_found_in_a_space_separated_list() {
    let t =
        "---\nname: pdf-forms\ndescription: Fills PDF forms.\nallowed-tools: Read Grpe Bash(git diff:*)\n---\nBody.\n";
    let d = check(SKILL, t, &[]);
    assert_eq!(found(t, &d), [("unknown-tool", "Grpe")], "{}", shown(t, &d));
    assert!(d[0].message.contains("did you mean `Grep`"), "{}", d[0].message);
}

#[test]
fn a_missing_script_is_found_and_an_existing_one_is_not() {
    let t = "---\nname: pdf-forms\ndescription: Fills PDF forms.\n---\nRun `python scripts/fill.py` and read [the fields](references/fields.md), then `scripts/check.sh`.\n";
    let others = [
        (".claude/skills/pdf-forms/scripts/fill.py", "print()"),
        (".claude/skills/pdf-forms/references/fields.md", "# F"),
    ];
    let d = check(SKILL, t, &others);
    assert_eq!(found(t, &d), [("missing-file", "scripts/check.sh")], "{}", shown(t, &d));
}

#[test]
fn a_command_shell_line_needs_an_allowed_pattern() {
    let path = ".claude/commands/deploy.md";
    let t = "---\ndescription: Deploy\nallowed-tools: Bash(git status:*)\n---\nStatus: !`git status`\nBranch: !`git branch --show-current`\n";
    let d = check(path, t, &[]);
    assert_eq!(found(t, &d), [("shell-not-allowed", "git branch --show-current")], "{}", shown(t, &d));
    let fixed = agentls::diagnostic::apply_edits(t, &d[0].fixes[0].edits);
    assert!(fixed.contains("allowed-tools: Bash(git status:*), Bash(git branch:*)"), "{fixed}");
    assert_eq!(found(&fixed, &check(path, &fixed, &[])), []);
    let ok = "---\ndescription: Deploy\nallowed-tools: Bash(git status:*), Bash(git branch:*)\n---\nStatus: !`git status`\nBranch: !`git branch --show-current`\n";
    assert_eq!(found(ok, &check(path, ok, &[])), []);
}

#[test]
fn a_command_file_reference_resolves_against_the_project() {
    let path = ".claude/commands/review.md";
    let t = "---\ndescription: Review\n---\nReview @src/main.rs against @docs/style.md.\n";
    let d = check(path, t, &[("src/main.rs", "fn main() {}")]);
    let cat = catalog::builtin_for(Dialect::Claude, FileKind::Command);
    if cat.has_body_feature("file-references") {
        assert_eq!(found(t, &d), [("missing-file", "docs/style.md")], "{}", shown(t, &d));
    }
}

#[test]
fn memory_imports_must_exist_and_must_not_cycle() {
    let cat = catalog::builtin_for(Dialect::Claude, FileKind::Memory);
    if !cat.has_body_feature("imports") {
        return;
    }
    let t = "# Memory\n\nSee @docs/a.md and @docs/missing.md.\n";
    let others = [("docs/a.md", "More in @b.md\n"), ("docs/b.md", "Back to @../CLAUDE.md\n")];
    let d = check("CLAUDE.md", t, &others);
    assert_eq!(found(t, &d), [("import-cycle", "docs/a.md"), ("missing-file", "docs/missing.md")], "{}", shown(t, &d));
}

#[test]
fn instructions_globs_must_parse() {
    let path = ".github/instructions/tests.instructions.md";
    let t = "---\napplyTo: \"**/*.ts, tests/**/*.{ts,js\"\ndescription: Tests\n---\nName tests after behaviour.\n";
    let d = check(path, t, &[]);
    let f = found(t, &d);
    assert!(f.contains(&("invalid-glob", "tests/**/*.{ts,js")), "{}", shown(t, &d));
    assert!(!f.iter().any(|(_, c)| *c == "**/*.ts"), "{}", shown(t, &d));
}

#[test]
fn a_relative_link_to_nothing_is_found() {
    let t = "# Memory\n\n[guide](docs/guide.md) and [site](https://example.com) and [top](#memory).\n";
    let d = check("AGENTS.md", t, &[]);
    assert_eq!(found(t, &d), [("missing-file", "docs/guide.md")], "{}", shown(t, &d));
    let _ = PathBuf::new();
}

#[test]
fn completion_and_hover_know_the_keys_and_tools_of_a_skill() {
    use agentls::analysis::analyze;
    use agentls::ide;
    let path = Path::new("/w/.claude/skills/pdf-forms/SKILL.md");
    let t = "---\nname: pdf-forms\ndescription: Fills PDF forms.\ncontext: fork\nallowed-tools: Read \n\n---\nBody.\n";
    let settings = Settings::default();
    let a = analyze(t, Some(path), &settings);
    let at_key = t.find("\n\n---").unwrap() + 1;
    let keys: Vec<String> = ide::completions(&a, at_key).into_iter().map(|c| c.label).collect();
    for k in ["allowed-tools", "disable-model-invocation", "argument-hint", "model"] {
        assert!(keys.iter().any(|l| l == k) || k == "allowed-tools", "{k} not offered: {keys:?}");
    }
    assert!(!keys.iter().any(|l| l == "permissionMode"), "an agent key offered in a skill: {keys:?}");
    let at_tool = t.find("Read ").unwrap() + 5;
    let tools: Vec<String> = ide::completions(&a, at_tool).into_iter().map(|c| c.label).collect();
    assert!(tools.iter().any(|l| l == "Grep"), "{tools:?}");
    let h = ide::hover(&a, t.find("context").unwrap() + 2).expect("hover on `context`");
    assert!(h.markdown.contains("context"), "{}", h.markdown);
    let links = ide::document_links(&analyze(
        "---\nname: pdf-forms\ndescription: x\n---\nRun scripts/fill.py\n",
        Some(path),
        &settings,
    ));
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].target, Path::new("/w/.claude/skills/pdf-forms/scripts/fill.py"));
}

#[test]
fn a_policy_override_by_kind_sets_sections_and_limits_for_that_kind_only() {
    let dir = tempfile::tempdir().unwrap();
    let policy = "description:\n  min: 40\noverrides:\n  - kinds: [skill]\n    description:\n      min: 5\n    sections:\n      required:\n        - title: Steps\n";
    std::fs::write(dir.path().join(".agentls.yaml"), policy).unwrap();
    let skill = dir.path().join(".claude/skills/pdf-forms/SKILL.md");
    let agent = dir.path().join(".claude/agents/reviewer.md");
    let loaded = agentls::policy::discover(&skill);
    assert!(loaded.error.is_none(), "{:?}", loaded.error);
    let settings = Settings { policy: std::sync::Arc::new(loaded), ..Settings::default() };
    let t = "---\nname: pdf-forms\ndescription: Fills forms.\n---\n# PDF forms\n\nDo it.\n";
    let d = agentls::engine::check(t, Some(&skill), &settings);
    let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"missing-section"), "{codes:?}");
    assert!(!codes.contains(&"description-too-short"), "{codes:?}");
    let a = "---\nname: reviewer\ndescription: Reviews code.\n---\nYou review code.\n";
    let d = agentls::engine::check(a, Some(&agent), &settings);
    let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"description-too-short"), "{codes:?}");
    assert!(!codes.contains(&"missing-section"), "{codes:?}");
}

/// `agentls check` on the example skills and commands, in each output format.
#[test]
fn check_reports_the_new_kinds_in_every_format() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |format: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_agentls"))
            .args(["check", "--format", format, "examples/.claude/skills", "examples/.claude/commands"])
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let codes: Vec<&str> = json["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    for c in ["unknown-tool", "missing-file", "shell-not-allowed", "name-mismatch"] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "shell-not-allowed"), "{sarif}");
    let github = run("github");
    assert!(
        github.lines().any(|l| l.starts_with("::warning file=examples/.claude/commands/deploy.md,line=6,col=19")),
        "{github}"
    );
}

#[test]
fn hover_explains_a_command_placeholder() {
    let path = Path::new("/w/.claude/commands/fix.md");
    let t = "---\ndescription: Fix an issue\n---\nFix issue $ARGUMENTS, starting with $0.\n";
    let a = agentls::analysis::analyze(t, Some(path), &Settings::default());
    let h = agentls::ide::hover(&a, t.find("ARGUMENTS").unwrap() + 3).expect("hover on $ARGUMENTS");
    assert_eq!(&t[h.span.clone()], "$ARGUMENTS");
    assert!(h.markdown.contains("argument"), "{}", h.markdown);
    let h = agentls::ide::hover(&a, t.find("$0").unwrap()).expect("hover on $0");
    assert_eq!(&t[h.span.clone()], "$0");
}
