// The portable way of grading (macOS, Windows, SOCKETLINGS_PORTABLE=1): the Python launcher runs a learner's file
// exactly as plain Python does and reports its sockets, so readiness never takes a one-shot server's only
// connection and never sends a datagram before the bind; nothing on this path reads /proc.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LAUNCHER } from '../src/wire/launcher.js';
import { cli, fixture, MODES, processesMentioning, ROOT } from './helpers.js';
import { fork, type Need, needs, PYTHON, posixSockets, pythons, secondPython } from './needs.js';

const portable = { SOCKETLINGS_PORTABLE: '1' };

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
        ['verify', 'udp-server', '--file', path, '--run', `${PYTHON} {file}`, '--json', '--seed', '5'],
        { env: mode.env },
      );
      expect(JSON.parse(r.stdout).status, r.stdout).toBe('pass');
      expect(processesMentioning(path)).toEqual([]);
    });

    test(`${mode.name}: a daemon that never answers is found and stopped`, needs(fork()), async () => {
      const path = own('programs', 'echo-server', 'daemon_hangs.py');
      const r = await cli(['verify', 'echo-server', '--file', path, '--json', '--seed', '5'], {
        env: mode.env,
      });
      expect(JSON.parse(r.stdout).status).toBe('fail');
      expect(processesMentioning(path)).toEqual([]);
    });
  }
});

/**
 * A machine without /proc, as macOS and Windows are. Where this one has it (Linux), bubblewrap hides it: an empty
 * folder in its place.
 */
const hasProc = existsSync('/proc/self');
const HIDE_PROC = ['--ro-bind', '/', '/', '--tmpfs', '/proc', '--dev', '/dev', '--bind', '/tmp', '/tmp'];
const withoutProc = (argv: string[]) =>
  hasProc ? ['bwrap', ...HIDE_PROC, '--bind', ROOT, ROOT, ...argv] : argv;
const noProc: Need = {
  name: 'a machine without /proc (bubblewrap hides it)',
  missing:
    !hasProc || spawnSync('bwrap', [...HIDE_PROC, 'true'], { stdio: 'ignore' }).status === 0
      ? undefined
      : 'bwrap cannot run here to hide /proc (install bubblewrap)',
  inCi: process.platform === 'linux',
};

const withoutProcAtAll = { timeout: 180_000, ...needs(noProc, posixSockets()) };

test('dev check passes on a machine with no /proc at all', withoutProcAtAll, () => {
  const run = (args: string[], env: Record<string, string> = {}) => {
    const [cmd = '', ...rest] = withoutProc([
      process.execPath,
      join(ROOT, 'dist', 'cli', 'main.js'),
      ...args,
    ]);
    return spawnSync(cmd, rest, {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 170_000,
      env: { ...process.env, NO_COLOR: '1', SOCKETLINGS_LANG: 'en', ...env },
    });
  };
  // The premise, as the grader itself sees it: no /proc to read, so it grades the portable way.
  const doctor = run(['doctor', '--json'], { SOCKETLINGS_PORTABLE: '' });
  expect(JSON.parse(doctor.stdout).methods, doctor.stderr).toMatchObject({ portable: true });
  expect(JSON.parse(doctor.stdout).methods.why).toMatch(/\/proc is not readable here|has no \/proc/);
  const r = run(['dev', 'check', '--json'], portable);
  const report = JSON.parse(r.stdout);
  const bad = report.exercises.filter((e: { problems: string[] }) => e.problems.length);
  expect(bad).toEqual([]);
  expect(r.status).toBe(0);
});

describe('the launcher runs a file exactly as plain Python does', () => {
  const file = fixture('programs', 'portable', 'semantics.py');
  const run = (python: string, viaLauncher: boolean, args: string[]) =>
    spawnSync(python, [...(viaLauncher ? [LAUNCHER] : []), file, ...args], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
  // Each supported Python version here (3.11 to the newest), the default one at least; CI has two or more.
  for (const [version, python] of pythons()) {
    test(`Python ${version} (${python}): argv, __file__, __main__, sys.path[0], tracebacks, exit codes`, () => {
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
  if (pythons().size < 2) test('on a second Python version', needs(secondPython()), () => {});
});
