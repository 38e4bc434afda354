// A class at a glance: one row per student with their points, status and the first thing that went wrong, sorted
// so that whoever needs attention comes first. The terminal's end-of-batch table and the GitHub step summary are
// both views of these rows. Pure.
import type { Status } from './results.js';

/** What a class view needs of a student's report (a saved report.json read back has the same shape). */
export interface ClassReport {
  student?: string | undefined;
  points: number;
  maxPoints: number;
  status: Status;
  exercises: {
    id: string;
    title?: string;
    stub?: boolean;
    points: number;
    maxPoints: number;
    result?: { file?: string };
    checks?: { title: string; status: Status; message: string }[];
  }[];
}

export interface FirstFailure {
  exercise: string;
  /** The failing check's title; for a stub, the first failing check is not the point: see `stub`. */
  check: string;
  message: string;
  status: 'fail' | 'error';
  /** The exercise's file was the unchanged stub. */
  stub: boolean;
  /** The learner's file, relative to the student's folder. */
  file?: string | undefined;
}

export interface ClassRow {
  student: string;
  points: number;
  maxPoints: number;
  status: Status;
  /** The first failing check in assignment order; undefined when none failed. */
  first?: FirstFailure | undefined;
  /** Exercises handed in as the unchanged stub. */
  stubs: number;
  /** Checks that failed, in all. */
  failed: number;
}

export function firstFailure(r: ClassReport): FirstFailure | undefined {
  for (const e of r.exercises) {
    const c = (e.checks ?? []).find((x) => x.status === 'fail' || x.status === 'error');
    if (c)
      return {
        exercise: e.id,
        check: c.title,
        message: c.message.split('\n', 1)[0] ?? '',
        status: c.status as 'fail' | 'error',
        stub: e.stub === true,
        file: e.result?.file,
      };
  }
  return undefined;
}

const ORDER: Record<Status, number> = { error: 0, fail: 1, skip: 2, pass: 3 };
/** Names in the order a reader looks them up: case and accents aside, the same on every machine. */
const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Grader errors first (the instructor must look), then students below the threshold, lowest share first. */
export function classRows(reports: ClassReport[]): ClassRow[] {
  const share = (r: ClassRow) => (r.maxPoints > 0 ? r.points / r.maxPoints : 0);
  return reports
    .map((r) => ({
      student: r.student ?? '',
      points: r.points,
      maxPoints: r.maxPoints,
      status: r.status,
      first: firstFailure(r),
      stubs: r.exercises.filter((e) => e.stub).length,
      failed: r.exercises.reduce(
        (n, e) => n + (e.checks ?? []).filter((c) => c.status === 'fail' || c.status === 'error').length,
        0,
      ),
    }))
    .sort(
      (a, b) =>
        ORDER[a.status] - ORDER[b.status] ||
        share(a) - share(b) ||
        byName.compare(a.student, b.student) ||
        (a.student < b.student ? -1 : a.student > b.student ? 1 : 0),
    );
}
