// `socketlings` with no arguments: the guided menu. Without a terminal it prints the equivalent commands instead,
// so it never hangs on a silent pipe and never picks a choice by itself. Every way out of a screen names the next
// step, and a problem with one action (a deleted file, a broken pack) is said and leaves the learner in the menu.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Exercise, type Lesson, pick } from '../../app/course.js';
import { EXIT, PromptInterrupted, UserError } from '../../app/errors.js';
import { learnerWorkspaceRoot } from '../../app/locate.js';
import { doneCount, isDone } from '../../app/progress.js';
import {
  current,
  fileOf,
  nextHint,
  resetExercise,
  type Session,
  setCurrent,
  solutionText,
  verifyInSession,
} from '../../app/session.js';
import { mustReadText } from '../../app/text-files.js';
import { saveWorkspaceManifest } from '../../app/workspace.js';
import type { Lang } from '../../grading/lang.js';
import { type AskOptions, type Choice, canAsk, choose, confirm } from '../../ui/ask.js';
import { fitText, say, widthOf } from '../../ui/fit.js';
import { hintLines } from '../../ui/hint-view.js';
import { type UiText, uiText } from '../../ui/i18n.js';
import { hyperlink } from '../../ui/layout.js';
import { columnsOf } from '../../ui/markdown.js';
import { type Picked, pickerChoices } from '../../ui/picker.js';
import { prepareWidths, renderResult } from '../../ui/report.js';
import { styleFor, wantsHyperlinks } from '../../ui/style.js';
import { cliCommand } from '../../wire/invocation.js';
import { editorCommand } from '../../wire/shell.js';
import type { CommandContext } from '../context.js';
import { noteWorkspaceBelow, sessionFor } from '../session.js';
import { findOrMakeWorkspace, shown, tell } from './menu-workspace.js';

export type Action =
  | 'continue'
  | 'lessons'
  | 'read'
  | 'quiz'
  | 'verify'
  | 'watch'
  | 'hint'
  | 'solution'
  | 'reset'
  | 'editor'
  | 'lang'
  | 'quit';

/** The menu's entries: the exercise ones only while there is a current exercise (not after the last). */
export function menuChoices(hasCurrent: boolean, t: UiText, currentId = ''): Choice<Action>[] {
  const exercise: Choice<Action>[] = [
    { name: t.menuVerify, value: 'verify' },
    { name: t.menuWatch, value: 'watch' },
    { name: t.menuHint, value: 'hint' },
    { name: t.menuSolution, value: 'solution' },
    { name: t.menuReset, value: 'reset' },
    { name: t.menuEditor, value: 'editor' },
  ];
  return [
    ...(hasCurrent ? [{ name: t.menuContinue(currentId), value: 'continue' as const }] : []),
    { name: t.menuLessons, value: 'lessons' },
    { name: t.menuRead, value: 'read' },
    { name: t.menuQuiz, value: 'quiz' },
    ...(hasCurrent ? exercise : []),
    { name: t.menuLang, value: 'lang' },
    { name: t.menuQuit, value: 'quit' },
  ];
}

function equivalents(ctx: CommandContext, inWorkspace: boolean): string {
  const t = uiText(ctx.lang);
  const cmds = inWorkspace
    ? [
        'socketlings progress',
        'socketlings read 1',
        'socketlings verify <exercise>',
        'socketlings hint <exercise>',
        'socketlings watch',
      ]
    : ['socketlings init', 'socketlings list', 'socketlings read 1'];
  const cli = cliCommand();
  return `${fitText(t.needsTerminal, widthOf(ctx.out))}\n${cmds.map((c) => `  ${c.replace(/^socketlings/, cli)}`).join('\n')}\n`;
}

/** A file path the terminal can open with a click (OSC 8), where the terminal understands it. */
function link(path: string, shown: string, out: NodeJS.WriteStream): string {
  return wantsHyperlinks(out) ? hyperlink(pathToFileURL(path).href, shown) : shown;
}

