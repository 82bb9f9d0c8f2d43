//! The layering docs/architecture.md describes, checked on the source: no import cycle between
//! the top-level modules of `src/`, `ide` and `semantics` never import `rules`, and only `lsp`
//! names LSP types. Test modules (`#[cfg(test)]` and below) are left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(p: &Path) -> Vec<PathBuf> {
    if p.is_file() {
        return vec![p.to_path_buf()];
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out
}

/// Each top-level module of `src/` and its source files without their test modules.
fn modules() -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(&src).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name == "lib" || name == "main" || (path.is_file() && path.extension().is_none_or(|x| x != "rs")) {
            continue;
        }
        let texts = rust_files(&path)
            .iter()
            .map(|f| {
                let t = std::fs::read_to_string(f).unwrap();
                t.split("#[cfg(test)]").next().unwrap().to_string()
            })
            .collect();
        out.insert(name, texts);
    }
    out
}

/// The modules each module names as `crate::NAME`, alone or in a `use crate::{...}` group.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    let names: BTreeSet<String> = mods.keys().cloned().collect();
    let mut g = BTreeMap::new();
    for (m, texts) in &mods {
        let mut deps = BTreeSet::new();
        for t in texts {
            for (i, _) in t.match_indices("crate::") {
                let rest = &t[i + "crate::".len()..];
                let idents: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                    let group = &group[..group.find('}').unwrap_or(group.len())];
                    group.split(',').map(|s| s.trim().split("::").next().unwrap_or("").trim()).collect()
                } else {
                    vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")]
                };
                deps.extend(idents.into_iter().filter(|d| names.contains(*d) && d != m).map(String::from));
            }
        }
        g.insert(m.clone(), deps);
    }
    g
}

#[test]
fn no_module_imports_itself_through_others() {
    let g = graph();
    for start in g.keys() {
        // Depth-first from `start`, keeping the path, looking for `start` again.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((m, path)) = stack.pop() {
            for d in &g[&m] {
                assert!(d != start, "import cycle: {} -> {start}", path.join(" -> "));
                if seen.insert(d.clone()) {
                    let mut p = path.clone();
                    p.push(d.clone());
                    stack.push((d.clone(), p));
                }
            }
        }
    }
}

#[test]
fn editor_features_and_semantics_do_not_import_rules() {
    let g = graph();
    for m in ["ide", "semantics", "analysis", "policy", "registry", "syntax"] {
        assert!(!g[m].contains("rules"), "`{m}` imports `rules`: {:?}", g[m]);
    }
    assert!(g["rules"].contains("semantics"), "the graph reader finds imports: {:?}", g["rules"]);
}

#[test]
fn only_lsp_names_lsp_types() {
    for (m, texts) in modules() {
        if m == "lsp" {
            continue;
        }
        for t in texts {
            assert!(!t.contains("ls_types") && !t.contains("tower_lsp"), "`{m}` names LSP types");
        }
    }
}
