//! Deterministic generators of agent files for the benchmarks: a corpus of realistic files in the
//! four dialects (sizes and mistakes as seen in real repositories) and pathological large files.
//!
//! Shared by `benches/engine.rs`, `examples/corpus.rs` and `examples/lspbench.rs` through
//! `#[path]` modules, so every benchmark measures the same inputs. No `rand` dependency: a
//! xorshift generator with a fixed seed keeps the corpus byte-identical across runs and machines.

#![allow(dead_code)]

/// The seed droid, a real Factory droid from the wild (23 KB).
pub const SEED: &str = include_str!("../../tests/fixtures/seed-droid.md");

/// A tiny deterministic pseudo-random generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "the",
    "service",
    "request",
    "handler",
    "database",
    "schema",
    "migration",
    "test",
    "coverage",
    "review",
    "change",
    "deploy",
    "pipeline",
    "cache",
    "latency",
    "error",
    "retry",
    "timeout",
    "queue",
    "event",
    "contract",
    "API",
    "endpoint",
    "security",
    "token",
    "secret",
    "audit",
    "log",
    "metric",
    "trace",
    "module",
    "function",
    "interface",
    "type",
    "build",
    "release",
    "branch",
    "commit",
    "diff",
    "patch",
    "and",
    "or",
    "with",
    "before",
    "after",
    "every",
    "small",
    "clear",
    "safe",
    "fast",
    "robust",
    "explain",
    "verify",
    "check",
    "write",
    "read",
    "update",
    "refactor",
    "document",
    "measure",
    "profile",
    "reduce",
    "avoid",
    "prefer",
    "keep",
    "always",
];

const HEADINGS: &[&str] = &[
    "Core Purpose",
    "Process",
    "Guidelines",
    "Constraints",
    "Output Format",
    "Examples",
    "Workflow",
    "Quality Checklist",
    "Communication Style",
    "Tools",
    "When to Escalate",
    "Testing Strategy",
];

/// One dialect's vocabulary: where its files live and what its frontmatter looks like.
struct Dialect {
    dir: &'static str,
    ext: &'static str,
    tools: &'static [&'static str],
    /// Tool names from other dialects or with typos: the mistakes people make.
    wrong_tools: &'static [&'static str],
    models: &'static [&'static str],
    wrong_models: &'static [&'static str],
}

const DIALECTS: [Dialect; 4] = [
    Dialect {
        dir: ".claude/agents",
        ext: ".md",
        tools: &[
            "Read",
            "Write",
            "Edit",
            "Grep",
            "Glob",
            "Bash",
            "WebFetch",
            "WebSearch",
            "TaskCreate",
            "NotebookEdit",
        ],
        wrong_tools: &["Grpe", "Execute", "FetchUrl", "bash", "ReadFile"],
        models: &["sonnet", "opus", "haiku", "inherit"],
        wrong_models: &["gpt-4o", "sonet", "claude-3-opus"],
    },
    Dialect {
        dir: ".factory/droids",
        ext: ".md",
        tools: &["Read", "LS", "Grep", "Glob", "Create", "Edit", "ApplyPatch", "Execute", "WebSearch", "FetchUrl"],
        wrong_tools: &["Bash", "WebFetch", "MultiEdit", "Grpe", "Write"],
        models: &["inherit", "claude-sonnet-4-5-20250929", "claude-opus-4-8", "gpt-5.2"],
        wrong_models: &["sonnet", "claude-opus-4-1-20250805", "gpt4"],
    },
    Dialect {
        dir: ".github/agents",
        ext: ".agent.md",
        tools: &["search", "read", "edit", "execute/runInTerminal", "web/fetch", "search/codebase", "search/usages"],
        wrong_tools: &["Read", "runInTerminal2", "serach", "Bash"],
        models: &["Claude Sonnet 4.5", "GPT-5", "GPT-5.2"],
        wrong_models: &["sonnet", "gpt-9"],
    },
    Dialect {
        dir: ".opencode/agent",
        ext: ".md",
        tools: &["write", "edit", "bash", "read", "grep", "glob", "webfetch"],
        wrong_tools: &["Write", "Bash", "execute"],
        models: &["anthropic/claude-sonnet-4-20250514", "openai/gpt-5", "opencode/gpt-5.1-codex"],
        wrong_models: &["sonnet", "claude-sonnet"],
    },
];

