//! Rules about `model` and reasoning effort: unknown (did-you-mean), retired and malformed model
//! ids, the policy's allowed and denied models, and an effort the model does not take.

use super::{did_you_mean, fix, Ctx};
use crate::catalog::Status;
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
                format!("{} takes one model, not a list", dialect.a_noun()),
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
        if let Some(spec) = cat.model(&m).or_else(|| cat.model(bare)) {
            first_known.get_or_insert(spec);
            if spec.status != Status::Current {
                let retired = spec.status != Status::Deprecated;
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
        let suggestion =
            did_you_mean(&m, cat.models.iter().filter(|x| x.status == Status::Current).map(|x| x.id.as_str()))
                .map(str::to_string);
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
                Some(s) => format!("unknown model `{m}` for {}; did you mean `{s}`?", dialect.a_noun()),
                None => format!("unknown model `{m}` for {}", dialect.a_noun()),
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
