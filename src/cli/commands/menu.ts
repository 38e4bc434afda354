// `socketlings` with no arguments: the guided menu. Without a terminal it prints the equivalent commands instead,
// so it never hangs on a silent pipe and never picks a choice by itself.
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Exercise, pick } from '../../app/course.js';
import { EXIT } from '../../app/errors.js';
import { gradeExercise, timeScaleFromEnv } from '../../app/grade.js';
import { initWorkspace } from '../../app/init.js';
import { workspaceRootOf } from '../../app/locate.js';
import { isDone } from '../../app/progress.js';
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
import { type Choice, canAsk, choose, confirm } from '../../ui/ask.js';
import { type UiText, uiText } from '../../ui/i18n.js';
import { renderProgress } from '../../ui/progress-view.js';
import { renderResult } from '../../ui/report.js';
import { styleFor } from '../../ui/style.js';
import { cliCommand } from '../../wire/invocation.js';
import { editorCommand } from '../../wire/shell.js';
import type { CommandContext } from '../run.js';
import { sessionFor } from './learn.js';

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

export async function menu(ctx: CommandContext): Promise<number> {
  const t = uiText(ctx.lang);
  const inWorkspace = Boolean(workspaceRootOf(ctx.cwd));
  if (!canAsk()) {
    ctx.out.write(equivalents(ctx, inWorkspace));
    return EXIT.ok;
  }
  let cwd = ctx.cwd;
  if (!inWorkspace) {
    const yes = await confirm(t.noWorkspaceHere, true);
    if (!yes) {
      ctx.out.write(equivalents(ctx, false));
      return EXIT.ok;
    }
    const course = openCourse(ctx);
    const r = initWorkspace({ course, coursePath: ctx.course, dir: 'socketlings', cwd, lang: ctx.lang });
    ctx.out.write(`${t.initDone('socketlings', course.exercises.length)}\n`);
    cwd = r.workspace.root;
  }
  let c: CommandContext = { ...ctx, cwd };
  for (;;) {
    const session = sessionFor(c);
    const cur = current(session);
    const st = styleFor(c.out);
    const tt = uiText(c.lang);
    const action = await choose<Action>(tt.menuQuestion, menuChoices(Boolean(cur), tt, cur?.id));
    if (action === undefined || action === 'quit') return EXIT.ok;
    switch (action) {
      case 'continue':
        if (cur) await showExercise(c, session, cur);
        break;
      case 'lessons':
        c.out.write(renderProgress(session.course, session.progress, cur?.id, c.lang, st));
        break;
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
          if (shown.length === total) c.out.write(`${st.dim(tt.noMoreHints)}\n`);
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
        const lang = await choose<Lang>(tt.menuLang, [
          { name: 'English', value: 'en' },
          { name: '简体中文', value: 'zh-CN' },
        ]);
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

function showExercise(c: CommandContext, s: Session, ex: Exercise): void {
  const t = uiText(c.lang);
  const st = styleFor(c.out);
  setCurrent(s, ex);
  const lang = s.course.languages.includes(c.lang) ? c.lang : (s.course.languages[0] ?? 'en');
  const text = mustReadText(join(ex.dir, `${lang}.md`), c.cwd).replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '');
  const file = fileOf(s, ex);
  c.out.write(
    `\n${text.trimEnd()}\n\n${t.editFile} ${st.cyan(link(file, relative(c.cwd, file) || file, st.color))}\n\n`,
  );
}

async function verifyNow(c: CommandContext, s: Session, ex: Exercise): Promise<void> {
  const result = await gradeExercise({
    course: s.course,
    exercise: ex,
    file: fileOf(s, ex),
    lang: c.lang,
    cwd: s.ws.root,
    timeScale: timeScaleFromEnv(process.env, c.lang),
  });
  if (result.status === 'pass') recordPass(s, ex);
  c.out.write(
    renderResult(result, pick(ex.titles, c.lang, s.course.languages) ?? ex.id, styleFor(c.out), c.lang),
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
