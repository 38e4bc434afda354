// Which of the sampled loopback sockets are the learner's program's, told from the transcript alone: a peer's
// connect names the program's listening port and the peer's own port ("127.0.0.1:P from port X"), and an accept
// names the program's own port ("from port Y"). Pure, so the live view (peer mode) and the after-the-run view
// (verify) attribute the same way.

import type { StateChange, TcpState } from '../wire/socket-states.js';
import type { TranscriptEntry } from './results.js';

/** A state change of one of the program's sockets, placed on the diagram. */
export interface StateMark {
  /** ms since the run started, like the transcript. */
  at: number;
  /** The peer lane at the other end; undefined for the program's listening socket. */
  peer: string | undefined;
  /** The program's port of this socket. */
  port: number;
  state: TcpState | 'gone';
}

/** How long a change may wait for the transcript line that tells whose socket it is (the sampler can be first). */
const PENDING_MS = 1000;

export class StateAttributor {
  private readonly listenPorts = new Set<number>();
  /** `programPort>peerPort` of connections a peer made to the program. */
  private readonly accepted = new Map<string, string>();
  /** The program's own ports of connections it made to a peer. */
  private readonly outgoing = new Map<number, string>();
  private readonly seen = new Map<string, TcpState | 'gone'>();
  private pending: StateChange[] = [];

  /** `t0`: the epoch ms the transcript's times count from. */
  constructor(public t0: number) {}

  /** Learn ports from a transcript line; returns the waiting changes it explains. */
  learn(e: TranscriptEntry): StateMark[] {
    if (!e.who.startsWith('peer:')) return [];
    const peer = e.who.slice(5);
    if (e.kind === 'connect') {
      const m = /:(\d+) from port (\d+)$/.exec(e.text);
      if (m) {
        this.listenPorts.add(Number(m[1]));
        this.accepted.set(`${m[1]}>${m[2]}`, peer);
      }
    } else if (e.kind === 'accept') {
      const m = /from port (\d+)/.exec(e.text);
      if (m) this.outgoing.set(Number(m[1]), peer);
    } else return [];
    const waiting = this.pending;
    this.pending = [];
    return waiting.flatMap((c) => this.add(c, c.at));
  }

  /** A sampled change: the mark it makes, if the socket is the program's and its state is new. */
  add(c: StateChange, now = c.at): StateMark[] {
    const whose = this.whose(c);
    if (whose === null) {
      // Not known yet: keep it a moment for the transcript line that may explain it. A listening socket is kept
      // until it goes, since a program may listen long before the first peer connects.
      const keep = (p: StateChange) => p.remotePort === 0 || now - p.at < PENDING_MS;
      this.pending = this.pending.filter(
        (p) => keep(p) && !(p.localPort === c.localPort && p.remotePort === c.remotePort),
      );
      if (c.state !== 'gone' && keep(c)) this.pending.push(c);
      return [];
    }
    const key = `${c.localPort}>${c.remotePort}`;
    const before = this.seen.get(key);
    if (before === c.state || (before === undefined && c.state === 'gone')) return [];
    this.seen.set(key, c.state);
    return [{ at: Math.max(0, c.at - this.t0), peer: whose, port: c.localPort, state: c.state }];
  }

  /** The peer at the other end, undefined for the listening socket, null when the socket is not the program's. */
  private whose(c: StateChange): string | undefined | null {
    if (this.listenPorts.has(c.localPort) && c.remotePort === 0) return undefined;
    const back = this.accepted.get(`${c.localPort}>${c.remotePort}`);
    if (back !== undefined) return back;
    const out = this.outgoing.get(c.localPort);
    return out ?? null;
  }
}

/** Every mark of a finished run, in time order. */
export function stateMarks(transcript: TranscriptEntry[], changes: StateChange[], t0: number): StateMark[] {
  const a = new StateAttributor(t0);
  for (const e of transcript) a.learn(e);
  const end = Number.POSITIVE_INFINITY;
  return changes.flatMap((c) => a.add(c, end)).sort((x, y) => x.at - y.at);
}

/** What is known about socket states for a run: the marks, or why there are none. */
export type WireStates = { marks: StateMark[] } | { off: 'not-linux' | 'no-proc' | 'not-sampled' };
