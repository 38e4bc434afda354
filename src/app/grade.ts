// The one grading pipeline every caller uses: verify, watch, grade, batch grading, dev check.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { type ProgramToRun, runScenario } from '../grading/engine.js';
import type { ExerciseResult, TranscriptEntry } from '../grading/results.js';
import { freshSeed } from '../grading/rng.js';
import { safeText } from '../grading/safe-text.js';
import type { Lang } from '../grading/schema/course.js';
import { formatFileError, notAFile } from '../grading/schema/load.js';
import { LAUNCHER } from '../wire/launcher.js';
import { findPython, isSupportedPython, whyNotPython3 } from '../wire/python.js';
import { quoteArg, shellCommand } from '../wire/shell.js';
import type { Course, Exercise } from './course.js';
import { UserError } from './errors.js';
import { pinnedPython, versionOf } from './interpreter.js';
import { workspaceRootOf } from './locate.js';
import { appText } from './messages.js';
import { mustLoadGrader } from './select.js';
import { exerciseFile, findWorkspace } from './workspace.js';

export interface GradeRequest {
  course: Course;
  /** --course, for messages about the pack. */
  coursePath?: string | undefined;
  exercise: Exercise;
  /** The learner's file; found in the workspace when left out. */
  file?: string | undefined;
  /** Any command instead of Python and a file, run through the shell; {file} and {name} stand for the file. */
  run?: string | undefined;
  /** The interpreter, instead of SOCKETLINGS_PYTHON / python3. */
  python?: string | undefined;
  /** An interpreter found once for many gradings (see `pinnedInterpreter`); it wins over `python`. */
  interpreter?: string[] | undefined;
  seed?: number | undefined;
  lang: Lang;
  cwd: string;
  timeScale?: number;
  onEvent?: (e: TranscriptEntry) => void;
  /** Run the program in the sandbox, showing it these folders besides the system's (see wire/sandbox.ts). */
  sandbox?: ProgramToRun['sandbox'] | undefined;
  /**
   * The submission's folder (a student's, the file's own for `verify --sandbox --file`): the program runs there
   * and, sandboxed, sees it and nothing above it. Never searched for: a workspace found above a hand-in would
   * show the program the instructor's own files and every other student's.
   */
  folder?: string | undefined;
}

export function parseSeed(v: string | undefined, lang: Lang): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new UserError(appText(lang).badSeed(v));
  return Number(v);
}

export function timeScaleFromEnv(env: NodeJS.ProcessEnv, lang: Lang): number {
  const v = env.SOCKETLINGS_TIME_SCALE;
  if (v === undefined || v === '') return 1;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0.5 || n > 20) throw new UserError(appText(lang).badTimeScale(v));
  return n;
}

/** Which file is graded, and from which folder the program runs. */
export function locateFile(
  req: Pick<GradeRequest, 'course' | 'exercise' | 'file' | 'cwd' | 'lang' | 'folder'>,
): {
  file: string;
  cwd: string;
} {
  const t = appText(req.lang);
  if (req.file) {
    const file = resolve(req.cwd, req.file);
    if (!existsSync(file)) throw new UserError(t.noFile(req.file), t.noFileNext);
    mustBeRegular(file, req.file);
    if (req.folder) return { file, cwd: req.folder };
    // Only the folder is needed, not the manifest: a student's damaged socketlings.json must not stop grading.
    return { file, cwd: workspaceRootOf(dirname(file)) ?? dirname(file) };
  }
  const ws = findWorkspace(req.cwd, { below: true });
  if (!ws) throw new UserError(t.noWorkspaceFile(req.exercise.id), t.noFileNext);
  const file = exerciseFile(ws, req.course.lessons, req.exercise);
  if (!existsSync(file))
    throw new UserError(t.noFile(relative(req.cwd, file) || file), t.noFileReset(req.exercise.id));
  mustBeRegular(file, relative(req.cwd, file) || file);
  return { file, cwd: ws.root };
}

