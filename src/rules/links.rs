//! Rules that look at other files: a link, import or path to a file that does not exist, and
//! memory files that import each other. The files come through [`Files`], never straight from disk.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::Ctx;
use crate::files::Files;
use crate::registry::RuleCode;
use crate::semantics::links::{at_paths, join, references, RefKind};

/// How deep Claude Code follows imports: four hops (data/catalogs/kinds/claude-memory.yaml, from
/// its memory docs and the shipped loader).
const MAX_DEPTH: usize = 4;

pub(super) fn check(cx: &mut Ctx, files: &dyn Files) {
    let refs = references(cx.a);
    let Some(me) = cx.a.path.clone() else { return };
    for r in refs {
        if !files.exists(&r.target) {
            let msg = format!(
                "the {} `{}` names a file that does not exist ({})",
                r.kind.noun(),
                r.written,
                shown(&r.target)
            );
            cx.emit(RuleCode::MissingFile, r.span, msg);
            continue;
        }
        if r.kind == RefKind::Import {
            if let Some(chain) = cycle(&me, &r.target, files) {
                let via: Vec<String> = chain.iter().map(|p| shown(p)).collect();
                let msg = format!("this import leads back to this file: {}", via.join(" → "));
                cx.emit(RuleCode::ImportCycle, r.span, msg);
            }
        }
    }
}

/// The chain of imports from `start` back to `me`, if there is one within the depth Claude follows.
fn cycle(me: &Path, start: &Path, files: &dyn Files) -> Option<Vec<PathBuf>> {
    let mut seen = HashSet::new();
    let mut stack = vec![(start.to_path_buf(), vec![start.to_path_buf()])];
    while let Some((file, chain)) = stack.pop() {
        if same(&file, me) {
            return Some(chain);
        }
        if chain.len() > MAX_DEPTH || !seen.insert(file.clone()) {
            continue;
        }
        let Some(text) = files.read(&file) else { continue };
        let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
        let parsed = crate::syntax::parse(&text);
        for run in &parsed.body.prose {
            for (_, p) in at_paths(&text, run.clone()) {
                let next = join(&dir, p);
                let mut c = chain.clone();
                c.push(next.clone());
                stack.push((next, c));
            }
        }
    }
    None
}

/// Paths are compared as written (both are folded by [`join`]); the rule never asks the disk.
fn same(a: &Path, b: &Path) -> bool {
    a == b
}

/// A path for a message: relative to the current folder where it can be.
fn shown(p: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd.as_deref().and_then(|c| p.strip_prefix(c).ok()).unwrap_or(p);
    rel.display().to_string()
}
