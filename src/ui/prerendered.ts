// The built-in course's lessons are rendered when the package is built (see prerender.ts), so `read` starts as
// fast as a bare `node`. An edited lesson (its content hash changed) is noticed and rendered live instead. File
// times are no use here: npm resets them in every tarball.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lang } from '../grading/schema/course.js';

export interface PrerenderIndex {
  course: string;
  lessons: {
    id: string;
    sources: Partial<Record<Lang, { path: string; sha256: string }>>;
  }[];
}

export const PRERENDER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'prerendered');
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function contentHash(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function prerenderedFile(lessonId: string, lang: Lang, color: boolean): string {
  return join(PRERENDER_DIR, lang, `${lessonId}.${color ? 'ansi' : 'txt'}`);
}

/** The rendered lesson, if it exists and its source is unchanged since the build. */
export function readPrerendered(key: string, lang: Lang, color: boolean): string | undefined {
  let index: PrerenderIndex;
  try {
    index = JSON.parse(readFileSync(join(PRERENDER_DIR, 'index.json'), 'utf8')) as PrerenderIndex;
  } catch {
    return undefined;
  }
  const lesson = /^\d+$/.test(key) ? index.lessons[Number(key) - 1] : index.lessons.find((l) => l.id === key);
  const src = lesson?.sources[lang];
  if (!lesson || !src) return undefined;
  try {
    if (contentHash(readFileSync(join(PACKAGE_ROOT, src.path))) !== src.sha256) return undefined;
    return readFileSync(prerenderedFile(lesson.id, lang, color), 'utf8');
  } catch {
    return undefined;
  }
}
