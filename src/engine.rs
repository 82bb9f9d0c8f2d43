//! The engine's entry points for its callers (the command line and the server): check a file,
//! fix a file, warm the engine up, list the user scope's files. It sits above the rules and the
//! fixer; nothing below imports it.

use std::path::Path;

use crate::analysis::{self, Settings};
use crate::diagnostic::Diagnostic;
use crate::files::{Disk, Files};
use crate::fix::{self, Fixed};

/// Parses, resolves and checks one file: the diagnostics, sorted by position.
pub fn check(text: &str, path: Option<&Path>, settings: &Settings) -> Vec<Diagnostic> {
    let a = analysis::analyze(text, path, settings);
    crate::rules::run(&a)
}

/// [`check`], plus the rules that look at other files through `files`: links, imports and a
/// skill's paths to files that do not exist, import cycles (see `rules::links`).
pub fn check_with_files(text: &str, path: Option<&Path>, settings: &Settings, files: &dyn Files) -> Vec<Diagnostic> {
    let a = analysis::analyze(text, path, settings);
    crate::rules::run_with(&a, Some(files))
}

/// [`check_with_files`] against the real file system: what `agentls check` runs.
pub fn check_on_disk(text: &str, path: Option<&Path>, settings: &Settings) -> Vec<Diagnostic> {
    check_with_files(text, path, settings, &Disk)
}

/// Ports the analysed file to `target` and checks the result for the target with the built-in
/// policy: what `agentls port` writes, with the errors agentls still finds in it.
pub fn port(
    a: &analysis::Analysis,
    target: crate::dialect::Dialect,
) -> Result<crate::port::Ported, crate::port::PortError> {
    let mut p = crate::port::port(a, target)?;
    p.errors = check(&p.text, Some(&p.path), &Settings::default())
        .into_iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .collect();
    Ok(p)
}

/// Applies every safe fix to one file until none is left (see [`fix::fix_until_stable`]): what
/// `agentls check --fix` writes and what the editor's `source.fixAll` action leaves.
pub fn fix(text: &str, path: Option<&Path>, settings: &Settings) -> Fixed {
    fix::fix_until_stable(text, |t| check(t, path, settings))
}

/// Loads what the engine builds on first use (the dialect catalogs, the rule table, the built-in
/// policy, the tool-name automaton) by checking a small file of each dialect. The server calls it
/// once at start-up, in the background, so that the first document opened does not pay for it.
pub fn warm_up() {
    let text = "---\nname: warm-up\ndescription: Warms the engine up\ntools: Read, Bash\nmodel: x\n---\n\
                ## Core Purpose\n\nUse the Read tool via Bash.\n";
    let settings = Settings::default();
    for path in [".claude/agents/a.md", ".factory/droids/a.md", ".github/agents/a.agent.md", ".opencode/agent/a.md"] {
        std::hint::black_box(check(text, Some(Path::new(path)), &settings));
    }
}

/// Checks one file as [`check`] does and also extracts its cross-file facts from the same parse,
/// so `agentls check` indexes the workspace without parsing twice. `key` is the path the index
/// names the file by (its components place it in a project and scope); `path` is the one the
/// dialect and policy are found from.
pub fn check_indexed(
    text: &str,
    path: &Path,
    key: &Path,
    settings: &Settings,
) -> (Vec<Diagnostic>, crate::workspace::FileFacts) {
    let a = analysis::analyze(text, Some(path), settings);
    let diagnostics = crate::rules::run_with(&a, Some(&Disk));
    let facts = crate::workspace::extract(&a, key);
    (diagnostics, facts)
}

/// How deep [`user_files`] follows subfolders (and folder links) of a recursive user folder.
const USER_DEPTH: usize = 8;

/// The agent files of the user scope's folders that exist, with the folder each belongs to,
/// sorted by path. A folder that is missing or unreadable contributes nothing.
pub fn user_files(scope: &crate::workspace::UserScope) -> Vec<(std::path::PathBuf, &crate::workspace::UserFolder)> {
    fn walk(dir: &Path, depth: usize, recursive: bool, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                if recursive && depth < USER_DEPTH {
                    walk(&path, depth + 1, recursive, out);
                }
            } else if path.is_file() {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for folder in &scope.folders {
        let mut found = Vec::new();
        walk(&folder.dir, 0, folder.recursive, &mut found);
        out.extend(found.into_iter().filter(|p| folder.holds(p)).map(|p| (p, folder)));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
