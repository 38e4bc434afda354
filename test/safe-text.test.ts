// Rule 12: nothing a program prints reaches a person or a CI log raw. safeText is the one function that shows
// untrusted text; here it is tested alone, then every view is given a report whose program printed every attack
// a terminal or a CI runner would act on (a forged shard can hold the same, so the reports are built raw, as one
// would read them back), and each view must show the attacks escaped, exactly, and nothing raw.
import { describe, expect, test } from 'vitest';
import { csvCell, gradebookCsv } from '../src/app/batch.js';
import { classroomResult } from '../src/grading/reporters/classroom.js';
import { githubReport } from '../src/grading/reporters/github.js';
import { htmlReport } from '../src/grading/reporters/html.js';
import { jsonReport } from '../src/grading/reporters/json.js';
import { junitReport } from '../src/grading/reporters/junit.js';
import type { CheckResult, ExerciseResult, TranscriptEntry } from '../src/grading/results.js';
import { safeJson, safeText, shownName } from '../src/grading/safe-text.js';
import type { Assignment } from '../src/grading/schema/assignment.js';
import type { SavedReport } from '../src/grading/schema/report.js';
import { type GradeReport, scoreExercise } from '../src/grading/score.js';
import { renderGrade } from '../src/ui/grade-view.js';
import { renderResult, transcriptLine } from '../src/ui/report.js';
import { makeStyle } from '../src/ui/style.js';
import { renderWatch } from '../src/ui/watch-screen.js';
import { LiveWire, renderWire, wireSections } from '../src/ui/wire-view.js';

/** What a hostile program prints, one attack a line, and how every view must show it. */
const ATTACKS: [raw: string, shown: string][] = [
  ['\x1b[2J\x1b[H', '\\x1b[2J\\x1b[H'],
  [
    '\x1b]8;;http://evil.example/\x07CLICK-ME\x1b]8;;\x07',
    '\\x1b]8;;http://evil.example/\\x07CLICK-ME\\x1b]8;;\\x07',
  ],
  ['\x1b]52;c;cHduZWQ=\x07', '\\x1b]52;c;cHduZWQ=\\x07'],
  ['::error::forged', '\\x3a:error::forged'],
  ['##[error]legacy', '#\\x23[error]legacy'],
  ['nul:\x00 end', 'nul:\\x00 end'],
  ['ok\rpartial', 'ok\\rpartial'],
  ['\u202eexe.txt', '\\u202eexe.txt'],
  ['iso\u2066x\u2069', 'iso\\u2066x\\u2069'],
  ['csi8:\u009b2J', 'csi8:\\x9b2J'],
  ['del:\x7f', 'del:\\x7f'],
];

/** Any character safeText escapes, newline and tab aside. */
const RAW =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u2028\u2029\ufeff]/;

/** Lines of `text` a runner would take for a command, but for the ones a reporter writes on purpose. */
function commandLines(text: string, ours: RegExp = /^$/): string[] {
  return text.split('\n').filter((l) => (/^\s*::/.test(l) || l.includes('##[')) && !ours.test(l));
}

const HOSTILE_NAME = '\x1b[2J::error::name\u202e\nforged,10,10,10,pass';

function hostileResult(): ExerciseResult {
  const lines = ATTACKS.map(([raw]) => raw);
  const transcript: TranscriptEntry[] = [
    { at: 1, who: 'peer:client-1', kind: 'connect', text: '' },
    ...lines.map((text, i) => ({ at: 2 + i, who: 'program', kind: 'stdout' as const, text })),
    ...lines.map((text, i) => ({ at: 20 + i, who: 'program', kind: 'stderr' as const, text: `e ${text}` })),
    // Small pieces in a row are folded into one line: its first and last pieces are shown.
    ...Array.from({ length: 8 }, (_, i) => ({
      at: 40 + i,
      who: 'program',
      kind: 'stdout' as const,
      text: i === 0 ? '\x1b[2J' : i === 7 ? '\u202elast' : 'x',
    })),
  ];
  const check: CheckResult = {
    id: 'prints',
    title: 'prints the greeting',
    status: 'fail',
    message: `your program exited with code 1\nits last lines on stderr:\n${lines.map((l) => `  ${l}`).join('\n')}`,
    expected: '"hello\\n"',
    actual: '"\\x1b[2J"',
    transcript,
    hint: 'print the greeting',
    duration: 12,
  };
  return {
    exercise: 'first-contact',
    status: 'fail',
    seed: 7,
    checks: [check],
    duration: 100,
    command: 'python3 first_contact.py',
    file: 'first_contact.py',
  };
}

