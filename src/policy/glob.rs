//! The policy's two glob dialects, side by side. They differ on purpose:
//!
//! - **Names** (`tools.deny`, `models.allow`, ...): [`glob_any`], a tiny matcher of `*` and `?`
//!   over the whole string, case-sensitive, where `*` matches anything including `/` and `_`
//!   (tool names like `mcp__github__x` and model ids like `openai/gpt-5` have no folders). No
//!   character classes or escapes, so a name with `[` or `\` is never a syntax error, and nothing
//!   needs compiling on every keystroke.
//! - **Files** (`overrides[].files`): globset with `.gitignore` conventions
//!   (`file_glob_pattern`): `*` stops at `/`, `**` crosses folders, a glob without `/` matches
//!   at any depth, a leading `/` or `./` anchors it, a trailing `/` means everything below. These
//!   are compiled once per policy and can be invalid, which the policy reports.

use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// Matches `name` against simple globs (`*` and `?`), case-sensitively.
pub fn glob_any(globs: &[String], name: &str) -> bool {
    globs.iter().any(|g| glob_match(g.as_bytes(), name.as_bytes()))
}

fn glob_match(p: &[u8], s: &[u8]) -> bool {
    // Iterative wildcard matching with one backtrack point: linear in practice, no recursion.
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

/// Turns an override glob into a globset pattern: a glob without `/` matches at any depth (as in
/// `.gitignore` and EditorConfig), a leading `/` or `./` anchors it at the policy's folder, and a
/// trailing `/` means everything below that folder.
fn file_glob_pattern(glob: &str) -> String {
    let mut g = glob.trim();
    while let Some(rest) = g.strip_prefix("./") {
        g = rest;
    }
    let anchored = g.starts_with('/') || glob.trim().starts_with("./");
    let g = g.trim_start_matches('/');
    let mut out = if !anchored && !g.trim_end_matches('/').contains('/') { format!("**/{g}") } else { g.to_string() };
    if out.ends_with('/') {
        out.push_str("**");
    }
    out
}

pub(super) fn compile_file_glob(glob: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(&file_glob_pattern(glob)).literal_separator(true).backslash_escape(true).build()
}

pub(super) fn compile_override_globs(files: &[String]) -> Option<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for f in files {
        b.add(compile_file_glob(f).ok()?);
    }
    b.build().ok()
}

/// Removes `.` and resolves `..` without touching the file system; `None` if it climbs above
/// the start of a relative path.
pub(super) fn normalize_lexically(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => return None,
            },
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let g = |p: &str, s: &str| glob_any(&[p.to_string()], s);
        assert!(g("mcp__*", "mcp__github__x"));
        assert!(g("Bash", "Bash"));
        assert!(!g("Bash", "bash"));
        assert!(g("*-preview", "gemini-3-flash-preview"));
        assert!(g("a?c", "abc"));
        assert!(!g("mcp__*", "github___x"));
    }

    #[test]
    fn file_globs_follow_gitignore_conventions() {
        assert_eq!(file_glob_pattern("*.agent.md"), "**/*.agent.md");
        assert_eq!(file_glob_pattern("/top.md"), "top.md");
        assert_eq!(file_glob_pattern("./top.md"), "top.md");
        assert_eq!(file_glob_pattern(".claude/agents/*.md"), ".claude/agents/*.md");
        assert_eq!(file_glob_pattern("legacy/"), "**/legacy/**");
        assert_eq!(file_glob_pattern(".factory/droids/"), ".factory/droids/**");
        let m = |g: &str, p: &str| compile_file_glob(g).unwrap().compile_matcher().is_match(p);
        assert!(m("*.agent.md", ".github/agents/x.agent.md"));
        assert!(m(".claude/agents/*.md", ".claude/agents/a.md"));
        assert!(!m(".claude/agents/*.md", ".claude/agents/sub/a.md"), "`*` does not cross folders");
        assert!(m(".claude/agents/**/*.md", ".claude/agents/sub/a.md"));
        assert!(!m("/top.md", "sub/top.md"));
    }

    #[test]
    fn lexical_normalization() {
        assert_eq!(normalize_lexically(Path::new("./a/../b/c.md")), Some(PathBuf::from("b/c.md")));
        assert_eq!(normalize_lexically(Path::new("../c.md")), None);
        assert_eq!(normalize_lexically(Path::new("a/../../c.md")), None);
    }
}
