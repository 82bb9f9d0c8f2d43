//! Hover: what a key, a tool, a model, an enum value or a section heading means, from the catalogs
//! and the policy, and what the policy says about it.

use crate::analysis::Analysis;
use crate::catalog::{self, Catalog, Status};
use crate::diagnostic::{Diagnostic, Span};
use crate::dialect::Dialect;
use crate::policy::SectionSpec;
use crate::registry;
use crate::semantics::mentions::tool_mentions;
use crate::semantics::patterns::regex_is_match;
use crate::semantics::sections::heading_matches as matches;
use crate::semantics::tools::{covers, equivalent, granted_tools, key_grants, resolve, Resolved};
use crate::syntax::{Entry, Heading, Value};
use crate::tools::{self, Shape};

use super::completion::{key_doc, model_doc, options, span_ok, tool_doc};
use super::context::{self, Cursor, ValueShape};
use super::effective::{self, McpServerInfo};
use super::{clamp_offset, Hover};

pub(super) fn hover(a: &Analysis, offset: usize, servers: &[McpServerInfo]) -> Option<Hover> {
    let offset = clamp_offset(a.text, offset);
    let h = frontmatter(a, offset, servers)
        .or_else(|| heading(a, offset))
        .or_else(|| body_feature(a, offset))
        .or_else(|| super::port::fence_hover(a, offset))?;
    span_ok(a.text, &h.span).then_some(h)
}

/// A placeholder in a skill's or command's body (`$ARGUMENTS`, `$1`, `${CLAUDE_SKILL_DIR}`) or a
/// `` !`cmd` ``: what the product does with it, from the kind's catalog (`body_features`).
fn body_feature(a: &Analysis, offset: usize) -> Option<Hover> {
    let cat = a.catalog.as_deref()?;
    if cat.body_features.is_empty() || !within(&a.parsed.body.span, offset) {
        return None;
    }
    let text = a.text;
    let bytes = text.as_bytes();
    // The `$` word around the offset.
    let mut start = offset.min(text.len());
    while start > 0
        && (bytes[start - 1].is_ascii_alphanumeric() || matches!(bytes[start - 1], b'_' | b'{' | b'[' | b'$'))
    {
        start -= 1;
        if bytes[start] == b'$' {
            break;
        }
    }
    if bytes.get(start) != Some(&b'$') {
        return None;
    }
    let mut end = start + 1;
    while end < text.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'_' | b'{' | b'}' | b'[' | b']'))
    {
        end += 1;
    }
    let word = &text[start..end];
    let id = if word == "$ARGUMENTS" {
        "arguments"
    } else if word.starts_with("$ARGUMENTS[") || word[1..].bytes().all(|b| b.is_ascii_digit()) && word.len() > 1 {
        "positional"
    } else if word.starts_with("${") {
        "skill-dir"
    } else {
        "named-arguments"
    };
    let f = cat.body_features.iter().find(|f| f.id == id)?;
    Some(Hover { span: start..end, markdown: format!("**`{word}`**: {}", f.doc.trim()) })
}

pub(super) fn with_diagnostics(
    a: &Analysis,
    diags: &[Diagnostic],
    offset: usize,
    servers: &[McpServerInfo],
) -> Option<Hover> {
    let offset = clamp_offset(a.text, offset);
    let base = hover(a, offset, servers);
    let mut under: Vec<&Diagnostic> =
        diags.iter().filter(|d| within(&d.span, offset) && span_ok(a.text, &d.span)).collect();
    under.sort_by_key(|d| d.span.len());
    if under.is_empty() {
        return base;
    }
    let mut parts: Vec<String> = base.iter().map(|h| h.markdown.clone()).collect();
    for d in &under {
        let mut s = format!("**{}** `{}`: {}", d.severity.as_str(), d.code, d.message);
        // The first paragraph of the rule's doc says what it checks and why.
        let first = registry::info(d.code).doc.split("\n\n").next().unwrap_or("").trim();
        if !first.is_empty() {
            s.push_str("\n\n");
            s.push_str(first);
        }
        parts.push(s);
    }
    let span = base.map_or_else(|| under[0].span.clone(), |h| h.span);
    Some(Hover { span, markdown: parts.join("\n\n---\n\n") })
}

