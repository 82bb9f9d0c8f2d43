//! The team policy: discovery, overrides, severities, error locations, hostile input, the built-in
//! default and the JSON Schema staying in step with the Rust types.

use agentls::registry::RuleCode;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use agentls::diagnostic::Severity;
use agentls::dialect::Dialect;
use agentls::policy::{self, LoadedPolicy, Policy, PolicyError, RuleLevel};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn problems(text: &str) -> Vec<PolicyError> {
    policy::parse_all(text, None).1
}

/// The single problem of a policy text, checked to sit on `culprit` (its first occurrence).
fn only_problem(text: &str, culprit: &str) -> PolicyError {
    let all = problems(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    let p = all.into_iter().next().unwrap();
    assert_eq!(&text[p.span.clone()], culprit, "{p:?}");
    p
}

// Discovery.

#[test]
fn discovery_walks_up_to_the_nearest_policy() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("repo/.agentls.yaml"), "tools:\n  deny: [Bash]\n");
    write(&root.join("repo/team/.agentls.yaml"), "tools:\n  deny: [WebFetch]\n");
    let agent = root.join("repo/team/.claude/agents/deep/x.md");
    write(&agent, "---\nname: x\n---\n");
    let other = root.join("repo/elsewhere/.factory/droids/y.md");
    write(&other, "---\nname: y\n---\n");

    assert_eq!(policy::find(&agent), Some(root.join("repo/team/.agentls.yaml")));
    assert_eq!(policy::find(&other), Some(root.join("repo/.agentls.yaml")));
    // A folder is a start too.
    assert_eq!(policy::find(&root.join("repo/elsewhere")), Some(root.join("repo/.agentls.yaml")));

    let loaded = policy::discover(&agent);
    assert!(loaded.error.is_none(), "{:?}", loaded.error);
    assert_eq!(loaded.path.as_deref(), Some(root.join("repo/team/.agentls.yaml").as_path()));
    assert!(loaded.for_file(Some(&agent)).tool_denied("WebFetch"));
    assert!(!loaded.for_file(Some(&agent)).tool_denied("Bash"));
}

#[test]
fn discovery_without_a_policy_gives_the_builtin_default() {
    let dir = tempfile::tempdir().unwrap();
    let agent = dir.path().join(".claude/agents/x.md");
    write(&agent, "---\nname: x\n---\n");
    // Folders above the temporary one are not ours; whatever they hold, it is not in here.
    if let Some(found) = policy::find(&agent) {
        assert!(!found.starts_with(dir.path()));
    } else {
        let loaded = policy::discover(&agent);
        assert!(loaded.path.is_none() && loaded.error.is_none());
        assert_eq!(*loaded.policy, *policy::builtin_default());
    }
}

// Overrides and merging.

const LAYERED: &str = "\
tools:
  deny: [Bash, 'mcp__*']
  allow: [Read, Grep, Bash, 'mcp__*']
models:
  deny: ['*-preview']
description:
  max: 500
name:
  pattern: '^[a-z0-9-]+$'
rules:
  yaml-syntax: error
  recommended-section: hint
overrides:
  - files: ['.claude/agents/**/*.md']
    tools:
      deny: []
    rules:
      recommended-section: off
      missing-section: warning
  - files: ['*.agent.md']
    dialect: copilot
    description:
      max: null
    name:
      pattern: '.+'
    rules:
      yaml-syntax: warning
  - files: ['.claude/agents/special/']
    tools:
      allow: null
    rules:
      missing-section: info
";

fn layered_in(dir: &Path) -> LoadedPolicy {
    write(&dir.join(".agentls.yaml"), LAYERED);
    let loaded = policy::load(&dir.join(".agentls.yaml"));
    assert!(loaded.error.is_none(), "{:?}", loaded.error);
    loaded
}

