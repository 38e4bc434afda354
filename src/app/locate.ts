// Is there a workspace around this folder? A walk up with no parsing, so commands that do not need the
// workspace's contents (like `read` outside one) pay nothing for asking.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const WORKSPACE_FILE = 'socketlings.json';

export function workspaceRootOf(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, WORKSPACE_FILE))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
