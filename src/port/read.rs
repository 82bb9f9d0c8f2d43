//! Reading a file of any dialect into a neutral [`Agent`]: tools resolved to concepts (categories and
//! tool sets expanded, deprecated tools followed to their replacement, MCP names split into server
//! and tool), the model looked up in the porting table, settings by concept.

use crate::analysis::Analysis;
use crate::catalog::{self, Catalog, Status};
use crate::dialect::Dialect;
use crate::syntax::{Entry, Node, Value};
use crate::tools::{self, Shape};

use super::data::data;
use super::{Agent, Grant, Model, Note, NoteKind, Setting, Want, Wanted};

/// How one tool name of a dialect resolves.
enum Res {
    All,
    Wants(Vec<Want>),
    /// Not given by the source product, or with no counterpart anywhere: why.
    Lost(String),
}

/// The concept of a tool, following a deprecated tool to its replacement in the same catalog.
fn concept_of(cat: &Catalog, t: &catalog::ToolSpec) -> Option<String> {
    if t.status == Status::Deprecated {
        if let Some(r) = t.replacement.as_deref().and_then(|r| cat.tool(r)) {
            if r.concept.is_some() {
                return r.concept.clone();
            }
        }
    }
    t.concept.clone()
}

/// Splits an MCP tool name written in dialect `d` into server and tool (`None`: every tool).
pub(super) fn parse_mcp(d: Dialect, name: &str) -> Option<(String, Option<String>)> {
    let split = |s: &str, sep: &str| -> Option<(String, Option<String>)> {
        match s.split_once(sep) {
            Some((srv, t)) if !srv.is_empty() && !t.is_empty() => {
                Some((srv.to_string(), (t != "*").then(|| t.to_string())))
            }
            None if !s.is_empty() => Some((s.to_string(), None)),
            _ => None,
        }
    };
    match d {
        Dialect::Claude => {
            let rest = name.strip_prefix("mcp__")?;
            split(rest, "__")
        }
        Dialect::Factory => split(name, "___").filter(|(_, t)| t.is_some()),
        Dialect::Copilot => {
            let (srv, t) = name.rsplit_once('/')?;
            (!srv.is_empty() && !t.is_empty()).then(|| (srv.to_string(), (t != "*").then(|| t.to_string())))
        }
        Dialect::Opencode => split(name, "_").filter(|(_, t)| t.is_some() || name.ends_with("_*")),
    }
}

fn resolve(d: Dialect, cat: &Catalog, name: &str, whole: bool) -> Res {
    if let Some(t) = cat.tool(name) {
        if t.concept.as_deref() == Some("all-tools") {
            return Res::All;
        }
        match t.status {
            Status::Unavailable => {
                let why =
                    t.reason.as_deref().map(|r| format!(" ({})", r.trim().trim_end_matches('.'))).unwrap_or_default();
                return Res::Lost(format!("{} does not give `{}` to {}{why}", d.display(), t.name, plural(d)));
            }
            Status::Removed => return Res::Lost(format!("`{}` is retired in {}", t.name, d.display())),
            _ => {}
        }
        let mut wants: Vec<Want> = concept_of(cat, t).map(Want::Concept).into_iter().collect();
        // A Copilot tool set (`search`, `edit`) also stands for its members.
        if d == Dialect::Copilot {
            if let Some(c) = cat.category(&t.name) {
                for m in &c.tools {
                    if let Some(c) = cat.tool(m).filter(|x| x.status == Status::Current).and_then(|x| x.concept.clone())
                    {
                        let w = Want::Concept(c);
                        if !wants.contains(&w) {
                            wants.push(w);
                        }
                    }
                }
            }
        }
        if wants.is_empty() {
            return Res::Lost(format!(
                "`{}` is a {} tool with no counterpart in the other products",
                t.name,
                d.display()
            ));
        }
        return Res::Wants(wants);
    }
    if let Some(c) = cat.category(name).filter(|_| whole || d == Dialect::Copilot) {
        if c.tools.is_empty() {
            return Res::Lost(format!("the `{}` category stands for tools the other products do not name", c.name));
        }
        let wants: Vec<Want> =
            c.tools.iter().filter_map(|m| cat.tool(m).and_then(|t| concept_of(cat, t))).map(Want::Concept).collect();
        return Res::Wants(wants);
    }
    if let Some((server, tool)) = parse_mcp(d, name) {
        if crate::semantics::tools::resolve(cat, d, name, whole) == crate::semantics::tools::Resolved::Mcp {
            return Res::Wants(vec![Want::Mcp { server, tool }]);
        }
    }
    for other in Dialect::ALL.into_iter().filter(|o| *o != d) {
        let oc = catalog::builtin(other);
        if let Some(t) = oc.tools.iter().find(|t| t.name == name) {
            if let Some(c) = concept_of(oc, t).filter(|c| c != "all-tools") {
                return Res::Wants(vec![Want::Concept(c)]);
            }
        }
    }
    Res::Lost(format!("`{name}` is not a {} tool (the source product ignores it)", d.display()))
}

