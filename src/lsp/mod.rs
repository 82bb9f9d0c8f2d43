//! The language server (`agentls lsp`), over stdio. All LSP types live under this module.
