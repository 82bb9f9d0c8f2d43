//! `agentls check`: finds the files (walking folders with the `ignore` crate, so .gitignore is
//! respected), finds each file's policy, checks the files in parallel, optionally fixes them, and
//! gathers a [`Report`] in a deterministic order.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, PoisonError};

use crate::analysis::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::dialect::{self, Dialect};
use crate::policy::{self, LoadedPolicy, PolicyError};
use crate::registry::RuleCode;

use super::render::{FileReport, Report, Skipped};
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::fix;
use crate::workspace::FileFacts;

/// How many files' facts a worker adds to the index per hold of its lock.
const INDEX_BATCH: usize = 32;

/// The rule code of a broken policy file, reported once at the policy file itself.
pub const POLICY_ERROR: RuleCode = RuleCode::PolicyError;

/// What to check and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    /// One policy for every file instead of discovering `.agentls.yaml` per folder.
    pub policy: Option<PathBuf>,
    pub dialect: Option<Dialect>,
    pub fix: bool,
    /// The output will not show hints (text output without `--hints`): keep only what their
    /// counts need. Most files of a large run have hints only, so this lets the workers drop
    /// those files' text instead of holding every file in memory until the end.
    pub hide_hints: bool,
    /// Run the cross-file rules over the files found (and index the MCP configurations and skills
    /// in the walked folders).
    pub cross_file: bool,
    /// Report only on files changed against this git ref (`git diff --name-only` plus untracked
    /// files); references still resolve against the whole tree.
    pub changed: Option<String>,
    /// With `cross_file`: also read the user-level agent folders (`workspace::user`) as a
    /// read-only layer, never reported on.
    pub user_scope: bool,
}

/// The checker: `engine::check` in production, a fake in tests.
pub type Checker = dyn Fn(&str, Option<&Path>, &Settings) -> Vec<Diagnostic> + Sync;

/// The checker that also returns the file's cross-file facts from the same parse
/// (`engine::check_indexed`): text, path, index key, settings.
pub type Indexer = dyn Fn(&str, &Path, &Path, &Settings) -> (Vec<Diagnostic>, FileFacts) + Sync;

/// One file to check.
#[derive(Debug, Clone)]
pub struct Job {
    /// As given or walked, with `/` separators and without a leading `./`.
    pub display: String,
    /// Absolute, for dialect detection and policy globs, whatever folder agentls runs in.
    pub abs: PathBuf,
    pub policy: Arc<LoadedPolicy>,
    /// Read for the workspace index only (an MCP configuration or a skill), not checked.
    pub index_only: bool,
}

/// The files found, before any is read.
#[derive(Debug, Default)]
pub struct Collected {
    /// Sorted by display path.
    pub jobs: Vec<Job>,
    pub skipped: Vec<Skipped>,
    /// Usage errors: paths that do not exist, a policy file that does not exist.
    pub errors: Vec<String>,
    /// Every distinct policy file that applies, for reporting their own errors once.
    policies: Vec<Arc<LoadedPolicy>>,
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    pub report: Report,
    /// Usage and I/O errors (exit code 2), one message each.
    pub errors: Vec<String>,
    /// The run's workspace index, handed back so that a caller about to exit can skip freeing
    /// it (see `cli::run_check`).
    pub index: Option<Box<super::cross::Index>>,
}

impl Outcome {
    pub fn exit_code(&self) -> i32 {
        if !self.errors.is_empty() {
            EXIT_USAGE
        } else if self.report.has_errors() {
            EXIT_ERRORS
        } else {
            EXIT_OK
        }
    }
}

