//! Navigation across files over the workspace index: what the name under the cursor denotes
//! (an agent, skill or MCP server, used or defined), where it is defined, every use of it, the
//! edits that rename an agent or skill everywhere (its `name`, the file or folder name where the
//! dialect ties them, every reference), and workspace symbols. The user scope is read-only: uses
//! go to its files, but a name defined there is never renamed. LSP-free: byte spans and index
//! keys (file paths) in and out; `lsp` converts them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Span;
use crate::dialect::Dialect;
use crate::semantics::patterns::regex_is_match;
use crate::workspace::{builtins, Definition, FileKey, Reference, Resolution, SymbolKind, Workspace};

/// A name as the index keys it: the project root, the products that see it, what it is, the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub root: Arc<str>,
    pub dialects: Vec<Dialect>,
    pub kind: SymbolKind,
    pub name: String,
}

/// The name under the cursor.
#[derive(Debug, Clone)]
pub struct Hit {
    pub target: Target,
    /// The name's span in the file.
    pub span: Span,
    /// The reference it is, when it is a use (`None` for a definition).
    pub reference: Option<Reference>,
}

fn contains(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end && !span.is_empty()
}

/// What the name at `offset` of file `key` denotes.
pub fn at(ws: &Workspace, key: &str, offset: usize) -> Option<Hit> {
    let key = ws.key(key)?;
    let f = ws.file(&key)?;
    for r in &f.references {
        let (name, span) = match r.kind {
            SymbolKind::McpServer => ws.server_of(&key, r)?,
            _ => (r.name.clone(), r.span.clone()),
        };
        if contains(&span, offset) {
            let dialects = f.dialect.into_iter().collect();
            let target = Target { root: f.root.clone(), dialects, kind: r.kind, name };
            return Some(Hit { target, span, reference: Some(r.clone()) });
        }
    }
    for d in &f.definitions {
        if d.kind == SymbolKind::DroidFile || !contains(&d.span, offset) {
            continue;
        }
        let dialects = match (&f.config, f.dialect) {
            (Some(c), _) => c.source.dialects().to_vec(),
            (None, Some(dl)) => vec![dl],
            _ => continue,
        };
        let target = Target { root: f.root.clone(), dialects, kind: d.kind, name: d.name.clone() };
        return Some(Hit { target, span: d.span.clone(), reference: None });
    }
    None
}

/// Where the name at `offset` is defined: for a use, what it resolves to (every agent a pattern
/// matches); for a definition, the definition itself.
pub fn definition(ws: &Workspace, key: &str, offset: usize) -> Vec<(FileKey, Span)> {
    let Some(hit) = at(ws, key, offset) else { return Vec::new() };
    let Some(k) = ws.key(key) else { return Vec::new() };
    match &hit.reference {
        Some(r) => match ws.resolve(&k, r) {
            Resolution::Defined(v) => v,
            _ => Vec::new(),
        },
        None => vec![(k, hit.span)],
    }
}

/// The definitions of a target (MCP servers: in the configuration files its products read, and
/// inline in the files that refer to it).
pub fn declarations(ws: &Workspace, t: &Target) -> Vec<(FileKey, Span)> {
    let mut out = Vec::new();
    for &d in &t.dialects {
        if t.kind == SymbolKind::McpServer {
            for c in ws.configs_for(&t.root, d) {
                if let Some(f) = ws.file(&c) {
                    out.extend(f.servers.iter().filter(|s| s.name == t.name).map(|s| (c.clone(), s.name_span.clone())));
                }
            }
            for (k, _) in ws.references_to(&t.root, d, t.kind, &t.name) {
                if let Some(f) = ws.file(&k) {
                    out.extend(f.servers.iter().filter(|s| s.name == t.name).map(|s| (k.clone(), s.name_span.clone())));
                }
            }
        } else {
            out.extend(ws.visible_definitions(&t.root, d, t.kind, &t.name));
        }
    }
    sort_dedup(&mut out);
    out
}

fn sort_dedup(v: &mut Vec<(FileKey, Span)>) {
    v.sort_by(|a, b| (&a.0, a.1.start, a.1.end).cmp(&(&b.0, b.1.start, b.1.end)));
    v.dedup();
}

