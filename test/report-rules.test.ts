// The rules a saved report must follow before merge or resume trusts it, one edit of an honest report at a time:
// each edit breaks exactly the rules named, and the honest report breaks none.
import { describe, expect, test } from 'vitest';
import type { SavedReport } from '../src/grading/schema/report.js';
import { reportProblems } from '../src/grading/schema/report-rules.js';

const context = {
  folder: 'eve',
  exercises: [
    { id: 'tcp-client', points: 10 },
    { id: 'tcp-server', points: 6 },
  ],
  threshold: 8,
};

/** eve: tcp-client solved (10 of 10), tcp-server not (0 of 6): 10 of 16, passing at 8. */
function honest(): SavedReport {
  return {
    student: 'eve',
    assignment: 'Week 1',
    points: 10,
    maxPoints: 16,
    threshold: 8,
    status: 'pass',
    exercises: [
      { id: 'tcp-client', points: 10, maxPoints: 10, result: { status: 'pass' } },
      { id: 'tcp-server', points: 0, maxPoints: 6, result: { status: 'fail' } },
    ],
  };
}

type Edit = (r: SavedReport) => void;
const ex = (r: SavedReport, i: number) => r.exercises[i] as SavedReport['exercises'][number];

describe('reportProblems', () => {
  test('an honest report breaks no rule, in either language', () => {
    expect(reportProblems(honest(), context, 'en')).toEqual([]);
    expect(
      reportProblems(
        {
          ...honest(),
          points: 6,
          status: 'fail',
          exercises: [
            { id: 'tcp-client', points: 0, maxPoints: 10 },
            { id: 'tcp-server', points: 6, maxPoints: 6 },
          ],
        },
        context,
        'zh-CN',
      ),
    ).toEqual([]);
  });

  test.each<[string, Edit, string[]]>([
    ['another student', (r) => (r.student = 'mallory'), ['student']],
    ['another student, named with an escape', (r) => (r.student = '\x1b[2J'), ['student']],
    ['the exercises in another order', (r) => r.exercises.reverse(), ['exercises']],
    ['an exercise left out', (r) => r.exercises.pop(), ['exercises']],
    ["an exercise's maximum raised", (r) => (ex(r, 0).maxPoints = 100), ['exercises.0.maxPoints']],
    [
      "an exercise's points past its maximum",
      (r) => Object.assign(ex(r, 1), { points: 7 }),
      ['exercises.1.points', 'points'],
    ],
    [
      "an exercise's points below 0",
      (r) => Object.assign(ex(r, 1), { points: -1 }),
      ['exercises.1.points', 'points'],
    ],
    ['a total of 10⁹', (r) => (r.points = 1e9), ['points', 'points']],
    [
      'a total below 0, failing',
      (r) => Object.assign(r, { points: -5, status: 'fail' }),
      ['points', 'points'],
    ],
    ['a total that is not the sum', (r) => Object.assign(r, { points: 16 }), ['points']],
    ['a total off by a little', (r) => Object.assign(r, { points: 10.004 }), ['points']],
    ['another maximum', (r) => (r.maxPoints = 1000), ['maxPoints']],
    ['another threshold', (r) => Object.assign(r, { threshold: 0 }), ['threshold']],
    ['a fail at the threshold', (r) => (r.status = 'fail'), ['status']],
    ['a pass below it', (r) => Object.assign(r, { threshold: 11 }), ['threshold', 'status']],
    ['a skip', (r) => (r.status = 'skip'), ['status']],
    ['an error no exercise had', (r) => (r.status = 'error'), ['status']],
    ['an exercise that errored, in a pass', (r) => (ex(r, 1).result = { status: 'error' }), ['status']],
  ])('%s', (_, edit, broken) => {
    const r = honest();
    edit(r);
    const problems = reportProblems(r, context, 'en');
    expect(problems.map((p) => p.where)).toEqual(broken);
    expect(reportProblems(r, context, 'zh-CN')).toHaveLength(broken.length);
  });

  test('an error is what a failed grading gives', () => {
    const r = { ...honest(), status: 'error' as const };
    ex(r, 1).result = { status: 'error' };
    expect(reportProblems(r, context, 'en')).toEqual([]);
  });

  test("without a known threshold, the report's own decides its status", () => {
    const { threshold: _, ...merge } = context;
    expect(reportProblems({ ...honest(), threshold: 0 }, merge, 'en')).toEqual([]);
    expect(reportProblems({ ...honest(), threshold: 11 }, merge, 'en').map((p) => p.where)).toEqual([
      'status',
    ]);
  });

  test('the messages name the values, names escaped', () => {
    const r = { ...honest(), student: 'mallory\n::error::x', points: 1e9 };
    expect(reportProblems(r, context, 'en').map((p) => `${p.where}: ${p.message}`)).toEqual([
      'student: it is the report of "mallory\\n::error::x", but it is in the folder of eve',
      'points: 1000000000 points is not within 0 to 16',
      'points: the total is 1000000000 points, but its exercises add up to 10',
    ]);
  });
});