fn plural(d: Dialect) -> &'static str {
    match d {
        Dialect::Claude => "subagents",
        Dialect::Factory => "droids",
        Dialect::Copilot | Dialect::Opencode => "agents",
    }
}

/// A scalar's text, when the node is one.
fn scalar(n: &Node) -> Option<&str> {
    n.as_scalar().map(|s| s.text.as_str())
}

/// The items of a tools entry as (name, span), with its shape.
fn items(e: &Entry, text: &str) -> (Shape, Vec<(String, crate::diagnostic::Span)>) {
    let l = tools::read(e, text);
    (l.shape, l.items.into_iter().map(|i| (i.name, i.span)).collect())
}

/// Reads the analysed file (of a known dialect; Claude when none is known).
pub fn read(a: &Analysis) -> Agent {
    let d = a.detected.map_or(Dialect::Claude, |x| x.dialect);
    let cat = a.catalog.as_deref().unwrap_or_else(|| catalog::builtin(d));
    let fm = a.parsed.frontmatter.as_ref();
    let get = |k: &str| fm.and_then(|f| f.get(k));
    let mut notes: Vec<Note> = Vec::new();

    let written_name = get("name").and_then(|e| scalar(&e.value)).map(str::trim).filter(|s| !s.is_empty());
    let name = written_name.map(str::to_string).or_else(|| a.file_stem.clone()).unwrap_or_else(|| "agent".into());
    let display_name = written_name.filter(|n| super::slug(n) != *n).map(str::to_string);

    let description = get("description").and_then(|e| match &e.value.value {
        Value::Seq(s) => {
            let parts: Vec<&str> = s.items.iter().filter_map(scalar).map(str::trim).collect();
            notes.push(Note::new(
                NoteKind::KeyRenamed,
                "description",
                Some(e.value.span.clone()),
                "`description` is a list in the source; its items are joined into one sentence",
            ));
            Some(parts.join(" "))
        }
        _ => scalar(&e.value).map(|s| s.trim().to_string()),
    });
    let description = description.filter(|s| !s.is_empty());

    let model = match get("model") {
        None => Model::Unset,
        Some(e) => {
            let (node, extra) = match &e.value.value {
                Value::Seq(s) => (s.items.first(), s.items.len() > 1),
                _ => (Some(&e.value), false),
            };
            if extra {
                notes.push(Note::new(
                    NoteKind::ModelDropped,
                    "model",
                    Some(e.value.span.clone()),
                    "the source lists fallback models; only the first is ported",
                ));
            }
            match node.and_then(|n| scalar(n).map(|s| (s.trim(), n.span.clone()))) {
                None => Model::Unset,
                Some(("inherit", _)) => Model::Inherit,
                Some((v, span)) => match data().model_of(d, v) {
                    Some((m, alias)) => {
                        Model::Known { id: m.id.clone(), written: v.to_string(), alias: alias.is_some(), span }
                    }
                    None => Model::Other { written: v.to_string(), span },
                },
            }
        }
    };

    let mut grant = Grant::All;
    let mut deny: Vec<Wanted> = Vec::new();
    let push =
        |list: &mut Vec<Wanted>, name: &str, span: crate::diagnostic::Span, res: Res, notes: &mut Vec<Note>| -> bool {
            match res {
                Res::All => return true,
                Res::Wants(ws) => {
                    for w in ws {
                        if !list.iter().any(|x| x.want == w) {
                            list.push(Wanted { want: w, from: name.to_string(), span: Some(span.clone()) });
                        }
                    }
                }
                Res::Lost(why) => notes.push(Note::new(
                    NoteKind::ToolDropped,
                    name,
                    Some(span),
                    format!("`{name}` is left out: {why}"),
                )),
            }
            false
        };
    match d {
        Dialect::Opencode => read_opencode(a, cat, &mut grant, &mut deny, &mut notes),
        _ => {
            let allow_key = cat.tool_keys.iter().find(|k| crate::semantics::tools::key_grants(k));
            if let Some(e) = allow_key.and_then(|k| get(k)) {
                let (shape, names) = items(e, a.text);
                match shape {
                    Shape::Other | Shape::Map => notes.push(Note::new(
                        NoteKind::ToolDropped,
                        "tools",
                        Some(e.value.span.clone()),
                        "the source's `tools` value is not a list the product reads; the port grants every tool",
                    )),
                    _ => {
                        let whole = names.len() == 1 && shape == Shape::CommaString;
                        let mut list = Vec::new();
                        let mut all = false;
                        for (n, span) in &names {
                            let r = resolve(d, cat, n, whole);
                            all |= push(&mut list, n, span.clone(), r, &mut notes);
                        }
                        if !all {
                            grant = Grant::List(list);
                        }
                    }
                }
            }
            for k in cat.tool_keys.iter().filter(|k| !crate::semantics::tools::key_grants(k)) {
                if let Some(e) = get(k) {
                    for (n, span) in items(e, a.text).1 {
                        let r = if n == "mcp__*" {
                            Res::Wants(vec![Want::Mcp { server: "*".into(), tool: None }])
                        } else {
                            resolve(d, cat, &n, false)
                        };
                        push(&mut deny, &n, span, r, &mut notes);
                    }
                }
            }
            if d == Dialect::Factory {
                if let (Grant::List(list), Some(e)) = (&mut grant, get("mcpServers")) {
                    for (n, span) in items(e, a.text).1 {
                        list.push(Wanted {
                            want: Want::Mcp { server: n.clone(), tool: None },
                            from: n,
                            span: Some(span),
                        });
                    }
                }
            }
        }
    }
    // Claude: a tool both granted and denied is removed.
    if let Grant::List(list) = &mut grant {
        list.retain(|w| !deny.iter().any(|x| x.want == w.want));
        deny.clear();
    }

    let mut settings = Vec::new();
    let mut other_keys = Vec::new();
    let handled = |k: &str| {
        ["name", "description", "model"].contains(&k)
            || cat.is_tool_key(k)
            || (d == Dialect::Factory && k == "mcpServers")
            || (d == Dialect::Opencode && k == "permission")
    };
    for e in fm.map(|f| f.entries()).unwrap_or_default() {
        let Some(k) = e.key.as_str() else { continue };
        if handled(k) {
            continue;
        }
        match (data().key_of(d, k), scalar(&e.value)) {
            (Some(entry), Some(v)) if !v.trim().is_empty() => settings.push(Setting {
                concept: entry.concept.clone(),
                key: k.to_string(),
                value: v.trim().to_string(),
                span: e.key.span.clone(),
            }),
            _ => other_keys.push((k.to_string(), e.key.span.clone())),
        }
    }

    Agent {
        dialect: d,
        name,
        display_name,
        description,
        model,
        grant,
        deny,
        settings,
        body: a.parsed.body.span.clone(),
        notes,
        other_keys,
    }
}