fn within(s: &Span, offset: usize) -> bool {
    s.start <= offset && offset <= s.end
}

/// The effective tool set of the file, for the hover of a key that shapes it.
fn effective_section(a: &Analysis, key: &str, servers: &[McpServerInfo]) -> Option<String> {
    if !effective::shapes_tools(a, key) {
        return None;
    }
    effective::effective(a, servers).map(|e| effective::markdown(&e))
}

fn frontmatter(a: &Analysis, offset: usize, servers: &[McpServerInfo]) -> Option<Hover> {
    let fm = a.parsed.frontmatter.as_ref()?;
    if !within(&fm.content, offset) {
        return None;
    }
    let cat = a.catalog.as_deref()?;
    let dialect = a.detected?.dialect;
    for e in fm.entries() {
        let Some(key) = e.key.as_str() else { continue };
        if within(&e.key.span, offset) {
            let mut markdown = key_hover(a, cat, dialect, key);
            if let Some(eff) = effective_section(a, key, servers) {
                markdown.push_str("\n\n---\n\n");
                markdown.push_str(&eff);
            }
            return Some(Hover { span: e.key.span.clone(), markdown });
        }
        if within(&e.value.span, offset) && !matches!(e.value.value, Value::Invalid) {
            if let Some(h) = value_hover(a, cat, dialect, key, e, offset) {
                return Some(h);
            }
            // Not on one tool: the whole value's effect.
            if let Some(markdown) = effective_section(a, key, servers) {
                return Some(Hover { span: e.value.span.clone(), markdown });
            }
        }
    }
    // The tree does not cover broken lines: read the line instead.
    let opts = |key: &str| options(Some(cat), key);
    match context::cursor(a, offset, opts) {
        Cursor::Key(k) if k.replace.start < k.replace.end => {
            let key = &a.text[k.replace.clone()];
            Some(Hover { span: k.replace.clone(), markdown: key_hover(a, cat, dialect, key) })
        }
        Cursor::Value(v) if v.replace.start < v.replace.end && v.shape != ValueShape::MapKey => {
            let word = a.text[v.replace.clone()].trim();
            if word.is_empty() {
                return None;
            }
            let span = v.replace.clone();
            if cat.is_tool_key(&v.key) {
                let grants = key_grants(&v.key);
                return Some(Hover { span, markdown: tool_hover(a, cat, dialect, word, false, grants) });
            }
            let spec = cat.key(&v.key)?;
            if spec.ty == catalog::ValueType::Model {
                return Some(Hover { span, markdown: model_hover(a, cat, dialect, word) });
            }
            enum_hover(spec, word).map(|markdown| Hover { span, markdown })
        }
        _ => None,
    }
}

fn value_hover(a: &Analysis, cat: &Catalog, dialect: Dialect, key: &str, e: &Entry, offset: usize) -> Option<Hover> {
    let text = a.text;
    let list = tools::read_in(cat, e, text);
    let item = list.items.iter().find(|i| within(&i.span, offset))?;
    let span = item.span.clone();
    if cat.is_tool_key(key) {
        let whole = list.shape == Shape::CommaString && list.items.len() == 1;
        let grants = key_grants(key);
        return Some(Hover { span, markdown: tool_hover(a, cat, dialect, &item.name, whole, grants) });
    }
    let spec = cat.key(key)?;
    if spec.ty == catalog::ValueType::Model {
        // The model id is the whole scalar (Copilot names have spaces and parentheses).
        let node = match &e.value.value {
            Value::Seq(s) => s.items.iter().find(|n| within(&n.span, offset))?,
            _ => &e.value,
        };
        let id = node.as_str()?.trim();
        return Some(Hover { span: node.span.clone(), markdown: model_hover(a, cat, dialect, id) });
    }
    let val = e.value.as_str()?;
    enum_hover(spec, val).map(|markdown| Hover { span: e.value.span.clone(), markdown })
}

