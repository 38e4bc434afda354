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

/**
 * When a wait ends: a time (ms since the epoch), or one that may move later while the wait runs (a grader forgives
 * the time a busy machine took from the program). `due()` is asked again whenever the last time it gave comes.
 */
export type Deadline =
  | number
  | {
      due(): number;
      /**
       * Told when a wait ends in success only after its deadline: the loop could not look in time (a stall longer
       * than the deadline forgives), so whether it happened in time is not known.
       */
      late?(): void;
    };

export function dueOf(d: Deadline): number {
  return typeof d === 'number' ? d : d.due();
}

/** A timer's usual lateness: success seen this soon after the deadline still counts as seen at it. */
const LATE_MS = 25;

/** Call when a wait on `d` has succeeded: tells the deadline if that was seen too late to date it. */
export function succeeded(d: Deadline): void {
  if (typeof d !== 'number' && d.late && Date.now() > d.due() + LATE_MS) d.late();
}

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

  until(ready: () => boolean, deadline: Deadline): Promise<Wait> {
    if (ready()) return Promise.resolve('ok');
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      // At the deadline, first let the loop take in I/O that is already there: after a stall (a busy machine)
      // timers run before the poll phase, and a reply that came in time would otherwise lose to its own deadline.
      // Then ask the deadline again: it may have moved.
      const arm = () => {
        timer = setTimeout(
          () =>
            setImmediate(() => {
              if (settled) return;
              if (ready()) {
                succeeded(deadline);
                entry.done('ok');
              } else if (dueOf(deadline) > Date.now()) arm();
              else entry.done('timeout');
            }),
          Math.max(0, dueOf(deadline) - Date.now()),
        );
      };
      const entry: Pending = {
        check: () => {
          if (!ready()) return;
          succeeded(deadline);
          entry.done('ok');
        },
        done: (r) => {
          settled = true;
          clearTimeout(timer);
          this.pending.delete(entry);
          resolve(r);
        },
      };
      this.pending.add(entry);
      arm();
    });
  }
}

/**
 * A deadline to race against (`ms` from now, or a moving one), that can be called off so its timer does not
 * outlive the race. What already happened wins over it, as in Waiters.until.
 */
export function deadline(ms: Deadline): { promise: Promise<'timeout'>; cancel: () => void } {
  const waiters = new Waiters();
  const at: Deadline = typeof ms === 'number' ? Date.now() + ms : ms;
  return {
    promise: waiters.until(() => false, at).then(() => 'timeout' as const),
    cancel: () => waiters.cancel(),
  };
}

/** Wait on purpose (pacing, backoff); never for readiness, which is probed. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** How a process ended: its exit code, or the signal that ended it. */
export type Exit = { code: number | null; signal: NodeJS.Signals | null };
