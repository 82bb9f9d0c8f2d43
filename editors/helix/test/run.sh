#!/usr/bin/env bash
# Runs real Helix (Debian trixie's `hx`, fetched into .tools/helix) in tmux against an agentls binary,
# with this folder's languages.toml used verbatim, on the seed droid placed at
# .factory/droids/senior-backend-developer.md in a temporary workspace. Passes when Helix's log shows
# a publishDiagnostics from agentls carrying a diagnostic with source "agentls", and the screen shows it.
# Usage: editors/helix/test/run.sh SERVER_BINARY
# Environment: AGENTLS_SEED (seed file; default tests/fixtures/seed-droid.md in the repository),
#              AGENTLS_TOOLS (download cache; default <repo>/.tools).
set -euo pipefail

die() { echo "FAIL: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 SERVER_BINARY"
SERVER=$(realpath "$1" 2>/dev/null) || die "server binary $1 not found"
[ -x "$SERVER" ] && [ -f "$SERVER" ] || die "server binary $SERVER is not an executable file"

HERE=$(cd "$(dirname "$0")" && pwd)
HELIX_DIR=$(dirname "$HERE")
REPO=$(cd "$HELIX_DIR/../.." && pwd)
TOOLS=${AGENTLS_TOOLS:-$REPO/.tools}
SEED=${AGENTLS_SEED:-$REPO/tests/fixtures/seed-droid.md}
[ -f "$SEED" ] || die "seed droid not found at $SEED (set AGENTLS_SEED)"
command -v tmux >/dev/null || die "tmux is needed to run Helix without a terminal (apt-get install tmux)"

"$HERE/fetch-helix.sh" "$TOOLS/helix" || die "could not obtain Helix from Debian trixie: the test cannot run"
HX=$TOOLS/helix/hx
echo "Using $("$HX" --version) at $HX"

W=$(mktemp -d)
# A private tmux server (-L): the test never touches a user's sessions, and starts with our environment.
T=(tmux -L "agentls-hx-$$")
S=helix
SOCKET=''
# kill-server leaves the socket file behind, so it is removed too.
cleanup() { "${T[@]}" kill-server 2>/dev/null || true; [ -z "$SOCKET" ] || rm -f "$SOCKET"; rm -rf "$W"; }
trap cleanup EXIT

# `agentls` is found through PATH, exactly as languages.toml says.
mkdir -p "$W/bin" "$W/config/helix" "$W/ws/.factory/droids"
ln -s "$SERVER" "$W/bin/agentls"
cp "$HELIX_DIR/languages.toml" "$W/config/helix/languages.toml"
printf '[editor]\nend-of-line-diagnostics = "hint"\n[editor.inline-diagnostics]\ncursor-line = "hint"\nother-lines = "hint"\n' \
  > "$W/config/helix/config.toml"
cp "$SEED" "$W/ws/.factory/droids/senior-backend-developer.md"
export PATH="$W/bin:$PATH" XDG_CONFIG_HOME="$W/config" XDG_CACHE_HOME="$W/cache"

# Colours are stripped; the health report must show agentls found and the default servers still listed.
health=$(cd "$W/ws" && "$HX" --health markdown 2>&1 | sed 's/\x1b\[[0-9;]*m//g' || true)
echo "$health" | grep -q '✓ agentls: ' || { echo "$health"; die "hx --health markdown does not list agentls as found"; }
for default in marksman markdown-oxide; do
  echo "$health" | grep -q " $default: " || { echo "$health"; die "languages.toml dropped Helix's default server $default"; }
done
echo "PASS: hx --health markdown lists agentls (with marksman and markdown-oxide kept)"

# languages-marksman.toml (agentls next to marksman with feature routing) must parse: Helix falls back
# to its built-in languages on a file it cannot read, and then agentls is not listed at all.
mkdir -p "$W/config-marksman/helix"
cp "$HELIX_DIR/languages-marksman.toml" "$W/config-marksman/helix/languages.toml"
health=$(cd "$W/ws" && XDG_CONFIG_HOME="$W/config-marksman" "$HX" --health markdown 2>&1 | sed 's/\x1b\[[0-9;]*m//g' || true)
echo "$health" | grep -q '✓ agentls: ' || { echo "$health"; die "hx --health markdown with languages-marksman.toml does not list agentls"; }
echo "$health" | grep -q ' marksman: ' || { echo "$health"; die "languages-marksman.toml dropped marksman"; }
echo "PASS: languages-marksman.toml: hx --health markdown lists marksman and agentls"

LOG=$W/helix.log
# The environment is set inside the pane's command: tmux 3.3 ignores `new-session -e PATH=...`.
"${T[@]}" new-session -d -s "$S" -x 160 -y 40 -c "$W/ws" \
  "env PATH='$PATH' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' '$HX' -vvv --log '$LOG' .factory/droids/senior-backend-developer.md"
SOCKET=$("${T[@]}" display-message -p '#{socket_path}' 2>/dev/null || true)

# Helix logs every message from a server as `agentls <- {json}`; wait for a diagnostics notification
# from agentls that carries at least one diagnostic with source "agentls".
message=''
for _ in $(seq 1 80); do
  sleep 0.25
  grep -qs 'textDocument/publishDiagnostics' "$LOG" || continue
  message=$(python3 - "$LOG" <<'PY' || true
import json, sys
try:
    lines = open(sys.argv[1], encoding='utf-8', errors='replace').read().splitlines()
except FileNotFoundError:
    sys.exit(1)
for line in lines:
    if 'agentls <- ' not in line or 'textDocument/publishDiagnostics' not in line:
        continue
    try:
        msg = json.loads(line.split('agentls <- ', 1)[1])
    except ValueError:
        continue
    ours = [d for d in msg.get('params', {}).get('diagnostics', []) if d.get('source') == 'agentls']
    if ours:
        first = min(ours, key=lambda d: d['range']['start']['line'])
        print(first['range']['start']['line'], first['message'].splitlines()[0])
        sys.exit(0)
sys.exit(1)
PY
)
  [ -n "$message" ] && break
done
sleep 1
screen=$("${T[@]}" capture-pane -p -t "$S" 2>/dev/null || true)
echo "--- Helix screen"
echo "$screen"
echo "---"
"${T[@]}" send-keys -t "$S" ':q!' 2>/dev/null || true
sleep 0.3
# ':q!' and Enter are sent apart: together, Esc+':' may be read as Alt-:.
"${T[@]}" send-keys -t "$S" Enter 2>/dev/null || true
sleep 0.5

if [ -z "$message" ]; then
  echo "--- tail of $LOG"
  tail -n 30 "$LOG" 2>/dev/null || echo "(no log)"
  die "Helix received no publishDiagnostics with source \"agentls\" within 20 s"
fi
line=${message%% *}
text=${message#* }
echo "PASS: Helix received agentls diagnostics (first on line $((line + 1)): $text)"

# Inline diagnostics are drawn under their line; a diagnostic in the first screenful must be visible.
# Only a prefix is compared, since Helix wraps and truncates long messages.
prefix=${text:0:20}
if [ "$line" -lt 20 ]; then
  echo "$screen" | grep -qF -- "$prefix" || die "the diagnostic \"$prefix...\" is not on Helix's screen"
  echo "PASS: the diagnostic is drawn on Helix's screen"
else
  echo "SKIP: the first diagnostic (line $((line + 1))) is below the first screenful; not checked on screen"
fi
echo "OK: all Helix checks passed"
