//! Completion: frontmatter keys, tool names in every tools shape, MCP tool templates, models, enum
//! values and section titles, each with its documentation from the catalogs or the policy.

use std::collections::HashSet;

use crate::analysis::Analysis;
use crate::catalog::{Catalog, KeySpec, ModelSpec, Status, ToolSpec, ToolsForm, ValueType};
use crate::diagnostic::Span;
use crate::policy::SectionSpec;
use crate::semantics::keys::applies;
use crate::semantics::sections::heading_matches as matches;

use super::context::{self, is_name_char, Cursor, HeadingCtx, KeyCtx, Options, ValueCtx, ValueShape};
use super::{clamp_offset, line_start, Completion, CompletionKind};

pub(super) fn completions(a: &Analysis, offset: usize) -> Vec<Completion> {
    let offset = clamp_offset(a.text, offset);
    let cat = a.catalog.as_deref();
    let opts = |key: &str| options(cat, key);
    let mut out = match context::cursor(a, offset, opts) {
        Cursor::Key(k) => keys(a, &k),
        Cursor::Value(v) => values(a, &v),
        Cursor::Heading(h) => sections(a, &h),
        Cursor::Nothing => Vec::new(),
    };
    out.retain(|c| span_ok(a.text, &c.replace));
    out
}

pub(super) fn options(cat: Option<&Catalog>, key: &str) -> Options {
    Options {
        comma_items: cat.is_some_and(|c| c.is_tool_key(key)),
        space_items: cat.is_some_and(|c| c.is_tool_key(key) && c.tools_forms.contains(&ToolsForm::SpaceString)),
        default_quote: cat.and_then(|c| c.key(key)).map_or('"', default_quote),
    }
}

/// The quote a key's snippet uses for list items (`['read']` → `'`), double by default.
fn default_quote(k: &KeySpec) -> char {
    k.snippet
        .as_deref()
        .and_then(|s| s.split_once('['))
        .and_then(|(_, r)| r.chars().next())
        .filter(|c| *c == '\'' || *c == '"')
        .unwrap_or('"')
}