#[test]
fn overrides_apply_by_glob_and_replace_only_what_they_write() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = layered_in(dir.path());

    let top = loaded.for_file(Some(&dir.path().join("notes/plain.md")));
    assert_eq!(top.tools.deny, ["Bash", "mcp__*"]);
    assert!(top.tool_denied("mcp__github__create_issue"));
    assert_eq!(top.description.max, Some(500));
    assert_eq!(top.dialect, None);

    let claude = loaded.for_file(Some(&dir.path().join(".claude/agents/sub/reviewer.md")));
    assert!(claude.tools.deny.is_empty(), "the override's empty list replaces the top-level one");
    assert_eq!(claude.tools.allow.as_deref().map(<[String]>::len), Some(4), "`allow` was not written, so it stays");
    assert_eq!(claude.models.deny, ["*-preview"]);
    assert_eq!(claude.rule_level(RuleCode::RecommendedSection), Some(RuleLevel::Off));

    // A glob without `/` matches at any depth; `null` lifts a limit.
    let copilot = loaded.for_file(Some(&dir.path().join(".github/agents/planner.agent.md")));
    assert_eq!(copilot.dialect, Some(Dialect::Copilot));
    assert_eq!(copilot.description.max, None);
    assert_eq!(copilot.name.pattern.as_deref(), Some(".+"));
    assert_eq!(copilot.tools.deny, ["Bash", "mcp__*"]);

    // A trailing `/` covers a whole folder; `allow: null` lifts the allow-list.
    let special = loaded.for_file(Some(&dir.path().join(".claude/agents/special/a/b.md")));
    assert_eq!(special.tools.allow, None);
    assert!(special.tools.deny.is_empty());
    assert!(special.tool_allowed("Anything"));

    // Relative paths are relative to the policy's folder.
    assert_eq!(loaded.for_file(Some(Path::new(".claude/agents/x.md"))), claude_like(&loaded, dir.path()));
    assert_eq!(loaded.for_file(Some(Path::new("./.claude/agents/x.md"))), claude_like(&loaded, dir.path()));
}

fn claude_like(loaded: &LoadedPolicy, dir: &Path) -> agentls::policy::EffectivePolicy {
    loaded.for_file(Some(&dir.join(".claude/agents/x.md")))
}

#[test]
fn files_outside_the_policy_folder_get_no_override() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = layered_in(&dir.path().join("repo"));
    let top = loaded.for_file(None);
    let outside = dir.path().join("other/.claude/agents/x.md");
    assert_eq!(loaded.for_file(Some(&outside)), top);
    assert_eq!(loaded.for_file(Some(Path::new("../other/.claude/agents/x.md"))), top);
    // `..` that climbs out and back in is still inside.
    let back_in = dir.path().join("repo/x/../.claude/agents/x.md");
    assert_eq!(loaded.for_file(Some(&back_in)).rule_level(RuleCode::RecommendedSection), Some(RuleLevel::Off));
}

#[test]
fn rule_levels_merge_key_by_key_and_later_overrides_win() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = layered_in(dir.path());
    // Matches the first override (claude agents) and the third (special/), and, being an
    // `.agent.md`, the second.
    let eff = loaded.for_file(Some(&dir.path().join(".claude/agents/special/x.agent.md")));
    assert_eq!(eff.rule_level(RuleCode::YamlSyntax), Some(RuleLevel::Warning), "second override over top level");
    assert_eq!(eff.rule_level(RuleCode::RecommendedSection), Some(RuleLevel::Off), "first override over top level");
    assert_eq!(eff.rule_level(RuleCode::MissingSection), Some(RuleLevel::Info), "third override over the first");
    assert_eq!(eff.rule_level(RuleCode::UnknownTool), None);
    assert_eq!(RuleLevel::Off.severity(), None);
    assert_eq!(RuleLevel::Hint.severity(), Some(Severity::Hint));
}

#[test]
fn an_override_built_in_code_replaces_the_groups_it_sets() {
    let mut p = Policy::default();
    p.tools.deny = vec!["Bash".into()];
    p.tools.allow = Some(vec!["Read".into()]);
    p.overrides.push(agentls::policy::Override {
        files: vec!["x.md".into()],
        tools: Some(agentls::policy::ToolsPolicy { deny: vec!["Write".into()], ..Default::default() }),
        ..Default::default()
    });
    let loaded = LoadedPolicy::from_policy(p, None);
    let eff = loaded.for_file(Some(Path::new("x.md")));
    assert_eq!(eff.tools.deny, ["Write"]);
    assert_eq!(eff.tools.allow, None);
    assert_eq!(loaded.for_file(Some(Path::new("y.md"))).tools.deny, ["Bash"]);
}

#[test]
fn anchors_and_aliases_in_a_normal_policy_work() {
    let text = "\
tools:
  deny: &risky [Bash, Execute]
overrides:
  - files: ['*.agent.md']
    models:
      deny: *risky
";
    let (p, problems) = policy::parse_all(text, None);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(p.unwrap().overrides[0].models.as_ref().unwrap().deny, ["Bash", "Execute"]);
}

// Sections and the built-in default.

