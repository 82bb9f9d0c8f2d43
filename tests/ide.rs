//! Editor features (completion, hover, outline, folding, code actions, semantic tokens) on
//! fixtures with a `$0` cursor marker.

use std::path::Path;
use std::sync::Arc;

use agentls::analysis::{analyze, Settings};
use agentls::diagnostic::{apply_edits, Span};
use agentls::engine::check;
use agentls::ide::{self, ActionKind, Completion, CompletionKind, FoldKind, SymbolKind, TokenKind};
use agentls::policy::{self, LoadedPolicy};

mod support;
use support::seed;

const DROID: &str = ".factory/droids/x.md";
const CLAUDE: &str = ".claude/agents/x.md";
const COPILOT: &str = ".github/agents/x.agent.md";
const OPENCODE: &str = ".opencode/agent/x.md";

/// A policy that documents the seed's sections and denies one tool, as a team would write it.
const POLICY: &str = r#"
extends_default: false
tools:
  deny: ["Execute", "mcp__*"]
sections:
  required:
    - title: Core Purpose
      doc: What the agent is for, in two or three sentences. The first thing the model reads.
      template: Describe the agent's job in two or three sentences.
    - title: Workflow
      doc: The steps the agent follows.
      template: "1. First step"
  recommended:
    - title: Behavioral Traits
      doc: How the agent behaves.
    - title: Output Format
      doc: What the agent's answers look like.
      template: "- What to return"
  known:
    - title: Comprehensive Capabilities
      doc: The agent's skills, grouped by area in `###` subsections.
"#;

fn settings_with(policy_yaml: &str) -> Settings {
    let p = policy::parse(policy_yaml, None).expect("test policy parses");
    Settings { policy: Arc::new(LoadedPolicy::from_policy(p, None)), ..Settings::default() }
}

/// Splits a fixture at its `$0` marker.
fn fixture(f: &str) -> (String, usize) {
    let at = f.find("$0").expect("fixture has a $0 cursor");
    (format!("{}{}", &f[..at], &f[at + 2..]), at)
}

fn complete_with(path: &str, f: &str, s: &Settings) -> (String, Vec<Completion>) {
    let (text, at) = fixture(f);
    let a = analyze(&text, Some(Path::new(path)), s);
    let c = ide::completions(&a, at);
    for x in &c {
        assert!(span_ok(&text, &x.replace), "{:?} replaces {:?} out of bounds", x.label, x.replace);
        assert!(
            x.replace.start <= at && at <= x.replace.end,
            "{:?} replace {:?} misses cursor {at}",
            x.label,
            x.replace
        );
    }
    (text, c)
}

fn complete(path: &str, f: &str) -> (String, Vec<Completion>) {
    complete_with(path, f, &Settings::default())
}

fn labels(c: &[Completion]) -> Vec<&str> {
    c.iter().map(|x| x.label.as_str()).collect()
}

fn find<'c>(c: &'c [Completion], label: &str) -> &'c Completion {
    c.iter().find(|x| x.label == label).unwrap_or_else(|| panic!("no completion {label:?} in {:?}", labels(c)))
}

/// The document after accepting a completion (snippet markers left as they are).
fn accept(text: &str, c: &Completion) -> String {
    format!("{}{}{}", &text[..c.replace.start], c.insert_text, &text[c.replace.end..])
}

fn span_ok(text: &str, s: &Span) -> bool {
    s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
}

// ---------------------------------------------------------------------------------------------
// Tool completion in each shape

#[test]
fn droid_flow_list_offers_factory_tools() {
    let (text, c) = complete(DROID, "---\nname: x\ntools: [\"Read\", $0]\n---\nBody\n");
    let l = labels(&c);
    assert!(l.contains(&"Execute") && l.contains(&"FetchUrl"), "{l:?}");
    assert!(!l.contains(&"Bash"), "a Claude tool offered to a droid");
    assert!(!l.contains(&"Read"), "an already listed tool offered again");
    assert!(!l.contains(&"Task") && !l.contains(&"GenerateDroid"), "unavailable tools offered");
    // `MultiEdit` is deprecated (Factory's CLI gives the droid `Edit` instead): offered struck through, last.
    assert!(c.iter().any(|x| x.label == "MultiEdit" && x.deprecated), "MultiEdit offered as deprecated");
    // Outside quotes, the item is written in the list's quoting style.
    assert_eq!(accept(&text, find(&c, "Execute")), "---\nname: x\ntools: [\"Read\", \"Execute\"]\n---\nBody\n");
    assert_eq!(find(&c, "Execute").kind, CompletionKind::Tool);
}

