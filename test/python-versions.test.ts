// Which Pythons socketlings supports is decided once (src/wire/python.ts, OLDEST_PYTHON); doctor, verify, watch and
// grade say the same about an older one: doctor fails its python line with what to do, the others warn on one
// line and grade as usual. The older interpreter is a real one found on this machine.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { isSupportedPython, OLDEST_PYTHON, OLDEST_PYTHON_TEXT, onPath } from '../src/wire/python.js';
import { CLI, cli, ROOT } from './helpers.js';
import { needs, olderPython, python, tmux } from './needs.js';
import { python2Present, supportedPythons, unsupportedPythonPresent } from './pythons.js';
import { Terminal } from './tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-pyver-'));
const terms: Terminal[] = [];
afterAll(() => {
  for (const t of terms) t.kill();
  rmSync(dir, { recursive: true, force: true });
});

const WARNING = /older than socketlings supports \(3\.11 or newer\)/;

describe('the supported versions', () => {
  test.each([
    ['3.9.18', false],
    ['3.10.13', false],
    ['3.11.0', true],
    ['3.11.7', true],
    ['3.13.0', true],
    ['3.15.0a2', true],
    ['4.0.0', true],
    ['2.7.18', false],
    ['', false],
    ['python', false],
  ])('%j supported: %s', (v, ok) => expect(isSupportedPython(v)).toBe(ok));

  test('the decision is written once and the messages name it', () => {
    expect(OLDEST_PYTHON).toEqual({ major: 3, minor: 11 });
    expect(OLDEST_PYTHON_TEXT).toBe('3.11');
  });
});

describe('an interpreter that is no Python 3 is refused before grading, never blamed on the learner', () => {
  const STUB = join(ROOT, 'lessons/03-tcp-clients/tcp-client/tcp_client.py');
  const py2 = python2Present();
  const refused = async (
    interpreter: string,
    why: RegExp,
    args = ['verify', 'tcp-client', '--file', STUB],
  ) => {
    const r = await cli(args, { cwd: dir, env: { SOCKETLINGS_PYTHON: interpreter } });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain(`the interpreter SOCKETLINGS_PYTHON=${interpreter} cannot run the programs`);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toContain('→ set SOCKETLINGS_PYTHON to a Python 3.11 or newer');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/your program|launch\.py|Traceback/);
  };

  test('one that fails when started (as /usr/bin/false does): verify and grade', async () => {
    const fails = onPath('false') ?? '/usr/bin/false';
    await refused(fails, /asked its version, it exited with code 1/);
    const asg = join(dir, 'one.yaml');
    writeFileSync(asg, 'format: 1\ntitle: One\nexercises:\n  - { id: tcp-client, points: 10 }\n');
    await refused(fails, /exited with code 1/, ['grade', '--assignment', asg, '--out', join(dir, 'never')]);
  });

  test('one that does not exist as a program', async () => {
    const r = await cli(['verify', 'tcp-client', '--file', STUB], {
      env: { SOCKETLINGS_PYTHON: '/nonexistent/python3' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no Python 3 found (tried: /nonexistent/python3)');
  });

  test(
    'a Python 2',
    needs({ name: 'a Python 2', missing: py2 ? undefined : 'none on PATH or in pyenv', inCi: false }),
    async () => {
      await refused(py2 as string, /it is Python 2\.\d+\.\d+, and socketlings needs Python 3/);
    },
  );
});

const old = unsupportedPythonPresent();
const good = supportedPythons()[0];

describe('an older interpreter, as every command sees it', needs(olderPython(), python()), () => {
  const oldEnv = { SOCKETLINGS_PYTHON: old?.path ?? '' };
  const goodEnv = { SOCKETLINGS_PYTHON: good?.path ?? '' };
  const ws = join(dir, 'ws');

  test('doctor: a failing python line that names the version, the range and the fix; exit 1', async () => {
    const r = await cli(['doctor'], { env: oldEnv });
    expect(r.code).toBe(1);
    const line = r.stdout.split('\n').find((l) => l.includes('python '));
    expect(line).toContain(`✗ ${old?.version}`);
    expect(line).toMatch(WARNING);
    expect(r.stdout).toMatch(/→ install Python 3\.11 or newer .* or set SOCKETLINGS_PYTHON to it/);
    const json = JSON.parse((await cli(['doctor', '--json'], { env: oldEnv })).stdout);
    expect(json.python).toMatchObject({
      found: true,
      version: old?.version,
      supported: false,
      oldest: '3.11',
    });
    const fine = JSON.parse((await cli(['doctor', '--json'], { env: goodEnv })).stdout);
    expect(fine.python).toMatchObject({ found: true, version: good?.version, supported: true });
  });

  test('verify: one warning line on stderr, the same grading, and --json stdout intact', async () => {
    expect((await cli(['init', 'ws'], { cwd: dir })).code).toBe(0);
    const solution = join(ROOT, 'lessons/01-sockets/first-contact/solution/first_contact.py');
    copyFileSync(solution, join(ws, '01-sockets', 'first_contact.py'));
    const withOld = await cli(['verify', 'first-contact', '--json', '--seed', '3'], { cwd: ws, env: oldEnv });
    const withGood = await cli(['verify', 'first-contact', '--json', '--seed', '3'], {
      cwd: ws,
      env: goodEnv,
    });
    expect(withOld.stderr.split('\n').filter((l) => WARNING.test(l))).toHaveLength(1);
    expect(withOld.stderr).toContain(`Python ${old?.version} is older`);
    expect(withGood.stderr).not.toMatch(WARNING);
    // The grading goes on as usual: the same verdict, and stdout is the JSON result alone.
    expect(JSON.parse(withOld.stdout).status).toBe('pass');
    expect(JSON.parse(withGood.stdout).status).toBe('pass');
    expect(withOld.code).toBe(withGood.code);
    // In Chinese too.
    const zh = await cli(['verify', 'first-contact', '--json', '--lang', 'zh-CN'], { cwd: ws, env: oldEnv });
    expect(zh.stderr).toContain(`Python ${old?.version} 低于 socketlings 支持的版本（3.11 或更新）`);
  });

  test('grade: the warning once, before the grading, and the report as usual', async () => {
    const sub = join(dir, 'student');
    mkdirSync(sub, { recursive: true });
    copyFileSync(
      join(ROOT, 'lessons/01-sockets/first-contact/solution/first_contact.py'),
      join(sub, 'first_contact.py'),
    );
    const assignment = join(dir, 'assignment.yaml');
    writeFileSync(assignment, 'format: 1\ntitle: one\nexercises:\n  - { id: first-contact, points: 1 }\n');
    const out = join(dir, 'report');
    const r = await cli(['grade', '--assignment', assignment, '--reporter', 'json', '--out', out], {
      cwd: sub,
      env: oldEnv,
    });
    expect(r.stderr.split('\n').filter((l) => WARNING.test(l))).toHaveLength(1);
    expect(r.code).toBe(0);
  });

  test('watch: the warning stays on its screen, above the result', {
    timeout: 60_000,
    ...needs(tmux()),
  }, async () => {
    const t = Terminal.start(`sl-pyver-${process.pid}`, ws, `node ${CLI} watch`, {
      NO_COLOR: '1',
      ...oldEnv,
    });
    terms.push(t);
    await t.waitFor(/older than socketlings\s+supports/);
    await t.waitFor(/first-contact is done|passed/);
    expect(t.screen()).toMatch(/older than socketlings\s+supports/);
    t.keys('q');
  });
});
