// A lock file shared by the processes that work in one workspace (two terminals, watch mode and a verify, the
// menu): whoever creates `<file>.lock` with O_EXCL holds it. The section it guards is a read, a merge and an
// atomic write of a small file, a few milliseconds, so waiting is done synchronously, and a lock older than
// STALE_MS, or one whose holder has died on this machine, is taken over (its holder was killed mid-section).
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** A holder is never inside the section this long: a lock this old was left by a process that was killed. */
export const STALE_MS = 10_000;

/** How long to wait for another holder before giving up (a section lasts milliseconds). */
export const WAIT_MS = 5_000;

export class LockTimeout extends Error {}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stale: its holder is gone (same machine, dead pid), or it is far older than any section. */
function isStale(lock: string): boolean {
  try {
    const age = Date.now() - statSync(lock).mtimeMs;
    if (age > STALE_MS) return true;
    const [pid, host] = readFileSync(lock, 'utf8').split('\n');
    // A lock still being written has no content yet: give it its few microseconds.
    if (!pid) return false;
    return host === hostname() && !alive(Number(pid));
  } catch {
    // Gone meanwhile: the next try will create it.
    return false;
  }
}

function tryTake(lock: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${process.pid}\n${hostname()}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Run `fn` holding `<file>.lock`. Errors creating the lock (a read-only workspace: EACCES, EROFS) are thrown as
 * they are; a holder that does not let go within WAIT_MS gives a LockTimeout.
 */
export function withLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 2; !tryTake(lock); delay = Math.min(delay * 2, 50)) {
    if (isStale(lock)) {
      try {
        unlinkSync(lock);
      } catch {
        // Another waiter removed it first.
      }
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeout(lock);
    // Jitter, so two waiters do not retry in step.
    sleepSync(delay + Math.random() * delay);
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // Taken over as stale while we held it: nothing of ours to remove.
    }
  }
}