/** A FIFO or a device handed in as the program would block or feed the interpreter forever: refuse it first. */
function mustBeRegular(file: string, shown: string): void {
  const odd = notAFile(statSync(file));
  if (odd) throw new UserError(formatFileError({ file: shown, where: '', ...odd }));
}

/** The folder the program will run from, where it can be told yet (else the working folder). */
export function programCwd(
  req: Pick<GradeRequest, 'course' | 'exercise' | 'file' | 'cwd' | 'lang' | 'run'>,
): string {
  if (req.run) return req.cwd;
  try {
    return locateFile(req).cwd;
  } catch {
    // The grading says why there is no file; this only picks a folder.
    return req.cwd;
  }
}

export function programFor(req: GradeRequest): ProgramToRun {
  const t = appText(req.lang);
  if (req.run) {
    // {file} and {name} let an assignment say how to run any language: "node {file}", "./build/{name}".
    const needsFile = /\{(file|name)\}/.test(req.run);
    const located = needsFile || req.file ? locateFile(req) : undefined;
    const cwd = located?.cwd ?? req.folder ?? findWorkspace(req.cwd, { below: true })?.root ?? req.cwd;
    const cmd = located
      ? req.run
          .replaceAll('{file}', quoteArg(located.file))
          .replaceAll('{name}', quoteArg(basename(located.file).replace(/\.[^.]*$/, '')))
      : req.run;
    const shell = shellCommand(cmd);
    return {
      argv: shell.argv,
      shown: cmd,
      cwd,
      python: isPythonCommand(cmd),
      ...(shell.verbatim ? { verbatimArgs: true } : {}),
      ...(shell.signalGroup ? { signalGroup: true } : {}),
      ...(req.sandbox ? { sandbox: req.sandbox } : {}),
    };
  }
  const { file, cwd } = locateFile(req);
  let argv = req.interpreter;
  // The learner's own words for it in replay lines (python3), whatever runs it.
  let words = argv;
  if (!argv) {
    const py = findPython(pythonEnv(req.python));
    if (!py.ok) throw new UserError(t.noPython(py.tried.join(', ')), t.noPythonNext);
    words = py.python.argv;
    // A launcher script (a pyenv shim) is asked once which interpreter it starts, and that one runs.
    argv = pinnedPython(py.python, cwd).argv;
  }
  const rel = relative(req.cwd, file) || file;
  const shown = `${(words ?? argv).join(' ')} ${/^[\w@%+=:,./\\-]+$/.test(rel) ? rel : quoteArg(rel)}`;
  const sandbox = req.sandbox ? { sandbox: req.sandbox } : {};
  // The launcher tells the moment the program's sockets listen or bind, so readiness is waited for, not polled
  // (and without /proc it is the only way to know); the learner's replay line stays plain.
  return { argv: [...argv, LAUNCHER, file], shown, cwd, python: true, readinessFd: true, ...sandbox };
}

/** Whether a command line runs a Python interpreter (its last command's first word). */
export function isPythonCommand(cmd: string): boolean {
  const last = cmd.split(/&&|\|\||;|\n/).pop() ?? '';
  const words = last
    .trim()
    .split(/\s+/)
    .filter((w) => !/^\w+=/.test(w) && w !== 'exec');
  const first = words[0] === 'uv' || words[0] === 'poetry' || words[0] === 'pipenv' ? words[2] : words[0];
  return /(^|\/)(python[\d.]*|py|pypy[\d.]*)$/.test(first ?? '');
}

function pythonEnv(python: string | undefined): NodeJS.ProcessEnv {
  return python ? { ...process.env, SOCKETLINGS_PYTHON: python } : process.env;
}

/**
 * The interpreter for a whole grading session (a submission, a batch), found once: a launcher script such as a
 * pyenv shim is asked for the Python it starts, so every program is spared the launcher. Undefined when there is
 * no Python (each exercise then says so) or when a run command replaces it.
 */
