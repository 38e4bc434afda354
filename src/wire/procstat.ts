// One reader of /proc/<pid>/stat for the modules that need a field of it, and of the kernel's lists of a process's
// children (Linux only; callers check first).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * The fields of /proc/<pid>/stat after the command name, so that index 0 is the state (field 3 of proc(5)),
 * 1 the parent, 2 the process group, 3 the session, 11 and 12 user and system time, 19 the start time.
 * Undefined when the process is gone or /proc cannot be read.
 */
export function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; the fields start after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * Whether this kernel lists a process's children (/proc/<pid>/task/<tid>/children, CONFIG_PROC_CHILDREN). Where
 * it does, a tree is found by reading the tree alone; where not, by reading every process on the machine.
 */
export const LISTS_CHILDREN = existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

/** The ids of a process's threads; none when it is gone. */
function threadsOf(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/**
 * The children of every thread of `pid` (a child is listed under the thread that forked it), zombies included.
 * Empty when the process is gone.
 */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const tid of threadsOf(pid)) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' '))
        if (c.trim()) out.push(Number(c));
    } catch {
      // The thread ended meanwhile; its children moved to another thread of the process.
    }
  }
  return out;
}

/**
 * Every process below `pid` still linked to it by parent links, zombies included, from the kernel's children
 * lists: a few reads per process of the tree, where the same answer from a scan of /proc costs a read of every
 * process on the machine (hundreds while a class is graded). A child that forks or exits while the lists are
 * read can be missed; callers that must see everything look again.
 */
export function descendantsOf(pid: number): number[] {
  const found = new Set<number>();
  const queue = [pid];
  // Bounded: parent links can change while the lists are read, and a tree has at most the sandbox's processes.
  while (queue.length > 0 && found.size < 10_000) {
    for (const c of childrenOf(queue.shift() as number)) {
      if (c === pid || found.has(c)) continue;
      found.add(c);
      queue.push(c);
    }
  }
  return [...found];
}

/**
 * A thread of `pid` that has not exited, or undefined. A process's first thread can end while the others go on
 * (a server whose main thread returned): the process then shows as a zombie, and its files only under a live
 * thread.
 */
export function liveThread(pid: number): number | undefined {
  for (const tid of threadsOf(pid)) {
    const state = statFields(`${pid}/task/${tid}`)?.[0];
    if (state !== undefined && state !== 'Z' && state !== 'X') return Number(tid);
  }
  return undefined;
}

/** Whether `pid` still runs: not a zombie, or a zombie whose other threads go on (liveThread). */
export function runs(pid: number): boolean {
  const state = statFields(pid)?.[0];
  if (state === undefined) return false;
  return (state !== 'Z' && state !== 'X') || liveThread(pid) !== undefined;
}
