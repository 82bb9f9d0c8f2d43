//! Porting an agent to another product: reads a file of one dialect into a neutral [`Agent`]
//! (tools as concepts, the model as a model of `data/port.yaml`, settings by concept), writes it in
//! another dialect's keys, tool names, model ids and list shapes, at the path that product loads it
//! from, and says what changed or was lost. Pure: no I/O, no LSP types; `cli::port` and `ide` call it.

pub mod data;
mod read;
pub mod report;
mod write;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Span};
use crate::dialect::Dialect;

pub use read::read;

/// What a note says happened to one part of the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// A key written under another name.
    KeyRenamed,
    /// A key the target has no counterpart for.
    KeyDropped,
    /// A key the port adds (OpenCode's `mode: subagent`, a description taken from the body).
    KeyAdded,
    /// A tool written under the target's name or shape.
    ToolMapped,
    /// A tool the target has no equivalent for, or one the source product does not give: left out.
    ToolDropped,
    /// The model written under the target's id.
    ModelMapped,
    /// The model the target does not offer: left out.
    ModelDropped,
    /// A tool mention in the body, rewritten to the target's name.
    BodyRewritten,
    /// A tool mention in the body left as it is: a person should read the sentence.
    BodyReview,
}

impl NoteKind {
    /// True when the note reports something the target agent loses or does differently.
    pub fn is_loss(self) -> bool {
        matches!(self, NoteKind::KeyDropped | NoteKind::ToolDropped | NoteKind::ModelDropped | NoteKind::BodyReview)
    }
}

/// One thing the port did or could not do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    /// What the note is about in the source: a key, a tool, a model id.
    pub subject: String,
    pub message: String,
    /// The culprit in the source file, when there is one.
    #[serde(skip)]
    pub span: Option<Span>,
    /// True when the source product already loses it (a tool it does not give, a key it does not
    /// read): not something the port loses.
    #[serde(skip)]
    pub in_source: bool,
}

impl Note {
    fn new(kind: NoteKind, subject: impl Into<String>, span: Option<Span>, message: impl Into<String>) -> Note {
        Note { kind, subject: subject.into(), message: message.into(), span, in_source: false }
    }
}

/// One tool the agent wants, in no dialect's terms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Want {
    /// A tool by its concept (`shell`, `read-file`).
    Concept(String),
    /// An MCP tool of a server; `None` for every tool of the server.
    Mcp { server: String, tool: Option<String> },
}

/// One tool entry of the source, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub want: Want,
    /// The name as written in the source.
    pub from: String,
    pub span: Option<Span>,
}

/// Which tools the agent gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// Every tool (no tools key, `*`, OpenCode without a deny-all).
    All,
    /// Only these.
    List(Vec<Wanted>),
}

/// The model the agent runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Model {
    /// No model key: the product's default.
    Unset,
    /// `inherit`: the parent's model.
    Inherit,
    /// A model of the porting table (by its id there), as written.
    Known { id: String, written: String, alias: bool, span: Span },
    /// A model the table does not know.
    Other { written: String, span: Span },
}

/// A setting carried over by concept (`max-turns`, `reasoning-effort`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub concept: String,
    pub key: String,
    pub value: String,
    pub span: Span,
}

/// An agent in no dialect's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub dialect: Dialect,
    /// The identifier: the `name` key, or the file name.
    pub name: String,
    /// Copilot's free-form display name, when the source has one that is not an identifier.
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub model: Model,
    pub grant: Grant,
    /// Tools taken away from an `All` grant (Claude's `disallowedTools`, OpenCode's `deny`).
    pub deny: Vec<Wanted>,
    pub settings: Vec<Setting>,
    /// The body's byte range in the source.
    pub body: Span,
    /// What reading lost already: tools the source product does not give, keys it does not read, ...
    pub notes: Vec<Note>,
    /// Top-level keys of the source with no counterpart anywhere: (key, span).
    pub other_keys: Vec<(String, Span)>,
}

impl Agent {
    /// The tool concepts the agent is granted (`None` for every tool), for comparing two agents.
    pub fn concepts(&self) -> Option<BTreeSet<Want>> {
        match &self.grant {
            Grant::All => None,
            Grant::List(l) => Some(l.iter().map(|w| w.want.clone()).collect()),
        }
    }

