#!/usr/bin/env bash
# Builds agentls for one Rust target and packages it as a release asset, with its SHA-256:
#   dist/agentls-<target>.tar.gz (.zip for Windows) and dist/agentls-<target>.tar.gz.sha256
# The checksum file is in `sha256sum` format (`<hash>  <file name>`), so `sha256sum -c` (or
# `shasum -a 256 -c`) verifies a download next to it. The release workflow runs this for every
# target; .ci/run runs it for the host's (x86_64-unknown-linux-gnu), which is its release build.
#
# usage: .ci/package.sh TARGET
# env:   CARGO_BUILD  the build command, default `cargo build` (the workflow sets `cargo zigbuild`
#                     for aarch64 Linux); DIST  the output folder, default dist/
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: .ci/package.sh TARGET}
build=${CARGO_BUILD:-cargo build}
dist=${DIST:-dist}
host=$(rustc -vV | sed -n 's/^host: //p')

# For the host's own target, build without --target, into target/release: the same binary the
# rest of CI tests, built once. Other targets go to target/<target>/release.
if [ "$target" = "$host" ] && [ "$build" = "cargo build" ]; then
  cargo build --release --locked
  out=target/release
else
  $build --release --locked --target "$target"
  out=target/$target/release
fi
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  out=${out/#target/$CARGO_TARGET_DIR}
fi

exe=agentls
case "$target" in *windows*) exe=agentls.exe ;; esac
[ -f "$out/$exe" ] || { echo "package.sh: $out/$exe was not built" >&2; exit 1; }

name=agentls-$target
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$dist"
cp "$out/$exe" README.md "$stage/$name/"
case "$target" in
  *windows*)
    archive=$name.zip
    rm -f "$dist/$archive"
    if command -v 7z >/dev/null 2>&1; then
      (cd "$stage" && 7z a -tzip -bd "$archive" "$name" >/dev/null)
    else
      (cd "$stage" && zip -qr "$archive" "$name")
    fi
    ;;
  *)
    archive=$name.tar.gz
    # Sorted names, a fixed owner and mtime inside the archive (GNU tar; others take the defaults).
    tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' -czf "$stage/$archive" "$name" 2>/dev/null \
      || tar -C "$stage" -czf "$stage/$archive" "$name"
    ;;
esac
mv "$stage/$archive" "$dist/$archive"
if command -v sha256sum >/dev/null 2>&1; then
  (cd "$dist" && sha256sum "$archive" > "$archive.sha256")
else
  (cd "$dist" && shasum -a 256 "$archive" > "$archive.sha256")
fi
echo "$dist/$archive"
cat "$dist/$archive.sha256"
