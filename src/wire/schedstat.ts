// How long a process waited to run. On a busy machine a correct program can be runnable and yet not scheduled for
// a long while, and a line it prints on time reaches the pipe late. Linux counts that wait per thread
// (/proc/<pid>/task/<tid>/schedstat, second field, in nanoseconds), so a "too late" judgement can forgive exactly
// the time the program spent waiting for a CPU, and nothing more.
import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds every thread of `pid` has spent runnable but waiting, so far; undefined where it cannot be read. */
export function waitedMs(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let ns = 0;
  for (const tid of tids) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) || 0;
    } catch {
      // The thread ended meanwhile: its wait is gone with it, which only makes the allowance smaller.
    }
  }
  return ns / 1e6;
}

/** CPU time (user + system) `pid` has used so far, in milliseconds; undefined where it cannot be read. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on every Linux that runs Node).
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}
