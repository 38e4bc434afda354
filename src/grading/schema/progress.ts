// A learner's progress: `.socketlings/progress.json` in the workspace. Documented in README.md so a learner can
// carry it to another machine with the workspace.
import * as z from 'zod';

export const ExerciseProgress = z.object({
  /** `done` once a verify passed. */
  status: z.enum(['done']),
  /** When it first passed (ISO 8601). */
  at: z.string(),
  /** When it last passed (ISO 8601); absent in files written before it was kept: then `at`. */
  last: z.string().optional(),
});

/** A lesson's check-yourself questions, as the learner last answered them. */
export const QuizProgress = z.object({
  /** The questions (1-based, in the lesson's order) the learner said they had right. */
  right: z.array(z.int().min(1)).default([]),
  /** How many questions the lesson had then (it may gain some later). */
  total: z.int().min(0),
  /** When the learner last took it (ISO 8601). */
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
  /** Check-yourself answers, by lesson id: which questions the learner had right. */
  quiz: z.record(z.string(), QuizProgress).optional(),
});
export type Progress = z.infer<typeof Progress>;
export type QuizProgress = z.infer<typeof QuizProgress>;
