// A student's saved grade report (`<out>/<student>/report.json`), read back to resume a batch without grading
// that student again, and by `grade merge`. Only what the gradebook needs is checked; the rest is kept as it was
// written. What the values must agree on (a total that is the sum of its exercises, a status that follows from
// the points) is checked after the shape, by the rules in report-rules.ts.
import * as z from 'zod';

const Status = z.enum(['pass', 'fail', 'error', 'skip']);

export const SavedReport = z.looseObject({
  /** The student folder's name. */
  student: z.string(),
  /** The assignment's title. */
  assignment: z.string(),
  /** The total: the sum of the exercises' points. */
  points: z.number(),
  /** The assignment's maximum. */
  maxPoints: z.number(),
  /** Points needed to pass. */
  threshold: z.number(),
  /** pass or fail by the points, error when the grader failed on an exercise. */
  status: Status,
  exercises: z.array(
    z.looseObject({
      id: z.string(),
      points: z.number(),
      maxPoints: z.number(),
      /** The exercise's run; its status `error` makes the report's. */
      result: z.looseObject({ status: Status }).optional(),
    }),
  ),
  /** What decided the grade; a report without them (an older socketlings) is graded again. */
  digests: z
    .object({
      version: z.string(),
      assignment: z.string(),
      course: z.string(),
      files: z.string(),
      isolation: z.string(),
    })
    .optional(),
  /** A digest of the assignment and its course, written by the batch: `grade merge` refuses to mix two. */
  assignmentDigest: z.string().optional(),
  /** The course pack's version the report was graded with. */
  courseVersion: z.string().optional(),
});
export type SavedReport = z.infer<typeof SavedReport>;