fn key_hover(a: &Analysis, cat: &Catalog, dialect: Dialect, key: &str) -> String {
    let Some(spec) = cat.key(key) else {
        let other =
            Dialect::ALL.into_iter().filter(|d| *d != dialect).find(|d| catalog::builtin(*d).key(key).is_some());
        return match other {
            Some(o) => {
                let spec = catalog::builtin(o).key(key).map(|s| s.doc.trim_end().to_string()).unwrap_or_default();
                format!(
                    "**`{key}`** is a {} key; a {} does not read it.\n\nIn {}: {spec}",
                    o.display(),
                    dialect.noun(),
                    o.display()
                )
            }
            None => format!("**`{key}`**: not a key a {} reads.", dialect.noun()),
        };
    };
    let mut head = format!("**`{key}`** · {} key", dialect.display());
    if spec.required {
        head.push_str(" · required");
    }
    let ty = format!("Type: {}", cat.type_label(spec.ty));
    let kinds = if spec.kinds.is_empty() {
        String::new()
    } else if a.detected.is_some_and(|d| !crate::semantics::keys::applies(spec, d.kind)) {
        format!("\n\nOnly read in {} files, not in this one.", spec.kinds.join(", "))
    } else {
        format!("\n\nRead in {} files.", spec.kinds.join(", "))
    };
    format!("{head}\n\n{ty}{kinds}\n\n{}", key_doc(spec))
}

/// What the policy says about granting a tool.
fn tool_policy(a: &Analysis, name: &str, grants: bool) -> String {
    let pol = &a.policy;
    if !grants {
        return "Listed as disallowed: the agent cannot use it.".into();
    }
    if pol.tool_denied(name) {
        "**Denied by the team policy.**".into()
    } else if !pol.tool_allowed(name) {
        let allow = pol.tools.allow.as_ref().map(|a| a.join(", ")).unwrap_or_default();
        format!("**Not in the team policy's allowed tools** ({allow}).")
    } else if pol.tools.allow.is_some() || !pol.tools.deny.is_empty() {
        "Allowed by the team policy.".into()
    } else {
        String::new()
    }
}

fn join(parts: Vec<String>) -> String {
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join("\n\n")
}

fn tool_hover(a: &Analysis, cat: &Catalog, dialect: Dialect, name: &str, whole: bool, grants: bool) -> String {
    match resolve(cat, dialect, name, whole) {
        Resolved::Tool(t) => {
            let mut head = format!("**`{}`** · {} tool", t.name, dialect.display());
            if let Some(c) = &t.category {
                head.push_str(&format!(" · category `{c}`"));
            }
            if t.name != name {
                head.push_str(&format!(" (written `{name}`)"));
            }
            join(vec![head, tool_doc(t), tool_policy(a, &t.name, grants)])
        }
        Resolved::Category => {
            let c = cat.category(name).expect("resolved as a category");
            let tools = c.tools.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
            let denied: Vec<&String> = c.tools.iter().filter(|t| grants && a.policy.tool_denied(t)).collect();
            let pol = if denied.is_empty() {
                String::new()
            } else {
                format!(
                    "**Denied by the team policy:** {}",
                    denied.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                )
            };
            join(vec![
                format!("**`{name}`** · {} tool category", dialect.display()),
                c.doc.clone(),
                format!("Tools: {tools}"),
                pol,
            ])
        }
        Resolved::Mcp => {
            join(vec![format!("**`{name}`** · MCP tool"), cat.mcp.doc.clone(), tool_policy(a, name, grants)])
        }
        Resolved::BadMcp => join(vec![
            format!("**`{name}`** looks like an MCP tool, but not in {}'s form.", dialect.display()),
            cat.mcp.doc.clone(),
        ]),
        Resolved::Foreign(other, ft) => {
            let eq = match equivalent(cat, ft) {
                Some(e) => format!("The {} equivalent is `{}`.", dialect.display(), e.name),
                None => format!("{} has no equivalent.", dialect.display()),
            };
            join(vec![
                format!("**`{name}`** is a {} tool, not a {} tool. {eq}", other.display(), dialect.display()),
                format!("In {}: {}", other.display(), ft.doc.trim_end()),
            ])
        }
        Resolved::Unknown => format!("**`{name}`**: not a tool a {} knows.", dialect.noun()),
    }
}

