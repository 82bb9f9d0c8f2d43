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
#[derive(Default)]
pub struct Index {
    ws: Workspace,
    abs: HashMap<String, PathBuf>,
}

impl Index {
    pub fn add(&mut self, job: &Job, facts: Option<FileFacts>) {
        if let Some(f) = facts {
            self.ws.load(&job.display, f);
            self.abs.insert(job.display.clone(), job.abs.clone());
        }
    }

    /// Adds the user scope's agent files, keyed by their absolute paths (so related locations
    /// name them in full), except those already checked as project files.
    pub fn add_user_scope(&mut self, scope: &workspace::UserScope) {
        let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let checked: HashSet<PathBuf> = self.abs.values().map(|p| canon(p)).collect();
        for (path, folder) in crate::engine::user_files(scope) {
            if checked.contains(&canon(&path)) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let key = path.to_string_lossy().into_owned();
            self.ws.upsert(&key, scope.facts(folder, &path, &text));
            self.abs.insert(key, path);
        }
        self.ws.set_user_scope(true);
    }

    fn text(&self, path: &str) -> String {
        self.abs.get(path).and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default()
    }

    /// Adds every file's cross-file findings to the report, with the texts of related files.
    pub fn apply(&mut self, report: &mut Report) {
        // In no particular order: the caller sorts the report by path.
        let keys: Vec<String> = self.ws.files().map(|(k, _)| k.to_string()).collect();
        let all = self.check_all(keys);
        // Where each path's report is, built on the first finding (most runs have few or none).
        let mut at: Option<HashMap<String, usize>> = None;
        let mut related: Vec<String> = Vec::new();
        for (key, found) in all {
            if found.is_empty() {
                continue;
            }
            related.extend(found.iter().flat_map(|d| d.related.iter().map(|r| r.path.clone())));
            let at =
                at.get_or_insert_with(|| report.files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect());
            let i = *at.entry(key.clone()).or_insert_with(|| {
                report.files.push(FileReport { path: key.clone(), text: String::new(), diagnostics: Vec::new() });
                report.files.len() - 1
            });
            let file = &mut report.files[i];
            if file.text.is_empty() {
                file.text = self.text(&key);
            }
            file.diagnostics.extend(found);
            file.diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        }
        for path in related {
            let reported = at.as_ref().is_some_and(|at| at.contains_key(&path));
            if !reported && !report.texts.contains_key(&path) {
                let t = self.text(&path);
                report.texts.insert(path, t);
            }
        }
    }

    /// The cross-file findings of every key, in the keys' order, on all cores: the index is only
    /// read here, and checking ten thousand files one after the other once showed in the run time.
    fn check_all(&self, keys: Vec<String>) -> Vec<(String, Vec<crate::diagnostic::Diagnostic>)> {
        let workers = std::thread::available_parallelism().map_or(1, |c| c.get()).min(keys.len().max(1));
        let chunk = keys.len().div_ceil(workers).max(1);
        let ws = &self.ws;
        std::thread::scope(|s| {
            let handles: Vec<_> = keys
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter().map(|k| (k.clone(), crate::rules::workspace::check(ws, k))).collect::<Vec<_>>()
                    })
                })
                .collect();
            // A panic in a rule is a bug; it reaches the caller as in the one-thread version.
            handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        })
    }

    /// Keeps only the findings of files in `changed` (absolute paths).
    pub fn keep_changed(&self, report: &mut Report, changed: &HashSet<PathBuf>) {
        report.files.retain(|f| {
            let abs = self.abs.get(&f.path).cloned().unwrap_or_else(|| PathBuf::from(&f.path));
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