fn find_seed() -> PathBuf {
    // The in-repo copy of the seed droid, so that a fresh clone needs nothing beside it.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed-droid.md")
}

#[test]
fn default_policy_documents_every_heading_of_the_seed() {
    let seed = fs::read_to_string(find_seed()).unwrap();
    let default = policy::builtin_default();
    let headings: Vec<&str> =
        seed.lines().filter_map(|l| l.strip_prefix("### ").or_else(|| l.strip_prefix("## "))).map(str::trim).collect();
    assert!(headings.len() > 20, "the seed has {} headings", headings.len());
    for h in &headings {
        let spec = default.sections.find(h).unwrap_or_else(|| panic!("`{h}` is not documented"));
        assert!(!spec.doc.trim().is_empty(), "`{h}` has no doc");
    }
    // Every heading is a `known` title (or alias) unless the default recommends it.
    for h in &headings {
        let known = default.sections.known.iter().any(|s| s.matches(h));
        let recommended = default.sections.recommended.iter().any(|s| s.matches(h));
        assert!(known != recommended, "`{h}`: known {known}, recommended {recommended}");
    }
    // Level-3 headings are documented as level 3.
    for h in seed.lines().filter_map(|l| l.strip_prefix("### ")) {
        assert_eq!(default.sections.find(h).unwrap().heading_level(), 3, "{h}");
    }
}

#[test]
fn default_policy_recommends_the_common_profile_with_templates() {
    let default = policy::builtin_default();
    assert!(default.sections.required.is_empty(), "no dialect requires a section");
    let rec: Vec<&str> = default.sections.recommended.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(rec, ["Core Purpose", "Capabilities", "Behavioral Traits", "Response Approach"]);
    for s in &default.sections.recommended {
        assert!(!s.aliases.is_empty() && !s.doc.trim().is_empty(), "{}", s.title);
        assert!(s.template.as_deref().is_some_and(|t| !t.trim().is_empty()), "{}", s.title);
    }
    assert_eq!(default.sections.find("Comprehensive Capabilities").unwrap().title, "Capabilities");
    // The data file passes the same checks as a user's file.
    let text = include_str!("../data/default-policy.yaml");
    assert_eq!(policy::parse_all(text, None).1, []);
}

#[test]
fn user_sections_merge_with_the_default_unless_told_not_to() {
    let text = "\
sections:
  required:
    - title: Core Purpose
      doc: Ours.
  recommended:
    - title: Security Notes
";
    let eff = LoadedPolicy::from_policy(policy::parse(text, None).unwrap(), None).for_file(None);
    assert_eq!(eff.sections.required.len(), 1);
    assert_eq!(eff.sections.find("purpose"), None, "the user's entry has no aliases and wins");
    assert_eq!(eff.sections.find("core purpose").unwrap().doc, "Ours.");
    let rec: Vec<&str> = eff.sections.recommended.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(rec, ["Capabilities", "Behavioral Traits", "Response Approach", "Security Notes"]);
    assert!(eff.sections.find("Key Distinctions").is_some());

    let alone = format!("extends_default: false\n{text}");
    let eff = LoadedPolicy::from_policy(policy::parse(&alone, None).unwrap(), None).for_file(None);
    assert_eq!(eff.sections.recommended.len(), 1);
    assert!(eff.sections.known.is_empty());
}

#[test]
fn override_sections_replace_lists_and_required_beats_recommended() {
    let text = "\
overrides:
  - files: ['*.prompt.md']
    sections:
      recommended: []
  - files: ['strict/']
    sections:
      required:
        - title: Capabilities
";
    let loaded = LoadedPolicy::from_policy(policy::parse(text, None).unwrap(), None);
    assert!(loaded.for_file(Some(Path::new("a.prompt.md"))).sections.recommended.is_empty());
    let strict = loaded.for_file(Some(Path::new("strict/a.md"))).sections;
    assert_eq!(strict.required[0].title, "Capabilities");
    assert!(strict.recommended.iter().all(|s| s.title != "Capabilities"));
    assert_eq!(strict.recommended.len(), 3);
}

// Errors and their locations.

