//! Rules about `model` and reasoning effort: unknown (did-you-mean), retired and malformed model
//! ids, the policy's allowed and denied models, and an effort the model does not take.

use super::{did_you_mean, fix, Ctx};
use crate::catalog::{at_version, product_name, AtVersion, Status};
use crate::diagnostic::{Severity, Span};
use crate::dialect::Dialect;
use crate::registry::RuleCode;
use crate::semantics::patterns::regex_is_match;
use crate::syntax::Value;

const EFFORT_KEYS: [&str; 2] = ["reasoningEffort", "effort"];

pub(super) fn check(cx: &mut Ctx) {
    let (Some(cat), Some(dialect)) = (cx.catalog(), cx.dialect()) else { return };
    let Some(fm) = cx.a.parsed.frontmatter.as_ref() else { return };
    let text = cx.text;
    let Some(entry) = fm.get("model") else {
        effort_without_model(cx, None);
        return;
    };
    // Copilot takes a prioritized list of models; the others a single string.
    let values: Vec<(String, Span)> = match &entry.value.value {
        Value::Scalar(_) if !entry.value.is_null() => {
            let span = crate::tools::name_span(&entry.value, text).0;
            vec![(entry.value.as_str().unwrap_or("").trim().to_string(), span)]
        }
        Value::Seq(s) if dialect == Dialect::Copilot => {
            s.items.iter().filter_map(|n| Some((n.as_str()?.trim().to_string(), n.span.clone()))).collect()
        }
        Value::Seq(_) => {
            cx.emit(
                RuleCode::WrongType,
                entry.value.span.clone(),
                format!("{} takes one model, not a list", cx.a_noun()),
            );
            return;
        }
        _ => return,
    };
    let mut first_known = None;
    for (m, span) in values {
        if m.is_empty() {
            continue;
        }
        let is_inherit = m == "inherit";
        let pol = &cx.a.policy;
        if !is_inherit && pol.model_denied(&m) {
            cx.emit(RuleCode::DeniedModel, span.clone(), format!("model `{m}` is denied by the team policy"));
        } else if !is_inherit && !pol.model_allowed(&m) {
            let allow = pol.models.allow.as_ref().map(|a| a.join(", ")).unwrap_or_default();
            cx.emit(
                RuleCode::ModelNotAllowed,
                span.clone(),
                format!("model `{m}` is not in the team policy's allowed models ({allow})"),
            );
        }
        // Copilot qualifies display names with their vendor: `GPT-5 (copilot)`.
        let bare = match m.rfind(" (") {
            Some(i) if dialect == Dialect::Copilot && m.ends_with(')') => &m[..i],
            _ => m.as_str(),
        };
        let stated = cx.a.policy.product_version(&cat.product);
        let known = cat.model(&m).or_else(|| cat.model(bare));
        if let Some(spec) = known.filter(|s| at_version(s.added.as_deref(), None, stated) == AtVersion::NotYet) {
            let (added, team) = (spec.added.as_deref().unwrap_or(""), stated.unwrap_or(""));
            let msg = format!(
                "model `{m}` is not offered by {} {team}, the version the team policy gives (`products`): it was added in {added}",
                product_name(&cat.product)
            );
            cx.emit(RuleCode::UnknownModel, span.clone(), msg);
            continue;
        }
        if let Some(spec) = known {
            first_known.get_or_insert(spec);
            let status = spec.status.at(spec.since.as_deref(), stated);
            if status != Status::Current {
                let retired = status != Status::Deprecated;
                let (code, what) = if retired {
                    (RuleCode::RetiredModel, "retired")
                } else {
                    (RuleCode::DeprecatedModel, "deprecated")
                };
                let msg = match &spec.replacement {
                    Some(r) => format!("model `{m}` is {what}; use `{r}`"),
                    None => format!("model `{m}` is {what}"),
                };
                let f = spec
                    .replacement
                    .as_ref()
                    .map(|r| fix(format!("Replace with `{r}`"), span.clone(), r.clone(), false));
                if let Some(d) = cx.emit(code, span.clone(), msg) {
                    d.fixes.extend(f);
                }
            }
            continue;
        }
        if let Some(problem) = malformed(dialect, &m) {
            cx.emit(RuleCode::MalformedModel, span.clone(), format!("`{m}` is not a well-formed model id: {problem}"));
            continue;
        }
        let pattern_ok = cat.model_patterns.iter().any(|p| regex_is_match(p, &m) == Some(true));
        let current: Vec<&str> = cat
            .models
            .iter()
            .filter(|x| x.status.at(x.since.as_deref(), stated) == Status::Current)
            .filter(|x| at_version(x.added.as_deref(), None, stated) != AtVersion::NotYet)
            .map(|x| x.id.as_str())
            .collect();
        // A near miss of a known id is a typo whatever its shape (`claude-sonet-4-5`), but only when
        // the numbers agree: `claude-opus-4-9` may be a model newer than the catalog.
        if let Some(s) = typo_of(bare, current.iter().copied()) {
            let msg = format!("unknown model `{m}` for {}; did you mean `{s}`?", cx.a_noun());
            let sev = cx.default_severity(RuleCode::UnknownModel).min(Severity::Warning);
            if let Some(d) = cx.emit_at(RuleCode::UnknownModel, sev, span.clone(), msg) {
                d.fixes.push(fix(format!("Replace with `{s}`"), span.clone(), s.to_string(), false));
            }
            continue;
        }
        // A near miss of a retired or deprecated id: say so, and offer its replacement.
        let retired_typo = cat
            .models
            .iter()
            .filter(|x| !current.contains(&x.id.as_str()))
            .find(|x| typo_of(bare, [x.id.as_str()]).is_some());
        if let Some(spec) = retired_typo {
            let what = if spec.status == Status::Deprecated { "deprecated" } else { "retired" };
            let (then, f) = match &spec.replacement {
                Some(r) => {
                    (format!("; use `{r}`"), Some(fix(format!("Replace with `{r}`"), span.clone(), r.clone(), false)))
                }
                None => (String::new(), None),
            };
            let msg =
                format!("unknown model `{m}` for {}; did you mean `{}`? It is {what}{then}", cx.a_noun(), spec.id);
            let sev = cx.default_severity(RuleCode::UnknownModel).min(Severity::Warning);
            if let Some(d) = cx.emit_at(RuleCode::UnknownModel, sev, span.clone(), msg) {
                d.fixes.extend(f);
            }
            continue;
        }
        let suggestion = did_you_mean(&m, current.iter().copied()).map(str::to_string);
        // OpenCode takes any `provider/model` its providers serve: the catalog cannot list them all.
        if pattern_ok && dialect == Dialect::Opencode {
            continue;
        }
        let (sev, msg) = if pattern_ok {
            (
                Severity::Info,
                format!("model `{m}` is not in agentls's catalog for {}; if it is valid, add it to the policy's `models.extra`", dialect.display()),
            )
        } else {
            // Per dialect (Factory refuses unknown models): data/rules.yaml says which.
            let sev = cx.default_severity(RuleCode::UnknownModel);
            let msg = match &suggestion {
                Some(s) => format!("unknown model `{m}` for {}; did you mean `{s}`?", cx.a_noun()),
                None => format!("unknown model `{m}` for {}", cx.a_noun()),
            };
            (sev, msg)
        };
        if let Some(d) = cx.emit_at(RuleCode::UnknownModel, sev, span.clone(), msg) {
            if let Some(s) = suggestion.filter(|_| !pattern_ok) {
                d.fixes.push(fix(format!("Replace with `{s}`"), span.clone(), s, false));
            }
        }
    }
    let model_is_inherit = entry.value.as_str().map(str::trim) == Some("inherit");
    if model_is_inherit {
        effort_without_model(cx, Some("inherit"));
        return;
    }
    // The effort the model takes.
    let Some(spec) = first_known else { return };
    if spec.reasoning.is_empty() {
        return;
    }
    for key in EFFORT_KEYS {
        let Some(e) = fm.get(key) else { continue };
        let Some(v) = e.value.as_str() else { continue };
        if !spec.reasoning.iter().any(|r| r.eq_ignore_ascii_case(v)) {
            let takes = spec.reasoning.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
            cx.emit(
                RuleCode::UnsupportedReasoningEffort,
                e.value.span.clone(),
                format!("model `{}` does not take {key} `{v}`; it takes {takes}", spec.id),
            );
        }
    }
}

