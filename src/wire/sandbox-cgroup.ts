// A memory limit on a graded program's whole process tree (and on cgroup v2 a process limit too), through a cgroup
// of its own. Per-process limits (RLIMIT_AS) bound each process, not the tree: four children of 2 GiB each are
// 8 GiB, and tmpfs pages are charged to no process at all. A cgroup charges both, for everything inside it.
//
// Layout, made where this process may write (see cgroupBase):
//   <base>/socketlings-<pid>-<id>/            one grading session, made by the grader
//     s-<n>/                                  one student's worker, handed to the sandbox user (delegated)
//       worker/                               the worker itself, with a memory limit of its own (WORKER_MEMORY);
//                                             on v2 also because a group with children may hold no process,
//                                             and moves need a common writable ancestor
//       p-<uuid>/                             one program, made by the worker, with memory.limit_in_bytes or
//                                             memory.max; the program's first shell moves itself in
// Everything is removed when its user is gone; what a SIGKILL leaves behind is a few empty folders.
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { emptyGroup, removeGroup } from './cgroup-remove.js';

export type CgroupVersion = 1 | 2;

export interface CgroupBase {
  version: CgroupVersion;
  /** The folder our groups go under. */
  dir: string;
  /**
   * cgroup v2, a delegated group that still holds processes (a `systemd-run --scope -p Delegate=yes`): they must
   * move into a leaf of their own before the group may hand controllers to children (see prepareBase).
   */
  leaf?: boolean;
}

const ROOT = '/sys/fs/cgroup';

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const words = (file: string) => read(file).split(/\s+/).filter(Boolean);

/** Our own groups, from /proc/self/cgroup: the v1 memory hierarchy's path and the v2 (unified) one. */
export function ownGroups(text: string): { memory?: string; unified?: string } {
  const out: { memory?: string; unified?: string } = {};
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(\/.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === '') out.unified = m[2] as string;
    else if (m[1]?.split(',').includes('memory')) out.memory = m[2] as string;
  }
  return out;
}

/**
 * The memory this process may use at most: the machine's, or less where a cgroup it is in (or one above it) has a
 * limit (a container, a CI runner, a systemd slice). `total` is the machine's (os.totalmem()).
 */
export function memoryCeiling(total: number, root = ROOT, self = read('/proc/self/cgroup')): number {
  const own = ownGroups(self);
  let least = total;
  const consider = (file: string) => {
    const v = read(file).trim();
    // "max" (v2) or a page-rounded 2^63 (v1): no limit.
    const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
    if (Number.isFinite(n) && n > 0 && n < least) least = n;
  };
  const up = (top: string, path: string | undefined, file: string) => {
    if (path === undefined) return;
    for (let p = path; ; p = p.slice(0, p.lastIndexOf('/')) || '/') {
      consider(join(top, p, file));
      if (p === '/') break;
    }
  };
  up(join(root, 'memory'), own.memory, 'memory.limit_in_bytes');
  up(root, own.unified, 'memory.max');
  return least;
}

/** Whether a child group with a memory limit can be made (and removed) here. */
function probe(dir: string, version: CgroupVersion): boolean {
  const child = join(dir, `socketlings-probe-${process.pid}-${randomUUID().slice(0, 8)}`);
  try {
    mkdirSync(child);
  } catch {
    return false;
  }
  try {
    writeFileSync(
      join(child, version === 1 ? 'memory.limit_in_bytes' : 'memory.max'),
      String(64 * 1024 ** 2),
    );
    return true;
  } catch {
    return false;
  } finally {
    try {
      rmdirSync(child);
    } catch {
      // Made a moment ago and empty: nothing holds it.
    }
  }
}

/**
 * Where this process can make memory cgroups, or undefined where it cannot (then the fallback of per-process
 * limits applies; the README and every report say which). Looked for, in order:
 * - cgroup v1 (a `memory` hierarchy, as on these machines): our own memory group, then the hierarchy's root.
 *   Root can; anyone else only where a group was handed to them.
 * - cgroup v2: our own group where it already hands `memory` to children, the hierarchy's root (root only), or
 *   our own group where it was delegated to us but still holds processes (they move to a leaf first).
 * Nothing is changed by looking, beyond a probe group made and removed.
 */
