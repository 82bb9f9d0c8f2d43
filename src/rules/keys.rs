//! Rules about frontmatter keys: unknown keys (with did-you-mean), keys of another dialect,
//! retired keys, wrong value types, invalid enum values, missing required keys.

use super::{did_you_mean, fix, Ctx};
use crate::catalog::{self, at_version, product_name, AtVersion, KeySpec, Status, ValueType};
use crate::diagnostic::Severity;
use crate::dialect::{Dialect, FileKind};
use crate::registry::{self, RuleCode};
use crate::semantics::conditions::governs_required_key;
use crate::semantics::keys::{applies, kind_id};
use crate::semantics::patterns::regex_is_match;
use crate::syntax::{Node, ScalarKind, Value};
use crate::text::first_sentence;

pub(super) fn check(cx: &mut Ctx) {
    let (Some(cat), Some(det)) = (cx.catalog(), cx.a.detected) else { return };
    let Some(fm) = cx.a.parsed.frontmatter.as_ref() else { return };
    let text = cx.text;
    let dialect = det.dialect;
    for entry in fm.entries() {
        let Some(key) = entry.key.as_str() else {
            cx.emit(RuleCode::WrongType, entry.key.span.clone(), "a frontmatter key must be a plain name");
            continue;
        };
        let kspan = entry.key.span.clone();
        let spec = cat.key(key).filter(|s| applies(s, det.kind));
        let Some(spec) = spec else {
            unknown_key(cx, key, kspan, dialect, det.kind);
            continue;
        };
        let stated = cx.a.policy.product_version(&cat.product);
        if at_version(spec.added.as_deref(), None, stated) == AtVersion::NotYet {
            let (added, team) = (spec.added.as_deref().unwrap_or(""), stated.unwrap_or(""));
            let msg = format!(
                "`{key}` is not read by {} {team}, the version the team policy gives (`products`): it was added in {added}",
                product_name(&cat.product)
            );
            cx.emit(RuleCode::UnknownKey, kspan, msg);
            continue;
        }
        match spec.status.at(spec.since.as_deref(), stated) {
            Status::Current => {}
            Status::Deprecated | Status::Removed | Status::Unavailable => {
                // In a skill, command or other kind's catalog, `unavailable` means ignored in this kind
                // of file (Claude Code reads `name` in a skill, not in a command): nothing breaks.
                let ignored =
                    spec.status == Status::Unavailable && !det.kind.is_agent_like() && det.kind != FileKind::Prompt;
                let sev =
                    if spec.status == Status::Deprecated || ignored { Severity::Warning } else { Severity::Error };
                let since = spec.since.as_deref().map(|s| format!(" (since {s})")).unwrap_or_default();
                let what = match spec.status {
                    Status::Deprecated => "deprecated".to_string(),
                    _ if ignored => format!("ignored in {}", det.a_noun()),
                    _ => "no longer read".to_string(),
                };
                let msg = match &spec.replacement {
                    Some(r) => format!("`{key}` is {what}{since}; use `{r}` instead"),
                    None => format!("`{key}` is {what}{since}"),
                };
                let rename = spec.replacement.as_ref().filter(|r| is_key_name(r) && fm.get(r).is_none()).cloned();
                if let Some(d) = cx.emit_at(RuleCode::DeprecatedKey, sev, kspan.clone(), msg) {
                    if let Some(r) = rename {
                        d.fixes.push(fix(format!("Rename `{key}` to `{r}`"), kspan.clone(), r, false));
                    }
                }
            }
        }
        check_value(cx, spec, &entry.value, text);
    }
    // Required keys, on the opening fence, with a fix that adds the key before the closing one.
    let nl = super::line_break(text);
    // Not when the frontmatter is no mapping, nor for a key whose line the YAML recovery skipped.
    let is_map = matches!(fm.root.as_ref().map(|r| &r.value), Some(Value::Map(_)) | None);
    let yaml_text = &text[fm.content.clone()];
    // A key a condition of `data/conditions.yaml` requires (for one product) is that rule's business.
    let required = |k: &&KeySpec| k.required && k.status == Status::Current && !governs_required_key(dialect, &k.name);
    for spec in cat.keys.iter().filter(required).filter(|k| applies(k, det.kind)) {
        let written =
            |k: &str| yaml_text.lines().any(|l| l.strip_prefix(k).is_some_and(|r| r.trim_start().starts_with(':')));
        if !is_map || fm.get(&spec.name).is_some() || written(&spec.name) {
            continue;
        }
        let insert_at = fm.close.as_ref().map_or(fm.content.end, |c| c.start);
        let key = spec.name.clone();
        let placeholder = if key == "name" { cx.a.file_stem.clone().unwrap_or_default() } else { String::new() };
        let msg = format!("{} needs `{key}`: {}", cx.a_noun(), first_sentence(&spec.doc));
        if let Some(d) = cx.emit(RuleCode::MissingRequiredKey, fm.close.clone().unwrap_or(fm.open.clone()), msg) {
            let t = format!("{key}: {placeholder}{nl}");
            d.fixes.push(fix(format!("Add `{key}`"), insert_at..insert_at, t, false));
        }
    }
}

