// `socketlings dev check`: the quality gate for a course pack.
import { builtinCourseDir, loadCourse } from '../../app/course.js';
import { devCheck } from '../../app/devcheck.js';
import { EXIT, UserError } from '../../app/errors.js';
import { parseSeed, timeScaleFromEnv } from '../../app/grade.js';
import { appText } from '../../app/messages.js';
import { scaffoldPack } from '../../app/scaffold.js';
import { courseDir } from '../../app/select.js';
import { formatFileError } from '../../grading/schema/load.js';
import { uiText } from '../../ui/i18n.js';
import { styleFor } from '../../ui/style.js';
import type { CommandContext } from '../context.js';

export async function devCheckCommand(
  ctx: CommandContext,
  o: { seed?: string | undefined; jobs?: string | undefined; json?: boolean | undefined },
): Promise<number> {
  const t = appText(ctx.lang);
  const dir = courseDir(ctx);
  const loaded = loadCourse(dir, ctx.cwd, { graders: true });
  if (!loaded.ok) {
    const list = loaded.errors.map(formatFileError).join('\n');
    throw new UserError(
      t.packProblems(ctx.course ?? builtinCourseDir(), loaded.errors.length, list),
      t.packFixNext,
    );
  }
  const jobs = o.jobs === undefined ? undefined : Number(o.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 64))
    throw new UserError(t.badJobs(String(o.jobs)));
  const s = styleFor(ctx.out);
  const started = Date.now();
  const verdicts = await devCheck({
    course: loaded.value,
    coursePath: ctx.course,
    lang: ctx.lang,
    cwd: ctx.cwd,
    seed: parseSeed(o.seed, ctx.lang),
    jobs,
    timeScale: timeScaleFromEnv(process.env, ctx.lang),
    onVerdict: (v) => {
      if (o.json) return;
      const mark = v.problems.length ? s.bad : s.ok;
      const detail = v.problems.length ? `\n${v.problems.map((p) => `    ${p}`).join('\n')}` : '';
      ctx.out.write(
        `  ${mark} ${v.exercise.id.padEnd(20)} ${s.dim(`stub ${v.stub.status}, solution ${v.solution.status}`)}${detail}\n`,
      );
    },
  });
  const bad = verdicts.filter((v) => v.problems.length);
  if (o.json) {
    const data = verdicts.map((v) => ({
      exercise: v.exercise.id,
      stub: v.stub.status,
      solution: v.solution.status,
      problems: v.problems,
      ms: Math.max(v.stub.duration, v.solution.duration),
    }));
    ctx.out.write(`${JSON.stringify({ ok: bad.length === 0, exercises: data }, null, 2)}\n`);
  } else {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    ctx.out.write(
      `\n${bad.length ? s.red(`${bad.length} of ${verdicts.length} exercises have problems`) : s.green(`all ${verdicts.length} exercises sound`)}: schema and rules hold, stubs fail, solutions pass, do-nothing and constant programs score 0 (${secs} s)\n`,
    );
  }
  return bad.length ? EXIT.failed : EXIT.ok;
}

export async function devNew(ctx: CommandContext, dir: string): Promise<number> {
  scaffoldPack(dir, ctx.cwd);
  ctx.out.write(`${uiText(ctx.lang).devNewDone(dir)}\n`);
  return EXIT.ok;
}
