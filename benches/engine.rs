//! Criterion benchmarks of the engine: parsing, analysis (parse + rules), completion and hover, on
//! the seed droid and on large generated files. Run with `cargo bench --bench engine`; filter with
//! `cargo bench --bench engine -- parse/seed`. See `docs/performance.md` for the figures.

#[path = "support/corpus.rs"]
mod corpus;

// The allocator of the `agentls` binary, so that these figures are the ones the binary gets.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use agentls::analysis::{self, Settings};
use agentls::{ide, syntax};
use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput};

/// Where the inputs are placed: a Factory droid's path, so the dialect comes from the path as in
/// the editor.
const DROID: &str = ".factory/droids/senior-backend-developer.md";

/// The inputs, each with the byte offsets where completion and hover are asked.
struct Input {
    name: &'static str,
    text: String,
    /// Completion points: inside a tool name of the list, at the start of a frontmatter key, in
    /// the body.
    complete_at: Vec<usize>,
    /// Hover points: a key, a tool name, the model value.
    hover_at: Vec<usize>,
}

fn offset_of(text: &str, needle: &str, delta: usize) -> usize {
    text.find(needle).map_or(0, |i| i + delta)
}

fn input(name: &'static str, text: String) -> Input {
    let complete_at = vec![
        offset_of(&text, "\"Read\"", 3),
        offset_of(&text, "\nmodel:", 1),
        offset_of(&text, "\ntools:", 1),
        text.len(),
    ];
    let hover_at =
        vec![offset_of(&text, "\ndescription:", 3), offset_of(&text, "\"Read\"", 2), offset_of(&text, "\nmodel: ", 10)];
    Input { name, text, complete_at, hover_at }
}

fn inputs() -> Vec<Input> {
    vec![
        input("seed", corpus::SEED.to_string()),
        input("body-1mb", corpus::big_body(1 << 20)),
        input("body-5mb", corpus::big_body(5 << 20)),
        input("keys-1000", corpus::many_keys(1000)),
        input("tools-1000", corpus::many_tools(1000)),
    ]
}

/// Large inputs take milliseconds per iteration; fewer samples keep `cargo bench` short.
fn configure<'a>(c: &'a mut Criterion, name: &str, bytes: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    if bytes > 100_000 {
        g.sample_size(10).measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    } else {
        g.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    }
    g
}

fn bench_parse(c: &mut Criterion) {
    for i in inputs() {
        let mut g = configure(c, "parse", i.text.len());
        g.throughput(Throughput::Bytes(i.text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(i.name), &i.text, |b, t| b.iter(|| syntax::parse(black_box(t))));
        g.finish();
    }
}

fn bench_check(c: &mut Criterion) {
    let settings = Settings::default();
    let path = Path::new(DROID);
    for i in inputs() {
        let mut g = configure(c, "check", i.text.len());
        g.throughput(Throughput::Bytes(i.text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(i.name), &i.text, |b, t| {
            b.iter(|| agentls::engine::check(black_box(t), Some(path), &settings))
        });
        g.finish();
    }
}

/// Completion and hover as the server answers them: analysis of the current text, then the
/// feature at each point. (Until the `ide` features land these measure the analysis alone.)
fn bench_ide(c: &mut Criterion) {
    let settings = Settings::default();
    let path = Path::new(DROID);
    for i in inputs() {
        let mut g = configure(c, "completion", i.text.len());
        g.bench_with_input(BenchmarkId::from_parameter(i.name), &i, |b, i| {
            b.iter(|| {
                let a = analysis::analyze(black_box(&i.text), Some(path), &settings);
                i.complete_at.iter().map(|&o| ide::completions(&a, o).len()).sum::<usize>()
            })
        });
        g.finish();
        let mut g = configure(c, "hover", i.text.len());
        g.bench_with_input(BenchmarkId::from_parameter(i.name), &i, |b, i| {
            b.iter(|| {
                let a = analysis::analyze(black_box(&i.text), Some(path), &settings);
                i.hover_at.iter().filter(|&&o| ide::hover(&a, o).is_some()).count()
            })
        });
        g.finish();
    }
    // The features alone, on an analysis computed once (what a server caching analyses pays).
    let seed = input("seed", corpus::SEED.to_string());
    let a = analysis::analyze(&seed.text, Some(path), &settings);
    let mut g = c.benchmark_group("ide-only");
    g.bench_function("completion/seed", |b| {
        b.iter(|| seed.complete_at.iter().map(|&o| ide::completions(&a, black_box(o)).len()).sum::<usize>())
    });
    g.bench_function("hover/seed", |b| {
        b.iter(|| seed.hover_at.iter().filter(|&&o| ide::hover(&a, black_box(o)).is_some()).count())
    });
    g.finish();
}

/// The corpus `agentls check` meets: 400 generated files of the four dialects, checked one after
/// the other on one thread (MB/s per core).
fn bench_corpus(c: &mut Criterion) {
    let settings = Settings::default();
    let files = corpus::corpus(400, 1);
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let mut g = c.benchmark_group("corpus");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("check-400-files", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| agentls::engine::check(black_box(&f.text), Some(Path::new(&f.path)), &settings).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

/// `agentls check` per file, by kind: an agent against a skill, a command, an instructions file
/// and a memory file of `examples/`, each checked with its links against the disk as the command
/// line does (issue 12: the new kinds within 20% of agent files).
fn bench_kinds(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let files = [
        ("agent", ".claude/agents/code-reviewer.md"),
        ("skill", ".claude/skills/pdf-forms/SKILL.md"),
        ("command", ".claude/commands/git/commit.md"),
        ("instructions", ".github/instructions/typescript.instructions.md"),
        ("memory", "CLAUDE.md"),
    ];
    let settings = Settings::default();
    let mut g = c.benchmark_group("kinds");
    g.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    for (name, rel) in files {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).expect("example file");
        g.bench_function(name, |b| b.iter(|| agentls::engine::check_on_disk(black_box(&text), Some(&path), &settings)));
    }
    g.finish();
}

criterion_group!(benches, bench_parse, bench_check, bench_ide, bench_corpus, bench_kinds);
criterion_main!(benches);