/// Every use of a target (patterns that match it included), and its definitions when asked.
pub fn references(ws: &Workspace, t: &Target, include_declaration: bool) -> Vec<(FileKey, Span)> {
    let mut out = Vec::new();
    for &d in &t.dialects {
        out.extend(ws.references_to(&t.root, d, t.kind, &t.name));
    }
    if include_declaration {
        out.extend(declarations(ws, t));
    }
    sort_dedup(&mut out);
    out
}

/// Why a name defined in the user scope is not renamed.
fn user_scope_refusal(name: &str, shown: &str) -> String {
    format!(
        "`{name}` is defined in your user-level folder ({shown}); agentls does not edit the user scope, \
         which every project on this machine shares"
    )
}

/// What renaming the name at the cursor would rename, or why it cannot be renamed.
pub fn prepare_rename(ws: &Workspace, key: &str, offset: usize, text: &str) -> Result<Hit, String> {
    let hit = at(ws, key, offset).ok_or("no agent or skill name here")?;
    if !matches!(hit.target.kind, SymbolKind::Agent | SymbolKind::Skill) {
        return Err(format!("only agents and skills can be renamed, not {}s", hit.target.kind.noun()));
    }
    if let Some(shown) = ws.file(key).and_then(|f| f.user.clone()) {
        return Err(user_scope_refusal(&hit.target.name, &shown));
    }
    if let Some(r) = &hit.reference {
        if r.pattern {
            return Err(format!("`{}` is a pattern over agent names, not one name", r.name));
        }
        let k = ws.key(key).ok_or("not indexed")?;
        match ws.resolve(&k, r) {
            Resolution::Defined(v) => {
                let user = v.iter().find_map(|(k, _)| ws.file(k).and_then(|f| f.user.clone()));
                if let Some(shown) = user {
                    return Err(user_scope_refusal(&r.name, &shown));
                }
            }
            Resolution::Builtin => return Err(format!("`{}` is built in and cannot be renamed", r.name)),
            _ => return Err(format!("`{}` is not defined in this project", r.name)),
        }
    }
    if text.get(hit.span.clone()) != Some(hit.target.name.as_str()) {
        return Err(format!("the name `{}` comes from the file name here", hit.target.name));
    }
    Ok(hit)
}

/// The edits of a rename: text replacements and file or folder renames (old path, new path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenamePlan {
    pub edits: Vec<(FileKey, Span, String)>,
    pub moves: Vec<(PathBuf, PathBuf)>,
}

/// Why `new` is not a name `d` accepts for `kind`, if it is not.
pub fn reject_name(d: Dialect, kind: SymbolKind, new: &str) -> Option<String> {
    if new.trim().is_empty() || new != new.trim() {
        return Some("the new name is empty or has surrounding spaces".into());
    }
    let nested = d == Dialect::Opencode && kind == SymbolKind::Agent;
    if new.contains('\\')
        || (!nested && new.contains('/'))
        || new.split('/').any(|p| p.is_empty() || p == "." || p == "..")
    {
        return Some(format!("`{new}` cannot be a file or folder name"));
    }
    if kind == SymbolKind::Agent {
        if d == Dialect::Claude && new.contains(':') {
            return Some("Claude Code does not load an agent whose name contains `:`".into());
        }
        if let Some(p) = &crate::catalog::builtin(d).name_pattern {
            if regex_is_match(p, new) == Some(false) {
                return Some(format!("`{new}` does not match {}'s name pattern `{p}`", d.display()));
            }
        }
    }
    None
}

/// The path a definition taken from the file or folder name moves to.
fn moved(path: &Path, d: Dialect, def: &Definition, new: &str) -> Option<(PathBuf, PathBuf)> {
    if def.kind == SymbolKind::Skill {
        let folder = path.parent()?;
        return Some((folder.to_path_buf(), folder.parent()?.join(new)));
    }
    let s = path.to_str()?;
    let base = match d {
        Dialect::Opencode => s.strip_suffix(&format!("{}.md", def.name))?.to_string(),
        _ => {
            let file = path.file_name()?.to_str()?;
            let suffix = file.strip_prefix(def.name.as_str())?;
            let dir = path.parent()?.to_str()?;
            return Some((path.to_path_buf(), PathBuf::from(format!("{dir}/{new}{suffix}"))));
        }
    };
    Some((path.to_path_buf(), PathBuf::from(format!("{base}{new}.md"))))
}

