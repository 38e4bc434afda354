// GitHub Classroom: the base64 JSON a runner step hands to classroom-resources/autograding-grading-reporter through
// its `result` output. The reporter adds up `score` over tests and posts "Points X/Y", so one test per check gives
// partial credit. It also prints each failing test's message to the job log, where the runner reads workflow
// commands, so messages are made single-line and inert before they go in.
import { safeText } from '../safe-text.js';
import type { GradeReport, ScoredExercise } from '../score.js';
import { round } from '../score.js';
import { checkMessage, checkVerdict, reportVerdict, testCode, testName, type Verdict } from './json.js';
import { learnerLocation } from './location.js';

export interface ClassroomTest {
  name: string;
  status: Verdict;
  score: number;
  message: string;
  test_code: string;
  /** The learner's file for the exercise; the line a traceback names in it, else 0. */
  filename: string;
  line_no: number;
  /** ms */
  duration: number;
}

export interface ClassroomResult {
  version: 1;
  status: Verdict;
  max_score: number;
  tests: ClassroomTest[];
}

/**
 * Nothing the runner would run or a log viewer would act on: one line (so no `::cmd::` can start a line), then
 * safeText (control characters, and the legacy `##[`, which the runner honours anywhere in a line).
 */
function inert(s: string): string {
  return safeText(
    s
      .split(/\r\n|\r|\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join(' ⏎ '),
    { oneLine: true },
  );
}

/**
 * Check points, corrected so that they add up to the exercise's points: rounding each check to cents can overshoot
 * (3 × 0.67 for 2 points), and Classroom sums the tests, not the exercises.
 */
function checkScores(e: ScoredExercise): number[] {
  const scores = e.checks.map((c) => c.points);
  const drift = round(e.points - scores.reduce((a, b) => a + b, 0));
  const last = scores.findLastIndex((s) => s > 0);
  if (drift !== 0 && last >= 0) scores[last] = round((scores[last] ?? 0) + drift);
  return scores;
}

export function classroomResults(r: GradeReport): ClassroomResult {
  const tests = r.exercises.flatMap((e) => {
    const scores = checkScores(e);
    return e.checks.map((c, i): ClassroomTest => {
      const at = learnerLocation(e.result, c);
      return {
        name: inert(testName(e, c)),
        status: checkVerdict(r, e, i),
        score: scores[i] ?? 0,
        message: c.status === 'pass' ? '' : inert(checkMessage(r, c)),
        test_code: inert(testCode(e, c)),
        filename: inert(at?.file ?? ''),
        line_no: at?.line ?? 0,
        duration: Math.max(0, Math.round(c.duration)),
      };
    });
  });
  return { version: 1, status: reportVerdict(r), max_score: r.maxPoints, tests };
}

export function classroomResult(r: GradeReport): string {
  return Buffer.from(JSON.stringify(classroomResults(r)), 'utf8').toString('base64');
}

/** The line to append to $GITHUB_OUTPUT (without its newline); base64 never needs the multi-line heredoc form. */
export function classroomOutputLine(r: GradeReport): string {
  return `result=${classroomResult(r)}`;
}
