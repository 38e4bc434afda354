// Grading a folder of submissions: one pool of (student, exercise) jobs, so a student whose program hangs
// costs only that exercise's budget while the others go on. Resumable and shardable.
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Lang } from '../grading/lang.js';
import { quote } from '../grading/quote.js';
import { safeJson, safeText, shownName } from '../grading/safe-text.js';
import type { Assignment } from '../grading/schema/assignment.js';
import { loadJsonFile } from '../grading/schema/load.js';
import { SavedReport } from '../grading/schema/report.js';
import { reportProblems } from '../grading/schema/report-rules.js';
import type { GradeReport, ScoredExercise } from '../grading/score.js';
import { threshold } from './assignment.js';
import type { Course } from './course.js';
import {
  assignmentDigest,
  changedParts,
  classDigest,
  courseDigest,
  type Digests,
  folderDigest,
} from './digest.js';
import { UserError } from './errors.js';
import { writeAtomic } from './files.js';
import { Interrupted, isStopping } from './interrupt.js';
import type { Isolation } from './isolated.js';
import { appText } from './messages.js';
import { blockedByFile, checkOutFolder, entryKind, outFolderProblem, pathKind } from './out-folders.js';
import { pool } from './pool.js';
import { assemble, gradeOneExercise, type SubmissionRequest } from './submission.js';

/** How many of one student's exercises a batch grades at once (see the pool in gradeBatch). */
const PER_STUDENT = 4;

/**
 * Grading waits on sockets, budgets and Python start-up far more than it computes, so many jobs per core pay off:
 * 12 per core (24 on two cores graded the 100-student benchmark with no wrong verdict, as did 48), at most 64.
 */
export function defaultJobs(): number {
  return Math.min(64, 12 * availableParallelism());
}

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(v: string | undefined, lang: Lang): Shard | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UserError(appText(lang).badShard(v));
  return { index, count };
}

export interface BatchRequest {
  course: Course;
  coursePath?: string | undefined;
  assignment: Assignment;
  submissions: string;
  out: string;
  /** The gradebook's path: a student folder may not share its name when it is in `out`. */
  csv?: string | undefined;
  jobs: number;
  shard?: Shard | undefined;
  force: boolean;
  lang: Lang;
  seed?: number | undefined;
  timeScale: number;
  /** socketlings' version: a grade saved by another version is graded again. */
  version: string;
  /** Grade in the sandbox (app/isolated.ts): a worker per student. Left out: in this process, not isolated. */
  isolation?: Isolation | undefined;
  /** Why the run is not isolated, for the reports (--no-sandbox, or a machine without the sandbox). */
  notIsolated?: string | undefined;
  /** The interpreter found once for the class (app/grade.ts `pinnedInterpreter`). */
  interpreter?: string[] | undefined;
  /** Called when a student is finished (graded now, or read back from an earlier run). */
  onStudent?: (entry: BatchEntry, done: number, total: number) => void;
  /** A saved grade is not trusted: what changed since it was saved. */
  onRegrade?: (student: string, changed: (keyof Digests)[]) => void;
  /** Writes a student's report files (chosen reporters) into their folder under `out`. */
  writeStudent?: (report: GradeReport, dir: string) => void;
}

export interface BatchEntry {
  student: string;
  report: SavedReport;
  /** Read back from an earlier run instead of graded now. */
  resumed: boolean;
}

/** Student folders, sorted by name so shards are stable; hidden folders and the output folder are not students. */
export function studentsIn(dir: string, out: string, csv?: string): string[] {
  return classFolders(dir, out, 'en', csv).students;
}

/** Names a student folder may not have: its report folder would stand where a batch writes its own files. */
export const RESERVED_NAMES = [
  'gradebook.csv',
  'results.json',
  'junit.xml',
  'summary.md',
  'report.json',
  'report.html',
  'shard.json',
];

export interface SkippedEntry {
  /** The name as printed (escaped). */
  shown: string;
  reason: string;
  fix: string;
}

