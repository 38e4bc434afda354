// The registry of reporters is the one list: the README's table names exactly its reporters, each reporter writes
// only the files it declares (they are what `--out` is checked for and what a batch lists), and `grade merge`
// offers exactly the class views it can write without a CI runner. In-process, no build needed.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  type ClassInput,
  MERGEABLE,
  type Output,
  REPORTERS,
  reporterNames,
  reporterSpec,
} from '../src/grading/reporters/registry.js';
import { type CheckResult, overallStatus } from '../src/grading/results.js';
import { type GradeReport, reportStatus, scoreExercise } from '../src/grading/score.js';

function report(student: string, status: CheckResult['status']): GradeReport {
  const checks: CheckResult[] = [
    { id: 'listens', title: 'listens', status: 'pass', message: 'ok', transcript: [], duration: 3 },
    { id: 'echoes', title: 'echoes', status, message: 'different bytes', transcript: [], duration: 4 },
  ];
  const e = scoreExercise(
    {
      exercise: 'echo-server',
      status: overallStatus(checks),
      seed: 1,
      checks,
      duration: 7,
      command: 'python3 x.py',
    },
    'Echo server',
    2,
  );
  return {
    student,
    assignment: 'Sockets 1',
    feedback: 'full',
    exercises: [e],
    points: e.points,
    maxPoints: 2,
    threshold: 1,
    status: reportStatus([e], e.points, 1),
    duration: 7,
    startedAt: '2026-12-06T09:00:00.000Z',
  };
}

const ada = report('ada', 'fail');
const klass: ClassInput = {
  title: 'Sockets 1',
  exercises: [{ id: 'echo-server' }],
  students: [
    { student: 'ada', report: ada },
    { student: 'bob', report: report('bob', 'pass') },
  ],
  lang: 'en',
};

/** The files an output list writes in `--out` when no CI runner's variable is set. */
function filesOf(outputs: Output[]): string[] {
  return outputs.flatMap((o) => ('file' in o ? [o.file] : 'append' in o && o.orFile ? [o.orFile.file] : []));
}

test("the README's reporter table names exactly the registry's reporters, in its order", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('| reporter | one submission |'));
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  const names = rows.map((row) => /^\s*\| `([a-z-]+)`/.exec(row)?.[1]);
  expect(names).toEqual(REPORTERS);
});

describe.each(REPORTERS)('%s', (name) => {
  const spec = reporterSpec(name);

  test('a view of one submission (the terminal one is drawn by ui), writing only its declared files', async () => {
    if (spec.terminal) {
      expect(spec.one).toBeUndefined();
      return;
    }
    expect(spec.one).toBeDefined();
    const saved = { s: process.env.GITHUB_STEP_SUMMARY, o: process.env.GITHUB_OUTPUT };
    delete process.env.GITHUB_STEP_SUMMARY;
    delete process.env.GITHUB_OUTPUT;
    try {
      const one = filesOf((await spec.one?.(ada, 'en')) ?? []);
      const all = filesOf((await spec.class?.(klass)) ?? []);
      for (const f of [...one, ...all]) expect(spec.files ?? []).toContain(f);
      expect([...new Set([...one, ...all])].sort()).toEqual([...(spec.files ?? [])].sort());
    } finally {
      if (saved.s !== undefined) process.env.GITHUB_STEP_SUMMARY = saved.s;
      if (saved.o !== undefined) process.env.GITHUB_OUTPUT = saved.o;
    }
  });

  test('grade merge offers it exactly when its class view is files only', async () => {
    const outputs = (await spec.class?.(klass)) ?? [];
    const filesOnly = outputs.length > 0 && outputs.every((o) => 'file' in o);
    expect(MERGEABLE.includes(name)).toBe(filesOnly);
  });

  test('every file it writes says what it is, in every language', async () => {
    const outputs = [...((await spec.one?.(ada, 'en')) ?? []), ...((await spec.class?.(klass)) ?? [])];
    for (const o of outputs)
      if (!('stdout' in o)) for (const lang of ['en', 'zh-CN'] as const) expect(o.what[lang]).not.toBe('');
  });
});

test('names given to --reporter: repeated or comma-separated, once each; unknown ones reported', () => {
  expect(reporterNames(['json,junit', 'json', 'pretty'], REPORTERS)).toEqual({
    known: ['json', 'junit', 'pretty'],
    bad: [],
  });
  expect(reporterNames(['html,xml', 'github'], MERGEABLE)).toEqual({
    known: ['html'],
    bad: ['xml', 'github'],
  });
});
