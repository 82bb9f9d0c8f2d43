//! The index over every file's facts: definitions by project root, dialect, kind and name;
//! references by the name they use; MCP configuration files by root. `upsert` and `remove` replace
//! one file's facts and mark dirty only the files whose cross-file findings can change (the file,
//! those defining or referring to a name whose definitions changed, and for MCP or pattern changes
//! the files of that root that refer to servers or agent patterns). Files of the user scope sit
//! under [`USER_ROOT`]: a project's agent and skill references fall back to them when the
//! project defines no such name, and a change to one marks the files of every project that use
//! or define its name.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::diagnostic::Span;
use crate::dialect::Dialect;
use crate::mcp::{toolref, Server};

use super::{builtins, FileFacts, FileKey, Reference, SymbolKind, USER_ROOT};

type DefKey = (Arc<str>, Dialect, SymbolKind);
/// The files defining each name (of one root, dialect and kind).
type ByName = FxHashMap<String, Vec<FileKey>>;
/// References are bucketed by (root, kind, name); patterns and MCP references of a root share the
/// bucket named [`ANY`], as a change to any agent or server name can change how they resolve.
type RefKey = (Arc<str>, SymbolKind, String);
const ANY: &str = "\u{0}any";

/// How a reference resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Defined in these files at these spans (a pattern: every agent it matches).
    Defined(Vec<(FileKey, Span)>),
    /// A built-in agent or server of the product.
    Builtin,
    /// Nothing matches.
    Missing,
    /// Not judged (an MCP reference where no configuration of the dialect was read).
    Unknown,
}

/// The cross-file index. Cheap to update one file at a time.
#[derive(Debug, Default)]
pub struct Workspace {
    files: FxHashMap<FileKey, FileFacts>,
    /// Definitions by root, then (dialect, kind), then name: looked up by a root's `&str`
    /// without building a key (checking 10,000 files made four such lookups each).
    defs: FxHashMap<Arc<str>, FxHashMap<(Dialect, SymbolKind), ByName>>,
    refs: FxHashMap<RefKey, Vec<FileKey>>,
    configs: FxHashMap<Arc<str>, Vec<FileKey>>,
    dirty: BTreeSet<FileKey>,
    /// Did-you-mean suggestions already computed since the last change: an edit that breaks the
    /// references of many files asks the same question once per file, over every name of the root.
    hints: Mutex<HashMap<HintKey, Option<String>>>,
    /// Whether the user scope is read (so messages can say so).
    user_scope: bool,
    /// Built once for one run of checks ([`Workspace::one_shot`]): no `refs` table.
    one_shot: bool,
}

type HintKey = (Arc<str>, Dialect, SymbolKind, String);

fn push_unique(v: &mut Vec<FileKey>, k: &FileKey) {
    if !v.contains(k) {
        v.push(k.clone());
    }
}

fn ref_key(f: &FileFacts, r: &Reference) -> RefKey {
    let name = if r.pattern || r.kind == SymbolKind::McpServer { ANY.to_string() } else { r.name.clone() };
    (f.root.clone(), r.kind, name)
}

/// A `*`/`?` glob over a name (OpenCode's permission patterns).
pub(crate) fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

