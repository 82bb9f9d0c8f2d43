//! Rules about tool lists: unknown tools (did-you-mean), tools of another dialect (with this
//! dialect's equivalent), deprecated, removed and unavailable tools, duplicates, tools both
//! allowed and disallowed, malformed MCP names, shapes the loader misreads, the policy's
//! denied and allowed tools, and the conditions of `data/conditions.yaml` that remove a listed
//! tool (Claude Code's subagent and background filters, ...). A policy's `products:` version
//! selects the facts: a tool added later is unknown to the team, a status newer than it is not
//! yet in force.

use std::collections::HashSet;

use super::{did_you_mean, fix, Ctx};
use crate::catalog::{at_version, product_name, AtVersion, Catalog, Status, ToolSpec, ToolsForm};
use crate::diagnostic::{Fix, Severity, Span, TextEdit};
use crate::dialect::Dialect;
use crate::registry::RuleCode;
use crate::semantics::conditions::{governs_tool, tool_removed, Kind};
use crate::semantics::tools::{equivalent, resolve, Resolved};
use crate::tools::{Item, Shape, ToolList};

/// The names in a list, for lookups in constant time: a list may hold thousands of items, and a
/// scan of the list for each of them would be quadratic.
type Listed<'l> = HashSet<&'l str>;

/// A fix that replaces item `i` by `new`, or removes it when `new` is already `listed`.
fn replace_or_remove(list: &ToolList, listed: &Listed, text: &str, i: usize, new: &str, safe: bool) -> Fix {
    let name = &list.items[i].name;
    if listed.contains(new) {
        Fix { title: format!("Remove `{name}` (`{new}` is already listed)"), edits: vec![list.removal(text, i)], safe }
    } else {
        fix(format!("Replace `{name}` with `{new}`"), list.items[i].span.clone(), new, safe)
    }
}

fn removal(list: &ToolList, text: &str, i: usize, safe: bool) -> Fix {
    Fix { title: format!("Remove `{}`", list.items[i].name), edits: vec![list.removal(text, i)], safe }
}

pub(super) fn check(cx: &mut Ctx) {
    let (Some(cat), Some(dialect)) = (cx.catalog(), cx.dialect()) else { return };
    let Some(fm) = cx.a.parsed.frontmatter.as_ref() else { return };
    let a = cx.a;
    let mut granted: Option<&ToolList> = None;
    let mut denied: Option<&ToolList> = None;
    for entry in fm.entries() {
        let Some(key) = entry.key.as_str() else { continue };
        // Every tool-list key of the catalog, read once for all the rules.
        let Some(list) = a.tool_list(entry) else { continue };
        let allows = crate::semantics::tools::key_grants(key);
        check_shape(cx, cat, dialect, key, &entry.key.span, list);
        check_items(cx, cat, dialect, list, allows);
        if allows {
            granted.get_or_insert(list);
        } else {
            denied.get_or_insert(list);
        }
    }
    if let (Some(g), Some(d)) = (&granted, &denied) {
        let g: Listed = g.items.iter().map(|it| it.name.as_str()).collect();
        for it in &d.items {
            if g.contains(it.name.as_str()) {
                cx.emit(
                    RuleCode::ToolConflict,
                    it.span.clone(),
                    format!("`{}` is both allowed and disallowed; the deny list wins, so it is not available", it.name),
                );
            }
        }
    }
}

fn form_of(list: &ToolList, cat: &Catalog, text: &str) -> Option<ToolsForm> {
    match list.shape {
        Shape::CommaString
            if list.items.len() > 1 && cat.tools_forms.contains(&ToolsForm::SpaceString) && {
                // Commas inside a pattern (`Bash(git add, commit)`) do not make a comma string.
                let (first, last) = (&list.items[0], &list.items[list.items.len() - 1]);
                !text[first.item_span.start..last.item_span.end].split(['(', ')']).step_by(2).any(|p| p.contains(','))
            } =>
        {
            Some(ToolsForm::SpaceString)
        }
        Shape::FlowList => Some(ToolsForm::FlowList),
        Shape::BlockList => Some(ToolsForm::BlockList),
        Shape::CommaString if list.items.len() == 1 && cat.category(&list.items[0].name).is_some() => {
            Some(ToolsForm::Category)
        }
        Shape::CommaString => Some(ToolsForm::CommaString),
        Shape::Map => Some(ToolsForm::Map),
        Shape::Empty | Shape::Other => None,
    }
}

