// What `grade` writes: each reporter's view of one submission, the class-wide views of a batch, and the list of
// files written that ends the output.
import { appendFileSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LoadedAssignment } from '../../app/assignment.js';
import { type BatchEntry, writeGradebook } from '../../app/batch.js';
import { writeAtomic, writesHalted } from '../../app/files.js';
import type { ReporterName } from '../../grading/reporters/names.js';
import type { GradeReport } from '../../grading/score.js';
import { renderWritten, type WrittenFile } from '../../ui/class-table.js';
import { classText } from '../../ui/class-text.js';
import { renderGrade } from '../../ui/grade-view.js';
import { columnsOf } from '../../ui/markdown.js';
import { styleFor } from '../../ui/style.js';
import type { CommandContext } from '../run.js';

export { REPORTERS } from '../../grading/reporters/names.js';
export type Reporter = ReporterName;

/** A path as the person who ran the command reads it: relative below the folder they are in. */
function shownPath(ctx: CommandContext, file: string): string {
  const rel = relative(ctx.cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * What each reporter writes for one submission. `quiet` (a student of a batch): only the files in the student's
 * folder; the class-wide views are written once the class is graded (see writeClass). Learner output reaches CI
 * only through these. Returns the files written, with what each is.
 */
export async function emit(
  ctx: CommandContext,
  r: GradeReport,
  reporters: Reporter[],
  dir: string,
  quiet = false,
): Promise<WrittenFile[]> {
  // Interrupted: the gradings that ended meanwhile saw programs stopped by our own signal; no verdict to give.
  if (writesHalted()) return [];
  const what = classText(ctx.lang).what;
  const written: WrittenFile[] = [];
  const wrote = (file: string, text: string, kind: string) => {
    writeAtomic(file, text);
    written.push({ path: file, what: kind });
  };
  const files = reporters.filter((x) => x === 'json' || x === 'junit');
  if (files.length) mkdirSync(dir, { recursive: true });
  for (const rep of reporters) {
    switch (rep) {
      case 'pretty':
        if (!quiet) ctx.out.write(renderGrade(r, styleFor(ctx.out), ctx.lang));
        break;
      case 'json': {
        const { jsonReport } = await import('../../grading/reporters/json.js');
        wrote(join(dir, 'results.json'), jsonReport(r), what.json);
        break;
      }
      case 'junit': {
        const { junitReport } = await import('../../grading/reporters/junit.js');
        wrote(join(dir, 'junit.xml'), junitReport(r), what.junit);
        break;
      }
      case 'github': {
        if (quiet) break;
        const { githubReport, newStopToken } = await import('../../grading/reporters/github.js');
        const { log, summary } = githubReport(r, newStopToken());
        ctx.out.write(log);
        const target = process.env.GITHUB_STEP_SUMMARY;
        if (target) {
          appendFileSync(target, summary);
          written.push({ path: '$GITHUB_STEP_SUMMARY', what: what.stepSummary });
        } else wrote(join(dir, 'summary.md'), summary, what.summary);
        break;
      }
      case 'classroom': {
        if (quiet) break;
        const { classroomOutputLine } = await import('../../grading/reporters/classroom.js');
        const line = `${classroomOutputLine(r)}\n`;
        const target = process.env.GITHUB_OUTPUT;
        if (target) {
          appendFileSync(target, line);
          written.push({ path: '$GITHUB_OUTPUT', what: what.output });
        } else ctx.out.write(line);
        break;
      }
      case 'html': {
        // One student's report; a batch writes the class report once all are graded (see writeClass).
        if (quiet) break;
        mkdirSync(dir, { recursive: true });
        wrote(join(dir, 'report.html'), await classHtml(r.assignment, [r], ctx.lang), what.htmlOne);
        break;
      }
      default: {
        const never: never = rep;
        return never;
      }
    }
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

/** The HTML class report of these students' reports (loaded only when asked for). */
export async function classHtml(
  title: string,
  reports: GradeReport[],
  lang: CommandContext['lang'],
  exercises: { id: string }[] = reports[0]?.exercises ?? [],
): Promise<string> {
  const { htmlReport } = await import('../../grading/reporters/html.js');
  return htmlReport({
    assignment: { title, exercises },
    students: reports.map((report) => ({ student: report.student ?? '', report })),
    lang,
  });
}

/** The class-wide views once every student is graded: the gradebook, and what each reporter writes for a class. */
export async function writeClass(
  ctx: CommandContext,
  c: {
    reporters: Reporter[];
    reports: GradeReport[];
    entries: BatchEntry[];
    out: string;
    csv: string;
    assignment: LoadedAssignment['assignment'];
    submissions: string;
  },
): Promise<WrittenFile[]> {
  const what = classText(ctx.lang).what;
  const written: WrittenFile[] = [];
  mkdirSync(resolve(c.csv, '..'), { recursive: true });
  writeGradebook(c.csv, c.entries, c.assignment);
  written.push({ path: c.csv, what: what.gradebook });
  const title = c.assignment.title;
  for (const rep of c.reporters)
    switch (rep) {
      case 'html': {
        const file = join(c.out, 'report.html');
        writeAtomic(file, await classHtml(title, c.reports, ctx.lang, c.assignment.exercises));
        written.push({ path: file, what: what.html });
        break;
      }
      case 'junit': {
        const { junitClassReport } = await import('../../grading/reporters/junit.js');
        const file = join(c.out, 'junit.xml');
        writeAtomic(file, junitClassReport(title, c.reports));
        written.push({ path: file, what: what.junitClass });
        break;
      }
      case 'github': {
        const { githubClassReport } = await import('../../grading/reporters/github-class.js');
        const { log, summary } = githubClassReport({
          title,
          reports: c.reports,
          // Annotations go on a student's file as the runner's checkout names it.
          fileOf: (student, file) => {
            const path = relative(ctx.cwd, join(c.submissions, student, file));
            return path.startsWith('..') || isAbsolute(path) ? undefined : path.split(sep).join('/');
          },
        });
        ctx.out.write(log);
        const target = process.env.GITHUB_STEP_SUMMARY;
        if (target) {
          appendFileSync(target, summary);
          written.push({ path: '$GITHUB_STEP_SUMMARY', what: what.stepSummary });
        } else {
          const file = join(c.out, 'summary.md');
          writeAtomic(file, summary);
          written.push({ path: file, what: what.summary });
        }
        break;
      }
      case 'pretty':
      case 'json':
      case 'classroom':
        break;
      default: {
        const never: never = rep;
        return never;
      }
    }
  return written;
}
