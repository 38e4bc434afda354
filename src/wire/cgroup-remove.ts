// Ending a cgroup: what is left in it killed, then the group removed once the kernel has let go of it.
import { readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A group removed once empty: the kernel may still be reaping its last process, so it is tried a few times. */
export async function removeGroup(dir: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      rmdirSync(dir);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/**
 * Kill whatever is still in a program's group, however it got there and whatever its pid says: a sandboxed program
 * that took over its sandbox's first process (by writing to its memory) can make that look like a zombie and
 * its sandbox like one that exited, so that no look at the process tree finds what it left running. Everything
 * it started is in the group all the same (cgroup v2's cgroup.kill; else each process the group lists).
 */
export function emptyGroup(dir: string): void {
  try {
    writeFileSync(join(dir, 'cgroup.kill'), '1');
    return;
  } catch {
    // cgroup v1, or a kernel before 5.14: one process at a time.
  }
  for (const pid of procsOf(dir).split('\n')) {
    try {
      if (pid.trim()) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

function procsOf(dir: string): string {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8');
  } catch {
    return '';
  }
}
