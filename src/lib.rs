//! agentls: a language server and linter for AI agent definition files.
//!
//! The engine (`registry`, `syntax`, `dialect`, `catalog`, `policy`, `rules`, `analysis`) is pure and speaks
//! byte ranges and typed rule codes. The command line (`cli`) and the language server (`lsp`)
//! render its results at the edge; only `lsp` knows LSP types.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod diagnostic;
pub mod dialect;
pub mod engine;
pub mod files;
pub mod fix;
pub mod ide;
pub mod loader;
pub mod lsp;
pub mod mcp;
pub mod policy;
pub mod port;
pub mod registry;
pub mod rules;
pub mod semantics;
pub mod suppress;
pub mod syntax;
pub mod text;
pub mod tools;
pub mod workspace;