/// A reasoning effort set while the model is inherited is ignored (Factory documents this).
fn effort_without_model(cx: &mut Ctx, model: Option<&str>) {
    let Some(fm) = cx.a.parsed.frontmatter.as_ref() else { return };
    if cx.dialect() != Some(Dialect::Factory) {
        return;
    }
    if let Some(e) = fm.get("reasoningEffort") {
        let why = match model {
            Some(m) => format!("`model: {m}`"),
            None => "no `model` (the droid inherits its parent's)".to_string(),
        };
        cx.emit(
            RuleCode::UnsupportedReasoningEffort,
            e.key.span.clone(),
            format!("`reasoningEffort` is ignored with {why}; set a model to use it"),
        );
    }
}

/// The known id `m` is a typo of: within a small edit distance (case-insensitive) and with the
/// same numbers, so that a newer version (`claude-opus-4-9`) or date is not taken for a typo. A
/// dated id (`claude-sonnet-4-5-20250929`) also stands for its undated form.
fn typo_of<'c>(m: &str, known: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let digits = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).map(str::to_string).collect()
    };
    let lower = m.to_ascii_lowercase();
    let limit = match lower.chars().count() {
        0..=5 => 1,
        6..=12 => 2,
        _ => 3,
    };
    let (want, mut best) = (digits(&lower), None::<(usize, &str)>);
    for id in known {
        let undated = match id.rsplit_once('-') {
            Some((stem, date)) if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) => Some(stem),
            _ => None,
        };
        for form in std::iter::once(id).chain(undated) {
            let f = form.to_ascii_lowercase();
            if f == lower {
                return None;
            }
            let d = strsim::levenshtein(&lower, &f);
            if d <= limit && digits(&f) == want && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, id));
            }
        }
    }
    best.map(|(_, id)| id)
}

