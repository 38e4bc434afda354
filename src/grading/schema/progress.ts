// A learner's progress: `.socketlings/progress.json` in the workspace. Documented in README.md so a learner can
// carry it to another machine with the workspace.
import * as z from 'zod';

export const ExerciseProgress = z.object({
  /** `done` once a verify passed. */
  status: z.enum(['done']),
  /** When it first passed (ISO 8601). */
  at: z.string(),
});

export const Progress = z.object({
  /** Version of this file format. */
  format: z.literal(1),
  /** The course pack's id; progress from another course is not applied. */
  course: z.string(),
  /** The exercise the learner is on: set by `next`, or by opening an exercise. */
  current: z.string().optional(),
  /** Exercises passed, by id. Unknown ids (an exercise removed from the course) are ignored. */
  exercises: z.record(z.string(), ExerciseProgress).default({}),
  /** How many hints of each exercise the learner has seen. */
  hints: z.record(z.string(), z.int().min(0)).default({}),
});
export type Progress = z.infer<typeof Progress>;
