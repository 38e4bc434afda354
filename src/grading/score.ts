// Scores for instructors and CI: an exercise's results with points per check, for one submission. Every reporter
// (pretty, json, junit, github, classroom) is a pure view of a GradeReport.
import type { CheckResult, ExerciseResult, SandboxInfo, Status } from './results.js';

export interface ScoredCheck extends CheckResult {
  points: number;
  maxPoints: number;
}

export interface ScoredExercise {
  id: string;
  title: string;
  result: ExerciseResult;
  checks: ScoredCheck[];
  points: number;
  maxPoints: number;
}

export interface GradeReport {
  /** Who was graded: the submission folder's name in batch grading. */
  student?: string;
  /** The assignment's title (or "socketlings" without an assignment file). */
  assignment: string;
  /** `full` shows transcripts and hints to students; `summary` only which checks passed. */
  feedback: 'full' | 'summary';
  exercises: ScoredExercise[];
  points: number;
  maxPoints: number;
  /** Points needed to pass. */
  threshold: number;
  /** pass: points ≥ threshold; fail: below; error: the grader itself failed somewhere. */
  status: Status;
  /** ms */
  duration: number;
  /** ISO time the grading started. */
  startedAt: string;
  /** What decided the grade (app/digest.ts): a resumed batch trusts this report only while they are the same. */
  digests?: { version: string; assignment: string; course: string; files: string; isolation: string };
  /** Set when the graded programs did not run in the sandbox, saying why. */
  notIsolated?: string;
  /** Set when they did: whom they ran as and the limits in force (the weakest any exercise had). */
  sandbox?: SandboxInfo;
  /** A digest of the assignment and its course (see SavedReport): shards of one class share it. */
  assignmentDigest?: string;
  /** The course pack's version. */
  courseVersion?: string;
}

/**
 * Points for one exercise: partial credit per check, split evenly over the checks that show behaviour (see
 * `scored`: a check a do-nothing program passes too is worth nothing when passed). Failed, such a check did show
 * behaviour, a wrong one (a datagram where there should be silence): it takes its share, and earns nothing, so a
 * program that fails never has full marks. A check skipped because the machine lacked IPv6 or AF_UNIX (the whole
 * exercise is then `skip`) counts as passed: that is not the student's doing. A check skipped because an earlier
 * one failed earns nothing.
 */
export function scoreExercise(result: ExerciseResult, title: string, maxPoints: number): ScoredExercise {
  const worth = (c: CheckResult) => c.scored !== false || c.status === 'fail';
  const n = result.checks.filter(worth).length || 1;
  const each = maxPoints / n;
  const checks = result.checks.map((c) => ({
    ...c,
    maxPoints: worth(c) ? round(each) : 0,
    points:
      worth(c) && (c.status === 'pass' || (c.status === 'skip' && result.status === 'skip'))
        ? round(each)
        : 0,
  }));
  // The total is computed from the count of earned checks, not by adding rounded shares: three thirds of 10
  // must make 10, not 9.99.
  const earned = checks.filter((c) => c.points > 0).length;
  const points = round((maxPoints * earned) / n);
  return { id: result.exercise, title, result, checks, points, maxPoints };
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function reportStatus(exercises: ScoredExercise[], points: number, threshold: number): Status {
  if (exercises.some((e) => e.result.status === 'error')) return 'error';
  return points >= threshold ? 'pass' : 'fail';
}
