//! Loader profiles: how each product reads an agent file's frontmatter and what it does with each
//! case where the products differ (`data/loaders.yaml`), and the verdict for a file of a dialect:
//! which products that read it would refuse, skip, misread or only just load it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::dialect::Dialect;

/// A case where the products' loaders differ (the keys of `cases:` in `data/loaders.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Case {
    ColonInValue,
    TabIndent,
    TabNestedMap,
    DuplicateKey,
    EmptyTools,
    ReservedIndicator,
    CrlfColonInValue,
    Bom,
    UnclosedQuote,
    DotsClose,
    FenceInValue,
    OtherSyntax,
}

impl Case {
    pub const ALL: [Case; 12] = [
        Case::ColonInValue,
        Case::TabIndent,
        Case::TabNestedMap,
        Case::DuplicateKey,
        Case::EmptyTools,
        Case::ReservedIndicator,
        Case::CrlfColonInValue,
        Case::Bom,
        Case::UnclosedQuote,
        Case::DotsClose,
        Case::FenceInValue,
        Case::OtherSyntax,
    ];
}

/// What a product does with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Loads it as written.
    Ok,
    /// Loads it, with a diagnostic of its own.
    Warns,
    /// Loads it only through its fallback parser.
    Fallback,
    /// Loads it, reading another value than the text says.
    Different,
    /// Loads it with every field dropped.
    Dropped,
    /// Does not load the agent, without a message.
    Skipped,
    /// Does not load the agent, with a message.
    Refused,
}

impl Outcome {
    /// True when the agent does not run as the file says.
    pub fn is_failure(self) -> bool {
        matches!(self, Outcome::Different | Outcome::Dropped | Outcome::Skipped | Outcome::Refused)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Treatment {
    pub outcome: Outcome,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub version: String,
    pub source: String,
    pub parser: String,
    pub cases: BTreeMap<Case, Treatment>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readers {
    pub primary: Vec<String>,
    #[serde(default)]
    pub also: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    pub updated: String,
    pub products: Vec<Product>,
    pub readers: BTreeMap<String, Readers>,
}

/// The built-in profiles, parsed once.
pub fn profiles() -> &'static Profiles {
    static P: OnceLock<Profiles> = OnceLock::new();
    P.get_or_init(|| {
        serde_yaml::from_str(include_str!("../data/loaders.yaml"))
            .unwrap_or_else(|e| panic!("data/loaders.yaml is invalid: {e}"))
    })
}

impl Profiles {
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }
}

/// Which products read a file: the dialect's readers, narrowed by a Copilot file's `target`
/// (`vscode` or `github-copilot`).
pub fn readers(dialect: Dialect, target: Option<&str>) -> (Vec<&'static Product>, Vec<&'static Product>) {
    let p = profiles();
    let Some(r) = p.readers.get(dialect.id()) else { return (Vec::new(), Vec::new()) };
    let pick = |ids: &[String]| ids.iter().filter_map(|id| p.product(id)).collect::<Vec<_>>();
    let mut primary = pick(&r.primary);
    if dialect == Dialect::Copilot {
        match target {
            Some("vscode") => primary.retain(|p| p.id == "vscode"),
            Some("github-copilot") => primary.retain(|p| p.id == "copilot-cli"),
            _ => {}
        }
    }
    (primary, pick(&r.also))
}

/// What the products that read a file make of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// `None` when every reader loads it as written.
    pub severity: Option<Severity>,
    /// One clause per product that does not simply load it ("Claude Code loads it only through
    /// its fallback parser"), primary readers first.
    pub clauses: Vec<String>,
}

impl Verdict {
    /// The clauses joined for a message: "X does this; Y does that".
    pub fn say(&self) -> String {
        self.clauses.join("; ")
    }
}

fn clause(p: &Product, t: &Treatment) -> String {
    let what = match (&t.note, t.outcome) {
        (Some(n), _) => n.clone(),
        (None, Outcome::Fallback) => "loads it only through its fallback parser".to_string(),
        (None, Outcome::Warns) => "loads it with a warning".to_string(),
        (None, Outcome::Different) => "reads another value than the text says".to_string(),
        (None, Outcome::Dropped) => "drops every field".to_string(),
        (None, Outcome::Skipped) => "skips the agent without a message".to_string(),
        (None, Outcome::Refused) => "does not load the agent".to_string(),
        (None, Outcome::Ok) => "loads it".to_string(),
    };
    format!("{} {what}", p.name)
}

/// The verdict for `case` in a file of `dialect`: an error when a product the file is written for
/// does not run it as written; a warning when one only loads it through a fallback or warns, or
/// when another product that reads the same path fails; nothing when all load it.
pub fn judge(dialect: Dialect, target: Option<&str>, case: Case) -> Verdict {
    let (primary, also) = readers(dialect, target);
    let mut severity: Option<Severity> = None;
    let mut clauses = Vec::new();
    let raise = |s: Severity, sev: &mut Option<Severity>| {
        if sev.is_none_or(|cur| s < cur) {
            *sev = Some(s);
        }
    };
    for (p, is_primary) in primary.iter().map(|p| (p, true)).chain(also.iter().map(|p| (p, false))) {
        let Some(t) = p.cases.get(&case) else { continue };
        let sev = match t.outcome {
            Outcome::Ok => continue,
            o if o.is_failure() && is_primary => Severity::Error,
            _ => Severity::Warning,
        };
        raise(sev, &mut severity);
        clauses.push(clause(p, t));
    }
    Verdict { severity, clauses }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_product_treats_every_case_and_every_dialect_has_readers() {
        let p = profiles();
        for prod in &p.products {
            for c in Case::ALL {
                assert!(prod.cases.contains_key(&c), "{}: no treatment for {c:?}", prod.id);
            }
            assert!(prod.source.contains("https://"), "{}: source", prod.id);
        }
        for d in Dialect::ALL {
            let r = &p.readers[d.id()];
            for id in r.primary.iter().chain(&r.also) {
                assert!(p.product(id).is_some(), "{}: unknown product {id}", d.id());
            }
            assert!(!r.primary.is_empty());
        }
    }

    #[test]
    fn verdicts_follow_the_readers() {
        // b in a Claude agent: Claude Code's fallback reads it (warning), VS Code cuts it (warning:
        // it only also reads the path).
        let v = judge(Dialect::Claude, None, Case::ColonInValue);
        assert_eq!(v.severity, Some(Severity::Warning));
        assert!(v.clauses[0].starts_with("Claude Code loads it only through"), "{v:?}");
        assert!(v.clauses[1].starts_with("VS Code cuts the value"), "{v:?}");
        // The same in a Copilot agent: both of its products fail.
        assert_eq!(judge(Dialect::Copilot, None, Case::ColonInValue).severity, Some(Severity::Error));
        // A folded tab-indented map is fine in VS Code, refused by GitHub: `target` decides.
        assert_eq!(judge(Dialect::Copilot, Some("vscode"), Case::TabIndent).severity, None);
        assert_eq!(judge(Dialect::Copilot, Some("github-copilot"), Case::TabIndent).severity, Some(Severity::Error));
        assert_eq!(judge(Dialect::Factory, None, Case::Bom).severity, Some(Severity::Error));
        assert_eq!(judge(Dialect::Claude, None, Case::Bom).severity, None);
    }
}
