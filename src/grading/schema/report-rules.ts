// What a saved report (report.ts) must say besides having the right shape, checked by `grade merge` and by a
// resumed batch before either trusts it. A report is read back from a folder that anyone with write access could
// have edited, or copied in with a shard, and the gradebook is made from what it says: a report that gives 10⁹
// points of 10, a total that is not the sum of its exercises, or a pass below the threshold is refused, not
// merged. The schema checks the shape first; then each rule below looks at one thing and names it.
import { safeText, shownName } from '../safe-text.js';
import { round } from '../score.js';
import type { Lang } from './course.js';
import type { SavedReport } from './report.js';
import { type ReportRulesText, reportRulesText } from './report-rules-text.js';

/** What the report must agree with: the folder it was read from and the assignment it was graded for. */
export interface ReportContext {
  /** The name of the folder the report was read from: the student it must name. */
  folder: string;
  /** The assignment's exercises in gradebook order, with their points. */
  exercises: { id: string; points: number }[];
  /** Points needed to pass, where the assignment is known. */
  threshold?: number | undefined;
}

export interface ReportProblem {
  /** The field, like `points` or `exercises.1.points`. */
  where: string;
  message: string;
}

type Rule = (r: SavedReport, c: ReportContext, t: ReportRulesText) => ReportProblem[];

const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

// Compared as stored: report.json holds the name passed through safeText on one line (a control character or a
// newline written escaped), and a report written before that holds it raw; safeText of either is the same.
const namesItsFolder: Rule = (r, c, t) =>
  safeText(r.student, { oneLine: true }) === safeText(c.folder, { oneLine: true })
    ? []
    : [{ where: 'student', message: t.otherStudent(shownName(r.student), shownName(c.folder)) }];

const gradesTheExercises: Rule = (r, c, t) => {
  const got = r.exercises.map((e) => shownName(e.id)).join(', ');
  const want = c.exercises.map((e) => shownName(e.id)).join(', ');
  return got === want ? [] : [{ where: 'exercises', message: t.otherExercises(got, want) }];
};

const exercisePoints: Rule = (r, c, t) =>
  r.exercises.flatMap((e, i) => {
    const want = c.exercises[i];
    if (want?.id !== e.id) return [];
    if (!near(e.maxPoints, want.points))
      return [
        {
          where: `exercises.${i}.maxPoints`,
          message: t.exerciseMax(shownName(e.id), e.maxPoints, want.points),
        },
      ];
    if (!(e.points >= 0 && e.points <= e.maxPoints))
      return [{ where: `exercises.${i}.points`, message: t.outOfRange(e.points, e.maxPoints) }];
    return [];
  });

const totalInRange: Rule = (r, _c, t) =>
  r.points >= 0 && r.points <= r.maxPoints
    ? []
    : [{ where: 'points', message: t.outOfRange(r.points, r.maxPoints) }];

const totalIsTheSum: Rule = (r, _c, t) => {
  const sum = round(r.exercises.reduce((a, e) => a + e.points, 0));
  return near(r.points, sum) ? [] : [{ where: 'points', message: t.notTheSum(r.points, sum) }];
};

const maxOfTheAssignment: Rule = (r, c, t) => {
  const max = round(c.exercises.reduce((a, e) => a + e.points, 0));
  return near(r.maxPoints, max) ? [] : [{ where: 'maxPoints', message: t.otherMax(r.maxPoints, max) }];
};

const thresholdOfTheAssignment: Rule = (r, c, t) =>
  c.threshold === undefined || near(r.threshold, c.threshold)
    ? []
    : [{ where: 'threshold', message: t.otherThreshold(r.threshold, c.threshold) }];

/** The status the grade gives: as score.ts `reportStatus` decides it. */
const statusFollows: Rule = (r, _c, t) => {
  const error = r.exercises.some((e) => e.result?.status === 'error');
  const want = error ? 'error' : r.points >= r.threshold ? 'pass' : 'fail';
  return r.status === want
    ? []
    : [{ where: 'status', message: t.otherStatus(r.status, want, r.points, r.threshold) }];
};

const RULES: Rule[] = [
  namesItsFolder,
  gradesTheExercises,
  exercisePoints,
  totalInRange,
  totalIsTheSum,
  maxOfTheAssignment,
  thresholdOfTheAssignment,
  statusFollows,
];

/** Every rule the report breaks, in the reader's language; none when it can be trusted. */
export function reportProblems(r: SavedReport, c: ReportContext, lang: Lang): ReportProblem[] {
  const t = reportRulesText(lang);
  return RULES.flatMap((rule) => rule(r, c, t));
}
