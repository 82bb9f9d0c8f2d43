//! References from a skill, command, instructions or memory file to other files: Markdown links,
//! `@path` imports (memory files) and `@file` references (commands), and a skill's bare
//! `scripts/...`, `references/...`, `assets/...` paths. Pure: each reference is resolved to a path
//! against the file's own path; whether the target exists is the caller's question.

use std::path::{Component, Path, PathBuf};

use crate::analysis::Analysis;
use crate::diagnostic::Span;
use crate::dialect::FileKind;

/// How a file names another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `[text](path)` or `![alt](path)`.
    Link,
    /// `@path` in a memory file: the product reads the target into the session.
    Import,
    /// `@path` in a command: the product inlines the file.
    FileRef,
    /// A bare `scripts/x.py` in a skill, relative to the skill's folder.
    Mention,
}

impl RefKind {
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Link => "link",
            RefKind::Import => "import",
            RefKind::FileRef => "file reference",
            RefKind::Mention => "path",
        }
    }
}

/// One reference, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    pub kind: RefKind,
    /// The path as written, without `#fragment` or `?query`.
    pub written: String,
    /// The written path's span.
    pub span: Span,
    /// Where it points: the written path joined to its base folder, `.` and `..` folded.
    pub target: PathBuf,
}

/// The references of a file whose path is known (none without a path, and none in agent files).
pub fn references(a: &Analysis) -> Vec<FileRef> {
    let (Some(det), Some(path)) = (a.detected, a.path.as_deref()) else { return Vec::new() };
    if matches!(det.kind, FileKind::Agent | FileKind::Prompt | FileKind::ChatMode) {
        return Vec::new();
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    let cat = a.catalog.as_deref();
    let feature = |f: &str| cat.is_some_and(|c| c.has_body_feature(f));
    let text = a.text;
    let body = &a.parsed.body;
    let mut out = Vec::new();
    for l in &body.links {
        let Some(written) = local_path(&l.dest) else { continue };
        let span = l.dest_span.start..l.dest_span.start + written.len().min(l.dest_span.len());
        out.push(FileRef { kind: RefKind::Link, target: join(dir, &decode(written)), written: written.into(), span });
    }
    let at_kind = match det.kind {
        FileKind::Memory | FileKind::Instructions if feature("imports") => Some(RefKind::Import),
        FileKind::Command | FileKind::Skill if feature("file-references") => Some(RefKind::FileRef),
        _ => None,
    };
    if let Some(kind) = at_kind {
        // Imports are relative to the importing file; a command's `@file` to the project root.
        let base = if kind == RefKind::Import { dir.to_path_buf() } else { project_root(path) };
        for r in &body.prose {
            for (span, written) in at_paths(text, r.clone()) {
                out.push(FileRef { kind, target: join(&base, written), written: written.into(), span });
            }
        }
    }
    if det.kind == FileKind::Skill {
        for r in body.prose.iter().chain(&body.inline_code).chain(&body.fences) {
            for (span, written) in skill_paths(text, r.clone()) {
                if out.iter().any(|o| o.span.start <= span.start && span.end <= o.span.end) {
                    continue;
                }
                out.push(FileRef { kind: RefKind::Mention, target: join(dir, written), written: written.into(), span });
            }
        }
    }
    out.sort_by_key(|r| r.span.start);
    out
}

/// The `@path` tokens of a text run: `@` at the start or after white space, then a path with a
/// `/` or a `.` in it (so `@alice` and `user@example.com` are not paths).
pub fn at_paths(text: &str, run: Span) -> Vec<(Span, &str)> {
    let s = &text[run.clone()];
    let mut out = Vec::new();
    for (i, _) in s.match_indices('@') {
        if s[..i].chars().next_back().is_some_and(|c| !c.is_whitespace() && c != '(') {
            continue;
        }
        let rest = &s[i + 1..];
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | ',' | ';' | '`' | '"' | '\''))
            .unwrap_or(rest.len());
        let p = rest[..len].trim_end_matches(['.', ':', '!', '?']);
        if p.is_empty() || !(p.contains('/') || p.contains('.')) || p.contains("://") || p.starts_with('~') {
            continue;
        }
        let start = run.start + i + 1;
        out.push((start..start + p.len(), p));
    }
    out
}

