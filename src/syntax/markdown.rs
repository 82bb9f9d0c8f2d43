//! The Markdown body: headings, sections and prose runs, with byte spans (pulldown-cmark).

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::{Body, Heading, Link};

pub(super) fn parse(text: &str, start: usize) -> Body {
    let src = &text[start..];
    // The frontmatter was cut off already; metadata blocks stay on so that a second `---` block
    // in the body is not read as a setext heading.
    let opts = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut headings: Vec<Heading> = Vec::new();
    let mut prose = Vec::new();
    let mut inline_code = Vec::new();
    let mut fences = Vec::new();
    let mut links = Vec::new();
    // While inside a heading: (level, heading span, title text, title start, title end).
    type Open = (u8, std::ops::Range<usize>, String, Option<usize>, usize);
    let mut in_heading: Option<Open> = None;
    let mut code_block = 0usize;
    let mut metadata = 0usize;
    for (ev, r) in Parser::new_ext(src, opts).into_offset_iter() {
        let r = start + r.start..start + r.end;
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                in_heading = Some((level as u8, r.clone(), String::new(), None, r.start));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, span, title, tstart, tend)) = in_heading.take() {
                    let span = trim_line_end(text, span);
                    let title_span = match tstart {
                        Some(s) => s..tend,
                        None => span.end..span.end,
                    };
                    headings.push(Heading {
                        level,
                        title: title.trim().to_string(),
                        title_span,
                        span: span.clone(),
                        section: span.start..text.len(),
                        parent: None,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                code_block += 1;
                if matches!(kind, CodeBlockKind::Fenced(_)) {
                    fences.push(r);
                }
            }
            Event::End(TagEnd::CodeBlock) => code_block = code_block.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) if metadata == 0 => {
                let src = &text[r.clone()];
                let dest_span = match src.rfind(dest_url.as_ref()) {
                    Some(i) if !dest_url.is_empty() => r.start + i..r.start + i + dest_url.len(),
                    _ => r.clone(),
                };
                links.push(Link { dest: dest_url.to_string(), dest_span });
            }
            Event::Start(Tag::MetadataBlock(_)) => metadata += 1,
            Event::End(TagEnd::MetadataBlock(_)) => metadata = metadata.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_heading.is_some() => {
                let h = in_heading.as_mut().expect("checked");
                h.2.push_str(&t);
                h.3.get_or_insert(r.start);
                h.4 = r.end;
            }
            Event::Text(_) if code_block == 0 && metadata == 0 => prose.push(r),
            Event::Code(_) => {
                let s = &text[r.clone()];
                let ticks = s.len() - s.trim_start_matches('`').len();
                let inner = r.start + ticks..r.end.saturating_sub(ticks).max(r.start + ticks);
                inline_code.push(inner);
            }
            _ => {}
        }
    }
    // Sections run to the next heading of the same or a higher level; parents are the nearest
    // earlier heading of a lower level.
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..headings.len() {
        let level = headings[i].level;
        while let Some(&top) = stack.last() {
            if headings[top].level >= level {
                headings[top].section.end = headings[i].span.start;
                stack.pop();
            } else {
                break;
            }
        }
        headings[i].parent = stack.last().copied();
        stack.push(i);
    }
    Body { span: start..text.len(), headings, prose, inline_code, fences, links }
}

/// Drops the line break at the end of a heading's range.
fn trim_line_end(text: &str, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let s = &text[r.clone()];
    let trimmed = s.trim_end_matches(['\n', '\r']);
    r.start..r.start + trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_nest() {
        let t = "intro\n## A\ntext\n### A1\nx\n## B\n```\n## not a heading\n```\n";
        let b = parse(t, 0);
        let titles: Vec<_> = b.headings.iter().map(|h| (h.level, h.title.as_str(), h.parent)).collect();
        assert_eq!(titles, [(2, "A", None), (3, "A1", Some(0)), (2, "B", None)]);
        assert_eq!(&t[b.headings[0].span.clone()], "## A");
        assert_eq!(&t[b.headings[0].title_span.clone()], "A");
        assert_eq!(&t[b.headings[0].section.clone()], "## A\ntext\n### A1\nx\n");
        assert_eq!(&t[b.headings[2].section.clone()], "## B\n```\n## not a heading\n```\n");
        assert!(b.prose.iter().all(|r| !t[r.clone()].contains("not a heading")));
        assert_eq!(b.fences.iter().map(|r| &t[r.clone()]).collect::<Vec<_>>(), ["```\n## not a heading\n```"]);
    }

    #[test]
    fn inline_code_and_offsets() {
        let t = "---\nx: 1\n---\nUse `Bash` via Bash.\n## T `c` é\n";
        let b = parse(t, 13);
        assert_eq!(&t[b.inline_code[0].clone()], "Bash");
        assert_eq!(b.headings[0].title, "T c é");
        assert_eq!(&t[b.headings[0].title_span.clone()], "T `c` é");
    }
}