/// OpenCode: the deprecated `tools` map (true/false) and `permission` (allow/ask/deny, or a map of
/// patterns), merged as OpenCode merges them: `permission` wins.
fn read_opencode(a: &Analysis, cat: &Catalog, grant: &mut Grant, deny: &mut Vec<Wanted>, notes: &mut Vec<Note>) {
    let fm = a.parsed.frontmatter.as_ref();
    let get = |k: &str| fm.and_then(|f| f.get(k));
    let d = Dialect::Opencode;
    // (permission name, allowed, span)
    let mut rules: Vec<(String, bool, crate::diagnostic::Span)> = Vec::new();
    let set = |rules: &mut Vec<(String, bool, crate::diagnostic::Span)>, name: String, allow: bool, span| {
        rules.retain(|(n, _, _)| *n != name);
        rules.push((name, allow, span));
    };
    if let Some(e) = get("tools") {
        let l = tools::read(e, a.text);
        for i in l.items {
            let perm = data().opencode_permission(&i.name).to_string();
            set(&mut rules, perm, i.enabled.unwrap_or(true), i.span);
        }
    }
    if let Some(e) = get("permission") {
        match &e.value.value {
            Value::Scalar(s) => {
                let allow = s.text.trim() != "deny";
                set(&mut rules, "*".into(), allow, e.value.span.clone());
            }
            Value::Map(m) => {
                for pe in &m.entries {
                    let Some(k) = pe.key.as_str() else { continue };
                    let allow = match &pe.value.value {
                        Value::Scalar(s) => {
                            let v = s.text.trim();
                            if v == "ask" {
                                notes.push(Note::new(
                                    NoteKind::ToolMapped,
                                    k,
                                    Some(pe.key.span.clone()),
                                    format!("`{k}: ask` asks for approval in OpenCode; the port grants the tool, and the target product's own permission settings decide whether it asks"),
                                ));
                            }
                            v != "deny"
                        }
                        _ => {
                            notes.push(Note::new(
                                NoteKind::ToolMapped,
                                k,
                                Some(pe.key.span.clone()),
                                format!("`{k}` has pattern rules in OpenCode; the port grants the whole tool"),
                            ));
                            true
                        }
                    };
                    set(&mut rules, k.to_string(), allow, pe.key.span.clone());
                }
            }
            _ => {}
        }
    }
    // The permission `edit` governs `edit`, `write` and `apply_patch`.
    let expand = |perm: &str| -> Vec<String> {
        let mut names: Vec<String> =
            data().opencode_permissions.iter().filter(|(_, p)| *p == perm).map(|(t, _)| t.clone()).collect();
        names.insert(0, perm.to_string());
        names
    };
    let resolve_perm = |perm: &str| -> Res {
        let mut wants = Vec::new();
        for n in expand(perm) {
            if let Res::Wants(ws) = resolve(d, cat, &n, false) {
                for w in ws {
                    if !wants.contains(&w) {
                        wants.push(w);
                    }
                }
            }
        }
        if wants.is_empty() {
            resolve(d, cat, perm, false)
        } else {
            Res::Wants(wants)
        }
    };
    let deny_all = rules.iter().any(|(n, allow, _)| n == "*" && !allow);
    let mut list: Vec<Wanted> = Vec::new();
    for (n, allow, span) in &rules {
        if n == "*" {
            continue;
        }
        let target = if deny_all && *allow {
            &mut list
        } else if !deny_all && !allow {
            &mut *deny
        } else {
            continue;
        };
        match resolve_perm(n) {
            Res::Wants(ws) => {
                for w in ws {
                    target.push(Wanted { want: w, from: n.clone(), span: Some(span.clone()) });
                }
            }
            Res::All => {}
            Res::Lost(_) => notes.push(Note::new(
                NoteKind::ToolDropped,
                n,
                Some(span.clone()),
                format!("`{n}` is left out: the other products have no counterpart for OpenCode's `{n}` permission"),
            )),
        }
    }
    if deny_all {
        *grant = Grant::List(list);
    }
}
