// Grading in the sandbox: each student's exercises go to a worker of their own, started inside a private network
// namespace (wire/sandbox.ts), which grades them through the one pipeline and answers over a pipe. This process
// alone writes reports; what it receives is checked against a schema, and a worker that dies or talks nonsense
// makes its pending exercises grading errors, never passes. A root grader hands each worker to an unprivileged
// user (`--sandbox-user`, nobody by default), and each worker a cgroup of its own for its programs' memory.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExerciseResult } from '../grading/results.js';
import { freshSeed } from '../grading/rng.js';
import type { Assignment } from '../grading/schema/assignment.js';
import type { Lang } from '../grading/schema/course.js';
import { validate } from '../grading/schema/load.js';
import { WorkerResult, type WorkerSession } from '../grading/schema/worker.js';
import { type ScoredExercise, scoreExercise } from '../grading/score.js';
import { sizeText } from '../grading/text.js';
import { LAUNCHER } from '../wire/launcher.js';
import { onPath } from '../wire/python.js';
import {
  DEFAULT_DISK,
  DEFAULT_MEMORY,
  graderIsRoot,
  lookupUser,
  NOBODY,
  runtimeFolders,
  type SandboxUser,
  sandboxCommand,
  sandboxSupport,
  userName,
} from '../wire/sandbox.js';
import {
  type CgroupBase,
  CgroupSession,
  cgroupBase,
  memoryCeiling,
  type StudentCgroup,
  WORKER_MEMORY,
} from '../wire/sandbox-cgroup.js';
import { seccompFilter } from '../wire/seccomp.js';
import { WorkerProcess } from '../wire/worker.js';
import { UserError } from './errors.js';
import { type GradeRequest, locateFile, pinnedInterpreter } from './grade.js';
import { Interrupted, isStopping } from './interrupt.js';
import { appText } from './messages.js';
import { courseDir } from './select.js';

/** What `grade` and `verify --sandbox` are told about the sandbox: `--sandbox-user`, `--memory`, `--disk`. */
export interface SandboxOptions {
  user?: string | undefined;
  memory?: string | undefined;
  disk?: string | undefined;
}

/** The sandbox a grading will use: whom programs run as, their limits, and where their cgroups go. */
export interface SandboxPlan {
  /** Set when the grader is root: the user workers and programs run as instead. */
  user: SandboxUser | undefined;
  /** For reports: `nobody (65534:65534)`. */
  shownUser: string;
  memoryBytes: number;
  diskBytes: number;
  /** Where programs' memory cgroups go; undefined where none can be made (the per-process fallback). */
  cgroup: CgroupBase | undefined;
}

const MIN_MEMORY = 32 * 1024 ** 2;
const MIN_DISK = 4 * 1024 ** 2;

/** `512M`, `1G`, `1.5GiB`, `65536K`; a bare number is MiB. Binary units. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([KMGT])(?:i?B)?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'M').toUpperCase();
  const bytes = Number(m[1]) * 1024 ** ' KMGT'.indexOf(unit);
  return Number.isFinite(bytes) && bytes > 0 ? Math.floor(bytes) : undefined;
}

function size(option: string, text: string | undefined, fallback: number, min: number, lang: Lang): number {
  if (text === undefined) return fallback;
  const t = appText(lang);
  const bytes = parseSize(text);
  if (bytes === undefined) throw new UserError(t.badSize(option, text));
  if (bytes < min) throw new UserError(t.sizeTooSmall(option, sizeText(min)));
  return bytes;
}

/**
 * Limits are per program, so a batch may hold --jobs × --memory at once: more than this machine (or the cgroup the
 * grader runs in) has, and the kernel's out-of-memory killer, not a program's own limit, decides who fails. The
 * figures when that is so, else undefined.
 */
export function memoryOvercommit(
  jobs: number,
  plan: SandboxPlan,
  total = totalmem(),
): { jobs: number; each: number; have: number } | undefined {
  const have = memoryCeiling(total);
  return jobs * plan.memoryBytes > have ? { jobs, each: plan.memoryBytes, have } : undefined;
}

/** The options checked, and the machine asked where cgroups can go. Bad options are refused with exit 2. */
export function sandboxPlan(o: SandboxOptions, lang: Lang): SandboxPlan {
  const t = appText(lang);
  const memoryBytes = size('--memory', o.memory, DEFAULT_MEMORY, MIN_MEMORY, lang);
  const diskBytes = size('--disk', o.disk, DEFAULT_DISK, MIN_DISK, lang);
  let user: SandboxUser | undefined;
  if (o.user !== undefined) {
    if (!graderIsRoot()) throw new UserError(t.sandboxUserNotRoot(process.getuid?.() ?? -1));
    user = lookupUser(o.user);
    if (!user) throw new UserError(t.badSandboxUser(o.user));
    if (user.uid === 0 || user.gid === 0) throw new UserError(t.sandboxUserRoot);
  } else if (graderIsRoot()) user = NOBODY;
  const uid = user?.uid ?? process.getuid?.() ?? 0;
  const gid = user?.gid ?? process.getgid?.() ?? 0;
  const name = user?.name ?? userName(uid) ?? String(uid);
  return {
    user,
    shownUser: `${name} (${uid}:${gid})`,
    memoryBytes,
    diskBytes,
    cgroup: process.platform === 'linux' ? cgroupBase() : undefined,
  };
}