fn check_shape(cx: &mut Ctx, cat: &Catalog, dialect: Dialect, key: &str, key_span: &Span, list: &ToolList) {
    let accepted = || cat.tools_forms.iter().map(|f| f.describe()).collect::<Vec<_>>().join(" or ");
    match list.shape {
        Shape::Other => {
            let v = cx.text[list.span.clone()].trim().to_string();
            cx.emit_at(
                RuleCode::ToolsForm,
                Severity::Error,
                list.span.clone(),
                format!(
                    "`{key}: {v}` is not a tool list: loaders read it as a tool named \"{v}\" or fail; write {}",
                    accepted()
                ),
            );
        }
        Shape::Empty => {
            // What each loader makes of `tools:` with nothing after it (data/loaders.yaml).
            let target = cx.a.parsed.frontmatter.as_ref().and_then(|f| f.get("target")).and_then(|e| e.value.as_str());
            let v = crate::loader::judge(dialect, target, crate::loader::Case::EmptyTools);
            let none = if dialect == Dialect::Copilot { "; write `[]` for no tools" } else { "" };
            let msg = match v.severity {
                Some(_) => format!("`{key}` has no value: {}{none}", v.say()),
                None => format!("`{key}` has no value{none}"),
            };
            let sev = v.severity.unwrap_or_else(|| cx.default_severity(RuleCode::ToolsForm));
            cx.emit_at(RuleCode::ToolsForm, sev, key_span.clone(), msg);
        }
        _ => {
            let Some(form) = form_of(list, cat, cx.text) else { return };
            if !cat.tools_forms.is_empty() && !cat.tools_forms.contains(&form) {
                cx.emit(
                    RuleCode::ToolsForm,
                    list.span.clone(),
                    format!("{} reads `{key}` as {}, not as {}", cx.a_noun(), accepted(), form.describe()),
                );
            }
            if list.shape == Shape::Map {
                for it in list.items.iter().filter(|i| i.enabled.is_none()) {
                    cx.emit(
                        RuleCode::WrongType,
                        it.item_span.clone(),
                        format!("`{}` must be set to `true` or `false`", it.name),
                    );
                }
            }
        }
    }
}

