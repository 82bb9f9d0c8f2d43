//! Writing a neutral [`Agent`] in a dialect: keys, tool names (categories formed, sets and
//! denylists expanded where the target has no such thing), MCP names, model id and list shape of
//! the target, and the body with its tool mentions rewritten where that is safe.

use std::collections::BTreeSet;

use crate::analysis::Analysis;
use crate::catalog::{self, Catalog, Status};
use crate::diagnostic::{apply_edits, TextEdit};
use crate::dialect::Dialect;
use crate::semantics::mentions::tool_mentions;

use super::data::data;
use super::{Agent, Grant, Model, Note, NoteKind, Want, Wanted};

/// A YAML scalar for `s`: plain where that reads back as the same string in every loader, else
/// double-quoted (JSON's escapes are YAML's).
pub(crate) fn yaml_scalar(s: &str) -> String {
    let special = ["true", "false", "null", "yes", "no", "on", "off", "~", "y", "n"];
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.contains("---")
        && !s.chars().any(|c| c.is_control())
        && !special.contains(&s.to_ascii_lowercase().as_str())
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.replace('"', "'")))
    }
}

/// A tool name as a flow-list item: quoted the way the dialect's own examples quote them.
fn quoted(d: Dialect, s: &str) -> String {
    match d {
        Dialect::Copilot => format!("'{}'", s.replace('\'', "''")),
        _ => serde_json::to_string(s).unwrap_or_default(),
    }
}

/// An MCP tool in the target's spelling; `None` for a whole server in Factory (which grants servers
/// through `mcpServers`).
fn mcp_name(d: Dialect, server: &str, tool: Option<&str>) -> Option<String> {
    Some(match (d, tool) {
        (Dialect::Claude, Some(t)) => format!("mcp__{server}__{t}"),
        (Dialect::Claude, None) => format!("mcp__{server}"),
        (Dialect::Factory, Some(t)) => format!("{server}___{t}"),
        (Dialect::Factory, None) => return None,
        (Dialect::Copilot, t) => format!("{server}/{}", t.unwrap_or("*")),
        (Dialect::Opencode, t) => format!("{server}_{}", t.unwrap_or("*")),
    })
}

/// The target's tools for a list of wants: (names, Factory MCP servers, notes).
fn map_wants(
    src: Dialect,
    t: Dialect,
    tcat: &Catalog,
    wants: &[Wanted],
    notes: &mut Vec<Note>,
) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut servers: Vec<String> = Vec::new();
    let mut missing: Vec<(String, Vec<String>, Option<crate::diagnostic::Span>)> = Vec::new();
    for w in wants {
        match &w.want {
            Want::Concept(c) => match tcat.tool_for_concept(c) {
                Some(tool) => {
                    if !names.contains(&tool.name) {
                        names.push(tool.name.clone());
                    }
                    if tool.name != w.from && !missing.iter().any(|(f, _, _)| *f == w.from) {
                        let said = notes.iter().any(|n| n.kind == NoteKind::ToolMapped && n.subject == w.from);
                        if !said {
                            notes.push(Note::new(
                                NoteKind::ToolMapped,
                                &w.from,
                                w.span.clone(),
                                format!("`{}` becomes `{}`", w.from, tool.name),
                            ));
                        }
                    }
                }
                None => match missing.iter_mut().find(|(f, _, _)| *f == w.from) {
                    Some(m) => m.1.push(c.clone()),
                    None => missing.push((w.from.clone(), vec![c.clone()], w.span.clone())),
                },
            },
            Want::Mcp { server, tool } => {
                if server == "*" {
                    notes.push(Note::new(
                        NoteKind::ToolDropped,
                        &w.from,
                        w.span.clone(),
                        format!("`{}` (every MCP tool) has no counterpart in {}: left out", w.from, t.display()),
                    ));
                    continue;
                }
                match mcp_name(t, server, tool.as_deref()) {
                    None => {
                        if !servers.contains(server) {
                            servers.push(server.clone());
                        }
                    }
                    Some(n) => {
                        let ok = crate::semantics::tools::resolve(tcat, t, &n, false)
                            == crate::semantics::tools::Resolved::Mcp;
                        if ok {
                            if n != w.from {
                                notes.push(Note::new(
                                    NoteKind::ToolMapped,
                                    &w.from,
                                    w.span.clone(),
                                    format!("MCP tool `{}` becomes `{n}`", w.from),
                                ));
                            }
                            if !names.contains(&n) {
                                names.push(n);
                            }
                        } else {
                            notes.push(Note::new(
                                NoteKind::ToolDropped,
                                &w.from,
                                w.span.clone(),
                                format!("MCP tool `{}` cannot be written in {}'s form (`{n}` is not a valid name there): left out", w.from, t.display()),
                            ));
                        }
                    }
                }
            }
        }
    }
    for (from, concepts, span) in missing {
        let what = concepts.join(", ");
        notes.push(Note::new(
            NoteKind::ToolDropped,
            &from,
            span,
            format!("`{from}` is left out: {} has no equivalent ({what})", t.display()),
        ));
    }
    let _ = src;
    (names, servers)
}

