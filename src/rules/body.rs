//! Rules about the Markdown body: required and recommended sections (with fixes that insert
//! them where the policy's order says), empty required sections, and tools the body tells the
//! agent to use but the frontmatter does not grant.

use super::{fix, Ctx};
use crate::catalog::Status;
use crate::diagnostic::{Fix, Span};
use crate::registry::RuleCode;
use crate::semantics::mentions::tool_mentions;
use crate::semantics::sections::{insert_located, locate, section_order};
use crate::semantics::tools::{covers, equivalent, granted_tools, resolve, Resolved};
use crate::text::first_sentence;

pub(super) fn check(cx: &mut Ctx) {
    let Some(det) = cx.a.detected else { return };
    if cx.a.parsed.frontmatter.is_none() {
        return;
    }
    // Sections are a convention of agent system prompts, not of prompt files.
    if det.kind == crate::dialect::FileKind::Agent || (!det.kind.is_agent_like() && cx.a.policy.kind_sections) {
        sections(cx);
    }
    // A skill's or command's `allowed-tools` pre-approves tools; it does not take the others away,
    // so a tool its body mentions is not missing.
    if det.kind.is_agent_like() || det.kind == crate::dialect::FileKind::Prompt {
        mentions(cx);
    }
}

fn sections(cx: &mut Ctx) {
    let a = cx.a;
    let text = cx.text;
    let body = &a.parsed.body;
    let fm = a.parsed.frontmatter.as_ref().expect("checked");
    let anchor: Span = fm.close.clone().unwrap_or(fm.open.clone());
    let order = section_order(&a.policy);
    let found = locate(body, &order);
    let required_count = a.policy.sections.required.len();
    for (i, spec) in order.iter().copied().enumerate() {
        let required = i < required_count;
        if let Some(h) = found[i] {
            if required {
                let content = body.section_content(h);
                if text[content].trim().is_empty() {
                    cx.emit(
                        RuleCode::EmptySection,
                        h.title_span.clone(),
                        format!("the required section `{}` is empty", spec.title),
                    );
                }
            }
            continue;
        }
        let edit = insert_located(text, body, &order, &found, spec);
        let code = if required { RuleCode::MissingSection } else { RuleCode::RecommendedSection };
        let why = if required { "the team policy requires" } else { "agentls recommends" };
        let plain = first_sentence(&spec.doc);
        let doc = plain.as_str();
        let msg = if doc.is_empty() {
            format!("{why} a `## {}` section", spec.title)
        } else {
            format!("{why} a `## {}` section: {doc}", spec.title)
        };
        if let Some(d) = cx.emit(code, anchor.clone(), msg) {
            d.fixes.push(Fix { title: format!("Insert section `{}`", spec.title), edits: vec![edit], safe: false });
        }
    }
}

fn mentions(cx: &mut Ctx) {
    let (Some(cat), Some(dialect)) = (cx.catalog(), cx.dialect()) else { return };
    let a = cx.a;
    let text = cx.text;
    let granted = granted_tools(a);
    let found = tool_mentions(a, a.parsed.body.span.clone());
    for (name, span) in found {
        let is_granted = |n: &str| granted.as_ref().is_none_or(|g| covers(cat, g, n));
        match resolve(cat, dialect, &name, false) {
            Resolved::Tool(t) if t.status == Status::Current && !is_granted(&t.name) => {
                let f = granted.as_ref().and_then(|g| g.insertion(text, &t.name)).map(|e| Fix {
                    title: format!("Add `{}` to the tools", t.name),
                    edits: vec![e],
                    safe: false,
                });
                let msg = format!("the body tells the agent to use `{name}`, but `{name}` is not in its tools");
                if let Some(d) = cx.emit(RuleCode::BodyToolNotGranted, span, msg) {
                    d.fixes.extend(f);
                }
            }
            Resolved::Foreign(other, ft) => {
                let eq = equivalent(cat, ft);
                let msg = match eq {
                    Some(e) if is_granted(&e.name) => format!(
                        "the body tells the agent to use `{name}`, {} tool; {}'s equivalent is `{}`",
                        other.a_display(),
                        cx.a_noun(),
                        e.name
                    ),
                    Some(e) => format!(
                        "the body tells the agent to use `{name}`, {} tool; {}'s equivalent is `{}`, which is not in its tools either",
                        other.a_display(),
                        cx.a_noun(),
                        e.name
                    ),
                    None => format!(
                        "the body tells the agent to use `{name}`, {} tool that {} does not have",
                        other.a_display(),
                        cx.a_noun()
                    ),
                };
                let f = eq.map(|e| fix(format!("Replace with `{}`", e.name), span.clone(), e.name.clone(), false));
                if let Some(d) = cx.emit(RuleCode::BodyToolNotGranted, span, msg) {
                    d.fixes.extend(f);
                }
            }
            _ => {}
        }
    }
}
