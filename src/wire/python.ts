// Which Python runs learner programs: SOCKETLINGS_PYTHON, else the first of python3, python, `py -3` that is
// really Python 3.
import { spawnSync } from 'node:child_process';

export interface Python {
  /** Command and leading arguments, e.g. ['py', '-3']. */
  argv: string[];
  version: string;
  path: string;
}

export type PythonLookup = { ok: true; python: Python } | { ok: false; tried: string[] };

function probe(argv: string[]): Python | undefined {
  const [cmd, ...pre] = argv;
  if (!cmd) return undefined;
  const r = spawnSync(
    cmd,
    [...pre, '-c', 'import sys; print(sys.version.split()[0]); print(sys.executable)'],
    {
      encoding: 'utf8',
      timeout: 10_000,
      windowsHide: true,
    },
  );
  if (r.status !== 0 || !r.stdout) return undefined;
  const [version = '', path = ''] = r.stdout.trim().split(/\r?\n/);
  if (!version.startsWith('3.')) return undefined;
  return { argv, version, path };
}

let cached: PythonLookup | undefined;

export function findPython(env: NodeJS.ProcessEnv = process.env): PythonLookup {
  if (cached && env === process.env) return cached;
  const wanted = env.SOCKETLINGS_PYTHON?.trim();
  const candidates = wanted ? [wanted.split(/\s+/)] : [['python3'], ['python'], ['py', '-3']];
  for (const argv of candidates) {
    const found = probe(argv);
    if (found) {
      const r: PythonLookup = { ok: true, python: found };
      if (env === process.env) cached = r;
      return r;
    }
  }
  return { ok: false, tried: candidates.map((c) => c.join(' ')) };
}
