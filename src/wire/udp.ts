// A reference peer's UDP socket. Received datagrams queue up whole, with their sender, so boundaries are judged
// exactly as they arrived. A lossy rule disturbs traffic both ways; a respond rule answers by itself (an
// acknowledging receiver for reliability exercises).
import { createSocket, type Socket } from 'node:dgram';
import { type Deadline, type Log, type Wait, Waiters } from './events.js';
import { type Family, hostOf } from './ports.js';

export interface Datagram {
  data: Buffer;
  from: { address: string; port: number };
}

export interface LossyRule {
  drop: number;
  duplicate: number;
  reorder: number;
  /** A random number in [0, 1) per decision; seeded by the caller. */
  random: () => number;
}

export interface RespondRule {
  match: RegExp;
  reply: string;
  /** Group 1 of every answered datagram, distinct, in the order first answered. */
  seen: string[];
  /** When each value in `seen` was first answered (ms since the epoch). */
  seenAt: number[];
  /** Set: the first copy of each value gets a late duplicate of the previous reply (this before any). */
  staleFirst?: string | undefined;
  /** Values whose first copy was held back. */
  heldBack: Set<string>;
  /** The last reply sent in answer, for the late duplicate. */
  last?: string;
}

/**
 * Datagrams kept unread, at most, as a receive buffer holds them: past it, the rest are dropped (and counted), as
 * the kernel drops what arrives at a full buffer, so a flood holds no more than this in the grader.
 */
export const MAX_QUEUED = { datagrams: 1024, bytes: 4 * 1024 * 1024 };

/** Distinct values a respond rule remembers, at most: a program sending endless new ones is wrong long before. */
export const MAX_SEEN = 1024;

export class PeerUdp {
  readonly queue: Datagram[] = [];
  private queuedBytes = 0;
  /** Datagrams dropped because the queue was full, since it last had room. */
  private overflow = 0;
  private readonly waiters = new Waiters();
  lossy: LossyRule | undefined;
  respond: RespondRule | undefined;
  private held: Datagram | undefined;
  /** Who sent the latest datagram that got through, so a peer can answer "the sender". */
  lastFrom: { address: string; port: number } | undefined;
  error: NodeJS.ErrnoException | undefined;