    /// The granted tools with the name each was written as in the source.
    pub fn grant_names(&self) -> Vec<(Want, String)> {
        match &self.grant {
            Grant::All => Vec::new(),
            Grant::List(l) => l.iter().map(|w| (w.want.clone(), w.from.clone())).collect(),
        }
    }

    /// The model's id in the porting table (`None` when unset, inherited or unknown).
    pub fn model_id(&self) -> Option<&str> {
        match &self.model {
            Model::Known { id, .. } => Some(id),
            _ => None,
        }
    }
}

/// The agent written for another product.
#[derive(Debug, Clone, Serialize)]
pub struct Ported {
    pub from: Dialect,
    pub to: Dialect,
    /// Where the target product loads it from, relative to the repository root.
    pub path: PathBuf,
    pub text: String,
    pub notes: Vec<Note>,
    /// Error-severity findings agentls still has on the result (filled in by `engine::port`; none,
    /// unless the source is broken beyond what a port repairs).
    #[serde(skip)]
    pub errors: Vec<Diagnostic>,
}

/// Why a file cannot be ported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortError {
    /// The dialect of the source is not known.
    UnknownDialect,
    /// The source is already of the target dialect.
    SameDialect(Dialect),
}

impl std::fmt::Display for PortError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortError::UnknownDialect => f.write_str(
                "the file's dialect is not known (put it under .claude/agents/, .factory/droids/, .github/agents/ or \
                 .opencode/agents/, or pass --dialect)",
            ),
            PortError::SameDialect(d) => write!(f, "the file is already {}", d.a_noun()),
        }
    }
}

impl std::error::Error for PortError {}

/// The file name a product loads an agent called `slug` from, relative to the repository root.
pub fn target_path(target: Dialect, slug: &str) -> PathBuf {
    match target {
        Dialect::Claude => PathBuf::from(format!(".claude/agents/{slug}.md")),
        Dialect::Factory => PathBuf::from(format!(".factory/droids/{slug}.md")),
        Dialect::Copilot => PathBuf::from(format!(".github/agents/{slug}.agent.md")),
        Dialect::Opencode => PathBuf::from(format!(".opencode/agents/{slug}.md")),
    }
}

/// The repository root of an agent file: the folder holding its `.claude`, `.factory`, `.github` or
/// `.opencode` folder; else the file's own folder.
pub fn repo_root(path: &Path) -> PathBuf {
    let dirs = [".claude", ".factory", ".github", ".opencode"];
    let mut cur = path.parent();
    while let Some(p) = cur {
        if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| dirs.contains(&n)) {
            return p.parent().map(Path::to_path_buf).unwrap_or_default();
        }
        cur = p.parent();
    }
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// An identifier every product accepts: lowercase letters, digits and `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "agent".to_string()
    } else {
        out
    }
}

/// Ports the analysed file to `target`, without checking the result ([`Ported::errors`] is empty):
/// `engine::port` checks it with the rules, which sit above this module.
pub fn port(a: &Analysis, target: Dialect) -> Result<Ported, PortError> {
    let detected = a.detected.ok_or(PortError::UnknownDialect)?;
    if detected.dialect == target {
        return Err(PortError::SameDialect(target));
    }
    let agent = read(a);
    let (text, slug, mut notes) = write::write(a, &agent, target);
    let mut all: Vec<Note> = agent.notes.iter().cloned().map(|n| Note { in_source: true, ..n }).collect();
    all.append(&mut notes);
    let path = target_path(target, &slug);
    Ok(Ported { from: detected.dialect, to: target, path, text, notes: all, errors: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_roots() {
        assert_eq!(slug("API Architect"), "api-architect");
        assert_eq!(slug("  --x__y--  "), "x-y");
        assert_eq!(slug("日本"), "agent");
        assert_eq!(repo_root(Path::new("/r/.claude/agents/sub/a.md")), PathBuf::from("/r"));
        assert_eq!(repo_root(Path::new(".factory/droids/a.md")), PathBuf::from(""));
        assert_eq!(repo_root(Path::new("/x/y/a.md")), PathBuf::from("/x/y"));
    }
}