function hostileReport(student = HOSTILE_NAME): GradeReport {
  const e = scoreExercise(hostileResult(), 'First contact', 10);
  return {
    student,
    assignment: 'week 1',
    feedback: 'full',
    exercises: [e],
    points: e.points,
    maxPoints: 10,
    threshold: 10,
    status: 'fail',
    duration: 100,
    startedAt: '2026-12-06T10:00:00.000Z',
  };
}

describe('safeText', () => {
  test.each(ATTACKS)('%j is shown as %s', (raw, shown) => {
    expect(safeText(raw)).toBe(shown);
    // Twice is once: a layer may apply it again.
    expect(safeText(safeText(raw))).toBe(shown);
  });

  test.each([
    [
      'plain text, 中文, emoji 😀 and a family 👨‍👩‍👧 stay',
      'plain text, 中文, emoji 😀 and a family 👨‍👩‍👧 stay',
    ],
    ['a\tb\nc', 'a\tb\nc'],
    ['line\n  ::warning::x\n::y', 'line\n  \\x3a:warning::x\n\\x3a:y'],
    ['ipv6 [::1]:8080 and ::1 mid-line', 'ipv6 [::1]:8080 and ::1 mid-line'],
    ['###[x', '##\\x23[x'],
    ['zero\u200bwidth\ufeff join\u2060', 'zero\\u200bwidth\\ufeff join\\u2060'],
    ['sep\u2028line\u2029para', 'sep\\u2028line\\u2029para'],
    ['a backslash \\x1b stays', 'a backslash \\x1b stays'],
  ])('%j → %j', (raw, shown) => {
    expect(safeText(raw)).toBe(shown);
  });

  test('one line: newline and tab are escaped too', () => {
    expect(safeText('a\tb\nc\r\n::d', { oneLine: true })).toBe('a\\tb\\nc\\r\\n::d');
    expect(safeText('::a', { oneLine: true })).toBe('\\x3a:a');
  });

  test('JSON: every string through safeText, C1 and bidi included (JSON.stringify leaves them raw)', () => {
    expect(JSON.stringify({ a: '\u009b\u202e' })).toMatch(RAW);
    expect(safeJson({ a: ['\u009b\u202e', { b: '\x1b' }], n: 1 })).toBe(
      '{"a":["\\\\x9b\\\\u202e",{"b":"\\\\x1b"}],"n":1}',
    );
  });

  test.each([
    ['alice', 'alice'],
    ['Zoë 李', 'Zoë 李'],
    ['::error::x', '"::error::x"'],
    ['-rf', '"-rf"'],
    ['=HYPERLINK("x")', '"=HYPERLINK(\\"x\\")"'],
    ['new\nline', '"new\\nline"'],
    ['esc\x1b[2J', '"esc\\x1b[2J"'],
    ['rlo\u202egpj.exe', '"rlo\\u202egpj.exe"'],
    ['back\\slash', 'back\\slash'],
    ['a"b\\\n', '"a\\"b\\\\\\n"'],
  ])('the name %j is shown as %s', (name, shown) => {
    expect(shownName(name)).toBe(shown);
  });
});

