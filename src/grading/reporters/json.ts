// Exercism's results.json, version 3 (exercism/docs: building/tooling/test-runners/interface.md), plus `score` and
// `max_score` at the top and on each test, for instructors. Exercism has no "skip", so the verdict rules for a
// skipped check live here; the Classroom reporter, which has no skip either, uses the same ones.
import type { SandboxInfo } from '../results.js';
import { safeJson } from '../safe-text.js';
import type { GradeReport, ScoredCheck, ScoredExercise } from '../score.js';

export type Verdict = 'pass' | 'fail' | 'error';

/** Exercism shows at most this many characters of a test's output. */
const MAX_OUTPUT = 500;
/** Exercism's suggested wording for cut output; counted inside the 500. */
const OUTPUT_CUT = '\n… Output was truncated. Please limit to 500 chars';

export interface JsonTest {
  name: string;
  status: Verdict;
  message: string | null;
  /** The learner program's stdout during the check. */
  output: string | null;
  test_code: string;
  /** 1-based index of the exercise in the report. */
  task_id: number;
  score: number;
  max_score: number;
}

export interface JsonResults {
  version: 3;
  status: Verdict;
  /** Only when status is error: what went wrong. */
  message?: string;
  tests: JsonTest[];
  score: number;
  max_score: number;
  /** socketlings' own: whom graded programs ran as and within which limits, when they ran in the sandbox. */
  sandbox?: SandboxInfo;
}

export function reportVerdict(r: GradeReport): Verdict {
  switch (r.status) {
    case 'pass':
    case 'fail':
    case 'error':
      return r.status;
    case 'skip':
      // reportStatus never says skip; if a caller does, let the points decide as they do for everything else.
      return r.points >= r.threshold ? 'pass' : 'fail';
    default: {
      const unknown: never = r.status;
      return unknown;
    }
  }
}

/**
 * A skip is one of two things. The engine skips every check of an exercise when the machine lacks a capability (the
 * exercise is then `skip`, and scoreExercise credits it), and skips the checks after a failure (no credit). The
 * verdict follows the points, so a test that scores is never reported as failed.
 */
export function skippedForCapability(e: ScoredExercise): boolean {
  return e.result.status === 'skip';
}

/** The verdict of the check at `index` for formats without a skip status (Exercism, Classroom). */
export function checkVerdict(r: GradeReport, e: ScoredExercise, index: number): Verdict {
  const c = e.checks[index];
  if (!c) throw new RangeError(`no check ${index} in ${e.id}`);
  switch (c.status) {
    case 'pass':
    case 'fail':
    case 'error':
      return c.status;
    case 'skip':
      // Checks the broken grader never reached are its error; elsewhere in the report skips keep their meaning.
      if (r.status === 'error' && e.result.status === 'error') return 'error';
      return skippedForCapability(e) ? 'pass' : 'fail';
    default: {
      const unknown: never = c.status;
      return unknown;
    }
  }
}

/** The first sentence of a message: up to the first newline or sentence end ("3.5 s" does not end one). */
export function firstSentence(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  const m = /^.*?(?:[.!?](?=\s|$)|[。！？])/u.exec(line);
  return (m ? m[0] : line).trim();
}

/** A check's message as the report's feedback level allows; `full` adds expected and actual. */
export function checkMessage(r: GradeReport, c: ScoredCheck): string {
  if (r.feedback === 'summary') return firstSentence(c.message);
  const lines = [c.message];
  if (c.expected !== undefined) lines.push(`expected: ${c.expected}`);
  if (c.actual !== undefined) lines.push(`actual: ${c.actual}`);
  return lines.join('\n');
}

export function testName(e: ScoredExercise, c: ScoredCheck): string {
  return `${e.id}: ${c.title}`;
}

/** Titles are verb phrases ("echoes a line") or labels ("message 2: …"); this sentence reads right with both. */
export function testCode(e: ScoredExercise, c: ScoredCheck): string {
  const title = c.title.trim();
  return `In exercise ${e.id}, the grader checks: ${title}${/[.!?。！？]$/u.test(title) ? '' : '.'}`;
}

/** What the learner printed during the check, capped without splitting a surrogate pair. */
export function learnerOutput(c: ScoredCheck): string | null {
  const lines = c.transcript.filter((t) => t.who === 'program' && t.kind === 'stdout').map((t) => t.text);
  if (lines.length === 0) return null;
  const text = lines.join('\n');
  if (text.length <= MAX_OUTPUT) return text;
  let cut = MAX_OUTPUT - OUTPUT_CUT.length;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return text.slice(0, cut) + OUTPUT_CUT;
}

function errorMessage(r: GradeReport): string {
  const lines: string[] = [];
  for (const e of r.exercises) {
    const broken = e.checks.filter((c) => c.status === 'error');
    for (const c of broken) lines.push(`${testName(e, c)}: ${checkMessage(r, c)}`);
    if (broken.length === 0 && e.result.status === 'error') lines.push(`${e.id}: the grader failed`);
  }
  return lines.length ? lines.join('\n') : 'the grader failed';
}

export function jsonResults(r: GradeReport): JsonResults {
  const status = reportVerdict(r);
  const tests = r.exercises.flatMap((e, taskIndex) =>
    e.checks.map((c, i): JsonTest => {
      const verdict = checkVerdict(r, e, i);
      // A capability skip passes, yet says why it never ran: the teacher should see that.
      const message = verdict !== 'pass' || c.status === 'skip' ? checkMessage(r, c) : null;
      return {
        name: testName(e, c),
        status: verdict,
        message,
        output: r.feedback === 'full' ? learnerOutput(c) : null,
        test_code: testCode(e, c),
        task_id: taskIndex + 1,
        score: c.points,
        max_score: c.maxPoints,
      };
    }),
  );
  return {
    version: 3,
    status,
    ...(status === 'error' ? { message: errorMessage(r) } : {}),
    tests,
    score: r.points,
    max_score: r.maxPoints,
    ...(r.sandbox ? { sandbox: r.sandbox } : {}),
  };
}

/** The file's text: its strings through safeText, since CI scripts print them (`jq -r '.tests[].message'`). */
export function jsonReport(r: GradeReport): string {
  return `${safeJson(jsonResults(r), 2)}\n`;
}
