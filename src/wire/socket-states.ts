// The kernel's view of TCP sockets on loopback, sampled while a program runs, so a learner can see a half-closed
// connection (CLOSE_WAIT) or a close they forgot. Linux only: the states come from /proc/net/tcp and tcp6.
//
// Sockets are recorded by their ports, not by the process holding them: once a program closes a connection the
// socket lives on in FIN_WAIT2 or TIME_WAIT with no process at all, and those are the states worth seeing. Which
// ports are the program's is decided later, from the transcript (see src/grading/wire-states.ts).
//
// Reading a table costs the kernel a walk of its whole connection hash, about 2 ms of CPU here per file whatever
// the table holds. A socket changes state only when something happens on its connection (a connect, a FIN, a
// reset, an exit), and each of those is a line of the transcript: so a table is read when such a line is logged,
// and again while the states are still changing, rather than on a clock. The read runs on libuv's thread pool,
// never stalling the grader's event loop, whose timing judgements depend on it; only the parse is on it.
import { accessSync, close, constants, open, read, readFileSync } from 'node:fs';

/** The kernel's TCP states, by the hex code in the tables' `st` column. */
const STATES: Record<string, TcpState> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
  '0C': 'SYN_RECV',
};

export type TcpState =
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'CLOSING';

/** One socket's state from some moment on; `gone` when it left the table. */
export interface StateChange {
  /** Epoch ms of the sample that saw it. */
  at: number;
  localPort: number;
  remotePort: number;
  state: TcpState | 'gone';
}

export type SamplingCheck = { ok: true } | { ok: false; why: 'not-linux' | 'no-proc' };

export function canSampleStates(): SamplingCheck {
  if (process.platform !== 'linux') return { ok: false, why: 'not-linux' };
  try {
    accessSync(TCP4, constants.R_OK);
    return { ok: true };
  } catch {
    return { ok: false, why: 'no-proc' };
  }
}

// 127.x.x.x as the tables write it (host order, so the 7F comes last), ::1, and 127.x mapped into IPv6.
const LOOPBACK4 = /^[0-9A-F]{6}7F$/i;
const LOOPBACK6 = /^(0{24}01000000|0{16}FFFF0000[0-9A-F]{6}7F)$/i;

type Row = { localPort: number; remotePort: number; state: TcpState };

export const TCP4 = '/proc/net/tcp';
export const TCP6 = '/proc/net/tcp6';

/** Loopback TCP sockets now, from these tables: key `local>remote` (addresses and ports) to state. */
export function tcpSnapshot(tables: string[]): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const file of tables) {
    try {
      parseTcpTable(readFileSync(file, 'latin1'), out);
    } catch {
      // No such table here (no IPv6): nothing in it.
    }
  }
  return out;
}

/** The loopback rows of one /proc/net/tcp or tcp6 text, added to `out`. */
export function parseTcpTable(text: string, out = new Map<string, Row>()): Map<string, Row> {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = (lines[i] as string).trim().split(/\s+/);
    const [la = '', lp = ''] = (f[1] ?? '').split(':');
    const [ra = '', rp = ''] = (f[2] ?? '').split(':');
    const state = STATES[(f[3] ?? '').toUpperCase()];
    if (!state) continue;
    const loop = (a: string) => LOOPBACK4.test(a) || LOOPBACK6.test(a) || /^0+$/.test(a);
    if (!loop(la) || !loop(ra)) continue;
    out.set(`${la}:${lp}>${ra}:${rp}`, {
      localPort: Number.parseInt(lp, 16),
      remotePort: Number.parseInt(rp, 16),
      state,
    });
  }
  return out;
}

/** The changes between one snapshot and the next. */
export class StateTracker {
  private last = new Map<string, Row>();

  sample(tables: string[]): StateChange[] {
    return this.next(Date.now(), tcpSnapshot(tables));
  }