#[test]
fn claude_flow_list_offers_claude_tools() {
    let (_, c) = complete(CLAUDE, "---\nname: x\ntools: [\"Read\", $0]\n---\n");
    let l = labels(&c);
    assert!(l.contains(&"Bash"), "{l:?}");
    assert!(!l.contains(&"Execute") && !l.contains(&"Read"), "{l:?}");
}

#[test]
fn flow_list_inside_quotes_replaces_the_partial_word() {
    let (text, c) = complete(DROID, "---\nname: x\ntools: [\"Read\", \"Fe$0\"]\n---\n");
    let f = find(&c, "FetchUrl");
    assert_eq!(&text[f.replace.clone()], "Fe");
    assert_eq!(accept(&text, f), "---\nname: x\ntools: [\"Read\", \"FetchUrl\"]\n---\n");
    // Single quotes and plain items keep their style too.
    let (text, c) = complete(DROID, "---\ntools: ['Read', Gr$0]\n---\n");
    assert_eq!(accept(&text, find(&c, "Grep")), "---\ntools: ['Read', 'Grep']\n---\n");
    let (text, c) = complete(DROID, "---\ntools: [Read, $0\n---\n");
    assert_eq!(accept(&text, find(&c, "Grep")), "---\ntools: [Read, Grep\n---\n");
}

#[test]
fn unclosed_flow_list_while_typing() {
    for f in [
        "---\nname: x\ntools: [\"Read\", $0\n---\n\nBody\n",
        "---\nname: x\ntools: [\"Read\", $0",
        "---\nname: x\ntools: [\"Read\",\n  \"Grep\",\n  $0\n---\n",
        "---\nname: x\ntools: [\"Read\", \"Ex$0\n---\n",
    ] {
        let (_, c) = complete(DROID, f);
        let l = labels(&c);
        assert!(l.contains(&"Execute"), "{f:?}: {l:?}");
        assert!(!l.contains(&"Read"), "{f:?}: {l:?}");
    }
}

#[test]
fn block_list_shape() {
    let (text, c) = complete(DROID, "---\nname: x\ntools:\n  - Read\n  - $0\n---\n");
    let l = labels(&c);
    assert!(l.contains(&"Grep") && !l.contains(&"Read"), "{l:?}");
    assert_eq!(accept(&text, find(&c, "Grep")), "---\nname: x\ntools:\n  - Read\n  - Grep\n---\n");
    let (text, c) = complete(CLAUDE, "---\ntools:\n  - \"Read\"\n  - Gl$0\n---\n");
    assert_eq!(accept(&text, find(&c, "Glob")), "---\ntools:\n  - \"Read\"\n  - \"Glob\"\n---\n");
}

#[test]
fn comma_string_shape() {
    let (text, c) = complete(CLAUDE, "---\nname: x\ntools: Read, Gr$0\n---\n");
    let g = find(&c, "Grep");
    assert_eq!(&text[g.replace.clone()], "Gr");
    assert_eq!(accept(&text, g), "---\nname: x\ntools: Read, Grep\n---\n");
    assert!(!labels(&c).contains(&"Read"));
    // Arguments are not tool names, and the cursor inside them gets nothing.
    let (_, c) = complete(CLAUDE, "---\ntools: Bash(git add, commit), $0\n---\n");
    assert!(!labels(&c).contains(&"Bash") && labels(&c).contains(&"Read"));
    let (_, c) = complete(CLAUDE, "---\ntools: Bash(git $0)\n---\n");
    assert!(c.is_empty(), "{:?}", labels(&c));
}

#[test]
fn empty_tools_value_uses_the_dialects_shape() {
    let (text, c) = complete(DROID, "---\ntools: $0\n---\n");
    assert_eq!(accept(&text, find(&c, "Read")), "---\ntools: [\"Read\"]\n---\n");
    assert!(labels(&c).contains(&"read-only"), "Factory categories are offered for a whole value");
    let (text, c) = complete(CLAUDE, "---\ntools:$0\n---\n");
    assert_eq!(accept(&text, find(&c, "Read")), "---\ntools: Read\n---\n");
    // Factory's CLI (v0.225.2) splits a comma string, so a first word stays a word, as a category does.
    let (text, c) = complete(DROID, "---\ntools: Re$0\n---\n");
    assert_eq!(accept(&text, find(&c, "Read")), "---\ntools: Read\n---\n");
    assert_eq!(accept(&text, find(&c, "read-only")), "---\ntools: read-only\n---\n");
}

