// Server discovery: the order setting > $AGENTLS_PATH > bundled > PATH, and one clear message on failure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiscoveryContext, findServer, serverCommand } from '../../src/discovery';

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