/**
 * What is in a class folder: the student folders to grade, and the entries that look like students but cannot
 * be graded (a name that is not UTF-8, a link to nothing, an unreadable folder, a name an output file has), each
 * with its reason and fix. Plain files are not students and are passed over in silence.
 */
export function classFolders(
  dir: string,
  out: string,
  lang: Lang,
  csv?: string,
): { students: string[]; skipped: SkippedEntry[]; hidden: string[]; links: string[] } {
  const t = appText(lang);
  const outAbs = resolve(out);
  const reserved = new Set(RESERVED_NAMES);
  if (csv && resolve(csv, '..') === outAbs) reserved.add(basename(csv));
  const students: string[] = [];
  const skipped: SkippedEntry[] = [];
  // Folders such as .git or .hidden-student are never graded; counted, so that leaving them out is said.
  const hidden: string[] = [];
  // Links to another entry of the folder (a second name for a student, a file): never graded, said once.
  const links: string[] = [];
  let top: string;
  try {
    top = realpathSync(dir);
  } catch {
    top = resolve(dir);
  }
  const inside = (p: string) => p.startsWith(top.endsWith(sep) ? top : `${top}${sep}`);
  for (const raw of readdirSync(dir, { encoding: 'buffer' })) {
    const name = raw.toString('utf8');
    if (raw[0] === 0x2e) {
      if (pathKind(join(dir, name)) === 'dir') hidden.push(name);
      continue;
    }
    if (!Buffer.from(name, 'utf8').equals(raw)) {
      skipped.push({ shown: quote(raw, 200), reason: t.classNotUtf8, fix: t.classNotUtf8Fix });
      continue;
    }
    const path = join(dir, name);
    // A student's folder is a folder, never a link: a link's target is someone else's (another student, graded
    // under their own name) or no student's at all (/etc, a folder above). Where it leads outside, that is said,
    // whether or not its target exists.
    let link: string | undefined;
    try {
      if (lstatSync(path).isSymbolicLink()) link = readlinkSync(path);
    } catch {
      // Gone meanwhile: statSync below says so.
    }
    if (link !== undefined) {
      let real: string | undefined;
      try {
        real = realpathSync(path);
      } catch {
        real = undefined;
      }
      if (!inside(resolve(top, link)) || (real !== undefined && !inside(real)))
        skipped.push({ shown: shownName(name), reason: t.classLinkOutside, fix: t.classLinkFix });
      else if (real === undefined)
        skipped.push({ shown: shownName(name), reason: t.classDangling, fix: t.classDanglingFix });
      else links.push(name);
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP')
        skipped.push({ shown: shownName(name), reason: t.classDangling, fix: t.classDanglingFix });
      else
        skipped.push({
          shown: shownName(name),
          reason: t.classUnreadable(code ?? String(err)),
          fix: t.classUnreadableFix,
        });
      continue;
    }
    if (!isDir || resolve(path) === outAbs) continue;
    if (reserved.has(name)) {
      skipped.push({ shown: shownName(name), reason: t.classReserved(name), fix: t.classReservedFix });
      continue;
    }
    try {
      accessSync(path, constants.R_OK | constants.X_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      skipped.push({ shown: shownName(name), reason: t.classUnreadable(code), fix: t.classUnreadableFix });
      continue;
    }
    students.push(name);
  }
  return { students: students.sort(), skipped, hidden: hidden.sort(), links: links.sort() };
}

/** --submissions must be a folder that can be listed (for grading, and for `grade merge`'s class list). */
export function checkSubmissionsFolder(submissions: string, lang: Lang): void {
  const t = appText(lang);
  const subs = pathKind(submissions);
  if (subs === 'none') throw new UserError(t.submissionsMissing(submissions), t.submissionsNext);
  if (subs === 'file') throw new UserError(t.submissionsNotFolder(submissions), t.submissionsNext);
  try {
    accessSync(submissions, constants.R_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UserError(`--submissions ${submissions}: ${t.classUnreadable(code)}`, t.classUnreadableFix);
  }
}

/**
 * The paths a batch is given, checked before anything is graded: --submissions must be a folder, --out a folder
 * (or nothing yet) outside every student's folder, --csv a file (or nothing yet) in a folder.
 */
export function checkBatchPaths(submissions: string, out: string, csv: string, lang: Lang): void {
  const t = appText(lang);
  checkSubmissionsFolder(submissions, lang);
  checkOutFolder(out, lang);
  const rel = relative(resolve(submissions), resolve(out));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep).length > 1))
    throw new UserError(t.outInStudent(out), t.outInStudentNext);
  if (pathKind(csv) === 'dir') throw new UserError(t.csvIsFolder(csv), t.csvNext);
  if (blockedByFile(csv)) throw new UserError(t.csvParentNotFolder(csv), t.csvNext);
}

