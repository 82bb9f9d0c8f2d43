//! The command line: `agentls check`, `agentls explain`, `agentls rules`, `agentls init`,
//! `agentls port`, `agentls lsp`.
//!
//! Argument parsing lives here; `check` walks and checks files, `fix` applies safe fixes,
//! `render` prints the results as text, JSON, SARIF or GitHub workflow commands, `explain`
//! prints rule documentation and `init` writes a starter policy.
//! Exit codes: 0 when no error-severity diagnostic was found, 1 when one was, 2 on a usage or
//! I/O error.

mod check;
mod cross;
mod explain;
mod init;
pub mod port;
mod render;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::dialect::Dialect;

/// No error-severity diagnostic was found.
pub const EXIT_OK: i32 = 0;
/// At least one error-severity diagnostic was found.
pub const EXIT_ERRORS: i32 = 1;
/// The command line was wrong, or a file given on it could not be read or written.
pub const EXIT_USAGE: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "agentls",
    version,
    about = "Linter and language server for AI agent definition files (Claude Code, Factory, Copilot, OpenCode)",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check agent files (folders are walked, respecting .gitignore).
    Check(CheckArgs),
    /// Print the documentation of a rule, or list all rules when no code is given.
    Explain {
        /// A rule code such as `unknown-tool`.
        code: Option<String>,
    },
    /// List all rules with their default severity.
    Rules,
    /// Write a starter `.agentls.yaml` (sections at hint level only) into the current folder.
    Init {
        /// Replace an existing `.agentls.yaml`.
        #[arg(long)]
        force: bool,
    },
    /// Write an agent for another product, at the path that product loads it from.
    Port(PortArgs),
    /// Run the language server on stdin/stdout.
    Lsp {
        /// Accepted for editor clients that pass it; stdio is the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files or folders to check. Files named here are always checked; in folders, only files at
    /// a known agent path (`.claude/agents/`, `.factory/droids/`, `.github/agents/`, ...) are.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Apply all safe fixes and write the files back, then report what remains.
    #[arg(long)]
    fix: bool,
    /// Use this policy file for every file instead of looking for `.agentls.yaml`.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Treat every file as this dialect instead of detecting it.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
    /// Never colour the output (colour is used only on a terminal, and never when NO_COLOR is set).
    #[arg(long)]
    no_color: bool,
    /// Also print hints (recommendations such as missing recommended sections) in text and github output.
    #[arg(long)]
    hints: bool,
    /// Print the files that would be checked, one per line, and exit.
    #[arg(long)]
    show_files: bool,
    /// Report only on files changed against this git ref (plus untracked files); references
    /// still resolve against the whole tree.
    #[arg(long, value_name = "GIT_REF")]
    changed: Option<String>,
    /// Skip the cross-file rules (duplicate names, unknown agents, skills and MCP servers).
    #[arg(long)]
    no_cross_file: bool,
    /// Also read your user-level agents (~/.claude/agents, ~/.factory/droids, ~/.copilot/agents,
    /// ~/.config/opencode/agent(s)) for the cross-file rules: references to them resolve, and a
    /// project agent of the same name is reported. They are never reported on themselves.
    #[arg(long, conflicts_with = "no_cross_file")]
    user_scope: bool,
    /// Print, per file, what each product that reads it (or could be given it) will load, instead
    /// of the diagnostics (`--format json` for CI).
    #[arg(long)]
    portability: bool,
}

#[derive(Debug, clap::Args)]
struct PortArgs {
    /// The agent file to port.
    file: PathBuf,
    /// The product to port it to.
    #[arg(long, value_enum)]
    to: DialectArg,
    /// Write here instead of the target's own path (`.factory/droids/<name>.md`, ...).
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Print the ported file instead of writing it (the notes go to stderr).
    #[arg(long, conflicts_with = "out")]
    stdout: bool,
    /// Replace the target file when it exists.
    #[arg(long)]
    force: bool,
    /// Treat the file as this dialect instead of detecting it.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
    /// Output format of the notes.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`), one per diagnostic.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DialectArg {
    Claude,
    Factory,
    Copilot,
    Opencode,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Dialect {
        match d {
            DialectArg::Claude => Dialect::Claude,
            DialectArg::Factory => Dialect::Factory,
            DialectArg::Copilot => Dialect::Copilot,
            DialectArg::Opencode => Dialect::Opencode,
        }
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    // `--version` also says how current the compiled-in facts are.
    let version: &'static str = Box::leak(version_text().into_boxed_str());
    let parsed = Cli::command().version(version).try_get_matches().and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with code 0; real usage errors to stderr with code 2.
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::Explain { code: Some(code) } => explain::explain(&code),
        Command::Explain { code: None } | Command::Rules => explain::list(),
        Command::Init { force } => init::init(std::path::Path::new("."), force),
        Command::Port(a) => port::run(&port::Options {
            file: a.file,
            to: a.to.into(),
            out: a.out,
            stdout: a.stdout,
            force: a.force,
            json: a.format == Format::Json,
            dialect: a.dialect.map(Dialect::from),
        }),
        Command::Lsp { stdio: _ } => crate::lsp::run(),
    }
}

