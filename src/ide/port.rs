//! "Port to Factory droid / Claude Code / Copilot / OpenCode": the file each other product would
//! load, offered on the frontmatter of an agent file (the protocol edge turns it into a new file).

use std::path::PathBuf;

use crate::analysis::Analysis;
use crate::diagnostic::Span;
use crate::dialect::{Dialect, FileKind};
use crate::port;

use super::Hover;

/// A new file for another product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortAction {
    pub title: String,
    pub target: Dialect,
    /// Where the target product loads it from, relative to the repository root.
    pub path: PathBuf,
    pub text: String,
}

fn title(d: Dialect) -> &'static str {
    match d {
        Dialect::Claude => "Port to Claude Code",
        Dialect::Factory => "Port to Factory droid",
        Dialect::Copilot => "Port to Copilot",
        Dialect::Opencode => "Port to OpenCode",
    }
}

/// One action per other dialect, when `range` touches the frontmatter of an agent file.
pub fn port_actions(a: &Analysis, range: Span) -> Vec<PortAction> {
    let Some(det) = a.detected.filter(|d| d.kind == FileKind::Agent) else { return Vec::new() };
    let Some(fm) = a.parsed.frontmatter.as_ref() else { return Vec::new() };
    if range.start > fm.span.end || range.end < fm.span.start {
        return Vec::new();
    }
    Dialect::ALL
        .into_iter()
        .filter(|d| *d != det.dialect)
        .filter_map(|d| port::port(a, d).ok())
        .map(|p| PortAction { title: title(p.to).to_string(), target: p.to, path: p.path, text: p.text })
        .collect()
}

/// The portability report, on hover over the opening `---` of the frontmatter.
/// The largest file whose portability report the fence hover computes.
const MAX_REPORT_BYTES: usize = 256 * 1024;

pub(super) fn fence_hover(a: &Analysis, offset: usize) -> Option<Hover> {
    let fm = a.parsed.frontmatter.as_ref()?;
    if offset < fm.open.start || offset > fm.open.end {
        return None;
    }
    // The report ports the whole file to every product; on a huge file (a 10 MB body) that would
    // hold the hover for seconds, so it is left to `agentls check --portability` there.
    if a.text.len() > MAX_REPORT_BYTES {
        return None;
    }
    let r = port::report::report(a)?;
    Some(Hover { span: fm.open.clone(), markdown: r.markdown() })
}
