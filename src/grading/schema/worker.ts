// What a grading worker and the process that started it say to each other, one JSON object per line. The parent
// sends a session, then jobs; the worker answers each job with a result. The parent checks every line it
// receives against this schema before it trusts it: only the worker writes to that pipe (graded programs run in a
// PID namespace of their own and cannot reach it), but a worker that broke must not become a grade.
import * as z from 'zod';
import { Assignment } from './assignment.js';
import { Lang } from './course.js';

/**
 * How each program is sandboxed: what it may read, within which limits, and for the report whom it runs as. The
 * one declaration of it: the worker is handed it over its pipe, and the engine runs each program with it.
 */
export const ProgramSandboxing = z.strictObject({
  bwrap: z.string(),
  /** Folders each program may read besides the system's. */
  ro: z.array(z.string()),
  /** Folders put first on each program's PATH. */
  path: z.array(z.string()),
  /** Whom programs run as, for reports: `nobody (65534:65534)`. */
  user: z.string(),
  /** Memory of each program's whole process tree, bytes (`--memory`). */
  memoryBytes: z.int().positive(),
  /** Disk the worker's programs may write at once, bytes (`--disk`): the size of the worker's /tmp. */
  diskBytes: z.int().positive(),
  /** bwrap keeps each program from making user namespaces (--disable-userns), where it can. */
  closeUserns: z.boolean().optional(),
  /** The worker's own cgroup, handed to it: each program gets a memory cgroup inside. */
  cgroup: z.strictObject({ version: z.union([z.literal(1), z.literal(2)]), dir: z.string() }).optional(),
});
export type ProgramSandboxing = z.infer<typeof ProgramSandboxing>;

export const WorkerSession = z.strictObject({
  type: z.literal('session'),
  /** A course pack folder; the built-in course when left out. */
  course: z.string().optional(),
  lang: Lang,
  assignment: Assignment,
  /** The interpreter found once for the whole grading. */
  interpreter: z.array(z.string()).optional(),
  /** How each program is sandboxed; leave out to run programs unsandboxed. */
  sandbox: ProgramSandboxing.optional(),
  timeScale: z.number().positive(),
  seed: z.int().min(0).optional(),
});
export type WorkerSession = z.infer<typeof WorkerSession>;

export const WorkerJob = z.strictObject({
  type: z.literal('job'),
  /** Chosen by the parent; the answer carries it back. */
  n: z.int().min(0),
  student: z.string(),
  folder: z.string(),
  /** Which entry of the assignment's exercises. */
  index: z.int().min(0),
  /** The file to grade, when it is not found by the submission layout (`verify --file`). */
  file: z.string().optional(),
});
export type WorkerJob = z.infer<typeof WorkerJob>;

const Check = z.looseObject({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pass', 'fail', 'error', 'skip']),
  message: z.string(),
  points: z.number().min(0),
  maxPoints: z.number().min(0),
  transcript: z.array(z.looseObject({})),
});

export const WorkerResult = z.strictObject({
  type: z.literal('result'),
  n: z.int().min(0),
  scored: z.looseObject({
    id: z.string(),
    title: z.string(),
    points: z.number().min(0),
    maxPoints: z.number().min(0),
    checks: z.array(Check),
    result: z.looseObject({
      exercise: z.string(),
      status: z.enum(['pass', 'fail', 'error', 'skip']),
      checks: z.array(z.looseObject({})),
    }),
  }),
});
export type WorkerResult = z.infer<typeof WorkerResult>;
