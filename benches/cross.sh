#!/usr/bin/env bash
# What the cross-file rules cost `agentls check`: the same generated tree checked with them (the
# default) and with `--no-cross-file`. The tree is the index benchmark's (examples/indexbench.rs):
# N Claude Code agents in folders of 100, each calling two others through `Agent(...)`, and a `hub`
# agent called by the first 100. The issue's target: with cross-file rules on, within 20% of off.
#
#   benches/cross.sh            # N=10000, 15 runs each, on and off in turn
#   N=2000 RUNS=3 benches/cross.sh
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
RUNS=${RUNS:-15}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin agentls
AGENTLS=$(realpath "$TARGET_DIR/release/agentls")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK/ws" "$N" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
agents = os.path.join(root, ".claude", "agents")
def agent(name, calls):
    return (f"---\nname: {name}\ndescription: Generated agent {name} for the index benchmark.\n"
            f"tools: Read, Grep, Agent({', '.join(calls)})\nmodel: sonnet\n---\n\n# {name}\n\nDo the work of {name}.\n")
for i in range(n):
    calls = [f"a{(i + 1) % n}", f"a{(i + 37) % n}"] + (["hub"] if i < 100 else [])
    d = os.path.join(agents, f"g{i // 100}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"a{i}.md"), "w") as f:
        f.write(agent(f"a{i}", calls))
with open(os.path.join(agents, "hub.md"), "w") as f:
    f.write(agent("hub", ["a1"]))
PY

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
# One run of `agentls check . $@` in the tree: prints "wall cpu peak_MiB".
once() {
    (cd "$WORK/ws" && /usr/bin/time -o "$WORK/time" -f '%e %U %S %M' "$AGENTLS" check . "$@" >/dev/null 2>&1) || true
    read -r w u s m < <(tail -1 "$WORK/time")
    echo "$w $(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') $((m / 1024))"
}

echo "$(nproc) cores; agentls $("$AGENTLS" --version | head -n 1); $((N + 1)) agents; medians of $RUNS runs"
# On and off in turn, after one warm-up run each, so that both see the same drift of a shared
# machine; the ratio is the median of each pair's.
once >/dev/null
once --no-cross-file >/dev/null
: >"$WORK/on"
: >"$WORK/off"
: >"$WORK/ratio"
for ((i = 0; i < RUNS; i++)); do
    read -r won con mon < <(once)
    read -r woff coff moff < <(once --no-cross-file)
    echo "$won $con $mon" >>"$WORK/on"
    echo "$woff $coff $moff" >>"$WORK/off"
    awk -v a="$won" -v b="$woff" -v c="$con" -v d="$coff" 'BEGIN {printf "%.4f %.4f\n", a / b, c / d}' >>"$WORK/ratio"
done
col() { awk -v c="$2" '{print $c}' "$WORK/$1" | median; }
printf '%-22s %8s %8s %9s\n' "" "wall s" "cpu s" "peak MiB"
printf '%-22s %8s %8s %9s\n' "cross-file rules on" "$(col on 1)" "$(col on 2)" "$(col on 3)"
printf '%-22s %8s %8s %9s\n' "--no-cross-file" "$(col off 1)" "$(col off 2)" "$(col off 3)"
printf 'on / off, median of the %s pairs: %.2f x wall, %.2f x cpu (target: wall <= 1.20)\n' \
    "$RUNS" "$(col ratio 1)" "$(col ratio 2)"
