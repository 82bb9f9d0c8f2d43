// Settings -> initializationOptions and didChangeConfiguration payloads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { didChangeConfigurationParams, toInitializationOptions } from '../../src/settings';

describe('toInitializationOptions', () => {
  it('sends only extraTools for default settings (dialect auto is omitted)', () => {
    assert.deepEqual(toInitializationOptions({ policyPath: '', extraTools: [], dialect: 'auto' }, '/home/me'), {
      extraTools: [],
    });
  });

  it('passes every setting in camelCase', () => {
    const options = toInitializationOptions(
      { policyPath: 'policies/team.yaml', extraTools: ['mcp__github__create_issue', 'Deploy'], dialect: 'factory' },
      '/home/me',
    );
    assert.deepEqual(options, {
      policyPath: 'policies/team.yaml',
      extraTools: ['mcp__github__create_issue', 'Deploy'],
      dialect: 'factory',
    });
    assert.deepEqual(Object.keys(options).sort(), ['dialect', 'extraTools', 'policyPath']);
  });

  it('expands ~ in the policy path', () => {
    assert.equal(toInitializationOptions({ policyPath: '~/policy.yaml' }, '/home/me').policyPath, '/home/me/policy.yaml');
  });

  it('cleans extraTools: trims, drops blanks and non-strings, removes duplicates', () => {
    const options = toInitializationOptions({ extraTools: [' Deploy ', '', 3, 'Deploy', null, 'Lint'] }, '/h');
    assert.deepEqual(options.extraTools, ['Deploy', 'Lint']);
  });

  it('treats a non-array extraTools as empty', () => {
    assert.deepEqual(toInitializationOptions({ extraTools: 'Deploy' }, '/h').extraTools, []);
  });

  it('drops an unknown dialect rather than sending it', () => {
    assert.equal(toInitializationOptions({ dialect: 'cursor' }, '/h').dialect, undefined);
    for (const d of ['claude', 'factory', 'copilot', 'opencode']) {
      assert.equal(toInitializationOptions({ dialect: d }, '/h').dialect, d);
    }
  });

  it('sends userScope only when it is on (off is the server default)', () => {
    assert.equal(toInitializationOptions({ userScope: true }, '/h').userScope, true);
    for (const off of [false, undefined, 'true', 1]) {
      assert.equal('userScope' in toInitializationOptions({ userScope: off }, '/h'), false, String(off));
    }
  });

  it('survives undefined settings', () => {
    assert.deepEqual(toInitializationOptions({}, '/h'), { extraTools: [] });
  });
});

describe('didChangeConfigurationParams', () => {
  it('nests the normalised settings under the agentls section', () => {
    assert.deepEqual(didChangeConfigurationParams({ extraTools: ['X'], dialect: 'claude' }, '/h'), {
      settings: { agentls: { extraTools: ['X'], dialect: 'claude' } },
    });
  });
});