/// Why a model id is malformed for the dialect, if it is.
fn malformed(dialect: Dialect, m: &str) -> Option<&'static str> {
    match dialect {
        // Copilot uses display names such as `Claude Sonnet 4.5` or `GPT-5 (copilot)`.
        Dialect::Copilot => None,
        Dialect::Opencode if m != "inherit" && !m.contains('/') => {
            Some("OpenCode models are written `provider/model-id`")
        }
        _ if m.chars().any(char::is_whitespace) => Some("model ids contain no spaces"),
        _ if m.chars().any(|c| !(c.is_ascii_alphanumeric() || "-._:/[]@".contains(c))) => {
            Some("model ids use letters, digits and `-._:/`")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::typo_of;

    #[test]
    fn typos_keep_the_numbers() {
        let known = ["sonnet", "claude-sonnet-4-5-20250929", "claude-opus-4-8", "claude-haiku-4-5"];
        assert_eq!(typo_of("claude-sonet-4-5", known), Some("claude-sonnet-4-5-20250929"));
        assert_eq!(typo_of("claude-haiku-4.5", known), Some("claude-haiku-4-5"));
        assert_eq!(typo_of("sonet", known), Some("sonnet"));
        assert_eq!(typo_of("claude-opus-4-9", known), None, "a newer version, not a typo");
        assert_eq!(typo_of("claude-sonnet-4-5-20250930", known), None, "another date");
        assert_eq!(typo_of("claude-opus-4-8", known), None, "known ids are no typos");
        assert_eq!(typo_of("gpt-5", known), None);
    }
}
