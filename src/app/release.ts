// Where the socketlings running now came from, for the CI workflow `init --ci github` writes: a workflow that pins
// a version the npm registry does not have fails at its install step, on every push, in every student's
// repository. So the workflow pins this version only when the registry is known to have it; otherwise it installs
// a packed copy of this very build, kept in the repository (see ci.ts).
//
// How it is told, cheapest and surest first:
// 1. A source folder (a clone, or `npm link` to one: the package folder holds `src/` or `.git`, which a published
//    package never has) is whatever is checked out, not a release, even when its version number exists.
// 2. npm's hidden lockfile beside the install (a project's node_modules, an `npx` cache) names where npm got it:
//    a registry tarball URL means the registry has this version; `file:` or a git URL means it does not.
// 3. Otherwise (a global install keeps no such record) the registry is asked, briefly. A clear "not found" means
//    not published; no answer (offline, a proxy, a timeout) means unknown, and the packed copy is used, since it
//    works either way.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadJsonFile } from '../grading/schema/load.js';
import { NpmHiddenLock } from '../grading/schema/npm-lock.js';

export type Provenance =
  | { published: true; version: string; how: 'lockfile' | 'registry' }
  | {
      published: false;
      version: string;
      why: 'source' | 'tarball' | 'not-on-registry' | 'no-answer';
      /** The source folder, the tarball or git URL npm installed from, or why the registry gave no answer. */
      detail: string;
    };

/** What the registry says of `socketlings@<version>`. */
export type RegistryAnswer = { has: boolean } | { unknown: string };

/** The folder of the running package (links resolved: `npm link` points into a clone). */
export function packageRoot(): string {
  return realpathSync(fileURLToPath(new URL('../../', import.meta.url)));
}

function npm(args: string[], cwd: string, timeoutMs: number) {
  // npm is a .cmd script on Windows, which only a shell runs.
  return spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    shell: process.platform === 'win32',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

/** Ask the configured registry whether it has this version, giving up after `timeoutMs`. */
export function askRegistry(version: string, cwd: string, timeoutMs = 10_000): RegistryAnswer {
  const r = npm(
    [
      'view',
      `socketlings@${version}`,
      'version',
      '--json',
      '--fetch-retries=0',
      `--fetch-timeout=${timeoutMs}`,
    ],
    cwd,
    timeoutMs + 5_000,
  );
  if (r.error) return { unknown: r.error.message };
  const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  // A package the registry does not know: E404. A known package without this version: nothing printed, exit 0.
  if (/\bE404\b/.test(out)) return { has: false };
  if (r.status === 0) return { has: (r.stdout ?? '').includes(`"${version}"`) };
  const reason = /npm error (?:code )?(\S+)/.exec(out)?.[1] ?? `npm exited with ${r.status ?? r.signal}`;
  return { unknown: reason };
}

/** Where npm says it installed the package in `root` from, when it kept a record. */
function resolvedFrom(root: string): string | undefined {
  const modules = dirname(root);
  if (basename(modules) !== 'node_modules') return undefined;
  const lock = join(modules, '.package-lock.json');
  if (!existsSync(lock)) return undefined;
  const loaded = loadJsonFile(lock, NpmHiddenLock);
  if (!loaded.ok) return undefined;
  return loaded.value.packages?.[`node_modules/${basename(root)}`]?.resolved;
}

/** A tarball the registry serves for this package and version: `…/socketlings/-/socketlings-<version>.tgz`. */
function fromRegistry(resolved: string, version: string): boolean {
  return /^https?:\/\//.test(resolved) && resolved.endsWith(`/socketlings/-/socketlings-${version}.tgz`);
}

export function provenance(
  root: string,
  version: string,
  ask: (version: string) => RegistryAnswer = (v) => askRegistry(v, root),
): Provenance {
  if (existsSync(join(root, 'src')) || existsSync(join(root, '.git')))
    return { published: false, version, why: 'source', detail: root };
  const resolved = resolvedFrom(root);
  if (resolved !== undefined)
    return fromRegistry(resolved, version)
      ? { published: true, version, how: 'lockfile' }
      : { published: false, version, why: 'tarball', detail: resolved };
  const answer = ask(version);
  if ('unknown' in answer) return { published: false, version, why: 'no-answer', detail: answer.unknown };
  return answer.has
    ? { published: true, version, how: 'registry' }
    : { published: false, version, why: 'not-on-registry', detail: '' };
}

/**
 * The running package packed as npm would publish it (its `files`), into `dest`: the tarball's path. Its build
 * is packed as it is, without running its scripts: what runs here is what the workflow will run.
 */
export function packSelf(root: string, dest: string): { file: string } | { error: string } {
  const r = npm(['pack', root, '--json', '--ignore-scripts', '--pack-destination', dest], dest, 120_000);
  if (r.error) return { error: r.error.message };
  if (r.status !== 0) return { error: (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ') };
  const name = /"filename":\s*"([^"]+)"/.exec(r.stdout ?? '')?.[1];
  if (!name || !existsSync(join(dest, name))) return { error: 'npm pack wrote no tarball' };
  return { file: join(dest, name) };
}
