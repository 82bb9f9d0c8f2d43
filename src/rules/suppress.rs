//! Inline suppression: `<!-- agentls-disable RULE ... -->` (Markdown) or `# agentls-disable RULE`
//! (YAML) turns rules off for the whole file; `agentls-disable-next-line RULE` for the next line
//! only. Without rule codes, every rule is turned off. Codes are separated by spaces or commas.

use crate::diagnostic::Diagnostic;
use crate::text::LineIndex;

const MARK: &str = "agentls-disable";

pub(super) fn apply(text: &str, diags: &mut Vec<Diagnostic>) {
    if diags.is_empty() || memchr::memmem::find(text.as_bytes(), MARK.as_bytes()).is_none() {
        return;
    }
    let idx = LineIndex::new(text);
    // (line it applies to or None for the whole file, codes; empty = all)
    let mut rules: Vec<(Option<usize>, Vec<String>)> = Vec::new();
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
        let line = next_line.then(|| idx.line_of(at) + 1);
        rules.push((line, codes));
    }
    diags.retain(|d| {
        let line = idx.line_of(d.span.start);
        !rules.iter().any(|(l, codes)| {
            l.is_none_or(|l| l == line) && (codes.is_empty() || codes.iter().any(|c| c == d.code.as_str()))
        })
    });
}
