// `socketlings quiz [lesson]`: a lesson's check-yourself questions, one at a time. The learner answers (or skips),
// then sees the answer and says whether theirs was right; what they had right is kept in their progress.
import { type Course, type Lesson, pick } from '../../app/course.js';
import { EXIT, UserError } from '../../app/errors.js';
import { learnerWorkspaceRoot } from '../../app/locate.js';
import { mustFindLesson, openCourse } from '../../app/select.js';
import { current, recordQuiz, type Session } from '../../app/session.js';
import { askText, canAsk, confirm } from '../../ui/ask.js';
import { say } from '../../ui/fit.js';
import { uiText } from '../../ui/i18n.js';
import { columnsOf, renderTokens } from '../../ui/markdown.js';
import { type Question, quizOf } from '../../ui/quiz.js';
import { styleFor } from '../../ui/style.js';
import { cliCommand } from '../../wire/invocation.js';
import type { CommandContext } from '../run.js';
import { sessionFor } from '../session.js';
import { tokensOf } from './read.js';

export async function quiz(ctx: CommandContext, key: string | undefined): Promise<number> {
  const session = learnerWorkspaceRoot(ctx.cwd) ? sessionFor(ctx) : undefined;
  const course = session?.course ?? openCourse(ctx);
  const cur = session ? current(session) : undefined;
  const lessonKey = key ?? cur?.lessonId;
  if (!lessonKey) throw new UserError(uiText(ctx.lang).whichLesson('quiz'));
  const lesson = mustFindLesson(course, lessonKey, ctx.lang);
  return runQuiz(ctx, session, lesson, course);
}

/** Ask a lesson's questions; on a terminal one at a time, else listed with the way to see the answers. */
export async function runQuiz(
  ctx: CommandContext,
  s: Session | undefined,
  lesson: Lesson,
  course?: Course,
): Promise<number> {
  const t = uiText(ctx.lang);
  const st = styleFor(ctx.out);
  course ??= s?.course ?? openCourse(ctx);
  const title = `${lesson.index + 1}. ${pick(lesson.titles, ctx.lang, course.languages) ?? lesson.id}`;
  const questions = quizOf(await tokensOf(ctx, course, lesson))?.questions;
  if (!questions?.length) {
    say(ctx.out, t.quizNone(title));
    return EXIT.ok;
  }
  const width = columnsOf(ctx.out);
  const render = (tokens: Question['question']) =>
    renderTokens(tokens, { width: width - 2, color: st.color })
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
  say(ctx.out, st.bold(st.cyan(t.quizTitle(title, questions.length))));
  if (!canAsk()) {
    for (const q of questions)
      ctx.out.write(`\n${st.bold(t.quizOf(q.n, questions.length))}\n${render(q.question)}\n`);
    say(ctx.out, `\n${t.quizNeedsTerminal(`${cliCommand()} read ${lesson.index + 1} --answers`)}`);
    return EXIT.ok;
  }
  const right: number[] = [];
  for (const q of questions) {
    ctx.out.write(`\n${st.bold(t.quizOf(q.n, questions.length))}\n${render(q.question)}\n`);
    const typed = await askText(t.quizAnswer);
    const answer = render([{ type: 'paragraph', raw: '', text: '', tokens: q.answer }]);
    ctx.out.write(`${st.dim(`${t.quizExplained}${t.colon.trimEnd()}`)}\n${answer}\n`);
    if (!typed) say(ctx.out, st.dim(t.quizSkipped));
    else if (await confirm(t.quizRight, false)) right.push(q.n);
  }
  ctx.out.write('\n');
  say(ctx.out, `${st.bold(t.quizScore(right.length, questions.length))} ${s ? t.quizKept : t.quizNotKept}`);
  if (s) recordQuiz(s, lesson.id, right, questions.length);
  return EXIT.ok;
}

/** For the menu: the number of questions a lesson has (none when its text has no check-yourself list). */
export async function questionCount(ctx: CommandContext, course: Course, lesson: Lesson): Promise<number> {
  return quizOf(await tokensOf(ctx, course, lesson))?.questions.length ?? 0;
}
