// The learner's small commands: init, progress, hint, solution, reset.
import { join, relative } from 'node:path';
import { parseSource, writeCi } from '../../app/ci.js';
import { pick } from '../../app/course.js';
import { EXIT, UserError } from '../../app/errors.js';
import { initWorkspace } from '../../app/init.js';
import { workspaceRootOf } from '../../app/locate.js';
import { isDone } from '../../app/progress.js';
import { mustFindExercise, mustLoadHints, openCourse } from '../../app/select.js';
import { current, fileOf, nextHint, resetExercise, solutionText } from '../../app/session.js';
import { confirm } from '../../ui/ask.js';
import { uiText } from '../../ui/i18n.js';
import { renderProgress } from '../../ui/progress-view.js';
import { styleFor } from '../../ui/style.js';
import { cliCommand } from '../../wire/invocation.js';
import type { CommandContext } from '../run.js';
import { sessionFor } from '../session.js';
import { version } from '../version.js';

export async function init(
  ctx: CommandContext,
  dir: string | undefined,
  o: { ci?: string | undefined; from?: string | undefined } = {},
): Promise<number> {
  const t = uiText(ctx.lang);
  if (o.ci !== undefined && o.ci !== 'github') throw new UserError(t.badCi(o.ci));
  if (o.from !== undefined && !o.ci) throw new UserError(t.fromWithoutCi, t.fromNext);
  const source = o.from === undefined ? undefined : parseSource(o.from, ctx.cwd);
  if (o.from !== undefined && !source) throw new UserError(t.badFrom(o.from), t.fromNext);
  const course = openCourse(ctx);
  // In an existing workspace, --ci only adds the CI files.
  const here = workspaceRootOf(ctx.cwd);
  if (o.ci && !dir && here) {
    for (const f of writeCi(here, course, version(), source)) ctx.out.write(`${t.wrote(f)}\n`);
    return EXIT.ok;
  }
  const target = dir ?? 'socketlings';
  const r = initWorkspace({ course, coursePath: ctx.course, dir: target, cwd: ctx.cwd, lang: ctx.lang });
  ctx.out.write(`${t.initDone(relative(ctx.cwd, r.workspace.root) || '.', course.exercises.length)}\n`);
  if (o.ci)
    for (const f of writeCi(r.workspace.root, course, version(), source))
      ctx.out.write(`${t.wrote(join(target, f))}\n`);
  ctx.out.write(`${t.initNext(target, cliCommand())}\n`);
  return EXIT.ok;
}

export async function progress(ctx: CommandContext, o: { json?: boolean | undefined }): Promise<number> {
  const s = sessionFor(ctx);
  const cur = current(s);
  if (o.json) {
    const data = {
      course: s.course.id,
      current: cur?.id ?? null,
      done: s.course.exercises.filter((e) => isDone(s.progress, e.id)).map((e) => e.id),
      total: s.course.exercises.length,
      progress: s.progress,
    };
    ctx.out.write(`${JSON.stringify(data, null, 2)}\n`);
  } else ctx.out.write(renderProgress(s.course, s.progress, cur?.id, ctx.lang, styleFor(ctx.out)));
  return EXIT.ok;
}

export async function hint(ctx: CommandContext, id: string | undefined): Promise<number> {
  const t = uiText(ctx.lang);
  const st = styleFor(ctx.out);
  const inWorkspace = (() => {
    try {
      return sessionFor(ctx);
    } catch (err) {
      if (err instanceof UserError) return undefined;
      throw err;
    }
  })();
  const course = inWorkspace?.course ?? openCourse(ctx);
  const key = id ?? (inWorkspace ? current(inWorkspace)?.id : undefined);
  if (!key) throw new UserError(t.whichExercise('hint'));
  const ex = mustFindExercise(course, key, ctx.lang);
  if (!inWorkspace) {
    const all = mustLoadHints(ex, course, ctx.lang, ctx.cwd);
    const hints = all[ctx.lang] ?? pick(all, ctx.lang, course.languages) ?? [];
    ctx.out.write(
      `${st.bold(t.hintOf(1, hints.length))}: ${hints[0] ?? ''}\n${st.dim(t.hintOutside(hints.length))}\n`,
    );
    return EXIT.ok;
  }
  const { shown, total } = nextHint(inWorkspace, ex, ctx.lang);
  shown.forEach((h, i) => {
    ctx.out.write(`${st.bold(t.hintOf(i + 1, total))}: ${h}\n`);
  });
  if (shown.length === total) ctx.out.write(`${st.dim(t.noMoreHints(ex.id))}\n`);
  return EXIT.ok;
}

export async function solution(
  ctx: CommandContext,
  id: string,
  o: { yes?: boolean | undefined },
): Promise<number> {
  const t = uiText(ctx.lang);
  const s = sessionFor(ctx);
  const ex = mustFindExercise(s.course, id, ctx.lang);
  if (!isDone(s.progress, ex.id) && !o.yes) {
    const ok = await confirm(t.solutionNotYet);
    if (ok === undefined) throw new UserError(t.solutionNeedsYes);
    if (!ok) {
      ctx.out.write(`${t.cancelled}\n`);
      return EXIT.ok;
    }
  }
  ctx.out.write(`${styleFor(ctx.out).dim(`# ${relative(ctx.cwd, ex.solutionPath)}`)}\n${solutionText(ex)}`);
  return EXIT.ok;
}

export async function reset(
  ctx: CommandContext,
  id: string | undefined,
  o: { all?: boolean; yes?: boolean },
): Promise<number> {
  const t = uiText(ctx.lang);
  const s = sessionFor(ctx);
  if (!id && !o.all) throw new UserError(t.whichExercise('reset'), t.orAll);
  const targets = o.all ? s.course.exercises : [mustFindExercise(s.course, id as string, ctx.lang)];
  const what = o.all ? t.resetAllWhat : relative(ctx.cwd, fileOf(s, targets[0] as (typeof targets)[number]));
  if (!o.yes) {
    const ok = await confirm(t.resetConfirm(what));
    if (ok === undefined) throw new UserError(t.resetNeedsYes);
    if (!ok) {
      ctx.out.write(`${t.cancelled}\n`);
      return EXIT.ok;
    }
  }
  for (const ex of targets) resetExercise(s, ex);
  ctx.out.write(`${t.resetDone(what)}\n`);
  return EXIT.ok;
}