export async function gradeBatch(r: BatchRequest): Promise<BatchEntry[]> {
  const t = appText(r.lang);
  const all = studentsIn(r.submissions, r.out, r.csv);
  if (all.length === 0) throw new UserError(t.noSubmissions(r.submissions));
  const mine = r.shard
    ? all.filter((_, i) => i % (r.shard as Shard).count === (r.shard as Shard).index - 1)
    : all;
  const entries = new Map<string, BatchEntry>();
  let done = 0;
  const finish = (e: BatchEntry) => {
    entries.set(e.student, e);
    r.onStudent?.(e, ++done, mine.length);
  };

  // What decides a grade, computed once for the class; each student's files are read below.
  const common = {
    version: r.version,
    assignment: assignmentDigest(r.assignment),
    course: courseDigest(r.course),
    isolation: r.isolation?.setting ?? 'none',
  };
  const classId = classDigest(r.assignment, r.course);
  // Every student's folder under --out is written below: none may lead elsewhere. Checked before any grading.
  for (const student of mine) {
    const problem = outFolderProblem(join(r.out, student), r.lang);
    if (problem) throw new UserError(problem, t.outEntryNext);
  }
  const digests = new Map<string, Digests>();
  const resumed = new Map<string, SavedReport>();
  const todo: string[] = [];
  for (const student of mine) {
    const now: Digests = { ...common, files: folderDigest(resolve(r.submissions, student)) };
    digests.set(student, now);
    const saved = join(r.out, student, 'report.json');
    if (!r.force && existsSync(saved)) {
      if (entryKind(saved) === 'link') throw new UserError(t.outLink(saved), t.outEntryNext);
      const prior = loadJsonFile(saved, SavedReport);
      // Trusted only while everything that decides the grade is the same; anything else is graded again.
      const changed = prior.ok ? changedParts(prior.value.digests, now) : changedParts(undefined, now);
      if (prior.ok && changed.length === 0) {
        // Unchanged, and so trusted, only if what it says holds: a report edited since is refused.
        trustedReport(prior.value, saved, student, r);
        resumed.set(student, prior.value);
        continue;
      }
      r.onRegrade?.(student, changed);
    }
    todo.push(student);
  }
  // Only once every saved report has been checked: a refusal comes before any result.
  for (const [student, report] of resumed) finish({ student, report, resumed: true });

  const results = new Map<string, (ScoredExercise | undefined)[]>();
  const started = new Map<string, Date>();
  const count = r.assignment.exercises.length;
  // In the sandbox a student's exercises are graded by one worker: one event loop for all of them, whose stalls
  // the fairness rules must then forgive (more reruns, budgets stretched, and at 32 at once wrong verdicts). So the
  // pool takes a few students at a time, their exercises in turns: about PER_STUDENT of one student's at once.
  const group = Math.max(1, Math.ceil(r.jobs / PER_STUDENT));
  const jobs: { student: string; entry: Assignment['exercises'][number]; i: number; last: boolean }[] = [];
  for (let g = 0; g < todo.length; g += group)
    for (const [i, entry] of r.assignment.exercises.entries())
      for (const student of todo.slice(g, g + group)) jobs.push({ student, entry, i, last: i === count - 1 });
  await pool(jobs, r.jobs, async ({ student, entry, i, last }) => {
    if (!started.has(student)) started.set(student, new Date());
    const folder = resolve(r.submissions, student);
    const req: SubmissionRequest = {
      course: r.course,
      coursePath: r.coursePath,
      assignment: r.assignment,
      folder,
      student,
      lang: r.lang,
      seed: r.seed,
      timeScale: r.timeScale,
      interpreter: r.interpreter,
    };
    const scored = r.isolation
      ? await r.isolation.grade(student, folder, i, last)
      : await gradeOneExercise(req, entry);
    const list = results.get(student) ?? new Array(count).fill(undefined);
    list[i] = scored;
    results.set(student, list);
    if (list.every((x) => x !== undefined)) {
      // A grading cut short by the instructor is never saved: its programs were being killed.
      if (isStopping()) throw new Interrupted();
      const report: GradeReport = {
        ...assemble(req, list as ScoredExercise[], started.get(student) as Date),
        digests: digests.get(student) as Digests,
        assignmentDigest: classId,
        courseVersion: r.course.version,
        ...(r.notIsolated ? { notIsolated: r.notIsolated } : {}),
      };
      const dir = join(r.out, student);
      mkdirSync(dir, { recursive: true });
      r.writeStudent?.(report, dir);
      // Written last: its presence is what a resumed run trusts. Every string in it through safeText, the student's
      // name first: `jq -r .student` must not print a raw escape sequence (JSON keeps C1 and bidi characters raw).
      const stored = { ...report, student: safeText(student, { oneLine: true }) };
      writeAtomic(join(dir, 'report.json'), `${safeJson(stored, 2)}\n`);
      finish({ student, report: report as unknown as SavedReport, resumed: false });
    }
  });
  return mine.map((s) => entries.get(s)).filter((e): e is BatchEntry => e !== undefined);
}