fn check_items(cx: &mut Ctx, cat: &Catalog, dialect: Dialect, list: &ToolList, allows: bool) {
    let text = cx.text;
    let whole = list.shape == Shape::CommaString && list.items.len() == 1;
    let listed: Listed = list.items.iter().map(|it| it.name.as_str()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    for (i, it) in list.items.iter().enumerate() {
        let Item { name, span, .. } = it;
        let span = span.clone();
        let folded = if cat.tools_case_insensitive { name.to_ascii_lowercase() } else { name.clone() };
        // `Bash(git status:*), Bash(git diff:*)` grant two commands: the same tool with other
        // arguments is not a duplicate.
        let args = text.get(it.span.end..it.item_span.end).unwrap_or("").trim_matches(|c| c == '"' || c == '\'');
        if !seen.insert(format!("{folded}{args}")) {
            if let Some(d) =
                cx.emit(RuleCode::DuplicateTool, span.clone(), format!("`{name}` is listed more than once"))
            {
                d.fixes.push(removal(list, text, i, true));
            }
            continue;
        }
        match resolve(cat, dialect, name, whole) {
            Resolved::Tool(t) => {
                let stated = cx.a.policy.product_version(&cat.product);
                if at_version(t.added.as_deref(), None, stated) == AtVersion::NotYet {
                    let (added, team) = (t.added.as_deref().unwrap_or(""), stated.unwrap_or(""));
                    let product = product_name(&cat.product);
                    let msg = format!(
                        "`{name}` is not a tool of {product} {team}, the version the team policy gives (`products`): it was added in {added}"
                    );
                    cx.emit(RuleCode::UnknownTool, span.clone(), msg);
                } else if let Some(hit) = allows.then(|| tool_removed(cx.a, cat, dialect, t, span.clone())).flatten() {
                    // The condition decides, and says more than the catalog's status would. Removing
                    // a tool the subagent filter always takes changes nothing: a safe fix; one the
                    // background filter takes (an environment variable can force the foreground):
                    // on request; one withheld only at the depth limit: none.
                    let sev = hit.severity;
                    let safe = sev == Severity::Error && hit.condition.kind == Kind::RemovesTools;
                    if let Some(d) = cx.emit_at(hit.condition.rule, sev, hit.span, hit.message) {
                        if sev <= Severity::Warning {
                            d.fixes.push(removal(list, text, i, safe));
                        }
                    }
                } else if !(t.status == Status::Unavailable && governs_tool(dialect, &t.name)) {
                    tool_status(cx, list, &listed, i, t, stated);
                }
            }
            Resolved::Category | Resolved::Mcp => {}
            Resolved::BadMcp => {
                let form = cat.mcp.doc.clone();
                cx.emit(
                    RuleCode::MalformedMcpTool,
                    span.clone(),
                    format!("`{name}` looks like an MCP tool but is not in {}'s form: {form}", dialect.display()),
                );
            }
            Resolved::Foreign(other, ft) => {
                let eq = equivalent(cat, ft).map(|t| t.name.clone());
                let msg = match &eq {
                    Some(e) => {
                        format!("`{name}` is {} tool; {}'s equivalent is `{e}`", other.a_display(), cx.a_noun())
                    }
                    None => {
                        format!("`{name}` is {} tool, with no equivalent for {}", other.a_display(), cx.a_noun())
                    }
                };
                let f = match &eq {
                    Some(e) => replace_or_remove(list, &listed, text, i, e, true),
                    None => removal(list, text, i, false),
                };
                if let Some(d) = cx.emit(RuleCode::ForeignTool, span.clone(), msg) {
                    d.fixes.push(f);
                }
            }
            Resolved::Unknown => {
                let mut names: Vec<&str> = cat
                    .tools
                    .iter()
                    .filter(|t| t.status == Status::Current)
                    .flat_map(|t| std::iter::once(t.name.as_str()).chain(t.aliases.iter().map(String::as_str)))
                    .collect();
                if whole {
                    names.extend(cat.categories.iter().map(|c| c.name.as_str()));
                }
                // Copilot agents take tools of extensions and MCP servers that no catalog can list:
                // only a near miss of a built-in is likely a mistake.
                let suggestion = if dialect == Dialect::Copilot {
                    near_miss(name, names).map(str::to_string)
                } else {
                    did_you_mean(name, names).map(str::to_string)
                };
                let in_list_category = !whole && cat.category(name).is_some();
                let (severity, msg) = if in_list_category {
                    let m =
                        format!("`{name}` is a tool category; use it as the whole `tools` value, or list its tools");
                    (cx.default_severity(RuleCode::UnknownTool), m)
                } else {
                    match &suggestion {
                        Some(s) => (
                            cx.default_severity(RuleCode::UnknownTool),
                            format!("unknown tool `{name}` for {}; did you mean `{s}`?", cx.a_noun()),
                        ),
                        None if dialect == Dialect::Copilot => (
                            Severity::Info,
                            format!("`{name}` is not a built-in tool of VS Code or GitHub Copilot; provided by an extension or MCP server?"),
                        ),
                        None => (
                            cx.default_severity(RuleCode::UnknownTool),
                            format!("unknown tool `{name}` for {}", cx.a_noun()),
                        ),
                    }
                };
                if let Some(d) = cx.emit_at(RuleCode::UnknownTool, severity, span.clone(), msg) {
                    if let Some(s) = suggestion {
                        let safe = s.eq_ignore_ascii_case(name) && !cat.tools_case_insensitive;
                        d.fixes.push(replace_or_remove(list, &listed, text, i, &s, safe));
                    }
                }
            }
        }
        if allows {
            policy_checks(cx, cat, list, i, whole);
        }
    }
}

/// The built-in name within a small edit distance of `word` (case-insensitive), for a name that
/// is probably a typo rather than a tool of an extension or MCP server.
fn near_miss<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let w = word.to_ascii_lowercase();
    let limit = match w.chars().count() {
        0..=4 => 1,
        5..=10 => 2,
        _ => 3,
    };
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&w, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn tool_status(cx: &mut Ctx, list: &ToolList, listed: &Listed, i: usize, t: &ToolSpec, stated: Option<&str>) {
    let text = cx.text;
    let name = &list.items[i].name;
    let span = list.items[i].span.clone();
    let why = t.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
    let since = t.since.as_deref().map(|s| format!(" (since {s})")).unwrap_or_default();
    let noun = cx.dialect().map_or("this agent", |d| d.a_noun());
    match t.status.at(t.since.as_deref(), stated) {
        Status::Current => {}
        Status::Deprecated => {
            let msg = match &t.replacement {
                Some(r) => format!("`{name}` is deprecated{since}; use `{r}`{why}"),
                None => format!("`{name}` is deprecated{since}{why}"),
            };
            let f = t.replacement.as_deref().map(|r| replace_or_remove(list, listed, text, i, r, true));
            if let Some(d) = cx.emit(RuleCode::DeprecatedTool, span, msg) {
                d.fixes.extend(f);
            }
        }
        Status::Removed => {
            let msg = match &t.replacement {
                Some(r) => format!("`{name}` was removed{since}; use `{r}`{why}"),
                None => format!("`{name}` was removed{since}{why}"),
            };
            let f = match t.replacement.as_deref() {
                Some(r) => replace_or_remove(list, listed, text, i, r, true),
                None => removal(list, text, i, true),
            };
            if let Some(d) = cx.emit(RuleCode::RemovedTool, span, msg) {
                d.fixes.push(f);
            }
        }
        Status::Unavailable => {
            let msg = format!("`{name}` is not available to {noun}{why}");
            if let Some(d) = cx.emit(RuleCode::UnavailableTool, span, msg) {
                d.fixes.push(removal(list, text, i, true));
            }
        }
    }
}

fn policy_checks(cx: &mut Ctx, cat: &Catalog, list: &ToolList, i: usize, whole: bool) {
    let it = &list.items[i];
    // A category stands for its tools: check each member.
    let members: Vec<String> = match cat.category(&it.name).filter(|_| whole) {
        Some(c) => c.tools.clone(),
        None => vec![it.name.clone()],
    };
    let pol = &cx.a.policy;
    let denied: Vec<&String> = members.iter().filter(|m| pol.tool_denied(m)).collect();
    let not_allowed: Vec<&String> = members.iter().filter(|m| !pol.tool_allowed(m) && !pol.tool_denied(m)).collect();
    let text = cx.text;
    if !denied.is_empty() {
        let names = denied.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        let msg = format!("{names} is denied by the team policy");
        if let Some(d) = cx.emit(RuleCode::DeniedTool, it.span.clone(), msg) {
            d.fixes.push(Fix {
                title: format!("Remove `{}`", it.name),
                edits: vec![list.removal(text, i)],
                safe: false,
            });
        }
    }
    if !not_allowed.is_empty() {
        let names = not_allowed.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        let allow = pol.tools.allow.as_ref().map(|a| a.join(", ")).unwrap_or_default();
        let msg = format!("{names} is not in the team policy's allowed tools ({allow})");
        if let Some(d) = cx.emit(RuleCode::ToolNotAllowed, it.span.clone(), msg) {
            d.fixes.push(Fix {
                title: format!("Remove `{}`", it.name),
                edits: vec![TextEdit { ..list.removal(text, i) }],
                safe: false,
            });
        }
    }
}