fn is_key_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn unknown_key(cx: &mut Ctx, key: &str, span: crate::diagnostic::Span, dialect: Dialect, kind: FileKind) {
    let Some(cat) = cx.catalog() else { return };
    if cat.open_keys {
        return;
    }
    // A key of this dialect but for another kind of file.
    if let Some(spec) = cat.key(key) {
        let kinds = spec.kinds.join(", ");
        // Not the dialect's severity: that is for keys no file of the dialect reads.
        let sev = registry::info(RuleCode::UnknownKey).severity;
        let msg = format!("`{key}` is only read in {kinds} files, not in this {}", kind_id(kind));
        cx.emit_at(RuleCode::UnknownKey, sev, span, msg);
        return;
    }
    // A key of another dialect.
    // For skills, commands and the other kinds, the same kind of file of another product.
    let other =
        Dialect::ALL.into_iter().filter(|d| *d != dialect).find(|d| catalog::builtin_for(*d, kind).key(key).is_some());
    if let Some(o) = other {
        cx.emit(
            RuleCode::ForeignKey,
            span,
            format!("`{key}` is {} key; {} does not read it", o.a_display(), cx.a_noun()),
        );
        return;
    }
    let names = cat.keys.iter().filter(|k| k.status == Status::Current && applies(k, kind)).map(|k| k.name.as_str());
    let suggestion = did_you_mean(key, names).map(str::to_string);
    // OpenCode passes unknown keys on to the model provider as options, so they are not errors:
    // its default severity (in data/rules.yaml) is hint.
    let msg = match &suggestion {
        Some(s) => format!("unknown key `{key}` for {}; did you mean `{s}`?", cx.a_noun()),
        None if dialect == Dialect::Opencode && kind == FileKind::Agent => {
            format!("`{key}` is not an OpenCode agent key; OpenCode passes it to the model provider as an option")
        }
        None => format!("unknown key `{key}` for {}; the loader ignores it", cx.a_noun()),
    };
    if let Some(d) = cx.emit(RuleCode::UnknownKey, span.clone(), msg) {
        if let Some(s) = suggestion {
            d.fixes.push(fix(format!("Rename to `{s}`"), span, s, false));
        }
    }
}

/// The keys Factory's loader checks with its schema (the droid CLI v0.225.2; data/loaders.yaml):
/// a wrong type there drops every field of the droid.
const FACTORY_SCHEMA: [&str; 5] = ["name", "description", "model", "reasoningEffort", "tools"];

