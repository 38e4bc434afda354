// Build step (npm run build): render every lesson of the built-in course, in colour and plain, per language.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinCourseDir, loadCourse } from '../app/course.js';
import { formatFileError } from '../grading/schema/load.js';
import { renderMarkdown } from './markdown.js';
import { contentHash, PRERENDER_DIR, type PrerenderIndex, prerenderedFile } from './prerendered.js';

async function main(): Promise<void> {
  const root = builtinCourseDir();
  rmSync(PRERENDER_DIR, { recursive: true, force: true });
  const course = loadCourse(root, root);
  if (!course.ok) {
    // Do not fail the install over it: `read` renders live, and the tests report the course's problems.
    console.warn(
      `prerender skipped, the built-in course has problems:\n${course.errors.map(formatFileError).join('\n')}`,
    );
    return;
  }
  const index: PrerenderIndex = { course: course.value.id, lessons: [] };
  for (const lesson of course.value.lessons) {
    const entry: PrerenderIndex['lessons'][number] = { id: lesson.id, sources: {} };
    for (const lang of course.value.languages) {
      const src = join(lesson.dir, `${lang}.md`);
      const md = readFileSync(src, 'utf8');
      entry.sources[lang] = { path: relative(root, src), sha256: contentHash(md) };
      mkdirSync(join(PRERENDER_DIR, lang), { recursive: true });
      for (const color of [true, false])
        writeFileSync(prerenderedFile(lesson.id, lang, color), await renderMarkdown(md, color));
    }
    index.lessons.push(entry);
  }
  writeFileSync(join(PRERENDER_DIR, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
}

await main();