/// A sentence of 6 to 20 words, some with inline code or a tool name.
fn sentence(rng: &mut Rng, d: &Dialect, out: &mut String) {
    let n = 6 + rng.below(15);
    for i in 0..n {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            match rng.below(80) {
                0 => {
                    out.push('`');
                    out.push_str(w);
                    out.push_str("()`");
                }
                1 => out.push_str(rng.pick(d.tools)),
                _ => out.push_str(w),
            }
        }
    }
    out.push_str(". ");
}

fn paragraph(rng: &mut Rng, d: &Dialect, out: &mut String) {
    for _ in 0..2 + rng.below(5) {
        sentence(rng, d, out);
    }
    out.pop();
    out.push_str("\n\n");
}

/// A Markdown body of about `target` bytes: sections with prose, lists and code blocks.
fn body(rng: &mut Rng, d: &Dialect, target: usize, out: &mut String) {
    let start = out.len();
    out.push_str("You are a careful engineer. ");
    paragraph(rng, d, out);
    while out.len() - start < target {
        out.push_str(if rng.chance(70) { "## " } else { "### " });
        out.push_str(rng.pick(HEADINGS));
        out.push_str("\n\n");
        match rng.below(4) {
            0 => {
                for _ in 0..3 + rng.below(6) {
                    out.push_str("- **");
                    out.push_str(rng.pick(WORDS));
                    out.push_str("**: ");
                    sentence(rng, d, out);
                    out.pop();
                    out.push('\n');
                }
                out.push('\n');
            }
            1 => {
                paragraph(rng, d, out);
                out.push_str("```bash\n");
                for _ in 0..1 + rng.below(5) {
                    out.push_str("npm run ");
                    out.push_str(rng.pick(WORDS));
                    out.push('\n');
                }
                out.push_str("```\n\n");
            }
            _ => {
                for _ in 0..1 + rng.below(3) {
                    paragraph(rng, d, out);
                }
            }
        }
    }
}

fn description(rng: &mut Rng, d: &Dialect) -> String {
    let mut s = String::new();
    for _ in 0..1 + rng.below(3) {
        sentence(rng, d, &mut s);
    }
    s.trim_end().replace(['`', ':'], "")
}

fn tool_list(rng: &mut Rng, d: &Dialect, mistake: bool) -> Vec<&'static str> {
    let mut tools: Vec<&str> = Vec::new();
    for _ in 0..2 + rng.below(6) {
        let t = rng.pick(d.tools);
        if !tools.contains(&t) {
            tools.push(t);
        }
    }
    if mistake {
        tools.insert(rng.below(tools.len() + 1), rng.pick(d.wrong_tools));
    }
    tools
}

fn quoted_list(items: &[&str], quote: char) -> String {
    let inner: Vec<String> = items.iter().map(|t| format!("{quote}{t}{quote}")).collect();
    format!("[{}]", inner.join(", "))
}

/// The mistakes a generated file may carry (about one file in four carries one).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mistake {
    None,
    UnknownTool,
    UnknownKey,
    BadYaml,
    BadModel,
    MissingDescription,
    DuplicateKey,
}

/// One generated agent file: its path relative to the corpus root, and its text.
pub struct File {
    pub path: String,
    pub text: String,
}