/// Bare `scripts/...`, `references/...`, `assets/...` paths of a skill (the open standard's folders).
fn skill_paths(text: &str, run: Span) -> Vec<(Span, &str)> {
    let s = &text[run.clone()];
    let mut out = Vec::new();
    for dirname in ["scripts/", "references/", "assets/"] {
        for (i, _) in s.match_indices(dirname) {
            let before = s[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '.' | '$' | '{')) {
                continue;
            }
            let rest = &s[i..];
            let len =
                rest.find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '.'))).unwrap_or(rest.len());
            let p = rest[..len].trim_end_matches(['.', '/']);
            // A folder alone (`scripts/`) or a file without a name is not a reference to check.
            if p.len() <= dirname.len() || !p[dirname.len()..].contains('.') {
                continue;
            }
            let start = run.start + i;
            out.push((start..start + p.len(), p));
        }
    }
    out
}

/// A link destination that names a local file: not a URL, an anchor, an absolute or home path,
/// nor a template placeholder; without its `#fragment` and `?query`.
fn local_path(dest: &str) -> Option<&str> {
    let d = dest.trim();
    let d = d.split(['#', '?']).next().unwrap_or("");
    let scheme = d.find(':').is_some_and(|i| i > 1 && d[..i].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+'));
    if d.is_empty() || scheme || d.starts_with(['/', '~', '$', '{', '<', '\\']) || d.contains("{{") {
        return None;
    }
    Some(d)
}

/// `%20` and the other percent escapes of a link destination, decoded where they form UTF-8.
fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit() {
            let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(b[i + 1]) * 16 + hex(b[i + 2]));
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// `base/rel` with `.` and `..` folded (without touching the disk).
pub fn join(base: &Path, rel: &str) -> PathBuf {
    let mut out = base.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// The project a file belongs to: the folder above its `.claude`, `.factory`, `.github` or
/// `.opencode` folder, else the file's own folder.
pub fn project_root(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new(""));
    for anc in dir.ancestors() {
        let name = anc.file_name().and_then(|n| n.to_str());
        if matches!(name, Some(".claude" | ".factory" | ".github" | ".opencode" | ".agents")) {
            return anc.parent().unwrap_or(Path::new("")).to_path_buf();
        }
    }
    dir.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_paths_are_paths_only() {
        let t = "See @docs/guide.md and @README.md, not @alice or me@example.com or @~/x.md.";
        let found: Vec<&str> = at_paths(t, 0..t.len()).into_iter().map(|(_, p)| p).collect();
        assert_eq!(found, ["docs/guide.md", "README.md"]);
    }

    #[test]
    fn skill_paths_need_a_file_name() {
        let t = "Run `python scripts/fill.py` then read references/api.md. The scripts/ folder; myscripts/x.py";
        let found: Vec<&str> = skill_paths(t, 0..t.len()).into_iter().map(|(_, p)| p).collect();
        assert_eq!(found, ["scripts/fill.py", "references/api.md"]);
    }

    #[test]
    fn local_paths() {
        assert_eq!(local_path("scripts/a.sh#usage"), Some("scripts/a.sh"));
        assert_eq!(local_path("https://x.y/z"), None);
        assert_eq!(local_path("#anchor"), None);
        assert_eq!(local_path("mailto:a@b"), None);
        assert_eq!(local_path("/abs/path"), None);
        assert_eq!(local_path("C:x"), Some("C:x"));
        assert_eq!(join(Path::new("/r/a"), "../b/./c.md"), PathBuf::from("/r/b/c.md"));
        assert_eq!(decode("my%20file.md"), "my file.md");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(project_root(Path::new("/r/.claude/commands/x/y.md")), PathBuf::from("/r"));
    }
}
