// package.json must agree with the code: settings, dialects, commands and activation events.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AGENT_LANGUAGES, POLICY_LANGUAGE } from '../../src/selector';
import { DIALECTS } from '../../src/settings';

// The compiled test runs from out/test/unit, the source from test/unit: both are three levels deep.
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const props = manifest.contributes.configuration.properties;

describe('package.json', () => {
  it('declares every setting the extension reads', () => {
    for (const key of ['agentls.server.path', 'agentls.policyPath', 'agentls.extraTools', 'agentls.dialect', 'agentls.userScope', 'agentls.trace.server']) {
      assert.ok(props[key], key);
    }
    assert.equal(props['agentls.extraTools'].type, 'array');
    assert.equal(props['agentls.dialect'].default, 'auto');
    assert.equal(props['agentls.userScope'].type, 'boolean');
    assert.equal(props['agentls.userScope'].default, false);
  });

  it('offers exactly the dialects the settings module accepts', () => {
    assert.deepEqual(props['agentls.dialect'].enum, [...DIALECTS]);
  });

  it('keeps the server path out of untrusted workspaces', () => {
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['agentls.server.path']);
  });

  it('contributes the Restart Server and Show Output commands', () => {
    const title = (id: string) => {
      const c = manifest.contributes.commands.find((c: { command: string }) => c.command === id);
      return c && `${c.category}: ${c.title}`;
    };
    assert.equal(title('agentls.restartServer'), 'agentls: Restart Server');
    assert.equal(title('agentls.showOutput'), 'agentls: Show Output');
  });

  it('activates for every language in the selector', () => {
    for (const language of [...AGENT_LANGUAGES, POLICY_LANGUAGE]) {
      assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), language);
    }
  });

  it('targets VS Code 1.91 and points main at the bundle', () => {
    assert.equal(manifest.engines.vscode, '^1.91.0');
    assert.equal(manifest.main, './out/extension.js');
    // vsce refuses a package whose @types/vscode is newer than engines.vscode.
    assert.match(manifest.devDependencies['@types/vscode'], /^~?1\.91\./);
  });

  it('shows the server\'s $/progress: the language client announces window.workDoneProgress', () => {
    // No code of ours handles progress: vscode-languageclient's ProgressFeature announces the
    // capability and maps window/workDoneProgress/create + $/progress to VS Code's progress UI.
    // This fails if an upgrade of the client stops registering that feature.
    const lib = join(__dirname, '..', '..', '..', 'node_modules', 'vscode-languageclient', 'lib', 'common');
    assert.match(readFileSync(join(lib, 'client.js'), 'utf8'), /registerFeature\(new progress_1\.ProgressFeature\(this\)\)/);
    assert.match(readFileSync(join(lib, 'progress.js'), 'utf8'), /ensure\(capabilities, 'window'\)\.workDoneProgress = true/);
  });
});
