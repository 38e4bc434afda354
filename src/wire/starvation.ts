// What the kernel says about a program's turns on a CPU, thread by thread, and the CPU it and its children used:
// the facts from which grading/fairness.ts decides whether a late answer was the machine's doing. Linux only.
import { readdirSync, readFileSync } from 'node:fs';
import { PORTABLE } from './platform.js';
import { descendantsOf, LISTS_CHILDREN, statFields } from './procstat.js';

export interface ThreadSched {
  /** Time it waited, runnable, for a CPU since it started (ms). */
  wait: number;
  /** How many times it was given a CPU: a thread blocked in one wait is given it once when the wait ends. */
  slices: number;
}

export interface Sched {
  /** By thread id. */
  threads: Map<string, ThreadSched>;
  /**
   * CPU time (ms) the program used, and its children: the ones it has reaped (the kernel adds theirs to it), and
   * those still there, zombies included.
   */
  cpu: number;
}

/** /proc/<pid>/stat's user, system, and reaped children's user and system times, in ms (USER_HZ is 100). */
function cpuOf(f: string[]): number {
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
}

/** The kernel's scheduler facts for `pid`; undefined where they cannot be read (not Linux, portable, gone). */
export function schedOf(pid: number | undefined): Sched | undefined {
  if (pid === undefined || PORTABLE) return undefined;
  const own = statFields(pid);
  if (!own) return undefined;
  const threads = new Map<string, ThreadSched>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const [, wait = '0', slices = '0'] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(
          ' ',
        );
        threads.set(tid, { wait: Number(wait) / 1e6, slices: Number(slices) });
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    return undefined;
  }
  return { threads, cpu: cpuOf(own) + descendantsCpu(pid) };
}

/** CPU time of the processes below `pid` that are still there (zombies too: a killed child not yet reaped). */
function descendantsCpu(pid: number): number {
  // Sampled several times a grading: the tree's own lists, not a read of every process on the machine.
  if (LISTS_CHILDREN) {
    let total = 0;
    for (const d of descendantsOf(pid)) {
      const f = statFields(d);
      if (f) total += cpuOf(f);
    }
    return total;
  }
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return 0;
  }
  const parent = new Map<number, { ppid: number; cpu: number }>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name);
    if (f) parent.set(Number(name), { ppid: Number(f[1]), cpu: cpuOf(f) });
  }
  let total = 0;
  for (const [p, info] of parent) {
    // Walk up: is `pid` an ancestor? (A bounded walk: parent links can change while /proc is read.)
    let up = info.ppid;
    for (let hops = 0; hops < 64 && up > 1; hops++) {
      if (up === pid) {
        if (p !== pid) total += info.cpu;
        break;
      }
      up = parent.get(up)?.ppid ?? 0;
    }
  }
  return total;
}