/** The key help line under every list, in the learner's language. */
export function keyWords(t: UiText): NonNullable<AskOptions['keys']> {
  return { navigate: t.keyNavigate, select: t.keySelect };
}

export async function menu(ctx: CommandContext): Promise<number> {
  const inWorkspace = Boolean(learnerWorkspaceRoot(ctx.cwd));
  if (!canAsk()) {
    ctx.out.write(equivalents(ctx, inWorkspace));
    return EXIT.ok;
  }
  // The learner stays where they are: paths, replay and next lines are shown from here, even when the
  // workspace is the one below this folder. One made elsewhere (~/socketlings) is worked in from its root.
  let c: CommandContext = { ...ctx };
  if (!inWorkspace) {
    const root = await findOrMakeWorkspace(c);
    if (!root) return EXIT.ok;
    const rel = relative(c.cwd, root);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      say(c.out, uiText(c.lang).workspaceElsewhere(shown(root), cliCommand()));
      c = { ...c, cwd: root };
    }
  }
  noteWorkspaceBelow(c, sessionFor(c, { quiet: true }));
  for (;;) {
    const session = sessionFor(c, { quiet: true });
    const cur = current(session);
    const tt = uiText(c.lang);
    const action = await choose<Action>(tt.menuQuestion, menuChoices(Boolean(cur), tt, cur?.id), undefined, {
      keys: keyWords(tt),
    });
    if (action === 'quit') return EXIT.ok;
    try {
      const next = await act(c, session, cur, action);
      if (next) c = next;
    } catch (err) {
      if (!(err instanceof UserError) || err instanceof PromptInterrupted) throw err;
      tell(c, err);
    }
  }
}

