//! The cross-file half of `agentls check`: the files read for the index only (MCP configurations,
//! skills), the workspace index built from every file's facts (extracted from the same parse as
//! the per-file rules), the cross-file findings added to the report, `--changed <ref>`, and
//! `--user-scope` (the user-level agent folders, read for the index only).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::check::{display_path, Job};
use super::render::{FileReport, Report};
use crate::analysis::{analyze, Settings};
use crate::workspace::{self, FileFacts, Workspace};

/// True for a file the index reads without checking it: an MCP configuration or a skill.
pub fn index_only(path: &Path) -> bool {
    crate::mcp::config_source(path).is_some() || workspace::skill_name_from_path(path).is_some()
}

/// The facts of an index-only file.
pub fn index_file(job: &Job, text: &str) -> FileFacts {
    let key = Path::new(&job.display);
    let settings = Settings { policy: job.policy.clone(), ..Settings::default() };
    match crate::mcp::config_source(key) {
        Some((source, root)) => {
            let policy = job.policy.for_file_shared(Some(&job.abs));
            workspace::extract_config(source, &display_path(root), text, policy)
        }
        None => workspace::extract(&analyze(text, Some(&job.abs), &settings), key),
    }
}

/// The facts gathered during a run, by display path.
#[derive(Debug)]
pub struct Index {
    /// Built and checked once: see [`Workspace::one_shot`].
    ws: Workspace,
    /// The user scope's files, by key: the only files not among the run's jobs.
    user: HashMap<String, PathBuf>,
}

impl Default for Index {
    fn default() -> Self {
        Index { ws: Workspace::one_shot(), user: HashMap::new() }
    }
}

/// Where the file a key names is: a job's (found in `jobs`, sorted by display path) or a
/// user-scope file's.
fn abs_of<'a>(jobs: &'a [Job], user: &'a HashMap<String, PathBuf>, key: &str) -> Option<&'a Path> {
    match jobs.binary_search_by(|j| j.display.as_str().cmp(key)) {
        Ok(i) => Some(&jobs[i].abs),
        Err(_) => user.get(key).map(PathBuf::as_path),
    }
}

impl Index {
    /// Makes room for `total` files in all.
    pub fn reserve_total(&mut self, total: usize) {
        self.ws.reserve(total.saturating_sub(self.ws.len()));
    }

    pub fn add(&mut self, key: &str, facts: FileFacts) {
        self.ws.load(key, facts);
    }

    /// Adds the user scope's agent files, keyed by their absolute paths (so related locations
    /// name them in full), except those already checked as project files. `jobs`: the run's,
    /// sorted by display path.
    pub fn add_user_scope(&mut self, scope: &workspace::UserScope, jobs: &[Job]) {
        let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let checked: HashSet<PathBuf> =
            jobs.iter().filter(|j| self.ws.file(&j.display).is_some()).map(|j| canon(&j.abs)).collect();
        for (path, folder) in crate::engine::user_files(scope) {
            if checked.contains(&canon(&path)) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let key = path.to_string_lossy().into_owned();
            self.ws.upsert(&key, scope.facts(folder, &path, &text));
            self.user.insert(key, path);
        }
        self.ws.set_user_scope(true);
    }

    fn text(&self, jobs: &[Job], key: &str) -> String {
        abs_of(jobs, &self.user, key).and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default()
    }

    /// Adds every file's cross-file findings to the report, with the texts of related files.
    /// `jobs`: the run's, sorted by display path.
    pub fn apply(&self, report: &mut Report, jobs: &[Job]) {
        let all = self.check_all();
        // Where each path's report is, built on the first finding (most runs have few or none).
        let mut at: Option<HashMap<String, usize>> = None;
        let mut related: Vec<String> = Vec::new();
        for (key, found) in all {
            related.extend(found.iter().flat_map(|d| d.related.iter().map(|r| r.path.clone())));
            let at =
                at.get_or_insert_with(|| report.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect());
            let i = *at.entry(key.to_string()).or_insert_with(|| {
                report.files.push(FileReport { path: key.to_string(), text: String::new(), diagnostics: Vec::new() });
                report.files.len() - 1
            });
            let file = &mut report.files[i];
            if file.text.is_empty() {
                file.text = self.text(jobs, key);
            }
            file.diagnostics.extend(found);
            file.diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        }
        for path in related {
            let reported = at.as_ref().is_some_and(|at| at.contains_key(&path));
            if !reported && !report.texts.contains_key(&path) {
                let t = self.text(jobs, &path);
                report.texts.insert(path, t);
            }
        }
    }

    /// The files with cross-file findings, and those findings, in no particular order (the
    /// caller sorts the report), on all cores: the index is only read here, and checking ten
    /// thousand files one after the other once showed in the run time.
    fn check_all(&self) -> Vec<(&str, Vec<crate::diagnostic::Diagnostic>)> {
        let files: Vec<_> = self.ws.files().collect();
        let workers = std::thread::available_parallelism().map_or(1, |c| c.get()).min(files.len().max(1));
        let chunk = files.len().div_ceil(workers).max(1);
        let ws = &self.ws;
        std::thread::scope(|s| {
            let handles: Vec<_> = files
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|(k, f)| (&***k, crate::rules::workspace::check_file(ws, k, f)))
                            .filter(|(_, found)| !found.is_empty())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            // A panic in a rule is a bug; it reaches the caller as in the one-thread version.
            handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        })
    }

    /// Keeps only the findings of files in `changed` (absolute paths).
    pub fn keep_changed(&self, report: &mut Report, changed: &HashSet<PathBuf>, jobs: &[Job]) {
        report.files.retain(|f| {
            let abs = abs_of(jobs, &self.user, &f.path).map_or_else(|| PathBuf::from(&f.path), Path::to_path_buf);
            changed.contains(&std::fs::canonicalize(&abs).unwrap_or(abs))
        });
    }
}

/// The files changed against `git_ref` (committed, staged or not) plus untracked ones, as
/// absolute paths.
pub fn changed_files(git_ref: &str) -> Result<HashSet<PathBuf>, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git").args(args).output().map_err(|e| format!("--changed: cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "--changed: git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim());
    let mut out = HashSet::new();
    let diff = git(&["diff", "--name-only", git_ref, "--"])?;
    let untracked = git(&["ls-files", "--others", "--exclude-standard", "--full-name"])?;
    for line in diff.lines().chain(untracked.lines()) {
        if !line.is_empty() {
            let p = top.join(line);
            out.insert(std::fs::canonicalize(&p).unwrap_or(p));
        }
    }
    Ok(out)
}
