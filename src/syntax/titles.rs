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

/// Whether two titles name the same section. Runs for every heading against every section of
/// the policy in every file checked, so ASCII titles (nearly all) are compared byte by byte.
pub fn titles_match(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        ascii_titles_match(trimmed(a).as_bytes(), trimmed(b).as_bytes())
    } else {
        key(a).eq(key(b))
    }
}

/// A title without surrounding blanks and a trailing colon.
fn trimmed(s: &str) -> &str {
    s.trim().trim_end_matches(':').trim_end()
}

/// `key(a) == key(b)` for ASCII text already [`trimmed`]: blanks collapse, case does not count.
fn ascii_titles_match(a: &[u8], b: &[u8]) -> bool {
    // The blanks `char::is_whitespace` knows in ASCII (vertical tab included, unlike
    // `u8::is_ascii_whitespace`), so both paths split words alike.
    let blank = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        match (blank(x), blank(y)) {
            (true, true) => {
                while i < a.len() && blank(a[i]) {
                    i += 1;
                }
                while j < b.len() && blank(b[j]) {
                    j += 1;
                }
            }
            (false, false) if x.eq_ignore_ascii_case(&y) => {
                i += 1;
                j += 1;
            }
            _ => return false,
        }
    }
    i == a.len() && j == b.len()
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
    fn the_ascii_path_agrees_with_the_general_one() {
        let titles = [
            "Core Purpose",
            "core  purpose:",
            " CORE\x0BPURPOSE ",
            "Core Purposes",
            "Core",
            "",
            ":",
            "a b",
            "ab",
            "A  B :",
        ];
        for a in titles {
            for b in titles {
                assert_eq!(titles_match(a, b), key(a).eq(key(b)), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn the_key_is_what_matching_compares() {
        assert_eq!(normalize_title("  Core   PURPOSE: "), "core purpose");
    }
}