/// Every tool a target grants when it is not restricted, by name: what a denylist is taken from
/// where the target has none (Factory's documented tools; Copilot's tool sets and aliases).
fn universe(t: Dialect, tcat: &Catalog) -> Vec<String> {
    tcat.tools
        .iter()
        .filter(|x| x.status == Status::Current && x.concept.as_deref() != Some("all-tools") && !x.always_granted)
        .filter(|x| match t {
            Dialect::Factory => x.category.is_some(),
            _ => !x.name.contains('/') && x.concept.is_some(),
        })
        .map(|x| x.name.clone())
        .collect()
}

/// Drops the members of tool sets that are listed by name (Copilot's `search` covers
/// `search/fileSearch`).
fn drop_covered(tcat: &Catalog, names: &mut Vec<String>) {
    let sets: Vec<String> = names.iter().filter(|n| tcat.category(n).is_some()).cloned().collect();
    names.retain(|n| !sets.iter().any(|s| tcat.category(s).is_some_and(|c| c.tools.contains(n))));
}

pub(super) fn write(a: &Analysis, agent: &Agent, t: Dialect) -> (String, String, Vec<Note>) {
    let tcat = catalog::builtin(t);
    let src = agent.dialect;
    let mut notes: Vec<Note> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let slug = super::slug(&agent.name);

    // name
    match t {
        Dialect::Opencode => {
            if agent.name != slug {
                notes.push(Note::new(
                    NoteKind::KeyRenamed,
                    "name",
                    None,
                    format!("the agent is named `{slug}` by its file name (OpenCode names agents by file)"),
                ));
            }
        }
        Dialect::Copilot => {
            lines.push(format!("name: {}", yaml_scalar(agent.display_name.as_deref().unwrap_or(&agent.name))))
        }
        _ => {
            if agent.name != slug {
                notes.push(Note::new(
                    NoteKind::KeyRenamed,
                    "name",
                    None,
                    format!("`name: {}` becomes `{slug}`, an identifier {} accepts", agent.name, t.display()),
                ));
            }
            lines.push(format!("name: {slug}"));
        }
    }

    // description
    let description = agent.description.clone().unwrap_or_else(|| {
        let s = first_sentence(&a.text[agent.body.clone()]).unwrap_or_else(|| format!("The {} agent.", agent.name));
        notes.push(Note::new(NoteKind::KeyAdded, "description", None, format!("the source has no description; the port takes the body's first sentence: \"{s}\" (check that it says when to use the agent)")));
        s
    });
    lines.push(format!("description: {}", yaml_scalar(&description)));

    if t == Dialect::Opencode && matches!(src, Dialect::Claude | Dialect::Factory) {
        lines.push("mode: subagent".into());
        notes.push(Note::new(
            NoteKind::KeyAdded,
            "mode",
            None,
            format!("`mode: subagent`: {} runs this agent as a subagent", src.a_display()),
        ));
    }

    // model
    let model = write_model(agent, t, tcat, &mut notes);
    if let Some(m) = &model {
        lines.push(format!("model: {}", yaml_scalar(m)));
    }

    // settings
    for s in &agent.settings {
        let entry = data().keys.iter().find(|k| k.concept == s.concept);
        let key = entry.and_then(|e| e.key(t));
        let Some(key) = key else {
            notes.push(Note::new(
                NoteKind::KeyDropped,
                &s.key,
                Some(s.span.clone()),
                format!("`{}` has no counterpart in {}: dropped", s.key, t.display()),
            ));
            continue;
        };
        let spec = tcat.key(key);
        let values_ok = spec.is_none_or(|k| k.values.is_empty() || k.values.contains(&s.value));
        let model_ok = match (s.concept.as_str(), t) {
            ("reasoning-effort", Dialect::Factory) => model
                .as_deref()
                .and_then(|m| tcat.model(m))
                .is_some_and(|m| m.reasoning.is_empty() || m.reasoning.contains(&s.value)),
            _ => true,
        };
        if !values_ok || !model_ok {
            let why = if !values_ok {
                format!("{} does not take the value `{}`", t.display(), s.value)
            } else {
                format!("the ported model does not take `{}` there", s.value)
            };
            notes.push(Note::new(
                NoteKind::KeyDropped,
                &s.key,
                Some(s.span.clone()),
                format!("`{}: {}` is dropped: {why}", s.key, s.value),
            ));
            continue;
        }
        if key != s.key {
            let extra = entry.and_then(|e| e.note.as_deref()).map(|n| format!(" ({n})")).unwrap_or_default();
            notes.push(Note::new(
                NoteKind::KeyRenamed,
                &s.key,
                Some(s.span.clone()),
                format!("`{}` becomes `{key}`{extra}", s.key),
            ));
        }
        let typed = spec.is_some_and(|k| {
            use crate::catalog::ValueType as V;
            match k.ty {
                V::Integer => s.value.parse::<i64>().is_ok(),
                V::Number => s.value.parse::<f64>().is_ok(),
                V::Boolean => s.value == "true" || s.value == "false",
                _ => false,
            }
        });
        lines.push(format!("{key}: {}", if typed { s.value.clone() } else { yaml_scalar(&s.value) }));
    }

    // tools
    write_tools(agent, t, tcat, &mut lines, &mut notes);

    // keys with no counterpart
    let scat = catalog::builtin(src);
    for (k, span) in &agent.other_keys {
        let msg = if scat.key(k).is_none() {
            format!("`{k}` is not a {} key (the source product ignores it): dropped", src.display())
        } else {
            format!("`{k}` has no counterpart in {}: dropped", t.display())
        };
        let mut n = Note::new(NoteKind::KeyDropped, k, Some(span.clone()), msg);
        n.in_source = scat.key(k).is_none();
        notes.push(n);
    }

    let body = write_body(a, agent, t, tcat, &mut notes);
    let mut text = String::from("---\n");
    for l in &lines {
        text.push_str(l);
        text.push('\n');
    }
    text.push_str("---\n");
    if !body.starts_with('\n') && !body.is_empty() {
        text.push('\n');
    }
    text.push_str(&body);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    (text, slug, notes)
}

