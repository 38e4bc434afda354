// `socketlings read <lesson>`: a lesson (or an exercise text) rendered for the terminal, paged when long.
import { join } from 'node:path';
import { EXIT } from '../../app/errors.js';
import { readPrerendered } from '../../ui/prerendered.js';
import { wantsColor } from '../../ui/style.js';
import type { CommandContext } from '../run.js';

export async function read(ctx: CommandContext, key: string): Promise<number> {
  const color = wantsColor(ctx.out);
  // The built-in course was rendered at build time: no parsing or rendering modules to load.
  const ready = ctx.course ? undefined : readPrerendered(key, ctx.lang, color);
  const text = ready ?? (await renderLive(ctx, key, color));
  const { page } = await import('../../ui/pager.js');
  await page(text, ctx.out);
  return EXIT.ok;
}

async function renderLive(ctx: CommandContext, key: string, color: boolean): Promise<string> {
  const { findExercise, findLesson, mustFindLesson, openCourse } = await import('../../app/select.js');
  const course = openCourse(ctx);
  const lang = course.languages.includes(ctx.lang) ? ctx.lang : (course.languages[0] ?? 'en');
  const exercise = findLesson(course, key) ? undefined : findExercise(course, key);
  const dir = exercise ? exercise.dir : mustFindLesson(course, key, ctx.lang).dir;
  const { mustReadText } = await import('../../app/text-files.js');
  const markdown = mustReadText(join(dir, `${lang}.md`), ctx.cwd);
  const { renderMarkdown } = await import('../../ui/markdown.js');
  return renderMarkdown(markdown, color);
}
