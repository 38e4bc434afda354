// Only stdin, stdout and stderr pass from whoever started socketlings to the programs it starts. A descriptor the
// caller left open without close-on-exec (a shell's `200>>log`, a CI runner's pipe, a lock) would otherwise reach
// every child, the graded program included, through the worker, bwrap and prlimit: writing to the caller's log, or
// `openat()` under a directory it holds, with the caller's rights. Node marks only the first few inherited
// descriptors close-on-exec (up to the first gap above 15), and libuv opens its own with close-on-exec, so at
// start-up every descriptor above 2 without that flag came from outside, and is closed here, once, for every
// program start that follows (grade, verify, verify --sandbox, peer, watch, workers).
import { closeSync, readdirSync, readFileSync } from 'node:fs';

/** O_CLOEXEC as /proc/<pid>/fdinfo shows it in `flags:` (octal). */
const O_CLOEXEC = 0o2000000;

/**
 * Close every inherited descriptor above 2 that children would inherit, except `keep` (one we were handed on
 * purpose, such as Node's IPC channel). Linux only: elsewhere there is no way to tell ours from the caller's.
 * Returns the descriptors closed.
 */
export function closeInheritedFds(keep: number[] = []): number[] {
  if (process.platform !== 'linux') return [];
  const channel = Number(process.env.NODE_CHANNEL_FD);
  const kept = new Set([...keep, ...(Number.isInteger(channel) ? [channel] : [])]);
  let names: string[];
  try {
    names = readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
  const closed: number[] = [];
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= 2 || kept.has(fd)) continue;
    let flags: number;
    try {
      flags = Number.parseInt(
        /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1] ?? '',
        8,
      );
    } catch {
      continue; // The listing's own descriptor, closed by now.
    }
    if (Number.isNaN(flags) || flags & O_CLOEXEC) continue;
    try {
      closeSync(fd);
      closed.push(fd);
    } catch {
      // Gone already.
    }
  }
  return closed;
}
