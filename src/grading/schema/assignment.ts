// An instructor's assignment: which exercises, for how many points, under which rules. YAML, given to
// `socketlings grade --assignment FILE`.
import * as z from 'zod';

export const AssignmentExercise = z.strictObject({
  /** Exercise id in the course pack. */
  id: z.string().min(1),
  /** Points for the exercise, shared evenly by its checks (partial credit per check). */
  points: z.number().positive().max(1000).default(1),
  /** Multiplies this exercise's time budgets, on top of `time_scale`. */
  time_scale: z.number().min(0.5).max(20).default(1),
});

export const Assignment = z.strictObject({
  /** Version of this file format. */
  format: z.literal(1),
  /** Shown in reports and the gradebook. */
  title: z.string().min(1),
  /** A course pack folder, relative to this file; the built-in course when left out. */
  course: z.string().optional(),
  /** The exercises graded, in this order. */
  exercises: z.array(AssignmentExercise).min(1),
  /** Multiplies every time budget: raise it on slow or shared CI machines. */
  time_scale: z.number().min(0.5).max(20).default(1),
  /**
   * How the program is run. `python`: the interpreter (a command); `run`: any command, with {file} standing for
   * the exercise file (e.g. "node {file}" or "./build/{name}" where {name} is the file name without extension).
   */
  python: z.string().optional(),
  run: z.string().optional(),
  /** fixed: every student gets `value`; per-student: a seed derived from the student's name, stable over reruns. */
  seed: z
    .discriminatedUnion('policy', [
      z.strictObject({ policy: z.literal('fixed'), value: z.int().min(0).max(0xffffffff) }),
      z.strictObject({ policy: z.literal('per-student') }),
    ])
    .default({ policy: 'per-student' }),
  /** Passing: at least this many points, or this share of all points. Default: every point. */
  pass: z
    .union([
      z.strictObject({ points: z.number().min(0) }),
      z.strictObject({ percent: z.number().min(0).max(100) }),
    ])
    .optional(),
  /** full: students see transcripts, expected and actual bytes, hints; summary: only which checks passed. */
  feedback: z.enum(['full', 'summary']).default('full'),
});
export type Assignment = z.infer<typeof Assignment>;