export function cgroupBase(root = ROOT, self = read('/proc/self/cgroup')): CgroupBase | undefined {
  const own = ownGroups(self);
  if (existsSync(join(root, 'memory', 'memory.limit_in_bytes'))) {
    const candidates = [...(own.memory ? [join(root, 'memory', own.memory)] : []), join(root, 'memory')];
    for (const dir of new Set(candidates)) if (probe(dir, 1)) return { version: 1, dir };
    return undefined;
  }
  if (!existsSync(join(root, 'cgroup.controllers'))) return undefined;
  const mine = own.unified !== undefined ? join(root, own.unified) : undefined;
  if (mine && words(join(mine, 'cgroup.subtree_control')).includes('memory') && probe(mine, 2))
    return { version: 2, dir: mine };
  if (mine !== root && words(join(root, 'cgroup.subtree_control')).includes('memory') && probe(root, 2))
    return { version: 2, dir: root };
  if (mine && mine !== root && words(join(mine, 'cgroup.controllers')).includes('memory')) {
    // Delegated but busy: we can tell only by trying to make a child, which is harmless.
    const child = join(mine, `socketlings-probe-${process.pid}`);
    try {
      mkdirSync(child);
      rmdirSync(child);
      return { version: 2, dir: mine, leaf: true };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Controllers a v2 group must hand to its children for ours: memory, and pids where there is one. */
function enable(dir: string): void {
  const available = words(join(dir, 'cgroup.controllers'));
  const on = words(join(dir, 'cgroup.subtree_control'));
  const want = ['memory', 'pids'].filter((c) => available.includes(c) && !on.includes(c));
  if (want.length) writeFileSync(join(dir, 'cgroup.subtree_control'), want.map((c) => `+${c}`).join(' '));
}

/**
 * cgroup v2 leaves no process in a group that hands controllers to children. In a delegated group that still
 * holds ours (and the command that started us), every one of them moves to a leaf first; they stay inside the
 * group that was handed to us, so nothing outside it changes.
 */
export function prepareBase(base: CgroupBase): void {
  if (base.version !== 2 || !base.leaf) return;
  const leaf = join(base.dir, `socketlings-self-${process.pid}`);
  mkdirSync(leaf, { recursive: true });
  for (const pid of words(join(base.dir, 'cgroup.procs'))) {
    try {
      appendFileSync(join(leaf, 'cgroup.procs'), `${pid}\n`);
    } catch {
      // Gone meanwhile, or a kernel thread: nothing to move.
    }
  }
  enable(base.dir);
}

/** Whether a process of this id exists (signal 0 asks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Groups an earlier grading left when it was killed (SIGKILL runs no exit handler): empty by now, since their
 * processes died with it, and removed here, deepest first. A group still busy stays.
 */
function removeStale(base: string): void {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^socketlings-(\d+)-/.exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    const tree = (dir: string): string[] => {
      try {
        return readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .flatMap((e) => [...tree(join(dir, e.name)), join(dir, e.name)]);
      } catch {
        return [];
      }
    };
    for (const dir of [...tree(join(base, name)), join(base, name)])
      try {
        rmdirSync(dir);
      } catch {
        // Still busy, or not ours to remove.
      }
  }
}

/** Our groups still present, for the exit path (see removeAllCgroups). Deepest first. */
const made = new Set<string>();

function mkgroup(dir: string): void {
  mkdirSync(dir);
  made.add(dir);
}

/** Synchronous and best effort, for the signal path and process 'exit': every group still listed, deepest first. */
export function removeAllCgroups(): void {
  for (const dir of [...made].sort((a, b) => b.length - a.length)) {
    try {
      for (const e of readdirSync(dir, { withFileTypes: true }))
        if (e.isDirectory())
          try {
            rmdirSync(join(dir, e.name));
          } catch {
            // Still busy: a process the kernel has not finished with.
          }
      rmdirSync(dir);
      made.delete(dir);
    } catch {
      // Busy or gone.
    }
  }
}

/**
 * The memory a student's worker may use, itself (its programs have limits of their own): Node, the reference
 * peers and what they hold of the programs' traffic. A worker grading a whole course at once stays far below it
 * (README, "Limits"); a grader bug or a route around the peers' own bounds stops at it, one student's worker
 * alone, not the machine.
 */
export const WORKER_MEMORY = 1024 ** 3;

export interface StudentCgroup {
  /** The delegated group where the worker makes one group per program. */
  dir: string;
  version: CgroupVersion;
  /** The file the worker's first process writes its pid into (the `worker` leaf, with its memory limit). */
  workerProcs: string;
  /** What the kernel says the worker's own group went through (an OOM kill that ended it). */
  workerEvidence(): MemoryEvidence;
  remove(): Promise<void>;
}

/** The files of a group that its delegate must write: what systemd hands over with Delegate=yes. */
const DELEGATED = ['cgroup.procs', 'tasks', 'cgroup.subtree_control', 'cgroup.threads'];

/**
 * One grading session's groups, made by the grader: a group per student's worker, handed to the sandbox user
 * (chown) when that is not the grader, so the worker, unprivileged, can make its programs' groups inside.
 */
export class CgroupSession {
  private dir: string | undefined;
  private n = 0;

  constructor(
    readonly base: CgroupBase,
    private readonly owner?: { uid: number; gid: number },
  ) {}

  private session(): string {
    if (this.dir) return this.dir;
    prepareBase(this.base);
    removeStale(this.base.dir);
    const dir = join(this.base.dir, `socketlings-${process.pid}-${randomUUID().slice(0, 8)}`);
    mkgroup(dir);
    if (this.base.version === 2) enable(dir);
    this.dir = dir;
    return dir;
  }

  /** A group for one student's worker, or undefined if it cannot be made (the worker then falls back). */
  student(): StudentCgroup | undefined {
    try {
      const dir = join(this.session(), `s-${this.n++}`);
      mkgroup(dir);
      if (this.base.version === 2) enable(dir);
      const worker = join(dir, 'worker');
      mkgroup(worker);
      writeLimits(worker, this.base.version, WORKER_MEMORY);
      const owner = this.owner;
      if (owner) {
        chownSync(dir, owner.uid, owner.gid);
        for (const f of DELEGATED)
          if (existsSync(join(dir, f))) chownSync(join(dir, f), owner.uid, owner.gid);
      }
      const version = this.base.version;
      return {
        dir,
        version,
        workerProcs: join(worker, 'cgroup.procs'),
        workerEvidence: () => evidenceOf(worker, version),
        remove: async () => {
          // Program groups a worker that died could not remove, then the worker's leaf, then the student's.
          let children: string[] = [];
          try {
            children = readdirSync(dir, { withFileTypes: true })
              .filter((e) => e.isDirectory())
              .map((e) => join(dir, e.name));
          } catch {
            // Gone already.
          }
          await Promise.all(children.map(removeGroup));
          await removeGroup(dir);
          for (const d of [...children, dir]) made.delete(d);
        },
      };
    } catch {
      return undefined;
    }
  }

  /** The session's own group, once every student's is gone. */
  async close(): Promise<void> {
    if (!this.dir) return;
    await removeGroup(this.dir);
    made.delete(this.dir);
    this.dir = undefined;
  }
}

/** What the kernel says a program's group went through. */
export interface MemoryEvidence {
  /** Processes the kernel killed because the group reached its limit. */
  oomKills: number;
  /** The most the group held at once, bytes, where the kernel keeps count. */
  peak?: number;
}

export interface ProgramCgroup {
  dir: string;
  /** Shell words that move the program's first process into the group before it execs the rest. */
  prefix: string[];
  evidence(): MemoryEvidence;
  remove(): Promise<void>;
}

function field(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** A group's memory limit (and swap at none), written as v1 or v2 name them; throws if the limit cannot be set. */
function writeLimits(dir: string, version: CgroupVersion, bytes: number): void {
  const put = (file: string, value: string, required: boolean) => {
    try {
      writeFileSync(join(dir, file), value);
    } catch (err) {
      if (required) throw err;
    }
  };
  if (version === 1) {
    put('memory.limit_in_bytes', String(bytes), true);
    // With swap accounting on, swap counts too: the limit is on memory and swap together.
    put('memory.memsw.limit_in_bytes', String(bytes), false);
  } else {
    put('memory.max', String(bytes), true);
    put('memory.swap.max', '0', false);
  }
}

function evidenceOf(dir: string, version: CgroupVersion): MemoryEvidence {
  if (version === 1) {
    const peak = Number(read(join(dir, 'memory.max_usage_in_bytes')).trim());
    return {
      oomKills: field(read(join(dir, 'memory.oom_control')), 'oom_kill'),
      ...(peak > 0 ? { peak } : {}),
    };
  }
  const peak = Number(read(join(dir, 'memory.peak')).trim());
  return { oomKills: field(read(join(dir, 'memory.events')), 'oom_kill'), ...(peak > 0 ? { peak } : {}) };
}

/**
 * A group for one program under a student's (delegated) group, with its limits written, or undefined when it
 * cannot be made (the program then runs under the per-process limits alone, and its result says so).
 */
export function programCgroup(
  parent: { version: CgroupVersion; dir: string },
  limits: { memoryBytes: number; processes: number },
): ProgramCgroup | undefined {
  const dir = join(parent.dir, `p-${randomUUID()}`);
  const put = (file: string, value: string, required: boolean) => {
    try {
      writeFileSync(join(dir, file), value);
    } catch (err) {
      if (required) throw err;
    }
  };
  try {
    mkdirSync(dir);
  } catch {
    return undefined;
  }
  try {
    writeLimits(dir, parent.version, limits.memoryBytes);
    if (parent.version === 2) {
      // One process over the limit ends the whole tree, as the verdict says: a hog's siblings cannot go on.
      put('memory.oom.group', '1', false);
      put('pids.max', String(limits.processes), false);
    }
  } catch {
    void removeGroup(dir);
    return undefined;
  }
  return {
    dir,
    prefix: ['/bin/sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', dir],
    evidence: () => evidenceOf(dir, parent.version),
    remove: async () => {
      emptyGroup(dir);
      await removeGroup(dir);
    },
  };
}
