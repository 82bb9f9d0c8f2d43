// Server discovery: the order setting > $AGENTLS_PATH > bundled > PATH, and one clear message on failure.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DiscoveryContext, findServer, isExecutableFile, probeServer, repairBundledMode, serverCommand } from '../../src/discovery';

function posix(executables: string[], over: Partial<DiscoveryContext> = {}): DiscoveryContext {
  const set = new Set(executables);
  return {
    env: { PATH: '/usr/local/bin:/usr/bin' },
    extensionPath: '/ext',
    platform: 'linux',
    homedir: '/home/me',
    isExecutableFile: (p) => set.has(p),
    ...over,
  };
}

describe('findServer', () => {
  it('prefers the setting over everything else', () => {
    const ctx = posix(['/opt/agentls', '/env/agentls', '/ext/server/agentls', '/usr/bin/agentls'], {
      settingPath: '/opt/agentls',
      env: { AGENTLS_PATH: '/env/agentls', PATH: '/usr/bin' },
    });
    assert.deepEqual(findServer(ctx), { found: true, path: '/opt/agentls', source: 'setting' });
  });

  it('expands ~ in the setting', () => {
    const ctx = posix(['/home/me/.cargo/bin/agentls'], { settingPath: '~/.cargo/bin/agentls' });
    assert.deepEqual(findServer(ctx), { found: true, path: '/home/me/.cargo/bin/agentls', source: 'setting' });
  });

  it('resolves a relative setting against the workspace folder', () => {
    const ctx = posix(['/ws/target/release/agentls'], { settingPath: 'target/release/agentls', workspaceFolder: '/ws' });
    assert.deepEqual(findServer(ctx), { found: true, path: '/ws/target/release/agentls', source: 'setting' });
  });

  it('reports a setting that points at nothing instead of silently using PATH', () => {
    const result = findServer(posix(['/usr/bin/agentls'], { settingPath: '~/nope/agentls' }));
    assert.equal(result.found, false);
    assert.match(!result.found ? result.message : '', /agentls\.server\.path.*\/home\/me\/nope\/agentls/);
  });

  it('ignores a blank setting', () => {
    const result = findServer(posix(['/usr/bin/agentls'], { settingPath: '   ' }));
    assert.deepEqual(result, { found: true, path: '/usr/bin/agentls', source: 'path' });
  });

  it('uses $AGENTLS_PATH before the bundled binary', () => {
    const ctx = posix(['/env/agentls', '/ext/server/agentls'], { env: { AGENTLS_PATH: '/env/agentls' } });
    assert.deepEqual(findServer(ctx), { found: true, path: '/env/agentls', source: 'env' });
  });

  it('reports an $AGENTLS_PATH that points at nothing', () => {
    const result = findServer(posix(['/usr/bin/agentls'], { env: { AGENTLS_PATH: '/gone', PATH: '/usr/bin' } }));
    assert.equal(result.found, false);
    assert.match(!result.found ? result.message : '', /AGENTLS_PATH/);
  });

  it('uses the bundled binary before PATH', () => {
    const ctx = posix(['/ext/server/agentls', '/usr/bin/agentls']);
    assert.deepEqual(findServer(ctx), { found: true, path: '/ext/server/agentls', source: 'bundled' });
  });

  it('searches PATH in order', () => {
    const ctx = posix(['/usr/bin/agentls', '/usr/local/bin/agentls']);
    assert.deepEqual(findServer(ctx), { found: true, path: '/usr/local/bin/agentls', source: 'path' });
  });

  it('gives one actionable message when nothing is found', () => {
    const result = findServer(posix([]));
    assert.equal(result.found, false);
    const message = !result.found ? result.message : '';
    assert.match(message, /not found/);
    assert.match(message, /agentls\.server\.path/);
    assert.match(message, /PATH/);
    assert.equal(message.split('\n').length, 1, 'a single line, not a stack');
  });

  it('finds agentls.exe on Windows, bundled or through PATH and PATHEXT', () => {
    const win = (executables: string[]): DiscoveryContext => ({
      env: { Path: 'C:\\Tools;"C:\\Program Files\\agentls"', PATHEXT: '.COM;.EXE' },
      extensionPath: 'C:\\ext',
      platform: 'win32',
      homedir: 'C:\\Users\\me',
      isExecutableFile: (p) => executables.includes(p),
    });
    assert.deepEqual(findServer(win(['C:\\ext\\server\\agentls.exe'])), {
      found: true,
      path: 'C:\\ext\\server\\agentls.exe',
      source: 'bundled',
    });
    assert.deepEqual(findServer(win(['C:\\Program Files\\agentls\\agentls.exe'])), {
      found: true,
      path: 'C:\\Program Files\\agentls\\agentls.exe',
      source: 'path',
    });
  });
});