/// A path for output: `/` separators, no leading `./`.
pub fn display_path(p: &Path) -> String {
    let p = p.strip_prefix(".").unwrap_or(p);
    let s = p.to_string_lossy();
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Finds the policy of each folder once and loads each policy file once.
struct Policies {
    forced: Option<Arc<LoadedPolicy>>,
    builtin: Arc<LoadedPolicy>,
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    loaded: HashMap<PathBuf, Arc<LoadedPolicy>>,
}

impl Policies {
    fn for_file(&mut self, abs: &Path) -> Arc<LoadedPolicy> {
        if let Some(p) = &self.forced {
            return p.clone();
        }
        let dir = abs.parent().unwrap_or(abs).to_path_buf();
        let found = self.by_dir.entry(dir).or_insert_with_key(|d| policy::find(d));
        match found {
            Some(f) => self.loaded.entry(f.clone()).or_insert_with_key(|f| Arc::new(policy::load(f))).clone(),
            None => self.builtin.clone(),
        }
    }

    fn all(self) -> Vec<Arc<LoadedPolicy>> {
        self.forced.into_iter().chain(self.loaded.into_values()).collect()
    }
}

/// Finds every file to check. Explicit files are always taken; in folders, only files whose
/// path names a dialect. Hidden folders are walked (the agent folders are all hidden) but `.git`
/// is not; .gitignore, .ignore and git's exclude files are honoured even outside a git checkout.
pub fn collect(opts: &Options) -> Collected {
    let mut jobs = Vec::new();
    let mut out = walk(opts, |job| jobs.push(job));
    jobs.sort_by(|a, b| a.display.cmp(&b.display));
    out.jobs = jobs;
    out
}

/// Finds the files as [`collect`] does, handing each job to `on_job` as soon as it is found (in
/// walk order), so that checking can start before the walk ends. The result has no jobs.
fn walk(opts: &Options, mut on_job: impl FnMut(Job)) -> Collected {
    let mut out = Collected::default();
    let forced = match &opts.policy {
        Some(p) if !p.is_file() => {
            out.errors.push(format!("policy file not found: {}", p.display()));
            return out;
        }
        Some(p) => Some(Arc::new(policy::load(p))),
        None => None,
    };
    let mut policies =
        Policies { forced, builtin: Arc::new(LoadedPolicy::builtin()), by_dir: HashMap::new(), loaded: HashMap::new() };
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut push = |path: &Path, abs: PathBuf, policies: &mut Policies, index_only: bool| {
        if seen.insert(abs.clone()) {
            let policy = policies.for_file(&abs);
            on_job(Job { display: display_path(path), abs, policy, index_only });
        }
    };

    let paths = if opts.paths.is_empty() { vec![PathBuf::from(".")] } else { opts.paths.clone() };
    for root in &paths {
        match std::fs::metadata(root) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.errors.push(format!("path not found: {}", root.display()));
            }
            Err(e) => out.errors.push(format!("cannot access {}: {e}", root.display())),
            Ok(m) if !m.is_dir() => push(root, absolute(root), &mut policies, false),
            Ok(_) => {
                let walker = ignore::WalkBuilder::new(root)
                    .hidden(false)
                    .require_git(false)
                    .filter_entry(|e| e.file_name() != ".git")
                    .build();
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                            let abs = absolute(e.path());
                            if dialect::detect_by_path(&abs).is_some() {
                                push(e.path(), abs, &mut policies, false);
                            } else if opts.cross_file && super::cross::index_only(e.path()) {
                                push(e.path(), abs, &mut policies, true);
                            }
                        }
                        Ok(_) => {}
                        Err(e) => out.skipped.push(walk_error(root, e)),
                    }
                }
            }
        }
    }
    out.policies = policies.all();
    out
}

fn walk_error(root: &Path, e: ignore::Error) -> Skipped {
    let mut e = &e;
    loop {
        match e {
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => e = err,
            ignore::Error::WithPath { path, err } => {
                return Skipped { path: display_path(path), reason: err.to_string() };
            }
            other => return Skipped { path: display_path(root), reason: other.to_string() },
        }
    }
}

/// What happened to one file.
enum FileResult {
    Checked {
        text: String,
        diagnostics: Vec<Diagnostic>,
        fixes_applied: usize,
        write_error: Option<String>,
        facts: Option<FileFacts>,
    },
    /// Read for the index only (the facts move to the index once the worker has added them).
    Indexed(Option<FileFacts>),
    Skipped(String),
    Crashed,
}

