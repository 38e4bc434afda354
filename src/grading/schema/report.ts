// A student's saved grade report (`<out>/<student>/report.json`), read back to resume a batch without grading
// that student again. Only what the gradebook needs is checked; the rest is kept as it was written.
import * as z from 'zod';

export const SavedReport = z.looseObject({
  student: z.string(),
  assignment: z.string(),
  points: z.number(),
  maxPoints: z.number(),
  threshold: z.number(),
  status: z.enum(['pass', 'fail', 'error', 'skip']),
  exercises: z.array(z.looseObject({ id: z.string(), points: z.number(), maxPoints: z.number() })),
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
