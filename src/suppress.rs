//! Inline suppression: `<!-- agentls-disable RULE ... -->` (Markdown) or `# agentls-disable RULE`
//! (YAML) turns rules off for the whole file; `agentls-disable-next-line RULE` for the next line
//! only. Without rule codes, every rule is turned off. Codes are separated by spaces or commas.
//! The per-file rules apply them directly; the workspace index keeps each file's [`Suppressions`]
//! so that cross-file findings obey the same comments.

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::text::LineIndex;

const MARK: &str = "agentls-disable";

/// Built once: a search for the mark is made twice per checked file, and building its searcher
/// each time cost more than the search.
static MARK_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(MARK));

/// The suppression comments of one file: each with the bytes of the line it applies to
/// (`None`: the whole file; a comment on the last line applies to an empty range past the end) and its rule codes (empty: every rule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressions(Vec<(Option<Range<usize>>, Vec<String>)>);

impl Suppressions {
    /// Reads the comments of `text` (cheap when there are none).
    pub fn parse(text: &str) -> Suppressions {
        if MARK_FINDER.find(text.as_bytes()).is_none() {
            return Suppressions::default();
        }
        let idx = LineIndex::new(text);
        let mut rules = Vec::new();
        let mut from = 0;
        while let Some(p) = text[from..].find(MARK) {
            let at = from + p;
            from = at + MARK.len();
            let rest = &text[from..];
            let (next_line, rest) = match rest.strip_prefix("-next-line") {
                Some(r) => (true, r),
                None => (false, rest),
            };
            if !rest.starts_with([' ', '\t', '\n', '\r']) && !rest.starts_with("-->") && !rest.is_empty() {
                continue;
            }
            let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            let args = rest[..end].split("-->").next().unwrap_or("");
            let codes: Vec<String> = args
                .split([' ', ',', '\t'])
                .map(str::trim)
                .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'))
                .map(String::from)
                .collect();
            // The next line's bytes, its line break included (as `LineIndex::line_of` counts them).
            let line = next_line.then(|| {
                let l = idx.line_of(at) + 1;
                let end = if l + 1 < idx.line_count() { idx.line_start(l + 1) } else { text.len() + 1 };
                idx.line_start(l).min(end)..end
            });
            rules.push((line, codes));
        }
        Suppressions(rules)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a comment turns `d` off: one for the whole file, or one for the line `d` starts on.
    pub fn hides(&self, d: &Diagnostic) -> bool {
        self.0.iter().any(|(line, codes)| {
            line.as_ref().is_none_or(|r| r.contains(&d.span.start))
                && (codes.is_empty() || codes.iter().any(|c| c == d.code.as_str()))
        })
    }
}

/// Drops the diagnostics `text`'s comments turn off.
pub fn apply(text: &str, diags: &mut Vec<Diagnostic>) {
    if diags.is_empty() {
        return;
    }
    let s = Suppressions::parse(text);
    if !s.is_empty() {
        diags.retain(|d| !s.hides(d));
    }
}
