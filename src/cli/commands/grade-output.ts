// What `grade` writes: each reporter's view of one submission, the class-wide views of a batch, and the list of
// files written that ends the output.
import { appendFileSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LoadedAssignment } from '../../app/assignment.js';
import { type BatchEntry, writeGradebook } from '../../app/batch.js';
import { writeAtomic, writesHalted } from '../../app/files.js';
import { type Output, type ReporterName, reporterSpec } from '../../grading/reporters/registry.js';
import type { GradeReport } from '../../grading/score.js';
import { renderWritten, type WrittenFile } from '../../ui/class-table.js';
import { classText } from '../../ui/class-text.js';
import { renderGrade } from '../../ui/grade-view.js';
import { columnsOf } from '../../ui/markdown.js';
import { styleFor } from '../../ui/style.js';
import type { CommandContext } from '../context.js';

/** A path as the person who ran the command reads it: relative below the folder they are in. */
function shownPath(ctx: CommandContext, file: string): string {
  const rel = relative(ctx.cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * Puts a reporter's outputs where they go, and adds each file written to `written`. `quiet` (a student of a
 * batch): only files, stdout is the class's.
 */
function put(
  ctx: CommandContext,
  outputs: Output[],
  dir: string,
  written: WrittenFile[],
  quiet: boolean,
): void {
  const toFile = (file: string, text: string, what: string) => {
    mkdirSync(dir, { recursive: true });
    writeAtomic(join(dir, file), text);
    written.push({ path: join(dir, file), what });
  };
  for (const o of outputs) {
    if ('file' in o) toFile(o.file, o.text, o.what[ctx.lang]);
    else if (quiet) continue;
    else if ('stdout' in o) ctx.out.write(o.stdout);
    else {
      const target = process.env[o.env];
      if (target) {
        appendFileSync(target, o.append);
        written.push({ path: `$${o.env}`, what: o.what[ctx.lang] });
      } else if (o.orFile) toFile(o.orFile.file, o.append, o.orFile.what[ctx.lang]);
      else ctx.out.write(o.append);
    }
  }
}

/**
 * Where the CI runner's checkout is (GitHub: its workspace, which annotations name files from), else here. A
 * workspace in a folder of the repository grades from there, while the runner wants paths from the checkout.
 */
function checkoutRoot(ctx: CommandContext): string {
  return process.env.GITHUB_WORKSPACE ? resolve(process.env.GITHUB_WORKSPACE) : ctx.cwd;
}

/** A path from the checkout, with forward slashes; undefined outside it. */
function fromCheckout(ctx: CommandContext, path: string): string | undefined {
  const rel = relative(checkoutRoot(ctx), resolve(ctx.cwd, path));
  return rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
}

/** The report with each graded file named as the checkout names it, for reporters that point at files. */
function asCheckedOut(ctx: CommandContext, r: GradeReport): GradeReport {
  if (checkoutRoot(ctx) === ctx.cwd) return r;
  return {
    ...r,
    exercises: r.exercises.map((e) => {
      const file = e.result.file === undefined ? undefined : fromCheckout(ctx, e.result.file);
      const { file: _, ...rest } = e.result;
      return { ...e, result: file === undefined ? rest : { ...rest, file } };
    }),
  };
}

/**
 * What each reporter writes for one submission. `quiet` (a student of a batch): only the files of the reporters
 * written for each student; the class-wide views are written once the class is graded (see writeClass). Learner
 * output reaches CI only through these. Returns the files written, with what each is.
 */
export async function emit(
  ctx: CommandContext,
  r: GradeReport,
  reporters: ReporterName[],
  dir: string,
  quiet = false,
): Promise<WrittenFile[]> {
  // Interrupted: the gradings that ended meanwhile saw programs stopped by our own signal; no verdict to give.
  if (writesHalted()) return [];
  const written: WrittenFile[] = [];
  for (const name of reporters) {
    const spec = reporterSpec(name);
    if (spec.terminal) {
      if (!quiet) ctx.out.write(renderGrade(r, styleFor(ctx.out), ctx.lang));
    } else if (spec.one && (!quiet || spec.eachStudent))
      put(ctx, await spec.one(asCheckedOut(ctx, r), ctx.lang), dir, written, quiet);
  }
  return written;
}

/**
 * The list of files written, last, on stderr: stdout may be read by a program (the Classroom line without
 * $GITHUB_OUTPUT, the annotations), and a line of ours there would be taken for data.
 */
export function tellWritten(ctx: CommandContext, files: WrittenFile[]): void {
  const shown = files.map((f) => ({ ...f, path: f.path.startsWith('$') ? f.path : shownPath(ctx, f.path) }));
  ctx.err.write(
    renderWritten(shown, { lang: ctx.lang, style: styleFor(ctx.err), width: columnsOf(ctx.err) }),
  );
}

/** The class-wide views once every student is graded: the gradebook, and what each reporter writes for a class. */
export async function writeClass(
  ctx: CommandContext,
  c: {
    reporters: ReporterName[];
    reports: GradeReport[];
    entries: BatchEntry[];
    out: string;
    csv: string;
    assignment: LoadedAssignment['assignment'];
    submissions: string;
  },
): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  mkdirSync(resolve(c.csv, '..'), { recursive: true });
  writeGradebook(c.csv, c.entries, c.assignment);
  written.push({ path: c.csv, what: classText(ctx.lang).what.gradebook });
  for (const name of c.reporters) {
    const view = reporterSpec(name).class;
    if (!view) continue;
    const outputs = await view({
      title: c.assignment.title,
      exercises: c.assignment.exercises,
      students: c.reports.map((report) => ({ student: report.student ?? '', report })),
      lang: ctx.lang,
      // Annotations go on a student's file as the runner's checkout names it.
      fileOf: (student, file) => fromCheckout(ctx, join(c.submissions, student, file)),
    });
    put(ctx, outputs, c.out, written, false);
  }
  return written;
}
