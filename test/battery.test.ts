// The fixture battery: learner programs named for how they behave, each graded by the real CLI. Every one must
// get the right status and a specific message, and leave nothing running.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fixture, MODES, portInUse, portsIn, processesMentioning, verifyDecided } from './helpers.js';
import { fork, type Need, needs } from './needs.js';

// Both modes run at once: each grades its own copy of a fixture, so "no process of the fixture survives" looks
// only at the processes of its own run.
const copies = mkdtempSync(join(tmpdir(), 'sl-battery-'));
afterAll(() => rmSync(copies, { recursive: true, force: true }));

interface Case {
  file: string;
  status: 'pass' | 'fail';
  /** The first check that is not a pass, and a fragment of its message. */
  check?: string;
  message?: RegExp;
  /** What the fixture needs from the machine beyond Python and loopback. */
  needs?: Need[];
}

const server: Case[] = [
  { file: 'passes', status: 'pass' },
  { file: 'binds_late', status: 'pass' },
  { file: 'floods_stdout', status: 'pass' },
  {
    file: 'never_binds',
    status: 'fail',
    check: 'listens',
    message: /did not start listening on 127\.0\.0\.1:\d+ within 5 s, the time a program gets to start up/,
  },
  {
    file: 'binds_wrong_port',
    status: 'fail',
    check: 'listens',
    message: /it listens on 127\.0\.0\.1:\d+ instead/,
  },
  {
    file: 'exits_immediately',
    status: 'fail',
    check: 'listens',
    message: /exited with code 3 before it listened/,
  },
  {
    file: 'crashes_with_traceback',
    status: 'fail',
    check: 'listens',
    message: /exited with code 1[\s\S]*TypeError/,
  },
  {
    file: 'empty_file',
    status: 'fail',
    check: 'listens',
    message: /exited with code 0 before it listened/,
  },
  {
    file: 'hangs_on_accept',
    status: 'fail',
    check: 'echoes-a-line',
    message: /sent 0 of \d+ expected bytes to the grader's first client within 3 s/,
  },
  {
    file: 'hangs_after_reply',
    status: 'fail',
    check: 'echoes-split-writes',
    message: /sent 0 of \d+ expected bytes to the grader's first client within 3 s/,
  },
  {
    file: 'recv_once',
    status: 'fail',
    check: 'echoes-split-writes',
    message:
      /closed its connection to the grader's first client|sent \d+ of \d+ expected bytes|while the grader was still sending/,
  },
  {
    file: 'closes_early',
    status: 'fail',
    check: 'echoes-a-line',
    message:
      /closed its connection to the grader's first client without sending anything; something was expected/,
  },
  {
    file: 'wrong_bytes',
    status: 'fail',
    check: 'echoes-a-line',
    message: /sent different bytes to the grader's first client/,
  },
  {
    file: 'ignores_half_close',
    status: 'fail',
    check: 'closes-after-half-close',
    message: /did not close its connection to the grader's first client within 3 s/,
  },
  {
    file: 'forks_grandchild',
    status: 'fail',
    check: 'stays-up',
    message: /exited with code 0; it should keep running/,
    needs: [fork()],
  },
];

const client: Case[] = [
  { file: 'passes', status: 'pass' },
  {
    file: 'empty_file',
    status: 'fail',
    check: 'connects',
    message: /exited with code 0 without connecting to 127\.0\.0\.1:\d+/,
  },
  {
    file: 'never_connects',
    status: 'fail',
    check: 'connects',
    message: /did not connect to 127\.0\.0\.1:\d+ within 5 s, the time it gets to connect/,
  },
  {
    file: 'hardcoded_port',
    status: 'fail',
    check: 'connects',
    message: /ECONNREFUSED|Connection refused|without connecting/,
  },
  // The message arrives intact; the extra newline is what follows it where the close should be.
  {
    file: 'wrong_bytes',
    status: 'fail',
    check: 'closes',
    message:
      /after the expected data your program sent 1 more byte to the grader's server, shown below: a sending mistake/,
  },
  {
    file: 'never_closes',
    status: 'fail',
    check: 'closes',
    message: /did not close its connection to the grader's server within 3 s/,
  },
];

async function grade(exercise: string, c: Case, env: Record<string, string> = {}) {
  const dir = join(copies, env.SOCKETLINGS_PORTABLE ? 'portable' : 'linux', exercise);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${c.file}.py`);
  copyFileSync(fixture('programs', exercise, `${c.file}.py`), path);
  const { run } = await verifyDecided([exercise, '--file', path, '--json', '--seed', '11'], {
    env,
  });
  // A verify that printed no result: what it said instead is the story.
  expect(run.stdout, `exit ${run.code ?? run.signal}: ${run.stderr}`).not.toBe('');
  const result = JSON.parse(run.stdout);
  // On a wrong verdict, the check that decided it and what the machine took are the story.
  const story = `${run.stderr}\n${JSON.stringify({ rerun: result.rerun, checks: result.checks.filter((x: { status: string }) => x.status !== 'pass') })}`;
  expect(run.code, story).toBe(c.status === 'pass' ? 0 : 1);
  expect(result.status, story).toBe(c.status);
  if (c.check) {
    const bad = result.checks.find((x: { status: string }) => x.status !== 'pass');
    expect(bad.id).toBe(c.check);
    expect(bad.status).toBe('fail');
    expect(bad.message).toMatch(c.message as RegExp);
    // Checks after the failing one are skipped with a reason, never silently passed.
    const after = result.checks.slice(result.checks.indexOf(bad) + 1);
    for (const x of after) expect(x.status).toBe('skip');
  }
  // How long each takes against its budgets is measured by `npm run bench:battery`, not asserted here.
  // Nothing survives the run: no process of the fixture, no port held.
  expect(processesMentioning(path)).toEqual([]);
  for (const port of portsIn(result)) expect(portInUse(port), `port ${port}`).toBe(false);
  return result;
}

for (const mode of MODES) {
  describe.concurrent(`battery (${mode.name}): echo-server (the program is a server)`, () => {
    for (const c of server)
      test(c.file, needs(...(c.needs ?? [])), async () => void (await grade('echo-server', c, mode.env)));
  });

  describe.concurrent(`battery (${mode.name}): tcp-client (the program is a client)`, () => {
    for (const c of client)
      test(c.file, needs(...(c.needs ?? [])), async () => void (await grade('tcp-client', c, mode.env)));
  });
}

test('a flood of output is capped and noted', async () => {
  const r = await grade('echo-server', server.find((c) => c.file === 'floods_stdout') as Case);
  expect(r.dropped.stdout).toBeGreaterThan(100 * 1024 * 1024 - 128 * 1024);
});

test('the traceback names the learner file relative to the workspace', async () => {
  const r = await grade('echo-server', server.find((c) => c.file === 'crashes_with_traceback') as Case);
  expect(r.checks[0].message).toContain('File "crashes_with_traceback.py", line 4');
  expect(r.checks[0].message).not.toContain('/test/fixtures/');
});