export function pinnedInterpreter(python: string | undefined, run: string | undefined, cwd: string) {
  if (run) return undefined;
  const py = findPython(pythonEnv(python));
  return py.ok ? pinnedPython(py.python, cwd).argv : undefined;
}

/**
 * The version of the Python that grading runs, when it is older than socketlings supports (a warning); undefined
 * when it is supported or is not Python at all (a run command). An interpreter that does not answer like a
 * Python 3 (it does not start, fails, or is a Python 2) is refused here, before anything is graded: otherwise
 * every exercise would fail as though the learner's program had, with socketlings' own launcher in the trace.
 */
export async function unsupportedPython(o: {
  python?: string | undefined;
  run?: string | undefined;
  interpreter?: string[] | undefined;
  /** Where the programs run from: a launcher's choice may depend on it. */
  cwd?: string | undefined;
  lang?: Lang | undefined;
}): Promise<string | undefined> {
  if (o.run) return undefined;
  let version: string | undefined;
  let argv: string[];
  if (o.interpreter) {
    argv = o.interpreter;
    version = await versionOf(o.interpreter);
  } else {
    const py = findPython(pythonEnv(o.python));
    if (!py.ok) return undefined;
    const pinned = pinnedPython(py.python, o.cwd ?? process.cwd());
    argv = pinned.argv;
    version = pinned.version ?? (await versionOf(pinned.argv, pinned.path));
  }
  version ??= await refuseInterpreter(argv, o.python, o.lang ?? 'en');
  return version && !isSupportedPython(version) ? version : undefined;
}

/** Says why an interpreter is no Python 3, as a UserError; a Python 3 after all (a slow first ask) is its version. */
async function refuseInterpreter(argv: string[], python: string | undefined, lang: Lang): Promise<string> {
  const t = appText(lang);
  const why = await whyNotPython3(argv);
  if (why.kind === 'old' && why.version.startsWith('3.')) return why.version;
  const w = t.notPython3Why;
  const text =
    why.kind === 'not-started'
      ? w.notStarted(why.code)
      : why.kind === 'old'
        ? w.old(why.version)
        : why.kind === 'other'
          ? w.other(why.said)
          : w.exited(why.signal ? w.signal(why.signal) : w.code(why.code ?? 1), why.stderr);
  const fromEnv = python === undefined && Boolean(process.env.SOCKETLINGS_PYTHON?.trim());
  const shown = fromEnv ? `SOCKETLINGS_PYTHON=${argv.join(' ')}` : argv.join(' ');
  throw new UserError(
    t.notPython3(safeText(shown, { oneLine: true }), safeText(text, { oneLine: true })),
    fromEnv ? t.notPython3FromEnv : t.notPython3Next,
  );
}

export async function gradeExercise(req: GradeRequest): Promise<ExerciseResult> {
  const grader = mustLoadGrader(
    req.exercise,
    { cwd: req.cwd, lang: req.lang, course: req.coursePath },
    req.course.root,
  );
  const program = programFor(req);
  const file = req.file || !req.run ? locateFile(req).file : undefined;
  const lines = file ? lineCount(file) : undefined;
  const result = await runScenario({
    exercise: req.exercise.id,
    grader,
    program,
    seed: req.seed ?? freshSeed(),
    lang: req.lang,
    timeScale: req.timeScale ?? 1,
    ...(req.onEvent ? { onEvent: req.onEvent } : {}),
  });
  return file
    ? {
        ...result,
        file: relative(req.cwd, file).split(sep).join('/'),
        ...(lines !== undefined ? { fileLines: lines } : {}),
      }
    : result;
}

/** Past this size a file's lines are not counted (and no annotation names a line of it). */
const MAX_COUNTED = 16 * 1024 * 1024;

/** How many lines a file has (a last line without its newline counts), or undefined when it cannot be told. */
export function lineCount(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(64 * 1024);
    let lines = 0;
    let total = 0;
    let last = 10;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_COUNTED) return undefined;
      for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
      last = buf[n - 1] as number;
    }
    return last === 10 ? lines : lines + 1;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
