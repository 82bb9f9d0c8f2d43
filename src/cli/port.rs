//! `agentls port FILE --to <dialect>`: writes the agent for another product at the path that
//! product loads it from (or `--out`), and says what changed or was lost.

use std::path::{Path, PathBuf};

use crate::analysis::{self, Settings};
use crate::dialect::Dialect;
use crate::port::{self, NoteKind, Ported};

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};

pub struct Options {
    pub file: PathBuf,
    pub to: Dialect,
    pub out: Option<PathBuf>,
    /// Print the result instead of writing it.
    pub stdout: bool,
    pub force: bool,
    pub json: bool,
    pub dialect: Option<Dialect>,
}

/// Ports a text read from `path`.
pub fn port_text(text: &str, path: &Path, to: Dialect, dialect: Option<Dialect>) -> Result<Ported, port::PortError> {
    let settings = Settings { dialect_override: dialect, ..Settings::default() };
    let a = analysis::analyze(text, Some(path), &settings);
    crate::engine::port(&a, to)
}

fn label(k: NoteKind) -> &'static str {
    match k {
        NoteKind::KeyRenamed => "renamed",
        NoteKind::KeyDropped => "dropped",
        NoteKind::KeyAdded => "added",
        NoteKind::ToolMapped => "mapped",
        NoteKind::ToolDropped => "left out",
        NoteKind::ModelMapped => "model",
        NoteKind::ModelDropped => "model left out",
        NoteKind::BodyRewritten => "rewritten",
        NoteKind::BodyReview => "review",
    }
}

pub fn run(o: &Options) -> i32 {
    let text = match std::fs::read_to_string(&o.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("agentls: error: cannot read {}: {e}", o.file.display());
            return EXIT_USAGE;
        }
    };
    let ported = match port_text(&text, &o.file, o.to, o.dialect) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("agentls: error: {}: {e}", o.file.display());
            return EXIT_USAGE;
        }
    };
    let dest = o.out.clone().unwrap_or_else(|| port::repo_root(&o.file).join(&ported.path));
    if o.stdout {
        print!("{}", ported.text);
    } else {
        if dest.exists() && !o.force {
            eprintln!("agentls: error: {} exists (pass --force to replace it)", dest.display());
            return EXIT_USAGE;
        }
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Err(e) = std::fs::create_dir_all(dir) {
                eprintln!("agentls: error: cannot create {}: {e}", dir.display());
                return EXIT_USAGE;
            }
        }
        if let Err(e) = std::fs::write(&dest, &ported.text) {
            eprintln!("agentls: error: cannot write {}: {e}", dest.display());
            return EXIT_USAGE;
        }
    }
    if o.json {
        let v = serde_json::json!({
            "from": ported.from.id(),
            "to": ported.to.id(),
            "path": dest.to_string_lossy(),
            "written": !o.stdout,
            "notes": ported.notes,
            "errors": ported.errors.iter().map(|d| serde_json::json!({"code": d.code.as_str(), "message": d.message})).collect::<Vec<_>>(),
        });
        let out = serde_json::to_string_pretty(&v).unwrap_or_default();
        if o.stdout {
            eprintln!("{out}");
        } else {
            println!("{out}");
        }
    } else {
        if !o.stdout {
            eprintln!("wrote {} ({})", dest.display(), ported.to.noun());
        }
        for n in &ported.notes {
            eprintln!("  {:>14}: {}", label(n.kind), n.message);
        }
        for d in &ported.errors {
            eprintln!("  error[{}]: {}", d.code, d.message);
        }
    }
    if ported.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERRORS
    }
}
