// JUnit XML as Jenkins, GitLab and Ant read it: for one submission, one <testsuite> per exercise and one <testcase>
// per check; for a class, one <testsuite> per student, whose cases are every check of every exercise (classname
// `<student>.<exercise>`, which Jenkins shows as a package per student and a class per exercise). The shape is
// pinned by test/fixtures/junit.xsd. Learner bytes end up in here, and CI servers print these messages in
// their logs, so everything goes through xmlText/xmlAttr, which pass it through safeText first.
import { arrow, type TranscriptEntry } from '../results.js';
import { safeText } from '../safe-text.js';
import type { GradeReport, ScoredCheck, ScoredExercise } from '../score.js';
import { firstSentence } from './json.js';

/** Like the terminal report: the end of a long transcript is where things went wrong. */
const MAX_TRANSCRIPT = 30;

/**
 * Characters XML 1.0 forbids even as references that safeText leaves (lone surrogates, U+FFFE/U+FFFF; it has shown
 * the C0 controls as escapes already). Any one of them would make the whole file unreadable to Jenkins.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // As references they survive attribute-value normalisation and CR/LF folding.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function xml(text: string, keep: RegExp): string {
  return safeText(text)
    .replace(NOT_XML, '')
    .replace(keep, (ch) => XML_ESCAPES[ch] ?? ch);
}

function xmlText(text: string): string {
  return xml(text, /[&<>"'\r]/g);
}

function xmlAttr(text: string): string {
  return xml(text, /[&<>"'\t\n\r]/g);
}

function seconds(ms: number): string {
  return (Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0).toFixed(3);
}

/** One transcript line, as src/ui/report.ts shows it but without colour or translation. */
export function plainTranscriptLine(e: TranscriptEntry): string {
  if (e.who === 'program') return `[your program] ${e.kind}: ${e.text}`;
  if (e.who === 'grader') return `[grader] ${e.text}`;
  const what = e.kind === 'send' || e.kind === 'recv' ? e.text : `${e.kind}${e.text ? ` ${e.text}` : ''}`;
  return `[${e.who}] ${arrow(e)} ${what}`;
}

/** What was expected and what came, as the terminal report shows them. */
export function plainBytes(c: ScoredCheck): string[] {
  // The diff already shows both values, aligned, with a caret; repeating them would only add noise.
  if (c.diff?.length) return c.diff;
  const out: string[] = [];
  if (c.expected !== undefined) out.push(`expected: ${c.expected}`);
  if (c.actual !== undefined) out.push(`actual: ${c.actual}`);
  return out;
}

/** The story of a failed check in plain text: message, bytes, transcript, hint, replay. */
export function plainCheckDetails(c: ScoredCheck): string[] {
  const out = [c.message, ...plainBytes(c)];
  if (c.transcript.length) {
    out.push('transcript:');
    const shown = c.transcript.slice(-MAX_TRANSCRIPT);
    if (c.transcript.length > shown.length)
      out.push(`  … ${c.transcript.length - shown.length} earlier lines not shown`);
    for (const e of shown) out.push(`  ${plainTranscriptLine(e)}`);
  }
  if (c.hint) out.push(`hint: ${c.hint}`);
  if (c.replay) out.push(`replay: ${c.replay}`);
  return out;
}

function counts(checks: ScoredCheck[]) {
  return {
    tests: checks.length,
    failures: checks.filter((c) => c.status === 'fail').length,
    errors: checks.filter((c) => c.status === 'error').length,
    skipped: checks.filter((c) => c.status === 'skip').length,
  };
}

function countAttrs(n: ReturnType<typeof counts>): string {
  return `tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}"`;
}

