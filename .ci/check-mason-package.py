#!/usr/bin/env python3
"""Validates a Mason registry package.yaml and checks it against this repository's release assets.

usage: check-mason-package.py SCHEMA_DIR PACKAGE_YAML RELEASE_WORKFLOW [ARCHIVE]

SCHEMA_DIR is mason-org/registry-schema's schemas/ folder (vendored in .ci/schemas/mason-registry,
see .ci/schemas/README.md); its files refer to each other by $id, so they are loaded into one
registry and the package is validated against package.schema.json. Then every asset must be an
archive that .ci/package.sh writes for a target of the release workflow's matrix (and every
target must have an asset), with `bin` the path of the binary inside it. With ARCHIVE (a .tar.gz
that .ci/package.sh built), the asset for its target must name a file that the archive holds.
Needs jsonschema, referencing and ruamel.yaml (check-jsonschema's dependencies).
"""
import json
import pathlib
import re
import sys
import tarfile

import jsonschema
import referencing
from ruamel.yaml import YAML

# Rust target -> Mason platform (schemas/enums/platform.json): glibc Linux is *_gnu.
MASON_PLATFORM = {
    "x86_64-unknown-linux-gnu": "linux_x64_gnu",
    "aarch64-unknown-linux-gnu": "linux_arm64_gnu",
    "x86_64-apple-darwin": "darwin_x64",
    "aarch64-apple-darwin": "darwin_arm64",
    "x86_64-pc-windows-msvc": "win_x64",
}

schema_dir, package_path, workflow_path = (pathlib.Path(a) for a in sys.argv[1:4])
archive = pathlib.Path(sys.argv[4]) if len(sys.argv) > 4 else None

resources = []
for f in sorted(schema_dir.rglob("*.json")):
    doc = json.loads(f.read_text())
    resources.append((doc["$id"], referencing.Resource.from_contents(doc)))
registry = referencing.Registry().with_resources(resources)
root = json.loads((schema_dir / "package.schema.json").read_text())
package = YAML(typ="safe").load(package_path.read_text())
validator = jsonschema.Draft202012Validator(root, registry=registry)
errors = sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
for e in errors:
    print(f"{package_path}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}")
if errors:
    sys.exit(1)

targets = re.findall(r"\{ target: ([a-z0-9_-]+),", workflow_path.read_text())
problems = []
assets = package["source"]["asset"]
named = {}
for asset in assets:
    m = re.fullmatch(r"agentls-(.+)\.(tar\.gz|zip)", asset["file"])
    if not m or m.group(1) not in targets:
        problems.append(f"asset {asset['file']} is not an archive the release workflow builds ({', '.join(targets)})")
        continue
    target = m.group(1)
    named[target] = asset
    zip_wanted = "windows" in target
    if (m.group(2) == "zip") != zip_wanted:
        problems.append(f"asset {asset['file']}: .ci/package.sh writes a .{'zip' if zip_wanted else 'tar.gz'} for {target}")
    platform = MASON_PLATFORM.get(target)
    if asset["target"] != platform:
        problems.append(f"asset {asset['file']}: target is {asset['target']}, Mason calls {target} {platform}")
    exe = "agentls.exe" if zip_wanted else "agentls"
    if asset.get("bin") != f"agentls-{target}/{exe}":
        problems.append(f"asset {asset['file']}: bin is {asset.get('bin')}, the archive holds agentls-{target}/{exe}")
for target in targets:
    if target not in named:
        problems.append(f"no asset for the release target {target}")
if package["bin"] != {"agentls": "{{source.asset.bin}}"}:
    problems.append(f"bin should map agentls to {{{{source.asset.bin}}}}, not {package['bin']}")
if archive is not None:
    target = re.fullmatch(r"agentls-(.+)\.tar\.gz", archive.name).group(1)
    with tarfile.open(archive) as t:
        members = {m.name for m in t.getmembers() if m.isfile()}
    want = named.get(target, {}).get("bin")
    if want not in members:
        problems.append(f"{archive.name} holds {sorted(members)}, not the asset's bin {want}")
if problems:
    sys.exit("\n".join(f"{package_path}: {p}" for p in problems))
print(f"{package_path}: valid against Mason's package schema; {len(assets)} assets match the release targets")
