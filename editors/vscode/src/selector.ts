// Which documents the extension hands to agentls: agent files of the four dialects and the policy file.
// This module must not import `vscode`: the unit tests run it under plain Node.

/** Path patterns of agent definition files, one per dialect convention. */
export const AGENT_FILE_PATTERNS: readonly string[] = [
  '**/.claude/agents/**/*.md',
  '**/.factory/droids/*.md',
  '**/.github/agents/*.md',
  '**/*.agent.md',
  '**/*.prompt.md',
  '**/*.chatmode.md',
  '**/.opencode/agent/**/*.md',
  '**/.opencode/agents/**/*.md',
  // Skills, commands, instructions and memory files.
  '**/.claude/skills/*/SKILL.md',
  '**/.github/skills/*/SKILL.md',
  '**/.factory/skills/*/SKILL.md',
  '**/.opencode/skill/*/SKILL.md',
  '**/.opencode/skills/*/SKILL.md',
  '**/.agents/skills/*/SKILL.md',
  '**/.claude/commands/**/*.md',
  '**/.factory/commands/*.md',
  '**/.opencode/command/**/*.md',
  '**/.opencode/commands/**/*.md',
  '**/.claude/rules/**/*.md',
  '**/*.instructions.md',
  '**/.github/copilot-instructions.md',
  '**/CLAUDE.md',
  '**/CLAUDE.local.md',
  '**/AGENTS.md',
];

/** The team policy file. */
export const POLICY_FILE_PATTERN = '**/.agentls.yaml';

/**
 * Language ids an agent file may carry. VS Code gives Markdown files `markdown`, but when the Copilot
 * Chat extension is installed it claims `.agent.md`, `.prompt.md` and `.instructions.md` files under
 * its own ids, so those must be listed too or the files would never reach the server.
 */
export const AGENT_LANGUAGES: readonly string[] = ['markdown', 'chatagent', 'prompt', 'instructions'];

/** Language id of the policy file. */
export const POLICY_LANGUAGE = 'yaml';

/** The shape of a VS Code `DocumentFilter`, restated so this module stays free of `vscode`. */
export interface DocumentFilter {
  scheme: string;
  language: string;
  pattern: string;
}

/**
 * Builds the client's document selector. A filter matches only when its language, scheme and pattern
 * all match, so every pattern is paired with every language id rather than listed once.
 */
export function documentSelector(): DocumentFilter[] {
  const filters: DocumentFilter[] = [];
  for (const pattern of AGENT_FILE_PATTERNS) {
    for (const language of AGENT_LANGUAGES) {
      filters.push({ scheme: 'file', language, pattern });
    }
  }
  filters.push({ scheme: 'file', language: POLICY_LANGUAGE, pattern: POLICY_FILE_PATTERN });
  return filters;
}