/** Whether `user` may read a folder (list and enter it) or a file, by its mode bits. */
function readableBy(path: string, user: SandboxUser): boolean {
  try {
    const st = statSync(path);
    const want = st.isDirectory() ? 0o5 : 0o4;
    const bits = st.uid === user.uid ? st.mode >> 6 : st.gid === user.gid ? st.mode >> 3 : st.mode;
    return (bits & want) === want;
  } catch {
    return false;
  }
}

/**
 * This package's folder and every node_modules folder above it: where its dependencies are (npm hoists them
 * next to it), which the worker must see wherever the folders above are closed to the sandbox user.
 */
function packageFolders(): string[] {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const out = [resolve(root)];
  for (let d = dirname(resolve(root)); d !== dirname(d); d = dirname(d))
    if (existsSync(join(d, 'node_modules'))) out.push(join(d, 'node_modules'));
  return out;
}

/** What each program may read besides the system and its own folder: where its interpreter lives. */
export function sandboxFolders(
  bwrap: string,
  plan: SandboxPlan,
  interpreter: string[] | undefined,
  run: string | undefined,
  lang: Lang,
): NonNullable<WorkerSession['sandbox']> {
  const command = interpreter?.[0] ?? run?.trim().split(/\s+/)[0];
  // The launcher (wire/launch.py) is how a Python program's sockets are seen where /proc is not read.
  const ro = [...(command ? runtimeFolders(command) : []), dirname(LAUNCHER)];
  // A root grader's workers run as the sandbox user: what every one of them needs must be readable to it, or
  // every grading would fail the same way. Said once, before any student is graded.
  const user = plan.user;
  if (user) {
    const t = appText(lang);
    const python = interpreter?.[0] ? onPath(interpreter[0]) : undefined;
    const needed = [...packageFolders().slice(0, 1), process.execPath, ...(python ? [python] : [])];
    for (const p of needed)
      if (!readableBy(p, user))
        throw new UserError(t.sandboxUserCannotRead(plan.shownUser, p), t.sandboxUserCannotReadNext);
  }
  // Bin folders first on the program's PATH, so `node` or `python3` in a run command is the one shown to it.
  const path = ro.filter((d) => /\/bin$/.test(d));
  const support = sandboxSupport(plan.user);
  return {
    bwrap,
    ro,
    path,
    user: plan.shownUser,
    memoryBytes: plan.memoryBytes,
    diskBytes: plan.diskBytes,
    ...(support.ok && support.closesUserns ? { closeUserns: true } : {}),
  };
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
  /** Resolves once the worker has exited and its cgroup is gone. */
  readonly gone: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private broken: string | undefined;

  constructor(
    private readonly session: WorkerSession,
    readonly student: string,
    private readonly folder: string,
    plan: SandboxPlan,
    private readonly cgroup: StudentCgroup | undefined,
  ) {
    const support = sandboxSupport(plan.user);
    if (!support.ok) throw new Error(support.reason);
    const script = fileURLToPath(new URL('../cli/worker.js', import.meta.url));
    const show = [
      folder,
      ...packageFolders(),
      ...(session.course ? [session.course] : []),
      ...(session.sandbox?.ro ?? []),
      dirname(process.execPath),
      dirname(support.bwrap),
    ];
    this.proc = new WorkerProcess({
      // The folder on its command line says in `ps` whose worker it is.
      argv: sandboxCommand(
        support.bwrap,
        {
          kind: 'worker',
          show,
          diskBytes: plan.diskBytes,
          ...(plan.user ? { user: plan.user } : {}),
          ...(cgroup?.workerProcs ? { cgroupProcs: cgroup.workerProcs } : {}),
        },
        [process.execPath, script, folder],
      ),
      // Built from nothing: the worker needs no secret, and a program can never read its environment anyway.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: process.env.LANG ?? 'C.UTF-8',
        HOME: '/tmp',
        TMPDIR: '/tmp',
      },
      // Nothing depends on where it starts (its course is named in the session), and / is open to any user.
      cwd: '/',
      sandboxed: true,
    });
    this.proc.on('message', (m: unknown) => this.receive(m));
    this.proc.on('garbage', (line: string) => this.fail(`it sent something that is not a result: ${line}`));
    this.gone = this.proc.exited.then(async ({ code, signal }) => {
      const tail = this.proc.stderr.trim().split('\n').slice(-3).join(' | ');
      // Its own memory limit, on the kernel's word: said so, rather than a bare SIGKILL.
      const oom = (this.cgroup?.workerEvidence().oomKills ?? 0) > 0;
      const why = oom
        ? ` when it used more than its ${sizeText(WORKER_MEMORY)} of memory (its cgroup's limit)`
        : '';
      this.fail(`it ended (${signal ?? `exit ${code}`})${why}${tail ? `: ${tail}` : ''}`);
      await this.cgroup?.remove();
    });
    // Its programs' cgroups go in the group handed to it.
    const sandbox =
      session.sandbox && cgroup
        ? { ...session.sandbox, cgroup: { version: cgroup.version, dir: cgroup.dir } }
        : session.sandbox;
    this.proc.send({ ...session, ...(sandbox ? { sandbox } : {}) });
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
  private readonly gone: Promise<void>[] = [];
  private readonly cgroups: CgroupSession | undefined;
  /**
   * What of the sandbox may change a grade, for resuming (app/digest.ts): whom programs run as and the limits
   * set. A grade saved under other limits (a program stopped at 512 MiB, now allowed 1 GiB) is not kept.
   */
  readonly setting: string;
  private readonly session: WorkerSession;

  constructor(
    session: WorkerSession,
    private readonly plan: SandboxPlan,
  ) {
    // The course this process graded with, named: the worker starts elsewhere and must not look for it there
    // (inside a student's folder it would find their socketlings.json).
    this.session = session.course ? session : { ...session, course: courseDir({ cwd: process.cwd() }) };
    // What a program may do besides: make user namespaces, and the memory the filter refuses (wire/seccomp.ts).
    const userns = session.sandbox?.closeUserns ? 'closed' : 'open';
    const filter = seccompFilter() ? process.arch : 'none';
    this.setting = `sandbox user=${plan.shownUser} memory=${plan.memoryBytes} disk=${plan.diskBytes} userns=${userns} seccomp=${filter}`;
    this.cgroups = plan.cgroup
      ? new CgroupSession(plan.cgroup, plan.user ? { uid: plan.user.uid, gid: plan.user.gid } : undefined)
      : undefined;
  }

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
      w = new StudentWorker(this.session, student, folder, this.plan, this.cgroups?.student());
      this.workers.set(student, w);
      this.gone.push(w.gone);
    }
    const p = w.grade(index, file);
    if (last) {
      w.done();
      this.workers.delete(student);
    }
    return p;
  }

  /** Every worker has been told to finish: once they are gone, the session's cgroup goes too. */
  async close(): Promise<void> {
    await Promise.all(this.gone);
    await this.cgroups?.close();
  }
}

