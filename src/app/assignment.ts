// Loading an assignment, or making the default one (every exercise of the course, one point each).
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Lang } from '../grading/lang.js';
import { type Assignment, Assignment as AssignmentSchema } from '../grading/schema/assignment.js';
import { formatFileError, loadYamlFile } from '../grading/schema/load.js';
import type { Course } from './course.js';
import { UserError } from './errors.js';
import { appText } from './messages.js';

export interface LoadedAssignment {
  assignment: Assignment;
  /** The course pack folder the assignment names, resolved; undefined for the built-in course. */
  coursePath?: string | undefined;
}

export function loadAssignment(file: string, cwd: string, lang: Lang): LoadedAssignment {
  const t = appText(lang);
  const abs = resolve(cwd, file);
  const r = loadYamlFile(abs, AssignmentSchema, file);
  if (!r.ok)
    throw new UserError(t.badAssignment(file, r.errors.map(formatFileError).join('\n')), t.badAssignmentNext);
  return {
    assignment: r.value,
    coursePath: r.value.course ? resolve(dirname(abs), r.value.course) : undefined,
  };
}

export function defaultAssignment(course: Course): Assignment {
  return {
    format: 1,
    title: course.id,
    exercises: course.exercises.map((e) => ({ id: e.id, points: 1, time_scale: 1 })),
    time_scale: 1,
    seed: { policy: 'per-student' },
    feedback: 'full',
  };
}

/** Every exercise named must exist in the course: a typo is a config error, not a zero for every student. */
export function checkAssignment(a: Assignment, course: Course, file: string, lang: Lang): void {
  const known = new Set(course.exercises.map((e) => e.id));
  const unknown = a.exercises.map((e) => e.id).filter((id) => !known.has(id));
  if (unknown.length) {
    const t = appText(lang);
    throw new UserError(t.assignmentUnknown(file, unknown.join(', '), course.id), t.seeList);
  }
}

export function maxPoints(a: Assignment): number {
  return a.exercises.reduce((sum, e) => sum + e.points, 0);
}

export function threshold(a: Assignment): number {
  if (!a.pass) return maxPoints(a);
  return 'points' in a.pass ? a.pass.points : (maxPoints(a) * a.pass.percent) / 100;
}

/**
 * The seed a student is graded with: fixed, or derived from their name so a rerun gives them the same inputs.
 * This base seed is what shards of one class must agree on; each exercise is graded with `exerciseSeed`.
 */
export function seedFor(a: Assignment, student: string, override?: number): number {
  if (override !== undefined) return override;
  if (a.seed.policy === 'fixed') return a.seed.value;
  return createHash('sha256').update(`${a.title}\0${student}`).digest().readUInt32LE(0);
}

/**
 * The seed one exercise is graded with. Per student, the base seed is mixed with the digest of the file graded:
 * the same file gets the same inputs (a rerun, a resumed batch and every shard agree), and any edit gets new ones,
 * so output memorized from an earlier report's replay line (`peer … --seed N`) no longer matches. A seed given
 * with --seed, or a fixed one in the assignment, is used as it is: the instructor chose those inputs.
 */
export function exerciseSeed(
  a: Assignment,
  student: string,
  override: number | undefined,
  fileDigest: string | undefined,
): number {
  const base = seedFor(a, student, override);
  if (override !== undefined || a.seed.policy === 'fixed' || fileDigest === undefined) return base;
  return createHash('sha256').update(`${base}\0${fileDigest}`).digest().readUInt32LE(0);
}
