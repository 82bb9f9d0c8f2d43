#!/usr/bin/env python3
"""Checks a platform .vsix the way VS Code will install it, then unpacks it.

usage: unpack-vsix.py VSIX PLATFORM DEST

Fails unless the package targets PLATFORM (its manifest's TargetPlatform), carries the bundle
(extension/out/extension.js), the manifest and the server at extension/server/agentls[.exe]
with its execute bit, and nothing from the sources or node_modules. Unpacks into DEST keeping
file modes (VS Code keeps them too), so DEST/extension is the installed extension's folder.
"""
import os
import re
import sys
import zipfile

vsix, platform, dest = sys.argv[1:4]
exe = "agentls.exe" if platform.startswith("win32-") else "agentls"
problems = []
with zipfile.ZipFile(vsix) as z:
    names = set(z.namelist())
    for need in ("extension.vsixmanifest", "extension/package.json", "extension/out/extension.js", f"extension/server/{exe}"):
        if need not in names:
            problems.append(f"missing {need}")
    manifest = z.read("extension.vsixmanifest").decode() if "extension.vsixmanifest" in names else ""
    found = re.search(r'TargetPlatform="([^"]+)"', manifest)
    if not found or found.group(1) != platform:
        problems.append(f"TargetPlatform is {found.group(1) if found else 'absent'}, expected {platform}")
    for name in sorted(names):
        if name.startswith(("extension/src/", "extension/node_modules/", "extension/test/")) or name.endswith(".ts"):
            problems.append(f"ships a source or dependency file: {name}")
    if f"extension/server/{exe}" in names and not platform.startswith("win32-"):
        mode = (z.getinfo(f"extension/server/{exe}").external_attr >> 16) & 0o777
        if mode & 0o111 != 0o111:
            problems.append(f"extension/server/{exe} has mode {oct(mode)}, not executable")
    if problems:
        sys.exit("vsix check failed for %s:\n  %s" % (vsix, "\n  ".join(problems)))
    for info in z.infolist():
        path = z.extract(info, dest)
        mode = (info.external_attr >> 16) & 0o777
        if mode:
            os.chmod(path, mode)
print(f"{os.path.basename(vsix)}: targets {platform}, {len(names)} files, server/{exe} executable; unpacked to {dest}")
