#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 10): `fuzz/run.sh 600` for a real run.
# Installs cargo-fuzz into a cache folder when it is missing, and fails loudly when it cannot, when
# the nightly toolchain is missing, or when a target finds a crash (the input is kept under
# fuzz/artifacts/<target>/). Seeds come from fuzz/corpus/<target>/ (read only); what libFuzzer
# discovers goes to fuzz/work/<target>/ (ignored by git), so repeated runs build on each other.
#
# Environment: FUZZ_TOOLCHAIN (default nightly), FUZZ_SANITIZER (default none: the engine is safe
# Rust, so the sanitizer's slowdown buys little; use address to check unsafe code in dependencies),
# FUZZ_TARGETS (default: all), CARGO_FUZZ_ROOT (where cargo-fuzz is installed when missing),
# CARGO_TARGET_DIR (where to build; default fuzz/target), FUZZ_DEV=1 (build without optimizations:
# a third of the build time and a slower fuzzer, for brief runs such as CI's).
set -euo pipefail
secs="${1:-10}"
cd "$(dirname "$0")"
die() { echo "fuzz/run.sh: $*" >&2; exit 1; }

toolchain="${FUZZ_TOOLCHAIN:-nightly}"
cargo "+$toolchain" --version >/dev/null 2>&1 \
  || die "the $toolchain toolchain is missing (rustup toolchain install $toolchain); libFuzzer needs it"

if ! cargo fuzz --version >/dev/null 2>&1; then
  root="${CARGO_FUZZ_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/agentls/cargo-fuzz}"
  export PATH="$root/bin:$PATH"
  if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: installing cargo-fuzz into $root"
    # A debug build of cargo-fuzz: it only drives cargo and libFuzzer, and builds in half the time.
    cargo install cargo-fuzz --locked --debug --root "$root" || die "cannot install cargo-fuzz from crates.io"
    cargo fuzz --version >/dev/null 2>&1 || die "cargo-fuzz installed but does not run"
  fi
fi
cargo fuzz --version

targets="${FUZZ_TARGETS:-parse_check policy edits}"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
flags=(--sanitizer "${FUZZ_SANITIZER:-none}" --debug-assertions --target-dir "$target_dir")
[ -n "${FUZZ_DEV:-}" ] && flags+=(--dev)
cargo "+$toolchain" fuzz build "${flags[@]}" || die "the fuzz targets do not build"

for t in $targets; do
  mkdir -p "work/$t" "artifacts/$t"
  echo "==> $t for ${secs}s"
  log="$(mktemp)"
  # A single input running past -timeout counts as a hang (a finding), and one holding more than
  # -rss_limit_mb as a memory blow-up; -max_len keeps inputs near the size of real agent files.
  if ! cargo "+$toolchain" fuzz run "${flags[@]}" "$t" "work/$t" "corpus/$t" -- \
      -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    rm -f "$log"
    die "target $t failed: see the input under fuzz/artifacts/$t/"
  fi
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || tail -n 3 "$log"
  rm -f "$log"
done
echo "fuzz/run.sh: no findings"
