// The grader scenario format: one YAML file per exercise under `graders/`. The engine interprets it; a pack
// runs no code of its own. Times are in seconds. Strings marked "template" may use {{...}} placeholders:
//   {{var}}                 a seeded random value from `vars`
//   {{main.host}} {{main.port}} {{main.path}}   an endpoint handed to the program
//   {{main.address}}        the loopback address it really uses (::1 or 127.0.0.1; see one_family)
//   {{c1.local_port}} {{c1.remote_port}}        a peer connection's own and far port
//   {{errno.ECONNREFUSED}}  this platform's errno number
//   {{i}}                   the member number inside a `group`
// The language is in three more modules: grader-values.ts (times, names, data, vars, endpoints), grader-stream.ts
// (stream steps and how `expect` judges bytes) and grader-steps.ts (every other step). Every field is commented
// where it is declared.
import * as z from 'zod';
import { Step } from './grader-steps.js';
import { Data, Endpoint, Name, Text, Var } from './grader-values.js';

export { type MemberStep, Step } from './grader-steps.js';
export type { MatcherKey } from './grader-stream.js';
export { Data, type DataPart, Endpoint, Text, Var } from './grader-values.js';

export const Check = z.strictObject({
  /** Stable id, used by reporters and assignments (partial credit per check). */
  id: Name,
  title: Text,
  /** Shown when the check fails and no step gave a more specific hint. */
  hint: Text.optional(),
  steps: z.array(Step).min(1),
});
export type Check = z.infer<typeof Check>;

/**
 * A file a grader writes: a plain name inside the run's scratch folder, never a path. A course pack runs no code,
 * and this keeps it from writing anywhere else (`../x`, `/etc/x`, `a/b`).
 */
export const FileName = z
  .string()
  .min(1)
  .max(100)
  .refine((n) => !/[/\\\0]/.test(n) && n !== '.' && n !== '..', {
    message: 'a grader file name must be a plain file name: no "/", "\\", NUL, "." or ".."',
  });

const GraderFields = z.strictObject({
  format: z.literal(1),
  /** Whether the program is a client (of the peers) or a server (the peers connect to it). */
  role: z.enum(['client', 'server']),
  /**
   * Named endpoints. `main` is handed as SOCKETLINGS_HOST / SOCKETLINGS_PORT (or SOCKETLINGS_PATH for unix);
   * any other name N as SOCKETLINGS_N_HOST / SOCKETLINGS_N_PORT / SOCKETLINGS_N_PATH.
   */
  endpoints: z.record(Name, Endpoint),
  /** Seeded random values, fixed for one run by --seed. */
  vars: z.record(Name, Var).default({}),
  /** Extra environment for the program (templates). */
  env: z
    .record(z.string().regex(/^SOCKETLINGS_[A-Z0-9_]+$/, 'names start with SOCKETLINGS_'), z.string())
    .default({}),
  /** Command-line arguments for the program (templates), when the exercise text says so. */
  args: z.array(z.string()).default([]),
  /** Files written into the run's temporary folder before start; each path is handed in its env variable. */
  files: z
    .array(z.strictObject({ env: z.string().regex(/^SOCKETLINGS_[A-Z0-9_]+$/), name: FileName, data: Data }))
    .default([]),
  /** Ordered checks. After a failing check the rest are skipped. */
  checks: z.array(Check).min(1),
  /**
   * Run the whole scenario this many times, the program started afresh each time. A `choice` var takes a
   * different value each round (the seed picks the first, later rounds the next ones in the list); other vars
   * are drawn anew. The exercise passes only if every round does; a failing round's results are the ones shown.
   * For behaviour a single run cannot tell from a lucky guess: a timeout written into the program, which of two
   * ports is open.
   */
  rounds: z.int().min(1).max(4).optional(),
});
export const Grader = GraderFields.superRefine((g, ctx) => {
  // A `when` on a var that does not exist would skip its step in every run, silently.
  for (const [c, check] of g.checks.entries())
    for (const [s, step] of check.steps.entries()) {
      const inner = step.do === 'group' ? step.steps.map((m, k) => [m, ['steps', k]] as const) : [];
      for (const [st, at] of [[step, []] as const, ...inner])
        if (st.when && !(st.when.var in g.vars))
          ctx.addIssue({
            code: 'custom',
            path: ['checks', c, 'steps', s, ...at, 'when', 'var'],
            message: `"when" names "${st.when.var}", which is not in vars`,
          });
    }
});
export type Grader = z.infer<typeof Grader>;