/// Drops what only showing hints would need: their messages and unsafe fixes (safe fixes stay,
/// as the summary counts what `--fix` would fix), and the text of a file left with hints only.
/// Counts, exit codes and everything shown stay the same.
fn drop_hidden(text: &mut String, diagnostics: &mut [Diagnostic]) {
    let mut shown = false;
    for d in diagnostics.iter_mut() {
        if d.severity == Severity::Hint {
            d.message = String::new();
            d.fixes.retain(|f| f.safe);
        } else {
            shown = true;
        }
    }
    if !shown {
        *text = String::new();
    }
}

fn check_one(job: &Job, opts: &Options, checker: &Checker, indexer: Option<&Indexer>) -> FileResult {
    if job.index_only {
        return match std::fs::read_to_string(&job.abs) {
            Ok(text) => FileResult::Indexed(Some(super::cross::index_file(job, &text))),
            Err(e) => FileResult::Skipped(e.to_string()),
        };
    }
    let mut result = check_file(job, opts, checker, indexer.filter(|_| opts.cross_file));
    if let FileResult::Checked { text, diagnostics, .. } = &mut result {
        if opts.hide_hints {
            drop_hidden(text, diagnostics);
        }
    }
    result
}

fn check_file(job: &Job, opts: &Options, checker: &Checker, indexer: Option<&Indexer>) -> FileResult {
    let bytes = match std::fs::read(&job.abs) {
        Ok(b) => b,
        Err(e) => return FileResult::Skipped(e.to_string()),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return FileResult::Skipped(format!(
                "not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        }
    };
    let settings = Settings { policy: job.policy.clone(), dialect_override: opts.dialect, extra_tools: Vec::new() };
    let check = |t: &str| checker(t, Some(&job.abs), &settings);
    let key = Path::new(&job.display);
    if !opts.fix {
        if let Some(index) = indexer {
            // One parse for the per-file rules and the cross-file facts.
            let (diagnostics, facts) = index(&text, &job.abs, key, &settings);
            return FileResult::Checked { text, diagnostics, fixes_applied: 0, write_error: None, facts: Some(facts) };
        }
        let diagnostics = check(&text);
        return FileResult::Checked { text, diagnostics, fixes_applied: 0, write_error: None, facts: None };
    }
    let fixed = fix::fix_until_stable(&text, check);
    let facts_of = |t: &str| indexer.map(|index| index(t, &job.abs, key, &settings).1);
    if fixed.text == text {
        let facts = facts_of(&text);
        return FileResult::Checked {
            text,
            diagnostics: fixed.diagnostics,
            fixes_applied: 0,
            write_error: None,
            facts,
        };
    }
    match std::fs::write(&job.abs, &fixed.text) {
        Ok(()) => FileResult::Checked {
            facts: facts_of(&fixed.text),
            text: fixed.text,
            diagnostics: fixed.diagnostics,
            fixes_applied: fixed.applied,
            write_error: None,
        },
        // The file on disk is unchanged, so report what it still contains.
        Err(e) => FileResult::Checked {
            facts: facts_of(&text),
            diagnostics: check(&text),
            text,
            fixes_applied: 0,
            write_error: Some(format!("cannot write {}: {e}", job.display)),
        },
    }
}

/// Walks and checks at the same time: the walk (on this thread) sends each job to workers on
/// all cores, which take the next job as soon as they are free, so a few large files do not
/// leave other cores idle and nobody waits for the walk to end. Returns the walk's findings and
/// each job with its result, sorted by display path whatever the timing.
/// With `index`, each worker also adds the file's cross-file facts to it as soon as the file is
/// checked, so building the index overlaps the checking instead of following it.
fn walk_and_check(
    opts: &Options,
    checker: &Checker,
    indexer: Option<&Indexer>,
    index: Option<&Mutex<super::cross::Index>>,
) -> (Collected, Vec<(Job, FileResult)>) {
    let workers = std::thread::available_parallelism().map_or(1, |c| c.get());
    let (tx, rx) = mpsc::channel::<Job>();
    let rx = Mutex::new(rx);
    let (collected, mut results) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut local: Vec<(Job, FileResult)> = Vec::new();
                    // Facts not yet in the index (by place in `local`): added INDEX_BATCH at a
                    // time, so the workers take the index's lock once per batch, not per file.
                    let mut pending: Vec<(usize, FileFacts)> = Vec::new();
                    let flush = |pending: &mut Vec<(usize, FileFacts)>, local: &[(Job, FileResult)]| {
                        let Some(index) = index.filter(|_| !pending.is_empty()) else { return };
                        let mut index = index.lock().unwrap_or_else(PoisonError::into_inner);
                        for (i, f) in pending.drain(..) {
                            index.add(&local[i].0.display, f);
                        }
                    };
                    loop {
                        // The lock is held only to take one job; a closed channel ends the worker.
                        let next = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                        let Ok(job) = next else {
                            flush(&mut pending, &local);
                            break local;
                        };
                        // A panic in the engine costs one file, not the run; the panic hook has
                        // already printed its message.
                        let mut r = catch_unwind(AssertUnwindSafe(|| check_one(&job, opts, checker, indexer)))
                            .unwrap_or(FileResult::Crashed);
                        let facts = match &mut r {
                            FileResult::Checked { facts, .. } => facts.take(),
                            FileResult::Indexed(f) => f.take(),
                            _ => None,
                        };
                        if let Some(f) = facts.filter(|_| index.is_some()) {
                            pending.push((local.len(), f));
                        }
                        local.push((job, r));
                        if pending.len() >= INDEX_BATCH {
                            flush(&mut pending, &local);
                        }
                    }
                })
            })
            .collect();
        let mut sent = 0;
        let collected = walk(opts, |job| {
            sent += 1;
            // Workers only stop when the channel closes, so sending cannot fail.
            let _ = tx.send(job);
        });
        drop(tx);
        // The walk ends long before the checking: the index makes room for every file now, not
        // by growing (and rehashing what it holds) as files arrive.
        if let Some(index) = index {
            index.lock().unwrap_or_else(PoisonError::into_inner).reserve_total(sent);
        }
        let results: Vec<_> = handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect();
        (collected, results)
    });
    results.sort_by(|a, b| a.0.display.cmp(&b.0.display));
    (collected, results)
}

