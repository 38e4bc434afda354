// A learner's workspace: a folder made by `socketlings init`, holding the exercise files they edit.
import * as z from 'zod';
import { Lang } from './course.js';

/** `socketlings.json` at the workspace root. */
export const WorkspaceManifest = z.strictObject({
  /** Version of this file format. */
  format: z.literal(1),
  course: z.strictObject({
    /** The course pack's id; progress applies only to that course. */
    id: z.string().min(1),
    /** The pack's version when the workspace was made. */
    version: z.string().min(1),
    /** Folder of an instructor's pack, relative to the workspace; absent for the built-in course. */
    path: z.string().optional(),
  }),
  /** The learner's chosen language, if they chose one. */
  lang: Lang.optional(),
});
export type WorkspaceManifest = z.infer<typeof WorkspaceManifest>;
