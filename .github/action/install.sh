#!/usr/bin/env bash
# The install step of the agentls action: downloads the release asset of VERSION for this runner
# from the GitHub release of REPO, verifies it against its .sha256 file, and puts agentls on PATH.
#   env: VERSION (`latest`, `v0.1.0` or `0.1.0`), REPO (owner/name), DEST (install folder),
#        RUNNER_OS, RUNNER_ARCH (set by the runner), GITHUB_PATH (optional)
# With AGENTLS_BIN set to an existing binary, nothing is downloaded (used by this repository's CI).
set -euo pipefail
dest=${DEST:-${RUNNER_TEMP:-/tmp}/agentls-bin}
mkdir -p "$dest"
if [ -n "${AGENTLS_BIN:-}" ]; then
  cp "$AGENTLS_BIN" "$dest/"
else
  case "${RUNNER_OS:-Linux}/${RUNNER_ARCH:-X64}" in
    Linux/X64) target=x86_64-unknown-linux-gnu ;;
    Linux/ARM64) target=aarch64-unknown-linux-gnu ;;
    macOS/X64) target=x86_64-apple-darwin ;;
    macOS/ARM64) target=aarch64-apple-darwin ;;
    Windows/X64) target=x86_64-pc-windows-msvc ;;
    *) echo "::error title=agentls::no agentls release for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"; exit 1 ;;
  esac
  case "$target" in *windows*) archive=agentls-$target.zip ;; *) archive=agentls-$target.tar.gz ;; esac
  version=${VERSION:-latest}
  repo=${REPO:-agentls/agentls}
  if [ "$version" = latest ]; then
    base=https://github.com/$repo/releases/latest/download
  else
    base=https://github.com/$repo/releases/download/v${version#v}
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  curl -fsSL --retry 3 -o "$work/$archive" "$base/$archive"
  curl -fsSL --retry 3 -o "$work/$archive.sha256" "$base/$archive.sha256"
  if command -v sha256sum >/dev/null 2>&1; then
    (cd "$work" && sha256sum -c "$archive.sha256")
  else
    (cd "$work" && shasum -a 256 -c "$archive.sha256")
  fi
  case "$archive" in
    *.zip) (cd "$work" && unzip -q "$archive") ;;
    *) tar -C "$work" -xzf "$work/$archive" ;;
  esac
  cp "$work/agentls-$target"/agentls* "$dest/"
  rm -f "$dest/README.md"
fi
chmod +x "$dest"/agentls* 2>/dev/null || true
[ -n "${GITHUB_PATH:-}" ] && echo "$dest" >> "$GITHUB_PATH"
"$dest/agentls" --version | head -n 1