fn write_model(agent: &Agent, t: Dialect, tcat: &Catalog, notes: &mut Vec<Note>) -> Option<String> {
    match &agent.model {
        Model::Unset => None,
        Model::Inherit => match t {
            Dialect::Claude | Dialect::Factory => Some("inherit".into()),
            _ => {
                let what = if t == Dialect::Copilot {
                    "the model picker's selection or GitHub's default"
                } else {
                    "the invoking agent's model"
                };
                notes.push(Note::new(
                    NoteKind::ModelMapped,
                    "inherit",
                    None,
                    format!("{} has no `inherit`; without `model` the agent runs on {what}", t.display()),
                ));
                None
            }
        },
        Model::Other { written, span } => {
            notes.push(Note::new(NoteKind::ModelDropped, written, Some(span.clone()), format!("model `{written}` is left out: agentls knows no {} id for it, so the agent runs on the default model", t.display())));
            None
        }
        Model::Known { id, written, alias, span } => {
            let entry = data().model(id)?;
            let Some(spelling) = entry.spellings(t).first() else {
                notes.push(Note::new(
                    NoteKind::ModelDropped,
                    written,
                    Some(span.clone()),
                    format!(
                        "model `{written}` is left out: {} does not offer {}, so the agent runs on the default model",
                        t.display(),
                        entry.name
                    ),
                ));
                return None;
            };
            if let Some(m) = tcat.model(spelling).filter(|m| m.status == Status::Removed) {
                let rep =
                    m.replacement.as_deref().map(|r| format!(" (its replacement there is `{r}`)")).unwrap_or_default();
                notes.push(Note::new(NoteKind::ModelDropped, written, Some(span.clone()), format!("model `{written}` is left out: {} is retired in {}{rep}, so the agent runs on the default model", entry.name, t.display())));
                return None;
            }
            let mut msg = format!("model `{written}` becomes `{spelling}`");
            if *alias {
                msg.push_str(&format!(
                    " (the alias names {} today; the port writes that model, which will not follow newer ones)",
                    entry.name
                ));
            }
            notes.push(Note::new(NoteKind::ModelMapped, written, Some(span.clone()), msg));
            Some(spelling.clone())
        }
    }
}