describe('serverCommand', () => {
  it('starts the binary with the lsp subcommand', () => {
    assert.deepEqual(serverCommand('/usr/bin/agentls'), { command: '/usr/bin/agentls', args: ['lsp'] });
  });
});

// probeServer runs real programs: small shell scripts standing in for good and broken servers.
describe('probeServer', { skip: process.platform === 'win32' && 'needs /bin/sh' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentls-probe-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string, mode = 0o755) => {
    const file = join(dir, name);
    writeFileSync(file, body);
    chmodSync(file, mode);
    return file;
  };

  it('accepts a binary whose --version names agentls', async () => {
    const good = script('good', '#!/bin/sh\necho "agentls 0.1.0 (catalogs: claude 2026-12-02)"\n');
    assert.deepEqual(await probeServer({ path: good, source: 'bundled' }), { ok: true, version: 'agentls 0.1.0 (catalogs: claude 2026-12-02)' });
  });

  it('names the binary, where it came from and the exit code of a failing --version', async () => {
    const bad = script('crashes', '#!/bin/sh\necho "error while loading shared libraries: libc.so.6" >&2\nexit 127\n');
    const probe = await probeServer({ path: bad, source: 'setting' });
    assert.equal(probe.ok, false);
    const message = !probe.ok ? probe.message : '';
    assert.ok(message.includes(bad), message);
    assert.match(message, /agentls\.server\.path setting/);
    assert.match(message, /exited with code 127: error while loading shared libraries/);
    assert.match(message, /Set agentls\.server\.path/);
  });

  it('reports a file that cannot be executed (another platform\'s binary)', async () => {
    // A truncated ELF header: the kernel refuses it (ENOEXEC); libc may then hand it to /bin/sh,
    // which fails on it too. Either way the message says the bundled binary is broken.
    const foreign = script('foreign', '\u007fELF\u0002\u0001\u0001 truncated\n');
    const probe = await probeServer({ path: foreign, source: 'bundled' });
    assert.equal(probe.ok, false);
    assert.match(!probe.ok ? probe.message : '', /bundled with the extension\) is broken: (it cannot be run|`agentls --version` exited with code)/);
  });

  it('reports another program that answers --version', async () => {
    const other = script('other', '#!/bin/sh\necho "marksman 2024-12-18"\n');
    const probe = await probeServer({ path: other, source: 'path' });
    assert.match(!probe.ok ? probe.message : '', /does not look like agentls .*marksman/);
  });

  it('gives up on a binary that hangs', async () => {
    const hangs = script('hangs', '#!/bin/sh\nsleep 30\n');
    const probe = await probeServer({ path: hangs, source: 'path' }, undefined, 300);
    assert.match(!probe.ok ? probe.message : '', /did not finish within 0\.3 s/);
  });

  it('gives the bundled binary its execute bit back', () => {
    mkdirSync(join(dir, 'ext', 'server'), { recursive: true });
    const bundled = script(join('ext', 'server', 'agentls'), '#!/bin/sh\n', 0o644);
    assert.equal(isExecutableFile(bundled), false);
    repairBundledMode(join(dir, 'ext'), 'linux');
    assert.equal(isExecutableFile(bundled), true);
    assert.equal(statSync(bundled).mode & 0o777, 0o755);
  });
});