/// The version, then per catalog its product and the date it was last checked against the vendor,
/// then the date of the conditions file: `0.1.0`, `claude-code catalog 2026-12-02`, ...
pub fn version_text() -> String {
    let mut out = env!("CARGO_PKG_VERSION").to_string();
    for d in Dialect::ALL {
        let c = crate::catalog::builtin(d);
        out.push_str(&format!("\n{} catalog {}", c.product, c.updated));
    }
    out.push_str(&format!("\nconditions {}", crate::semantics::conditions::builtin().updated));
    out
}

fn run_check(args: CheckArgs) -> i32 {
    let opts = check::Options {
        paths: args.paths,
        policy: args.policy,
        dialect: args.dialect.map(Dialect::from),
        fix: args.fix,
        hide_hints: matches!(args.format, Format::Text | Format::Github) && !args.hints,
        cross_file: !args.no_cross_file,
        changed: args.changed,
        user_scope: args.user_scope,
    };
    if args.show_files {
        return show_files(&opts);
    }
    if args.portability {
        return portability(&opts, args.format == Format::Json);
    }
    let mut outcome = check::run_indexed(&opts, &crate::engine::check_on_disk, Some(&crate::engine::check_indexed));
    // The process ends after the report: freeing ten thousand files' facts one by one (25 ms)
    // would only delay that, so the index is left to the operating system.
    std::mem::forget(outcome.index.take());
    for e in &outcome.errors {
        eprintln!("agentls: error: {e}");
    }
    let report = &outcome.report;
    let mut out = String::new();
    match args.format {
        Format::Text => {
            for s in &report.skipped {
                eprintln!("agentls: warning: skipped {}: {}", s.path, s.reason);
            }
            if report.files_checked == 0 && report.skipped.is_empty() && outcome.errors.is_empty() {
                eprintln!(
                    "agentls: warning: no agent files found (looked for .claude/agents/, .factory/droids/, \
                     .github/agents/, *.agent.md, *.prompt.md, *.chatmode.md and .opencode/agent(s)/)"
                );
            }
            let color = !args.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && {
                std::io::stdout().is_terminal()
            };
            render::text::render(report, &render::text::Options { color, hints: args.hints }, &mut out);
        }
        Format::Json => render::json::render(report, &mut out),
        Format::Sarif => render::sarif::render(report, &mut out),
        Format::Github => render::github::render(report, &render::github::Options { hints: args.hints }, &mut out),
    }
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`agentls check | head`) is not worth a panic; the exit code still tells.
    let _ = stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush());
    let code = outcome.exit_code();
    // The process ends right after this: freeing every file's text and diagnostics one by one
    // would only delay the exit (~7% of a 10,000-file run), so the memory goes back with the process.
    std::mem::forget(outcome);
    std::mem::forget(out);
    code
}

/// `check --portability`: the portability report of each file, as text or one JSON array.
fn portability(opts: &check::Options, json: bool) -> i32 {
    let collected = check::collect(opts);
    for e in &collected.errors {
        eprintln!("agentls: error: {e}");
    }
    let mut text = String::new();
    let mut all = Vec::new();
    for job in &collected.jobs {
        let Ok(src) = std::fs::read_to_string(&job.abs) else {
            eprintln!("agentls: error: cannot read {}", job.display);
            continue;
        };
        let settings = crate::analysis::Settings {
            policy: job.policy.clone(),
            dialect_override: opts.dialect,
            ..Default::default()
        };
        let a = crate::analysis::analyze(&src, Some(&job.abs), &settings);
        let Some(r) = crate::port::report::report(&a) else { continue };
        if json {
            all.push(serde_json::json!({"file": job.display, "report": r}));
        } else {
            text.push_str(&r.text(&job.display));
            text.push('\n');
        }
    }
    if json {
        text = serde_json::to_string_pretty(&all).unwrap_or_default();
        text.push('\n');
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    if collected.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_USAGE
    }
}

fn show_files(opts: &check::Options) -> i32 {
    let collected = check::collect(opts);
    for e in &collected.errors {
        eprintln!("agentls: error: {e}");
    }
    let mut stdout = std::io::stdout().lock();
    for job in &collected.jobs {
        let _ = writeln!(stdout, "{}", job.display);
    }
    if collected.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_USAGE
    }
}
