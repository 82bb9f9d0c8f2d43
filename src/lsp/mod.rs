//! The language server (`agentls lsp`), over stdio. All LSP types live under this module.
//!
//! Layout: `server` routes each LSP method (decode → engine → encode): one helper looks up the
//! document and runs the engine behind the panic guard, on the protocol thread for a small
//! document and on the `engine_thread` for a large one, so a slow analysis cannot stall the
//! protocol; `features` holds the
//! synchronous body of each request; `store` keeps the open documents
//! (snapshots of text, line index and version, edited in place); `session` keeps client flags,
//! settings and cached policies; `proto` does every conversion between engine types and LSP
//! types; `config` reads the editor settings; `capabilities` negotiates with the client;
//! `transport` keeps malformed input from ending the session.
//!
//! Custom requests: `agentls/documentText` (`{textDocument: {uri}}` → `{uri, version, text}` or
//! `null`) returns the server's copy of an open document; debug builds also answer
//! `agentls/debugPanic` with an `InternalError` produced by a deliberate panic.

#![deny(clippy::print_stdout)]

mod capabilities;
mod config;
mod engine_thread;
mod features;
mod index;
mod navigation;
mod proto;
mod server;
mod session;
// Public (but not part of the documented API) so the fuzz and property tests can drive the
// document store directly, with the same incremental edits the server applies.
#[doc(hidden)]
pub mod store;
mod transport;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tower_lsp_server::{LspService, Server};

/// Serves LSP on stdin/stdout until `exit`; returns the process exit code: 0 when `shutdown`
/// came before `exit` (or before stdin closed), 1 otherwise, as the specification asks.
pub fn run() -> i32 {
    // One thread runs the protocol (decoding, routing, encoding, and the engine on small
    // documents), the engine thread runs the engine on large ones, tokio's blocking pool reads
    // stdin and writes stdout. Async worker threads would only add a thread hop to every message:
    // the transport's task and tower-lsp-server's loop then ran on different threads.
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("agentls: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let code = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // The stdin reader sits in a blocking read on tokio's blocking pool; waiting for it would
    // keep the process alive after `exit` until the client closes the pipe.
    runtime.shutdown_background();
    code
}

/// Serves LSP over any byte streams; returns the exit code as [`run`] does.
pub async fn serve<I, O>(input: I, output: O) -> i32
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite,
{
    let engine = match engine_thread::EngineThread::start() {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("agentls: cannot start the engine thread: {e}");
            return 1;
        }
    };
    let indexer = match engine_thread::EngineThread::start_named("agentls-index") {
        Ok(t) => t,
        Err(e) => {
            eprintln!("agentls: cannot start the index thread: {e}");
            return 1;
        }
    };
    let shut_down = Arc::new(AtomicBool::new(false));
    let flag = shut_down.clone();
    let builder = LspService::build(move |client| server::Backend::new(client, flag, engine, indexer))
        .custom_method("agentls/documentText", server::Backend::document_text);
    #[cfg(debug_assertions)]
    let builder = builder.custom_method("agentls/debugPanic", server::Backend::debug_panic);
    let (service, socket) = builder.finish();
    Server::new(transport::sanitized(input), output, socket).serve(service).await;
    if shut_down.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}