/** One menu action; a new context when it changed (the language). */
async function act(
  c: CommandContext,
  session: Session,
  cur: Exercise | undefined,
  action: Exclude<Action, 'quit'>,
): Promise<CommandContext | undefined> {
  const tt = uiText(c.lang);
  switch (action) {
    case 'continue':
      if (cur) await exerciseScreen(c, session, cur);
      return;
    case 'lessons': {
      const picked = await pickOne(c, session, cur?.id);
      if (picked.kind === 'lesson') await readLesson(c, session, picked.id);
      else if (picked.kind === 'exercise') {
        const ex = session.course.exercises.find((e) => e.id === picked.id);
        if (ex) await exerciseScreen(c, session, ex);
      }
      return;
    }
    case 'read': {
      const lesson = await chooseLesson(c, session, tt.menuRead, cur);
      if (lesson) await readLesson(c, session, lesson.id);
      return;
    }
    case 'quiz': {
      const lesson = await chooseLesson(c, session, tt.quizPick, cur, true);
      if (lesson) {
        const { runQuiz } = await import('./quiz.js');
        await runQuiz(c, session, lesson, session.course);
      }
      return;
    }
    case 'verify':
      if (cur) await verifyNow(c, session, cur);
      return;
    case 'watch':
      await watchFrom(c);
      return;
    case 'hint':
      if (cur) showHint(c, session, cur);
      return;
    case 'solution':
      if (cur && (isDone(session.progress, cur.id) || (await confirm(tt.solutionNotYet)))) {
        const text = solutionText(cur);
        c.out.write(text);
        await holdInView(c, text);
      }
      return;
    case 'reset': {
      if (!cur) return;
      const file = relative(c.cwd, fileOf(session, cur)) || fileOf(session, cur);
      if (await confirm(tt.resetConfirm(file))) {
        resetExercise(session, cur);
        say(c.out, `${tt.resetDone(file)} ${tt.resetNext}`);
      } else say(c.out, tt.cancelled);
      return;
    }
    case 'editor':
      if (cur) openEditor(c, fileOf(session, cur));
      return;
    case 'lang': {
      const lang = await choose<Lang>(
        tt.menuLang,
        [
          { name: 'English', value: 'en' },
          { name: '简体中文', value: 'zh-CN' },
        ],
        c.lang,
        { keys: keyWords(tt) },
      );
      session.ws.manifest = { ...session.ws.manifest, lang };
      saveWorkspaceManifest(session.ws);
      return { ...c, lang };
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** As many list rows as the screen has room for, the question and the key help counted out. */
function pageSizeFor(c: CommandContext): number {
  return Math.max(5, Math.min(30, (c.out.rows || 24) - 4));
}

/** A lesson from the list, opening on the current exercise's; undefined for "back". */
async function chooseLesson(
  c: CommandContext,
  s: Session,
  question: string,
  cur: Exercise | undefined,
  withQuizMarks = false,
): Promise<Lesson | undefined> {
  const tt = uiText(c.lang);
  const mark = (l: Lesson) => {
    const q = s.progress.quiz?.[l.id];
    return withQuizMarks && q ? `  (${tt.quizMark(q.right.length, q.total)})` : '';
  };
  const id = await choose(
    question,
    [
      ...s.course.lessons.map((l) => ({
        name: `${l.index + 1}. ${pick(l.titles, c.lang, s.course.languages) ?? l.id}${mark(l)}`,
        value: l.id,
      })),
      { name: tt.menuBack, value: '' },
    ],
    s.course.lessons.find((l) => l.id === cur?.lessonId)?.id,
    { keys: keyWords(tt), pageSize: pageSizeFor(c) },
  );
  return s.course.lessons.find((l) => l.id === id);
}

/** A lesson in the pager; then, when it has check-yourself questions, the offer to answer them. */
async function readLesson(c: CommandContext, s: Session, id: string): Promise<void> {
  const { read } = await import('./read.js');
  await read(c, id);
  const lesson = s.course.lessons.find((l) => l.id === id);
  if (!lesson) return;
  const { questionCount, runQuiz } = await import('./quiz.js');
  const n = await questionCount(c, s.course, lesson);
  if (n > 0 && (await confirm(uiText(c.lang).quizOffer(n), true))) await runQuiz(c, s, lesson, s.course);
}

async function pickOne(c: CommandContext, s: Session, currentId: string | undefined): Promise<Picked> {
  const t = uiText(c.lang);
  const done = doneCount(s.course, s.progress);
  const choices = pickerChoices(
    s.course,
    s.progress,
    currentId,
    c.lang,
    t.menuBack,
    styleFor(c.out).ok !== 'v',
  );
  const initial = choices.find((ch) => ch.value.kind === 'exercise' && ch.value.id === currentId)?.value;
  return choose<Picked>(
    `${t.progressTitle(done, s.course.exercises.length)}${t.sentenceEnd}${t.pickQuestion}`,
    choices,
    initial,
    { keys: keyWords(t), pageSize: pageSizeFor(c) },
  );
}

function showHint(c: CommandContext, s: Session, ex: Exercise): void {
  const { shown, total } = nextHint(s, ex, c.lang);
  for (const line of hintLines(shown, total, ex.id, uiText(c.lang), styleFor(c.out))) say(c.out, line);
}

/** Watch mode from the menu: q comes back here; Ctrl+C leaves the menu too, as it does everywhere. */
async function watchFrom(c: CommandContext): Promise<void> {
  const { watch } = await import('./watch.js');
  if ((await watch(c, {})) === EXIT.interrupted) throw new PromptInterrupted();
}

type ExerciseAction = 'verify' | 'watch' | 'more' | 'hint' | 'back';

/** The exercise fitted to the screen, essential part first, then what to do with it. */
async function exerciseScreen(c: CommandContext, s: Session, ex: Exercise): Promise<void> {
  setCurrent(s, ex);
  const lang = s.course.languages.includes(c.lang) ? c.lang : (s.course.languages[0] ?? 'en');
  const markdown = mustReadText(join(ex.dir, `${lang}.md`), c.cwd);
  for (;;) {
    const t = uiText(c.lang);
    const st = styleFor(c.out);
    const file = fileOf(s, ex);
    const choices: Choice<ExerciseAction>[] = [
      { name: t.exVerify, value: 'verify' },
      { name: t.menuWatch, value: 'watch' },
      { name: t.exMore, value: 'more' },
      { name: t.menuHint, value: 'hint' },
      { name: t.menuBack, value: 'back' },
    ];
    const { renderExerciseScreen } = await import('../../ui/exercise-view.js');
    const screen = await renderExerciseScreen(markdown, {
      header: `${st.bold(ex.id)} ${st.dim('—')} ${pick(ex.titles, c.lang, s.course.languages) ?? ''}`,
      fileLine: `${t.editFile}${t.colon}${st.cyan(link(file, relative(c.cwd, file) || file, c.out))}`,
      more: (n) => st.dim(t.exMoreLines(n)),
      byHandDefault: t.byHandDefault,
      width: columnsOf(c.out),
      // The prompt below takes the question, the choices and the key help; one row spare for the cursor.
      rows: (c.out.rows || 24) - choices.length - 3,
      color: st.color,
    });
    c.out.write(screen);
    const action = await choose<ExerciseAction>(t.menuQuestion, choices, undefined, { keys: keyWords(t) });
    switch (action) {
      case 'verify':
        await verifyNow(c, s, ex);
        return;
      case 'watch':
        await watchFrom(c);
        return;
      case 'more': {
        const { read } = await import('./read.js');
        await read(c, ex.id);
        break;
      }
      case 'hint':
        showHint(c, s, ex);
        return;
      case 'back':
        return;
      default: {
        const never: never = action;
        return never;
      }
    }
  }
}

/**
 * Verify from the menu, through the same function as `verify` and watch mode. A file that is not there is put
 * back as the stub when the learner agrees; either way they stay in the menu with the next step named.
 */
async function verifyNow(c: CommandContext, s: Session, ex: Exercise): Promise<void> {
  const t = uiText(c.lang);
  const file = fileOf(s, ex);
  if (!existsSync(file)) {
    const rel = relative(c.cwd, file) || file;
    if (await confirm(t.putBack(rel), true)) {
      resetExercise(s, ex);
      say(c.out, `${t.resetDone(rel)} ${t.resetNext}`);
    } else say(c.out, t.fileStillMissing(ex.id));
    return;
  }
  const result = await verifyInSession(s, ex, c);
  await prepareWidths(result);
  const shown = renderResult(
    result,
    pick(ex.titles, c.lang, s.course.languages) ?? ex.id,
    styleFor(c.out),
    c.lang,
    {
      width: widthOf(c.out),
    },
  );
  c.out.write(shown);
  if (result.status === 'pass') {
    const next = current(s);
    say(c.out, `${t.verified(ex.id)} ${next ? t.nextUp(next.id) : t.allDone}`);
  }
  await holdInView(c, shown);
}

/** The menu takes about this many rows when it is drawn again: its question, its choices and the key help. */
const MENU_ROWS = 16;

/**
 * A result that the menu, drawn again below it, would push off the top of the screen (its ✗ line, its reason and
 * hint first) stays in view until the learner has read it: one key to go back.
 */
async function holdInView(c: CommandContext, shown: string): Promise<void> {
  const rows = c.out.rows || 24;
  if (shown.split('\n').length + MENU_ROWS <= rows) return;
  const t = uiText(c.lang);
  await choose(t.resultRead, [{ name: t.backToMenu, value: 'back' }], undefined, { keys: keyWords(t) });
}

function openEditor(c: CommandContext, file: string): void {
  const { argv, verbatim, editor } = editorCommand(file);
  const [cmd = '', ...args] = argv;
  const r = spawnSync(cmd, args, { stdio: 'inherit', windowsVerbatimArguments: verbatim });
  if (r.error) say(c.err, `${editor}: ${r.error.message}`);
}
