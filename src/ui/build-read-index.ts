// Build step (npm run build): write dist/read-index.json and the parsed texts of the built-in course (see
// read-index.ts).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinCourseDir, loadCourse } from '../app/course.js';
import type { DocLink, Lang } from '../grading/schema/course.js';
import { formatFileError } from '../grading/schema/load.js';
import { bodyOf } from './markdown.js';
import { lexMarkdown } from './markdown-lex.js';
import {
  contentHash,
  PACKAGE_ROOT,
  READ_INDEX,
  type ReadIndex,
  type TextSource,
  TOKENS_DIR,
} from './read-index.js';

/** The renderer reads a token's source text only for kinds it has no case for; the rest need not be stored. */
const RENDERED = new Set([
  'heading',
  'paragraph',
  'text',
  'list',
  'list_item',
  'code',
  'table',
  'blockquote',
  'hr',
  'space',
  'strong',
  'em',
  'codespan',
  'br',
  'link',
  'image',
  'escape',
  'del',
]);
function withoutRaw(this: unknown, key: string, value: unknown): unknown {
  const holder = this as { type?: string };
  return key === 'raw' && RENDERED.has(holder.type ?? '') ? undefined : value;
}

const root = builtinCourseDir();
rmSync(READ_INDEX, { force: true });
rmSync(TOKENS_DIR, { recursive: true, force: true });
const course = loadCourse(root, root);
if (!course.ok) {
  // Do not fail the install over it: `read` then loads the course, and the tests report its problems.
  console.warn(
    `read index skipped, the built-in course has problems:\n${course.errors.map(formatFileError).join('\n')}`,
  );
} else {
  const sources = (id: string, dir: string, docs: Partial<Record<Lang, DocLink[]>>) => {
    const out: Partial<Record<Lang, TextSource>> = {};
    for (const lang of course.value.languages) {
      const path = join(dir, `${lang}.md`);
      const markdown = readFileSync(path, 'utf8');
      const tokens = join(TOKENS_DIR, lang, `${id}.json`);
      mkdirSync(join(TOKENS_DIR, lang), { recursive: true });
      writeFileSync(tokens, JSON.stringify(lexMarkdown(bodyOf(markdown)), withoutRaw));
      out[lang] = {
        path: relative(PACKAGE_ROOT, path),
        sha256: contentHash(markdown),
        tokens: relative(PACKAGE_ROOT, tokens),
        ...(docs[lang] ? { docs: docs[lang] } : {}),
      };
    }
    return out;
  };
  const index: ReadIndex = {
    course: course.value.id,
    lessons: course.value.lessons.map((l) => ({ id: l.id, sources: sources(l.id, l.dir, l.docs) })),
    exercises: course.value.exercises.map((e) => ({ id: e.id, sources: sources(e.id, e.dir, e.docs) })),
  };
  writeFileSync(READ_INDEX, `${JSON.stringify(index, null, 1)}\n`);
}
