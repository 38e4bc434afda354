// The reporters are pure views of a GradeReport, so each is tested on reports built by hand: one exercise that
// passes, one that fails with a diff and hostile bytes in its transcript, one skipped for a missing capability, one
// where the grader broke.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { classroomOutputLine, classroomResult } from '../src/grading/reporters/classroom.js';
import { escapeData, escapeProperty, githubReport, newStopToken } from '../src/grading/reporters/github.js';
import { checkVerdict, firstSentence, jsonReport, learnerOutput } from '../src/grading/reporters/json.js';
import { junitReport } from '../src/grading/reporters/junit.js';
import type { CheckResult, ExerciseResult, Status, TranscriptEntry } from '../src/grading/results.js';
import { overallStatus } from '../src/grading/results.js';
import {
  type GradeReport,
  reportStatus,
  round,
  type ScoredExercise,
  scoreExercise,
} from '../src/grading/score.js';

const XSD = readFileSync(new URL('./fixtures/junit.xsd', import.meta.url), 'utf8');

function check(id: string, status: Status, more: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    title: id.replace(/-/g, ' '),
    status,
    message: status === 'pass' ? id : `${id} went wrong`,
    transcript: [],
    duration: 12.3456,
    ...more,
  };
}

function exercise(id: string, checks: CheckResult[], maxPoints = 10): ScoredExercise {
  const result: ExerciseResult = {
    exercise: id,
    status: overallStatus(checks),
    seed: 42,
    checks,
    duration: 250,
    command: `python3 ${id}.py`,
  };
  return scoreExercise(result, `The ${id} exercise`, maxPoints);
}

function report(exercises: ScoredExercise[], more: Partial<GradeReport> = {}): GradeReport {
  const points = round(exercises.reduce((a, e) => a + e.points, 0));
  const maxPoints = exercises.reduce((a, e) => a + e.maxPoints, 0);
  const threshold = more.threshold ?? maxPoints * 0.6;
  return {
    student: 'ada',
    assignment: 'Sockets 1',
    feedback: 'full',
    exercises,
    points,
    maxPoints,
    threshold,
    status: reportStatus(exercises, points, threshold),
    duration: 1234,
    startedAt: '2025-03-01T09:00:00.000Z',
    ...more,
  };
}

const out = (text: string, at = 5): TranscriptEntry => ({ at, who: 'program', kind: 'stdout', text });
const peer = (kind: TranscriptEntry['kind'], text: string, at = 1): TranscriptEntry => ({
  at,
  who: 'peer:c1',
  kind,
  text,
});

const passing = exercise('first-contact', [
  check('connects', 'pass', { transcript: [peer('accept', ''), out('hello')] }),
  check('prints-greeting', 'pass', { transcript: [out('Hello, world'), out('second line')] }),
  check('exits', 'pass'),
]);

const HOSTILE_MESSAGE =
  'your program sent different bytes on c1. Read until "\\n" & check <len>\nits last lines on stderr:\n  ::error::from-stderr\n  ##[add-mask]stderr-secret';

/** HOSTILE_MESSAGE as safeText shows it: its lines that a runner would read as commands are neutralised. */
const HOSTILE_MESSAGE_SHOWN =
  'your program sent different bytes on c1. Read until "\\n" & check <len>\nits last lines on stderr:\n  \\x3a:error::from-stderr\n  #\\x23[add-mask]stderr-secret';

const failing = exercise('echo-server', [
  check('listens', 'pass', { transcript: [out(`ready ${'x'.repeat(600)}`)] }),
  check('echoes-a-line', 'fail', {
    message: HOSTILE_MESSAGE,
    expected: '"PONG <&> \\"q\\"\\n"',
    actual: '"PING\\n"',
    diff: ['expected:  "PONG <&> \\"q\\"\\n"', 'actual:    "PING\\n"', '             ^ byte 1'],
    transcript: [
      peer('connect', ''),
      peer('send', '"PING <&> \'q\' \\"x\\"\\n"'),
      out('said <b>&amp; "hi" \'x\''),
      out('nul:\u0000 end'),
      out('emoji 😀'),
      out('::error::pwned'),
      out('a\r::warning::after-cr'),
      out('##[add-mask]secret'),
      peer('recv', '"PING\\n"'),
    ],
    hint: 'send back exactly what you received',
    replay: 'socketlings peer echo-server --seed 42',
  }),
  check('closes', 'skip', { message: 'skipped: an earlier check failed', duration: 0 }),
]);

