// What a batch writes for the class as a whole: the table that ends it on the terminal (failures first, fitted to
// the width, Chinese names counted two columns a character), the files it names, the GitHub annotations and step
// summary, the JUnit file with a testsuite per student, and the Classroom reporter's refusal. Pure views first,
// then a real class graded in the sandbox.
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
import { validateXML } from 'xmllint-wasm';
import { classRows } from '../src/grading/class-rows.js';
import { githubClassReport } from '../src/grading/reporters/github-class.js';
import { junitClassReport } from '../src/grading/reporters/junit.js';
import type { Status } from '../src/grading/results.js';
import type { GradeReport } from '../src/grading/score.js';
import { renderClassTable, renderWritten } from '../src/ui/class-table.js';
import { width } from '../src/ui/layout.js';
import { makeStyle } from '../src/ui/style.js';
import { cli, ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-class-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const XSD = readFileSync(new URL('./fixtures/junit.xsd', import.meta.url), 'utf8');

/** A student's report: per exercise, the status of each of its checks (`stub` for an untouched starter file). */
function student(
  name: string,
  status: Status,
  points: number,
  exercises: (Status[] | 'stub')[],
): GradeReport {
  return {
    student: name,
    assignment: 'Week 1',
    feedback: 'full',
    points,
    maxPoints: 10 * exercises.length,
    threshold: 5 * exercises.length,
    status,
    duration: 1000,
    startedAt: '2026-12-06T10:00:00.000Z',
    exercises: exercises.map((checks, i) => {
      const list: Status[] = checks === 'stub' ? ['fail', 'skip'] : checks;
      const cs = list.map((s, j) => ({
        id: `c${j}`,
        title: `check ${j} of ex-${i}`,
        status: s,
        message: s === 'fail' ? `client-1 waited 3 s for "x ${j}\\n", but got nothing. More.` : 'ok',
        transcript: [],
        duration: 10,
        points: s === 'pass' ? 5 : 0,
        maxPoints: 5,
      }));
      return {
        id: `ex-${i}`,
        title: `Exercise ${i}`,
        result: {
          exercise: `ex-${i}`,
          status: list.includes('fail') ? 'fail' : 'pass',
          seed: 1,
          checks: cs,
          duration: 20,
          command: 'python3 x.py',
          file: `0${i}-lesson/ex_${i}.py`,
        },
        checks: cs,
        points: cs.reduce((a, c) => a + c.points, 0),
        maxPoints: 10,
        ...(checks === 'stub' ? { stub: true } : {}),
      };
    }),
  };
}

const CLASS: GradeReport[] = [
  student('ann', 'pass', 20, [
    ['pass', 'pass'],
    ['pass', 'pass'],
  ]),
  student('欧阳娜娜（第二学期重修）', 'fail', 5, [['pass', 'fail'], 'stub']),
  student('ben', 'error', 10, [
    ['pass', 'pass'],
    ['error', 'skip'],
  ]),
  student('cat', 'pass', 15, [
    ['pass', 'pass'],
    ['pass', 'fail'],
  ]),
  student('Maximiliana-Konstantina Papadopoulou-Oppenheimer', 'fail', 0, ['stub', 'stub']),
  student('dan', 'fail', 0, [
    ['fail', 'skip'],
    ['fail', 'skip'],
  ]),
];

describe('the class, row by row', () => {
  test('grader errors first, then students below the threshold (lowest share first), then the rest', () => {
    const rows = classRows(CLASS);
    expect(rows.map((r) => r.student)).toEqual([
      'ben',
      'dan',
      'Maximiliana-Konstantina Papadopoulou-Oppenheimer',
      '欧阳娜娜（第二学期重修）',
      'cat',
      'ann',
    ]);
    const by = new Map(rows.map((r) => [r.student, r]));
    expect(by.get('ann')?.first).toBeUndefined();
    expect(by.get('cat')?.first).toMatchObject({ exercise: 'ex-1', check: 'check 1 of ex-1', stub: false });
    expect(by.get('ben')?.first).toMatchObject({ exercise: 'ex-1', status: 'error' });
    expect(by.get('欧阳娜娜（第二学期重修）')).toMatchObject({ stubs: 1, first: { exercise: 'ex-0' } });
  });

  const plain = makeStyle(false);
  test.each([36, 50, 60, 80, 120])('the end-of-batch table fits %i columns', (cols) => {
    const text = renderClassTable(classRows(CLASS), { width: cols, style: plain, lang: 'en', exercises: 2 });
    const lines = text.trimEnd().split('\n');
    for (const l of lines) expect(width(l), l).toBeLessThanOrEqual(cols);
    // Everyone is there, in order, each with their first failure (or a dash).
    const names = ['ben', 'dan', 'Maximiliana', '欧阳', 'cat', 'ann'];
    const at = names.map((n) => lines.findIndex((l) => l.includes(n)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('every file is the starter file, unchanged');
    expect(flat).toContain('grader error');
    if (cols >= 60) expect(lines[0]).toMatch(/^student +points +status +first failure$/);
    // What went wrong, not the check's title (which says what was checked: the opposite of a failure).
    expect(flat).toContain('ex-1: client-1 waited 3 s for "x 1\\n", but got nothing.');
    expect(flat).not.toContain('check 1 of ex-1');
  });

  test('zh-CN: the same table in Chinese, still within the width', () => {
    const text = renderClassTable(classRows(CLASS), {
      width: 60,
      style: plain,
      lang: 'zh-CN',
      exercises: 2,
    });
    for (const l of text.trimEnd().split('\n')) expect(width(l), l).toBeLessThanOrEqual(60);
    expect(text).toContain('第一个失败');
    expect(text.replace(/\s+/g, '')).toContain('ex-1：client-1waited3sfor"x1\\n",butgotnothing.');
    expect(text.replace(/\s+/g, '')).toContain('每个文件都是未改动的初始模板');
  });

  test('files written: a path is never cut; what it is goes beside it, or below when there is no room', () => {
    const long = `/very/long/${'folder/'.repeat(12)}gradebook.csv`;
    const text = renderWritten(
      [
        { path: long, what: 'gradebook' },
        { path: 'out/junit.xml', what: 'JUnit, a testsuite per student' },
      ],
      { lang: 'en', style: plain, width: 60 },
    );
    expect(text).toContain(`  ${long}\n    gradebook`);
    expect(text).toMatch(/ {2}out\/junit\.xml +JUnit, a testsuite per student/);
  });

  test('github: an annotation per student who did not pass, at most 10 and a count; a class table for the summary', () => {
    const many = Array.from({ length: 14 }, (_, i) =>
      student(`s${String(i).padStart(2, '0')}`, 'fail', i, [['fail', 'skip'], 'stub']),
    );
    const { log, summary } = githubClassReport({
      title: 'Week 1',
      reports: [...CLASS, ...many],
      fileOf: (s, f) => `class/${s}/${f}`,
    });
    const lines = log.trimEnd().split('\n');
    const errors = lines.filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(10);
    // Worst first: the grader error, then the lowest scores.
    expect(errors[0]).toContain('title=ben%3A 10/20 points%2C grader error');
    expect(errors[1]).toMatch(/^::error file=class\/dan\/00-lesson\/ex_0\.py,title=dan%3A 0\/20 points/);
    // failing students: ben, dan, Maximiliana, 欧阳娜娜 and 14 more = 18, so 8 are counted
    expect(lines.filter((l) => l.startsWith('::notice '))).toEqual([
      expect.stringContaining('::8 more students did not pass; the step summary lists the whole class.'),
    ]);
    expect(lines).toHaveLength(11);
    const rows = summary.split('\n').filter((l) => /^\| .* \/ 20 \| (✅|❌|⚠️) /.test(l));
    expect(rows).toHaveLength(20);
    expect(summary).toContain('## socketlings: Week 1 — 20 students, 2 passed');
    expect(summary).toContain('| ann | 20 / 20 | ✅ passed | — |');
    expect(summary).toContain('### Checks failed most');
    // The reason, not the title; in the language the class was graded in.
    const unescaped = (md: string) => md.replace(/\\(.)/g, '$1');
    expect(unescaped(summary)).toContain(
      '| cat | 15 / 20 | ✅ passed | ex-1: client-1 waited 3 s for "x 1\\n", but got nothing. |',
    );
    expect(log).not.toContain('check 0 of ex-0');
    const zh = githubClassReport({ title: 'Week 1', reports: CLASS, lang: 'zh-CN' }).summary;
    expect(zh).toContain('| 学生 | 得分 | 状态 | 第一个失败 |');
    expect(unescaped(zh)).toContain('| cat | 15 / 20 | ✅ 通过 | ex-1：client-1 waited 3 s');
    expect(unescaped(zh)).toContain(
      '| Maximiliana-Konstantina Papadopoulou-Oppenheimer | 0 / 20 | ❌ 未通过 | 每个文件都是未改动的初始模板 |',
    );
  });

  test('junit: one testsuite per student, valid against the schema, counts that add up', async () => {
    const xml = junitClassReport('Week 1', CLASS);
    const result = await validateXML({
      xml: [{ fileName: 'class.xml', contents: xml }],
      schema: [{ fileName: 'junit.xsd', contents: XSD }],
    });
    expect(result.errors).toEqual([]);
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)"/g)];
    expect(suites.map((m) => m[1])).toEqual(CLASS.map((r) => r.student));
    expect(suites.every((m) => m[2] === '4')).toBe(true);
    // Each suite holds as many cases as it counts, and the top counts add up the suites'.
    for (const body of xml.split('<testsuite ').slice(1)) {
      const tests = Number(/^name="[^"]+" tests="(\d+)"/.exec(body)?.[1]);
      expect((body.match(/<testcase /g) ?? []).length).toBe(tests);
    }
    expect(xml).toMatch(/<testsuites name="Week 1" tests="24" failures="7" errors="1" skipped="6"/);
    expect(xml).toContain('classname="dan.ex-1"');
    expect(xml).toContain('<property name="starter_file_unchanged" value="ex-1"/>');
  });
});

describe('a class graded in the sandbox', () => {
  const root = join(dir, 'class');
  const asg = join(dir, 'week1.yaml');
  writeFileSync(asg, 'format: 1\ntitle: Week 1\nexercises:\n  - { id: tcp-client, points: 10 }\n');
  const lesson = join(ROOT, 'lessons', '03-tcp-clients', 'tcp-client');
  // Eleven hand in the starter file (one of them with a Chinese name), one has done the work.
  const names = [...Array.from({ length: 10 }, (_, i) => `s${String(i).padStart(2, '0')}`), '王小明', 'zoe'];
  for (const name of names) {
    mkdirSync(join(root, name, '03-tcp-clients'), { recursive: true });
    copyFileSync(
      join(lesson, name === 'zoe' ? 'solution' : '', 'tcp_client.py'),
      join(root, name, '03-tcp-clients', 'tcp_client.py'),
    );
  }

  test('classroom refuses a class before grading anyone: exit 2, the reason and what to do', async () => {
    const r = await cli(['grade', '--assignment', asg, '--submissions', root, '--reporter', 'classroom'], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the classroom reporter credits the one repository whose workflow ran');
    expect(r.stderr).toContain('socketlings init --ci github');
    expect(existsSync(join(dir, 'socketlings-report'))).toBe(false);
  });

  test('github, junit, html and the table at 60 columns; the run names every file it wrote', async () => {
    const summaryFile = join(dir, 'step-summary.md');
    writeFileSync(summaryFile, '');
    const r = await cli(
      [
        'grade',
        '--assignment',
        asg,
        '--submissions',
        'class',
        '--out',
        'out',
        ...['--reporter', 'pretty,github,junit,html'],
      ],
      {
        cwd: dir,
        env: { COLUMNS: '60', GITHUB_STEP_SUMMARY: summaryFile, GITHUB_ACTIONS: 'true' },
        timeoutMs: 120_000,
      },
    );
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const errors = lines.filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(10);
    for (const e of errors) {
      const file = /file=([^,]+),/.exec(e)?.[1] ?? '';
      expect(existsSync(join(dir, file)), e).toBe(true);
      expect(e).toContain('every file is the starter file, unchanged');
    }
    expect(lines.filter((l) => l.startsWith('::notice '))).toHaveLength(1);
    expect(r.stdout).toContain('::1 more student did not pass');
    // The table: within 60 columns, the eleven first, zoe last.
    const table = lines.slice(lines.findIndex((l) => l.startsWith('student')));
    const end = table.findIndex((l) => l.startsWith('12 submissions graded, 1 passed.'));
    expect(end).toBeGreaterThan(0);
    for (const l of table.slice(0, end)) expect(width(l), l).toBeLessThanOrEqual(60);
    expect(table[end - 1]).toMatch(/^zoe +10\/10 +passed +—$/);
    expect(table.slice(0, end).join('\n')).toMatch(/王小明 +0\/10 +not passed +every file is the starter/);
    // Every file, and where, on stderr after the progress lines.
    const written = r.stderr.slice(r.stderr.indexOf('Files written:'));
    expect(written).toMatch(/^Files written:/);
    for (const f of ['out/gradebook.csv', 'out/report.html', 'out/junit.xml', 'out/shard.json'])
      expect(written).toContain(f);
    expect(written).toContain('$GITHUB_STEP_SUMMARY');
    expect(written).toContain('out/<student>/report.json, junit.xml');
    for (const f of ['gradebook.csv', 'report.html', 'junit.xml', 'shard.json', 'zoe/junit.xml'])
      expect(existsSync(join(dir, 'out', f)), f).toBe(true);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary.split('\n').filter((l) => / \/ 10 \| /.test(l))).toHaveLength(12);
    const junit = readFileSync(join(dir, 'out', 'junit.xml'), 'utf8');
    expect((junit.match(/<testsuite /g) ?? []).length).toBe(12);
    const valid = await validateXML({
      xml: [{ fileName: 'junit.xml', contents: junit }],
      schema: [{ fileName: 'junit.xsd', contents: XSD }],
    });
    expect(valid.errors).toEqual([]);
  }, 150_000);

  test('two shards merged: the class JUnit file has every student once', async () => {
    for (const i of [1, 2]) {
      const r = await cli(
        ['grade', '--assignment', asg, '--submissions', 'class', '--out', `shard-${i}`, '--shard', `${i}/2`],
        { cwd: dir, env: { COLUMNS: '80' }, timeoutMs: 120_000 },
      );
      expect(r.code, r.stderr).toBe(1);
    }
    // Only the second shard wrote a class JUnit file; that is enough for the merge to write one.
    const withJunit = await cli(
      [
        'grade',
        '--assignment',
        asg,
        '--submissions',
        'class',
        '--out',
        'shard-2',
        '--shard',
        '2/2',
        '--force',
      ].concat(['--reporter', 'junit']),
      { cwd: dir, timeoutMs: 120_000 },
    );
    expect(withJunit.code).toBe(1);
    const merged = await cli(['grade', 'merge', 'shard-1', 'shard-2', '--out', 'merged'], { cwd: dir });
    expect(merged.code, merged.stderr).toBe(1);
    const junit = readFileSync(join(dir, 'merged', 'junit.xml'), 'utf8');
    const suites = [...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]);
    expect(suites.sort()).toEqual([...names].sort());
  }, 300_000);
});