#[test]
fn yaml_syntax_error_is_located() {
    let text = "tools:\n  deny: [Bash\nrules: {}\n";
    let all = problems(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    let p = &all[0];
    assert!(p.is_error());
    assert_eq!((p.line, p.column), (3, 6), "{p:?}");
    assert_eq!(p.span.start, text.find("rules").unwrap() + 5);
    let loaded = load_text("tools:\n  deny: [Bash\nrules: {}\n");
    assert_eq!(loaded.error.as_ref().unwrap().line, 3);
    assert_eq!(*loaded.policy, *policy::builtin_default(), "the default applies meanwhile");
}

fn load_text(text: &str) -> LoadedPolicy {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join(".agentls.yaml");
    write(&f, text);
    policy::load(&f)
}

#[test]
fn unknown_fields_and_wrong_types_are_located_on_the_culprit() {
    let p = only_problem("# héllo wörld: non-ASCII before the error\ntools:\n  denny: [Bash]\n", "denny");
    assert_eq!((p.line, p.column), (3, 3));
    assert!(p.message.contains("unknown field `denny`"), "{}", p.message);
    assert!(p.message.contains("expected one of"), "{}", p.message);

    let p = only_problem("description:\n  max: lots\n", "lots");
    assert_eq!((p.line, p.column), (2, 8));
    assert!(p.message.contains("invalid type") || p.message.contains("invalid value"), "{}", p.message);

    let p = only_problem("overrides:\n  - files: [a.md]\n    tols: {}\n", "tols");
    assert_eq!((p.line, p.column), (3, 5));

    let p = only_problem("rules:\n  yaml-syntax: loud\n", "loud");
    assert!(p.message.contains("unknown variant `loud`"), "{}", p.message);
}

#[test]
fn dialect_ids_accept_aliases_and_reject_unknown_ones() {
    assert_eq!(policy::parse("dialect: claude-code\n", None).unwrap().dialect, Some(Dialect::Claude));
    assert_eq!(policy::parse("dialect: droid\n", None).unwrap().dialect, Some(Dialect::Factory));
    let p = only_problem("rules: {}\ndialect: cursor\n", "cursor");
    assert_eq!((p.line, p.column), (2, 10));
    assert!(p.message.contains("unknown dialect `cursor`") && p.message.contains("`opencode`"), "{}", p.message);
    let p = only_problem("tools:\n  extra:\n    - name: X\n      dialects: [claude, gemini]\n", "gemini");
    assert!(p.message.contains("unknown dialect `gemini`"), "{}", p.message);
}

#[test]
fn bad_regex_is_located_on_the_pattern() {
    let text = "description:\n  max: 500\nname:\n  pattern: '[a-z'\n";
    let p = only_problem(text, "'[a-z'");
    assert_eq!((p.line, p.column), (4, 12));
    assert!(p.is_error());
    assert!(p.message.contains("not a valid regex") && p.message.contains("unclosed character class"), "{}", p.message);
    assert!(!p.message.contains('\n'), "one line: {}", p.message);
    // Through `load` the default applies meanwhile and the error names the file.
    let loaded = load_text(text);
    let e = loaded.error.as_ref().unwrap();
    assert_eq!((e.line, e.column), (4, 12));
    assert!(
        e.to_string().ends_with(":4:12: error: `name.pattern` is not a valid regex: unclosed character class"),
        "{e}"
    );
    assert!(loaded.policy.name.pattern.is_none());
}

#[test]
fn all_checks_after_parsing_are_reported_in_file_order() {
    let text = "\
name:
  pattern: '(oops'
rules:
  yaml-syntax: off
  yaml-sintax: error
description: {min: 900, max: 10}
overrides:
  - files: ['ok/**', 'bad/[x']
    name:
      pattern: 'a{2,1}'
  - files: []
";
    let all = problems(text);
    let got: Vec<(Severity, &str)> = all.iter().map(|p| (p.severity, &text[p.span.clone()])).collect();
    assert_eq!(
        got,
        [
            (Severity::Error, "'(oops'"),
            (Severity::Warning, "yaml-sintax"),
            (Severity::Error, "900"),
            (Severity::Error, "'bad/[x'"),
            (Severity::Error, "'a{2,1}'"),
            (Severity::Warning, "files: []"),
        ],
        "{all:#?}"
    );
    assert!(all[1].message.contains("did you mean `yaml-syntax`"), "{}", all[1].message);
    assert!(all[3].message.contains("invalid glob `bad/[x`"), "{}", all[3].message);
    assert_eq!(policy::parse(text, None).unwrap_err().message, all[0].message, "`parse` returns the first error");
}

#[test]
fn unknown_rule_codes_warn_but_the_policy_applies() {
    let loaded = load_text("tools:\n  deny: [Bash]\nrules:\n  not-a-rule-yet: off\n");
    assert!(loaded.error.is_none());
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].severity, Severity::Warning);
    assert_eq!((loaded.problems[0].line, loaded.problems[0].column), (4, 3));
    assert!(loaded.for_file(None).tool_denied("Bash"));
}

