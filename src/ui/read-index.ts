// Where each lesson and exercise text of the built-in course lives, written at build time (npm run build) so
// `read` finds a text without loading and validating the whole course: it then starts about as fast as bare node.
// The text itself is rendered live, at the terminal's width.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lang } from '../grading/schema/course.js';

export interface ReadIndex {
  course: string;
  /** In teaching order, so a lesson number is its position + 1. Paths are relative to the package root. */
  lessons: { id: string; sources: Partial<Record<Lang, string>> }[];
  exercises: { id: string; sources: Partial<Record<Lang, string>> }[];
}

const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const READ_INDEX = join(PACKAGE_ROOT, 'dist', 'read-index.json');

/** The Markdown of a lesson (id or number) or an exercise text of the built-in course, if the index has it. */
export function builtinText(key: string, lang: Lang): string | undefined {
  try {
    const index = JSON.parse(readFileSync(READ_INDEX, 'utf8')) as ReadIndex;
    const entry = /^\d+$/.test(key)
      ? index.lessons[Number(key) - 1]
      : (index.lessons.find((l) => l.id === key) ?? index.exercises.find((e) => e.id === key));
    const src = entry?.sources[lang];
    return src ? readFileSync(join(PACKAGE_ROOT, src), 'utf8') : undefined;
  } catch {
    return undefined; // no index (a development checkout before the build) or a moved file: load the course
  }
}
