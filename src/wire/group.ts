// Finding and killing everything a learner's program started. The program runs as the leader of a new session
// (spawn with detached), so its descendants share that session id even if they change process group. A daemon
// that calls setsid() and is reparented to init shares nothing with us any more but its environment: every run
// carries a unique SOCKETLINGS_RUN marker, which forks inherit, and /proc/<pid>/environ shows it.
import { readdirSync, readFileSync } from 'node:fs';
import { PORTABLE } from './platform.js';
import { descendantsOf, liveThread, runs, statFields } from './procstat.js';

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  zombie: boolean;
  /** Clock ticks after boot when it started. */
  start: number;
}

/** Off on macOS and Windows, and with SOCKETLINGS_PORTABLE=1: then nothing here touches /proc. */
const HAS_PROC = !PORTABLE;

function readProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const rest = statFields(name);
    // Undefined: the process ended while we looked.
    if (rest)
      out.push({
        pid: Number(name),
        zombie: (rest[0] === 'Z' || rest[0] === 'X') && liveThread(Number(name)) === undefined,
        ppid: Number(rest[1]),
        pgid: Number(rest[2]),
        sid: Number(rest[3]),
        start: Number(rest[19]),
      });
  }
  return out;
}

function carries(pid: number, needle: string): boolean {
  const read = (file: string) => {
    try {
      return readFileSync(file);
    } catch {
      return Buffer.alloc(0);
    }
  };
  let env = read(`/proc/${pid}/environ`);
  // A process whose first thread has ended shows its environment only under a thread that goes on.
  if (env.length === 0) {
    const thread = liveThread(pid);
    if (thread !== undefined && thread !== pid) env = read(`/proc/${pid}/task/${thread}/environ`);
  }
  // A leading NUL lets the first variable match like the others.
  return Buffer.concat([Buffer.from([0]), env]).includes(needle);
}

/**
 * Live (non-zombie) processes that belong to the program started as `leader`. `deep` also reads every process's
 * environment for the run marker: needed to find a daemon, and too slow to do on every readiness probe.
 */
export function membersOf(leader: number | undefined, marker: string, deep = true, since = 0): number[] {
  if (!HAS_PROC) return [];
  const procs = readProcs();
  const found = new Set<number>();
  const needle = `\0${marker}\0`;
  for (const p of procs) {
    if (p.zombie || p.pid === process.pid) continue;
    // Only a process started after the program can carry its marker: older ones need no environment read.
    const led = leader !== undefined && (p.sid === leader || p.pgid === leader);
    if (led || (deep && p.start >= since && carries(p.pid, needle))) found.add(p.pid);
  }
  // Follow parent links from everything found, to catch children that left the session.
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!p.zombie && !found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * Running processes (runs(): not zombies, or zombies whose other threads go on) among `roots` and everything below
 * them, found by the kernel's children lists. For
 * a program in its sandbox this is all of it: nothing leaves a PID namespace, and an orphan inside is adopted by
 * the namespace's init, one of the roots.
 */
export function treeMembers(roots: number[]): number[] {
  const all = new Set<number>();
  for (const r of roots) {
    all.add(r);
    for (const d of descendantsOf(r)) all.add(d);
  }
  return [...all].filter((pid) => pid !== process.pid && runs(pid));
}

export function signalAll(leader: number, marker: string, signal: NodeJS.Signals, since = 0): void {
  try {
    process.kill(-leader, signal);
  } catch {
    // The group is already gone.
  }
  for (const pid of membersOf(leader, marker, true, since)) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone meanwhile.
    }
  }
}

/** When a process started, in clock ticks after boot (0 where it cannot be told). */
export function startTicks(pid: number): number {
  if (!HAS_PROC) return 0;
  return Number(statFields(pid)?.[19]) || 0;
}

/** Is anything left in the process group? One system call; zombies count until they are reaped. */
export function groupAlive(leader: number): boolean {
  try {
    process.kill(-leader, 0);
    return true;
  } catch {
    return false;
  }
}

export function anyAlive(leader: number, marker: string, deep = true, since = 0): boolean {
  if (HAS_PROC) return membersOf(leader, marker, deep, since).length > 0;
  try {
    process.kill(-leader, 0);
    return true;
  } catch {
    return false;
  }
}