fn write_tools(agent: &Agent, t: Dialect, tcat: &Catalog, lines: &mut Vec<String>, notes: &mut Vec<Note>) {
    let src = agent.dialect;
    let (names, servers, denied): (Option<Vec<String>>, Vec<String>, Vec<String>) = match &agent.grant {
        Grant::List(wants) => {
            let (mut n, s) = map_wants(src, t, tcat, wants, notes);
            drop_covered(tcat, &mut n);
            (Some(n), s, Vec::new())
        }
        Grant::All if agent.deny.is_empty() => (None, Vec::new(), Vec::new()),
        Grant::All => {
            let (d, _) = map_wants(src, t, tcat, &agent.deny, notes);
            match t {
                Dialect::Claude | Dialect::Opencode => (None, Vec::new(), d),
                _ => {
                    // No denylist: list every other tool, expanding a set that holds a denied tool.
                    let mut all = Vec::new();
                    for n in universe(t, tcat) {
                        match tcat.category(&n) {
                            Some(c) if c.tools.iter().any(|m| d.contains(m)) => {
                                all.extend(c.tools.iter().filter(|m| !d.contains(m)).cloned())
                            }
                            _ if d.contains(&n) => {}
                            _ => all.push(n),
                        }
                    }
                    if !d.is_empty() {
                        let froms: Vec<String> = agent.deny.iter().map(|w| format!("`{}`", w.from)).collect();
                        notes.push(Note::new(NoteKind::ToolMapped, "tools", None, format!("{} has no denylist: instead of denying {}, the port lists every other tool it has, so MCP tools are no longer granted", t.display(), froms.join(", "))));
                    }
                    (Some(all), Vec::new(), Vec::new())
                }
            }
        }
    };
    if t != Dialect::Factory
        && names.as_ref().is_some_and(|n| n.is_empty())
        && matches!(&agent.grant, Grant::List(l) if !l.is_empty())
    {
        notes.push(Note::new(
            NoteKind::ToolDropped,
            "tools",
            None,
            format!("none of the tools has an equivalent in {}: the ported agent gets no tools", t.display()),
        ));
    }
    match t {
        Dialect::Claude => {
            if let Some(n) = &names {
                lines.push(format!("tools: {}", if n.is_empty() { "[]".to_string() } else { n.join(", ") }));
            }
            if !denied.is_empty() {
                lines.push(format!("disallowedTools: {}", denied.join(", ")));
            }
        }
        Dialect::Factory => {
            if let Some(n) = &names {
                let set: BTreeSet<&String> = n.iter().collect();
                let cat = tcat
                    .categories
                    .iter()
                    .find(|c| !c.tools.is_empty() && c.tools.iter().collect::<BTreeSet<_>>() == set);
                match cat {
                    Some(c) if servers.is_empty() => {
                        notes.push(Note::new(
                            NoteKind::ToolMapped,
                            "tools",
                            None,
                            format!("the tools are exactly Factory's `{}` category, written as its name", c.name),
                        ));
                        lines.push(format!("tools: {}", c.name));
                    }
                    _ => lines
                        .push(format!("tools: [{}]", n.iter().map(|x| quoted(t, x)).collect::<Vec<_>>().join(", "))),
                }
                if n.is_empty() {
                    notes.push(Note::new(NoteKind::ToolDropped, "tools", None, "none of the tools has a Factory equivalent: a droid whose list holds no valid tool gets every tool, so review the list"));
                }
            }
            if !servers.is_empty() {
                lines.push(format!(
                    "mcpServers: [{}]",
                    servers.iter().map(|x| quoted(t, x)).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        Dialect::Copilot => {
            if let Some(n) = &names {
                lines.push(format!("tools: [{}]", n.iter().map(|x| quoted(t, x)).collect::<Vec<_>>().join(", ")));
            }
        }
        Dialect::Opencode => {
            let d = data();
            let mut perms: Vec<(String, &str)> = Vec::new();
            let add = |name: &str, action: &'static str, perms: &mut Vec<(String, &str)>| {
                let p = d.opencode_permission(name).to_string();
                if !perms.iter().any(|(x, _)| *x == p) {
                    perms.push((p, action));
                }
            };
            if let Some(n) = &names {
                perms.push(("*".into(), "deny"));
                for x in n {
                    add(x, "allow", &mut perms);
                }
            }
            for x in &denied {
                add(x, "deny", &mut perms);
            }
            if names.as_ref().is_some_and(|n| n.iter().any(|x| ["write", "edit", "apply_patch"].contains(&x.as_str())))
            {
                notes.push(Note::new(
                    NoteKind::ToolMapped,
                    "tools",
                    None,
                    "OpenCode's `edit` permission covers `edit`, `write` and `apply_patch` together",
                ));
            }
            if !perms.is_empty() {
                lines.push("permission:".into());
                for (p, act) in perms {
                    lines.push(format!("  {}: {act}", yaml_scalar(&p)));
                }
            }
        }
    }
}

/// The first sentence of the body's first paragraph of prose.
fn first_sentence(body: &str) -> Option<String> {
    let mut in_comment = false;
    for line in body.lines() {
        let l = line.trim();
        if l.starts_with("<!--") {
            in_comment = !l.contains("-->");
            continue;
        }
        if in_comment {
            in_comment = !l.contains("-->");
            continue;
        }
        if l.is_empty() || l.starts_with('#') || l.starts_with("```") || l.starts_with('|') {
            continue;
        }
        let l = l.trim_start_matches(['-', '*', '>', ' ']);
        let end = l.find(". ").map_or(l.len(), |i| i + 1);
        let s: String = l[..end].chars().take(300).collect();
        return (!s.is_empty()).then_some(s);
    }
    None
}

/// The body with each prose mention of a tool that the target names otherwise rewritten
/// (`via Bash` → `via Execute`); mentions in code, or of tools the target lacks, are listed.
fn write_body(a: &Analysis, agent: &Agent, t: Dialect, tcat: &Catalog, notes: &mut Vec<Note>) -> String {
    let body = agent.body.clone();
    let scat = catalog::builtin(agent.dialect);
    let mut edits: Vec<TextEdit> = Vec::new();
    for (name, span) in tool_mentions(a, body.clone()) {
        let spec = scat
            .tool(&name)
            .or_else(|| Dialect::ALL.iter().find_map(|d| catalog::builtin(*d).tools.iter().find(|x| x.name == name)));
        let concept = spec.and_then(|s| {
            let c = if s.status == Status::Deprecated {
                s.replacement.as_deref().and_then(|r| scat.tool(r)).and_then(|r| r.concept.clone())
            } else {
                None
            };
            c.or_else(|| s.concept.clone())
        });
        let target = concept.as_deref().and_then(|c| tcat.tool_for_concept(c));
        let in_code = a.parsed.body.inline_code.iter().any(|r| r.start <= span.start && span.end <= r.end);
        match target {
            Some(tt) if tt.name == name => {}
            Some(tt) if !in_code => {
                notes.push(Note::new(
                    NoteKind::BodyRewritten,
                    &name,
                    Some(span.clone()),
                    format!("the body's \"{}\" now names `{}`", &a.text[line_around(a.text, &span)].trim(), tt.name),
                ));
                edits
                    .push(TextEdit { span: span.start - body.start..span.end - body.start, new_text: tt.name.clone() });
            }
            Some(tt) => notes.push(Note::new(
                NoteKind::BodyReview,
                &name,
                Some(span.clone()),
                format!(
                    "the body names `{name}` in code; {}'s tool is `{}`: not rewritten, review it",
                    t.display(),
                    tt.name
                ),
            )),
            None if tcat.tool(&name).is_some_and(|x| x.status == Status::Current) => {}
            None => notes.push(Note::new(
                NoteKind::BodyReview,
                &name,
                Some(span.clone()),
                format!(
                    "the body tells the agent to use `{name}`, which {} has no equivalent for: review the sentence",
                    t.display()
                ),
            )),
        }
    }
    apply_edits(&a.text[body], &edits)
}

/// The line holding a span, cut to a short excerpt around it.
fn line_around(text: &str, span: &crate::diagnostic::Span) -> crate::diagnostic::Span {
    let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end..].find('\n').map_or(text.len(), |i| span.end + i);
    let mut s = span.start.saturating_sub(30).max(start);
    while !text.is_char_boundary(s) {
        s += 1;
    }
    let mut e = (span.end + 30).min(end);
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    s..e
}
