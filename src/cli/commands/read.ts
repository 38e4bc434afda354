// `socketlings read <lesson>`: a lesson (or an exercise text) rendered at the terminal's width, paged when long.
import { join } from 'node:path';
import { EXIT } from '../../app/errors.js';
import { learnerWorkspaceRoot } from '../../app/locate.js';
import { loadGraphemeWidths, needsGraphemes } from '../../ui/layout.js';
import { columnsOf, renderMarkdown, renderTokens } from '../../ui/markdown.js';
import { builtinText } from '../../ui/read-index.js';
import { wantsColor } from '../../ui/style.js';
import type { CommandContext } from '../run.js';

export async function read(ctx: CommandContext, key: string): Promise<number> {
  const color = wantsColor(ctx.out);
  // The built-in course's texts are found through an index written at build time, without loading the course.
  const builtin = (await usesBuiltinCourse(ctx)) ? builtinText(key, ctx.lang) : undefined;
  const o = { width: columnsOf(ctx.out), color };
  let text: string;
  if (builtin?.tokens) {
    if (needsGraphemes(builtin.markdown)) await loadGraphemeWidths();
    text = renderTokens(builtin.tokens, o);
  } else text = await renderMarkdown(builtin?.markdown ?? (await sourceOf(ctx, key)), o);
  const { page } = await import('../../ui/pager.js');
  await page(text, ctx.out);
  return EXIT.ok;
}

/** No --course, and no workspace made from another pack. */
async function usesBuiltinCourse(ctx: CommandContext): Promise<boolean> {
  if (ctx.course) return false;
  if (!learnerWorkspaceRoot(ctx.cwd)) return true;
  const { findWorkspace } = await import('../../app/workspace.js');
  return !findWorkspace(ctx.cwd, { below: true })?.manifest.course.path;
}

async function sourceOf(ctx: CommandContext, key: string): Promise<string> {
  const { mustFindText, openCourse } = await import('../../app/select.js');
  const course = openCourse(ctx);
  const lang = course.languages.includes(ctx.lang) ? ctx.lang : (course.languages[0] ?? 'en');
  const { mustReadText } = await import('../../app/text-files.js');
  return mustReadText(join(mustFindText(course, key, ctx.lang).dir, `${lang}.md`), ctx.cwd);
}
