//! The language server (`agentls lsp`), over stdio. All LSP types live under this module.

/// Serves LSP on stdin/stdout until `exit`; returns the process exit code.
pub fn run() -> i32 {
    0
}
