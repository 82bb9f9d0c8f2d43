// Small path helpers shared by server discovery and settings.
// This module must not import `vscode`: the unit tests run it under plain Node.

import * as path from 'path';

/** Expands a leading `~` (alone or followed by a separator) to `homedir`; other paths are returned as given. */
export function expandHome(p: string, homedir: string): string {
  if (p === '~') {
    return homedir;
  }
  if (p.startsWith('~/') || p.startsWith('~\\')) {
    return path.join(homedir, p.slice(2));
  }
  return p;
}
