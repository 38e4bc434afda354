// The supported CPython interpreters present on this machine, for tests that must hold on the oldest and the
// newest of them. Looked for on PATH (python3, python, python3.N) and under pyenv's root (PYENV_ROOT, `pyenv
// root`, ~/.pyenv), each asked what it is; a machine with none of these still gets whatever python3 is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isSupportedPython, OLDEST_PYTHON, onPath, versionParts } from '../src/wire/python.js';

export interface FoundPython {
  version: string;
  /** The interpreter itself (sys.executable), never a launcher script. */
  path: string;
}

function ask(cmd: string): FoundPython | undefined {
  const r = spawnSync(
    cmd,
    ['-I', '-S', '-c', 'import sys; print(sys.implementation.name, sys.version.split()[0], sys.executable)'],
    { encoding: 'utf8', timeout: 20_000 },
  );
  const m = r.status === 0 ? /^(\S+) (\S+) (.+)$/.exec(r.stdout.trim()) : null;
  if (m?.[1] !== 'cpython' || !m[3]) return undefined;
  return { version: m[2] ?? '', path: m[3] };
}

function pyenvRoots(): string[] {
  const roots = [process.env.PYENV_ROOT, join(homedir(), '.pyenv')];
  const asked = spawnSync('pyenv', ['root'], { encoding: 'utf8', timeout: 20_000 });
  if (asked.status === 0) roots.push(asked.stdout.trim());
  return [...new Set(roots.filter((r): r is string => Boolean(r)))];
}

function candidates(): string[] {
  const out: string[] = [];
  const names = ['python3', 'python'];
  // python3.8 ... python3.30: the minor versions a PATH may name, older ones too (for the tests of the warning).
  for (let minor = 8; minor <= OLDEST_PYTHON.minor + 19; minor++) names.push(`python3.${minor}`);
  for (const n of names) {
    const p = onPath(n);
    if (p) out.push(p);
  }
  for (const root of pyenvRoots()) {
    const versions = join(root, 'versions');
    if (!existsSync(versions)) continue;
    for (const v of readdirSync(versions)) {
      const p = join(versions, v, 'bin', 'python3');
      if (existsSync(p)) out.push(p);
    }
  }
  return out;
}

function compare(a: FoundPython, b: FoundPython): number {
  const x = versionParts(a.version) ?? [0, 0, 0];
  const y = versionParts(b.version) ?? [0, 0, 0];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

let found: FoundPython[] | undefined;

/** Every CPython 3 found, one per interpreter, oldest first. */
function allPythons(): FoundPython[] {
  if (!found) {
    const byPath = new Map<string, FoundPython>();
    for (const c of candidates()) {
      const py = ask(c);
      // One entry per interpreter: python3, python and python3.N of one installation are the same file.
      if (py?.version.startsWith('3.')) {
        const real = realpathSync(py.path);
        if (!byPath.has(real)) byPath.set(real, py);
      }
    }
    found = [...byPath.values()].sort(compare);
  }
  return found;
}

/** Every supported CPython found, oldest first. */
export function supportedPythons(): FoundPython[] {
  return allPythons().filter((p) => isSupportedPython(p.version));
}

/**
 * The newest CPython present that is older than 3.11, if any. Judged here by the number itself, not by the code
 * under test, so that a wrong answer there cannot make the tests of the warning skip themselves.
 */
export function unsupportedPythonPresent(): FoundPython | undefined {
  return allPythons()
    .filter((p) => {
      const [major, minor] = versionParts(p.version) ?? [0, 0];
      return major === 3 && minor < 11;
    })
    .pop();
}

/** A Python 2 interpreter on this machine (python2 on PATH, or one of pyenv's), for the refusal of one. */
export function python2Present(): string | undefined {
  // pyenv's own first: its shims on PATH start nothing unless a Python 2 is chosen.
  const found: (string | undefined)[] = [];
  for (const root of pyenvRoots()) {
    const versions = join(root, 'versions');
    if (existsSync(versions))
      for (const v of readdirSync(versions).filter((x) => x.startsWith('2.')))
        found.push(join(versions, v, 'bin', 'python'));
  }
  found.push(onPath('python2'), onPath('python2.7'));
  const isTwo = (p: string) =>
    spawnSync(p, ['-c', 'import sys; print(sys.version_info[0])'], {
      encoding: 'utf8',
      timeout: 20_000,
    }).stdout?.trim() === '2';
  return found.find((p): p is string => p !== undefined && isTwo(p));
}

/** The oldest and the newest supported CPython present (one, when only one is). */
export function oldestAndNewest(): FoundPython[] {
  const all = supportedPythons();
  const first = all[0];
  const last = all[all.length - 1];
  if (!first || !last) return [];
  return first.version === last.version ? [first] : [first, last];
}
