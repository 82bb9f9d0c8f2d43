//! How two heading titles compare: equal when they differ only in case, surrounding blanks,
//! repeated inner blanks and a trailing colon (as docs/policy.md promises). The one comparison
//! under the policy's section merging and `semantics::sections`.

/// The comparison form of a title: trimmed, a trailing colon dropped, inner blanks collapsed.
/// Yields the characters lowercased, without allocating.
fn key(s: &str) -> impl Iterator<Item = char> + '_ {
    let s = s.trim().trim_end_matches(':').trim_end();
    let mut words = s.split_whitespace().peekable();
    std::iter::from_fn(move || {
        let w = words.next()?;
        let sep = words.peek().is_some().then_some(' ');
        Some(w.chars().flat_map(char::to_lowercase).chain(sep))
    })
    .flatten()
}

/// The comparison key as a string, for sets and maps of titles.
pub fn normalize_title(s: &str) -> String {
    key(s).collect()
}

/// Whether two titles name the same section.
pub fn titles_match(a: &str, b: &str) -> bool {
    key(a).eq(key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_blanks_and_a_trailing_colon_do_not_matter() {
        for h in
            ["Core Purpose", "core purpose", "CORE PURPOSE", "  Core   Purpose ", "Core Purpose:", "Core\tPurpose :"]
        {
            assert!(titles_match("Core Purpose", h), "{h:?}");
        }
        assert!(titles_match("Résumé", "RÉSUMÉ"));
    }

    #[test]
    fn other_words_do_not_match() {
        for h in ["Core Purposes", "CorePurpose", "Core Purpose: more", "Core", "Purpose Core", ""] {
            assert!(!titles_match("Core Purpose", h), "{h:?}");
        }
        assert!(titles_match("", "  :"));
    }

    #[test]
    fn the_key_is_what_matching_compares() {
        assert_eq!(normalize_title("  Core   PURPOSE: "), "core purpose");
    }
}