/// Every problem of a policy file (the same list the server shows on the open policy file), each
/// as a diagnostic at its place. When the file is broken, its first error says that the built-in
/// policy applies instead.
fn policy_error_report(p: &LoadedPolicy, cwd: &Path) -> Option<FileReport> {
    let first = p.problems.first().or(p.error.as_ref())?;
    let path = first.path.as_ref().or(p.path.as_ref())?;
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let broken = p.error.as_ref();
    let problems: Vec<&PolicyError> =
        if p.problems.is_empty() { broken.into_iter().collect() } else { p.problems.iter().collect() };
    let diagnostics = problems
        .into_iter()
        .map(|err| {
            let start = err.span.start.min(text.len());
            let span = start..err.span.end.clamp(start, text.len());
            let message = strip_location(&err.message);
            let message = if broken == Some(err) {
                format!("invalid policy file (the built-in policy applies instead): {message}")
            } else {
                message.to_string()
            };
            Diagnostic::new(POLICY_ERROR, err.severity, span, message)
        })
        .collect();
    let shown = path.strip_prefix(cwd).unwrap_or(path);
    Some(FileReport { path: display_path(shown), text, diagnostics })
}

/// Drops the parser's trailing " at line L column C": the diagnostic already points there.
fn strip_location(message: &str) -> &str {
    let Some(at) = message.rfind(" at line ") else { return message };
    let rest = &message[at + " at line ".len()..];
    let is_location = rest
        .split_once(" column ")
        .is_some_and(|(l, c)| [l, c].iter().all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())));
    if is_location {
        &message[..at]
    } else {
        message
    }
}

