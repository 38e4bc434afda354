// The one grading pipeline every caller uses: verify, watch, grade, batch grading, dev check.
import { existsSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { type ProgramToRun, runScenario } from '../grading/engine.js';
import type { ExerciseResult, TranscriptEntry } from '../grading/results.js';
import { freshSeed } from '../grading/rng.js';
import type { Lang } from '../grading/schema/course.js';
import { findPython, pinPython } from '../wire/python.js';
import type { Course, Exercise } from './course.js';
import { UserError } from './errors.js';
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
export function locateFile(req: Pick<GradeRequest, 'course' | 'exercise' | 'file' | 'cwd' | 'lang'>): {
  file: string;
  cwd: string;
} {
  const t = appText(req.lang);
  if (req.file) {
    const file = resolve(req.cwd, req.file);
    if (!existsSync(file)) throw new UserError(t.noFile(req.file), t.noFileNext);
    const ws = findWorkspace(dirname(file));
    return { file, cwd: ws?.root ?? dirname(file) };
  }
  const ws = findWorkspace(req.cwd);
  if (!ws) throw new UserError(t.noWorkspaceFile(req.exercise.id), t.noFileNext);
  const file = exerciseFile(ws, req.course.lessons, req.exercise);
  if (!existsSync(file)) throw new UserError(t.noFile(relative(req.cwd, file) || file), t.noFileNext);
  return { file, cwd: ws.root };
}

/** Quote for a POSIX shell. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function programFor(req: GradeRequest): ProgramToRun {
  const t = appText(req.lang);
  if (req.run) {
    // {file} and {name} let an assignment say how to run any language: "node {file}", "./build/{name}".
    const needsFile = /\{(file|name)\}/.test(req.run);
    const located = needsFile || req.file ? locateFile(req) : undefined;
    const cwd = located?.cwd ?? findWorkspace(req.cwd)?.root ?? req.cwd;
    const cmd = located
      ? req.run
          .replaceAll('{file}', shq(located.file))
          .replaceAll('{name}', shq(basename(located.file).replace(/\.[^.]*$/, '')))
      : req.run;
    if (process.platform === 'win32') return { argv: ['cmd.exe', '/d', '/s', '/c', cmd], shown: cmd, cwd };
    return { ...shellCommand(cmd), shown: cmd, cwd, python: isPythonCommand(cmd) };
  }
  const { file, cwd } = locateFile(req);
  let argv = req.interpreter;
  if (!argv) {
    const py = findPython(pythonEnv(req.python));
    if (!py.ok) throw new UserError(t.noPython(py.tried.join(', ')), t.noPythonNext);
    argv = py.python.argv;
  }
  const rel = relative(req.cwd, file) || file;
  return { argv: [...argv, file], shown: `${argv.join(' ')} ${rel}`, cwd, python: true };
}

/**
 * A `--run` command line for /bin/sh, so that the grader's signals reach the program as they would reach it run
 * directly. A simple command is exec'd: the shell becomes the program (dash does not do that by itself, and a
 * SIGTERM would end the shell and leave the program). A compound one (`cd x && ./server`) keeps its shell, which
 * waits for the program whatever signal comes (a trap with a handler is reset to the default in the children),
 * and signals go to the whole group.
 */
export function shellCommand(cmd: string): { argv: string[]; signalGroup?: boolean } {
  const simple = /^[\w@%+=:,./'" -]+$/.test(cmd.trim()) && !/^\s*exec\s/.test(cmd);
  if (simple) return { argv: ['/bin/sh', '-c', `exec ${cmd.trim()}`] };
  return { argv: ['/bin/sh', '-c', `trap : TERM INT HUP\n${cmd}`], signalGroup: true };
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
  return py.ok ? pinPython(py.python, cwd).argv : undefined;
}

export async function gradeExercise(req: GradeRequest): Promise<ExerciseResult> {
  const grader = mustLoadGrader(req.exercise, { cwd: req.cwd, lang: req.lang, course: req.coursePath });
  const program = programFor(req);
  return runScenario({
    exercise: req.exercise.id,
    grader,
    program,
    seed: req.seed ?? freshSeed(),
    lang: req.lang,
    timeScale: req.timeScale ?? 1,
    ...(req.onEvent ? { onEvent: req.onEvent } : {}),
  });
}