#[test]
fn empty_and_comment_only_policies_are_the_default() {
    for text in ["", "\n", "# nothing yet\n", "---\n", "~\n"] {
        let (p, problems) = policy::parse_all(text, None);
        assert_eq!(p, Some(Policy::default()), "{text:?}");
        assert!(problems.is_empty(), "{text:?}: {problems:?}");
    }
    let p = only_problem("- a\n- b\n", "- a\n- b");
    assert!(p.message.contains("invalid type"), "{}", p.message);
}

// Hostile input.

#[test]
fn alias_bomb_is_refused() {
    // Nine levels of ten aliases each: a billion "lol"s once expanded.
    let mut text = String::from("overrides:\n  - files: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9 {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        text.push_str(&format!("  - files: &l{i} [{refs}]\n"));
    }
    let all = problems(&text);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(all[0].message.contains("alias bomb"), "{}", all[0].message);
    assert!(text[all[0].span.clone()].starts_with("*l"), "on the alias that tips it over");

    // The same with a shape serde would accept: one big override repeated many times.
    let big = (0..5000).map(|i| format!("f{i}")).collect::<Vec<_>>().join(", ");
    let mut text = format!("overrides:\n  - &o {{files: [{big}]}}\n");
    for _ in 0..2000 {
        text.push_str("  - *o\n");
    }
    let loaded = load_text(&text);
    assert!(loaded.error.as_ref().unwrap().message.contains("alias bomb"));
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let text = format!("rules: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let all = problems(&text);
    assert_eq!(all.len(), 1);
    // saphyr's own recursion limit or ours, whichever comes first.
    assert!(
        all[0].message.contains("nests deeper") || all[0].message.contains("recursion limit"),
        "{}",
        all[0].message
    );
}

#[test]
fn huge_policy_is_refused() {
    let text = format!("# {}\n", "x".repeat(policy::MAX_POLICY_BYTES as usize));
    let all = problems(&text);
    assert!(all[0].message.contains("limit"), "{}", all[0].message);
    let loaded = load_text(&text);
    assert!(loaded.error.as_ref().unwrap().message.contains("limit"));
    assert!(loaded.path.is_some());
}

#[test]
fn unreadable_policies_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join(".agentls.yaml");
    fs::write(&f, b"tools:\n  deny: [\xff]\n").unwrap();
    let loaded = policy::load(&f);
    let e = loaded.error.unwrap();
    assert!(e.message.contains("UTF-8"), "{}", e.message);
    assert_eq!((e.line, e.column, e.span.start), (2, 10, 16));
    let missing = policy::load(&dir.path().join("nope.yaml"));
    assert!(missing.error.unwrap().message.contains("cannot read"));
}

// The schema and the example.

fn schema() -> serde_json::Value {
    let text = include_str!("../schemas/agentls-policy.schema.json");
    serde_json::from_str(text).expect("the schema is valid JSON")
}

fn keys_of(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

/// The schema object for `name`: the root, or a `$defs` entry.
fn def<'a>(schema: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    if name == "root" {
        schema
    } else {
        &schema["$defs"][name]
    }
}

#[test]
fn schema_lists_exactly_the_fields_of_the_types() {
    use agentls::policy::*;
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let full_override = Override {
        kinds: vec![agentls::dialect::FileKind::Skill],
        dialect: Some(Dialect::Claude),
        tools: Some(ToolsPolicy::default()),
        models: Some(ModelsPolicy::default()),
        sections: Some(SectionsPolicy::default()),
        description: Some(DescriptionPolicy::default()),
        name: Some(NamePolicy::default()),
        ..Default::default()
    };
    let cases: Vec<(&str, serde_json::Value)> = vec![
        ("root", serde_json::to_value(Policy::default()).unwrap()),
        ("override", serde_json::to_value(full_override).unwrap()),
        ("tools", serde_json::to_value(ToolsPolicy::default()).unwrap()),
        ("models", serde_json::to_value(ModelsPolicy::default()).unwrap()),
        ("sections", serde_json::to_value(SectionsPolicy::default()).unwrap()),
        ("section", serde_json::to_value(SectionSpec::default()).unwrap()),
        ("description", serde_json::to_value(DescriptionPolicy::default()).unwrap()),
        ("name", serde_json::to_value(NamePolicy::default()).unwrap()),
        ("extraTool", serde_json::to_value(ExtraTool::default()).unwrap()),
        ("extraModel", serde_json::to_value(ExtraModel::default()).unwrap()),
    ];
    for (name, value) in cases {
        let d = def(&s, name);
        assert_eq!(keys_of(&d["properties"]), keys_of(&value), "schema `{name}` has drifted from the Rust type");
        assert_eq!(d["additionalProperties"], false, "`{name}` must refuse unknown fields as the parser does");
    }
    // Rule levels and dialect ids are the ones the parser takes.
    let levels: Vec<String> =
        s["$defs"]["ruleLevel"]["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    for l in &levels {
        assert!(policy::parse(&format!("rules: {{yaml-syntax: {l}}}"), None).is_ok(), "{l}");
    }
    for d in s["$defs"]["dialect"]["enum"].as_array().unwrap().iter().filter_map(|d| d.as_str()) {
        assert!(Dialect::from_id(d).is_some(), "{d}");
    }
}

