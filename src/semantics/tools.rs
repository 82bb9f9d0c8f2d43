//! Tools as the file grants and denies them: how a name resolves in the dialect (its catalog
//! entry, a category, an MCP tool, another dialect's tool), which key grants and which denies,
//! the granted list, and whether that list covers a tool.

use crate::analysis::Analysis;
use crate::catalog::{self, Catalog, ToolSpec, ToolsForm};
use crate::dialect::Dialect;
use crate::semantics::patterns::regex_is_match;
use crate::tools::{Shape, ToolList};

/// Whether a tools key grants the tools it lists (`tools`, `allowed-tools`) or denies them
/// (`disallowedTools`, `disallowed-tools`).
pub fn key_grants(key: &str) -> bool {
    !key.get(..10).is_some_and(|p| p.eq_ignore_ascii_case("disallowed"))
}

/// How one tool name resolves in a dialect.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved<'c> {
    Tool(&'c ToolSpec),
    Category,
    Mcp,
    /// An MCP-looking name that does not follow the dialect's pattern.
    BadMcp,
    /// A tool of another dialect, with its spec there.
    Foreign(Dialect, &'static ToolSpec),
    Unknown,
}

/// Resolves a tool name against a catalog. `whole_value` is true when the name is the entire
/// tools value (where a category name is accepted).
pub fn resolve<'c>(cat: &'c Catalog, dialect: Dialect, name: &str, whole_value: bool) -> Resolved<'c> {
    if let Some(t) = cat.tool(name) {
        return Resolved::Tool(t);
    }
    if whole_value && cat.tools_forms.contains(&ToolsForm::Category) && cat.category(name).is_some() {
        return Resolved::Category;
    }
    // `search/codbase` is a mistyped Copilot tool-set member, not an MCP server `search`.
    let set_member =
        name.split_once('/').is_some_and(|(set, _)| cat.category(set).is_some() || cat.tool(set).is_some());
    if !set_member && cat.mcp.patterns.iter().any(|p| regex_is_match(p, name) == Some(true)) {
        return Resolved::Mcp;
    }
    if !set_member && cat.mcp.markers.iter().any(|m| name.contains(m.as_str())) {
        return Resolved::BadMcp;
    }
    for other in Dialect::ALL.into_iter().filter(|d| *d != dialect) {
        let oc = catalog::builtin(other);
        // Only exact (case-sensitive) names count as another dialect's tool: `read` is not `Read`.
        if let Some(t) = oc.tools.iter().find(|t| t.name == name) {
            return Resolved::Foreign(other, t);
        }
    }
    Resolved::Unknown
}

/// This dialect's equivalent of another dialect's tool, through the shared concept.
pub fn equivalent<'c>(cat: &'c Catalog, foreign: &ToolSpec) -> Option<&'c ToolSpec> {
    cat.tool_for_concept(foreign.concept.as_deref()?)
}

/// The tools a file's frontmatter grants (its first allow-list key), when that is a readable list.
pub fn granted_tools<'a>(a: &'a Analysis) -> Option<&'a ToolList> {
    let fm = a.parsed.frontmatter.as_ref()?;
    let cat = a.catalog.as_deref()?;
    cat.tool_keys
        .iter()
        .filter(|k| key_grants(k))
        .find_map(|k| fm.get(k))
        .and_then(|e| a.tool_list(e))
        .filter(|l| !matches!(l.shape, Shape::Empty | Shape::Other | Shape::Map))
}

/// True when the tool list grants `name` directly, by alias, or through a category, or when the
/// loader grants it to every agent anyway.
pub fn covers(cat: &Catalog, list: &ToolList, name: &str) -> bool {
    cat.tool(name).is_some_and(|t| t.always_granted)
        || list.items.iter().any(|i| {
            let same = if cat.tools_case_insensitive { i.name.eq_ignore_ascii_case(name) } else { i.name == name };
            same || cat.tool(&i.name).is_some_and(|t| t.name == name)
                || cat.category(&i.name).is_some_and(|c| c.tools.iter().any(|t| t == name))
                || i.name == "*"
        })
}