/**
 * `verify --sandbox`: one exercise graded as `grade` grades, in a worker in its own network namespace with the
 * program sandboxed, for a learner who wants to run code they did not write (or an instructor trying a hand-in).
 */
export async function verifyIsolated(req: GradeRequest & { plan?: SandboxPlan }): Promise<ExerciseResult> {
  const plan = req.plan ?? sandboxPlan({}, req.lang);
  const support = sandboxSupport(plan.user);
  const t = appText(req.lang);
  if (!support.ok) throw new UserError(t.sandboxUnavailable(support.reason), support.fix);
  const needsFile = !req.run || /\{(file|name)\}/.test(req.run);
  const located = needsFile || req.file ? locateFile(req) : undefined;
  // The file's own folder, nothing above it (a hand-in tried in a workspace must not see it); not /tmp itself, the
  // worker's own (sandbox.ts); readable to the sandbox user, whom a root grader's worker runs as.
  const folder = located ? dirname(located.file) : req.cwd;
  if (realpathSync(folder) === '/tmp')
    throw new UserError(t.sandboxInTmp(located?.file ?? folder), t.sandboxInTmpNext);
  const closed = [folder, located?.file].find((p) => p && plan.user && !readableBy(p, plan.user));
  if (closed)
    throw new UserError(t.sandboxUserCannotReadProgram(plan.shownUser, closed), t.sandboxUserCannotReadNext);
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
  const iso = new Isolation(
    {
      type: 'session',
      ...(req.coursePath ? { course: resolve(req.cwd, req.coursePath) } : {}),
      lang: req.lang,
      assignment,
      ...(interpreter ? { interpreter } : {}),
      sandbox: sandboxFolders(support.bwrap, plan, interpreter, req.run, req.lang),
      timeScale: req.timeScale ?? 1,
      seed,
    },
    plan,
  );
  try {
    const scored = await iso.grade('verify', folder, 0, true, located?.file);
    if (isStopping()) throw new Interrupted();
    return scored.result;
  } finally {
    await iso.close();
  }
}
