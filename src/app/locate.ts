// Is there a workspace around this folder? A walk up with no parsing, so commands that do not need the
// workspace's contents (like `read` outside one) pay nothing for asking.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from '../wire/package-files.js';

export const WORKSPACE_FILE = 'socketlings.json';
/** The folder `init` and the menu create when not told another. */
export const DEFAULT_WORKSPACE_DIR = 'socketlings';

/** The nearest folder at or above `cwd` with a socketlings.json. */
export function workspaceRootOf(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, WORKSPACE_FILE))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * A workspace made by `init` in this folder: ./socketlings, else the only sub-folder that is a workspace. A
 * learner who ran `init` and stayed where they were means that one.
 */
export function workspaceBelow(cwd: string): string | undefined {
  const dir = resolve(cwd);
  const usual = join(dir, DEFAULT_WORKSPACE_DIR);
  if (existsSync(join(usual, WORKSPACE_FILE))) return usual;
  let found: string[];
  try {
    found = readdirSync(dir, { withFileTypes: true })
      .filter(
        (d) => d.isDirectory() && !d.name.startsWith('.') && existsSync(join(dir, d.name, WORKSPACE_FILE)),
      )
      .map((d) => join(dir, d.name));
  } catch {
    return undefined;
  }
  return found.length === 1 ? found[0] : undefined;
}

/** The workspace a learner means from `cwd`: the one they are in, else the one made in this folder. */
export function learnerWorkspaceRoot(cwd: string): string | undefined {
  return workspaceRootOf(cwd) ?? workspaceBelow(cwd);
}

/** socketlings' own folder: the package (a clone, after `npm link`), which is the built-in course too. */
export const PACKAGE_DIR = PACKAGE_ROOT;

/**
 * Whether `dir` is inside socketlings' own folder: a workspace made there would sit among its files (in its git
 * repository, for a clone).
 */
export function insidePackage(dir: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const pkg = real(PACKAGE_DIR);
  const here = real(dir);
  return here === pkg || here.startsWith(pkg + sep);
}
