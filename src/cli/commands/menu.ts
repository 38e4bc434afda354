// `socketlings` with no arguments: the guided menu. Without a terminal it prints the equivalent commands instead,
// so it never hangs on a silent pipe and never picks a choice by itself.
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Exercise, pick } from '../../app/course.js';
import { EXIT } from '../../app/errors.js';
import { gradeExercise, timeScaleFromEnv } from '../../app/grade.js';
import { initWorkspace } from '../../app/init.js';
import { DEFAULT_WORKSPACE_DIR, learnerWorkspaceRoot } from '../../app/locate.js';
import { doneCount, isDone } from '../../app/progress.js';
import { openCourse } from '../../app/select.js';
import {
  current,
  fileOf,
  nextHint,
  recordPass,
  resetExercise,
  type Session,
  setCurrent,
  solutionText,
} from '../../app/session.js';
import { mustReadText } from '../../app/text-files.js';
import { saveWorkspaceManifest } from '../../app/workspace.js';
import type { Lang } from '../../grading/lang.js';
import { type AskOptions, type Choice, canAsk, choose, confirm } from '../../ui/ask.js';
import { type UiText, uiText } from '../../ui/i18n.js';
import { columnsOf, renderMarkdown } from '../../ui/markdown.js';
import { type Picked, pickerChoices } from '../../ui/picker.js';
import { prepareWidths, renderResult } from '../../ui/report.js';
import { styleFor } from '../../ui/style.js';
import { cliCommand } from '../../wire/invocation.js';
import { editorCommand } from '../../wire/shell.js';
import type { CommandContext } from '../run.js';
import { noteWorkspaceBelow, sessionFor } from '../session.js';

export type Action =
  | 'continue'
  | 'lessons'
  | 'read'
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
  return `${t.needsTerminal}\n${cmds.map((c) => `  ${c.replace(/^socketlings/, cli)}`).join('\n')}\n`;
}

/** A file path the terminal can open with a click (OSC 8), where the terminal understands it. */
function link(path: string, shown: string, color: boolean): string {
  return color ? `\x1b]8;;${pathToFileURL(path).href}\x1b\\${shown}\x1b]8;;\x1b\\` : shown;
}

/** The key help line under every list, in the learner's language. */
export function keyWords(t: UiText): NonNullable<AskOptions['keys']> {
  return { navigate: t.keyNavigate, select: t.keySelect };
}

export async function menu(ctx: CommandContext): Promise<number> {
  const t = uiText(ctx.lang);
  const inWorkspace = Boolean(learnerWorkspaceRoot(ctx.cwd));
  if (!canAsk()) {
    ctx.out.write(equivalents(ctx, inWorkspace));
    return EXIT.ok;
  }
  if (!inWorkspace) {
    const yes = await confirm(t.noWorkspaceHere, true);
    if (!yes) {
      ctx.out.write(equivalents(ctx, false));
      return EXIT.ok;
    }
    const course = openCourse(ctx);
    initWorkspace({
      course,
      coursePath: ctx.course,
      dir: DEFAULT_WORKSPACE_DIR,
      cwd: ctx.cwd,
      lang: ctx.lang,
    });
    ctx.out.write(`${t.initDone(DEFAULT_WORKSPACE_DIR, course.exercises.length)}\n`);
  }
  // The learner stays where they are: paths, replay and next lines are shown from here, even when the
  // workspace is the one below this folder.
  let c: CommandContext = { ...ctx };
  noteWorkspaceBelow(c, sessionFor(c, { quiet: true }));
  for (;;) {
    const session = sessionFor(c, { quiet: true });
    const cur = current(session);
    const st = styleFor(c.out);
    const tt = uiText(c.lang);
    const action = await choose<Action>(tt.menuQuestion, menuChoices(Boolean(cur), tt, cur?.id), undefined, {
      keys: keyWords(tt),
    });
    if (action === undefined || action === 'quit') return EXIT.ok;
    switch (action) {
      case 'continue':
        if (cur && (await exerciseScreen(c, session, cur)) === 'quit') return EXIT.ok;
        break;
      case 'lessons': {
        const picked = await pickOne(c, session, cur?.id);
        if (picked === undefined) return EXIT.ok; // Ctrl+C leaves from any prompt
        if (picked.kind === 'lesson') {
          const { read } = await import('./read.js');
          await read(c, picked.id);
        } else if (picked.kind === 'exercise') {
          const ex = session.course.exercises.find((e) => e.id === picked.id);
          if (ex && (await exerciseScreen(c, session, ex)) === 'quit') return EXIT.ok;
        }
        break;
      }
      case 'read': {
        const lesson = await choose(
          tt.menuRead,
          [
            ...session.course.lessons.map((l) => ({
              name: `${l.index + 1}. ${pick(l.titles, c.lang, session.course.languages) ?? l.id}`,
              value: l.id,
            })),
            { name: tt.menuBack, value: '' },
          ],
          session.course.lessons.find((l) => l.id === cur?.lessonId)?.id,
          { keys: keyWords(tt), pageSize: pageSizeFor(c) },
        );
        if (lesson) {
          const { read } = await import('./read.js');
          await read(c, lesson);
        }
        break;
      }
      case 'verify':
        if (cur) await verifyNow(c, session, cur);
        break;
      case 'watch': {
        const { watch } = await import('./watch.js');
        await watch(c, {});
        break;
      }
      case 'hint':
        if (cur) {
          const { shown, total } = nextHint(session, cur, c.lang);
          for (const [i, h] of shown.entries()) c.out.write(`${st.bold(tt.hintOf(i + 1, total))}: ${h}\n`);
          if (shown.length === total) c.out.write(`${st.dim(tt.noMoreHints(cur.id))}\n`);
        }
        break;
      case 'solution':
        if (cur && (isDone(session.progress, cur.id) || (await confirm(tt.solutionNotYet))))
          c.out.write(solutionText(cur));
        break;
      case 'reset':
        if (cur && (await confirm(tt.resetConfirm(relative(c.cwd, fileOf(session, cur)))))) {
          resetExercise(session, cur);
          c.out.write(`${tt.resetDone(relative(c.cwd, fileOf(session, cur)))}\n`);
        }
        break;
      case 'editor':
        if (cur) openEditor(c, fileOf(session, cur));
        break;
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
        if (lang) {
          session.ws.manifest = { ...session.ws.manifest, lang };
          saveWorkspaceManifest(session.ws);
          c = { ...c, lang };
        }
        break;
      }
      default: {
        const never: never = action;
        return never;
      }
    }
  }
}

