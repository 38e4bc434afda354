// The fixture battery: learner programs named for how they behave, each graded by the real CLI. Every one must
// get the right status and a specific message within its budget, and leave nothing running.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli, fixture, MODES, portInUse, portsIn, processesMentioning } from './helpers.js';

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
  /** Upper bound on the whole run, ms: budgets are named, so waits are bounded. */
  within: number;
}

const server: Case[] = [
  { file: 'passes', status: 'pass', within: 6000 },
  { file: 'binds_late', status: 'pass', within: 8000 },
  { file: 'floods_stdout', status: 'pass', within: 15000 },
  {
    file: 'never_binds',
    status: 'fail',
    check: 'listens',
    message: /did not start listening on 127\.0\.0\.1:\d+ within 5 s, the time a program gets to start up/,
    within: 9000,
  },
  {
    file: 'binds_wrong_port',
    status: 'fail',
    check: 'listens',
    message: /it listens on 127\.0\.0\.1:\d+ instead/,
    within: 9000,
  },
  {
    file: 'exits_immediately',
    status: 'fail',
    check: 'listens',
    message: /exited with code 3 before it listened/,
    within: 4000,
  },
  {
    file: 'crashes_with_traceback',
    status: 'fail',
    check: 'listens',
    message: /exited with code 1[\s\S]*TypeError/,
    within: 4000,
  },
  {
    file: 'empty_file',
    status: 'fail',
    check: 'listens',
    message: /exited with code 0 before it listened/,
    within: 4000,
  },
  {
    file: 'hangs_on_accept',
    status: 'fail',
    check: 'echoes-a-line',
    message: /sent 0 of \d+ expected bytes to the grader's first client within 3 s/,
    within: 8000,
  },
  {
    file: 'hangs_after_reply',
    status: 'fail',
    check: 'echoes-split-writes',
    message: /sent 0 of \d+ expected bytes to the grader's first client within 3 s/,
    within: 8000,
  },
  {
    file: 'recv_once',
    status: 'fail',
    check: 'echoes-split-writes',
    message:
      /closed its connection to the grader's first client|sent \d+ of \d+ expected bytes|while the grader was still sending/,
    within: 8000,
  },
  {
    file: 'closes_early',
    status: 'fail',
    check: 'echoes-a-line',
    message: /closed its connection to the grader's first client after sending 0 bytes/,
    within: 4000,
  },
  {
    file: 'wrong_bytes',
    status: 'fail',
    check: 'echoes-a-line',
    message: /sent different bytes to the grader's first client/,
    within: 4000,
  },
  {
    file: 'ignores_half_close',
    status: 'fail',
    check: 'closes-after-half-close',
    message: /did not close its connection to the grader's first client within 3 s/,
    within: 8000,
  },
  {
    file: 'forks_grandchild',
    status: 'fail',
    check: 'stays-up',
    message: /exited with code 0; it should keep running/,
    within: 6000,
  },
];

const client: Case[] = [
  { file: 'passes', status: 'pass', within: 4000 },
  {
    file: 'empty_file',
    status: 'fail',
    check: 'connects',
    message: /exited with code 0 without connecting to 127\.0\.0\.1:\d+/,
    within: 4000,
  },
  {
    file: 'never_connects',
    status: 'fail',
    check: 'connects',
    message: /did not connect to 127\.0\.0\.1:\d+ within 5 s, the time it gets to connect/,
    within: 9000,
  },
  {
    file: 'hardcoded_port',
    status: 'fail',
    check: 'connects',
    message: /ECONNREFUSED|Connection refused|without connecting/,
    within: 4000,
  },
  // The message arrives intact; the extra newline is what follows it where the close should be.
  {
    file: 'wrong_bytes',
    status: 'fail',
    check: 'closes',
    message:
      /after the expected data your program sent 1 more byte to the grader's server, shown below: a sending mistake/,
    within: 4000,
  },
  {
    file: 'never_closes',
    status: 'fail',
    check: 'closes',
    message: /did not close its connection to the grader's server within 3 s/,
    within: 8000,
  },
];

async function grade(exercise: string, c: Case, env: Record<string, string> = {}) {
  const dir = join(copies, env.SOCKETLINGS_PORTABLE ? 'portable' : 'linux', exercise);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${c.file}.py`);
  copyFileSync(fixture('programs', exercise, `${c.file}.py`), path);
  const run = await cli(['verify', exercise, '--file', path, '--json', '--seed', '11'], { env });
  const result = JSON.parse(run.stdout);
  expect(run.code, run.stderr).toBe(c.status === 'pass' ? 0 : 1);
  expect(result.status).toBe(c.status);
  if (c.check) {
    const bad = result.checks.find((x: { status: string }) => x.status !== 'pass');
    expect(bad.id).toBe(c.check);
    expect(bad.status).toBe('fail');
    expect(bad.message).toMatch(c.message as RegExp);
    // Checks after the failing one are skipped with a reason, never silently passed.
    const after = result.checks.slice(result.checks.indexOf(bad) + 1);
    for (const x of after) expect(x.status).toBe('skip');
  }
  // Waits end with their named budgets: the grading's own time, not the CLI's start-up on a busy machine. A
  // scenario judged again because the machine was too busy to judge (result.rerun) has had its budgets twice, and
  // a budget ends later by exactly what the machine took from it (result.stretched, at most the budget again).
  expect(result.duration).toBeLessThan(
    c.within * (1 + (result.rerun?.length ?? 0)) + (result.stretched ?? 0),
  );
  // Nothing survives the run: no process of the fixture, no port held.
  expect(processesMentioning(path)).toEqual([]);
  for (const port of portsIn(result)) expect(portInUse(port), `port ${port}`).toBe(false);
  return result;
}

for (const mode of MODES) {
  describe.concurrent(`battery (${mode.name}): echo-server (the program is a server)`, () => {
    for (const c of server) test(c.file, async () => void (await grade('echo-server', c, mode.env)));
  });

  describe.concurrent(`battery (${mode.name}): tcp-client (the program is a client)`, () => {
    for (const c of client) test(c.file, async () => void (await grade('tcp-client', c, mode.env)));
  });
}

test('a flood of output is capped, noted, and does not slow the verdict', async () => {
  const r = await grade('echo-server', server.find((c) => c.file === 'floods_stdout') as Case);
  expect(r.dropped.stdout).toBeGreaterThan(100 * 1024 * 1024 - 128 * 1024);
});

test('the traceback names the learner file relative to the workspace', async () => {
  const r = await grade('echo-server', server.find((c) => c.file === 'crashes_with_traceback') as Case);
  expect(r.checks[0].message).toContain('File "crashes_with_traceback.py", line 4');
  expect(r.checks[0].message).not.toContain('/test/fixtures/');
});
