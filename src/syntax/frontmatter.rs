//! Finding the frontmatter block and parsing its YAML.
use super::{Frontmatter, Problem};

/// The YAML text of the frontmatter, if the file starts with one (cheap; no YAML parsing).
pub fn frontmatter_text(_text: &str) -> Option<&str> {
    None
}

pub(super) fn parse(_text: &str, _bom: usize, _problems: &mut Vec<Problem>) -> Option<Frontmatter> {
    None
}
