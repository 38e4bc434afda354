// The battery, again and again, several at a time: no verdict may change from round to round. Slow by nature
// (about two minutes), so it runs with `npm run soak` (and in CI), not in every `npm test`.
import { expect, test } from 'vitest';
import { pool } from '../src/app/pool.js';
import { fixture, type VerifyJson, verifyDecided } from './helpers.js';
import { needs, soak } from './needs.js';

const ROUNDS = Number(process.env.SOCKETLINGS_SOAK_ROUNDS ?? 20);
const cases: [string, string, 'pass' | 'fail'][] = [
  ['echo-server', 'passes', 'pass'],
  ['echo-server', 'binds_late', 'pass'],
  ['echo-server', 'floods_stdout', 'pass'],
  ['echo-server', 'never_binds', 'fail'],
  ['echo-server', 'binds_wrong_port', 'fail'],
  ['echo-server', 'exits_immediately', 'fail'],
  ['echo-server', 'crashes_with_traceback', 'fail'],
  ['echo-server', 'hangs_on_accept', 'fail'],
  ['echo-server', 'hangs_after_reply', 'fail'],
  ['echo-server', 'recv_once', 'fail'],
  ['echo-server', 'closes_early', 'fail'],
  ['echo-server', 'wrong_bytes', 'fail'],
  ['echo-server', 'ignores_half_close', 'fail'],
  ['echo-server', 'forks_grandchild', 'fail'],
  ['echo-server', 'empty_file', 'fail'],
  ['tcp-client', 'passes', 'pass'],
  ['tcp-client', 'never_connects', 'fail'],
  ['tcp-client', 'wrong_bytes', 'fail'],
  ['tcp-client', 'never_closes', 'fail'],
];

test(`soak: ${ROUNDS} rounds of the battery, 8 at a time, with no flake`, {
  timeout: 900_000,
  ...needs(soak()),
}, async () => {
  const jobs = Array.from({ length: ROUNDS }, (_, round) => cases.map((c) => ({ round, c }))).flat();
  const verdicts = await pool(jobs, 8, async ({ round, c: [exercise, file, want] }) => {
    const { result: json, undecided } = await verifyDecided(
      [exercise, '--json', '--file', fixture('programs', exercise, `${file}.py`)],
      { timeoutMs: 60_000 },
    );
    const result = json as VerifyJson;
    const bad = result.checks.find((x: { status: string }) => x.status !== 'pass');
    const firstBad: string = bad?.id ?? '';
    // What it said, so that a flake can be told from a real change of verdict when it happens.
    const said = `${bad?.message ?? ''} [rerun: ${result.rerun ?? '-'}, stretched: ${result.stretched ?? 0} ms, undecided before: ${undecided}]`;
    return { round, name: `${exercise}/${file}`, want, got: result.status, firstBad, said };
  });
  const wrong = verdicts.filter((v) => v.got !== v.want);
  expect(wrong, JSON.stringify(wrong, null, 1)).toEqual([]);
  // The same program fails at the same check every round.
  const where = new Map<string, Set<string>>();
  for (const v of verdicts) where.set(v.name, (where.get(v.name) ?? new Set()).add(v.firstBad));
  const moved = [...where].filter(([, s]) => s.size > 1).map(([name]) => name);
  expect(
    moved,
    JSON.stringify(verdicts.filter((v) => moved.includes(v.name)).map((v) => [v.round, v.firstBad, v.said])),
  ).toEqual([]);
  expect(verdicts).toHaveLength(ROUNDS * cases.length);
});
