#!/usr/bin/env bash
# Fetches Helix (`hx`) and the glibc it needs from Debian trixie into DEST, with a private apt state:
# nothing is installed system-wide. Writes DEST/hx, a wrapper that runs Helix under trixie's loader
# (the host's glibc may be too old for it). Reuses DEST when DEST/hx already runs.
# Usage: fetch-helix.sh DEST
set -euo pipefail

DEST=${1:?usage: $0 DEST}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
if "$DEST/hx" --version >/dev/null 2>&1; then
  exit 0
fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
  || { echo "FAIL: apt-get and dpkg-deb are needed to fetch Helix from Debian" >&2; exit 1; }

# The mirror is whatever Debian mirror apt already uses on this machine.
MIRROR=$(apt-get indextargets --format '$(REPO_URI)' | grep -m1 '/debian/$' || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian/}
A="$DEST/apt"
rm -rf "$A" "$DEST/root" "$DEST"/*.deb
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/parts"
echo "deb $MIRROR trixie main" > "$A/sources.list"
O=(-o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts="$A/parts"
   -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache" -o APT::Sandbox::User=root)
apt-get "${O[@]}" update -qq
(cd "$DEST" && apt-get "${O[@]}" download hx libc6)
dpkg-deb -x "$DEST"/hx_*.deb "$DEST/root"
dpkg-deb -x "$DEST"/libc6_*.deb "$DEST/root"
rm -rf "$A" "$DEST"/*.deb

G="$DEST/root/usr/lib/x86_64-linux-gnu"
[ -x "$G/ld-linux-x86-64.so.2" ] || { echo "FAIL: no x86_64 loader in trixie's libc6 (this recipe is for x86_64)" >&2; exit 1; }
cat > "$DEST/hx" <<WRAPPER
#!/bin/sh
# Runs Debian trixie's Helix under trixie's own glibc loader; the servers it starts use the host's.
export HELIX_RUNTIME="\${HELIX_RUNTIME:-$DEST/root/usr/lib/hx/runtime}"
exec "$G/ld-linux-x86-64.so.2" --library-path "$G" "$DEST/root/usr/lib/hx/hx" "\$@"
WRAPPER
chmod +x "$DEST/hx"
"$DEST/hx" --version
