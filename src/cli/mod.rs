//! The command line: `agentls check`, `agentls explain`, `agentls lsp`.

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    0
}