#[test]
fn policy_denied_tools_are_not_offered() {
    let s = settings_with(POLICY);
    let (_, c) = complete_with(DROID, "---\nname: x\ntools: [\"Read\", $0]\n---\n", &s);
    let l = labels(&c);
    assert!(!l.contains(&"Execute"), "{l:?}");
    assert!(l.contains(&"FetchUrl"));
    // A category holding a denied tool is not offered either.
    let (_, c) = complete_with(DROID, "---\ntools: $0\n---\n", &s);
    assert!(!labels(&c).contains(&"execute") && labels(&c).contains(&"read-only"), "{:?}", labels(&c));
}

#[test]
fn deprecated_tools_are_marked_and_last() {
    let (_, c) = complete(CLAUDE, "---\ntools: Read, $0\n---\n");
    let task = find(&c, "Task");
    assert!(task.deprecated);
    let bash = find(&c, "Bash");
    assert!(bash.sort_text < task.sort_text);
    assert!(task.doc.as_deref().unwrap_or("").contains("Agent"), "the doc names the replacement");
}

#[test]
fn mcp_template_in_the_dialects_form() {
    let (text, c) = complete(DROID, "---\ntools: [\"Read\", $0]\n---\n");
    let m = c.iter().find(|x| x.kind == CompletionKind::McpTool).expect("an MCP template");
    assert!(m.is_snippet);
    assert_eq!(accept(&text, m), "---\ntools: [\"Read\", \"${1:server}___${2:tool}\"]\n---\n");
    let (_, c) = complete(CLAUDE, "---\ntools: Read, $0\n---\n");
    let m = c.iter().find(|x| x.kind == CompletionKind::McpTool).expect("an MCP template");
    assert_eq!(m.insert_text, "mcp__${1:server}__${2:tool}");
    // `mcp__*` denied by the policy: no template for Claude.
    let (_, c) = complete_with(CLAUDE, "---\ntools: Read, $0\n---\n", &settings_with(POLICY));
    assert!(c.iter().all(|x| x.kind != CompletionKind::McpTool));
}

#[test]
fn opencode_map_keys() {
    let (text, c) = complete(OPENCODE, "---\ntools:\n  bash: false\n  $0\n---\n");
    let l = labels(&c);
    assert!(!l.contains(&"bash") && l.contains(&"edit"), "{l:?}");
    assert!(accept(&text, find(&c, "edit")).contains("  edit: ${1|false,true|}\n"));
}

// ---------------------------------------------------------------------------------------------
// Keys, models, values, sections

#[test]
fn key_completion() {
    let (text, c) = complete(DROID, "---\nname: x\n$0\n---\nBody\n");
    let l = labels(&c);
    assert!(l.contains(&"description") && l.contains(&"tools") && l.contains(&"model"), "{l:?}");
    assert!(!l.contains(&"name"), "a used key is offered again");
    assert!(!l.contains(&"disallowedTools"), "a Claude key offered to a droid");
    let t = find(&c, "tools");
    assert!(t.is_snippet && t.doc.as_deref().is_some_and(|d| !d.is_empty()));
    assert!(accept(&text, t).contains("\ntools: [\"${1:Read}\""), "{}", accept(&text, t));
    // A partial key is replaced; a line with a colon after the cursor keeps its value.
    let (text, c) = complete(DROID, "---\nname: x\nde$0\n---\n");
    assert_eq!(&text[find(&c, "description").replace.clone()], "de");
    let (text, c) = complete(DROID, "---\nna$0: x\n---\n");
    assert_eq!(accept(&text, find(&c, "name")), "---\nname: x\n---\n");
    // `name` proposes the file name.
    let (text, c) = complete(".factory/droids/api-designer.md", "---\n$0\n---\n");
    assert_eq!(accept(&text, find(&c, "name")), "---\nname: ${1:api-designer}\n---\n");
    assert!(find(&c, "name").sort_text < find(&c, "description").sort_text, "required keys first");
    // Derived snippets: an enum offers its values as a choice.
    let (_, c) = complete(DROID, "---\nname: x\nreas$0\n---\n");
    assert!(find(&c, "reasoningEffort").insert_text.contains("${1|"), "{:?}", find(&c, "reasoningEffort"));
}

