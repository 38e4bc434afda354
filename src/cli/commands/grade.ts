// `socketlings grade`: score a submission (or a folder of them) against an assignment, for CI and instructors.

import { basename, join, resolve } from 'node:path';
import {
  checkAssignment,
  defaultAssignment,
  type LoadedAssignment,
  loadAssignment,
  threshold,
} from '../../app/assignment.js';
import {
  checkBatchPaths,
  classFolders,
  defaultJobs,
  gradeBatch,
  parseShard,
  studentsIn,
} from '../../app/batch.js';
import { classDigest } from '../../app/digest.js';
import { EXIT, UserError } from '../../app/errors.js';
import { parseSeed, pinnedInterpreter, timeScaleFromEnv, unsupportedPython } from '../../app/grade.js';
import { Interrupted, isStopping } from '../../app/interrupt.js';
import {
  Isolation,
  memoryOvercommit,
  type SandboxPlan,
  sandboxFolders,
  sandboxPlan,
} from '../../app/isolated.js';
import { writeShardManifest } from '../../app/merge.js';
import { appText } from '../../app/messages.js';
import { checkOutFolder } from '../../app/out-folders.js';
import { openCourse } from '../../app/select.js';
import { assemble, gradeSubmission } from '../../app/submission.js';
import { classRows } from '../../grading/class-rows.js';
import {
  FOR_CLASS,
  REPORTERS,
  type ReporterName,
  reporterNames,
  reporterSpec,
  writesFiles,
} from '../../grading/reporters/registry.js';
import { shownName } from '../../grading/safe-text.js';
import type { GradeReport, ScoredExercise } from '../../grading/score.js';
import { sizeText } from '../../grading/text.js';
import { renderClassTable } from '../../ui/class-table.js';
import { classText } from '../../ui/class-text.js';
import { uiText } from '../../ui/i18n.js';
import { columnsOf } from '../../ui/markdown.js';
import { bar } from '../../ui/progress-view.js';
import { styleFor } from '../../ui/style.js';
import { OLDEST_PYTHON_TEXT } from '../../wire/python.js';
import { sandboxSupport } from '../../wire/sandbox.js';
import type { CommandContext } from '../context.js';
import { emit, tellWritten, writeClass } from './grade-output.js';

export interface GradeOptions {
  assignment?: string;
  reporter?: string[];
  out?: string;
  seed?: string;
  submissions?: string;
  jobs?: string;
  csv?: string;
  shard?: string;
  force?: boolean;
  sandbox?: boolean;
  student?: string;
  /** Whom programs run as when the grader is root (`nobody` unless told). */
  sandboxUser?: string;
  /** Memory of each program's whole process tree, e.g. `512M`. */
  memory?: string;
  /** Disk a student's programs may write at once, e.g. `64M`. */
  disk?: string;
}

function reportersOf(names: string[] | undefined, lang: CommandContext['lang']): ReporterName[] {
  const { known, bad } = reporterNames(names?.length ? names : ['pretty'], REPORTERS);
  if (bad.length) throw new UserError(uiText(lang).badReporter(bad.join(', '), REPORTERS.join(', ')));
  return known;
}

/** Entries of the class folder that cannot be graded, each said on one line with its fix; how many. */
function tellSkipped(ctx: CommandContext, submissions: string, out: string, csv: string): number {
  const t = appText(ctx.lang);
  const { skipped, hidden, links } = classFolders(submissions, out, ctx.lang, csv);
  if (links.length) {
    const names = links.slice(0, 5).map(shownName).join(', ') + (links.length > 5 ? ', …' : '');
    ctx.err.write(`socketlings: ${t.classLinks(links.length, names)}\n`);
  }
  // Said once, not counted as a problem: a class folder that is a git checkout always has one.
  if (hidden.length) {
    const names = hidden.slice(0, 5).map(shownName).join(', ') + (hidden.length > 5 ? ', …' : '');
    ctx.err.write(`socketlings: ${t.classHidden(hidden.length, names)}\n`);
  }
  for (const e of skipped) ctx.err.write(`socketlings: ${t.classSkipped(e.shown, e.reason)}\n  → ${e.fix}\n`);
  return skipped.length;
}

