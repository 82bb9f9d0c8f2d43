// Finds the agentls binary: the `agentls.server.path` setting, then `$AGENTLS_PATH`, then a binary
// bundled in the extension (`server/agentls[.exe]`), then `PATH`.
// This module must not import `vscode`: the unit tests run it under plain Node with a fake file system.

import * as fs from 'fs';
import * as path from 'path';
import { expandHome } from './paths';

/** Everything discovery looks at, injected so tests can describe any machine. */
export interface DiscoveryContext {
  /** The `agentls.server.path` setting; empty or undefined when unset. */
  settingPath?: string;
  env: Record<string, string | undefined>;
  /** Root folder of the installed extension. */
  extensionPath: string;
  platform: NodeJS.Platform;
  homedir: string;
  /** Base for a relative `agentls.server.path`; the first workspace folder when there is one. */
  workspaceFolder?: string;
  isExecutableFile(p: string): boolean;
}

export type ServerSource = 'setting' | 'env' | 'bundled' | 'path';

export type Discovery =
  | { found: true; path: string; source: ServerSource }
  | { found: false; message: string };

/** The process the client spawns for a discovered binary. */
export function serverCommand(binary: string): { command: string; args: string[] } {
  return { command: binary, args: ['lsp'] };
}

/**
 * Looks for the server. An explicit choice (the setting or the environment variable) that points at
 * nothing is an error of its own rather than a reason to fall through: silently running some other
 * agentls from PATH would hide the user's mistake.
 */
export function findServer(ctx: DiscoveryContext): Discovery {
  const p = ctx.platform === 'win32' ? path.win32 : path.posix;
  const exe = ctx.platform === 'win32' ? 'agentls.exe' : 'agentls';

  const setting = ctx.settingPath?.trim();
  if (setting) {
    let candidate = expandHome(setting, ctx.homedir);
    if (!p.isAbsolute(candidate) && ctx.workspaceFolder) {
      candidate = p.resolve(ctx.workspaceFolder, candidate);
    }
    if (ctx.isExecutableFile(candidate)) {
      return { found: true, path: candidate, source: 'setting' };
    }
    return {
      found: false,
      message: `agentls: the setting agentls.server.path is "${setting}", but there is no executable file at ${candidate}. Fix the path, or clear the setting to use the agentls found on PATH.`,
    };
  }

  const fromEnv = ctx.env.AGENTLS_PATH?.trim();
  if (fromEnv) {
    const candidate = expandHome(fromEnv, ctx.homedir);
    if (ctx.isExecutableFile(candidate)) {
      return { found: true, path: candidate, source: 'env' };
    }
    return {
      found: false,
      message: `agentls: the environment variable AGENTLS_PATH is "${fromEnv}", but there is no executable file there. Fix or unset it, or set agentls.server.path.`,
    };
  }

  const bundled = p.join(ctx.extensionPath, 'server', exe);
  if (ctx.isExecutableFile(bundled)) {
    return { found: true, path: bundled, source: 'bundled' };
  }

  const onPath = searchPath(ctx, p);
  if (onPath) {
    return { found: true, path: onPath, source: 'path' };
  }

  return {
    found: false,
    message:
      'agentls: the agentls server was not found. Install agentls and put it on PATH (for example `cargo install --path .` in the agentls repository), ' +
      'or set agentls.server.path to the binary, then run "agentls: Restart server".',
  };
}

/** Searches `PATH` like a shell would; on Windows every `PATHEXT` extension is tried. */
function searchPath(ctx: DiscoveryContext, p: typeof path.posix): string | undefined {
  const win = ctx.platform === 'win32';
  // Windows environment variables are case-insensitive, and Node keeps the spelling the OS used.
  const lookup = (name: string) =>
    win ? Object.entries(ctx.env).find(([k]) => k.toUpperCase() === name)?.[1] : ctx.env[name];
  const dirs = (lookup('PATH') ?? '').split(win ? ';' : ':').filter((d) => d !== '');
  const names = win
    ? (lookup('PATHEXT') ?? '.EXE;.CMD;.BAT;.COM')
        .split(';')
        .filter((e) => e !== '')
        .map((e) => 'agentls' + e.toLowerCase())
    : ['agentls'];
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = p.join(dir.replace(/^"(.*)"$/, '$1'), name);
      if (ctx.isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** The real check: a regular file, executable by us (Windows has no execute bit, so a file suffices). */
export function isExecutableFile(candidate: string): boolean {
  try {
    if (!fs.statSync(candidate).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(candidate, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}