/// Generates agent file number `i` of dialect `dialect` (0 Claude, 1 Factory, 2 Copilot, 3 OpenCode).
pub fn agent_file(rng: &mut Rng, dialect: usize, i: usize) -> File {
    let d = &DIALECTS[dialect % 4];
    let mistake = if rng.chance(75) {
        Mistake::None
    } else {
        rng.pick(&[
            Mistake::UnknownTool,
            Mistake::UnknownKey,
            Mistake::BadYaml,
            Mistake::BadModel,
            Mistake::MissingDescription,
            Mistake::DuplicateKey,
        ])
    };
    let name = format!("{}-{}-{i:05}", rng.pick(&["backend", "frontend", "security", "docs", "release"]), {
        rng.pick(&["reviewer", "writer", "auditor", "runner", "planner"])
    });
    let mut t = String::from("---\n");
    if dialect != 3 {
        t.push_str(&format!("name: {name}\n"));
    }
    if mistake == Mistake::BadYaml {
        t.push_str(&format!("description: Reviews code: {}\n", description(rng, d)));
    } else if mistake != Mistake::MissingDescription {
        t.push_str(&format!("description: {}\n", description(rng, d)));
    }
    let model = if mistake == Mistake::BadModel { rng.pick(d.wrong_models) } else { rng.pick(d.models) };
    let tools = tool_list(rng, d, mistake == Mistake::UnknownTool);
    match dialect {
        0 => {
            if rng.chance(50) {
                t.push_str(&format!("tools: {}\n", tools.join(", ")));
            } else {
                t.push_str("tools:\n");
                for tool in &tools {
                    t.push_str(&format!("  - {tool}\n"));
                }
            }
            t.push_str(&format!("model: {model}\n"));
            if rng.chance(30) {
                t.push_str("color: blue\n");
            }
        }
        1 => {
            t.push_str(&format!("model: {model}\n"));
            if rng.chance(15) {
                t.push_str("tools: read-only\n");
            } else {
                t.push_str(&format!("tools: {}\n", quoted_list(&tools, '"')));
            }
        }
        2 => {
            t.push_str(&format!("tools: {}\n", quoted_list(&tools, '\'')));
            t.push_str(&format!("model: {model}\n"));
            if rng.chance(30) {
                t.push_str("handoffs:\n  - label: Start implementation\n    agent: agent\n    prompt: Implement the plan.\n    send: false\n");
            }
        }
        _ => {
            t.push_str("mode: subagent\n");
            t.push_str(&format!("model: {model}\n"));
            t.push_str(&format!("temperature: 0.{}\n", rng.below(10)));
            // `permission` replaced the `tools` map in OpenCode 1.1; older files still use `tools`.
            if rng.chance(80) {
                t.push_str("permission:\n  edit: allow\n");
                t.push_str(&format!("  bash: {}\n", rng.pick(&["allow", "ask", "deny"])));
            } else {
                t.push_str("tools:\n");
                for tool in &tools {
                    t.push_str(&format!("  {}: {}\n", tool, rng.chance(70)));
                }
            }
        }
    }
    match mistake {
        Mistake::UnknownKey => t.push_str(rng.pick(&["permisionMode: plan\n", "colour: red\n", "maxTurn: 10\n"])),
        Mistake::DuplicateKey => t.push_str(&format!("model: {}\n", rng.pick(d.models))),
        _ => {}
    }
    t.push_str("---\n\n");
    // Sizes as seen in the wild: most agent files are 1-8 KB, a few reach 25 KB.
    let size = match rng.below(10) {
        0..=3 => 800 + rng.below(2_000),
        4..=8 => 2_500 + rng.below(6_000),
        _ => 8_000 + rng.below(17_000),
    };
    body(rng, d, size, &mut t);
    File { path: format!("{}/{name}{}", d.dir, d.ext), text: t }
}

/// `n` agent files, a quarter of each dialect, spread over projects of at most 100 files each
/// (`p0000/.claude/agents/...`), so tools that look for a project root see realistic trees.
pub fn corpus(n: usize, seed: u64) -> Vec<File> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let mut f = agent_file(&mut rng, i % 4, i);
            f.path = format!("p{:04}/{}", i / 100, f.path);
            f
        })
        .collect()
}

/// The seed droid with its body repeated until the file holds at least `bytes` bytes.
pub fn big_body(bytes: usize) -> String {
    let close = SEED[3..].find("\n---\n").map(|i| i + 3 + 5).expect("the seed has a frontmatter");
    let (head, body) = SEED.split_at(close);
    let mut s = String::with_capacity(bytes + body.len());
    s.push_str(head);
    while s.len() < bytes {
        s.push_str(body);
        s.push('\n');
    }
    s
}

/// A droid with `n` frontmatter keys: the real ones, then `n - 4` unknown ones (each a diagnostic).
pub fn many_keys(n: usize) -> String {
    let mut s =
        String::from("---\nname: many-keys\ndescription: A droid with many keys.\nmodel: inherit\ntools: [\"Read\"]\n");
    for i in 4..n {
        s.push_str(&format!("custom_key_{i:04}: value number {i}\n"));
    }
    s.push_str("---\n\nYou are a droid with many keys.\n");
    s
}

/// A droid whose flow-list `tools` holds `n` entries, one in ten unknown.
pub fn many_tools(n: usize) -> String {
    let d = &DIALECTS[1];
    let mut rng = Rng::new(7);
    let tools: Vec<String> =
        (0..n).map(|i| if i % 10 == 9 { format!("Tool{i}") } else { rng.pick(d.tools).to_string() }).collect();
    let list: Vec<String> = tools.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        "---\nname: many-tools\ndescription: A droid with many tools.\nmodel: inherit\ntools: [{}]\n---\n\nYou are a droid with many tools.\n",
        list.join(", ")
    )
}
