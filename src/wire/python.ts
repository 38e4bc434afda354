// Which Python runs learner programs: SOCKETLINGS_PYTHON, else the first of python3, python, `py -3` (on Windows
// `py -3` first: there `python3` is often only the Microsoft Store's placeholder, which starts no Python).
// Finding `python3` on PATH is enough to use it; starting an interpreter just to ask its version would cost a
// whole Python start-up on every verify. Only `python` and `py` are asked, since they may be Python 2.
import { execFile, spawnSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';

/**
 * The oldest CPython socketlings supports: 3.11 and every newer release (CPython's own support; 3.9 and 3.10 have
 * reached their end of life). The lessons' programs are run on the oldest and newest present in the tests. An
 * older interpreter still runs, with a warning: some lesson programs and hints rely on 3.11 (`ExceptionGroup`,
 * `TimeoutError` as the socket timeout).
 */
export const OLDEST_PYTHON = { major: 3, minor: 11 } as const;

/** `3.13.0` -> [3, 13, 0]; undefined for anything else. */
export function versionParts(version: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Whether a Python version (as `sys.version` starts) is one socketlings supports. */
export function isSupportedPython(version: string): boolean {
  const v = versionParts(version);
  if (!v) return false;
  return v[0] > OLDEST_PYTHON.major || (v[0] === OLDEST_PYTHON.major && v[1] >= OLDEST_PYTHON.minor);
}

/** The oldest supported version as messages show it: `3.11`. */
export const OLDEST_PYTHON_TEXT = `${OLDEST_PYTHON.major}.${OLDEST_PYTHON.minor}`;

/**
 * The version of an interpreter, asked without its site packages (`-I -S`: a few milliseconds), and without
 * blocking, so that a caller can ask while it grades. Undefined when it does not answer like a Python 3.
 */
export function askVersion(argv: string[]): Promise<string | undefined> {
  const [cmd, ...pre] = argv;
  return new Promise((resolve) => {
    if (!cmd) return resolve(undefined);
    execFile(
      cmd,
      [...pre, '-I', '-S', '-c', 'import sys; print(sys.version.split()[0])'],
      { encoding: 'utf8', timeout: 10_000, windowsHide: true },
      (err, stdout) => {
        const v = err ? '' : stdout.trim();
        resolve(/^3\.\d+/.test(v) ? v : undefined);
      },
    );
  });
}

/** Why an interpreter did not answer like a Python 3 when asked its version. */
export type NotPython3 =
  | { kind: 'not-started'; code: string }
  | { kind: 'exited'; code: number | null; signal: string | null; stderr: string }
  | { kind: 'old'; version: string }
  | { kind: 'other'; said: string };

/** The line of an error output that says what went wrong: an exception's, or a launcher's first. */
function telling(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.findLast((l) => /^\w*(Error|Exception)\b/.test(l)) ?? lines[0] ?? '').slice(0, 200);
}

/**
 * Asked only once `askVersion` had no answer: what the interpreter does when asked plainly (no `-I`, which
 * Python 2 refuses), so the error can say whether it would not start, failed, or is a Python 2.
 */
export function whyNotPython3(argv: string[]): Promise<NotPython3> {
  const [cmd = '', ...pre] = argv;
  return new Promise((resolve) => {
    execFile(
      cmd,
      [...pre, '-S', '-c', 'import sys; sys.stdout.write(sys.version.split()[0])'],
      { encoding: 'utf8', timeout: 10_000, windowsHide: true },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number; signal?: string }) | null;
        if (e && typeof e.code === 'string') return resolve({ kind: 'not-started', code: e.code });
        if (e)
          return resolve({
            kind: 'exited',
            code: typeof e.code === 'number' ? e.code : null,
            signal: e.signal ?? null,
            stderr: telling(String(stderr)),
          });
        const v = stdout.trim();
        resolve(/^\d+\.\d+/.test(v) ? { kind: 'old', version: v } : { kind: 'other', said: v.slice(0, 80) });
      },
    );
  });
}

export interface Python {
  /** Command and leading arguments, e.g. ['py', '-3']. */
  argv: string[];
  /** Known when it was asked (doctor, or a fallback that had to be checked). */
  version?: string;
  path: string;
}

export type PythonLookup = { ok: true; python: Python } | { ok: false; tried: string[] };