  /** The changes from the last snapshot to this one, taken at `at`. */
  next(at: number, snapshot: Map<string, Row>): StateChange[] {
    const changes: StateChange[] = [];
    for (const [key, row] of snapshot)
      if (this.last.get(key)?.state !== row.state) changes.push({ at, ...row });
    for (const [key, row] of this.last)
      if (!snapshot.has(key))
        changes.push({ at, localPort: row.localPort, remotePort: row.remotePort, state: 'gone' });
    this.last = snapshot;
    return changes;
  }
}

/** From a transcript line to the read it asks for: the effects of a FIN or a connect take a moment to show. */
const SETTLE_MS = 5;
/** While states keep changing, look again this much later (a close answered by a close, a TIME_WAIT coming). */
export const FOLLOW_MS = 100;

/** A table read whole from the start (a /proc table is made afresh for a read at offset 0), off the loop. */
class ProcTable {
  private fd: number | undefined;
  private failed = false;
  private buf = Buffer.alloc(64 * 1024);

  constructor(readonly file: string) {}

  text(): Promise<string | undefined> {
    return new Promise((resolve) => {
      const fail = () => {
        this.failed = true;
        resolve(undefined);
      };
      if (this.failed) return resolve(undefined);
      const from = (fd: number) => {
        let got = 0;
        const more = () =>
          read(fd, this.buf, got, this.buf.length - got, got, (err, n) => {
            if (err) return fail();
            if (n === 0) return resolve(this.buf.toString('latin1', 0, got));
            got += n;
            // A busy machine's table outgrows the buffer: twice as big, read on from where it was.
            if (got === this.buf.length) {
              const bigger = Buffer.alloc(this.buf.length * 2);
              this.buf.copy(bigger, 0, 0, got);
              this.buf = bigger;
            }
            more();
          });
        more();
      };
      if (this.fd !== undefined) return from(this.fd);
      open(this.file, 'r', (err, fd) => {
        if (err) return fail();
        this.fd = fd;
        from(fd);
      });
    });
  }

  close(): void {
    if (this.fd !== undefined) close(this.fd, () => undefined);
    this.fd = undefined;
  }
}

/**
 * Samples when told that something happened on the wire (`poke`), and keeps the changes. Durable states
 * (CLOSE_WAIT, FIN_WAIT2, TIME_WAIT, a LISTEN left open) are what a learner's mistake leaves standing; a read
 * just after each event that can change a state, and again while states are still changing, sees them all. The
 * handshake states on loopback last microseconds and are seen only when something holds them (a full accept
 * queue).
 */
export class StateSampler {
  readonly changes: StateChange[] = [];
  private readonly tracker = new StateTracker();
  private readonly tables = [new ProcTable(TCP4)];
  private timer: NodeJS.Timeout | undefined;
  /** When the pending read is due. */
  private due = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** How many tables were read, for the bench and the tests: the cost of the picture. */
  reads = 0;

  constructor(private readonly onChange?: (c: StateChange) => void) {
    this.poke();
  }

  /** Read the IPv6 table too from now on. */
  want6(): void {
    if (!this.tables.some((t) => t.file === TCP6)) this.tables.push(new ProcTable(TCP6));
  }

  /** Something that may change a socket's state happened: look soon. */
  poke(delay = SETTLE_MS): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // A read already due sooner serves this one too; one due later (a follow-up) is brought forward.
    const due = Date.now() + delay;
    if (this.timer) {
      if (this.due <= due) return;
      clearTimeout(this.timer);
    }
    this.due = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.sample().finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
    }, delay);
    // Sampling alone must not keep a finished command alive.
    this.timer.unref();
  }

  private async sample(): Promise<void> {
    const at = Date.now();
    const texts = await Promise.all(this.tables.map((t) => t.text()));
    this.reads += texts.length;
    const snapshot = new Map<string, Row>();
    for (const text of texts) if (text !== undefined) parseTcpTable(text, snapshot);
    const changes = this.tracker.next(at, snapshot);
    for (const c of changes) {
      this.changes.push(c);
      this.onChange?.(c);
    }
    if (changes.length && !this.stopped) this.poke(FOLLOW_MS);
  }

  /** One last sample, then the changes seen. */
  async stop(): Promise<StateChange[]> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.sample();
    for (const t of this.tables) t.close();
    return this.changes;
  }
}
