// `socketlings verify <exercise>`: grade the learner's program and explain the result.

import { resolve } from 'node:path';
import { pick } from '../../app/course.js';
import { EXIT, UserError } from '../../app/errors.js';
import { writesHalted } from '../../app/files.js';
import {
  gradeExercise,
  parseSeed,
  programCwd,
  timeScaleFromEnv,
  unsupportedPython,
} from '../../app/grade.js';
import { learnerWorkspaceRoot } from '../../app/locate.js';
import { appText } from '../../app/messages.js';
import { mustFindExercise, openCourse } from '../../app/select.js';
import { current, fileOf, verifyInSession } from '../../app/session.js';
import { watchStates } from '../../app/wire-watch.js';
import type { Status } from '../../grading/results.js';
import { safeJson } from '../../grading/safe-text.js';
import { sandboxLine } from '../../grading/sandbox-text.js';
import { say, widthOf } from '../../ui/fit.js';
import { uiText } from '../../ui/i18n.js';
import { prepareWidths, renderResult } from '../../ui/report.js';
import { styleFor } from '../../ui/style.js';
import { OLDEST_PYTHON_TEXT } from '../../wire/python.js';
import type { CommandContext } from '../context.js';
import { sessionFor } from '../session.js';

export interface VerifyOptions {
  file?: string | undefined;
  run?: string | undefined;
  seed?: string | undefined;
  json?: boolean | undefined;
  /** Run the program in the sandbox `grade` uses. */
  sandbox?: boolean | undefined;
  /** With `sandbox`: as `grade`'s options of the same names. */
  sandboxUser?: string | undefined;
  memory?: string | undefined;
  disk?: string | undefined;
  /** true: the whole run drawn as a sequence diagram; false: none; unset: a compact one when a check fails. */
  wire?: boolean | undefined;
  /** Every transcript line, runs of small pieces not folded. */
  verbose?: boolean | undefined;
}

/** A skip is not the learner's fault (this machine lacks IPv6 or AF_UNIX), so it does not fail a run. */
export function exitFor(status: Status): number {
  switch (status) {
    case 'pass':
    case 'skip':
      return EXIT.ok;
    case 'fail':
      return EXIT.failed;
    case 'error':
      return EXIT.internal;
    default: {
      const never: never = status;
      return never;
    }
  }
}

export async function verify(ctx: CommandContext, id: string | undefined, o: VerifyOptions): Promise<number> {
  // Inside a workspace, verifying is working on an exercise: it becomes current, and a pass is recorded.
  const session = learnerWorkspaceRoot(ctx.cwd) ? sessionFor(ctx) : undefined;
  const course = session?.course ?? openCourse(ctx);
  const key = id ?? (session ? current(session)?.id : undefined);
  if (!key) throw new UserError(uiText(ctx.lang).whichExercise('verify'));
  const exercise = mustFindExercise(course, key, ctx.lang);
  const own = session && !o.run && (!o.file || resolve(ctx.cwd, o.file) === fileOf(session, exercise));
  // Options are checked before the state sampler starts: its thread would keep a refused command alive.
  const seed = parseSeed(o.seed, ctx.lang);
  const timeScale = timeScaleFromEnv(process.env, ctx.lang);
  const sandboxOptions = { user: o.sandboxUser, memory: o.memory, disk: o.disk };
  if (!o.sandbox && Object.values(sandboxOptions).some((v) => v !== undefined))
    throw new UserError(appText(ctx.lang).sandboxOptionsAlone);
  // The sandbox's worker machinery is loaded only for the run that uses it.
  const isolated = o.sandbox ? await import('../../app/isolated.js') : undefined;
  const plan = isolated?.sandboxPlan(sandboxOptions, ctx.lang);
  const states = o.json || o.wire === false ? undefined : watchStates();
  // Asked before the grading (remembered, so a Python start once a day at most): an interpreter that is no
  // Python 3 is refused rather than blamed on the learner; an old one is said once the grading is done.
  const oldPython = await unsupportedPython({
    run: o.run,
    cwd: programCwd({ course, exercise, file: o.file, run: o.run, cwd: ctx.cwd, lang: ctx.lang }),
    lang: ctx.lang,
  }).catch(async (err: unknown) => {
    await states?.finish([]);
    throw err;
  });
  const graded =
    session && own
      ? verifyInSession(session, exercise, ctx, {
          seed,
          sandbox: o.sandbox,
          ...(plan ? { plan } : {}),
          ...(states ? { onEvent: states.onEvent } : {}),
        })
      : (isolated?.verifyIsolated ?? gradeExercise)({
          ...(plan ? { plan } : {}),
          course,
          coursePath: ctx.course,
          exercise,
          file: o.file,
          run: o.run,
          seed,
          lang: ctx.lang,
          cwd: ctx.cwd,
          timeScale,
          ...(states ? { onEvent: states.onEvent } : {}),
        });
  const result = await graded.catch(async (err: unknown) => {
    await states?.finish([]);
    throw err;
  });
  // Interrupted: the program was stopped by our own signal, so this result says nothing about it.
  if (writesHalted()) return EXIT.interrupted;
  const wireStates = await states?.finish(result.checks.flatMap((c) => c.transcript));
  const old = oldPython;
  if (old) say(ctx.err, `socketlings: ${uiText(ctx.lang).pythonTooOld(old, OLDEST_PYTHON_TEXT)}`);
  if (o.json) {
    ctx.out.write(`${safeJson(result, 2)}\n`);
    return exitFor(result.status);
  }
  const title = pick(exercise.titles, ctx.lang, course.languages) ?? exercise.id;
  // Wrapped for a screen (or $COLUMNS): piped output keeps one line per line, for grep and scripts.
  const width = widthOf(ctx.out);
  await prepareWidths(result);
  ctx.out.write(renderResult(result, title, styleFor(ctx.out), ctx.lang, { width, verbose: o.verbose }));
  if (result.sandbox) ctx.out.write(`${styleFor(ctx.out).dim(sandboxLine(result.sandbox, ctx.lang))}\n`);
  if (wireStates && (o.wire || result.status === 'fail' || result.status === 'error')) {
    const { wireView } = await import('../../ui/wire-call.js');
    ctx.out.write(
      wireView(
        result,
        wireStates,
        Boolean(o.wire),
        ctx,
        `${o.file ? ` --file ${o.file}` : ''}${o.run ? ` --run ${JSON.stringify(o.run)}` : ''}`,
      ),
    );
  }
  if (session && own && result.status === 'pass') {
    const t = uiText(ctx.lang);
    const next = current(session);
    say(ctx.out, `${t.verified(exercise.id)} ${next ? t.nextUp(next.id) : t.allDone}`);
  }
  return exitFor(result.status);
}