#[test]
fn model_completion() {
    let (text, c) = complete(DROID, "---\nname: x\nmodel: cl$0\n---\n");
    let l = labels(&c);
    assert!(l.contains(&"inherit") && l.contains(&"claude-sonnet-4-5-20250929"), "{l:?}");
    let m = find(&c, "claude-sonnet-4-5-20250929");
    assert_eq!(&text[m.replace.clone()], "cl");
    assert_eq!(m.kind, CompletionKind::Model);
    // Retired models are marked and sort after every current one.
    let retired = find(&c, "gpt-5-codex");
    assert!(retired.deprecated);
    assert!(c.iter().filter(|x| !x.deprecated).all(|x| x.sort_text < retired.sort_text));
    // Claude aliases come first.
    let (_, c) = complete(CLAUDE, "---\nmodel: $0\n---\n");
    assert!(find(&c, "sonnet").sort_text < find(&c, "claude-sonnet-4-5-20250929").sort_text);
}

#[test]
fn enum_value_completion() {
    let (text, c) = complete(DROID, "---\nmodel: claude-opus-5\nreasoningEffort: h$0\n---\n");
    let h = find(&c, "high");
    assert_eq!(&text[h.replace.clone()], "h");
    assert!(h.doc.is_some());
    // `none` is an OpenAI level, not one claude-opus-5 takes: sorted after the supported ones.
    assert!(find(&c, "none").sort_text > h.sort_text);
}

#[test]
fn section_completion() {
    let s = settings_with(POLICY);
    let f = "---\nname: x\ndescription: d\n---\n\n## Core Purpose\nText.\n\n## $0\n";
    let (text, c) = complete_with(DROID, f, &s);
    let l = labels(&c);
    assert!(!l.contains(&"Core Purpose"), "a present section is offered: {l:?}");
    assert!(l.contains(&"Workflow") && l.contains(&"Behavioral Traits") && l.contains(&"Comprehensive Capabilities"));
    let w = find(&c, "Workflow");
    assert_eq!(w.kind, CompletionKind::Section);
    assert!(accept(&text, w).ends_with("## Workflow\n\n1. First step\n"), "{:?}", accept(&text, w));
    // A partial title is replaced.
    let (text, c) = complete_with(DROID, "---\nname: x\n---\n## Beh$0\n", &s);
    assert_eq!(&text[find(&c, "Behavioral Traits").replace.clone()], "Beh");
}

// ---------------------------------------------------------------------------------------------
// Hover

fn hover_at(path: &str, text: &str, at: usize, s: &Settings) -> Option<ide::Hover> {
    let a = analyze(text, Some(Path::new(path)), s);
    ide::hover(&a, at)
}

#[test]
fn hover_on_sections_of_the_seed() {
    let text = seed();
    let s = settings_with(POLICY);
    let at = text.find("## Core Purpose").unwrap() + 5;
    let h = hover_at(DROID, &text, at, &s).expect("hover on a heading");
    assert_eq!(&text[h.span.clone()], "## Core Purpose");
    assert!(h.markdown.contains("What the agent is for"), "{}", h.markdown);
    assert!(h.markdown.contains("required"), "{}", h.markdown);

    let at = text.find("## Comprehensive Capabilities").unwrap() + 4;
    let h = hover_at(DROID, &text, at, &s).unwrap();
    assert!(h.markdown.contains("grouped by area"), "{}", h.markdown);
    assert!(
        h.markdown.contains("subsections") && h.markdown.contains("`API Design & Implementation`"),
        "{}",
        h.markdown
    );

    let at = text.find("### API Design").unwrap() + 5;
    let h = hover_at(DROID, &text, at, &s).unwrap();
    assert!(h.markdown.contains("Part of `## Comprehensive Capabilities`"), "{}", h.markdown);
    assert!(h.markdown.contains("list items"), "{}", h.markdown);

    // The CLI section tells a droid to use `Bash`, a Claude Code tool.
    let at = text.find("## CLI Tool Usage").unwrap() + 4;
    let h = hover_at(DROID, &text, at, &s).unwrap();
    assert!(h.markdown.contains("`Bash`: a Claude Code tool") && h.markdown.contains("`Execute`"), "{}", h.markdown);
}

#[test]
fn hover_with_the_default_policy() {
    let text = seed();
    let at = text.find("## Core Purpose").unwrap() + 5;
    let h = hover_at(DROID, &text, at, &Settings::default()).expect("hover on a heading");
    assert!(h.markdown.contains("What the agent is for"), "{}", h.markdown);
    assert!(h.markdown.contains("recommended"), "{}", h.markdown);
    let at = text.find("## Comprehensive Capabilities").unwrap() + 5;
    let h = hover_at(DROID, &text, at, &Settings::default()).unwrap();
    assert!(h.markdown.contains("What the agent knows"), "{}", h.markdown);
}