  private constructor(
    readonly name: string,
    readonly socket: Socket,
    readonly family: Family,
    private readonly log: Log,
  ) {
    socket.on('message', (data, rinfo) =>
      this.arrive({ data, from: { address: rinfo.address, port: rinfo.port } }),
    );
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // ECONNREFUSED on UDP only means an earlier datagram met a closed port; it is logged, not fatal.
      this.log({ who: `peer:${name}`, kind: 'error', text: err.code ?? err.message });
      if (err.code !== 'ECONNREFUSED') this.error = err;
      this.waiters.poke();
    });
  }

  /**
   * `shared`: bind this address instead of the family's loopback one, sharing the port with other sockets
   * (SO_REUSEADDR), as several receivers of one broadcast do.
   */
  static open(
    name: string,
    family: Family,
    log: Log,
    port = 0,
    shared?: { address: string },
  ): Promise<PeerUdp> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({
        type: family === 'ipv6' ? 'udp6' : 'udp4',
        reuseAddr: shared !== undefined,
      });
      socket.once('error', reject);
      const address = shared?.address ?? hostOf(family);
      socket.bind({ address, port, exclusive: true }, () => {
        socket.removeListener('error', reject);
        resolve(new PeerUdp(name, socket, family, log));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  private arrive(d: Datagram): void {
    const addr = `${d.from.address}:${d.from.port}`;
    const rule = this.lossy;
    if (rule && rule.random() < rule.drop) {
      this.log({
        who: `peer:${this.name}`,
        kind: 'note',
        text: `dropped an incoming datagram (${d.data.length} bytes)`,
        addr,
      });
      return;
    }
    this.log({ who: `peer:${this.name}`, kind: 'recv', data: d.data, addr });
    this.deliver(d);
  }

  /** The oldest datagram not read yet. */
  shift(): Datagram | undefined {
    const d = this.queue.shift();
    if (d) this.queuedBytes -= d.data.length;
    return d;
  }

  private deliver(d: Datagram): void {
    if (this.queue.length >= MAX_QUEUED.datagrams || this.queuedBytes + d.data.length > MAX_QUEUED.bytes) {
      if (this.overflow++ === 0)
        this.log({
          who: `peer:${this.name}`,
          kind: 'note',
          text: `drops datagrams: holds ${this.queue.length} (${this.queuedBytes} bytes) not read yet`,
        });
    } else {
      this.overflow = 0;
      this.queue.push(d);
      this.queuedBytes += d.data.length;
    }
    this.lastFrom = d.from;
    const r = this.respond;
    if (r) {
      const m = r.match.exec(d.data.toString('utf8'));
      if (m) {
        const value = m[1] ?? m[0];
        if (
          r.staleFirst !== undefined &&
          !r.seen.includes(value) &&
          !r.heldBack.has(value) &&
          r.heldBack.size < MAX_SEEN
        ) {
          r.heldBack.add(value);
          const stale = r.last ?? r.staleFirst;
          this.log({
            who: `peer:${this.name}`,
            kind: 'note',
            text: `held back the first copy of ${JSON.stringify(value)}; answered with an old ${JSON.stringify(stale)}`,
          });
          // Past the lossy rule: the late duplicate must arrive for the test to mean anything.
          void this.raw(Buffer.from(stale), d.from);
        } else {
          if (!r.seen.includes(value) && r.seen.length < MAX_SEEN) {
            r.seen.push(value);
            r.seenAt.push(Date.now());
          }
          const reply = r.reply.replace(/\$(\d)/g, (_, g: string) => m[Number(g)] ?? '');
          r.last = reply;
          void this.sendTo(Buffer.from(reply), d.from);
        }
      }
    }
    this.waiters.poke();
  }

  /** Send, subject to the lossy rule: dropped, duplicated, or held back behind the next datagram. */
  async sendTo(
    data: Buffer,
    to: { address: string; port: number },
  ): Promise<NodeJS.ErrnoException | undefined> {
    const addr = `${to.address}:${to.port}`;
    const rule = this.lossy;
    if (rule) {
      if (rule.random() < rule.drop) {
        this.log({
          who: `peer:${this.name}`,
          kind: 'note',
          text: `dropped an outgoing datagram (${data.length} bytes)`,
          addr,
        });
        return undefined;
      }
      if (!this.held && rule.random() < rule.reorder) {
        this.held = { data, from: to };
        this.log({
          who: `peer:${this.name}`,
          kind: 'note',
          text: 'held a datagram back to reorder it',
          addr,
        });
        return undefined;
      }
    }
    const copies = rule && rule.random() < rule.duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const err = await this.raw(data, to);
      if (err) return err;
    }
    const held = this.held;
    if (held) {
      this.held = undefined;
      return this.raw(held.data, held.from);
    }
    return undefined;
  }

  private raw(
    data: Buffer,
    to: { address: string; port: number },
  ): Promise<NodeJS.ErrnoException | undefined> {
    this.log({ who: `peer:${this.name}`, kind: 'send', data, addr: `${to.address}:${to.port}` });
    return new Promise((resolve) =>
      this.socket.send(data, to.port, to.address, (err) => resolve(err ?? undefined)),
    );
  }

  /** Wait until `ready()` holds, re-checked whenever a datagram arrives. */
  waitFor(ready: () => boolean, deadline: Deadline): Promise<Wait> {
    return this.waiters.until(ready, deadline);
  }

  next(deadline: Deadline): Promise<Wait> {
    return this.waiters.until(() => this.queue.length > 0 || this.error !== undefined, deadline);
  }

  close(): Promise<void> {
    this.waiters.cancel();
    return new Promise((r) => {
      try {
        this.socket.close(() => r());
      } catch {
        r();
      }
    });
  }
}
