// The document selector: which (path, language) pairs reach the server. Matching is checked with
// minimatch in the mode closest to VS Code's globs (`**` crosses dot folders), not with our own code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimatch } from 'minimatch';
import { documentSelector } from '../../src/selector';

const selector = documentSelector();

function matches(path: string, language: string): boolean {
  return selector.some((f) => f.scheme === 'file' && f.language === language && minimatch(path, f.pattern, { dot: true }));
}

const agentFiles = [
  '/home/me/proj/.claude/agents/reviewer.md',
  '/home/me/proj/.claude/agents/team/backend/reviewer.md',
  '/home/me/.claude/agents/global.md',
  '/home/me/proj/.factory/droids/senior-backend-developer.md',
  '/home/me/proj/.github/agents/planner.md',
  '/home/me/proj/.github/agents/planner.agent.md',
  '/home/me/proj/docs/planner.agent.md',
  '/home/me/proj/.github/prompts/explain.prompt.md',
  '/home/me/proj/.github/chatmodes/review.chatmode.md',
  '/home/me/proj/.opencode/agent/review.md',
  '/home/me/proj/.opencode/agents/nested/review.md',
  // Skills, commands, instructions and memory files (issue 12).
  '/home/me/proj/.claude/commands/fix.md',
  '/home/me/proj/.claude/skills/pdf/SKILL.md',
  '/home/me/proj/.github/instructions/ts.instructions.md',
  '/home/me/proj/CLAUDE.md',
  '/home/me/proj/AGENTS.md',
];

const otherFiles = [
  '/home/me/proj/README.md',
  '/home/me/proj/docs/agents.md',
  '/home/me/proj/.claude/settings.md',
  '/home/me/proj/.factory/droids/nested/deep.md',
  '/home/me/proj/.factory/droids/droid.txt',
  '/home/me/proj/.github/workflows/ci.md',
  '/home/me/proj/.github/agents/sub/x.md',
  '/home/me/proj/.opencode/agent/review.txt',
  '/home/me/proj/agent.md',
];

describe('documentSelector', () => {
  it('only uses the file scheme', () => {
    assert.ok(selector.every((f) => f.scheme === 'file'));
  });

  for (const path of agentFiles) {
    it(`attaches to ${path} under every agent language id`, () => {
      for (const language of ['markdown', 'chatagent', 'prompt', 'instructions']) {
        assert.ok(matches(path, language), `${path} as ${language}`);
      }
    });
  }

  for (const path of otherFiles) {
    it(`leaves ${path} alone`, () => {
      assert.ok(!matches(path, 'markdown'));
    });
  }

  it('does not attach to agent paths under unrelated languages', () => {
    assert.ok(!matches('/p/.claude/agents/x.md', 'plaintext'));
    assert.ok(!matches('/p/.claude/agents/x.md', 'yaml'));
  });

  it('attaches to the policy file as YAML, and to no other YAML', () => {
    assert.ok(matches('/home/me/proj/.agentls.yaml', 'yaml'));
    assert.ok(matches('/home/me/proj/sub/.agentls.yaml', 'yaml'));
    assert.ok(!matches('/home/me/proj/.agentls.yaml', 'markdown'));
    assert.ok(!matches('/home/me/proj/config.yaml', 'yaml'));
    assert.ok(!matches('/home/me/proj/.agentls.yml.bak', 'yaml'));
  });
});