/// Renames the agent or skill at `offset` of `key` to `new`: every definition (its `name`, and the
/// file or folder the dialect takes the name from or ties to it) and every use. `text_of` gives a
/// file's current text (open buffer or disk), to confirm each span still holds the old name.
/// Refused when the dialect would reject `new` or something of that kind is already named `new`.
pub fn rename(
    ws: &Workspace,
    key: &str,
    offset: usize,
    new: &str,
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Result<RenamePlan, String> {
    let text = text_of(key).ok_or("cannot read the file")?;
    let hit = prepare_rename(ws, key, offset, &text)?;
    let t = &hit.target;
    let &[d] = t.dialects.as_slice() else { return Err("not one product's name".into()) };
    if new == t.name {
        return Ok(RenamePlan::default());
    }
    if let Some(why) = reject_name(d, t.kind, new) {
        return Err(why);
    }
    if ws.names(&t.root, d, t.kind).any(|n| n == new) || (t.kind == SymbolKind::Agent && builtins::is_agent(d, new)) {
        return Err(format!("{} {} named `{new}` already exists", d.a_noun(), t.kind.noun()));
    }
    let mut plan = RenamePlan::default();
    let same_text = |k: &FileKey, span: &Span| -> bool {
        text_of(k).and_then(|s| s.get(span.clone()).map(|x| x == t.name)).unwrap_or(false)
    };
    for (k, span) in ws.definitions(&t.root, d, t.kind, &t.name) {
        let Some(f) = ws.file(&k) else { continue };
        let Some(def) = f.definitions.iter().find(|x| x.kind == t.kind && x.name == t.name && x.span == span) else {
            continue;
        };
        if same_text(&k, &span) {
            plan.edits.push((k.clone(), span.clone(), new.to_string()));
        }
        // Factory ties a droid's `name` to its file name: the file follows when they agreed.
        let tied = def.from_path
            || (d == Dialect::Factory
                && f.definitions.iter().any(|x| x.kind == SymbolKind::DroidFile && x.name == t.name));
        if tied {
            let as_path = Definition { from_path: true, ..def.clone() };
            let m = moved(Path::new(&*k), d, &as_path, new).ok_or("cannot work out the new file name")?;
            if m.1.exists() {
                return Err(format!("`{}` already exists", m.1.display()));
            }
            if !plan.moves.contains(&m) {
                plan.moves.push(m);
            }
        }
    }
    for (k, span) in ws.references_to(&t.root, d, t.kind, &t.name) {
        let exact = ws.file(&k).is_some_and(|f| f.references.iter().any(|r| r.span == span && !r.pattern));
        if exact && same_text(&k, &span) {
            plan.edits.push((k, span, new.to_string()));
        }
    }
    plan.edits.sort_by(|a, b| (&a.0, a.1.start).cmp(&(&b.0, b.1.start)));
    plan.edits.dedup();
    Ok(plan)
}

/// One workspace symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub dialect: Option<Dialect>,
    pub file: FileKey,
    pub span: Span,
}

/// True when every character of `query` appears in `name` in order, ignoring case.
fn fuzzy(query: &str, name: &str) -> bool {
    let mut chars = name.chars().flat_map(char::to_lowercase);
    query.chars().flat_map(char::to_lowercase).all(|q| chars.any(|c| c == q))
}

