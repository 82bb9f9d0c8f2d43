//! Writes a generated corpus of agent files of the four dialects for benchmarks:
//! `cargo run --release --example corpus -- OUT_DIR [FILES] [SEED]` (default 10,000 files, seed 1).
//! Files are spread over projects of 100 (`OUT_DIR/p0000/.claude/agents/...`); about one in four
//! carries a typical mistake. Prints the number of files and bytes written.
//!
//! `corpus OUT_DIR --big BYTES` writes one large droid instead (`OUT_DIR/.factory/droids/big.md`,
//! the seed droid's body repeated to at least BYTES bytes), for measuring how cost grows with size.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn write(out: &Path, rel: &str, text: &str) -> bool {
    let path = out.join(rel);
    let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, text));
    if let Err(e) = &written {
        eprintln!("corpus: cannot write {}: {e}", path.display());
    }
    written.is_ok()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first().map(PathBuf::from) else {
        eprintln!("usage: corpus OUT_DIR [FILES] [SEED] | corpus OUT_DIR --big BYTES");
        return ExitCode::from(2);
    };
    if args.get(1).map(String::as_str) == Some("--big") {
        let Some(size) = args.get(2).and_then(|s| s.parse().ok()) else {
            eprintln!("usage: corpus OUT_DIR --big BYTES");
            return ExitCode::from(2);
        };
        let text = corpus::big_body(size);
        if !write(&out, ".factory/droids/big.md", &text) {
            return ExitCode::FAILURE;
        }
        println!("1 files, {} bytes", text.len());
        return ExitCode::SUCCESS;
    }
    let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut bytes = 0;
    for f in corpus::corpus(n, seed) {
        if !write(&out, &f.path, &f.text) {
            return ExitCode::FAILURE;
        }
        bytes += f.text.len();
    }
    println!("{n} files, {bytes} bytes");
    ExitCode::SUCCESS
}
