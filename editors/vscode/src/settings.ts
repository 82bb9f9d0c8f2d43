// Turns the user's `agentls.*` settings into what the server reads: initializationOptions and
// workspace/didChangeConfiguration payloads.
// This module must not import `vscode`: the unit tests run it under plain Node.

import { expandHome } from './paths';

/** Dialects a user may force; `auto` means "let the server detect it" and is never sent. */
export const DIALECTS = ['auto', 'claude', 'factory', 'copilot', 'opencode'] as const;
export type DialectSetting = (typeof DIALECTS)[number];

/** The settings as VS Code hands them over: anything the user typed, so nothing is trusted. */
export interface RawSettings {
  policyPath?: unknown;
  extraTools?: unknown;
  dialect?: unknown;
  userScope?: unknown;
}

/**
 * What the server expects in `initializationOptions` (camelCase; `dialect` left out when auto,
 * `userScope` left out when off, the server's default).
 */
export interface InitializationOptions {
  policyPath?: string;
  extraTools: string[];
  dialect?: Exclude<DialectSetting, 'auto'>;
  userScope?: true;
}

/** Normalises the raw settings; `homedir` is passed in so tests need not depend on the machine. */
export function toInitializationOptions(raw: RawSettings, homedir: string): InitializationOptions {
  const options: InitializationOptions = { extraTools: extraTools(raw.extraTools) };
  if (typeof raw.policyPath === 'string' && raw.policyPath.trim() !== '') {
    options.policyPath = expandHome(raw.policyPath.trim(), homedir);
  }
  if (typeof raw.dialect === 'string' && raw.dialect !== 'auto' && (DIALECTS as readonly string[]).includes(raw.dialect)) {
    options.dialect = raw.dialect as InitializationOptions['dialect'];
  }
  if (raw.userScope === true) {
    options.userScope = true;
  }
  return options;
}

/**
 * The `workspace/didChangeConfiguration` params. The settings sit under the `agentls` section, as
 * VS Code's own configuration sync would send them, but already normalised to the
 * initializationOptions shape so the server parses one structure in both places.
 */
export function didChangeConfigurationParams(raw: RawSettings, homedir: string): { settings: { agentls: InitializationOptions } } {
  return { settings: { agentls: toInitializationOptions(raw, homedir) } };
}

/** Keeps non-empty, trimmed, distinct strings, in the user's order. */
function extraTools(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const seen = new Set<string>();
  for (const item of value) {
    if (typeof item === 'string' && item.trim() !== '') {
      seen.add(item.trim());
    }
  }
  return [...seen];
}
