/** What the wire layer reports as it happens; the grading layer turns these into the transcript. */
export interface WireEvent {
  /** `peer:<name>` for a reference peer's socket, `program` for the learner's program, `grader` otherwise. */
  who: string;
  kind:
    | 'send'
    | 'recv'
    | 'eof'
    | 'shutdown'
    | 'close'
    | 'connect'
    | 'accept'
    | 'error'
    | 'stdout'
    | 'stderr'
    | 'note';
  data?: Buffer;
  text?: string;
  /** UDP only: the far address, e.g. 127.0.0.1:40123 */
  addr?: string;
}

export type Log = (e: WireEvent) => void;

export type Wait = 'ok' | 'timeout';

interface Pending {
  check: () => void;
  done: (r: Wait) => void;
}

/**
 * Resolve when `ready()` holds, re-checked on every `poke`, or 'timeout' at the deadline. No polling. The deadline
 * timer keeps the process alive while someone waits (a wait is real work); `cancel` ends every wait at once, so a
 * closed socket leaves no timer behind to hold the process open.
 */
export class Waiters {
  private readonly pending = new Set<Pending>();

  poke(): void {
    for (const p of [...this.pending]) p.check();
  }

  cancel(): void {
    for (const p of [...this.pending]) p.done('timeout');
  }

  until(ready: () => boolean, deadline: number): Promise<Wait> {
    if (ready()) return Promise.resolve('ok');
    return new Promise((resolve) => {
      // At the deadline, first let the loop take in I/O that is already there: after a stall (a busy machine)
      // timers run before the poll phase, and a reply that came in time would otherwise lose to its own deadline.
      const timer = setTimeout(
        () => setImmediate(() => entry.done(ready() ? 'ok' : 'timeout')),
        Math.max(0, deadline - Date.now()),
      );
      const entry: Pending = {
        check: () => {
          if (ready()) entry.done('ok');
        },
        done: (r) => {
          clearTimeout(timer);
          this.pending.delete(entry);
          resolve(r);
        },
      };
      this.pending.add(entry);
    });
  }
}

/** A deadline to race against, that can be called off so its timer does not outlive the race. */
export function deadline(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((r) => {
    // Past the poll phase (see Waiters.until): what already happened wins over its deadline.
    timer = setTimeout(() => setImmediate(() => r('timeout')), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Wait on purpose (pacing, backoff); never for readiness, which is probed. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
