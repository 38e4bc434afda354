// Finding and killing everything a learner's program started. The program runs as the leader of a new session
// (spawn with detached), so its descendants share that session id even if they change process group; a
// grandchild that calls setsid() itself is caught by walking parent links instead.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  zombie: boolean;
}

const HAS_PROC = process.platform === 'linux';

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
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may contain spaces and parentheses; fields start after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({
        pid: Number(name),
        zombie: rest[0] === 'Z' || rest[0] === 'X',
        ppid: Number(rest[1]),
        pgid: Number(rest[2]),
        sid: Number(rest[3]),
      });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Live (non-zombie) processes that belong to the program started as `leader`, including known descendants. */
export function membersOf(leader: number, known: Set<number>): number[] {
  if (!HAS_PROC) return [];
  const procs = readProcs();
  const found = new Set<number>();
  for (const p of procs)
    if (!p.zombie && (p.sid === leader || p.pgid === leader || known.has(p.pid))) found.add(p.pid);
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

/** Remember descendants while they are still linked to the tree, so a later daemonised one is still known. */
export function trackDescendants(leader: number, known: Set<number>): void {
  for (const pid of membersOf(leader, known)) known.add(pid);
}

export function signalAll(leader: number, known: Set<number>, signal: NodeJS.Signals): void {
  try {
    process.kill(-leader, signal);
  } catch {
    // The group is already gone.
  }
  for (const pid of membersOf(leader, known)) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone meanwhile.
    }
  }
}

export function anyAlive(leader: number, known: Set<number>): boolean {
  if (HAS_PROC) return membersOf(leader, known).length > 0;
  try {
    process.kill(-leader, 0);
    return true;
  } catch {
    return false;
  }
}