describe('every view shows a hostile program escaped', () => {
  const plain = makeStyle(false);

  test('verify: the report and its transcript, folded runs included', () => {
    const verbose = renderResult(hostileResult(), 'First contact', plain, 'en', { verbose: true });
    const out = renderResult(hostileResult(), 'First contact', plain, 'en');
    for (const text of [verbose, out]) {
      expect(text).not.toMatch(RAW);
      expect(commandLines(text)).toEqual([]);
    }
    for (const [raw, shown] of ATTACKS) {
      expect(verbose).toContain(`[your program] stdout: ${shown}`);
      expect(verbose).toContain(`[your program] stderr: ${safeText(`e ${raw}`)}`);
      // The message quotes the last lines of stderr, a line each.
      expect(out).toContain(`\n        ${shown}\n`);
    }
    // Runs of small pieces are folded into one line, which shows the first and the last. Small as shown, escaped:
    // a line of escape sequences is no small piece, however little of the raw text a terminal would draw.
    expect(out).toContain('stdout: \\x1b]52;c;cHduZWQ=\\x07\n');
    expect(out).toContain('stdout: 6 lines, 59 bytes in all: nul:\\x00 end … del:\\x7f');
    expect(out).toMatch(/stdout: 8 lines, \d+ bytes in all: \\x1b\[2J … \\u202elast/);
  });

  test("verify's failure picture, and peer --wire live", () => {
    const r = hostileResult();
    const out = renderWire(wireSections(r), { style: plain, lang: 'en', width: 200 });
    expect(out).not.toMatch(RAW);
    expect(commandLines(out)).toEqual([]);
    // A row is one line of the diagram, after its time: `::` in it starts no line.
    const row = (raw: string) => safeText(`stdout: ${raw}`, { oneLine: true });
    for (const [raw] of ATTACKS) expect(out).toContain(row(raw));
    expect(out).toContain('stdout: \\x1b]52;c;cHduZWQ=\\x07');
    expect(out).toContain('✗ the check failed here: your program exited with code 1');
    const live = new LiveWire(plain, 'en', 200);
    let drawn = live.start();
    for (const e of r.checks[0]?.transcript ?? []) drawn += live.event(e);
    expect(drawn).not.toMatch(RAW);
    for (const [raw] of ATTACKS) expect(drawn).toContain(row(raw));
    // A failure message that is itself hostile, as a forged report may hold.
    const failure = renderWire([{ transcript: [], failure: '\x1b]52;c;eA==\x07' }], {
      style: plain,
      lang: 'en',
    });
    expect(failure).toContain('the check failed here: \\x1b]52;c;eA==\\x07');
  });

  test('peer: each line as it comes', () => {
    for (const [raw, shown] of ATTACKS)
      expect(transcriptLine({ at: 0, who: 'program', kind: 'stdout', text: raw }, plain, 'en')).toBe(
        `[your program] stdout: ${shown}`,
      );
  });

  test('watch: the screen redrawn after a run', () => {
    const out = renderWatch(
      {
        exercise: 'first-contact',
        title: 'First contact',
        file: 'x.py',
        phase: 'done',
        result: hostileResult(),
        notes: [],
        progress: '',
      },
      'en',
      plain,
      { columns: 200, rows: 200 },
    );
    expect(out).not.toMatch(RAW);
    for (const [, shown] of ATTACKS) expect(out).toContain(shown);
  });

  test('grade (pretty): the name on one line, the program escaped', () => {
    const out = renderGrade(hostileReport(), plain, 'en');
    expect(out).not.toMatch(RAW);
    expect(commandLines(out)).toEqual([]);
    expect(out.split('\n')[0]).toBe('week 1 · \\x1b[2J::error::name\\u202e\\nforged,10,10,10,pass');
  });

  test('github: annotation, fenced log and step summary', () => {
    const token = 'ab'.repeat(16);
    const { log, summary } = githubReport(hostileReport(), token);
    expect(log).not.toMatch(RAW);
    expect(summary).not.toMatch(RAW);
    const after = log.slice(log.indexOf(`::${token}::`));
    // Past the fence: only our annotation, one line, the program's bytes escaped inside it.
    const annotations = after.split('\n').slice(1).filter(Boolean);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(
      /^::error file=first_contact\.py,title=first-contact%3A prints the greeting::/,
    );
    for (const [, shown] of ATTACKS) expect(annotations[0]).toContain(`%0A  ${shown}`);
    // In the summary, Markdown escapes the escapes' punctuation: \x1b[2J reads as \\x1b\[2J.
    expect(summary).toContain('&nbsp;&nbsp;\\\\x1b\\[2J\\\\x1b\\[H<br>');
    expect(summary).toContain('\\\\u202eexe\\.txt');
    expect(summary.split('\n')[0]).toBe(
      '## socketlings: week 1 — \\\\x1b\\[2J\\:\\:error\\:\\:name\\\\u202e\\\\nforged,10,10,10,pass',
    );
  });

  test('junit: the messages CI servers print', () => {
    const x = junitReport(hostileReport());
    expect(x).not.toMatch(RAW);
    for (const [, shown] of ATTACKS.slice(0, 3)) expect(x).toContain(shown);
    expect(x).toContain(
      '<property name="student" value="\\x1b[2J::error::name\\u202e&#10;forged,10,10,10,pass"/>',
    );
  });

  test('json: what `jq -r` would print', () => {
    const j = jsonReport(hostileReport());
    expect(j).not.toMatch(RAW);
    expect(j).not.toMatch(/\\u00[01][0-9a-f]|\\u007f/);
    const output = JSON.parse(j).tests[0].output as string;
    expect(output.split('\n').slice(0, ATTACKS.length)).toEqual(ATTACKS.map(([, shown]) => shown));
  });

  test('classroom: the messages its grading reporter prints to the job log', () => {
    const c = JSON.parse(Buffer.from(classroomResult(hostileReport()), 'base64').toString('utf8'));
    const m = c.tests[0].message as string;
    expect(m).not.toMatch(RAW);
    expect(m).not.toMatch(/\n|##\[/);
    expect(m).toContain('\\x1b]52;c;cHduZWQ=\\x07 ⏎ ::error::forged ⏎ #\\x23[error]legacy');
  });

  test('html: the class report, its diagrams included', () => {
    const page = htmlReport({
      assignment: { title: 'week 1', exercises: [{ id: 'first-contact' }] },
      students: [{ student: HOSTILE_NAME, report: hostileReport() }],
      generatedAt: '2026-12-06T10:00:00.000Z',
    });
    expect(page).not.toMatch(RAW);
    expect(page).toContain('\\x1b]8;;http://evil.example/\\x07CLICK-ME');
    expect(page).toContain('\\u202eexe.txt');
  });
});

describe('the gradebook', () => {
  test.each([
    ['alice', 'alice'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['-rf', `"'-rf"`],
    ['a,b', '"a,b"'],
    ['::error title=x::forged', '"\\x3a:error title=x::forged"'],
    ['  ::warning::x', '"  \\x3a:warning::x"'],
    ['##[error]x', '"#\\x23[error]x"'],
    ['esc\x1b[2J', '"esc\\x1b[2J"'],
    ['rlo\u202etxt', '"rlo\\u202etxt"'],
    ['tab\tname', '"tab\\tname"'],
    ['\tformula', '"\\tformula"'],
    ['cr\rname', '"cr\\rname"'],
    ['new\nhonest9,10,10,10,pass', '"new\\nhonest9,10,10,10,pass"'],
  ])('the cell %j is %s', (name, cell) => {
    expect(csvCell(name)).toBe(cell);
  });

  test('a name with a newline makes no row of its own for line tools', () => {
    const report = { points: 0, maxPoints: 10, status: 'fail', exercises: [] } as unknown as SavedReport;
    const csv = gradebookCsv(
      [
        {
          student: 'honest',
          report: { ...report, points: 10, status: 'pass' } as SavedReport,
          resumed: false,
        },
        { student: 'eve\nhonest9,10,10,10,pass\n::error::x', report, resumed: false },
      ],
      { exercises: [] } as unknown as Assignment,
    );
    const lines = csv.trimEnd().split('\n');
    expect(lines).toEqual([
      'student,total,max,status',
      'honest,10,10,pass',
      '"eve\\nhonest9,10,10,10,pass\\n::error::x",0,10,fail',
    ]);
    expect(csv).not.toMatch(RAW);
  });
});