fn model_hover(a: &Analysis, cat: &Catalog, dialect: Dialect, id: &str) -> String {
    let pol = &a.policy;
    let policy = if id == "inherit" {
        String::new()
    } else if pol.model_denied(id) {
        "**Denied by the team policy.**".into()
    } else if !pol.model_allowed(id) {
        let allow = pol.models.allow.as_ref().map(|a| a.join(", ")).unwrap_or_default();
        format!("**Not in the team policy's allowed models** ({allow}).")
    } else if pol.models.allow.is_some() || !pol.models.deny.is_empty() {
        "Allowed by the team policy.".into()
    } else {
        String::new()
    };
    match cat.model(id) {
        Some(m) => {
            let what = match (m.alias, m.status) {
                (_, Status::Removed | Status::Unavailable) => "retired model",
                (_, Status::Deprecated) => "deprecated model",
                (true, _) => "model alias",
                (false, _) => "model id",
            };
            join(vec![format!("**`{id}`** · {} {what}", dialect.display()), model_doc(m), policy])
        }
        None => {
            let pattern = cat.model_patterns.iter().any(|p| regex_is_match(p, id) == Some(true));
            let what = if pattern {
                format!(
                    "not in agentls's catalog for {}, but has the form of a model id it accepts.",
                    dialect.display()
                )
            } else {
                format!("not a model a {} knows.", dialect.noun())
            };
            join(vec![format!("**`{id}`**: {what}"), policy])
        }
    }
}

fn enum_hover(spec: &catalog::KeySpec, val: &str) -> Option<String> {
    if spec.values.is_empty() {
        return None;
    }
    let val = val.trim();
    let valid = spec.values.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
    Some(match spec.value_docs.get(val) {
        Some(d) => format!("**`{val}`** · value of `{}`\n\n{d}", spec.name),
        None if spec.values.iter().any(|x| x == val) => format!("**`{val}`** · value of `{}`", spec.name),
        None => format!("**`{val}`** is not a valid `{}`.\n\nValid values: {valid}", spec.name),
    })
}

// ---------------------------------------------------------------------------------------------
// Sections

/// The policy's spec for a heading, and whether it is required (0), recommended (1) or known (2).
pub(super) fn section_spec<'p>(pol: &'p crate::policy::EffectivePolicy, h: &Heading) -> Option<(&'p SectionSpec, u8)> {
    let s = &pol.sections;
    [(&s.required, 0u8), (&s.recommended, 1), (&s.known, 2)]
        .into_iter()
        .find_map(|(list, rank)| list.iter().find(|spec| matches(spec, h)).map(|spec| (spec, rank)))
}