/** Whether graded programs run in the sandbox, and why not when they do not. */
function isolationFor(
  ctx: CommandContext,
  o: GradeOptions,
  batch: boolean,
): { sandbox: true; bwrap: string; plan: SandboxPlan } | { sandbox: false; why: string } {
  const t = appText(ctx.lang);
  const wanted = o.sandbox;
  if (wanted === false) return { sandbox: false, why: '--no-sandbox' };
  // Checked whether or not this machine can sandbox: a mistyped option is refused either way.
  const plan = sandboxPlan({ user: o.sandboxUser, memory: o.memory, disk: o.disk }, ctx.lang);
  const support = sandboxSupport(plan.user);
  if (support.ok) return { sandbox: true, bwrap: support.bwrap, plan };
  // A class is never graded without isolation by accident; one submission (a student's own CI) may be, and says so.
  if (batch || wanted === true)
    throw new UserError(t.sandboxUnavailable(support.reason), t.sandboxBatchNext(support.fix));
  return { sandbox: false, why: support.reason };
}

export async function grade(ctx: CommandContext, o: GradeOptions, version: string): Promise<number> {
  const opened: Isolation[] = [];
  try {
    return await gradeIn(ctx, o, version, opened);
  } finally {
    // The workers' cgroups go once the workers have (the process exit would leave a busy one behind).
    await Promise.all(opened.map((w) => w.close()));
  }
}