/** As many list rows as the screen has room for, the question and the key help counted out. */
function pageSizeFor(c: CommandContext): number {
  return Math.max(5, Math.min(30, (c.out.rows || 24) - 4));
}

async function pickOne(c: CommandContext, s: Session, currentId: string | undefined) {
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
    `${t.progressTitle(done, s.course.exercises.length)}. ${t.pickQuestion}`,
    choices,
    initial,
    { keys: keyWords(t), pageSize: pageSizeFor(c) },
  );
}

type ExerciseAction = 'verify' | 'watch' | 'more' | 'hint' | 'back';

/** The exercise fitted to the screen, essential part first, then what to do with it. */
async function exerciseScreen(c: CommandContext, s: Session, ex: Exercise): Promise<'quit' | undefined> {
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
      fileLine: `${t.editFile} ${st.cyan(link(file, relative(c.cwd, file) || file, st.color))}`,
      more: (n) => st.dim(t.exMoreLines(n)),
      width: columnsOf(c.out),
      // The prompt below takes the question, the choices, a blank line and the key help; one row spare.
      rows: (c.out.rows || 24) - choices.length - 4,
      color: st.color,
    });
    c.out.write(screen);
    const action = await choose<ExerciseAction>(t.menuQuestion, choices, undefined, { keys: keyWords(t) });
    switch (action) {
      case 'verify':
        await verifyNow(c, s, ex);
        return;
      case 'watch': {
        const { watch } = await import('./watch.js');
        await watch(c, {});
        return;
      }
      case 'more': {
        const { page } = await import('../../ui/pager.js');
        await page(await renderMarkdown(markdown, { width: columnsOf(c.out), color: st.color }), c.out);
        break;
      }
      case 'hint': {
        const { shown, total } = nextHint(s, ex, c.lang);
        for (const [i, h] of shown.entries()) c.out.write(`${st.bold(t.hintOf(i + 1, total))}: ${h}\n`);
        if (shown.length === total) c.out.write(`${st.dim(t.noMoreHints(ex.id))}\n`);
        return;
      }
      case 'back':
        return;
      case undefined:
        return 'quit';
      default: {
        const never: never = action;
        return never;
      }
    }
  }
}

async function verifyNow(c: CommandContext, s: Session, ex: Exercise): Promise<void> {
  const result = await gradeExercise({
    course: s.course,
    exercise: ex,
    file: fileOf(s, ex),
    lang: c.lang,
    cwd: c.cwd,
    timeScale: timeScaleFromEnv(process.env, c.lang),
  });
  if (result.status === 'pass') recordPass(s, ex);
  await prepareWidths(result);
  c.out.write(
    renderResult(result, pick(ex.titles, c.lang, s.course.languages) ?? ex.id, styleFor(c.out), c.lang, {
      width: columnsOf(c.out),
    }),
  );
  if (result.status === 'pass') {
    const t = uiText(c.lang);
    const next = current(s);
    c.out.write(`${t.verified(ex.id)} ${next ? t.nextUp(next.id) : t.allDone}\n`);
  }
}

function openEditor(c: CommandContext, file: string): void {
  const { argv, verbatim, editor } = editorCommand(file);
  const [cmd = '', ...args] = argv;
  const r = spawnSync(cmd, args, { stdio: 'inherit', windowsVerbatimArguments: verbatim });
  if (r.error) c.err.write(`${editor}: ${r.error.message}\n`);
}
