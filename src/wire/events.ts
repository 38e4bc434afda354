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

/** Resolve when `ready()` holds, re-checked on every `poke`, or 'timeout' at the deadline. No polling. */
export class Waiters {
  private readonly pending = new Set<() => void>();

  poke(): void {
    for (const w of [...this.pending]) w();
  }

  until(ready: () => boolean, deadline: number): Promise<Wait> {
    if (ready()) return Promise.resolve('ok');
    return new Promise((resolve) => {
      const check = () => {
        if (ready()) done('ok');
      };
      // A deadline must never keep the process alive once nobody waits for it.
      const timer = setTimeout(() => done('timeout'), Math.max(0, deadline - Date.now()));
      timer.unref();
      const done = (r: Wait) => {
        clearTimeout(timer);
        this.pending.delete(check);
        resolve(r);
      };
      this.pending.add(check);
    });
  }
}
