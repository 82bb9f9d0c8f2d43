//! The command line: `agentls check`, `agentls explain`, `agentls lsp`.

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    // Only `agentls lsp` is wired until the full command line lands; it replaces this dispatch.
    match std::env::args().nth(1).as_deref() {
        Some("lsp") => crate::lsp::run(),
        _ => 0,
    }
}
