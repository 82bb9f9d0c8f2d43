//! The portability report: for each product that reads this file's path, or could be given the
//! file (ported), what it will load: tools, model, keys it ignores, what is dropped. Built from the
//! loader profiles (`data/loaders.yaml`: who reads which path) and the port itself.

use serde::Serialize;

use crate::analysis::{self, Analysis, Settings};
use crate::catalog;
use crate::dialect::Dialect;
use crate::loader;

use super::{Grant, Model, NoteKind};

/// How a product comes to read the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// It is written for this product (its path and format).
    Written,
    /// The product also reads this path (VS Code reads `.claude/agents`), in its own terms.
    AlsoReads,
    /// Not read from here: what the product would load if given the file with `agentls port`.
    Ported,
}

/// What one product will load.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Loader profile ids (`claude-code`, `vscode`, `copilot-cli`...).
    pub products: Vec<String>,
    /// Their names, for messages.
    pub names: Vec<String>,
    pub dialect: Dialect,
    pub reach: Reach,
    /// The tools it grants by its own names; `None` for every tool.
    pub tools: Option<Vec<String>>,
    /// The model it runs on; `None` for its default (or the parent's).
    pub model: Option<String>,
    /// Keys of the file it does not read.
    pub keys_ignored: Vec<String>,
    /// What it loses, one sentence each.
    pub dropped: Vec<String>,
    /// Where it loads the file from, for ported views.
    pub path: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub dialect: Dialect,
    pub views: Vec<View>,
}

fn products_of(d: Dialect, target: Option<&str>) -> (Vec<String>, Vec<String>) {
    let (primary, _) = loader::readers(d, target);
    (primary.iter().map(|p| p.id.clone()).collect(), primary.iter().map(|p| p.name.clone()).collect())
}

fn names(agent: &super::Agent, a: &Analysis) -> (Option<Vec<String>>, Option<String>) {
    let tools = match &agent.grant {
        Grant::All => None,
        Grant::List(l) => {
            let mut v: Vec<String> = Vec::new();
            for w in l {
                if !v.contains(&w.from) {
                    v.push(w.from.clone());
                }
            }
            Some(v)
        }
    };
    let model = match &agent.model {
        Model::Unset => None,
        Model::Inherit => Some("inherit".into()),
        Model::Known { written, .. } | Model::Other { written, .. } => Some(written.clone()),
    };
    let _ = a;
    (tools, model)
}

/// The report for an analysed file of a known dialect.
pub fn report(a: &Analysis) -> Option<Report> {
    let det = a.detected?;
    let d = det.dialect;
    let target = a.parsed.frontmatter.as_ref().and_then(|f| f.get("target")).and_then(|e| e.value.as_str());
    let target = if d == Dialect::Copilot { target } else { None };
    let agent = super::read(a);
    let cat = a.catalog.as_deref().unwrap_or_else(|| catalog::builtin(d));
    let mut views = Vec::new();

    let (tools, model) = names(&agent, a);
    let (ids, pnames) = products_of(d, target);
    views.push(View {
        products: ids,
        names: pnames,
        dialect: d,
        reach: Reach::Written,
        tools,
        model,
        keys_ignored: agent.other_keys.iter().filter(|(k, _)| cat.key(k).is_none()).map(|(k, _)| k.clone()).collect(),
        dropped: agent.notes.iter().filter(|n| n.kind.is_loss()).map(|n| n.message.clone()).collect(),
        path: None,
    });

    let (_, also) = loader::readers(d, target);
    for other in Dialect::ALL.into_iter().filter(|o| *o != d) {
        let Ok(p) = super::port(a, other) else { continue };
        let pa = analysis::analyze(&p.text, Some(&p.path), &Settings::default());
        let ported = super::read(&pa);
        let (tools, model) = names(&ported, &pa);
        let (mut ids, mut pnames) = products_of(other, None);
        let reads_here: Vec<&&loader::Product> = also.iter().filter(|x| ids.contains(&x.id)).collect();
        let reach = if reads_here.is_empty() { Reach::Ported } else { Reach::AlsoReads };
        if reach == Reach::AlsoReads {
            ids = reads_here.iter().map(|x| x.id.clone()).collect();
            pnames = reads_here.iter().map(|x| x.name.clone()).collect();
        }
        views.push(View {
            products: ids,
            names: pnames,
            dialect: other,
            reach,
            tools,
            model,
            keys_ignored: p
                .notes
                .iter()
                .filter(|n| n.kind == NoteKind::KeyDropped && !n.in_source)
                .map(|n| n.subject.clone())
                .collect(),
            dropped: p.notes.iter().filter(|n| n.kind.is_loss() && !n.in_source).map(|n| n.message.clone()).collect(),
            path: (reach == Reach::Ported).then(|| p.path.to_string_lossy().replace('\\', "/")),
        });
    }
    Some(Report { dialect: d, views })
}

impl Report {
    /// The report as Markdown, for hover.
    pub fn markdown(&self) -> String {
        let mut out = String::from("**Portability**: what each product will load\n");
        for v in &self.views {
            let how = match v.reach {
                Reach::Written => "written for it".to_string(),
                Reach::AlsoReads => format!("also reads this path, in {}'s terms", v.dialect.display()),
                Reach::Ported => format!("if ported to `{}`", v.path.as_deref().unwrap_or("")),
            };
            out.push_str(&format!("\n**{}** ({how})\n", v.names.join(", ")));
            let tools = v.tools.as_ref().map_or("every tool".to_string(), |t| {
                if t.is_empty() {
                    "none".into()
                } else {
                    t.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")
                }
            });
            out.push_str(&format!("- tools: {tools}\n"));
            out.push_str(&format!(
                "- model: {}\n",
                v.model.as_deref().map_or("its default".to_string(), |m| format!("`{m}`"))
            ));
            if !v.keys_ignored.is_empty() {
                let k: Vec<String> = v.keys_ignored.iter().map(|k| format!("`{k}`")).collect();
                out.push_str(&format!("- keys ignored: {}\n", k.join(", ")));
            }
            for d in v.dropped.iter().filter(|d| !v.keys_ignored.iter().any(|k| d.starts_with(&format!("`{k}`")))) {
                out.push_str(&format!("- {d}\n"));
            }
        }
        out
    }

    /// The report as plain text, for `agentls check --portability`.
    pub fn text(&self, file: &str) -> String {
        let md = self.markdown().replace("**", "");
        let mut out = format!("{file} ({})\n", self.dialect.noun());
        for l in md.lines().skip(1).filter(|l| !l.is_empty()) {
            let indent = if l.starts_with("- ") { "    " } else { "  " };
            out.push_str(indent);
            out.push_str(l.trim_start_matches("- "));
            out.push('\n');
        }
        out
    }
}