const ipv6Skipped = exercise('ipv6-server', [
  check('listens', 'skip', { message: 'skipped: IPv6 is not available on this machine', duration: 0 }),
  check('echoes', 'skip', { message: 'skipped: IPv6 is not available on this machine', duration: 0 }),
]);

const broken = exercise('line-protocol', [
  check('listens', 'pass'),
  check('answers-ping', 'error', {
    message: 'the grader itself failed: TypeError: x is undefined\n    at step (engine.ts:10:3)',
  }),
  check('answers-quit', 'skip', { message: 'skipped: an earlier check failed', duration: 0 }),
]);

const full = report([passing, failing, ipv6Skipped]);
const summary = report([passing, failing, ipv6Skipped], { feedback: 'summary' });
const failed = report([passing, failing, ipv6Skipped], { threshold: 29 });
const errored = report([passing, failing, ipv6Skipped, broken]);

type Json = {
  version: number;
  status: string;
  message?: string;
  score: number;
  max_score: number;
  tests: {
    name: string;
    status: string;
    message: string | null;
    output: string | null;
    test_code: string;
    task_id: number;
    score: number;
    max_score: number;
  }[];
};

const json = (r: GradeReport) => JSON.parse(jsonReport(r)) as Json;

describe('json (Exercism results.json v3)', () => {
  test('the fixtures mean what the tests assume', () => {
    expect([full.status, failed.status, errored.status]).toEqual(['pass', 'fail', 'error']);
  });

  test('top level: version, status, score; a message only on error', () => {
    const j = json(full);
    expect(Object.keys(j).sort()).toEqual(['max_score', 'score', 'status', 'tests', 'version']);
    expect(j).toMatchObject({ version: 3, status: 'pass', score: full.points, max_score: full.maxPoints });
    expect(json(failed)).toMatchObject({ status: 'fail' });
    expect(json(failed)).not.toHaveProperty('message');
    const e = json(errored);
    expect(e.status).toBe('error');
    expect(e.message).toContain('line-protocol: answers ping: the grader itself failed: TypeError');
  });

  test('tests come exercise by exercise, check by check, with every field', () => {
    const j = json(full);
    expect(j.tests.map((t) => [t.name, t.task_id])).toEqual([
      ['first-contact: connects', 1],
      ['first-contact: prints greeting', 1],
      ['first-contact: exits', 1],
      ['echo-server: listens', 2],
      ['echo-server: echoes a line', 2],
      ['echo-server: closes', 2],
      ['ipv6-server: listens', 3],
      ['ipv6-server: echoes', 3],
    ]);
    for (const t of j.tests)
      expect(Object.keys(t).sort()).toEqual(
        ['max_score', 'message', 'name', 'output', 'score', 'status', 'task_id', 'test_code'].sort(),
      );
    expect(j.tests[4]?.test_code).toBe('In exercise echo-server, the grader checks: echoes a line.');
    expect(j.tests.map((t) => t.score)).toEqual(full.exercises.flatMap((e) => e.checks.map((c) => c.points)));
    expect(j.tests.map((t) => t.max_score)).toEqual(
      full.exercises.flatMap((e) => e.checks.map((c) => c.maxPoints)),
    );
  });

  test('statuses: skip becomes fail after a failure, pass for a capability, error after a grader error', () => {
    expect(json(full).tests.map((t) => t.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
      'fail',
      'fail',
      'pass',
      'pass',
    ]);
    expect(json(errored).tests.map((t) => t.status)).toEqual([
      ...['pass', 'pass', 'pass'],
      ...['pass', 'fail', 'fail'],
      ...['pass', 'pass'],
      ...['pass', 'error', 'error'],
    ]);
  });

  // Every combination that decides a skipped check's verdict: what the exercise was, what the report was.
  test.each([
    [['skip', 'skip'], 0, 'pass', 'pass'],
    [['skip', 'skip'], 1, 'fail', 'pass'],
    [['pass', 'fail', 'skip'], 2, 'fail', 'fail'],
    [['pass', 'fail', 'skip'], 2, 'pass', 'fail'],
    [['pass', 'skip'], 1, 'pass', 'fail'],
    [['error', 'skip'], 1, 'error', 'error'],
    [['skip', 'skip'], 1, 'error', 'pass'],
    [['pass', 'fail', 'skip'], 2, 'error', 'fail'],
    [['pass', 'fail', 'skip'], 1, 'error', 'fail'],
    [['pass', 'error'], 1, 'error', 'error'],
  ] as const)('%j check %i in a %s report is %s', (statuses, index, reportWas, verdict) => {
    const e = exercise(
      'x',
      statuses.map((s, i) => check(`c${i}`, s)),
    );
    const r = { ...report([e]), status: reportWas };
    expect(checkVerdict(r, e, index)).toBe(verdict);
    // A test scores exactly when it passes.
    expect(e.checks[index]?.points !== 0).toBe(verdict === 'pass');
  });

  test('messages: null on pass, the reason on a capability skip, expected and actual on a failure', () => {
    const t = json(full).tests;
    expect(t[0]?.message).toBeNull();
    // Through safeText: a CI script prints these (`jq -r`), so no line of them is a workflow command.
    expect(t[4]?.message).toBe(
      `${HOSTILE_MESSAGE_SHOWN}\nexpected: "PONG <&> \\"q\\"\\n"\nactual: "PING\\n"`,
    );
    expect(t[5]?.message).toBe('skipped: an earlier check failed');
    expect(t[6]).toMatchObject({ status: 'pass', message: 'skipped: IPv6 is not available on this machine' });
  });

  test("output: the program's stdout lines only, capped at 500 characters", () => {
    const t = json(full).tests;
    expect(t[0]?.output).toBe('hello');
    expect(t[1]?.output).toBe('Hello, world\nsecond line');
    expect(t[2]?.output).toBeNull();
    expect(t[3]?.output?.length).toBeLessThanOrEqual(500);
    expect(t[3]?.output).toMatch(/^ready x+\n… Output was truncated\. Please limit to 500 chars$/);
    expect(t[4]?.output).toBe(
      'said <b>&amp; "hi" \'x\'\nnul:\\x00 end\nemoji 😀\n\\x3a:error::pwned\na\\r::warning::after-cr\n#\\x23[add-mask]secret',
    );
    // Nothing a terminal or a log viewer would act on, in the file as written either.
    expect(jsonReport(full)).not.toMatch(/\\u00[01]|\\u007f|[\u0080-\u009f\u202a-\u202e]/);
  });

  test('the cap never splits an emoji', () => {
    for (let pad = 440; pad < 470; pad++) {
      const text = learnerOutput({
        ...check('c', 'pass'),
        points: 1,
        maxPoints: 1,
        transcript: [out(`${'a'.repeat(pad)}${'😀'.repeat(40)}`)],
      });
      expect(text?.length).toBeLessThanOrEqual(500);
      expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });

  test('summary feedback: first sentences, no output', () => {
    const t = json(summary).tests;
    expect(t.every((x) => x.output === null)).toBe(true);
    expect(t[4]?.message).toBe('your program sent different bytes on c1.');
    const e = json({ ...errored, feedback: 'summary' });
    expect(e.message).toBe(
      'line-protocol: answers ping: the grader itself failed: TypeError: x is undefined',
    );
  });

  test.each([
    [
      'your program did not bind within 3.5 s (budget: ready)',
      'your program did not bind within 3.5 s (budget: ready)',
    ],
    ['it failed. Read the docs', 'it failed.'],
    ['first line\nsecond line', 'first line'],
    ['无法连接。请重试', '无法连接。'],
    ['is it there? no', 'is it there?'],
    ['at 127.0.0.1:5000: ECONNREFUSED', 'at 127.0.0.1:5000: ECONNREFUSED'],
  ])('firstSentence(%j)', (text, first) => expect(firstSentence(text)).toBe(first));
});

async function validate(contents: string) {
  return validateXML({
    xml: [{ fileName: 'r.xml', contents }],
    schema: [{ fileName: 'junit.xsd', contents: XSD }],
  });
}

describe('junit', () => {
  test.each([
    ['full', full],
    ['summary', summary],
    ['errored', errored],
    ['empty', report([])],
    [
      'anonymous',
      (() => {
        const { student: _, ...r } = full;
        return r;
      })(),
    ],
  ])('%s report is valid against the schema', async (_, r) => {
    const result = await validate(junitReport(r));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('the schema is not vacuous', async () => {
    const good = junitReport(full);
    expect((await validate(good.replace('<testcase name="connects" ', '<testcase '))).valid).toBe(false);
    expect((await validate(good.replace(/time="1\.234"/, 'time="soon"'))).valid).toBe(false);
    expect((await validate(good.replace('tests="3"', 'tests="-3"'))).valid).toBe(false);
    expect((await validate(good.replace('<skipped ', '<skipped/><failure '))).valid).toBe(false);
    expect(
      (await validate(good.replace('<testsuites ', '<testsuitez ').replace('</testsuites>', '</testsuitez>')))
        .valid,
    ).toBe(false);
  });

  test('counts, names and times', () => {
    const x = junitReport(full);
    expect(x.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(x).toContain(
      '<testsuites name="Sockets 1 (ada)" tests="8" failures="1" errors="0" skipped="3" time="1.234">',
    );
    expect(x).toContain(
      '<testsuite name="echo-server" tests="3" failures="1" errors="0" skipped="1" time="0.250" timestamp="2025-03-01T09:00:00.000Z">',
    );
    expect(x).toContain('<testcase name="echoes a line" classname="socketlings.echo-server" time="0.012">');
    expect(x).toContain('<skipped message="skipped: IPv6 is not available on this machine"/>');
    expect(junitReport(errored)).toContain(
      '<error message="the grader itself failed: TypeError: x is undefined&#10;    at step (engine.ts:10:3)" type="error">',
    );
  });

  test('learner bytes are escaped, and characters XML forbids are dropped', () => {
    const x = junitReport(full);
    expect(x).not.toContain('\u0000');
    expect(x).not.toMatch(/[\u0001-\u0008\u000b\u000c\u000e-\u001f]/);
    // Control characters are shown (CI servers print these messages in their logs), as everywhere else.
    expect(x).toContain('nul:\\x00 end');
    expect(x).toContain('emoji 😀');
    expect(x).toContain('[your program] stdout: said &lt;b&gt;&amp;amp; &quot;hi&quot; &apos;x&apos;');
    expect(x).toContain('[peer:c1] → &quot;PING &lt;&amp;&gt; &apos;q&apos; \\&quot;x\\&quot;\\n&quot;');
    expect(x).toContain('a\\r::warning::after-cr');
    // What safeText leaves and XML forbids even as a reference is dropped.
    const lone = junitReport(
      report([exercise('x', [check('c', 'fail', { message: 'half \ud800 of a pair' })])]),
    );
    expect(lone).toContain('half  of a pair');
    expect(x).toMatch(
      /<failure message="your program sent different bytes on c1\. Read until &quot;\\n&quot; &amp; check &lt;len&gt;&#10;/,
    );
  });

  test('full failure text: message, diff, transcript, hint and replay; summary: the first sentence', () => {
    const x = junitReport(full);
    const text = /<failure [^>]*>([^<]*)<\/failure>/.exec(x)?.[1] ?? '';
    expect(text).toContain('its last lines on stderr:');
    expect(text).toContain('             ^ byte 1');
    expect(text).toContain('transcript:\n  [peer:c1] · connect\n');
    expect(text).toContain('hint: send back exactly what you received');
    expect(text).toContain('replay: socketlings peer echo-server --seed 42');
    const s = junitReport(summary);
    expect(/<failure [^>]*>([^<]*)<\/failure>/.exec(s)?.[1]).toBe('your program sent different bytes on c1.');
    expect(s).not.toContain('pwned');
  });
});

/**
 * What the Actions runner does with a step's output (actions/runner, ActionCommandManager + ActionCommand): every
 * line is tried as `::cmd props::data` (after leading spaces) and as legacy `##[cmd props]data` anywhere in it;
 * between `::stop-commands::T` and `::T::` nothing runs. Stricter than the runner: every command name counts.
 */
function commandsRun(log: string): { command: string; props: string; data: string }[] {
  const parse = (line: string) => {
    const v2 = line.trimStart();
    if (v2.startsWith('::')) {
      const end = v2.indexOf('::', 2);
      if (end >= 0) {
        const info = v2.slice(2, end);
        const sp = info.indexOf(' ');
        return {
          command: sp < 0 ? info : info.slice(0, sp),
          props: sp < 0 ? '' : info.slice(sp + 1),
          data: v2.slice(end + 2),
        };
      }
    }
    const at = line.indexOf('##[');
    const rb = at < 0 ? -1 : line.indexOf(']', at);
    if (rb < 0) return undefined;
    const info = line.slice(at + 3, rb);
    const sp = info.indexOf(' ');
    return {
      command: sp < 0 ? info : info.slice(0, sp),
      props: sp < 0 ? '' : info.slice(sp + 1),
      data: line.slice(rb + 1),
    };
  };
  const ran = [];
  let stopToken: string | undefined;
  for (const line of log.split(/\r\n|\r|\n/)) {
    const cmd = parse(line);
    if (!cmd) continue;
    if (stopToken !== undefined) {
      if (cmd.command.toLowerCase() === stopToken.toLowerCase()) stopToken = undefined;
    } else if (cmd.command === 'stop-commands') stopToken = cmd.data;
    else ran.push(cmd);
  }
  return ran;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

describe('github', () => {
  const token = 'a3f9c2d18b7e4f60a3f9c2d18b7e4f60';

  test.each([
    ['100% done\r\nnext', '100%25 done%0D%0Anext', '100%25 done%0D%0Anext'],
    ['a: b, c', 'a: b, c', 'a%3A b%2C c'],
    ['%0A literal', '%250A literal', '%250A literal'],
  ])('escape %j', (raw, data, property) => {
    expect(escapeData(raw)).toBe(data);
    expect(escapeProperty(raw)).toBe(property);
  });

  test('one annotation per failing check, escaped, and nothing else runs', () => {
    const { log } = githubReport(errored, token);
    const ran = commandsRun(log);
    expect(ran.map((c) => [c.command, c.props])).toEqual([
      ['error', 'title=echo-server%3A echoes a line'],
      ['error', 'title=line-protocol%3A answers ping'],
    ]);
    expect(unescapeData(ran[0]?.data ?? '')).toBe(
      [HOSTILE_MESSAGE_SHOWN, ...(failing.checks[1]?.diff ?? [])].join('\n'),
    );
    expect(log.endsWith('\n')).toBe(true);
  });

  test("the learner's `::error::pwned` sits between the stop-commands markers", () => {
    const lines = githubReport(full, token).log.split('\n');
    const stop = lines.indexOf(`::stop-commands::${token}`);
    const resume = lines.indexOf(`::${token}::`);
    const pwned = lines.findIndex((l) => l.endsWith('stdout: ::error::pwned'));
    expect(stop).toBe(0);
    expect(pwned).toBeGreaterThan(stop);
    expect(resume).toBeGreaterThan(pwned);
    // Outside the fence there are only our own annotations.
    for (const l of lines.slice(resume + 1)) expect(l === '' || l.startsWith('::error title=')).toBe(true);
    // A carriage return from the learner is shown, not obeyed.
    expect(lines).toContain('        [your program] stdout: a\\r::warning::after-cr');
    expect(lines.join('\n')).not.toContain('\r');
  });

  test('the token comes from the caller, not from the report', () => {
    const other = newStopToken();
    expect(other).toMatch(/^[0-9a-f]{32}$/);
    expect(newStopToken()).not.toBe(other);
    expect(JSON.stringify(full)).not.toContain(token);
    // Two tokens give the same log but for the markers: nothing in the report leads to the token.
    expect(githubReport(full, token).log.replaceAll(token, other)).toBe(githubReport(full, other).log);
    for (const bad of ['', 'abc', 'not-hex-not-hex-not-hex', '0123456789abcde'])
      expect(() => githubReport(full, bad)).toThrow(/token/);
    // A student named like the token could end the fence early: refused.
    expect(() => githubReport({ ...full, student: `x${token}` }, token)).toThrow(/token/);
  });

  test('summary: heading, one row per exercise, and a total that adds up', () => {
    const { summary: md } = githubReport(errored, token);
    expect(md.split('\n')[0]).toBe('## socketlings: Sockets 1 — ada');
    const rows = md
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| exercise') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(errored.exercises.length + 1);
    const points = rows.slice(0, -1).map((l) => Number(/\| ([\d.]+) \/ ([\d.]+) \|/.exec(l)?.[1]));
    expect(round(points.reduce((a, b) => a + b, 0))).toBe(errored.points);
    expect(rows.at(-1)).toBe(
      `| **total** | **${errored.points} / ${errored.maxPoints}** | ⚠️ error (needs ${errored.threshold}) |`,
    );
    expect(rows[1]).toBe('| echo\\-server — The echo\\-server exercise | 3.33 / 10 | ❌ fail |');
    expect(md).toContain('### Failing checks');
    expect(md).toContain('- **echo\\-server\\: echoes a line**: your program sent different bytes on c1\\.');
  });

  test('summary: learner text cannot become HTML, links or table cells', () => {
    const { summary: md } = githubReport({ ...full, student: '<img src=x> | [y](http://z)' }, token);
    expect(md).not.toContain('<img');
    expect(md.split('\n')[0]).toBe(
      '## socketlings: Sockets 1 — &lt;img src=x&gt; \\| \\[y\\]\\(http\\://z\\)',
    );
    const list = md.split('\n').find((l) => l.startsWith('- **echo'));
    expect(list).toContain(
      '<br>its last lines on stderr\\:<br>&nbsp;&nbsp;\\\\x3a\\:error\\:\\:from\\-stderr<br>&nbsp;&nbsp;\\#\\\\x23\\[add\\-mask\\]',
    );
  });

  test('summary feedback: first sentences, no transcript', () => {
    const { log, summary: md } = githubReport(summary, token);
    expect(log).not.toContain('transcript:');
    expect(log).not.toContain('pwned');
    expect(commandsRun(log).map((c) => unescapeData(c.data))).toEqual([
      'your program sent different bytes on c1.',
    ]);
    expect(md).not.toContain('stderr');
  });
});

type Classroom = {
  version: number;
  status: string;
  max_score: number;
  tests: Record<string, unknown>[];
};

const decode = (b64: string) => JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as Classroom;

describe('classroom', () => {
  test('the base64 decodes to the grading reporter shape, one test per check', () => {
    const c = decode(classroomResult(errored));
    expect(Object.keys(c).sort()).toEqual(['max_score', 'status', 'tests', 'version']);
    expect(c).toMatchObject({ version: 1, status: 'error', max_score: errored.maxPoints });
    expect(c.tests).toHaveLength(11);
    for (const t of c.tests) {
      expect(Object.keys(t).sort()).toEqual(
        ['duration', 'filename', 'line_no', 'message', 'name', 'score', 'status', 'test_code'].sort(),
      );
      expect(t).toMatchObject({ filename: '', line_no: 0 });
      expect(Number.isInteger(t.duration)).toBe(true);
    }
    expect(c.tests[4]).toMatchObject({
      name: 'echo-server: echoes a line',
      status: 'fail',
      score: 0,
      duration: 12,
    });
    expect(c.tests.map((t) => t.status)).toEqual(json(errored).tests.map((t) => t.status));
  });

  test.each([
    ['full', full],
    ['failed', failed],
    ['errored', errored],
  ])('%s: per-check scores add up to the report points', (_, r) => {
    const c = decode(classroomResult(r));
    expect(round(c.tests.reduce((a, t) => a + Number(t.score), 0))).toBe(r.points);
    expect(c.status).toBe(r.status);
  });

  test('rounded check points that overshoot are corrected (3 × 0.67 for 2 points)', () => {
    const e = exercise('three', [check('a', 'pass'), check('b', 'pass'), check('c', 'pass')], 2);
    const c = decode(classroomResult(report([e])));
    expect(c.tests.map((t) => t.score)).toEqual([0.67, 0.67, 0.66]);
  });

  test('messages cannot carry workflow commands into the reporter log', () => {
    const c = decode(classroomResult(full));
    const m = String(c.tests[4]?.message);
    expect(m).not.toMatch(/[\r\n]/);
    expect(m).not.toContain('##[');
    expect(m).toContain('its last lines on stderr: ⏎ ::error::from-stderr ⏎ #\\x23[add-mask]stderr-secret');
    expect(c.tests[0]?.message).toBe('');
    expect(commandsRun(c.tests.map((t) => `Error: ${String(t.message)}`).join('\n'))).toEqual([]);
  });

  test('the $GITHUB_OUTPUT line', () => {
    const line = classroomOutputLine(full);
    expect(line).toMatch(/^result=[A-Za-z0-9+/]+=*$/);
    expect(decode(line.slice('result='.length))).toEqual(decode(classroomResult(full)));
  });
});

describe('locations in the learner file', () => {
  const traceback = [
    'Traceback (most recent call last):',
    '  File "01-sockets/first_contact.py", line 4, in <module>',
    '    main()',
    '  File "01-sockets/first_contact.py", line 9, in main',
    '    s.connect((HOST, PORT))',
    '  File "/usr/lib/python3.11/socket.py", line 851, in create_connection',
    'ConnectionRefusedError: [Errno 111] Connection refused',
  ];
  const crashed = (file: string | undefined) => {
    const e = exercise('first-contact', [
      check('connects', 'fail', {
        message: `your program exited with code 1\nits last lines on stderr:\n${traceback.map((l) => `  ${l}`).join('\n')}`,
        transcript: traceback.map((text, i) => ({ at: i, who: 'program', kind: 'stderr' as const, text })),
      }),
      check('prints', 'fail'),
    ]);
    return report([{ ...e, result: { ...e.result, ...(file ? { file, fileLines: 12 } : {}) } }]);
  };

  test("a GitHub annotation points at the deepest frame in the learner's file, else at the file", () => {
    const ran = commandsRun(githubReport(crashed('01-sockets/first_contact.py'), 'ab12ab12ab12ab12ab12').log);
    expect(ran.map((c) => c.props)).toEqual([
      'file=01-sockets/first_contact.py,line=9,title=first-contact%3A connects',
      'file=01-sockets/first_contact.py,title=first-contact%3A prints',
    ]);
    const none = commandsRun(githubReport(crashed(undefined), 'ab12ab12ab12ab12ab12').log);
    expect(none.map((c) => c.props)).toEqual([
      'title=first-contact%3A connects',
      'title=first-contact%3A prints',
    ]);
  });

  test('a line the program printed itself is used only within the file as it was graded', () => {
    // A program may print a traceback of its own: a line past the file's end, 0, or a number no viewer takes.
    const forged = (line: string, fileLines: number | undefined) => {
      const e = exercise('first-contact', [
        check('connects', 'fail', {
          message: 'your program exited with code 1',
          transcript: [
            {
              at: 0,
              who: 'program',
              kind: 'stderr',
              text: `  File "01-sockets/first_contact.py", line ${line}, in main`,
            },
          ],
        }),
      ]);
      const file = '01-sockets/first_contact.py';
      const result = { ...e.result, file, ...(fileLines !== undefined ? { fileLines } : {}) };
      const r = report([{ ...e, result }]);
      return [
        commandsRun(githubReport(r, 'ab12ab12ab12ab12ab12').log)[0]?.props,
        decode(classroomResult(r)).tests[0]?.line_no,
      ];
    };
    const at = 'file=01-sockets/first_contact.py,title=first-contact%3A connects';
    expect(forged('12', 12)).toEqual([
      'file=01-sockets/first_contact.py,line=12,title=first-contact%3A connects',
      12,
    ]);
    for (const [line, lines] of [
      ['13', 12],
      ['0', 12],
      ['99999999999999999999', 12],
      ['5', undefined],
    ] as const)
      expect(forged(line, lines), `line ${line} of ${lines}`).toEqual([at, 0]);
  });

  test('Classroom tests carry the file name and the traceback line', () => {
    const c = decode(classroomResult(crashed('01-sockets/first_contact.py')));
    expect(c.tests[0]).toMatchObject({ filename: '01-sockets/first_contact.py', line_no: 9 });
    expect(c.tests[1]).toMatchObject({ filename: '01-sockets/first_contact.py', line_no: 0 });
  });

  test('the Markdown summary keeps the traceback indentation', () => {
    const { summary } = githubReport(crashed('01-sockets/first_contact.py'), 'ab12ab12ab12ab12ab12');
    expect(summary).toContain('<br>&nbsp;&nbsp;&nbsp;&nbsp;File');
  });
});
