//! Compiled patterns shared by the rules and the editor features: regexes from the catalogs and
//! the policy (MCP names, model ids, name forms), compiled once and cached.

/// Matches with a cached compiled regex; `None` when the pattern does not compile.
pub fn regex_is_match(pattern: &str, s: &str) -> Option<bool> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if map.len() > 256 {
        map.clear();
    }
    let re = map.entry(pattern.to_string()).or_insert_with(|| regex::Regex::new(pattern).ok());
    re.as_ref().map(|r| r.is_match(s))
}