impl Workspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// An index built once and checked once (the command line's run): it keeps no table of
    /// references by name, which only finds the files an update affects and the references to a
    /// name ([`Workspace::references_to`]): on such an index the first answers only the changed
    /// file's own findings and the definitions', and the second is not available. Checking 10,000
    /// agents, filling that table was a fifth of what the cross-file rules cost.
    pub fn one_shot() -> Self {
        Workspace { one_shot: true, ..Self::default() }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Makes room for `additional` more files before a bulk load, so the tables are not rebuilt
    /// (rehashing every file) as they grow: at 7,000 files one such rebuild held an update for 8 ms.
    pub fn reserve(&mut self, additional: usize) {
        self.files.reserve(additional);
        if !self.one_shot {
            self.refs.reserve(additional);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The index's own key for a path (shared, cheap to clone).
    pub fn key(&self, key: &str) -> Option<FileKey> {
        self.entry(key).map(|(k, _)| k.clone())
    }

    /// The index's own key for a path, with the file's facts.
    pub fn entry(&self, key: &str) -> Option<(&FileKey, &FileFacts)> {
        self.files.get_key_value(key)
    }

    pub fn file(&self, key: &str) -> Option<&FileFacts> {
        self.files.get(key)
    }

    pub fn files(&self) -> impl Iterator<Item = (&FileKey, &FileFacts)> {
        self.files.iter()
    }

    /// Replaces one file's facts. Returns the files whose cross-file findings may have changed
    /// (also kept in the dirty set until [`Workspace::take_dirty`]).
    pub fn upsert(&mut self, key: &str, facts: FileFacts) -> Vec<FileKey> {
        let key: FileKey = self.files.get_key_value(key).map_or_else(|| key.into(), |(k, _)| k.clone());
        let old = self.unindex(&key);
        self.forget_hints();
        let affected = self.affected_by(&key, old.as_ref(), Some(&facts));
        self.index(&key, &facts);
        self.files.insert(key, facts);
        self.dirty.extend(affected.iter().cloned());
        affected
    }

    /// Adds a file while building a whole index at once (the command line's run): the same as
    /// [`Workspace::upsert`] for a new file, without working out which other files it affects
    /// and without marking any dirty, as every file is checked once the index is complete.
    pub fn load(&mut self, key: &str, facts: FileFacts) {
        if self.files.contains_key(key) {
            self.upsert(key, facts);
            return;
        }
        let key: FileKey = key.into();
        self.forget_hints();
        self.index(&key, &facts);
        self.files.insert(key, facts);
    }

    /// Forgets a file. Returns the files whose findings may have changed (not the removed one).
    pub fn remove(&mut self, key: &str) -> Vec<FileKey> {
        let Some(key) = self.files.get_key_value(key).map(|(k, _)| k.clone()) else { return Vec::new() };
        let old = self.unindex(&key);
        self.forget_hints();
        self.files.remove(&key);
        let mut affected = self.affected_by(&key, old.as_ref(), None);
        affected.retain(|k| *k != key);
        self.dirty.remove(&key);
        self.dirty.extend(affected.iter().cloned());
        affected
    }

    fn forget_hints(&mut self) {
        let hints = self.hints.get_mut().unwrap_or_else(|e| e.into_inner());
        if !hints.is_empty() {
            hints.clear();
        }
    }

    /// The suggestion for an unknown `name` of `kind` under `root`: `compute`'s answer, computed
    /// once until the index next changes.
    pub fn hint(
        &self,
        root: &str,
        dialect: Dialect,
        kind: SymbolKind,
        name: &str,
        compute: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        let key: HintKey = (Arc::from(root), dialect, kind, name.to_string());
        if let Some(h) = self.hints.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return h.clone();
        }
        let h = compute();
        self.hints.lock().unwrap_or_else(|e| e.into_inner()).insert(key, h.clone());
        h
    }

    /// Whether the caller reads the user scope into this index (its files arrive through
    /// [`Workspace::upsert`] like any other, under [`USER_ROOT`]).
    pub fn user_scope(&self) -> bool {
        self.user_scope
    }

    /// Records whether the user scope is read. A change marks dirty every file that refers to
    /// agents or skills, whose messages say whether user-level names were looked at.
    pub fn set_user_scope(&mut self, on: bool) {
        if self.user_scope == on {
            return;
        }
        self.user_scope = on;
        self.forget_hints();
        let referring: Vec<FileKey> = self
            .files
            .iter()
            .filter(|(_, f)| f.references.iter().any(|r| matches!(r.kind, SymbolKind::Agent | SymbolKind::Skill)))
            .map(|(k, _)| k.clone())
            .collect();
        self.dirty.extend(referring);
    }

    /// The files marked dirty since the last call, sorted.
    pub fn take_dirty(&mut self) -> Vec<FileKey> {
        std::mem::take(&mut self.dirty).into_iter().collect()
    }

    fn def_keys(f: &FileFacts) -> Vec<(DefKey, String, Span)> {
        let Some(d) = f.dialect else { return Vec::new() };
        f.definitions.iter().map(|x| ((f.root.clone(), d, x.kind), x.name.clone(), x.span.clone())).collect()
    }

    fn index(&mut self, key: &FileKey, f: &FileFacts) {
        for (dk, name, _) in Self::def_keys(f) {
            let (root, d, kind) = dk;
            push_unique(self.defs.entry(root).or_default().entry((d, kind)).or_default().entry(name).or_default(), key);
        }
        if !self.one_shot {
            for r in &f.references {
                push_unique(self.refs.entry(ref_key(f, r)).or_default(), key);
            }
        }
        if f.config.is_some() {
            push_unique(self.configs.entry(f.root.clone()).or_default(), key);
        }
    }

    fn unindex(&mut self, key: &FileKey) -> Option<FileFacts> {
        let f = self.files.get(key)?.clone();
        for (dk, name, _) in Self::def_keys(&f) {
            if let Some(m) = self.defs.get_mut(&dk.0).and_then(|m| m.get_mut(&(dk.1, dk.2))) {
                if let Some(v) = m.get_mut(&name) {
                    v.retain(|k| k != key);
                    if v.is_empty() {
                        m.remove(&name);
                    }
                }
            }
        }
        for r in &f.references {
            if let Some(v) = self.refs.get_mut(&ref_key(&f, r)) {
                v.retain(|k| k != key);
            }
        }
        if f.config.is_some() {
            if let Some(v) = self.configs.get_mut(&f.root) {
                v.retain(|k| k != key);
            }
        }
        Some(f)
    }

    /// Which files can see a different result after `key` changes from `old` to `new`.
    fn affected_by(&self, key: &FileKey, old: Option<&FileFacts>, new: Option<&FileFacts>) -> Vec<FileKey> {
        let defs = |f: Option<&FileFacts>| -> HashSet<(DefKey, String, Span)> {
            f.map(|f| Self::def_keys(f).into_iter().collect()).unwrap_or_default()
        };
        let (a, b) = (defs(old), defs(new));
        let mut out: Vec<FileKey> = vec![key.clone()];
        let mut mcp_roots: HashSet<Arc<str>> = HashSet::new();
        for f in [old, new].into_iter().flatten() {
            let servers_changed = old.map(|o| &o.servers) != new.map(|n| &n.servers);
            if f.config.is_some() || servers_changed {
                mcp_roots.insert(f.root.clone());
            }
        }
        for ((root, dialect, kind), name, _) in a.symmetric_difference(&b) {
            let mut kinds = vec![*kind];
            if *dialect == Dialect::Factory && matches!(kind, SymbolKind::Agent | SymbolKind::DroidFile) {
                kinds = vec![SymbolKind::Agent, SymbolKind::DroidFile];
            }
            // A user-scope name is seen from every project.
            let roots = if **root == *USER_ROOT { self.roots() } else { vec![root.clone()] };
            for root in &roots {
                for &k in &kinds {
                    if let Some(files) = self.defs_of(root, *dialect, k).and_then(|m| m.get(name)) {
                        files.iter().for_each(|f| push_unique(&mut out, f));
                    }
                }
                let ref_kind = if *kind == SymbolKind::DroidFile { SymbolKind::Agent } else { *kind };
                for bucket in [name.as_str(), ANY] {
                    if let Some(files) = self.refs.get(&(root.clone(), ref_kind, bucket.to_string())) {
                        files.iter().for_each(|f| push_unique(&mut out, f));
                    }
                }
            }
        }
        for root in mcp_roots {
            if let Some(files) = self.refs.get(&(root, SymbolKind::McpServer, ANY.to_string())) {
                files.iter().for_each(|f| push_unique(&mut out, f));
            }
        }
        out
    }

    /// Every project root with definitions or references, and the user layer's.
    fn roots(&self) -> Vec<Arc<str>> {
        let mut out: Vec<Arc<str>> = self.defs.keys().cloned().chain(self.refs.keys().map(|k| k.0.clone())).collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every file defining `name` as `kind` in `dialect` under `root`, with the definition spans.
    pub fn definitions(&self, root: &str, dialect: Dialect, kind: SymbolKind, name: &str) -> Vec<(FileKey, Span)> {
        let mut out = Vec::new();
        for k in self.files_defining(root, dialect, kind, name) {
            if let Some(f) = self.files.get(k) {
                out.extend(
                    f.definitions
                        .iter()
                        .filter(|d| d.kind == kind && d.name == name)
                        .map(|d| (k.clone(), d.span.clone())),
                );
            }
        }
        out.sort_by(|a, b| (&a.0, a.1.start, a.1.end).cmp(&(&b.0, b.1.start, b.1.end)));
        out
    }

    /// What a project at `root` sees for `name`: its own definitions, else the user scope's
    /// (agents and skills only: nothing else is read from the user scope).
    pub fn visible_definitions(
        &self,
        root: &str,
        dialect: Dialect,
        kind: SymbolKind,
        name: &str,
    ) -> Vec<(FileKey, Span)> {
        self.definitions(self.visible_root(root, dialect, kind, name), dialect, kind, name)
    }

    /// Where a project at `root` finds `name`: `root` when it defines it (or for kinds the user
    /// scope does not hold), else the user scope.
    fn visible_root<'a>(&self, root: &'a str, dialect: Dialect, kind: SymbolKind, name: &str) -> &'a str {
        if !self.files_defining(root, dialect, kind, name).is_empty()
            || !matches!(kind, SymbolKind::Agent | SymbolKind::Skill)
        {
            root
        } else {
            USER_ROOT
        }
    }

    /// The names defined as `kind` in `dialect` under `root`.
    pub fn names(&self, root: &str, dialect: Dialect, kind: SymbolKind) -> impl Iterator<Item = &str> {
        self.defs_of(root, dialect, kind).into_iter().flat_map(|m| m.keys().map(String::as_str))
    }

    fn defs_of(&self, root: &str, dialect: Dialect, kind: SymbolKind) -> Option<&ByName> {
        self.defs.get(root)?.get(&(dialect, kind))
    }

    /// The files defining `name` as `kind` in `dialect` under `root` (what [`Workspace::definitions`]
    /// reads the spans from).
    fn files_defining(&self, root: &str, dialect: Dialect, kind: SymbolKind, name: &str) -> &[FileKey] {
        self.defs_of(root, dialect, kind).and_then(|m| m.get(name)).map_or(&[], Vec::as_slice)
    }

    /// The MCP configuration files of `root` that `dialect` reads, sorted.
    pub fn configs_for(&self, root: &str, dialect: Dialect) -> Vec<FileKey> {
        let mut out: Vec<FileKey> = self
            .configs
            .get(root)
            .into_iter()
            .flatten()
            .filter(|k| {
                self.files
                    .get(*k)
                    .and_then(|f| f.config.as_ref())
                    .is_some_and(|c| c.source.dialects().contains(&dialect))
            })
            .cloned()
            .collect();
        out.sort();
        out
    }

    /// The servers `dialect` has configured for a file at `root`: (file, server), the file's own first.
    pub fn servers_for<'a>(&'a self, key: &'a FileKey, dialect: Dialect) -> Vec<(FileKey, &'a Server)> {
        let Some(f) = self.files.get(key) else { return Vec::new() };
        let mut out: Vec<(FileKey, &Server)> = f.servers.iter().map(|s| (key.clone(), s)).collect();
        for c in self.configs_for(&f.root, dialect) {
            if let Some(cf) = self.files.get(&c) {
                out.extend(cf.servers.iter().map(|s| (c.clone(), s)));
            }
        }
        out
    }

    /// The server a reference names, and its span in the file: the reference itself, or the server
    /// part of an MCP tool name. `None` when the tool name names no server.
    pub fn server_of(&self, key: &FileKey, r: &Reference) -> Option<(String, Span)> {
        let f = self.files.get(key)?;
        let d = f.dialect?;
        if !r.tool {
            return Some((r.name.clone(), r.span.clone()));
        }
        let servers = self.servers_for(key, d);
        let configured =
            |n: &str| servers.iter().any(|(_, s)| s.name == n) || builtins::mcp_servers(d).iter().any(|b| b == n);
        let sr = toolref::server_of_tool(d, &r.name, &configured)?;
        Some((sr.server, r.span.start + sr.span.start..r.span.start + sr.span.end))
    }

    /// Whether a file other than `key` defines `name` as `kind` in `dialect` under `root`: when
    /// false, [`Workspace::definitions`] has nothing but `key`'s own (a cheap first test for
    /// checks that look for the others).
    pub fn defined_elsewhere(&self, root: &str, dialect: Dialect, kind: SymbolKind, name: &str, key: &str) -> bool {
        self.files_defining(root, dialect, kind, name).iter().any(|k| **k != *key)
    }

    /// Whether one of `key`'s references names nothing: the same as `resolve(..) == Missing`,
    /// answered without collecting the definitions when a plain name is defined.
    pub fn is_missing(&self, key: &FileKey, r: &Reference) -> bool {
        if r.kind != SymbolKind::McpServer && !r.pattern {
            let Some(f) = self.files.get(key) else { return false };
            let Some(d) = f.dialect else { return false };
            // Defined in the file's own project: found, whatever else is (as `visible_root` says).
            if !self.files_defining(&f.root, d, r.kind, &r.name).is_empty() {
                return false;
            }
        }
        self.resolve(key, r) == Resolution::Missing
    }

    /// Resolves one of `key`'s references.
    pub fn resolve(&self, key: &FileKey, r: &Reference) -> Resolution {
        let Some(f) = self.files.get(key) else { return Resolution::Unknown };
        let Some(d) = f.dialect else { return Resolution::Unknown };
        match r.kind {
            SymbolKind::McpServer => {
                let Some((server, _)) = self.server_of(key, r) else { return Resolution::Unknown };
                if builtins::mcp_servers(d).contains(&server) {
                    return Resolution::Builtin;
                }
                let servers = self.servers_for(key, d);
                if servers.is_empty() && self.configs_for(&f.root, d).is_empty() {
                    return Resolution::Unknown;
                }
                let found: Vec<(FileKey, Span)> = servers
                    .iter()
                    .filter(|(_, s)| s.name == server)
                    .map(|(k, s)| (k.clone(), s.name_span.clone()))
                    .collect();
                if found.is_empty() {
                    Resolution::Missing
                } else {
                    Resolution::Defined(found)
                }
            }
            SymbolKind::Agent if r.pattern => {
                let mut found = Vec::new();
                let mut names: Vec<&str> = self
                    .names(&f.root, d, SymbolKind::Agent)
                    .chain(self.names(USER_ROOT, d, SymbolKind::Agent))
                    .filter(|n| glob_match(&r.name, n))
                    .collect();
                names.sort_unstable();
                names.dedup();
                for n in names {
                    found.extend(self.visible_definitions(&f.root, d, SymbolKind::Agent, n));
                }
                if !found.is_empty() {
                    Resolution::Defined(found)
                } else if builtins::agents(d).iter().any(|b| glob_match(&r.name, b)) {
                    Resolution::Builtin
                } else {
                    Resolution::Missing
                }
            }
            kind => {
                let found = self.visible_definitions(&f.root, d, kind, &r.name);
                if !found.is_empty() {
                    Resolution::Defined(found)
                } else if kind == SymbolKind::Agent && builtins::is_agent(d, &r.name) {
                    Resolution::Builtin
                } else {
                    Resolution::Missing
                }
            }
        }
    }

    /// Every reference in the workspace that resolves to `name` as `kind` in `dialect` under
    /// `root` (patterns included): (file, span of the name in it). For find-references and rename.
    pub fn references_to(&self, root: &str, dialect: Dialect, kind: SymbolKind, name: &str) -> Vec<(FileKey, Span)> {
        debug_assert!(!self.one_shot, "a one-shot index keeps no references by name");
        let mut out = Vec::new();
        let root: Arc<str> = root.into();
        for bucket in [name, ANY] {
            for k in self.refs.get(&(root.clone(), kind, bucket.to_string())).into_iter().flatten() {
                let Some(f) = self.files.get(k).filter(|f| f.dialect == Some(dialect)) else { continue };
                for r in f.references.iter().filter(|r| r.kind == kind) {
                    let hit = match kind {
                        SymbolKind::McpServer => self.server_of(k, r).filter(|(s, _)| s == name).map(|(_, sp)| sp),
                        _ if r.pattern => glob_match(&r.name, name).then(|| r.span.clone()),
                        _ => (r.name == name).then(|| r.span.clone()),
                    };
                    out.extend(hit.map(|sp| (k.clone(), sp)));
                }
            }
        }
        out.sort_by(|a, b| (&a.0, a.1.start, a.1.end).cmp(&(&b.0, b.1.start, b.1.end)));
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Settings};
    use crate::mcp::ConfigSource;
    use std::path::Path;

    fn facts(path: &str, text: &str) -> FileFacts {
        let a = analyze(text, Some(Path::new(path)), &Settings::default());
        super::super::extract(&a, Path::new(path))
    }

    fn agent(name: &str, refs: &str) -> String {
        format!("---\nname: {name}\ndescription: d\ntools: Read, Agent({refs})\n---\nBody\n")
    }

    #[test]
    fn is_missing_agrees_with_resolve() {
        let mut ws = Workspace::new();
        let files = [
            ("r/.claude/agents/a.md", agent("a", "b, Explore, ghost, a")),
            ("r/.claude/agents/b.md", "---\nname: b\ndescription: d\nskills: pdf, nope\n---\nB\n".to_string()),
            ("r/.claude/skills/pdf/SKILL.md", "---\nname: pdf\ndescription: d\n---\nB\n".to_string()),
            (
                "r/.opencode/agent/o.md",
                "---\ndescription: d\npermission:\n  task:\n    \"x*\": allow\n    \"o\": allow\n---\nB\n".to_string(),
            ),
        ];
        for (p, t) in &files {
            ws.upsert(p, facts(p, t));
        }
        let u = facts("/home/u/.claude/agents/mine.md", &agent("mine", "a"));
        ws.upsert(
            "/home/u/.claude/agents/mine.md",
            FileFacts { root: USER_ROOT.into(), user: Some("~/.claude/agents/mine.md".into()), ..u },
        );
        ws.upsert("r/.claude/agents/c.md", facts("r/.claude/agents/c.md", &agent("c", "mine, a")));
        let mut seen = 0;
        for (k, f) in ws.files() {
            for r in &f.references {
                assert_eq!(ws.is_missing(k, r), ws.resolve(k, r) == Resolution::Missing, "{k}: {}", r.name);
                seen += 1;
            }
        }
        let missing: Vec<&str> = ws
            .files()
            .flat_map(|(k, f)| f.references.iter().filter(|r| ws.is_missing(k, r)).map(|r| r.name.as_str()))
            .collect();
        assert!(seen >= 9, "{seen}");
        assert!(missing.contains(&"ghost") && missing.contains(&"nope"), "{missing:?}");
        assert!(!missing.contains(&"mine") && !missing.contains(&"pdf"), "{missing:?}");
    }

    #[test]
    fn resolves_and_tracks_what_an_edit_touches() {
        let mut ws = Workspace::new();
        ws.upsert("r/.claude/agents/a.md", facts("r/.claude/agents/a.md", &agent("a", "b, Explore, ghost")));
        ws.upsert("r/.claude/agents/b.md", facts("r/.claude/agents/b.md", &agent("b", "a")));
        ws.upsert("r/.claude/agents/c.md", facts("r/.claude/agents/c.md", &agent("c", "a")));
        ws.take_dirty();
        let a: FileKey = "r/.claude/agents/a.md".into();
        let f = ws.file(&a).unwrap().clone();
        let res: Vec<Resolution> = f.references.iter().map(|r| ws.resolve(&a, r)).collect();
        assert!(matches!(&res[0], Resolution::Defined(v) if &*v[0].0 == "r/.claude/agents/b.md"));
        assert_eq!(res[1], Resolution::Builtin);
        assert_eq!(res[2], Resolution::Missing);
        assert_eq!(ws.references_to("r", Dialect::Claude, SymbolKind::Agent, "a").len(), 2);

        // Renaming `b` touches `b` and `a` (which refers to it), not `c`.
        let touched = ws.upsert("r/.claude/agents/b.md", facts("r/.claude/agents/b.md", &agent("b2", "a")));
        let touched: Vec<&str> = touched.iter().map(|k| &**k).collect();
        assert_eq!(touched, ["r/.claude/agents/b.md", "r/.claude/agents/a.md"]);
        // A body edit touches the file alone.
        let t = agent("c", "a").replace("Body", "Other body");
        assert_eq!(ws.upsert("r/.claude/agents/c.md", facts("r/.claude/agents/c.md", &t)).len(), 1);
        // Creating `ghost` touches `a`.
        let touched = ws.upsert("r/.claude/agents/g.md", facts("r/.claude/agents/g.md", &agent("ghost", "")));
        assert!(touched.iter().any(|k| &**k == "r/.claude/agents/a.md"));
        let removed = ws.remove("r/.claude/agents/g.md");
        assert_eq!(removed.iter().map(|k| &**k).collect::<Vec<_>>(), ["r/.claude/agents/a.md"]);
    }

    #[test]
    fn mcp_servers_resolve_through_the_root_configs() {
        let mut ws = Workspace::new();
        let t = "---\nname: a\ndescription: d\ntools: mcp__github__search, mcp__gone__x\n---\nB\n";
        ws.upsert("r/.claude/agents/a.md", facts("r/.claude/agents/a.md", t));
        let a: FileKey = "r/.claude/agents/a.md".into();
        let refs = ws.file(&a).unwrap().references.clone();
        assert_eq!(ws.resolve(&a, &refs[0]), Resolution::Unknown, "no configuration read: not judged");
        let cfg = super::super::extract_config(
            ConfigSource::McpJson,
            "r",
            "{\"mcpServers\": {\"github\": {\"command\": \"x\"}}}",
            Default::default(),
        );
        let touched = ws.upsert("r/.mcp.json", cfg);
        assert!(touched.contains(&a));
        assert!(matches!(ws.resolve(&a, &refs[0]), Resolution::Defined(_)));
        assert_eq!(ws.resolve(&a, &refs[1]), Resolution::Missing);
        let (server, span) = ws.server_of(&a, &refs[1]).unwrap();
        assert_eq!((server.as_str(), &t[span]), ("gone", "gone"));
        assert_eq!(ws.references_to("r", Dialect::Claude, SymbolKind::McpServer, "github").len(), 1);
    }

    #[test]
    fn the_user_layer_resolves_under_every_project_and_a_project_name_wins() {
        let scope = crate::workspace::UserScope::new(Path::new("/h"), None);
        let user = |path: &str, text: &str| {
            let p = Path::new(path);
            let folder = scope.folder_of(p).unwrap();
            let settings = Settings { dialect_override: Some(folder.dialect), ..Settings::default() };
            scope.into_layer(super::super::extract(&analyze(text, Some(p), &settings), p), folder, p)
        };
        let mut ws = Workspace::new();
        ws.upsert("/p/.claude/agents/a.md", facts("/p/.claude/agents/a.md", &agent("a", "rev")));
        ws.upsert("/q/.claude/agents/b.md", facts("/q/.claude/agents/b.md", &agent("b", "rev")));
        ws.take_dirty();
        let (a, b): (FileKey, FileKey) = ("/p/.claude/agents/a.md".into(), "/q/.claude/agents/b.md".into());
        let ra = ws.file(&a).unwrap().references[0].clone();
        let rb = ws.file(&b).unwrap().references[0].clone();
        assert_eq!(ws.resolve(&a, &ra), Resolution::Missing);

        // A user agent appears: both projects' uses change.
        let touched = ws.upsert("/h/.claude/agents/rev.md", user("/h/.claude/agents/rev.md", &agent("rev", "")));
        assert!(touched.contains(&a) && touched.contains(&b), "{touched:?}");
        let at_user = |r: &Resolution| matches!(r, Resolution::Defined(v) if &*v[0].0 == "/h/.claude/agents/rev.md");
        assert!(at_user(&ws.resolve(&a, &ra)) && at_user(&ws.resolve(&b, &rb)));

        // A project agent of the same name wins in its project only.
        ws.upsert("/p/.claude/agents/rev.md", facts("/p/.claude/agents/rev.md", &agent("rev", "")));
        assert!(matches!(ws.resolve(&a, &ra), Resolution::Defined(v) if &*v[0].0 == "/p/.claude/agents/rev.md"));
        assert!(at_user(&ws.resolve(&b, &rb)));
        ws.take_dirty();

        // The user agent goes: the project defining the name (its shadow finding) and the other
        // project's use are touched.
        let gone = ws.remove("/h/.claude/agents/rev.md");
        assert!(gone.iter().any(|k| &**k == "/p/.claude/agents/rev.md") && gone.contains(&b), "{gone:?}");
        assert_eq!(ws.resolve(&b, &rb), Resolution::Missing);

        // Turning the scope on marks the files with agent references (their messages change).
        assert!(!ws.user_scope());
        ws.take_dirty();
        ws.set_user_scope(true);
        let dirty = ws.take_dirty();
        assert!(dirty.contains(&a) && dirty.contains(&b) && !dirty.iter().any(|k| k.ends_with("rev.md")), "{dirty:?}");
    }

    #[test]
    fn a_one_shot_index_finds_what_the_full_one_finds() {
        let files = [
            ("r/.claude/agents/a.md", agent("a", "b, Explore, ghost, a, mine")),
            ("r/.claude/agents/sub/a2.md", agent("a", "b")),
            (
                "r/.claude/agents/b.md",
                "---\nname: b\ndescription: d\nskills: pdf, nope\ntools: mcp__github__x, mcp__gone__y\n---\nB\n".into(),
            ),
            ("r/.claude/agents/explore.md", agent("Explore", "")),
            ("r/.claude/skills/pdf/SKILL.md", "---\nname: pdf\ndescription: d\n---\nB\n".into()),
            ("r/.opencode/agent/o.md", "---\ndescription: d\npermission:\n  task:\n    \"x*\": allow\n---\nB\n".into()),
        ];
        let config = || {
            let t = "{\"mcpServers\": {\"github\": {\"command\": \"x\"}}}";
            super::super::extract_config(ConfigSource::McpJson, "r", t, Default::default())
        };
        let user = facts("/home/u/.claude/agents/mine.md", &agent("mine", ""));
        let user = FileFacts { root: USER_ROOT.into(), user: Some("~/.claude/agents/mine.md".into()), ..user };
        let (mut full, mut once) = (Workspace::new(), Workspace::one_shot());
        for ws in [&mut full, &mut once] {
            for (p, t) in &files {
                ws.load(p, facts(p, t));
            }
            ws.load("r/.mcp.json", config());
            ws.upsert("/home/u/.claude/agents/mine.md", user.clone());
            ws.set_user_scope(true);
        }
        let mut findings = 0;
        for (k, _) in full.files() {
            let expected = crate::rules::workspace::check(&full, k);
            assert_eq!(crate::rules::workspace::check(&once, k), expected, "{k}");
            findings += expected.len();
        }
        // Duplicates, a shadowed built-in, missing agents, skills and servers.
        assert!(findings >= 6, "{findings}");
    }

    #[test]
    fn globs() {
        assert!(glob_match("review-*", "review-api"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("review-*", "docs"));
        assert!(glob_match("*-api-*", "x-api-y"));
    }
}