#[test]
fn hover_on_tools_keys_and_models() {
    let text = seed();
    let s = Settings::default();
    let at = text.find("\"Execute\"").unwrap() + 2;
    let h = hover_at(DROID, &text, at, &s).expect("hover on a tool");
    assert_eq!(&text[h.span.clone()], "Execute");
    assert!(h.markdown.contains("Factory tool"), "{}", h.markdown);
    let h = hover_at(DROID, &text, at, &settings_with(POLICY)).unwrap();
    assert!(h.markdown.contains("Denied by the team policy"), "{}", h.markdown);

    let at = text.find("\"MultiEdit\"").unwrap() + 3;
    let h = hover_at(DROID, &text, at, &s).unwrap();
    assert!(h.markdown.contains("Removed") && h.markdown.contains("`Edit`"), "{}", h.markdown);

    let at = text.find("model:").unwrap() + 1;
    let h = hover_at(DROID, &text, at, &s).expect("hover on a key");
    assert_eq!(&text[h.span.clone()], "model");
    assert!(h.markdown.contains("**`model`**") && h.markdown.contains("inherit"), "{}", h.markdown);

    let at = text.find("claude-sonnet-4-5").unwrap() + 3;
    let h = hover_at(DROID, &text, at, &s).expect("hover on a model");
    assert!(h.markdown.contains("model id"), "{}", h.markdown);

    // A foreign tool names its dialect and the equivalent, also on a broken line.
    for t in ["---\ntools: [\"Read\", \"Bash\"]\n---\n", "---\ntools: [\"Read\", \"Bash\"\n---\n"] {
        let at = t.find("Bash").unwrap() + 1;
        let h = hover_at(DROID, t, at, &s).unwrap_or_else(|| panic!("no hover in {t:?}"));
        assert_eq!(&t[h.span.clone()], "Bash");
        assert!(h.markdown.contains("Claude Code tool") && h.markdown.contains("`Execute`"), "{}", h.markdown);
    }
    // An enum value's own doc.
    let t = "---\nmodel: claude-opus-5\nreasoningEffort: xhigh\n---\n";
    let h = hover_at(DROID, t, t.find("xhigh").unwrap(), &s).unwrap();
    assert!(h.markdown.contains("Extra-high"), "{}", h.markdown);
}

#[test]
fn hover_explains_diagnostics_under_the_cursor() {
    let t = "---\nname: x\ndescription: d\ntools: [\"Read\", \"Bash\"]\n---\nBody.\n";
    let path = Some(Path::new(DROID));
    let a = analyze(t, path, &Settings::default());
    let diags = check(t, path, &Settings::default());
    let at = t.find("Bash").unwrap() + 1;
    let h = ide::hover_with_diagnostics(&a, &diags, at).unwrap();
    assert_eq!(&t[h.span.clone()], "Bash");
    assert!(h.markdown.contains("Claude Code tool") && h.markdown.contains("`foreign-tool`"), "{}", h.markdown);
    // No diagnostic: the plain hover.
    let at = t.find("Read").unwrap() + 1;
    assert_eq!(ide::hover_with_diagnostics(&a, &diags, at), ide::hover(&a, at));
}

// ---------------------------------------------------------------------------------------------
// Outline and folding

#[test]
fn symbols_of_the_seed() {
    let text = seed();
    let a = analyze(&text, Some(Path::new(DROID)), &Settings::default());
    let syms = ide::symbols(&a);
    let fm = &syms[0];
    assert_eq!(fm.kind, SymbolKind::Frontmatter);
    let keys: Vec<_> = fm.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(keys, ["name", "description", "model", "tools"]);
    assert_eq!(fm.children[0].detail.as_deref(), Some("senior-backend-developer"));
    let caps = syms.iter().find(|s| s.name == "Comprehensive Capabilities").expect("a top-level section");
    assert!(caps.children.iter().any(|c| c.name == "API Design & Implementation"));
    assert!(syms.iter().all(|s| s.name != "API Design & Implementation"), "subsections nest");
    fn walk(text: &str, s: &ide::Symbol) {
        assert!(s.selection.start >= s.span.start && s.selection.end <= s.span.end, "{}", s.name);
        assert!(span_ok(text, &s.span) && !s.name.is_empty());
        s.children.iter().for_each(|c| walk(text, c));
    }
    syms.iter().for_each(|s| walk(&text, s));
}

