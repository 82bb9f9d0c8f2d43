//! Reading policies: discovery (walking up to `.agentls.yaml`, bounded by a workspace root), file
//! I/O with its size and UTF-8 limits, the typed read with serde_yaml, and the built-in default.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::merge::LoadedPolicy;
use super::schema::Policy;
use super::tree::Tree;
use super::validate::{validate, PolicyError};
use crate::diagnostic::{Severity, Span};
use crate::text::floor_char_boundary;

/// The file name looked for, walking up from an agent file.
pub const FILE_NAME: &str = ".agentls.yaml";

/// The largest policy file read. Real policies are a few kilobytes; anything this big is a
/// mistake or an attack, and refusing it keeps every keystroke cheap.
pub const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// The built-in default policy (data file `data/default-policy.yaml`).
pub fn builtin_default() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        serde_yaml::from_str(include_str!("../../data/default-policy.yaml"))
            .unwrap_or_else(|e| panic!("data/default-policy.yaml is invalid: {e}"))
    })
}

/// Walks up from `start` (a file or folder) to find `.agentls.yaml`.
pub fn find(start: &Path) -> Option<PathBuf> {
    find_within(start, None)
}

/// Like [`find`], but never looks above `root` (the language server's workspace folder), so the
/// server reads nothing outside the workspace.
pub fn find_within(start: &Path, root: Option<&Path>) -> Option<PathBuf> {
    let mut dir = if start.is_dir() { Some(start) } else { start.parent() };
    while let Some(d) = dir {
        if root.is_some_and(|r| !d.starts_with(r)) {
            return None;
        }
        let f = d.join(FILE_NAME);
        if f.is_file() {
            return Some(f);
        }
        dir = d.parent();
    }
    None
}

/// Loads the policy that applies at `start`, or the built-in default.
pub fn discover(start: &Path) -> LoadedPolicy {
    match find(start) {
        Some(f) => load(&f),
        None => LoadedPolicy::builtin(),
    }
}

/// Like [`discover`], bounded by `root` (see [`find_within`]).
pub fn discover_within(start: &Path, root: Option<&Path>) -> LoadedPolicy {
    match find_within(start, root) {
        Some(f) => load(&f),
        None => LoadedPolicy::builtin(),
    }
}

/// Parses a policy file's text; the first error, if any.
pub fn parse(text: &str, path: Option<&Path>) -> Result<Policy, PolicyError> {
    match parse_all(text, path) {
        (Some(p), _) => Ok(p),
        (None, problems) => Err(problems
            .into_iter()
            .find(PolicyError::is_error)
            .unwrap_or_else(|| PolicyError::new(text, path, Severity::Error, 0..0, "the policy could not be read"))),
    }
}

/// Parses a policy file's text and checks it: the policy (`None` if there is any error) and every
/// problem found, in file order. YAML and type errors stop at the first; checks after parsing
/// (regexes, globs, rule codes, limits) report all.
pub fn parse_all(text: &str, path: Option<&Path>) -> (Option<Policy>, Vec<PolicyError>) {
    let err = |span: Span, msg: String| PolicyError::new(text, path, Severity::Error, span, msg);
    if text.len() as u64 > MAX_POLICY_BYTES {
        let msg = format!("the policy file is {} bytes; the limit is {MAX_POLICY_BYTES}", text.len());
        return (None, vec![err(0..0, msg)]);
    }
    // The tree comes first: it refuses alias bombs before serde would expand them, and it gives
    // the spans of values that fail the checks after parsing.
    let tree = match Tree::build(text) {
        Ok(t) => t,
        Err(e) => return (None, vec![err(e.span, e.message)]),
    };
    let empty = match tree.root {
        None => true,
        Some(r) => matches!(tree.scalar(r), Some("" | "~" | "null" | "Null" | "NULL")),
    };
    let policy = if empty {
        Policy::default()
    } else {
        match serde_yaml::from_str::<Policy>(text) {
            Ok(p) => p,
            Err(e) => {
                let (span, msg) = serde_error(&e, text, &tree);
                return (None, vec![err(span, msg)]);
            }
        }
    };
    let mut problems = validate(&policy, text, path, &tree);
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    let ok = !problems.iter().any(PolicyError::is_error);
    (ok.then_some(policy), problems)
}

/// serde_yaml's error as a message without its trailing position and the span of the token
/// it points at.
fn serde_error(e: &serde_yaml::Error, text: &str, tree: &Tree) -> (Span, String) {
    let mut msg = e.to_string();
    if let Some(loc) = e.location() {
        let suffix = format!(" at line {} column {}", loc.line(), loc.column());
        if msg.ends_with(&suffix) {
            msg.truncate(msg.len() - suffix.len());
        }
    }
    let at = floor_char_boundary(text, e.location().map_or(0, |l| l.index()));
    let span = tree.node_starting_at(at).unwrap_or_else(|| {
        let len =
            text[at..].find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}').unwrap_or(text.len() - at);
        at..at + len
    });
    (span, msg)
}

/// Loads one policy file; on any error the built-in default applies and the error is kept.
pub fn load(path: &Path) -> LoadedPolicy {
    let problem =
        |text: &str, span: Span, message: String| PolicyError::new(text, Some(path), Severity::Error, span, message);
    let fail = |problems: Vec<PolicyError>| {
        let mut loaded = LoadedPolicy::builtin();
        loaded.error = problems.iter().find(|p| p.is_error()).cloned();
        loaded.problems = problems;
        loaded.path = Some(path.to_path_buf());
        loaded
    };
    // The size is checked before reading so that a huge file is never loaded into memory.
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_POLICY_BYTES => {
            let msg = format!("the policy file is {} bytes; the limit is {MAX_POLICY_BYTES}", m.len());
            return fail(vec![problem("", 0..0, msg)]);
        }
        Ok(_) => {}
        Err(e) => return fail(vec![problem("", 0..0, format!("cannot read the policy file: {e}"))]),
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return fail(vec![problem("", 0..0, format!("cannot read the policy file: {e}"))]),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            return fail(vec![problem(&valid, at..at + 1, "the policy file is not valid UTF-8".into())]);
        }
    };
    match parse_all(&text, Some(path)) {
        (Some(p), problems) => {
            let mut loaded = LoadedPolicy::from_policy(p, Some(path.to_path_buf()));
            loaded.problems = problems;
            loaded
        }
        (None, problems) => fail(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_error_keeps_message_without_position() {
        let (_, problems) = parse_all("tools:\n  deny: 3\n", None);
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].message.contains(" at line "), "{}", problems[0].message);
        assert_eq!((problems[0].line, problems[0].column), (2, 9));
        assert_eq!(problems[0].span, 15..16);
    }
}
