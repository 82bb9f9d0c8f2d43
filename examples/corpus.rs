//! Writes a generated corpus of agent files of the four dialects for benchmarks:
//! `cargo run --release --example corpus -- OUT_DIR [FILES] [SEED]` (default 10,000 files, seed 1).
//! Files are spread over projects of 100 (`OUT_DIR/p0000/.claude/agents/...`); about one in four
//! carries a typical mistake. Prints the number of files and bytes written.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first().map(PathBuf::from) else {
        eprintln!("usage: corpus OUT_DIR [FILES] [SEED]");
        return ExitCode::from(2);
    };
    let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut bytes = 0;
    for f in corpus::corpus(n, seed) {
        let path = out.join(&f.path);
        let written =
            path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, &f.text));
        if let Err(e) = written {
            eprintln!("corpus: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        bytes += f.text.len();
    }
    println!("{n} files, {bytes} bytes");
    ExitCode::SUCCESS
}