/// List items in a section (outside fenced code).
fn list_items(text: &str, span: Span) -> usize {
    let mut fence: Option<(char, usize)> = None;
    let mut n = 0;
    for line in text[span].lines() {
        let t = line.trim_start();
        let marker = t.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(m) = marker {
            let run = t.len() - t.trim_start_matches(m).len();
            if run >= 3 {
                match fence {
                    None => fence = Some((m, run)),
                    Some((fm, fr)) if fm == m && run >= fr && t.trim_start_matches(m).trim().is_empty() => fence = None,
                    _ => {}
                }
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        let bullet = t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ");
        let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let numbered = digits > 0 && digits < 10 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "));
        if bullet || numbered {
            n += 1;
        }
    }
    n
}

fn heading(a: &Analysis, offset: usize) -> Option<Hover> {
    let text = a.text;
    let body = &a.parsed.body;
    let (idx, h) = body.headings.iter().enumerate().find(|(_, h)| within(&h.span, offset))?;
    let hashes = "#".repeat(h.level as usize);
    let mut parts = Vec::new();
    let spec = section_spec(&a.policy, h);
    let mut head = format!("**{hashes} {}**", h.title);
    match spec {
        Some((_, 0)) => head.push_str(" · required by the team policy"),
        Some((_, 1)) => head.push_str(" · recommended section"),
        _ => {}
    }
    parts.push(head);
    if let Some((s, _)) = spec {
        if !s.doc.trim().is_empty() {
            parts.push(s.doc.trim_end().to_string());
        }
    }
    if let Some(p) = h.parent {
        let ph = &body.headings[p];
        parts.push(format!("Part of `{} {}`.", "#".repeat(ph.level as usize), ph.title));
    }
    // What the section holds.
    let children: Vec<&Heading> = body.headings.iter().filter(|x| x.parent == Some(idx)).collect();
    let items = list_items(text, body.section_content(h));
    let mut holds = Vec::new();
    if items > 0 {
        holds.push(format!("{items} list item{}", if items == 1 { "" } else { "s" }));
    }
    if !children.is_empty() {
        let names = children.iter().take(12).map(|c| format!("`{}`", c.title)).collect::<Vec<_>>().join(", ");
        let more = if children.len() > 12 { ", …" } else { "" };
        holds.push(format!(
            "{} subsection{} ({names}{more})",
            children.len(),
            if children.len() == 1 { "" } else { "s" }
        ));
    }
    if holds.is_empty() {
        let empty = text[body.section_content(h)].trim().is_empty();
        parts.push(if empty { "Holds: nothing yet.".into() } else { "Holds: prose.".into() });
    } else {
        parts.push(format!("Holds: {}.", holds.join(", ")));
    }
    if let Some(m) = mentions(a, h.section.clone()) {
        parts.push(m);
    }
    Some(Hover { span: h.span.clone(), markdown: parts.join("\n\n") })
}

/// The tools a section tells the agent to use, and whether the frontmatter grants each.
fn mentions(a: &Analysis, section: Span) -> Option<String> {
    let cat = a.catalog.as_deref()?;
    let dialect = a.detected?.dialect;
    let granted = granted_tools(a);
    let is_granted = |n: &str| granted.as_ref().is_none_or(|g| covers(cat, g, n));
    let mut seen: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    for (name, _) in tool_mentions(a, section) {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        let line = match resolve(cat, dialect, &name, false) {
            Resolved::Tool(t) if is_granted(&t.name) => format!("- `{name}`: granted"),
            Resolved::Tool(_) => format!("- `{name}`: **not granted** by `tools`"),
            Resolved::Foreign(other, ft) => match equivalent(cat, ft) {
                Some(e) if is_granted(&e.name) => {
                    format!(
                        "- `{name}`: a {} tool; the {} equivalent `{}` is granted",
                        other.display(),
                        dialect.display(),
                        e.name
                    )
                }
                Some(e) => format!(
                    "- `{name}`: a {} tool; the {} equivalent `{}` is **not granted**",
                    other.display(),
                    dialect.display(),
                    e.name
                ),
                None => format!("- `{name}`: a {} tool with no {} equivalent", other.display(), dialect.display()),
            },
            _ => continue,
        };
        lines.push(line);
    }
    if lines.is_empty() {
        return None;
    }
    let note = if granted.is_none() { " (no `tools` list: every tool is granted)" } else { "" };
    Some(format!("Tools mentioned{note}:\n{}", lines.join("\n")))
}
