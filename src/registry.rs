//! The rule registry, at the bottom of the engine: typed rule codes generated from
//! `data/rules.yaml` at build time, severities, and each rule's metadata. It imports nothing from
//! `rules` or `policy`, so both can import it.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

include!(concat!(env!("OUT_DIR"), "/rule_codes.rs"));

/// How serious a finding is. Ordered from most to least severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

impl RuleCode {
    /// This rule's metadata.
    pub fn info(self) -> &'static RuleInfo {
        info(self)
    }
}

/// Codes order as their names do, so diagnostics sort as they did when codes were strings.
impl Ord for RuleCode {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RuleCode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Debug-prints as the quoted name, as the `&str` code did (snapshots show it).
impl fmt::Debug for RuleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for RuleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a rule code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRuleCode(pub String);

impl fmt::Display for UnknownRuleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown rule code `{}`", self.0)
    }
}

impl std::error::Error for UnknownRuleCode {}

impl FromStr for RuleCode {
    type Err = UnknownRuleCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleCode::from_name(s).ok_or_else(|| UnknownRuleCode(s.to_string()))
    }
}

impl PartialEq<str> for RuleCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<RuleCode> for &str {
    fn eq(&self, other: &RuleCode) -> bool {
        *self == other.as_str()
    }
}

impl AsRef<str> for RuleCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Serializes as the kebab-case name, so JSON and SARIF output read as before.
impl Serialize for RuleCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        RuleCode::from_name(&name).ok_or_else(|| serde::de::Error::custom(UnknownRuleCode(name.into_owned())))
    }
}

/// A rule's metadata.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleInfo {
    pub code: RuleCode,
    /// The severity when no policy says otherwise and the dialect has no severity of its own.
    pub severity: Severity,
    /// Dialects (by id, e.g. `factory`) whose default severity differs from `severity`. Keyed by
    /// id so the registry stays at the bottom, below `dialect`; `rules` checks every id is one.
    #[serde(default)]
    pub severity_by_dialect: BTreeMap<String, Severity>,
    /// One line.
    pub summary: String,
    /// Markdown: what the rule checks, why, and how to fix it.
    pub doc: String,
}

impl RuleInfo {
    /// The default severity in a dialect, given by its id (or without one).
    pub fn default_severity(&self, dialect: Option<&str>) -> Severity {
        dialect.and_then(|d| self.severity_by_dialect.get(d).copied()).unwrap_or(self.severity)
    }
}

/// Every rule, in the order of `data/rules.yaml` (and of [`RuleCode::ALL`]).
pub fn all() -> &'static [RuleInfo] {
    static RULES: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    RULES.get_or_init(|| {
        let rules: Vec<RuleInfo> = serde_yaml::from_str(include_str!("../data/rules.yaml"))
            .unwrap_or_else(|e| panic!("data/rules.yaml is invalid: {e}"));
        let codes: Vec<RuleCode> = rules.iter().map(|r| r.code).collect();
        assert!(codes == RuleCode::ALL, "data/rules.yaml does not list the codes build.rs generated, in order");
        rules
    })
}

/// A rule's metadata, by the code's index.
pub fn info(code: RuleCode) -> &'static RuleInfo {
    &all()[code as usize]
}

/// A rule's metadata by name, if the name is a rule code.
pub fn lookup(name: &str) -> Option<&'static RuleInfo> {
    RuleCode::from_name(name).map(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_data_in_order() {
        for (i, (r, c)) in all().iter().zip(RuleCode::ALL).enumerate() {
            assert_eq!(r.code, c, "entry {i}");
            assert_eq!(c as usize, i);
            assert_eq!(RuleCode::from_name(c.as_str()), Some(c));
            assert_eq!(c.as_str().parse::<RuleCode>(), Ok(c));
        }
        assert_eq!(all().len(), RuleCode::ALL.len());
        assert_eq!(RuleCode::from_name("no-such-rule"), None);
        assert!("no-such-rule".parse::<RuleCode>().is_err());
    }

    #[test]
    fn every_rule_is_documented() {
        for r in all() {
            assert!(!r.summary.is_empty() && r.doc.len() > 40, "{} needs a summary and a doc", r.code);
            assert!(
                r.code.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                r.code
            );
        }
    }

    #[test]
    fn codes_serialize_as_their_names() {
        let c = RuleCode::UnknownTool;
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"unknown-tool\"");
        assert_eq!(serde_json::from_str::<RuleCode>("\"unknown-tool\"").unwrap(), c);
        assert!(serde_json::from_str::<RuleCode>("\"unknown-toll\"").is_err());
        assert_eq!(format!("{c:?} {c}"), "\"unknown-tool\" unknown-tool");
    }

    #[test]
    fn codes_sort_by_name() {
        assert!(RuleCode::YamlSyntax > RuleCode::DuplicateKey);
        assert!(RuleCode::BodyToolNotGranted < RuleCode::YamlSyntax);
    }

    #[test]
    fn dialect_severities_come_from_the_data() {
        for c in [RuleCode::UnknownTool, RuleCode::ForeignTool, RuleCode::UnknownModel] {
            assert_eq!(c.info().default_severity(Some("factory")), Severity::Error, "{c}");
            assert_eq!(c.info().default_severity(Some("claude")), Severity::Warning, "{c}");
            assert_eq!(c.info().default_severity(None), Severity::Warning, "{c}");
        }
        assert_eq!(RuleCode::UnknownKey.info().default_severity(Some("opencode")), Severity::Hint);
        assert_eq!(RuleCode::UnknownKey.info().default_severity(Some("factory")), Severity::Warning);
    }
}
