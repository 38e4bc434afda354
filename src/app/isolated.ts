// Grading in the sandbox: each student's exercises go to a worker of their own, started inside a private network
// namespace (wire/sandbox.ts), which grades them through the one pipeline and answers over a pipe. This process
// alone writes reports; what it receives is checked against a schema, and a worker that dies or talks nonsense
// makes its pending exercises grading errors, never passes.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExerciseResult } from '../grading/results.js';
import { freshSeed } from '../grading/rng.js';
import type { Assignment } from '../grading/schema/assignment.js';
import type { Lang } from '../grading/schema/course.js';
import { validate } from '../grading/schema/load.js';
import { WorkerResult, type WorkerSession } from '../grading/schema/worker.js';
import { type ScoredExercise, scoreExercise } from '../grading/score.js';
import { LAUNCHER } from '../wire/launcher.js';
import { pidsCgroupBase, runtimeFolders, sandboxSupport, workerSandboxArgs } from '../wire/sandbox.js';
import { WorkerProcess } from '../wire/worker.js';
import { UserError } from './errors.js';
import { type GradeRequest, locateFile, pinnedInterpreter } from './grade.js';
import { Interrupted, isStopping } from './interrupt.js';
import { appText } from './messages.js';

/** What each program may read besides the system and its own folder: where its interpreter lives. */
export function sandboxFolders(bwrap: string, interpreter: string[] | undefined, run: string | undefined) {
  const command = interpreter?.[0] ?? run?.trim().split(/\s+/)[0];
  // The launcher (wire/launch.py) is how a Python program's sockets are seen where /proc is not read.
  const ro = [...(command ? runtimeFolders(command) : []), dirname(LAUNCHER)];
  // Bin folders first on the program's PATH, so `node` or `python3` in a run command is the one shown to it.
  const path = ro.filter((d) => /\/bin$/.test(d));
  const cgroup = pidsCgroupBase();
  return { bwrap, ro, path, ...(cgroup ? { pidsCgroup: cgroup } : {}) };
}

interface Pending {
  resolve: (s: ScoredExercise) => void;
  reject: (e: Error) => void;
  index: number;
}

function workerError(a: Assignment, index: number, lang: Lang, why: string): ScoredExercise {
  const entry = a.exercises[index];
  const id = entry?.id ?? `exercise-${index}`;
  const result: ExerciseResult = {
    exercise: id,
    status: 'error',
    seed: 0,
    command: '',
    duration: 0,
    checks: [
      {
        id: 'grading',
        title: appText(lang).workerCheck,
        status: 'error',
        message: appText(lang).workerFailed(why),
        transcript: [],
        duration: 0,
      },
    ],
  };
  return scoreExercise(result, id, entry?.points ?? 0);
}

class StudentWorker {
  private readonly proc: WorkerProcess;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private broken: string | undefined;

