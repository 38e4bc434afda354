// The interpreter behind a launcher script (a pyenv or asdf shim) is asked once and remembered across runs, in
// the user's cache folder, and asked again as soon as anything that decides it changes.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli, ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-interp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SOLUTION = join(ROOT, 'lessons', '04-tcp-servers', 'tcp-server', 'solution', 'tcp_server.py');
const realPython = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).stdout.trim();

/** A launcher script like a pyenv shim: it notes each start, then starts `target`. */
function shim(bin: string, log: string, target: string, note = ''): void {
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'python3'),
    `#!/bin/sh\n# ${note}\necho started >> '${log}'\nexec '${target}' "$@"\n`,
    {
      mode: 0o755,
    },
  );
}

const starts = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0);

describe.runIf(process.platform !== 'win32')('a launcher script found once and remembered', () => {
  const bin = join(dir, 'bin');
  const log = join(dir, 'shim.log');
  const cache = join(dir, 'cache');
  // The program runs from its own folder: that is where the launcher looks for version files.
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const file = join(work, 'tcp_server.py');
  copyFileSync(SOLUTION, file);
  shim(bin, log, realPython);
  const env = { PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: cache };
  const verify = () =>
    cli(['verify', 'tcp-server', '--file', file, '--json', '--no-wire'], { env, cwd: work });

  test('asked on the first verify only; the program runs on the interpreter it starts; said as the learner says it', async () => {
    const first = await verify();
    expect(first.code, first.stderr).toBe(0);
    // Once, to be asked which interpreter it starts (and that answer carries the version too).
    expect(starts(log)).toBe(1);
    expect(JSON.parse(first.stdout).command).toMatch(/^python3 /);
    const cached = JSON.parse(readFileSync(join(cache, 'socketlings', 'interpreters.json'), 'utf8'));
    expect(cached.entries.some((e: { path: string }) => e.path === realPython)).toBe(true);
    const second = await verify();
    expect(second.code, second.stderr).toBe(0);
    expect(starts(log)).toBe(1);
  });

  test('asked again when a version file appears where the program runs, or the script changes', async () => {
    expect((await verify()).code).toBe(0);
    const before = starts(log);
    writeFileSync(join(work, '.python-version'), '3.11\n');
    expect((await verify()).code).toBe(0);
    expect(starts(log)).toBe(before + 1);
    expect((await verify()).code).toBe(0);
    expect(starts(log)).toBe(before + 1);
    // Rewritten, as a manager rewrites its shims when a version is installed.
    shim(bin, log, realPython, 'rehashed');
    expect((await verify()).code).toBe(0);
    expect(starts(log)).toBe(before + 2);
  });

  test('an unreadable cache is a miss, and is written anew', async () => {
    expect((await verify()).code).toBe(0);
    const before = starts(log);
    writeFileSync(join(cache, 'socketlings', 'interpreters.json'), '{"entries": [{"key": 1}]');
    expect((await verify()).code).toBe(0);
    expect(starts(log)).toBe(before + 1);
    expect(
      JSON.parse(readFileSync(join(cache, 'socketlings', 'interpreters.json'), 'utf8')).entries.length,
    ).toBe(2);
  });

  // Another interpreter behind the same script: a virtual environment made again on another Python.
  const other = spawnSync('python3', ['-c', 'pass']).status === 0 ? otherPython() : undefined;
  test.runIf(other !== undefined)(
    'asked again when the interpreter it started is not the file it was',
    async () => {
      const venv = join(dir, 'venv');
      const make = (python: string) => {
        rmSync(venv, { recursive: true, force: true });
        expect(spawnSync(python, ['-m', 'venv', '--without-pip', venv]).status).toBe(0);
      };
      make(realPython);
      const vbin = join(dir, 'vbin');
      const vlog = join(dir, 'venv.log');
      shim(vbin, vlog, join(venv, 'bin', 'python3'));
      const venvEnv = { PATH: `${vbin}:${process.env.PATH}`, XDG_CACHE_HOME: cache };
      const run = () =>
        cli(['verify', 'tcp-server', '--file', file, '--json', '--no-wire'], { env: venvEnv, cwd: work });
      expect((await run()).code).toBe(0);
      expect((await run()).code).toBe(0);
      expect(starts(vlog)).toBe(1);
      make(other as string);
      expect((await run()).code).toBe(0);
      expect(starts(vlog)).toBe(2);
    },
  );
});

/** A Python 3.11 or newer other than the one on PATH (pyenv keeps several here), if there is one. */
function otherPython(): string | undefined {
  const root = spawnSync('pyenv', ['root'], { encoding: 'utf8' }).stdout?.trim();
  if (!root) return undefined;
  for (const v of ['3.12', '3.13', '3.11']) {
    const r = spawnSync('sh', ['-c', `ls -d ${root}/versions/${v}*/bin/python3 2>/dev/null | head -1`], {
      encoding: 'utf8',
    }).stdout.trim();
    if (r && !realPython.startsWith(r.replace(/\/bin\/python3$/, ''))) return r;
  }
  return undefined;
}
