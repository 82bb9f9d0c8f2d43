//! The `agentls` binary: `agentls check`, `agentls explain`, `agentls lsp`.

fn main() {
    std::process::exit(agentls::cli::main());
}
