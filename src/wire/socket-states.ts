// The kernel's view of TCP sockets on loopback, sampled while a program runs, so a learner can see a half-closed
// connection (CLOSE_WAIT) or a close they forgot. Linux only: the states come from /proc/net/tcp and tcp6.
//
// Sockets are recorded by their ports, not by the process holding them: once a program closes a connection the
// socket lives on in FIN_WAIT2 or TIME_WAIT with no process at all, and those are the states worth seeing. Which
// ports are the program's is decided later, from the transcript (see src/ui/wire-states.ts).
import { readFileSync } from 'node:fs';

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
    readFileSync('/proc/net/tcp', 'latin1');
    return { ok: true };
  } catch {
    return { ok: false, why: 'no-proc' };
  }
}

// 127.x.x.x as the tables write it (host order, so the 7F comes last), ::1, and 127.x mapped into IPv6.
const LOOPBACK4 = /^[0-9A-F]{6}7F$/i;
const LOOPBACK6 = /^(0{24}01000000|0{16}FFFF0000[0-9A-F]{6}7F)$/i;

/** Loopback TCP sockets now: key `local>remote` (addresses and ports) to state. */
export function tcpSnapshot(): Map<string, { localPort: number; remotePort: number; state: TcpState }> {
  const out = new Map<string, { localPort: number; remotePort: number; state: TcpState }>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
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
  }
  return out;
}

/**
 * Samples every `intervalMs` and keeps only changes. 20 ms sees every state a learner's mistake leaves standing
 * (CLOSE_WAIT, FIN_WAIT2, TIME_WAIT last seconds); the handshake states on loopback last microseconds and are seen
 * only when something holds them (a full accept queue).
 */
export class StateSampler {
  readonly changes: StateChange[] = [];
  private last = new Map<string, { localPort: number; remotePort: number; state: TcpState }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs = 20,
    private readonly onChange?: (c: StateChange) => void,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    // Sampling alone must not keep a finished command alive.
    this.timer.unref();
    return this;
  }

  stop(): StateChange[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return this.changes;
  }

  private sample(): void {
    const now = Date.now();
    const next = tcpSnapshot();
    for (const [key, row] of next) {
      if (this.last.get(key)?.state !== row.state) this.push({ at: now, ...row });
    }
    for (const [key, row] of this.last) {
      if (!next.has(key))
        this.push({ at: now, localPort: row.localPort, remotePort: row.remotePort, state: 'gone' });
    }
    this.last = next;
  }

  private push(c: StateChange): void {
    this.changes.push(c);
    this.onChange?.(c);
  }
}
