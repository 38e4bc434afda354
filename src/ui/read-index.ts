// Where each lesson and exercise text of the built-in course lives, written at build time (npm run build) so
// `read` finds a text without loading and validating the whole course. Each text's Markdown is also parsed then
// (marked's lexer is most of what a live `read` costs) and kept as tokens with the hash of its source: an edited
// text no longer matches and is parsed live. Laying out is always live, at the terminal's width.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Token } from 'marked';
import type { DocLink, Lang } from '../grading/schema/course.js';
import { PACKAGE_ROOT } from '../wire/package-files.js';

export interface TextSource {
  /** The Markdown, relative to the package root. */
  path: string;
  /** sha256 of the Markdown the tokens were made from. */
  sha256: string;
  /** marked's tokens of its body (front matter removed), as JSON, relative to the package root. */
  tokens: string;
  /** Its front matter's documentation links. */
  docs?: DocLink[];
}

export interface ReadIndex {
  course: string;
  /** In teaching order, so a lesson number is its position + 1. */
  lessons: { id: string; sources: Partial<Record<Lang, TextSource>> }[];
  exercises: { id: string; sources: Partial<Record<Lang, TextSource>> }[];
}

export { PACKAGE_ROOT };
export const READ_INDEX = join(PACKAGE_ROOT, 'dist', 'read-index.json');
export const TOKENS_DIR = join(PACKAGE_ROOT, 'dist', 'read-tokens');

export function contentHash(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A lesson (id or number) or an exercise text of the built-in course, if the index has it: its Markdown, and its
 * tokens when they were made from this very Markdown.
 */
export function builtinText(
  key: string,
  lang: Lang,
): { markdown: string; tokens?: Token[]; docs?: DocLink[] } | undefined {
  let src: TextSource | undefined;
  try {
    const index = JSON.parse(readFileSync(READ_INDEX, 'utf8')) as ReadIndex;
    const entry = /^\d+$/.test(key)
      ? index.lessons[Number(key) - 1]
      : (index.lessons.find((l) => l.id === key) ?? index.exercises.find((e) => e.id === key));
    src = entry?.sources[lang];
    if (!src) return undefined;
    const markdown = readFileSync(join(PACKAGE_ROOT, src.path), 'utf8');
    // An edited text may have other links: the caller then loads the course and reads them from there.
    if (contentHash(markdown) !== src.sha256) return { markdown };
    try {
      return {
        markdown,
        tokens: JSON.parse(readFileSync(join(PACKAGE_ROOT, src.tokens), 'utf8')) as Token[],
        ...(src.docs ? { docs: src.docs } : {}),
      };
    } catch {
      return { markdown };
    }
  } catch {
    return undefined; // no index (a development checkout before the build) or a moved file: load the course
  }
}
