// Which interpreter runs the learner's programs, found once and remembered across runs. A launcher script on
// PATH (a pyenv or asdf shim) runs a shell and more before Python on every start, about 70 ms of CPU here, and
// asking an interpreter its version costs a whole Python start: so the interpreter a launcher starts, and the
// version of an interpreter, are kept in a small cache file in the user's cache folder, with what they were
// found under (see `launcherInputs`). An entry is used only while all of that is unchanged and the interpreter
// is the very file it was; otherwise, or once a day, it is asked again.
//
// The file is a speed-up only, so it is not read through a schema (zod costs more to load than the cache saves):
// anything in it that is not exactly an entry is a miss, and the next write replaces it. It is written
// atomically. It lives in the user's own cache folder, never in a folder being graded, whose files a student
// chose.
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { askPython, askVersion, fileStamp, isScript, launcherInputs, type Python } from '../wire/python.js';
import { writeAtomic } from './files.js';

/** How long an entry is trusted even when nothing it depends on has visibly changed. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Entries kept: one per PATH and version files a learner works with. */
const MAX_ENTRIES = 32;

interface Entry {
  /** What the interpreter was found under: `launcher\0<inputs>` or `version\0<argv>`. */
  key: string;
  /** The interpreter itself (for a launcher, the one it starts). */
  path: string;
  /** Its fileStamp when it was found. */
  stamp: string;
  version: string;
  /** Epoch ms. */
  at: number;
}

/** $XDG_CACHE_HOME/socketlings (else ~/.cache/socketlings; %LOCALAPPDATA% on Windows), or none. */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'socketlings');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'socketlings', 'cache');
  const home = env.HOME ?? (process.platform === 'win32' ? undefined : safeHome());
  return home && isAbsolute(home) ? join(home, '.cache', 'socketlings') : undefined;
}

function safeHome(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}

const FILE = 'interpreters.json';

function isEntry(x: unknown): x is Entry {
  const e = x as Entry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.key === 'string' &&
    typeof e.path === 'string' &&
    isAbsolute(e.path) &&
    typeof e.stamp === 'string' &&
    typeof e.version === 'string' &&
    /^3\.\d+/.test(e.version) &&
    typeof e.at === 'number'
  );
}

function readEntries(folder: string): Entry[] {
  try {
    const raw = JSON.parse(readFileSync(join(folder, FILE), 'utf8')) as { entries?: unknown };
    return Array.isArray(raw.entries) ? raw.entries.filter(isEntry) : [];
  } catch {
    return [];
  }
}

/** Entries found in this process: watch grades again and again without reading the file each time. */
const known = new Map<string, Entry>();

function lookup(key: string, now = Date.now()): Entry | undefined {
  const folder = cacheFolder();
  const e = known.get(key) ?? (folder ? readEntries(folder).find((x) => x.key === key) : undefined);
  // Stale: too old, or the interpreter is not the file it was (reinstalled, upgraded, removed).
  if (!e || now - e.at > MAX_AGE_MS || e.at > now || fileStamp(e.path) !== e.stamp) {
    known.delete(key);
    return undefined;
  }
  known.set(key, e);
  return e;
}

function remember(e: Entry): void {
  known.set(e.key, e);
  const folder = cacheFolder();
  if (!folder) return;
  try {
    mkdirSync(folder, { recursive: true });
    const others = readEntries(folder).filter((x) => x.key !== e.key);
    const entries = [e, ...others].slice(0, MAX_ENTRIES);
    writeAtomic(join(folder, FILE), `${JSON.stringify({ entries }, null, 1)}\n`);
  } catch {
    // A cache that cannot be written is asked again next time; nothing else depends on it.
  }
}

/**
 * The interpreter to run programs with: for a launcher script, the interpreter it starts from `cwd` (asked once,
 * then remembered while what decides it is unchanged); anything else as it is. The version comes along where
 * it is known.
 */
export function pinnedPython(py: Python, cwd: string): Python {
  if (!isScript(py.path)) {
    const version = py.version ?? knownVersion(py.argv);
    return version ? { ...py, version } : py;
  }
  const key = `launcher\0${launcherInputs(py, cwd)}`;
  const hit = lookup(key);
  if (hit) return { argv: [hit.path], path: hit.path, version: hit.version };
  const asked = askPython(py.argv, cwd);
  if (!asked) return py;
  const stamp = fileStamp(asked.path);
  if (stamp) remember({ key, path: asked.path, stamp, version: asked.version, at: Date.now() });
  // Its version is known now too, for whoever asks it by its own path.
  rememberVersion([asked.path], asked.version);
  return { argv: [asked.path], path: asked.path, version: asked.version };
}

/** The version of an interpreter that is a program (not a script), if it was asked before and is unchanged. */
function knownVersion(argv: string[]): string | undefined {
  const path = argv[0];
  if (!path || !isAbsolute(path)) return undefined;
  return lookup(`version\0${JSON.stringify(argv)}`)?.version;
}

function rememberVersion(argv: string[], version: string): void {
  const path = argv[0];
  const stamp = path && isAbsolute(path) ? fileStamp(path) : undefined;
  if (path && stamp)
    remember({ key: `version\0${JSON.stringify(argv)}`, path, stamp, version, at: Date.now() });
}

/**
 * The version of the interpreter `argv` starts (`path` is where it was found on PATH): remembered, else asked
 * (a Python start) and remembered. Undefined when it does not answer like a Python 3.
 */
export async function versionOf(argv: string[], path?: string): Promise<string | undefined> {
  const exact = path && isAbsolute(path) && !isScript(path) ? [path, ...argv.slice(1)] : argv;
  const hit = knownVersion(exact);
  if (hit) return hit;
  const v = await askVersion(exact);
  if (v) rememberVersion(exact, v);
  return v;
}