  constructor(
    private readonly session: WorkerSession,
    readonly student: string,
    private readonly folder: string,
  ) {
    const support = sandboxSupport();
    if (!support.ok) throw new Error(support.reason);
    const script = fileURLToPath(new URL('../cli/worker.js', import.meta.url));
    const show = [
      folder,
      resolve(script, '..', '..', '..'),
      ...(session.course ? [session.course] : []),
      ...(session.sandbox?.ro ?? []),
      dirname(process.execPath),
    ];
    this.proc = new WorkerProcess({
      // The folder on its command line says in `ps` whose worker it is.
      argv: [support.bwrap, ...workerSandboxArgs(show), '--', process.execPath, script, folder],
      // Built from nothing: the worker needs no secret, and a program can never read its environment anyway.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: process.env.LANG ?? 'C.UTF-8',
        HOME: '/tmp',
        TMPDIR: '/tmp',
      },
      cwd: process.cwd(),
      sandboxed: true,
    });
    this.proc.on('message', (m: unknown) => this.receive(m));
    this.proc.on('garbage', (line: string) => this.fail(`it sent something that is not a result: ${line}`));
    void this.proc.exited.then(({ code, signal }) => {
      const tail = this.proc.stderr.trim().split('\n').slice(-3).join(' | ');
      this.fail(`it ended (${signal ?? `exit ${code}`})${tail ? `: ${tail}` : ''}`);
    });
    this.proc.send(session);
  }

  grade(index: number, file?: string): Promise<ScoredExercise> {
    const n = this.next++;
    return new Promise((resolve, reject) => {
      if (this.broken) {
        resolve(workerError(this.session.assignment, index, this.session.lang, this.broken));
        return;
      }
      this.pending.set(n, { resolve, reject, index });
      this.proc.send({
        type: 'job',
        n,
        student: this.student,
        folder: this.folder,
        index,
        ...(file ? { file } : {}),
      });
    });
  }

  /** No more exercises for this student: the worker exits once it has answered. */
  done(): void {
    this.proc.end();
  }

  private receive(m: unknown): void {
    const r = validate('worker result', m, WorkerResult);
    if (!r.ok) {
      this.fail(`its answer does not fit the result format (${r.errors[0]?.where}: ${r.errors[0]?.message})`);
      return;
    }
    const p = this.pending.get(r.value.n);
    if (!p) return;
    this.pending.delete(r.value.n);
    const entry = this.session.assignment.exercises[p.index];
    if (r.value.scored.id !== entry?.id) {
      p.resolve(
        workerError(this.session.assignment, p.index, this.session.lang, 'it answered for another exercise'),
      );
      return;
    }
    p.resolve(r.value.scored as unknown as ScoredExercise);
  }

  private fail(why: string): void {
    this.broken ??= why;
    for (const [n, p] of this.pending) {
      this.pending.delete(n);
      if (isStopping()) p.reject(new Interrupted());
      else p.resolve(workerError(this.session.assignment, p.index, this.session.lang, why));
    }
    if (this.proc.running) void this.proc.stop();
  }
}

/**
 * Workers for a grading session, one per student, started on a student's first exercise and told to finish
 * after the last (the caller says which is last), so a batch keeps its one pool of `--jobs` exercises at once.
 */
export class Isolation {
  private readonly workers = new Map<string, StudentWorker>();

  constructor(private readonly session: WorkerSession) {}

  grade(
    student: string,
    folder: string,
    index: number,
    last: boolean,
    file?: string,
  ): Promise<ScoredExercise> {
    if (isStopping()) return Promise.reject(new Interrupted());
    let w = this.workers.get(student);
    if (!w) {
      w = new StudentWorker(this.session, student, folder);
      this.workers.set(student, w);
    }
    const p = w.grade(index, file);
    if (last) {
      w.done();
      this.workers.delete(student);
    }
    return p;
  }
}

/**
 * `verify --sandbox`: one exercise graded as `grade` grades, in a worker in its own network namespace with the
 * program sandboxed, for a learner who wants to run code they did not write (or an instructor trying a hand-in).
 */
export async function verifyIsolated(req: GradeRequest): Promise<ExerciseResult> {
  const support = sandboxSupport();
  const t = appText(req.lang);
  if (!support.ok) throw new UserError(t.sandboxUnavailable(support.reason), support.fix);
  const needsFile = !req.run || /\{(file|name)\}/.test(req.run);
  const located = needsFile || req.file ? locateFile(req) : undefined;
  const interpreter = pinnedInterpreter(req.python, req.run, req.cwd);
  const seed = req.seed ?? freshSeed();
  const assignment: Assignment = {
    format: 1,
    title: 'verify',
    exercises: [{ id: req.exercise.id, points: 1, time_scale: 1 }],
    time_scale: 1,
    seed: { policy: 'fixed', value: seed },
    feedback: 'full',
    ...(req.run ? { run: req.run } : {}),
    ...(req.python ? { python: req.python } : {}),
  };
  const iso = new Isolation({
    type: 'session',
    ...(req.coursePath ? { course: resolve(req.cwd, req.coursePath) } : {}),
    lang: req.lang,
    assignment,
    ...(interpreter ? { interpreter } : {}),
    sandbox: sandboxFolders(support.bwrap, interpreter, req.run),
    timeScale: req.timeScale ?? 1,
    seed,
  });
  const folder = located?.cwd ?? req.cwd;
  const scored = await iso.grade('verify', folder, 0, true, located?.file);
  if (isStopping()) throw new Interrupted();
  return scored.result;
}