/** A saved report that breaks a rule of reports (report-rules.ts) is refused, the file and the rule named. */
function trustedReport(report: SavedReport, file: string, student: string, r: BatchRequest): void {
  const t = appText(r.lang);
  const problems = reportProblems(
    report,
    {
      folder: student,
      exercises: r.assignment.exercises.map((e) => ({ id: e.id, points: e.points })),
      threshold: threshold(r.assignment),
    },
    r.lang,
  );
  if (problems.length)
    throw new UserError(
      t.reportRefused(
        file,
        problems.map((p) => `${p.where}: ${p.message}`),
      ),
      t.resumeRefusedNext(join(r.out, student)),
    );
}

/**
 * One CSV cell. Its text goes through safeText on one line: a gradebook is also read with `cat`, `grep` and `cut`
 * (in a CI log, say), so no control character, no line a runner would run (`::error::…`), and no newline that line
 * tools would read as a row of its own. A cell that a spreadsheet would take for a formula (it begins with `=`,
 * `+`, `-` or `@`: a student folder named `=HYPERLINK(...)`) gets a leading `'`, the OWASP rule for CSV injection.
 * A cell that had to change is quoted, so it stands out as not quite the folder's name.
 */
export function csvCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const shown = safeText(v, { oneLine: true });
  const quoted = `"${shown.replace(/"/g, '""')}"`;
  if (/^[=+\-@]/.test(shown)) return `"'${quoted.slice(1)}`;
  return shown !== v || /[",]/.test(shown) ? quoted : shown;
}

/** The gradebook: one row per student, points per exercise, total, max and status. */
export function gradebookCsv(entries: BatchEntry[], a: Assignment): string {
  const head = ['student', ...a.exercises.map((e) => e.id), 'total', 'max', 'status'];
  const rows = entries.map((e) => {
    const by = new Map(e.report.exercises.map((x) => [x.id, x.points]));
    return [
      e.student,
      ...a.exercises.map((x) => by.get(x.id) ?? 0),
      e.report.points,
      e.report.maxPoints,
      e.report.status,
    ];
  });
  return `${[head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

export function writeGradebook(file: string, entries: BatchEntry[], a: Assignment): void {
  writeAtomic(file, gradebookCsv(entries, a));
}
