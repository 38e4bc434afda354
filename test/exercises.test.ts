// The course's exercises, judged as the course's quality gate demands: every stub fails, every reference
// solution passes, every wrong program a grader author foresaw fails, and every other correct style passes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, fixture, processesMentioning } from './helpers.js';

test('dev check: the built-in course is sound', { timeout: 180_000 }, async () => {
  const r = await cli(['dev', 'check', '--json'], { timeoutMs: 170_000 });
  const report = JSON.parse(r.stdout);
  const bad = report.exercises.filter((e: { problems: string[] }) => e.problems.length);
  expect(bad).toEqual([]);
  expect(r.code).toBe(0);
  expect(report.exercises.length).toBeGreaterThanOrEqual(4);
});

test("the seed's own programs pass their exercises, except its one-recv() TCP server and recvfrom(4) UDP server, which show why they are wrong", async () => {
  const seed = (f: string) => fixture('seed', f);
  const runs = await Promise.all([
    cli(['verify', 'tcp-client', '--file', seed('tcp_client.py')]),
    cli(['verify', 'udp-server', '--file', seed('udp_server.py')]),
    cli(['verify', 'udp-client', '--file', seed('udp_client.py')]),
    cli(['verify', 'udp-server', '--file', seed('udp_server_recvfrom4.py')]),
    cli(['verify', 'tcp-server', '--file', seed('tcp_server.py')]),
  ]);
  for (const r of runs.slice(0, 3)) expect(r.code, r.stdout).toBe(0);
  const cut = runs[3];
  expect(cut?.code).toBe(1);
  expect(cut?.stdout).toContain('recvfrom(65535)');
  // The notes' server takes one recv() for the whole message; the grader sends it a few bytes at a time.
  const once = runs[4];
  expect(once?.code).toBe(1);
  expect(once?.stdout).toContain('a few bytes at a time');
});

const dir = fixture('exercises');
const exercises = existsSync(dir) ? readdirSync(dir) : [];

describe.concurrent('other programs for each exercise', () => {
  for (const id of exercises) {
    for (const file of readdirSync(join(dir, id)).filter((f) => /^(pass|fail)_.*\.py$/.test(f))) {
      test(`${id}: ${file}`, async () => {
        const path = join(dir, id, file);
        // A fixture whose failure depends on the seeded inputs pins its seed with a "# seed: N" line.
        const seed = /^# seed: (\d+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
        const r = await cli(['verify', id, '--json', '--file', path, ...(seed ? ['--seed', seed] : [])], {
          timeoutMs: 60_000,
        });
        const result = JSON.parse(r.stdout);
        const want = file.startsWith('pass_') ? 'pass' : 'fail';
        const failing = result.checks.find((c: { status: string }) => c.status === 'fail');
        expect(result.status, failing ? `${failing.id}: ${failing.message}` : r.stderr).toBe(want);
        if (want === 'fail') {
          expect(failing.message.length).toBeGreaterThan(20);
          // The message it must get: a "# expect: <regex>" line, matched against the failing check's id,
          // message, expected/actual and hint.
          const expected = /^# expect: (.+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
          expect(expected, `${file} has no "# expect:" line`).toBeDefined();
          const shown = [failing.id, failing.message, failing.expected, failing.actual, failing.hint].join(
            '\n',
          );
          expect(shown).toMatch(new RegExp(expected as string));
        }
        expect(processesMentioning(path)).toEqual([]);
      });
    }
  }
});