/// Escapes text for use inside an LSP snippet (outside or inside a placeholder).
fn escape_snippet(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// Escapes one option of a snippet choice `${1|a,b|}`.
fn escape_choice(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\' | ',' | '|') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// True when `s` can be written as a plain YAML scalar (in a flow collection when `flow`).
pub(super) fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if "[]{}#&*!|>'\"%@`,?:-".contains(first) && !(first == '-' && s.len() > 1 && !s[1..].starts_with(' ')) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    if flow && s.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    !matches!(s, "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off") && s.parse::<f64>().is_err()
}

fn quoted(s: &str, q: char) -> String {
    if q == '\'' {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// How a value is written at the cursor: bare inside quotes, in the list's quote style, or plain
/// when YAML allows it.
fn write_item(v: &ValueCtx, s: &str) -> String {
    let flow = v.shape == ValueShape::Flow;
    let body = if v.in_quote {
        s.to_string()
    } else if let Some(q) = v.quote {
        quoted(s, q)
    } else if plain_ok(s, flow) {
        s.to_string()
    } else {
        quoted(s, '"')
    };
    let lead = if v.needs_space { " " } else { "" };
    match v.shape {
        ValueShape::BelowKey => format!("- {body}"),
        _ => format!("{lead}{body}"),
    }
}

fn with_source(doc: &str, source: Option<&str>) -> String {
    match source {
        Some(s) if !s.is_empty() => format!("{}\n\n_Source: {s}_", doc.trim_end()),
        _ => doc.trim_end().to_string(),
    }
}

fn status_line(status: Status, replacement: Option<&str>, since: Option<&str>, reason: Option<&str>) -> Option<String> {
    let what = match status {
        Status::Current => return None,
        Status::Deprecated => "Deprecated",
        Status::Removed => "Removed",
        Status::Unavailable => "Unavailable",
    };
    let mut s = format!("**{what}**");
    if let Some(v) = since {
        s.push_str(&format!(" (since {v})"));
    }
    if let Some(r) = reason {
        s.push_str(&format!(": {}", r.trim_end_matches('.')));
    }
    if let Some(r) = replacement {
        s.push_str(&format!(". Use `{r}` instead"));
    }
    s.push('.');
    Some(s)
}

// ---------------------------------------------------------------------------------------------
// Keys

/// Top-level keys written in the frontmatter, read line by line (the tree may be partial), except
/// on the line at `skip`.
fn used_keys(a: &Analysis, skip: usize) -> HashSet<String> {
    let mut used: HashSet<String> = HashSet::new();
    let Some(fm) = &a.parsed.frontmatter else { return used };
    for e in fm.entries() {
        if let Some(k) = e.key.as_str() {
            if line_start(a.text, e.key.span.start) != skip {
                used.insert(k.to_string());
            }
        }
    }
    let content = &a.text[fm.content.clone()];
    let mut pos = fm.content.start;
    for line in content.split_inclusive('\n') {
        let here = pos;
        pos += line.len();
        if here == skip || !line.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some((k, _)) = line.split_once(':') {
            used.insert(k.trim().to_string());
        }
    }
    used
}

pub(super) fn key_doc(k: &KeySpec) -> String {
    let mut parts = vec![k.doc.trim_end().to_string()];
    if !k.values.is_empty() {
        let vals = k
            .values
            .iter()
            .map(|v| match k.value_docs.get(v) {
                Some(d) => format!("- `{v}`: {d}"),
                None => format!("- `{v}`"),
            })
            .collect::<Vec<_>>()
            .join("\n");
        parts.push(format!("Values:\n{vals}"));
    }
    if let Some(s) = status_line(k.status, k.replacement.as_deref(), k.since.as_deref(), None) {
        parts.push(s);
    }
    with_source(&parts.join("\n\n"), k.source.as_deref())
}

/// The snippet written after `key:` (with its leading space, or a line break for block values).
fn value_snippet(a: &Analysis, cat: &Catalog, k: &KeySpec) -> String {
    let s = match &k.snippet {
        Some(s) => s.clone(),
        None => match k.ty {
            ValueType::Boolean => "${1|true,false|}".into(),
            ValueType::Integer | ValueType::Number => "${1:0}".into(),
            ValueType::Enum if !k.values.is_empty() => {
                format!("${{1|{}|}}", k.values.iter().map(|v| escape_choice(v)).collect::<Vec<_>>().join(","))
            }
            ValueType::StringList => "[\"$1\"]".into(),
            ValueType::Map => "\n  $0".into(),
            ValueType::List => "\n  - $0".into(),
            ValueType::Tools => match cat.tools_forms.first() {
                Some(ToolsForm::FlowList) => "[\"$1\"]".into(),
                Some(ToolsForm::BlockList) => "\n  - $0".into(),
                Some(ToolsForm::Map) => "\n  $0".into(),
                _ => "$0".into(),
            },
            ValueType::String if k.name == "name" => match &a.file_stem {
                Some(stem) if !stem.is_empty() => format!("${{1:{}}}", escape_snippet(stem)),
                _ => "$0".into(),
            },
            _ => "$0".into(),
        },
    };
    if s.starts_with('\n') || s.starts_with("\r\n") {
        s
    } else {
        format!(" {s}")
    }
}

fn keys(a: &Analysis, k: &KeyCtx) -> Vec<Completion> {
    let (Some(cat), Some(det)) = (a.catalog.as_deref(), a.detected) else { return Vec::new() };
    let used = used_keys(a, line_start(a.text, k.replace.start));
    let mut out = Vec::new();
    for (i, spec) in cat.keys.iter().enumerate() {
        if !applies(spec, det.kind) || matches!(spec.status, Status::Removed | Status::Unavailable) {
            continue;
        }
        if used.contains(&spec.name) {
            continue;
        }
        let deprecated = spec.status == Status::Deprecated;
        let rank = if deprecated {
            2
        } else if spec.required {
            0
        } else {
            1
        };
        let (insert_text, is_snippet) = if k.has_colon {
            (spec.name.clone(), false)
        } else {
            (format!("{}:{}", spec.name, value_snippet(a, cat, spec)), true)
        };
        let mut detail = cat.type_label(spec.ty);
        if spec.required {
            detail.push_str(", required");
        }
        out.push(Completion {
            label: spec.name.clone(),
            kind: CompletionKind::Key,
            detail: Some(detail),
            doc: Some(key_doc(spec)),
            insert_text,
            is_snippet,
            replace: k.replace.clone(),
            deprecated,
            sort_text: Some(format!("{rank}{i:04}")),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Values

fn values(a: &Analysis, v: &ValueCtx) -> Vec<Completion> {
    let Some(cat) = a.catalog.as_deref() else { return Vec::new() };
    if cat.is_tool_key(&v.key) {
        return tools(a, cat, v);
    }
    let Some(spec) = cat.key(&v.key) else { return Vec::new() };
    if matches!(v.shape, ValueShape::MapKey) {
        return Vec::new();
    }
    if spec.ty == ValueType::Model {
        return models(a, cat, v);
    }
    if matches!(v.shape, ValueShape::BelowKey | ValueShape::Block | ValueShape::Flow)
        && !matches!(spec.ty, ValueType::StringList | ValueType::StringOrList | ValueType::List)
    {
        return Vec::new();
    }
    if !spec.values.is_empty() {
        return enum_values(a, cat, spec, v);
    }
    if spec.ty == ValueType::Boolean {
        return ["true", "false"]
            .iter()
            .enumerate()
            .map(|(i, b)| Completion {
                label: b.to_string(),
                kind: CompletionKind::Value,
                detail: Some("boolean".into()),
                doc: None,
                insert_text: format!("{}{b}", if v.needs_space { " " } else { "" }),
                is_snippet: false,
                replace: v.replace.clone(),
                deprecated: false,
                sort_text: Some(format!("{i}")),
            })
            .collect();
    }
    Vec::new()
}

/// The model the frontmatter names, for reasoning-effort values.
fn chosen_model<'c>(a: &Analysis, cat: &'c Catalog) -> Option<&'c ModelSpec> {
    let fm = a.parsed.frontmatter.as_ref()?;
    let m = fm.get("model")?.value.as_str()?.trim().to_string();
    cat.model(&m)
}

fn enum_values(a: &Analysis, cat: &Catalog, spec: &KeySpec, v: &ValueCtx) -> Vec<Completion> {
    let effort = matches!(spec.name.as_str(), "reasoningEffort" | "effort");
    let model = if effort { chosen_model(a, cat).filter(|m| !m.reasoning.is_empty()) } else { None };
    spec.values
        .iter()
        .enumerate()
        .map(|(i, val)| {
            let supported = model.is_none_or(|m| m.reasoning.iter().any(|r| r.eq_ignore_ascii_case(val)));
            let detail = match model {
                Some(m) if supported => format!("{} · supported by `{}`", spec.name, m.id),
                Some(m) => format!("{} · not supported by `{}`", spec.name, m.id),
                None => spec.name.clone(),
            };
            Completion {
                label: val.clone(),
                kind: CompletionKind::Value,
                detail: Some(detail),
                doc: spec.value_docs.get(val).cloned(),
                insert_text: write_item(v, val),
                is_snippet: false,
                replace: v.replace.clone(),
                deprecated: false,
                sort_text: Some(format!("{}{i:04}", if supported { 0 } else { 1 })),
            }
        })
        .collect()
}

pub(super) fn model_doc(m: &ModelSpec) -> String {
    let mut parts = vec![m.doc.trim_end().to_string()];
    if !m.reasoning.is_empty() {
        parts.push(format!(
            "Reasoning effort: {}",
            m.reasoning.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    let status = match m.status {
        Status::Removed | Status::Unavailable => Status::Removed,
        s => s,
    };
    if let Some(s) = status_line(status, m.replacement.as_deref(), None, None) {
        parts.push(s.replace("**Removed**", "**Retired**"));
    }
    with_source(&parts.join("\n\n"), m.source.as_deref())
}

fn models(a: &Analysis, cat: &Catalog, v: &ValueCtx) -> Vec<Completion> {
    if matches!(v.shape, ValueShape::BelowKey) {
        return Vec::new();
    }
    let pol = &a.policy;
    let mut out = Vec::new();
    for (i, m) in cat.models.iter().enumerate() {
        let is_inherit = m.id == "inherit";
        if !is_inherit && (pol.model_denied(&m.id) || !pol.model_allowed(&m.id)) {
            continue;
        }
        let rank = match m.status {
            Status::Current if m.alias => 0,
            Status::Current => 1,
            Status::Deprecated => 2,
            Status::Removed | Status::Unavailable => 3,
        };
        let detail = match (m.alias, m.status) {
            (_, Status::Removed | Status::Unavailable) => "retired model".to_string(),
            (_, Status::Deprecated) => "deprecated model".to_string(),
            (true, _) => "model alias".to_string(),
            (false, _) => "model id".to_string(),
        };
        out.push(Completion {
            label: m.id.clone(),
            kind: CompletionKind::Model,
            detail: Some(detail),
            doc: Some(model_doc(m)),
            insert_text: write_item(v, &m.id),
            is_snippet: false,
            replace: v.replace.clone(),
            deprecated: m.status != Status::Current,
            sort_text: Some(format!("{rank}{i:04}")),
        });
    }
    out
}

pub(super) fn tool_doc(t: &ToolSpec) -> String {
    let mut parts = vec![t.doc.trim_end().to_string()];
    if let Some(s) = status_line(t.status, t.replacement.as_deref(), t.since.as_deref(), t.reason.as_deref()) {
        parts.push(s);
    }
    if !t.aliases.is_empty() {
        parts.push(format!(
            "Also accepted: {}",
            t.aliases.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    with_source(&parts.join("\n\n"), t.source.as_deref())
}

/// Canonical names of the tools already in the value (other than the item being typed).
fn listed_tools(a: &Analysis, cat: &Catalog, v: &ValueCtx) -> HashSet<String> {
    let text = a.text;
    let region = v.region.start.min(text.len())..v.region.end.min(text.len());
    let mut out = HashSet::new();
    let mut start = None;
    let mut depth = 0i32;
    let chars = text[region.clone()].char_indices().chain(std::iter::once((region.len(), ' ')));
    for (i, c) in chars {
        let at = region.start + i;
        // Arguments (`Bash(git *)`) are not tool names.
        if c == '(' {
            depth += 1;
        }
        let name_char = (is_name_char(c) && c != ':') && depth == 0;
        if c == ')' {
            depth -= 1;
        }
        match (name_char, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                start = None;
                let overlaps = s <= v.replace.end && at >= v.replace.start;
                if !overlaps {
                    let name = &text[s..at];
                    let canon = cat.tool(name).map_or(name, |t| t.name.as_str());
                    out.insert(if cat.tools_case_insensitive { canon.to_ascii_lowercase() } else { canon.to_string() });
                }
            }
            _ => {}
        }
    }
    out
}

fn tools(a: &Analysis, cat: &Catalog, v: &ValueCtx) -> Vec<Completion> {
    let pol = &a.policy;
    let grants = crate::semantics::tools::key_grants(&v.key);
    let listed = listed_tools(a, cat, v);
    let is_listed = |n: &str| {
        if cat.tools_case_insensitive {
            listed.contains(&n.to_ascii_lowercase())
        } else {
            listed.contains(n)
        }
    };
    let blocked = |n: &str| grants && (pol.tool_denied(n) || !pol.tool_allowed(n));
    let form = cat.tools_forms.first().copied();
    let comma_ok = cat.tools_forms.contains(&ToolsForm::CommaString);
    let has_comma = a.text[v.region.clone()].contains(',');
    let map_shape = cat.tools_forms == [ToolsForm::Map];
    // How a name is written for each place the cursor can be.
    // A map key (`bash: false`), quoted when YAML needs it (`"*": false`).
    let map_key = |name: &str| {
        let k = if plain_ok(name, false) { name.to_string() } else { quoted(name, '"') };
        (format!("{}: ${{1|false,true|}}", escape_snippet(&k)), true)
    };
    // Later items of a comma string are part of one scalar: never quoted on their own.
    let before = &a.text[v.region.start..v.replace.start];
    let spaces = cat.tools_forms.contains(&ToolsForm::SpaceString);
    let later_in_string =
        v.shape == ValueShape::Scalar && (before.contains(',') || (spaces && !before.trim().is_empty()));
    let write = |name: &str| -> Option<(String, bool)> {
        let lead = if v.needs_space { " " } else { "" };
        match v.shape {
            ValueShape::MapKey => cat.tools_forms.contains(&ToolsForm::Map).then(|| map_key(name)),
            ValueShape::BelowKey if cat.tools_forms.contains(&ToolsForm::BlockList) => {
                Some((write_item(v, name), false))
            }
            ValueShape::BelowKey if map_shape => Some(map_key(name)),
            ValueShape::BelowKey => None,
            ValueShape::Empty if map_shape => None,
            // The first word of a value in a dialect without comma strings starts a list.
            ValueShape::Empty | ValueShape::Scalar
                if v.shape == ValueShape::Empty || (!v.in_quote && !comma_ok && !has_comma) =>
            {
                match form {
                    Some(ToolsForm::FlowList) => {
                        let q = cat.key(&v.key).map_or('"', default_quote);
                        Some((format!("{lead}[{}]", quoted(name, q)), false))
                    }
                    Some(ToolsForm::BlockList) => Some((format!("\n  - {name}"), false)),
                    _ if plain_ok(name, false) => Some((format!("{lead}{name}"), false)),
                    _ => Some((format!("{lead}{}", quoted(name, '"')), false)),
                }
            }
            ValueShape::Scalar if later_in_string || v.in_quote => Some((format!("{lead}{name}"), false)),
            _ => Some((write_item(v, name), false)),
        }
    };
    let mut out = Vec::new();
    for (i, t) in cat.tools.iter().enumerate() {
        if matches!(t.status, Status::Removed | Status::Unavailable) || blocked(&t.name) || is_listed(&t.name) {
            continue;
        }
        let Some((insert_text, is_snippet)) = write(&t.name) else { continue };
        let deprecated = t.status == Status::Deprecated;
        let detail = match (&t.category, a.detected) {
            (Some(c), Some(d)) => format!("{} tool · {c}", d.dialect.display()),
            (None, Some(d)) => format!("{} tool", d.dialect.display()),
            (Some(c), None) => c.clone(),
            (None, None) => "tool".into(),
        };
        out.push(Completion {
            label: t.name.clone(),
            kind: CompletionKind::Tool,
            detail: Some(detail),
            doc: Some(tool_doc(t)),
            insert_text,
            is_snippet,
            replace: v.replace.clone(),
            deprecated,
            sort_text: Some(format!("{}{i:04}", if deprecated { 2 } else { 0 })),
        });
    }
    // A category stands for the whole value.
    let whole = matches!(v.shape, ValueShape::Empty)
        || (v.shape == ValueShape::Scalar && !a.text[v.region.clone()].contains(','));
    if whole && cat.tools_forms.contains(&ToolsForm::Category) {
        for (i, c) in cat.categories.iter().enumerate() {
            if grants && c.tools.iter().any(|t| blocked(t)) {
                continue;
            }
            let lead = if v.needs_space { " " } else { "" };
            out.push(Completion {
                label: c.name.clone(),
                kind: CompletionKind::Value,
                detail: Some("tool category".into()),
                doc: Some(format!(
                    "{}\n\nTools: {}",
                    c.doc.trim_end(),
                    c.tools.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                )),
                insert_text: format!("{lead}{}", c.name),
                is_snippet: false,
                replace: v.replace.clone(),
                deprecated: false,
                sort_text: Some(format!("1{i:04}")),
            });
        }
    }
    if let Some(snip) = &cat.mcp.snippet {
        let label = snippet_label(snip);
        let ok_shape = matches!(v.shape, ValueShape::Flow | ValueShape::Block | ValueShape::Scalar)
            || (v.shape == ValueShape::BelowKey && cat.tools_forms.contains(&ToolsForm::BlockList));
        if ok_shape && !blocked(&label) && !map_shape {
            let body = if v.in_quote {
                snip.clone()
            } else if let Some(q) = v.quote {
                format!("{q}{snip}{q}")
            } else if plain_ok(&label, v.shape == ValueShape::Flow) {
                snip.clone()
            } else {
                format!("\"{snip}\"")
            };
            let insert_text = match v.shape {
                ValueShape::BelowKey => format!("- {body}"),
                _ if v.needs_space => format!(" {body}"),
                _ => body,
            };
            out.push(Completion {
                label,
                kind: CompletionKind::McpTool,
                detail: Some("MCP tool".into()),
                doc: Some(cat.mcp.doc.clone()).filter(|d| !d.is_empty()),
                insert_text,
                is_snippet: true,
                replace: v.replace.clone(),
                deprecated: false,
                sort_text: Some("3".into()),
            });
        }
    }
    out
}

/// A snippet's text with placeholders replaced by their defaults: `mcp__${1:server}__${2:tool}` →
/// `mcp__server__tool`.
fn snippet_label(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(p) = rest.find("${") {
        out.push_str(&rest[..p]);
        let after = &rest[p + 2..];
        let end = after.find('}').unwrap_or(after.len());
        let inner = &after[..end];
        out.push_str(inner.split_once(':').map_or("", |(_, d)| d));
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Sections

fn sections(a: &Analysis, h: &HeadingCtx) -> Vec<Completion> {
    let text = a.text;
    let body = &a.parsed.body;
    let here = line_start(text, h.replace.start);
    let current = body.headings.iter().find(|x| x.span.start == here);
    let others: Vec<_> = body.headings.iter().filter(|x| x.span.start != here).collect();
    // The template is only inserted under a heading that has no content yet.
    let empty_section = current.is_none_or(|c| text[body.section_content(c)].trim().is_empty());
    let nl = crate::text::line_break(text);
    let pol = &a.policy.sections;
    let groups: [(&[SectionSpec], &str, u8); 3] = [
        (&pol.required, "required section", 0),
        (&pol.recommended, "recommended section", 1),
        (&pol.known, "section", 2),
    ];
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for (specs, what, rank) in groups {
        for (i, spec) in specs.iter().enumerate() {
            if spec.level.unwrap_or(2) != h.level || others.iter().any(|x| matches(spec, x)) {
                continue;
            }
            if !seen.insert(spec.title.to_ascii_lowercase()) {
                continue;
            }
            let mut insert_text = format!("{}{}", if h.needs_space { " " } else { "" }, spec.title);
            if let Some(t) = spec.template.as_deref().filter(|t| !t.trim().is_empty() && empty_section) {
                insert_text.push_str(nl);
                insert_text.push_str(nl);
                insert_text.push_str(&t.trim_end().replace('\n', nl));
            }
            let doc = match rank {
                0 => format!("{}\n\nRequired by the team policy.", spec.doc.trim_end()),
                1 => format!("{}\n\nRecommended.", spec.doc.trim_end()),
                _ => spec.doc.trim_end().to_string(),
            };
            out.push(Completion {
                label: spec.title.clone(),
                kind: CompletionKind::Section,
                detail: Some(what.to_string()),
                doc: Some(doc).filter(|d| !d.is_empty()),
                insert_text,
                is_snippet: false,
                replace: h.replace.clone(),
                deprecated: false,
                sort_text: Some(format!("{rank}{i:04}")),
            });
        }
    }
    out
}

/// True when a span lies inside the text, on character boundaries.
pub(super) fn span_ok(text: &str, s: &Span) -> bool {
    s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
}
