#!/usr/bin/env bash
# Runs the pytest-lsp suite (an independent LSP client: pygls/lsprotocol) against a server binary.
# Usage: tests/pytest/run.sh path/to/agentls
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
venv="$root/.tools/pytest-venv"
if [ ! -x "$venv/bin/pytest" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pytest-lsp==1.0.1" "pytest-asyncio>=0.23"
fi
cd "$here"
AGENTLS_BIN="$bin" AGENTLS_ROOT="$root" "$venv/bin/pytest" -q -p no:cacheprovider "$here"