#[test]
fn example_policy_is_valid() {
    let text = include_str!("../examples/.agentls.yaml");
    let (p, problems) = policy::parse_all(text, None);
    assert!(problems.is_empty(), "{problems:#?}");
    let p = p.unwrap();
    assert!(!p.overrides.is_empty() && !p.rules.is_empty() && !p.tools.deny.is_empty());
}

// The default policy through the rules engine.

#[test]
fn default_policy_is_satisfied_by_the_seed_and_hints_what_is_missing() {
    use agentls::analysis::Settings;
    use agentls::engine::check;
    let seed = fs::read_to_string(find_seed()).unwrap();
    let path = Path::new(".factory/droids/senior-backend-developer.md");
    let settings = Settings::default();
    let hints = |text: &str| -> Vec<String> {
        check(text, Some(path), &settings)
            .into_iter()
            .filter(|d| d.code == "recommended-section")
            .map(|d| d.message)
            .collect()
    };
    assert_eq!(hints(&seed), Vec::<String>::new(), "the seed has every recommended section");
    let without = seed.replace("## Behavioral Traits\n", "## Habits\n");
    let got = hints(&without);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("Behavioral Traits"), "{got:?}");
}

#[test]
fn bounded_discovery_never_looks_above_the_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".agentls.yaml"), "rules: {unknown-key: off}\n").unwrap();
    let ws = dir.path().join("ws");
    let agents = ws.join(".claude/agents");
    std::fs::create_dir_all(&agents).unwrap();
    let file = agents.join("a.md");
    assert!(agentls::policy::find_within(&file, None).is_some());
    assert!(agentls::policy::find_within(&file, Some(&ws)).is_none());
    std::fs::write(ws.join(".agentls.yaml"), "rules: {}\n").unwrap();
    assert_eq!(agentls::policy::find_within(&file, Some(&ws)), Some(ws.join(".agentls.yaml")));
    // A file outside the root finds nothing.
    assert!(agentls::policy::find_within(&dir.path().join("x.md"), Some(&ws)).is_none());
}

/// `products` states the product versions the team runs; an unknown product or a value that is not
/// a version is a warning (the newest facts apply), and a version written as a number is read.
#[test]
fn products_give_the_teams_versions() {
    let text = "products:\n  claude-code: \"2.1.200\"\n  vscode: 1.107\n  factory: later\n  cursor: \"1.0\"\n";
    let loaded = load_text(text);
    assert!(loaded.error.is_none(), "{:?}", loaded.error);
    let got: Vec<(Severity, &str)> = loaded.problems.iter().map(|p| (p.severity, &text[p.span.clone()])).collect();
    assert_eq!(got, [(Severity::Warning, "later"), (Severity::Warning, "cursor")], "{:#?}", loaded.problems);
    assert!(loaded.problems[1].message.contains("`claude-code`"), "{}", loaded.problems[1].message);
    let eff = loaded.for_file(None);
    assert_eq!(eff.product_version("claude-code"), Some("2.1.200"));
    assert_eq!(eff.product_version("vscode"), Some("1.107"));
    assert_eq!(eff.product_version("opencode"), None);
    let e = policy::parse("products:\n  claude-code: [2]\n", None).unwrap_err();
    assert!(e.message.contains("must be a string"), "{}", e.message);
    assert!(policy::parse("overrides:\n  - files: [x]\n    products: {}\n", None).is_err(), "top level only");
}