/// Checks a value's type and, for enums, its value.
fn check_value(cx: &mut Ctx, spec: &KeySpec, v: &Node, text: &str) {
    let key = spec.name.as_str();
    let scalar_kind = v.as_scalar().map(|s| s.kind());
    let is_str = matches!(scalar_kind, Some(ScalarKind::Str));
    let is_scalar = scalar_kind.is_some();
    let ok = match spec.ty {
        ValueType::String => is_scalar && !matches!(scalar_kind, Some(ScalarKind::Bool(_))),
        ValueType::Boolean => matches!(scalar_kind, Some(ScalarKind::Bool(_))),
        ValueType::Integer => matches!(scalar_kind, Some(ScalarKind::Int(_))),
        ValueType::Number => matches!(scalar_kind, Some(ScalarKind::Int(_) | ScalarKind::Float(_))),
        ValueType::Enum => is_scalar,
        ValueType::StringList => matches!(&v.value, Value::Seq(s) if s.items.iter().all(|i| i.as_str().is_some())),
        ValueType::StringOrList => is_scalar || matches!(v.value, Value::Seq(_)),
        ValueType::Map => matches!(v.value, Value::Map(_)),
        ValueType::List => matches!(v.value, Value::Seq(_)),
        // Checked by the tools and model rules, which know each shape.
        ValueType::Tools | ValueType::Model | ValueType::Any => true,
    };
    if matches!(v.value, Value::Invalid | Value::Alias) || (v.is_null() && spec.ty != ValueType::Boolean) {
        // Syntax errors are reported already; empty values are the identity rules' business.
        if !(v.is_null() && matches!(spec.ty, ValueType::Boolean | ValueType::Integer | ValueType::Number)) {
            return;
        }
    }
    if !ok {
        let want = spec.ty.expected();
        let found = v.type_name();
        let mut fixes = Vec::new();
        if spec.ty == ValueType::Boolean && is_str {
            let b = match v.as_str().unwrap_or("").to_ascii_lowercase().as_str() {
                "yes" | "on" | "y" | "1" => Some("true"),
                "no" | "off" | "n" | "0" => Some("false"),
                "\"true\"" | "true" => Some("true"),
                "false" => Some("false"),
                _ => None,
            };
            if let Some(b) = b {
                fixes.push(fix(format!("Replace with `{b}`"), v.span.clone(), b, true));
            }
        }
        let then = match cx.dialect() {
            Some(Dialect::Factory) if FACTORY_SCHEMA.contains(&key) => {
                "; Factory's schema refuses it and drops every field of this droid"
            }
            Some(Dialect::Claude) if matches!(key, "name" | "description") => {
                "; Claude Code does not load an agent without a string `name` and `description`"
            }
            Some(Dialect::Opencode) => "; OpenCode's schema refuses it and skips the agent",
            _ => "",
        };
        if let Some(d) =
            cx.emit(RuleCode::WrongType, v.span.clone(), format!("`{key}` expects {want}, not a {found}{then}"))
        {
            d.fixes.extend(fixes);
        }
        return;
    }
    if spec.ty == ValueType::Enum && !spec.values.is_empty() {
        let Some(val) = v.as_str() else { return };
        if spec.values.iter().any(|x| x == val) {
            return;
        }
        let suggestion = did_you_mean(val, spec.values.iter().map(String::as_str)).map(str::to_string);
        let list = spec.values.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
        let msg = match &suggestion {
            Some(s) => format!("`{val}` is not a valid `{key}`; did you mean `{s}`? Valid values: {list}"),
            None => format!("`{val}` is not a valid `{key}`; valid values: {list}"),
        };
        let vspan = crate::tools::name_span(v, text).0;
        if let Some(d) = cx.emit(RuleCode::InvalidValue, vspan.clone(), msg) {
            if let Some(s) = suggestion {
                let safe = s.eq_ignore_ascii_case(val);
                d.fixes.push(fix(format!("Replace with `{s}`"), vspan, s, safe));
            }
        }
        return;
    }
    if let (Some(p), Some(val)) = (&spec.pattern, v.as_str()) {
        if key != "name" && regex_is_match(p, val) == Some(false) {
            cx.emit(
                RuleCode::InvalidValue,
                v.span.clone(),
                format!("`{val}` does not have the form `{key}` expects ({p})"),
            );
        }
    }
}
