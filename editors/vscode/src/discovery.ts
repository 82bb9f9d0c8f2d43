// Finds the agentls binary: the `agentls.server.path` setting, then `$AGENTLS_PATH`, then a binary
// bundled in the extension (`server/agentls[.exe]`), then `PATH`.
// This module must not import `vscode`: the unit tests run it under plain Node with a fake file system.

import * as cp from 'child_process';
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
      'agentls: the agentls server was not found. Install the extension for your platform (it bundles the server), ' +
      'or install agentls (`cargo install --locked --git https://github.com/agentls/agentls agentls`) and put it on PATH, ' +
      'or set agentls.server.path to the binary, then run "agentls: Restart Server".',
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

/** Where a discovered binary came from, in words for messages. */
export function describeSource(source: ServerSource): string {
  switch (source) {
    case 'setting':
      return 'the agentls.server.path setting';
    case 'env':
      return 'the AGENTLS_PATH environment variable';
    case 'bundled':
      return 'the binary bundled with the extension';
    case 'path':
      return 'PATH';
  }
}

export type Probe = { ok: true; version: string } | { ok: false; message: string };

/** What a failed run reports: a spawn error's `code` is a string such as `ENOEXEC`, an exit's a number. */
export interface RunError {
  message: string;
  code?: string | number | null;
  killed?: boolean;
  signal?: string | null;
}

/** Runs a command with arguments and reports how it ended; injected so tests can fake a server. */
export type Runner = (
  command: string,
  args: string[],
  timeoutMs: number,
) => Promise<{ error?: RunError; code: number | null; stdout: string; stderr: string }>;

/** The real runner: `execFile`, no shell, with a time limit. */
export const execRunner: Runner = (command, args, timeoutMs) =>
  new Promise((resolve) => {
    cp.execFile(command, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ error: error ?? undefined, code, stdout: String(stdout), stderr: String(stderr) });
    });
  });

/**
 * Runs `<binary> --version` before the client starts it as a server, so that a broken binary (wrong
 * platform, missing library, not agentls at all, a crash) gets one message naming the binary, where
 * it came from, and why it does not run, instead of a language client that dies on its first read.
 */
export async function probeServer(found: { path: string; source: ServerSource }, run: Runner = execRunner, timeoutMs = 10_000): Promise<Probe> {
  const result = await run(found.path, ['--version'], timeoutMs);
  const first = result.stdout.split(/\r?\n/)[0].trim();
  let why: string | undefined;
  if (result.error?.killed) {
    why = `\`agentls --version\` did not finish within ${timeoutMs / 1000} s`;
  } else if (result.error?.signal) {
    why = `\`agentls --version\` was killed by ${result.error.signal}`;
  } else if (result.error && result.code === null) {
    // Spawning failed: ENOEXEC (another platform's binary), EACCES, ENOENT (a missing loader).
    why = `it cannot be run (${typeof result.error.code === 'string' ? result.error.code : result.error.message})`;
  } else if (result.code !== 0) {
    const detail = result.stderr.trim().split(/\r?\n/).slice(-1)[0];
    why = `\`agentls --version\` exited with code ${result.code}${detail ? `: ${detail}` : ''}`;
  } else if (!/^agentls\b/.test(first)) {
    why = `it does not look like agentls (\`--version\` printed "${first.slice(0, 80)}")`;
  }
  if (why === undefined) {
    return { ok: true, version: first };
  }
  return {
    ok: false,
    message: `agentls: the server at ${found.path} (from ${describeSource(found.source)}) is broken: ${why}. Set agentls.server.path to a working agentls binary, or reinstall the extension for your platform.`,
  };
}

/**
 * Gives the bundled binary back its execute bit if the `.vsix` lost it on the way (some unzip
 * paths drop file modes); without it discovery would skip the bundled server.
 */
export function repairBundledMode(extensionPath: string, platform: NodeJS.Platform): void {
  if (platform === 'win32') {
    return;
  }
  const bundled = path.join(extensionPath, 'server', 'agentls');
  try {
    if (fs.statSync(bundled).isFile() && !isExecutableFile(bundled)) {
      fs.chmodSync(bundled, 0o755);
    }
  } catch {
    // No bundled binary (a universal .vsix) or a read-only install: discovery goes on to PATH.
  }
}
