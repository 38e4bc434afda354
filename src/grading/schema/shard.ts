// What one `grade --submissions` run records about itself (`<out>/shard.json`), so `grade merge` can tell shards
// of one class apart from shards of another, and name the students no shard graded.
import * as z from 'zod';

export const ShardManifest = z.looseObject({
  /** Version of this file format. */
  format: z.literal(1),
  /** The assignment's title. */
  assignment: z.string(),
  /** A digest of the assignment and the course it grades, when the batch computed one: equal means same rules. */
  assignmentDigest: z.string().optional(),
  /** The course pack's own version. */
  courseVersion: z.string(),
  /** The exercises graded, in gradebook order, with their points. */
  exercises: z.array(z.object({ id: z.string(), points: z.number() })),
  /** Points needed to pass (older manifests lack it: merge then compares the reports' own). */
  threshold: z.number().min(0).optional(),
  /** This run's part of the class, e.g. 2 of 4; absent when it graded the whole class. */
  shard: z
    .object({ index: z.int().min(1), count: z.int().min(1) })
    .refine((s) => s.index <= s.count, { message: 'the shard index is larger than the count' })
    .optional(),
  /** Every student folder of the class (sorted), not only this shard's. */
  students: z.array(z.string()),
  /** The students this run graded (or resumed). */
  graded: z.array(z.string()),
  /** The seed given with --seed, if any. */
  seed: z.number().optional(),
});
export type ShardManifest = z.infer<typeof ShardManifest>;
