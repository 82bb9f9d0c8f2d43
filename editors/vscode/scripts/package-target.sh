#!/usr/bin/env bash
# Packages the VS Code extension for one platform with the agentls server bundled, the way
# rust-analyzer and ruff publish theirs: `vsce package --target <platform>` with the binary at
# server/agentls (server/agentls.exe on Windows), where the extension looks for it.
# The release workflow runs this for each of its Rust targets; editors/check.sh (and so .ci/run)
# runs it for the host's.
#
# usage: editors/vscode/scripts/package-target.sh RUST_TARGET SERVER_BINARY OUT_DIR
# output: OUT_DIR/agentls-vscode-<platform>.vsix and its .sha256 (sha256sum format)
# needs:  node_modules (npm ci) in editors/vscode; vsce runs `npm run build` (vscode:prepublish)
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 RUST_TARGET SERVER_BINARY OUT_DIR" >&2; exit 2; }
target=$1
server=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)
[ -f "$server" ] || { echo "package-target.sh: no server binary at $server" >&2; exit 1; }
cd "$(dirname "$0")/.."

# Rust target triple -> VS Code platform (https://code.visualstudio.com/api/working-with-extensions/publishing-extension#platformspecific-extensions).
case "$target" in
  x86_64-unknown-linux-gnu) platform=linux-x64 ;;
  aarch64-unknown-linux-gnu) platform=linux-arm64 ;;
  x86_64-apple-darwin) platform=darwin-x64 ;;
  aarch64-apple-darwin) platform=darwin-arm64 ;;
  x86_64-pc-windows-msvc) platform=win32-x64 ;;
  aarch64-pc-windows-msvc) platform=win32-arm64 ;;
  *) echo "package-target.sh: no VS Code platform for Rust target $target" >&2; exit 1 ;;
esac
exe=agentls
case "$platform" in win32-*) exe=agentls.exe ;; esac

rm -rf server
mkdir server
cp "$server" "server/$exe"
chmod 755 "server/$exe"
trap 'rm -rf server' EXIT
vsix=agentls-vscode-$platform.vsix
npx --no-install vsce package --no-dependencies --allow-missing-repository --target "$platform" --out "$out/$vsix"
if command -v sha256sum >/dev/null 2>&1; then
  (cd "$out" && sha256sum "$vsix" > "$vsix.sha256")
else
  (cd "$out" && shasum -a 256 "$vsix" > "$vsix.sha256")
fi
echo "$out/$vsix"
