// The course-pack formats. A pack is a folder; its manifest is `lessons/course.yaml`, and every path in the
// manifest is relative to the pack folder. The built-in course is the package root itself.
import * as z from 'zod';
import { LANGS } from '../lang.js';

/** The languages socketlings ships UI strings for. A pack declares which of them it is written in. */
export const Lang = z.enum(LANGS);
export type Lang = z.infer<typeof Lang>;

/** A short id: lowercase words joined by dashes, used on the command line (`verify tcp-client`). */
const Id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase letters, digits and dashes, like "tcp-client"');

/** A path inside the pack, written with forward slashes. Containment is checked by the rules, not here. */
const PackPath = z.string().min(1);

export const ExerciseEntry = z.strictObject({
  /** Unique across the pack; what the learner types after `verify`. */
  id: Id,
  /**
   * Folder of the exercise. It holds `<lang>.md` (the exercise text, one per language), `hints.yaml`,
   * the stub named by `file`, and `solution/<file>` (the reference solution).
   */
  dir: PackPath,
  /** File name the learner edits, e.g. `tcp_client.py`. The stub is `<dir>/<file>`. */
  file: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a plain file name such as "tcp_client.py"'),
  /** Grader scenario. Defaults to `graders/<id>.yaml`. */
  grader: PackPath.optional(),
});
export type ExerciseEntry = z.infer<typeof ExerciseEntry>;

export const LessonEntry = z.strictObject({
  /** Unique across the pack; what the learner types after `read`. */
  id: Id,
  /** Folder holding `<lang>.md` for every language of the pack. */
  dir: PackPath,
  /** The exercises that practise this lesson, in teaching order. */
  exercises: z.array(ExerciseEntry).default([]),
});
export type LessonEntry = z.infer<typeof LessonEntry>;

export const CourseManifest = z.strictObject({
  /** Version of this file format. Only 1 exists. */
  format: z.literal(1),
  /** Identifies the pack in a workspace, so progress is never applied to a different course. */
  id: Id,
  /** The pack's own version, recorded in workspaces created from it. */
  version: z.string().min(1),
  /** Course title per language. */
  title: z.partialRecord(Lang, z.string().min(1)),
  /** Languages every lesson, exercise text and hint list must exist in. The first is the fallback. */
  languages: z.array(Lang).min(1),
  /** Lessons in teaching order. */
  lessons: z.array(LessonEntry).min(1),
});
export type CourseManifest = z.infer<typeof CourseManifest>;

/** A page of documentation a lesson or exercise relies on. */
export const DocLink = z.strictObject({
  /** What the reader sees: the function or topic, e.g. `socket.create_connection()`. */
  title: z.string().min(1),
  /** Its address: https only, so a terminal opens it in a browser and nothing else. */
  url: z.url({ protocol: /^https$/, error: 'an https:// address' }),
});
export type DocLink = z.infer<typeof DocLink>;

/** Front matter at the top of a lesson or exercise Markdown file, between `---` lines. */
export const FrontMatter = z.strictObject({
  /** Title shown in menus and lists. */
  title: z.string().min(1),
  /**
   * The documentation this text relies on (Python's, in this text's language where it is translated), listed
   * under the text and linked where the terminal can open links:
   * `docs: [{ title: socket.create_connection(), url: https://docs.python.org/3/library/socket.html#socket.create_connection }]`.
   */
  docs: z.array(DocLink).optional(),
});
export type FrontMatter = z.infer<typeof FrontMatter>;

/** `hints.yaml`: per language, hints from gentlest to most explicit; shown one more each time asked. */
export const Hints = z.partialRecord(Lang, z.array(z.string().min(1)).min(1, 'give at least one hint'));
export type Hints = z.infer<typeof Hints>;
