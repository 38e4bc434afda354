// The kernel's view of TCP sockets on loopback, sampled while a program runs, so a learner can see a half-closed
// connection (CLOSE_WAIT) or a close they forgot. Linux only: the states come from /proc/net/tcp and tcp6.
//
// Sockets are recorded by their ports, not by the process holding them: once a program closes a connection the
// socket lives on in FIN_WAIT2 or TIME_WAIT with no process at all, and those are the states worth seeing. Which
// ports are the program's is decided later, from the transcript (see src/grading/wire-states.ts).
//
// Reading a table is slow whatever its size: the kernel walks its whole connection hash, about 8 ms here per
// file. So the sampling runs on a worker thread (never stalling the grader's event loop, whose timing judgements
// depend on it), every 100 ms, and reads the IPv6 table only once an IPv6 connection has been seen.
import { accessSync, constants, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

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
    const now = Date.now();
    const next = tcpSnapshot(tables);
    const changes: StateChange[] = [];
    for (const [key, row] of next)
      if (this.last.get(key)?.state !== row.state) changes.push({ at: now, ...row });
    for (const [key, row] of this.last)
      if (!next.has(key))
        changes.push({ at: now, localPort: row.localPort, remotePort: row.remotePort, state: 'gone' });
    this.last = next;
    return changes;
  }
}

export const SAMPLE_MS = 100;

/** Messages between the sampler and its worker (socket-states-worker.ts). */
export type ToWorker = { kind: 'want6' } | { kind: 'stop' };
export type FromWorker = { kind: 'changes'; changes: StateChange[] } | { kind: 'stopped' };

/**
 * Samples on a worker thread and keeps the changes. Durable states (CLOSE_WAIT, FIN_WAIT2, TIME_WAIT, a LISTEN
 * left open) are what a learner's mistake leaves standing, and a sample every 100 ms sees them all (each costs the kernel a walk of its connection hash, a few ms); the handshake states on
 * loopback last microseconds and are seen only when something holds them (a full accept queue).
 */
export class StateSampler {
  readonly changes: StateChange[] = [];
  private readonly worker: Worker;
  private readonly stopped: Promise<StateChange[]>;

  constructor(onChange?: (c: StateChange) => void) {
    this.worker = new Worker(new URL('./socket-states-worker.js', import.meta.url));
    // Sampling alone must not keep a finished command alive.
    this.worker.unref();
    this.stopped = new Promise((resolve) => {
      this.worker.on('message', (m: FromWorker) => {
        if (m.kind === 'stopped') {
          void this.worker.terminate();
          resolve(this.changes);
          return;
        }
        for (const c of m.changes) {
          this.changes.push(c);
          onChange?.(c);
        }
      });
      // A worker that cannot run leaves the view without states; it never fails the command.
      this.worker.on('error', () => resolve(this.changes));
      this.worker.on('exit', () => resolve(this.changes));
    });
  }

  /** Read the IPv6 table too from now on. */
  want6(): void {
    this.worker.postMessage({ kind: 'want6' } satisfies ToWorker);
  }

  /** One last sample, then the changes seen. */
  stop(): Promise<StateChange[]> {
    this.worker.postMessage({ kind: 'stop' } satisfies ToWorker);
    return this.stopped;
  }
}
