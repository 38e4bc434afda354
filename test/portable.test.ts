// The portable way of grading (macOS, Windows, SOCKETLINGS_PORTABLE=1): the Python launcher runs a learner's file
// exactly as plain Python does and reports its sockets, so readiness never takes a one-shot server's only
// connection and never sends a datagram before the bind; nothing on this path reads /proc.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LAUNCHER } from '../src/wire/launcher.js';
import { cli, fixture, MODES, processesMentioning, ROOT } from './helpers.js';
import { supportedPythons } from './pythons.js';

const portable = { SOCKETLINGS_PORTABLE: '1' };
/** The interpreter the grader would pick (CI names it; `python3` is not on Windows). */
const python = process.env.SOCKETLINGS_PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');

// Each test grades its own copy, so that what one leaves behind is not confused with another's running program.
const copies = mkdtempSync(join(tmpdir(), 'sl-portable-'));
afterAll(() => rmSync(copies, { recursive: true, force: true }));
let nCopies = 0;
function own(...parts: string[]): string {
  const dir = join(copies, String(nCopies++));
  const file = join(dir, parts[parts.length - 1] ?? 'x.py');
  mkdirSync(dir);
  copyFileSync(fixture(...parts), file);
  return file;
}

describe.concurrent('the same verdicts both ways', () => {
  for (const mode of MODES) {
    test(`${mode.name}: a one-shot TCP server passes`, async () => {
      const path = own('programs', 'portable', 'one_shot_peer_names.py');
      const r = await cli(['verify', 'peer-names', '--file', path, '--json', '--seed', '5'], {
        env: mode.env,
      });
      expect(JSON.parse(r.stdout).status, r.stdout).toBe('pass');
      expect(processesMentioning(path)).toEqual([]);
    });

    test(`${mode.name}: a UDP server that binds late gets every datagram`, async () => {
      const path = own('programs', 'portable', 'udp_binds_late.py');
      const r = await cli(['verify', 'udp-server', '--file', path, '--json', '--seed', '5'], {
        env: mode.env,
      });
      expect(JSON.parse(r.stdout).status, r.stdout).toBe('pass');
      expect(processesMentioning(path)).toEqual([]);
    });

    test(`${mode.name}: --run, a UDP server that binds late`, async () => {
      const path = own('programs', 'portable', 'udp_binds_late.py');
      const r = await cli(
        ['verify', 'udp-server', '--file', path, '--run', `${python} {file}`, '--json', '--seed', '5'],
        { env: mode.env },
      );
      expect(JSON.parse(r.stdout).status, r.stdout).toBe('pass');
      expect(processesMentioning(path)).toEqual([]);
    });

    test(`${mode.name}: a daemon that never answers is found and stopped`, async () => {
      const path = own('programs', 'echo-server', 'daemon_hangs.py');
      const r = await cli(['verify', 'echo-server', '--file', path, '--json', '--seed', '5'], {
        env: mode.env,
      });
      expect(JSON.parse(r.stdout).status).toBe('fail');
      expect(processesMentioning(path)).toEqual([]);
    });
  }
});

/** A machine without /proc, as macOS is: bubblewrap hides it, where bubblewrap can run. */
function noProcPrefix(): string[] | undefined {
  const args = ['--ro-bind', '/', '/', '--tmpfs', '/proc', '--dev', '/dev', '--bind', '/tmp', '/tmp'];
  const probe = spawnSync('bwrap', [...args, 'true'], { stdio: 'ignore' });
  return probe.status === 0 ? ['bwrap', ...args, '--bind', ROOT, ROOT] : undefined;
}

test('dev check passes on a machine with no /proc at all', { timeout: 180_000 }, () => {
  const prefix = noProcPrefix();
  const [cmd = process.execPath, ...pre] = prefix ?? [];
  const r = spawnSync(
    prefix ? cmd : process.execPath,
    [
      ...pre,
      ...(prefix ? [process.execPath] : []),
      join(ROOT, 'dist', 'cli', 'main.js'),
      'dev',
      'check',
      '--json',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 170_000,
      env: { ...process.env, ...portable, NO_COLOR: '1', SOCKETLINGS_LANG: 'en' },
    },
  );
  const report = JSON.parse(r.stdout);
  const bad = report.exercises.filter((e: { problems: string[] }) => e.problems.length);
  expect(bad).toEqual([]);
  expect(r.status).toBe(0);
});

/** Every supported CPython this machine has, by path (test/pythons.ts): the default one at least. */
function pythons(): string[] {
  return [...new Set(['python3', ...supportedPythons().map((p) => p.path)])];
}

describe('the launcher runs a file exactly as plain Python does', () => {
  const file = fixture('programs', 'portable', 'semantics.py');
  const run = (python: string, viaLauncher: boolean, args: string[]) =>
    spawnSync(python, [...(viaLauncher ? [LAUNCHER] : []), file, ...args], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
  for (const python of pythons()) {
    test(`${python}: argv, __file__, __main__, sys.path[0], tracebacks, exit codes`, () => {
      for (const args of [[], ['raise'], ['exit'], ['bind'], ['with space', 'ü']]) {
        const plain = run(python, false, args);
        const launched = run(python, true, args);
        expect(launched.stdout).toBe(plain.stdout);
        expect(launched.stderr).toBe(plain.stderr);
        expect(launched.status).toBe(plain.status);
      }
      expect(run(python, true, ['raise']).stderr).toContain('ValueError: on purpose');
      expect(run(python, true, ['raise']).stderr).not.toContain('launch.py');
      expect(run(python, true, ['bind']).stderr).toMatch(/OSError[\s\S]*RuntimeError: the port is taken/);
      expect(run(python, true, ['bind']).stderr).not.toContain('launch.py');
    });
  }
});