async function gradeIn(
  ctx: CommandContext,
  o: GradeOptions,
  version: string,
  opened: Isolation[],
): Promise<number> {
  const t = appText(ctx.lang);
  const reporters = reportersOf(o.reporter, ctx.lang);
  const refused = o.submissions ? reporters.map((n) => reporterSpec(n).notForClass).find(Boolean) : undefined;
  if (refused) throw new UserError(refused[ctx.lang].why, refused[ctx.lang].next(FOR_CLASS));
  const loaded: LoadedAssignment | undefined = o.assignment
    ? loadAssignment(o.assignment, ctx.cwd, ctx.lang)
    : undefined;
  const coursePath = loaded?.coursePath ?? (ctx.course ? resolve(ctx.cwd, ctx.course) : undefined);
  const course = openCourse({ ...ctx, course: coursePath });
  const assignment = loaded?.assignment ?? defaultAssignment(course);
  checkAssignment(assignment, course, o.assignment ?? 'the default assignment', ctx.lang);
  const seed = parseSeed(o.seed, ctx.lang);
  const timeScale = timeScaleFromEnv(process.env, ctx.lang);
  const out = resolve(ctx.cwd, o.out ?? 'socketlings-report');
  const isolation = isolationFor(ctx, o, Boolean(o.submissions));
  const notIsolated = isolation.sandbox ? undefined : t.notIsolated(isolation.why);
  // The pretty report says it too; elsewhere (a batch, other reporters) this line is the only place.
  if (notIsolated && (o.submissions || !reporters.includes('pretty')))
    ctx.err.write(`socketlings: ${notIsolated}\n`);
  const base = resolve(ctx.cwd, o.submissions ?? '.');
  // One interpreter for the whole grading, found once, and the folders it needs inside the sandbox.
  const interpreter = pinnedInterpreter(assignment.python, assignment.run, base);
  const oldPython = await unsupportedPython({
    python: assignment.python,
    run: assignment.run,
    interpreter,
    cwd: base,
    lang: ctx.lang,
  });
  if (oldPython)
    ctx.err.write(`socketlings: ${uiText(ctx.lang).pythonTooOld(oldPython, OLDEST_PYTHON_TEXT)}\n`);
  const workers = isolation.sandbox
    ? new Isolation(
        {
          type: 'session',
          ...(coursePath ? { course: coursePath } : {}),
          lang: ctx.lang,
          assignment,
          ...(interpreter ? { interpreter } : {}),
          sandbox: sandboxFolders(isolation.bwrap, isolation.plan, interpreter, assignment.run, ctx.lang),
          timeScale,
          ...(seed !== undefined ? { seed } : {}),
        },
        isolation.plan,
      )
    : undefined;
  if (workers) opened.push(workers);

  if (!o.submissions) {
    if (reporters.some(writesFiles)) checkOutFolder(out, ctx.lang);
    const folder = ctx.cwd;
    const student = o.student ?? basename(folder);
    const req = {
      course,
      coursePath,
      assignment,
      folder,
      student,
      lang: ctx.lang,
      seed,
      timeScale,
      interpreter,
    };
    let report: GradeReport;
    if (workers) {
      const started = new Date();
      const exercises: ScoredExercise[] = [];
      const n = assignment.exercises.length;
      for (let i = 0; i < n; i++) exercises.push(await workers.grade(student, folder, i, i === n - 1));
      report = assemble(req, exercises, started);
    } else report = await gradeSubmission(req);
    if (isStopping()) throw new Interrupted();
    if (notIsolated) report.notIsolated = notIsolated;
    tellWritten(ctx, await emit(ctx, report, reporters, out));
    return report.status === 'pass' ? EXIT.ok : report.status === 'error' ? EXIT.internal : EXIT.failed;
  }

  const jobs = o.jobs === undefined ? undefined : Number(o.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 256))
    throw new UserError(t.badJobs(o.jobs as string));
  const ui = uiText(ctx.lang);
  const s = styleFor(ctx.err);
  const showBar = Boolean(ctx.err.isTTY);
  const submissions = resolve(ctx.cwd, o.submissions);
  const csv = resolve(ctx.cwd, o.csv ?? join(out, 'gradebook.csv'));
  checkBatchPaths(submissions, out, csv, ctx.lang);
  const skipped = tellSkipped(ctx, submissions, out, csv);
  if (isolation.sandbox) {
    const over = memoryOvercommit(jobs ?? defaultJobs(), isolation.plan);
    if (over)
      ctx.err.write(
        `socketlings: ${t.memoryOvercommit(over.jobs, sizeText(over.each), sizeText(over.jobs * over.each), sizeText(over.have))}\n`,
      );
  }
  const names: Record<string, string> = {
    version: t.changedVersion,
    assignment: t.changedAssignment,
    course: t.changedCourse,
    files: t.changedFiles,
    isolation: t.changedIsolation,
  };
  const shard = parseShard(o.shard, ctx.lang);
  const perStudent = reporters.filter((n) => reporterSpec(n).eachStudent);
  const entries = await gradeBatch({
    course,
    coursePath,
    assignment,
    submissions,
    out,
    csv,
    jobs: jobs ?? defaultJobs(),
    shard,
    force: Boolean(o.force),
    lang: ctx.lang,
    seed,
    timeScale,
    version,
    isolation: workers,
    notIsolated,
    interpreter,
    writeStudent: (report, dir) => void emit(ctx, report, perStudent, dir, true),
    onRegrade: (student, changed) => {
      if (showBar) ctx.err.write('\n');
      ctx.err.write(`${t.regraded(shownName(student), changed.map((c) => names[c] ?? c).join(', '))}\n`);
    },
    onStudent: (e, done, total) => {
      if (showBar)
        ctx.err.write(
          `\r${bar(done, total, 30)} ${done}/${total} ${s.dim(shownName(e.student).slice(0, 30).padEnd(30))}`,
        );
      else
        ctx.err.write(
          `${ui.batchLine(shownName(e.student), e.report.points, e.report.maxPoints, e.resumed)}\n`,
        );
    },
  });
  if (isStopping()) throw new Interrupted();
  if (showBar) ctx.err.write('\n');
  // What `grade merge` needs to combine this run with the other shards of the class.
  writeShardManifest(out, {
    format: 1,
    assignment: assignment.title,
    assignmentDigest: classDigest(assignment, course),
    courseVersion: course.version,
    exercises: assignment.exercises.map((e) => ({ id: e.id, points: e.points })),
    threshold: threshold(assignment),
    ...(shard ? { shard } : {}),
    students: studentsIn(submissions, out, csv),
    graded: entries.map((e) => e.student),
    ...(seed !== undefined ? { seed } : {}),
  });
  const reports = entries.map((e) => e.report as unknown as GradeReport);
  const written = await writeClass(ctx, { reporters, reports, entries, out, csv, assignment, submissions });
  written.push({ path: join(out, 'shard.json'), what: classText(ctx.lang).what.shard });
  if (entries.length) {
    const names = perStudent.flatMap((n) => reporterSpec(n).files ?? []);
    written.push({
      path: join(out, '<student>', ['report.json', ...names].join(', ')),
      what: classText(ctx.lang).what.perStudent(entries.length),
    });
  }
  const width = columnsOf(ctx.out);
  if (reporters.includes('pretty'))
    ctx.out.write(
      renderClassTable(
        classRows(reports).map((r) => ({ ...r, student: shownName(r.student) })),
        { width, style: styleFor(ctx.out), lang: ctx.lang, exercises: assignment.exercises.length },
      ),
    );
  const passed = entries.filter((e) => e.report.status === 'pass').length;
  ctx.out.write(`${classText(ctx.lang).graded(entries.length, passed)}\n`);
  tellWritten(ctx, written);
  // The class was graded, but not all of it: an input problem the instructor must fix, whatever the grades.
  if (skipped > 0) {
    ctx.err.write(`socketlings: ${t.classSkippedSummary(skipped)}\n`);
    return EXIT.usage;
  }
  if (entries.some((e) => e.report.status === 'error')) return EXIT.internal;
  return passed === entries.length ? EXIT.ok : EXIT.failed;
}