/// Every agent, skill and command whose name matches `query` (fuzzily), sorted by name, at most `limit`.
pub fn workspace_symbols(ws: &Workspace, query: &str, limit: usize) -> Vec<WorkspaceSymbol> {
    let mut out: Vec<WorkspaceSymbol> = Vec::new();
    for (k, f) in ws.files() {
        for d in &f.definitions {
            if matches!(d.kind, SymbolKind::Agent | SymbolKind::Skill | SymbolKind::Command) && fuzzy(query, &d.name) {
                out.push(WorkspaceSymbol {
                    name: d.name.clone(),
                    kind: d.kind,
                    dialect: f.dialect,
                    file: k.clone(),
                    span: d.span.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.name, &a.file, a.span.start).cmp(&(&b.name, &b.file, b.span.start)));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Settings};
    use std::collections::HashMap;

    fn ws(files: &[(&str, &str)]) -> Workspace {
        let mut ws = Workspace::new();
        for (p, t) in files {
            let path = Path::new(p);
            ws.upsert(p, crate::workspace::extract(&analyze(t, Some(path), &Settings::default()), path));
        }
        ws
    }

    #[test]
    fn definition_references_and_rename() {
        let files = [
            ("/r/.claude/agents/a.md", "---\nname: lead\ndescription: d\ntools: Agent(helper)\nskills: pdf\n---\nB\n"),
            ("/r/.claude/agents/c.md", "---\nname: helper\ndescription: d\ntools: Task(helper)\n---\nB\n"),
            ("/r/.claude/skills/pdf/SKILL.md", "---\nname: pdf\ndescription: d\n---\nB\n"),
        ];
        let w = ws(&files);
        let texts: HashMap<&str, &str> = files.iter().copied().collect();
        let a = texts["/r/.claude/agents/a.md"];
        let at_helper = a.find("helper").unwrap() + 2;
        let def = definition(&w, "/r/.claude/agents/a.md", at_helper);
        assert_eq!(def.len(), 1);
        assert_eq!(&*def[0].0, "/r/.claude/agents/c.md");
        let hit = at(&w, "/r/.claude/agents/a.md", at_helper).unwrap();
        assert_eq!(references(&w, &hit.target, false).len(), 2);
        assert_eq!(references(&w, &hit.target, true).len(), 3);
        let text_of = |k: &str| texts.get(k).map(|s| s.to_string());
        let plan = rename(&w, "/r/.claude/agents/a.md", at_helper, "aide", &text_of).unwrap();
        assert_eq!(plan.edits.len(), 3);
        assert!(plan.moves.is_empty());
        assert!(rename(&w, "/r/.claude/agents/a.md", at_helper, "lead", &text_of).unwrap_err().contains("already"));
        assert!(rename(&w, "/r/.claude/agents/a.md", at_helper, "Bad Name", &text_of).is_err());
        let at_pdf = a.find("pdf").unwrap();
        let plan = rename(&w, "/r/.claude/agents/a.md", at_pdf, "docs", &text_of).unwrap();
        assert_eq!(plan.edits.len(), 2);
        assert_eq!(plan.moves, [(PathBuf::from("/r/.claude/skills/pdf"), PathBuf::from("/r/.claude/skills/docs"))]);
        assert_eq!(workspace_symbols(&w, "hlp", 10).len(), 1);
    }

    #[test]
    fn the_user_scope_is_a_target_but_never_renamed() {
        let scope = crate::workspace::UserScope::new(Path::new("/h"), None);
        let a = "---\nname: lead\ndescription: d\ntools: Agent(rev)\n---\nB\n";
        let u = "---\nname: rev\ndescription: d\n---\nB\n";
        let mut w = ws(&[("/p/.claude/agents/a.md", a)]);
        let up = Path::new("/h/.claude/agents/rev.md");
        let folder = scope.folder_of(up).unwrap();
        let settings = Settings { dialect_override: Some(folder.dialect), ..Settings::default() };
        w.upsert(
            "/h/.claude/agents/rev.md",
            scope.into_layer(crate::workspace::extract(&analyze(u, Some(up), &settings), up), folder, up),
        );
        let at_rev = a.find("rev").unwrap() + 1;
        let def = definition(&w, "/p/.claude/agents/a.md", at_rev);
        assert_eq!(def, [(FileKey::from("/h/.claude/agents/rev.md"), 10..13)]);
        let hit = at(&w, "/p/.claude/agents/a.md", at_rev).unwrap();
        assert_eq!(references(&w, &hit.target, true).len(), 2, "the use and the user's definition");
        let texts: HashMap<&str, &str> =
            [("/p/.claude/agents/a.md", a), ("/h/.claude/agents/rev.md", u)].into_iter().collect();
        let text_of = |k: &str| texts.get(k).map(|s| s.to_string());
        let err = rename(&w, "/p/.claude/agents/a.md", at_rev, "x", &text_of).unwrap_err();
        assert!(err.contains("~/.claude/agents/rev.md") && err.contains("does not edit the user scope"), "{err}");
        assert!(prepare_rename(&w, "/h/.claude/agents/rev.md", 11, u).is_err(), "nor from the user's file");
    }
}