function testcase(r: GradeReport, c: ScoredCheck, classname: string): string {
  const head = `<testcase name="${xmlAttr(c.title)}" classname="${xmlAttr(classname)}" time="${seconds(c.duration)}"`;
  const message = r.feedback === 'summary' ? firstSentence(c.message) : c.message;
  const body = r.feedback === 'summary' ? message : plainCheckDetails(c).join('\n');
  switch (c.status) {
    case 'pass':
      return `    ${head}/>`;
    case 'skip':
      return `    ${head}>\n      <skipped message="${xmlAttr(message)}"/>\n    </testcase>`;
    case 'fail':
    case 'error': {
      const tag = c.status === 'fail' ? 'failure' : 'error';
      const element = `<${tag} message="${xmlAttr(message)}" type="${c.status}">${xmlText(body)}</${tag}>`;
      return `    ${head}>\n      ${element}\n    </testcase>`;
    }
    default: {
      const unknown: never = c.status;
      return unknown;
    }
  }
}

function property(name: string, value: string): string {
  return `      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`;
}

/** An exercise can be marked error with no check to carry it (say, its program never started). */
function unexplainedError(e: ScoredExercise): boolean {
  return e.result.status === 'error' && !e.checks.some((c) => c.status === 'error');
}

/** The exercise's cases, with a case of its own for an error no check carries, so CI sees it. */
function cases(r: GradeReport, e: ScoredExercise, classname: string): string[] {
  const out = e.checks.map((c) => testcase(r, c, classname));
  if (unexplainedError(e))
    out.push(
      `    <testcase name="grader" classname="${xmlAttr(classname)}" time="0.000">\n      <error message="the grader failed" type="error"/>\n    </testcase>`,
    );
  return out;
}

/** Counts over exercises, their grader cases included. */
function countsOf(exercises: ScoredExercise[]) {
  const n = counts(exercises.flatMap((e) => e.checks));
  const extra = exercises.filter(unexplainedError).length;
  n.tests += extra;
  n.errors += extra;
  return n;
}

function testsuite(r: GradeReport, e: ScoredExercise): string {
  const n = countsOf([e]);
  const props = [
    ...(r.student !== undefined ? [property('student', r.student)] : []),
    property('seed', String(e.result.seed)),
    property('command', e.result.command),
    property('points', String(e.points)),
    property('max_points', String(e.maxPoints)),
  ];
  return [
    `  <testsuite name="${xmlAttr(e.id)}" ${countAttrs(n)} time="${seconds(e.result.duration)}" timestamp="${xmlAttr(r.startedAt)}">`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...cases(r, e, `socketlings.${e.id}`),
    '  </testsuite>',
  ].join('\n');
}

export function junitReport(r: GradeReport): string {
  const suites = r.exercises.map((e) => testsuite(r, e));
  const all = countsOf(r.exercises);
  const name = r.student !== undefined ? `${r.assignment} (${r.student})` : r.assignment;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(name)}" ${countAttrs(all)} time="${seconds(r.duration)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** One student's suite in the class file: every check of every exercise, with the student's points. */
function studentSuite(r: GradeReport): string {
  const student = r.student ?? '';
  const props = [
    property('student', student),
    property('points', String(r.points)),
    property('max_points', String(r.maxPoints)),
    property('threshold', String(r.threshold)),
    property('status', r.status),
    ...r.exercises.filter((e) => e.stub).map((e) => property('starter_file_unchanged', e.id)),
  ];
  return [
    `  <testsuite name="${xmlAttr(student || r.assignment)}" ${countAttrs(countsOf(r.exercises))} time="${seconds(r.duration)}" timestamp="${xmlAttr(r.startedAt)}">`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...r.exercises.flatMap((e) => cases(r, e, `${student}.${e.id}`)),
    '  </testsuite>',
  ].join('\n');
}

/** The class file of a batch: one testsuite per student (in the order given). */
export function junitClassReport(title: string, reports: GradeReport[]): string {
  const all = countsOf(reports.flatMap((r) => r.exercises));
  const time = reports.reduce((a, r) => a + (Number.isFinite(r.duration) ? r.duration : 0), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(title)}" ${countAttrs(all)} time="${seconds(time)}">`,
    ...reports.map(studentSuite),
    '</testsuites>',
    '',
  ].join('\n');
}