/// Runs `check` as configured, with the per-file rules only.
#[cfg(test)]
pub fn run(opts: &Options, checker: &Checker) -> Outcome {
    run_indexed(opts, checker, None)
}

/// Runs `check` as configured; with an indexer and `opts.cross_file`, also the cross-file rules.
pub fn run_indexed(opts: &Options, checker: &Checker, indexer: Option<&Indexer>) -> Outcome {
    let index = Mutex::new(super::cross::Index::default());
    let cross = opts.cross_file && indexer.is_some();
    let (collected, results) = walk_and_check(opts, checker, indexer, cross.then_some(&index));
    let mut index = index.into_inner().unwrap_or_else(PoisonError::into_inner);
    let mut errors = collected.errors;
    // Sorted by display path, as `results` is: the index finds files' paths here.
    let mut jobs = Vec::with_capacity(results.len());
    let mut report = Report { skipped: collected.skipped, ..Report::default() };
    if opts.fix {
        report.fixes_applied = Some(0);
    }
    for (job, result) in results {
        match result {
            FileResult::Checked { text, mut diagnostics, fixes_applied, write_error, facts: _ } => {
                report.files_checked += 1;
                if let Some(n) = report.fixes_applied.as_mut() {
                    *n += fixes_applied;
                }
                errors.extend(write_error);
                if !diagnostics.is_empty() {
                    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
                    report.files.push(FileReport { path: job.display.clone(), text, diagnostics });
                }
            }
            FileResult::Indexed(_) => {}
            FileResult::Skipped(reason) => report.skipped.push(Skipped { path: job.display.clone(), reason }),
            FileResult::Crashed => errors.push(format!("internal error while checking {}", job.display)),
        }
        jobs.push(job);
    }

    if cross {
        if opts.user_scope {
            match crate::workspace::UserScope::from_env() {
                Some(scope) => index.add_user_scope(&scope, &jobs),
                None => errors.push("--user-scope: $HOME is not set, no user-level agents were read".into()),
            }
        }
        index.apply(&mut report, &jobs);
    }
    if let Some(git_ref) = &opts.changed {
        match super::cross::changed_files(git_ref) {
            Ok(changed) => index.keep_changed(&mut report, &changed, &jobs),
            Err(e) => errors.push(e),
        }
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    report.files.extend(collected.policies.iter().filter_map(|p| policy_error_report(p, &cwd)));
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Outcome { report, errors, index: Some(Box::new(index)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn fake(text: &str, _path: Option<&Path>, _s: &Settings) -> Vec<Diagnostic> {
        fix::tests::fake_check(text)
    }

    fn opts(root: &Path) -> Options {
        Options { paths: vec![root.to_path_buf()], ..Options::default() }
    }

    #[test]
    fn fix_writes_changed_files_only_and_reports_what_remains() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".factory/droids/a.md", "tools: [Bash]\n");
        write(root, ".factory/droids/b.md", "tools: [Write]\n");
        write(root, ".factory/droids/c.md", "tools: [Read]\n");
        let out = run(&Options { fix: true, ..opts(root) }, &fake);
        assert_eq!(std::fs::read_to_string(root.join(".factory/droids/a.md")).unwrap(), "tools: [Execute!]\n");
        assert_eq!(std::fs::read_to_string(root.join(".factory/droids/b.md")).unwrap(), "tools: [Write]\n");
        assert_eq!(out.report.fixes_applied, Some(2));
        assert_eq!(out.report.files_checked, 3);
        let left: Vec<_> =
            out.report.diagnostics().map(|(f, d)| (f.path.rsplit('/').next().unwrap(), d.code.as_str())).collect();
        assert_eq!(left, [("b.md", "denied-tool")]);
        assert_eq!(out.exit_code(), EXIT_OK);
    }

    #[test]
    fn hidden_hints_keep_their_counts_but_not_their_text() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".claude/agents/hints.md", "hint\n");
        write(root, ".claude/agents/both.md", "hint\ntools: Bash\n");
        let checker = |text: &str, _: Option<&Path>, _: &Settings| {
            let mut d = fix::tests::fake_check(text);
            let mut hint = Diagnostic::new(RuleCode::RecommendedSection, Severity::Hint, 0..4, "a long message");
            hint.fixes.push(crate::diagnostic::Fix { title: "Insert".into(), edits: vec![], safe: false });
            d.push(hint);
            d
        };
        let full = run(&opts(root), &checker);
        let slim = run(&Options { hide_hints: true, ..opts(root) }, &checker);
        let counts =
            |r: &Report| [Severity::Error, Severity::Warning, Severity::Info, Severity::Hint].map(|s| r.count(s));
        assert_eq!(counts(&full.report), counts(&slim.report));
        assert_eq!(slim.exit_code(), full.exit_code());
        let by_name = |r: &Report, name: &str| r.files.iter().find(|f| f.path.ends_with(name)).cloned().unwrap();
        // A file with hints only keeps no text; a file with something shown keeps it whole.
        assert!(by_name(&slim.report, "hints.md").text.is_empty());
        assert_eq!(by_name(&slim.report, "both.md").text, by_name(&full.report, "both.md").text);
        let hint = by_name(&slim.report, "both.md").diagnostics.into_iter().find(|d| d.severity == Severity::Hint);
        assert!(hint.is_some_and(|h| h.message.is_empty() && h.fixes.is_empty()));
    }

    #[test]
    fn errors_set_exit_code_one_and_results_are_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["z", "m", "a", "q", "b", "k"] {
            write(root, &format!(".claude/agents/{name}.md"), "tools: Bash\n");
        }
        let out = run(&opts(root), &fake);
        let paths: Vec<_> = out.report.files.iter().map(|f| f.path.rsplit('/').next().unwrap()).collect();
        assert_eq!(paths, ["a.md", "b.md", "k.md", "m.md", "q.md", "z.md"]);
        assert_eq!(out.exit_code(), EXIT_ERRORS);
    }

    #[cfg(unix)]
    #[test]
    fn unwritable_file_on_fix_is_an_io_error() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".factory/droids/ro.md", "tools: [Bash]\n");
        let file = root.join(".factory/droids/ro.md");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        if std::fs::OpenOptions::new().write(true).open(&file).is_ok() {
            return; // Running as root: permissions cannot make the file unwritable.
        }
        let out = run(&Options { fix: true, ..opts(root) }, &fake);
        assert_eq!(out.exit_code(), EXIT_USAGE);
        assert!(out.errors[0].contains("cannot write"), "{:?}", out.errors);
        // The unfixed diagnostics of the file on disk are still reported.
        assert_eq!(out.report.diagnostics().count(), 1);
    }

    #[test]
    fn broken_policy_is_reported_once_at_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".agentls.yaml", "tools:\n  deny: [Bash]\nbogus: 1\n");
        write(root, ".claude/agents/a.md", "x\n");
        write(root, ".claude/agents/b.md", "x\n");
        let out = run(&opts(root), &fake);
        let policy: Vec<_> = out.report.diagnostics().filter(|(_, d)| d.code == POLICY_ERROR).collect();
        assert_eq!(policy.len(), 1);
        let (file, d) = policy[0];
        assert!(file.path.ends_with(".agentls.yaml"));
        assert_eq!(&file.text[d.span.start..], "bogus: 1\n");
        assert_eq!(out.exit_code(), EXIT_ERRORS);
    }

    #[test]
    fn parser_locations_are_dropped_from_policy_messages() {
        assert_eq!(strip_location("unknown field `x` at line 3 column 1"), "unknown field `x`");
        assert_eq!(strip_location("bad value at line 3"), "bad value at line 3");
        assert_eq!(strip_location("name at line one column 2"), "name at line one column 2");
    }

    #[test]
    fn display_paths_drop_the_leading_dot() {
        assert_eq!(display_path(Path::new("./.claude/agents/x.md")), ".claude/agents/x.md");
        assert_eq!(display_path(Path::new("examples/x.md")), "examples/x.md");
    }
}
