//! The one fixer, seen from both sides: `agentls check --fix` (the built binary, on files on disk)
//! and the server's `source.fixAll` code action (over stdio) must leave byte-identical files, on
//! every example of every dialect and on files whose fixes overlap.

mod common;

use std::path::{Path, PathBuf};

use common::{capabilities, file_uri, Client};
use serde_json::{json, Value};

/// Files with several fixes that touch each other: a duplicate tool next to a foreign one, a
/// removed tool with a replacement, a renamed key, in every dialect.
const OVERLAPPING: &[(&str, &str)] = &[
    (
        ".factory/droids/overlap.md",
        "---\nname: overlap\ndescription: d\ntools: [\"Read\", \"Bash\", \"MultiEdit\", \"Read\", \"Bash\"]\n---\n\nUse Bash.\n",
    ),
    (
        ".claude/agents/overlap.md",
        "---\nname: overlap\ndescription: d\ntools: Read, Execute, Read, FetchUrl, Execute\n---\n\nBody.\n",
    ),
    (".claude/agents/crlf.md", "---\r\nname: crlf\r\ndescription: d\r\ntools: Read, Execute, Read\r\n---\r\n\r\nBody.\r\n"),
];

/// Every file under `dir`, as paths relative to it.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for rel in files(from) {
        let dst = to.join(&rel);
        std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&rel), dst).unwrap();
    }
}

/// The workspace both sides fix: the repository's examples (with their policy) plus the files above.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), dir.path());
    for (rel, text) in OVERLAPPING {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// The agent files of the workspace (Markdown; the policy and Rust files are not agents).
fn agent_files(dir: &Path) -> Vec<PathBuf> {
    files(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("README.md")).collect()
}

/// The byte offset of an LSP position (UTF-16 columns).
fn offset(text: &str, pos: &Value) -> usize {
    let (line, col) = (pos["line"].as_u64().unwrap() as usize, pos["character"].as_u64().unwrap() as usize);
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').map_or(text.len() - start, |i| i + 1);
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= col || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with the action's edits applied (from the last to the first).
fn apply(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| (offset(text, &e["range"]["start"]), offset(text, &e["range"]["end"]), e["newText"].as_str().unwrap()))
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, e, t) in spans {
        out.replace_range(s..e, t);
    }
    out
}

#[test]
fn check_fix_and_source_fix_all_leave_the_same_bytes() {
    let cli = workspace();
    let server = workspace();

    let status = std::process::Command::new(env!("CARGO_BIN_EXE_agentls"))
        .args(["check", ".", "--fix", "--no-color"])
        .current_dir(cli.path())
        .output()
        .unwrap();
    assert!(status.status.code().is_some_and(|c| c <= 1), "{status:?}");

    let mut client = Client::spawn();
    client.initialize(capabilities(false, false), Value::Null, Some(server.path()));
    let mut changed = 0;
    for rel in agent_files(server.path()) {
        let path = server.path().join(&rel);
        let before = std::fs::read_to_string(&path).unwrap();
        let uri = file_uri(&path);
        client.did_open(&uri, 1, &before);
        client.diagnostics(&uri, Some(1));
        let end = common::utf16_position(&before, before.len());
        let params = json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": end},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        });
        let actions = client.request("textDocument/codeAction", params).unwrap();
        let actions = actions.as_array().cloned().unwrap_or_default();
        assert!(actions.len() <= 1, "{rel:?}: {actions:?}");
        let after = match actions.first() {
            Some(a) => apply(&before, a["edit"]["changes"][&uri].as_array().unwrap()),
            None => before.clone(),
        };
        let by_cli = std::fs::read_to_string(cli.path().join(&rel)).unwrap();
        assert_eq!(after, by_cli, "{rel:?}: source.fixAll and check --fix differ");
        if after != before {
            changed += 1;
        }
    }
    client.shutdown_and_exit();
    // The examples plant fixable mistakes, and every overlapping file has some: the comparison
    // is not between two untouched trees.
    assert!(changed > OVERLAPPING.len(), "only {changed} files were fixed");
}
