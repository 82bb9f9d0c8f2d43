#!/usr/bin/env bash
# Shows how the cost of `agentls check` grows with the number of files and with the size of one
# file: it should grow linearly, so the cost per file and per MB should stay flat down each table.
#
#   benches/scaling.sh                    # 1k/5k/10k/20k files, then one file of 1/5/10/20 MB
#   COUNTS="1000 2000" SIZES="1 2" RUNS=3 benches/scaling.sh
#
# Each row is the median of RUNS runs (after one untimed warm-up) of `agentls check` in the
# generated folder, text output to /dev/null. CPU is user + sys, over all threads.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNTS=${COUNTS:-1000 5000 10000 20000}
SIZES=${SIZES:-1 5 10 20}
RUNS=${RUNS:-5}
TARGET_DIR=${CARGO_TARGET_DIR:-target}

cargo build --release --quiet --bin agentls --example corpus
AGENTLS=$(realpath "$TARGET_DIR/release/agentls")
CORPUS_BIN=$(realpath "$TARGET_DIR/release/examples/corpus")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# Times `agentls check .` in $1; prints "wall cpu" medians in seconds.
measure() {
    local dir=$1 walls=() cpus=()
    (cd "$dir" && "$AGENTLS" check . >/dev/null 2>&1) || true
    for ((i = 0; i < RUNS; i++)); do
        (cd "$dir" && /usr/bin/time -o "$WORK/time" -f '%e %U %S' "$AGENTLS" check . >/dev/null 2>&1) || true
        read -r w u s < <(tail -1 "$WORK/time")
        walls+=("$w"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')")
    done
    echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median)"
}

bytes_in() { find "$1" -type f -name '*.md' -printf '%s\n' | awk '{s += $1} END {print s}'; }

echo "$(nproc) cores; agentls $("$AGENTLS" --version); medians of $RUNS runs"
echo
echo "| files | MB | wall s | CPU s | CPU µs per file | CPU ms per MB |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in $COUNTS; do
    rm -rf "$WORK/c"; "$CORPUS_BIN" "$WORK/c" "$n" >/dev/null
    b=$(bytes_in "$WORK/c")
    read -r w c < <(measure "$WORK/c")
    awk -v n="$n" -v b="$b" -v w="$w" -v c="$c" \
        'BEGIN {printf "| %d | %.1f | %.3f | %.3f | %.1f | %.2f |\n", n, b / 1e6, w, c, c * 1e6 / n, c * 1e3 / (b / 1e6)}'
done
echo
echo "| one file, MB | wall s | CPU s | CPU ms per MB |"
echo "|---:|---:|---:|---:|"
for mb in $SIZES; do
    rm -rf "$WORK/b"; "$CORPUS_BIN" "$WORK/b" --big $((mb << 20)) >/dev/null
    b=$(bytes_in "$WORK/b")
    read -r w c < <(measure "$WORK/b")
    awk -v b="$b" -v w="$w" -v c="$c" 'BEGIN {printf "| %.1f | %.3f | %.3f | %.2f |\n", b / 1e6, w, c, c * 1e3 / (b / 1e6)}'
done
