#!/usr/bin/env bash
# Times `agentls check` against agnix (the nearest peer linter for agent files) on the
# same generated corpus of agent files in the four dialects, in one run, so the ratio compares
# like with like on a machine whatever its load.
#
#   benches/compare-agnix.sh                  # 10,000 files, 5 timed runs of each tool
#   FILES=2000 RUNS=3 benches/compare-agnix.sh
#   INSTALL_AGNIX=1 benches/compare-agnix.sh  # first install agnix into .tools/agnix (~7 min)
#
# agnix is taken from $AGNIX, else .tools/agnix/bin/agnix, else the PATH; without it only agentls
# is timed. agnix does not know Factory droids; it simply runs on the same tree.
#
# Printed per tool: median wall time, median CPU time (user + sys), files/s, and MB/s per core
# (the corpus size divided by CPU seconds: what one core gets through). Runs alternate between the
# tools after one untimed warm-up run each, so both see the same page cache and the same load.
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=${FILES:-10000}
RUNS=${RUNS:-5}
TARGET_DIR=${CARGO_TARGET_DIR:-target}

if [[ -z "${AGNIX:-}" ]]; then
    if [[ -x .tools/agnix/bin/agnix ]]; then
        AGNIX=.tools/agnix/bin/agnix
    elif command -v agnix >/dev/null; then
        AGNIX=$(command -v agnix)
    elif [[ "${INSTALL_AGNIX:-0}" == 1 ]]; then
        cargo install agnix-cli --locked --root .tools/agnix
        AGNIX=.tools/agnix/bin/agnix
    else
        AGNIX=
        echo "agnix not found: timing agentls only (INSTALL_AGNIX=1 installs it into .tools/agnix)" >&2
    fi
fi
[[ -n "$AGNIX" ]] && AGNIX=$(realpath "$AGNIX")

cargo build --release --quiet --bin agentls --example corpus
AGENTLS=$(realpath "$TARGET_DIR/release/agentls")

CORPUS=$(mktemp -d)
trap 'rm -rf "$CORPUS" "$CORPUS.time"' EXIT
"$TARGET_DIR/release/examples/corpus" "$CORPUS" "$FILES" >/dev/null
BYTES=$(find "$CORPUS" -type f -name '*.md' -printf '%s\n' | awk '{s += $1} END {print s}')

# Runs a command in the corpus folder; prints "wall cpu" in seconds.
# Both tools exit non-zero when they find errors, which the corpus has on purpose.
timed() {
    (cd "$CORPUS" && /usr/bin/time -o "$CORPUS.time" -f '%e %U %S' "$@" >/dev/null 2>&1) || true
    tail -1 "$CORPUS.time" | awk '{printf "%.3f %.3f\n", $1, $2 + $3}'
}

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

declare -a LS_WALL LS_CPU AX_WALL AX_CPU
"$AGENTLS" check "$CORPUS" >/dev/null 2>&1 || true
[[ -n "$AGNIX" ]] && { (cd "$CORPUS" && "$AGNIX" --max-files 0 . >/dev/null 2>&1) || true; }
for ((i = 0; i < RUNS; i++)); do
    read -r w c < <(timed "$AGENTLS" check .)
    LS_WALL+=("$w"); LS_CPU+=("$c")
    if [[ -n "$AGNIX" ]]; then
        read -r w c < <(timed "$AGNIX" --max-files 0 .)
        AX_WALL+=("$w"); AX_CPU+=("$c")
    fi
done

report() {
    local name=$1 wall=$2 cpu=$3
    awk -v n="$name" -v w="$wall" -v c="$cpu" -v f="$FILES" -v b="$BYTES" \
        'BEGIN {printf "| %s | %.2f | %.2f | %.0f | %.1f |\n", n, w, c, f / w, b / 1e6 / c}'
}

echo "corpus: $FILES files, $(awk -v b="$BYTES" 'BEGIN {printf "%.1f", b / 1e6}') MB; $(nproc) cores; $RUNS runs each (medians)"
echo "agentls: $("$AGENTLS" --version)${AGNIX:+; agnix: $("$AGNIX" --version)}"
echo
echo "| tool | wall s | CPU s | files/s | MB/s per core |"
echo "|---|---:|---:|---:|---:|"
LW=$(printf '%s\n' "${LS_WALL[@]}" | median); LC=$(printf '%s\n' "${LS_CPU[@]}" | median)
report "agentls check" "$LW" "$LC"
if [[ -n "$AGNIX" ]]; then
    AW=$(printf '%s\n' "${AX_WALL[@]}" | median); AC=$(printf '%s\n' "${AX_CPU[@]}" | median)
    report "agnix" "$AW" "$AC"
    echo
    awk -v lw="$LW" -v lc="$LC" -v aw="$AW" -v ac="$AC" \
        'BEGIN {printf "agentls is %.1fx faster than agnix in wall time, %.1fx in CPU time\n", aw / lw, ac / lc}'
fi
