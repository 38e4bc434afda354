// `socketlings read <lesson>`: a lesson (or an exercise text) rendered at the terminal's width, paged when long,
// with the documentation it relies on at the end. Check-yourself answers stay hidden unless asked for.
import { join, resolve } from 'node:path';
import type { Token } from 'marked';
import { builtinCourseDir, type Course, type Exercise, type Lesson } from '../../app/course.js';
import { EXIT } from '../../app/errors.js';
import { learnerWorkspaceRoot } from '../../app/locate.js';
import type { DocLink, Lang } from '../../grading/schema/course.js';
import { renderDocs } from '../../ui/docs-view.js';
import { uiText } from '../../ui/i18n.js';
import { loadGraphemeWidths, needsGraphemes } from '../../ui/layout.js';
import { bodyOf, columnsOf, MAX_TEXT_WIDTH, renderTokens } from '../../ui/markdown.js';
import { quizOf, withoutAnswers } from '../../ui/quiz.js';
import { builtinText } from '../../ui/read-index.js';
import { makeStyle, wantsColor, wantsHyperlinks } from '../../ui/style.js';
import { cliCommand } from '../../wire/invocation.js';
import type { CommandContext } from '../context.js';

export interface ReadOptions {
  /** Show the check-yourself answers under their questions. */
  answers?: boolean | undefined;
}

/** A text of the course: its Markdown's blocks and the documentation its front matter lists. */
export interface CourseText {
  markdown: string;
  tokens: Token[];
  docs: DocLink[] | undefined;
}

export async function read(ctx: CommandContext, key: string, o: ReadOptions = {}): Promise<number> {
  const text = await courseText(ctx, key);
  const { page } = await import('../../ui/pager.js');
  await page(renderText(ctx, key, text, o), ctx.out);
  return EXIT.ok;
}

/** The text as `read` shows it: laid out at the terminal's width, answers hidden unless asked for, docs last. */
export function renderText(ctx: CommandContext, key: string, text: CourseText, o: ReadOptions = {}): string {
  const color = wantsColor(ctx.out);
  const width = Math.min(columnsOf(ctx.out), MAX_TEXT_WIDTH);
  const t = uiText(ctx.lang);
  const quiz = quizOf(text.tokens);
  const tokens =
    quiz && !o.answers
      ? withoutAnswers(text.tokens, [
          paragraph(t.answersHidden(`${cliCommand()} quiz ${key}`, `${cliCommand()} read ${key} --answers`)),
        ])
      : text.tokens;
  const body = renderTokens(tokens, { width, color });
  const docs = renderDocs(text.docs, {
    width,
    style: makeStyle(color),
    links: wantsHyperlinks(ctx.out),
    lang: ctx.lang,
  });
  return docs ? `${body}\n${docs}` : body;
}

/** A paragraph of text with `code` spans, as marked's lexer would give it (without loading marked). */
function paragraph(text: string): Token {
  const tokens: Token[] = text
    .split(/(`[^`]*`)/)
    .filter((p) => p !== '')
    .map((p) =>
      p.startsWith('`') && p.endsWith('`') && p.length > 1
        ? { type: 'codespan', raw: p, text: p.slice(1, -1) }
        : { type: 'text', raw: p, text: p },
    );
  return { type: 'paragraph', raw: text, text, tokens };
}

/** A lesson (id or number) or an exercise text, with its documentation links. */
export async function courseText(ctx: CommandContext, key: string): Promise<CourseText> {
  // The built-in course's texts are found through an index written at build time, without loading the course.
  const builtin = (await usesBuiltinCourse(ctx)) ? builtinText(key, ctx.lang) : undefined;
  if (builtin?.tokens) {
    if (needsGraphemes(builtin.markdown)) await loadGraphemeWidths();
    return { markdown: builtin.markdown, tokens: builtin.tokens, docs: builtin.docs };
  }
  const found = builtin
    ? { markdown: builtin.markdown, docs: await docsOf(builtin.markdown) }
    : await sourceOf(ctx, key);
  const { lexMarkdown } = await import('../../ui/markdown-lex.js');
  if (needsGraphemes(found.markdown)) await loadGraphemeWidths();
  return { ...found, tokens: lexMarkdown(bodyOf(found.markdown)) };
}

/** The blocks of a lesson or exercise text of a course already loaded (the built-in one's from its index). */
export async function tokensOf(
  ctx: CommandContext,
  course: Course,
  text: Lesson | Exercise,
): Promise<Token[]> {
  const lang: Lang = course.languages.includes(ctx.lang) ? ctx.lang : (course.languages[0] ?? 'en');
  const indexed =
    resolve(course.root) === resolve(builtinCourseDir()) ? builtinText(text.id, lang) : undefined;
  if (indexed?.tokens) return indexed.tokens;
  const { mustReadText } = await import('../../app/text-files.js');
  const { lexMarkdown } = await import('../../ui/markdown-lex.js');
  return lexMarkdown(bodyOf(mustReadText(join(text.dir, `${lang}.md`), ctx.cwd)));
}

/** No --course, and no workspace made from another pack. */
async function usesBuiltinCourse(ctx: CommandContext): Promise<boolean> {
  if (ctx.course) return false;
  if (!learnerWorkspaceRoot(ctx.cwd)) return true;
  const { findWorkspace } = await import('../../app/workspace.js');
  return !findWorkspace(ctx.cwd, { below: true })?.manifest.course.path;
}

/** An edited text of the built-in course: its links read from its own front matter. */
async function docsOf(markdown: string): Promise<DocLink[] | undefined> {
  const { parseFrontMatter } = await import('../../grading/schema/load.js');
  const { FrontMatter } = await import('../../grading/schema/course.js');
  const fm = parseFrontMatter('', markdown, FrontMatter);
  return fm.ok ? fm.value.meta.docs : undefined;
}

async function sourceOf(
  ctx: CommandContext,
  key: string,
): Promise<{ markdown: string; docs: DocLink[] | undefined }> {
  const { mustFindText, openCourse } = await import('../../app/select.js');
  const course = openCourse(ctx);
  const lang: Lang = course.languages.includes(ctx.lang) ? ctx.lang : (course.languages[0] ?? 'en');
  const { mustReadText } = await import('../../app/text-files.js');
  const text = mustFindText(course, key, ctx.lang);
  return { markdown: mustReadText(join(text.dir, `${lang}.md`), ctx.cwd), docs: text.docs[lang] };
}