/** The executable a command name resolves to on PATH, as a shell would find it. */
export function onPath(
  cmd: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const win = platform === 'win32';
  const exts = win ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  // Windows' PATH is separated by ';' and its folders may use either slash.
  const sep = win ? ';' : delimiter;
  const candidates =
    isAbsolute(cmd) || cmd.includes('/') || (win && cmd.includes('\\'))
      ? [cmd]
      : (env.PATH ?? env.Path ?? '')
          .split(sep)
          .filter(Boolean)
          .map((d) => join(d, cmd));
  for (const base of candidates) {
    for (const ext of exts) {
      const file = base + ext;
      try {
        accessSync(file, constants.X_OK);
        if (statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Ask an interpreter its version and real path. */
export function askPython(argv: string[], cwd?: string): { version: string; path: string } | undefined {
  const [cmd, ...pre] = argv;
  if (!cmd) return undefined;
  const r = spawnSync(
    cmd,
    [...pre, '-c', 'import sys; print(sys.version.split()[0]); print(sys.executable)'],
    {
      encoding: 'utf8',
      timeout: 10_000,
      windowsHide: true,
      ...(cwd ? { cwd } : {}),
    },
  );
  if (r.status !== 0 || !r.stdout) return undefined;
  const [version = '', path = ''] = r.stdout.trim().split(/\r?\n/);
  return version.startsWith('3.') ? { version, path } : undefined;
}

export function findPython(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): PythonLookup {
  const wanted = env.SOCKETLINGS_PYTHON?.trim();
  const win = platform === 'win32';
  const candidates = wanted
    ? [wanted.split(/\s+/)]
    : win
      ? [['py', '-3'], ['python'], ['python3']]
      : [['python3'], ['python'], ['py', '-3']];
  for (const argv of candidates) {
    const path = onPath(argv[0] ?? '', env, platform);
    if (!path) continue;
    if (wanted || (argv[0] === 'python3' && !win)) return { ok: true, python: { argv, path } };
    // Asked by the path found, so that what answers is what was found.
    const asked = askPython([path, ...argv.slice(1)]);
    if (asked) return { ok: true, python: { argv, ...asked } };
  }
  return { ok: false, tried: candidates.map((c) => c.join(' ')) };
}

/** Does the file start with "#!", a script rather than a program? */
export function isScript(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * For many programs in a row: a launcher script on PATH (a pyenv or asdf shim) runs a shell and more before
 * Python on every start, about 50 ms each here, two thirds of the start-up. Ask it once, from `cwd`, which
 * interpreter it starts, and run that one directly. Anything else is kept as it is.
 */
export function pinPython(py: Python, cwd: string): Python {
  if (!isScript(py.path)) return py;
  const asked = askPython(py.argv, cwd);
  return asked ? { argv: [asked.path], path: asked.path, version: asked.version } : py;
}

/** A file as a cache must tell it apart: rewritten, replaced or gone, it is another file (undefined when gone). */
export function fileStamp(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** The files in which pyenv, asdf and mise are told which Python to start, in a folder or its parents. */
const VERSION_FILES = ['.python-version', '.tool-versions', '.mise.toml', 'mise.toml'];

/** The environment variables those managers read (their roots, a version set for the shell, a virtualenv). */
const MANAGER_ENV = /^(PYENV|ASDF|MISE|RTX)|^VIRTUAL_ENV$|^CONDA_/;

/**
 * Everything, as far as it can be known without starting it, that decides which interpreter a launcher script
 * on PATH starts from `cwd`: PATH, the script and its folder (a manager rewrites its shims when a version is
 * installed or removed), the managers' environment variables, and the version files they read, from `cwd`
 * upward and in their homes (the folder itself does not count: the version files found are what it decides).
 * The same inputs start the same interpreter.
 */
export function launcherInputs(py: Python, cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8').slice(0, 4096);
    } catch {
      return undefined;
    }
  };
  const files = new Map<string, string | undefined>();
  for (let dir = cwd; ; dir = dirname(dir)) {
    for (const name of VERSION_FILES) {
      const text = read(join(dir, name));
      if (text !== undefined) files.set(join(dir, name), text);
    }
    if (dirname(dir) === dir) break;
  }
  const home = env.HOME ?? homedir();
  let real = py.path;
  try {
    real = realpathSync(py.path);
  } catch {
    // Gone meanwhile: then nothing matches, and the launcher is asked.
  }
  // pyenv keeps its shims in $PYENV_ROOT/shims and its global choice in $PYENV_ROOT/version.
  const roots = [env.PYENV_ROOT, dirname(dirname(real)), join(home, '.pyenv')].filter(
    (r): r is string => !!r,
  );
  for (const f of [...roots.map((r) => join(r, 'version')), join(home, '.tool-versions')])
    files.set(f, read(f));
  return JSON.stringify({
    argv: py.argv,
    path: env.PATH ?? env.Path ?? '',
    launcher: [py.path, real, fileStamp(real), fileStamp(dirname(real))],
    env: Object.entries(env)
      .filter(([k]) => MANAGER_ENV.test(k))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
    files: [...files],
  });
}