#[test]
fn folds() {
    let t = "---\nname: x\ntools:\n  - Read\n  - Grep\n---\n\n## A\ntext\n\n```sh\nls\nls\n```\n\n## B\nmore\n";
    let a = analyze(t, Some(Path::new(CLAUDE)), &Settings::default());
    let f = ide::folds(&a);
    let got: Vec<(FoldKind, &str)> = f.iter().map(|x| (x.kind, &t[x.span.clone()])).collect();
    assert_eq!(
        got,
        [
            (FoldKind::Frontmatter, "---\nname: x\ntools:\n  - Read\n  - Grep\n---"),
            (FoldKind::Frontmatter, "tools:\n  - Read\n  - Grep"),
            (FoldKind::Section, "## A\ntext\n\n```sh\nls\nls\n```"),
            (FoldKind::Code, "```sh\nls\nls\n```"),
            (FoldKind::Section, "## B\nmore"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Code actions

#[test]
fn insert_missing_section() {
    let s = settings_with(POLICY);
    let t = "---\nname: x\ndescription: d\n---\n\n## Core Purpose\nDoes things.\n\n## Behavioral Traits\n- Calm\n";
    let a = analyze(t, Some(Path::new(DROID)), &s);
    let diags = check(t, Some(Path::new(DROID)), &s);
    let body_offset = t.find("Does").unwrap();
    let acts = ide::code_actions(&a, &diags, body_offset..body_offset);
    let titles: Vec<_> = acts.iter().map(|x| x.title.as_str()).collect();
    let wf = acts.iter().find(|x| x.title == "Insert section `Workflow`").unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(wf.kind, ActionKind::InsertSection);
    assert_eq!(
        apply_edits(t, &wf.edits),
        "---\nname: x\ndescription: d\n---\n\n## Core Purpose\nDoes things.\n\n## Workflow\n\n1. First step\n\n## Behavioral Traits\n- Calm\n"
    );
    let all = acts.iter().find(|x| x.title.starts_with("Insert all")).expect("insert all");
    insta::assert_snapshot!(apply_edits(t, &all.edits), @r"
    ---
    name: x
    description: d
    ---

    ## Core Purpose
    Does things.

    ## Workflow

    1. First step

    ## Behavioral Traits
    - Calm

    ## Output Format

    - What to return
    ");
}

#[test]
fn no_section_actions_in_prompt_files() {
    let s = settings_with(POLICY);
    let t = "---\ndescription: d\n---\nDo this.\n";
    let a = analyze(t, Some(Path::new(".github/prompts/x.prompt.md")), &s);
    assert!(ide::code_actions(&a, &[], 0..0).iter().all(|x| x.kind != ActionKind::InsertSection));
}

#[test]
fn insert_all_into_an_empty_body_does_not_double_blank_lines() {
    let s = settings_with(POLICY);
    let t = "---\nname: x\ndescription: d\n---\nIntro.\n";
    let a = analyze(t, Some(Path::new(DROID)), &s);
    let acts = ide::code_actions(&a, &[], 0..0);
    let all = acts.iter().find(|x| x.title.starts_with("Insert all")).expect("insert all");
    let out = apply_edits(t, &all.edits);
    assert!(!out.contains("\n\n\n"), "{out}");
    let order: Vec<_> = ["## Core Purpose", "## Workflow", "## Behavioral Traits", "## Output Format"]
        .iter()
        .map(|h| out.find(h).unwrap_or_else(|| panic!("{h} missing in {out}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{out}");
}

#[test]
fn quick_fixes_and_fix_all() {
    let t = "---\nname: x\ndescription: d\ntools: [\"Read\", \"Bash\", \"MultiEdit\", \"Read\"]\n---\nBody.\n";
    let path = Some(Path::new(DROID));
    let s = Settings::default();
    let a = analyze(t, path, &s);
    let diags = check(t, path, &s);
    let at = t.find("Bash").unwrap();
    let acts = ide::code_actions(&a, &diags, at..at + 4);
    let quick: Vec<_> = acts.iter().filter(|x| x.kind == ActionKind::QuickFix).collect();
    assert!(!quick.is_empty(), "{diags:?}");
    for q in &quick {
        let d = &diags[q.fixes.expect("a quick fix names its diagnostic")];
        assert!(d.span.start <= at + 4 && at <= d.span.end);
    }
    assert!(acts.iter().all(|x| x.kind != ActionKind::FixAll), "fix-all is asked for apart");
    let all = ide::fix_all(&a, &diags, &|t: &str| check(t, path, &s)).expect("fix all");
    assert_eq!(all.kind, ActionKind::FixAll);
    let fixed = apply_edits(t, &all.edits);
    assert_eq!(fixed, "---\nname: x\ndescription: d\ntools: [\"Read\", \"Execute\", \"Edit\"]\n---\nBody.\n");
    let after = check(&fixed, path, &s);
    assert!(after.iter().all(|d| d.fixes.iter().all(|f| !f.safe)), "{after:?}");
}

// ---------------------------------------------------------------------------------------------
// Semantic tokens

#[test]
fn semantic_tokens_of_the_seed() {
    let text = seed();
    let a = analyze(&text, Some(Path::new(DROID)), &Settings::default());
    let toks = ide::semantic_tokens(&a);
    let show: Vec<String> = toks
        .iter()
        .map(|t| format!("{:?} {}{}", t.kind, &text[t.span.clone()], if t.deprecated { " (deprecated)" } else { "" }))
        .collect();
    assert!(show.contains(&"Key tools".to_string()));
    assert!(show.contains(&"Tool Execute".to_string()));
    assert!(show.contains(&"Tool MultiEdit (deprecated)".to_string()), "{show:?}");
    assert!(show.contains(&"Model claude-sonnet-4-5-20250929".to_string()), "{show:?}");
    assert!(toks.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    assert_eq!(toks.iter().filter(|t| t.kind == TokenKind::Key).count(), 4);
}

// ---------------------------------------------------------------------------------------------
// Robustness

const BROKEN: &[(&str, &str)] = &[
    (DROID, "---\nname: x\ntools: [\"Read\", "),
    (DROID, "---\nname: x\ntools: [\"Read\", \"Ex\n---\n## Core Purpose\n"),
    (CLAUDE, "---\ntools: Read, Bash(git *, \n---\n"),
    (CLAUDE, "\u{feff}---\r\nname: é✓\r\ntools:\r\n  - Read\r\n  - 'Gr\r\n---\r\n## Tâche ✓\r\n```\r\n## x\r\n"),
    (COPILOT, "---\ntools: ['read', 'sea\nmodel: Claude Sonnet 4.5 (copilot)\n---\n# Title\n"),
    (OPENCODE, "---\ntools:\n  bash: false\n  ed\npermission:\n  edit: ask\n---\n"),
    (DROID, "---\r---\rname: x\r"),
    (DROID, "---\n---\n"),
    (DROID, ""),
    (DROID, "---"),
    (DROID, "## \n#\n###### x\n"),
    (CLAUDE, "---\n\t tools: [\"日本語\", 'x''y', \"a\\\"b\", $\n---\n"),
    (CLAUDE, "---\nkey: \"unterminated\ntools: [[[{{\"a\n---\n"),
    (DROID, "---\n\"é: x\n'k': [\"Read\",\n]é\n\"\"é\n---\n"),
];

#[test]
fn every_offset_is_safe() {
    let s = settings_with(POLICY);
    let seed = seed();
    let mut files: Vec<(&str, &str)> = BROKEN.to_vec();
    files.push((DROID, &seed));
    for (path, text) in files {
        let a = analyze(text, Some(Path::new(path)), &s);
        let diags = check(text, Some(Path::new(path)), &s);
        if let Some(all) = ide::fix_all(&a, &diags, &|t: &str| check(t, Some(Path::new(path)), &s)) {
            assert!(all.edits.iter().all(|e| span_ok(text, &e.span)), "{path} {text:?}: {all:?}");
        }
        for f in ide::folds(&a) {
            assert!(span_ok(text, &f.span), "{path} {text:?}: fold {f:?}");
        }
        for t in ide::semantic_tokens(&a) {
            assert!(span_ok(text, &t.span), "{path} {text:?}: token {t:?}");
        }
        for sym in ide::symbols(&a) {
            assert!(span_ok(text, &sym.span) && span_ok(text, &sym.selection));
        }
        // Every byte offset, including those inside multi-byte characters and past the end.
        for at in 0..=text.len() + 1 {
            for c in ide::completions(&a, at) {
                assert!(span_ok(text, &c.replace), "{path} {text:?} @{at}: {c:?}");
            }
            if let Some(h) = ide::hover(&a, at) {
                assert!(span_ok(text, &h.span) && !h.markdown.is_empty(), "{path} {text:?} @{at}: {h:?}");
            }
            // Code actions do not depend on the exact offset much: sample long files.
            if text.len() > 2000 && at % 11 != 0 {
                continue;
            }
            let end = (at + 3).min(text.len());
            for act in ide::code_actions(&a, &diags, at.min(text.len())..end) {
                for e in &act.edits {
                    assert!(span_ok(text, &e.span), "{path} {text:?} @{at}: {act:?}");
                }
                let mut sorted = act.edits.clone();
                sorted.sort_by_key(|e| (e.span.start, e.span.end));
                assert!(
                    sorted.windows(2).all(|w| w[0].span.end <= w[1].span.start && w[0].span != w[1].span),
                    "{path} {text:?}: overlapping edits in {act:?}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots: what an editor shows at a few typical cursor positions

/// One line per item: label, what it inserts, the text it replaces, and its marks.
fn render(text: &str, c: &[Completion]) -> String {
    let mut sorted: Vec<&Completion> = c.iter().collect();
    sorted.sort_by(|x, y| (&x.sort_text, &x.label).cmp(&(&y.sort_text, &y.label)));
    sorted
        .iter()
        .map(|x| {
            format!(
                "{:?} {} => {:?} over {:?}{}{}\n",
                x.kind,
                x.label,
                x.insert_text,
                &text[x.replace.clone()],
                if x.deprecated { " (deprecated)" } else { "" },
                if x.is_snippet { " (snippet)" } else { "" },
            )
        })
        .collect()
}

#[test]
fn completion_snapshots() {
    let s = settings_with(POLICY);
    let cases: &[(&str, &str, &str)] = &[
        ("droid_flow_list", DROID, "---\nname: x\ntools: [\"Read\", \"Gr$0\"]\n---\n"),
        ("droid_keys", DROID, "---\nname: x\ntools: [\"Read\"]\nm$0\n---\n"),
        ("claude_comma_string", CLAUDE, "---\nname: x\ntools: Read, Grep, Bash, $0\n---\n"),
        ("copilot_flow_list", COPILOT, "---\ntools: ['read', 'se$0']\n---\n"),
        ("opencode_block_map", OPENCODE, "---\ntools:\n  $0\n---\n"),
        ("copilot_comma_string", COPILOT, "---\ntools: read, $0\n---\n"),
        ("sections_with_policy", DROID, "---\nname: x\n---\n## Core Purpose\nx\n## $0\n"),
    ];
    let mut out = String::new();
    for (name, path, f) in cases {
        let (text, c) = complete_with(path, f, &s);
        out.push_str(&format!("== {name}: {f:?}\n{}\n", render(&text, &c)));
    }
    insta::assert_snapshot!(out);
}

// ---------------------------------------------------------------------------------------------
// Random agent-like text: no panic, every span in bounds, at every offset

mod random {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "---\n",
        "---",
        "\n",
        "\r\n",
        "\r",
        " ",
        "  ",
        "\t",
        "tools:",
        "model:",
        "name:",
        "reasoningEffort:",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "'",
        ",",
        ", ",
        "- ",
        "## ",
        "### ",
        "#",
        "Read",
        "Bash(git *)",
        "Execute",
        "mcp__a__b",
        "é",
        "✓",
        "日本",
        "`",
        "```",
        ":",
        "true",
        "Core Purpose",
        "*",
        "\\",
    ];

    fn doc() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| format!("---\n{}", v.concat()))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
        #[test]
        fn ide_features_never_panic(text in doc(), dialect in 0usize..4) {
            let path = [DROID, CLAUDE, COPILOT, OPENCODE][dialect];
            let s = Settings::default();
            let a = analyze(&text, Some(Path::new(path)), &s);
            let diags = check(&text, Some(Path::new(path)), &s);
            for f in ide::folds(&a) {
                prop_assert!(span_ok(&text, &f.span));
            }
            for t in ide::semantic_tokens(&a) {
                prop_assert!(span_ok(&text, &t.span));
            }
            for sym in ide::symbols(&a) {
                prop_assert!(span_ok(&text, &sym.span) && span_ok(&text, &sym.selection));
            }
            for at in 0..=text.len() {
                for c in ide::completions(&a, at) {
                    prop_assert!(span_ok(&text, &c.replace), "{:?} @{}: {:?}", text, at, c);
                }
                if let Some(h) = ide::hover_with_diagnostics(&a, &diags, at) {
                    prop_assert!(span_ok(&text, &h.span));
                }
                for act in ide::code_actions(&a, &diags, at..at) {
                    prop_assert!(act.edits.iter().all(|e| span_ok(&text, &e.span)), "{:?}", act);
                }
            }
        }
    }
}
