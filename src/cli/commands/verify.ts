// `socketlings verify <exercise>`: grade the learner's program and explain the result.
import { pick } from '../../app/course.js';
import { EXIT } from '../../app/errors.js';
import { gradeExercise, parseSeed, timeScaleFromEnv } from '../../app/grade.js';
import { mustFindExercise, openCourse } from '../../app/select.js';
import type { Status } from '../../grading/results.js';
import { renderResult } from '../../ui/report.js';
import { styleFor } from '../../ui/style.js';
import type { CommandContext } from '../run.js';

export interface VerifyOptions {
  file?: string | undefined;
  run?: string | undefined;
  seed?: string | undefined;
  json?: boolean | undefined;
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

export async function verify(ctx: CommandContext, id: string, o: VerifyOptions): Promise<number> {
  const course = openCourse(ctx);
  const exercise = mustFindExercise(course, id, ctx.lang);
  const result = await gradeExercise({
    course,
    coursePath: ctx.course,
    exercise,
    file: o.file,
    run: o.run,
    seed: parseSeed(o.seed, ctx.lang),
    lang: ctx.lang,
    cwd: ctx.cwd,
    timeScale: timeScaleFromEnv(process.env, ctx.lang),
  });
  if (o.json) ctx.out.write(`${JSON.stringify(result, null, 2)}\n`);
  else
    ctx.out.write(
      renderResult(
        result,
        pick(exercise.titles, ctx.lang, course.languages) ?? id,
        styleFor(ctx.out),
        ctx.lang,
      ),
    );
  return exitFor(result.status);
}
