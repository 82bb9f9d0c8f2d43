//! The `agentls` binary: `agentls check`, `agentls explain`, `agentls lsp`.

// mimalloc instead of the system allocator: parsing and checking make many small, short-lived
// allocations on every thread, and glibc's malloc spent ~15% of `agentls check`'s time in
// `_int_malloc`/`_int_free` and in growing per-thread arenas (see docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(agentls::cli::main());
}
