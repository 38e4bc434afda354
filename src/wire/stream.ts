import type { Socket } from 'node:net';
import { type Deadline, dueOf, type Log, sleep, type Wait, Waiters } from './events.js';
import { unreadBy } from './unread.js';

/** How long a split write waits for the program to read one piece before it sends the next. */
const READ_WAIT_MS = 300;

/**
 * Pieces up to this size are waited on until the program has read them (see read()). Larger ones are bulk data:
 * no single recv() holds a whole transfer of them, so a program that assumes one recv() is one message fails on
 * them anyway, and asking the kernel after each of hundreds of pieces would cost the grader its own CPU.
 */
const SMALL_PIECE = 1024;

/**
 * Only the first pieces of a message are waited on: a program that takes one recv() for the whole message has
 * shown it by then (it got the first piece alone), and each look costs a walk of the kernel's connection table.
 */
const WATCHED_PIECES = 4;

/** Where the program's receive queue cannot be seen: the most a settled write waits for it to be read. */
const UNSEEN_READ_MS = 1000;

/** How often a settling write is looked at. */
const SETTLE_POLL_MS = 10;

/**
 * The most bytes read and not yet consumed while no expectation asks for more: then reading stops until an
 * expectation consumes some or asks for more (see `need`). A correct program loses nothing by it (what an
 * expectation needs is read when it asks), and a flood holds no more than this, per connection, in the grader.
 */
export const WINDOW = 4 * 1024 * 1024;

export class StreamConn {
  // Received bytes not yet consumed: a joined head plus chunks not joined yet. Joining on every chunk would copy
  // a 4 MiB upload about sixty times over; this joins only when the bytes are looked at.
  private head: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** Total bytes received so far, including consumed ones. */
  received = 0;
  /** The program connected to the grader's listener: the grader is its server. */
  accepted = false;
  /** Total bytes this end has handed to the kernel to send. */
  sent = 0;
  /** Writes still being handed over (a `background` send goes on while later steps run). */
  private writing = 0;
  /** When the kernel last took a piece of ours: a write that stops taking pieces is stalled. */
  private tookAt = Date.now();
  /** When the writes under way began. */
  private writeBegan = Date.now();
  eof = false;
  closed = false;
  error: NodeJS.ErrnoException | undefined;
  /** When this process heard the connection end (EOF, error or close): never earlier than it really ended. */
  endedAt: number | undefined;
  /**
   * When the grader last began writing to the program here before it heard the connection end, and the longest
   * time it went without writing meanwhile (from the connection's start): what a program that closes idle
   * connections may rightly have seen as silence.
   */
  lastSent: number | undefined;
  longestQuiet = 0;
  /** When each of those writes began, in order. */
  readonly sentAt: number[] = [];
  private readonly waiters = new Waiters();
  /** Bytes the expectation waiting now needs unconsumed at once: the window widens to hold them. */
  private needed: () => number = () => 0;
  /** Why this end is not reading: a `hold` step, a slow reader's pause, a full window. */
  private readonly stopped = { held: false, rate: false, full: false };
  constructor(
    readonly name: string,
    readonly socket: Socket,
    private readonly log: Log,
    readRate?: number,
    /**
     * When the connection began (the grader's clock), never later than the program could have seen it begin: for
     * one the grader opens, when it asked to connect; for one it accepts, when its listener heard of it, less how
     * long the loop had not run by then (the program's connect() may have returned at the start of a stall).
     */
    readonly since = Date.now(),
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.parts.push(chunk);
      this.partsLength += chunk.length;
      this.received += chunk.length;
      this.log({ who: `peer:${name}`, kind: 'recv', data: chunk });
      if (readRate) {
        // A slow reader, so the sender meets back-pressure. The pause is measured against the time since the
        // start, not chunk by chunk, so timers that fire late on a busy machine do not add up to a slower rate.
        const ahead = this.received / readRate - (Date.now() - this.since) / 1000;
        if (ahead > 0) {
          this.stopped.rate = true;
          setTimeout(
            () => {
              this.stopped.rate = false;
              this.flow();
            },
            Math.ceil(ahead * 1000),
          ).unref();
        }
      }
      this.flow();
      this.waiters.poke();
    });
    socket.on('end', () => {
      this.endedAt ??= Date.now();
      this.eof = true;
      this.log({ who: `peer:${name}`, kind: 'eof' });
      this.waiters.poke();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.endedAt ??= Date.now();
      this.error = err;
      this.log({ who: `peer:${name}`, kind: 'error', text: err.code ?? err.message });
      this.waiters.poke();
    });
    socket.on('close', () => {
      this.endedAt ??= Date.now();
      this.closed = true;
      this.waiters.poke();
    });
  }

  /** Connection ended one way or another: nothing more can arrive. */
  get finished(): boolean {
    return this.eof || this.closed || this.error !== undefined;
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  get remotePort(): number {
    return this.socket.remotePort ?? 0;
  }

  until(ready: () => boolean, deadline: Deadline): Promise<Wait> {
    return this.waiters.until(() => ready() || this.finished, deadline);
  }

  /** The window now: what is kept unconsumed before this end stops reading. */
  get window(): number {
    return Math.max(WINDOW, this.needed());
  }

  /**
   * Wait as `until` does, with the window wide enough for `bytes` unconsumed at once: an expectation that needs
   * more than the window (a 12 MiB upload judged whole) reads as far as it needs, and no further.
   */
  async need(bytes: number | (() => number), ready: () => boolean, deadline: Deadline): Promise<Wait> {
    this.needed = typeof bytes === 'number' ? () => bytes : bytes;
    this.flow();
    try {
      return await this.until(ready, deadline);
    } finally {
      this.needed = () => 0;
      this.flow();
    }
  }

  /** Read or stop reading, as the reasons say; a window that fills is noted once each time. */
  private flow(): void {
    if (this.socket.destroyed) return;
    const full = this.available >= this.window;
    if (full && !this.stopped.full)
      this.log({
        who: `peer:${this.name}`,
        kind: 'note',
        text: `stops reading: holds ${this.available} bytes not asked for yet`,
      });
    this.stopped.full = full;
    const { held, rate } = this.stopped;
    if (held || rate || full) this.socket.pause();
    else this.socket.resume();
  }

  /** Unconsumed bytes, joined. */
  get buf(): Buffer {
    if (this.parts.length) {
      this.head = this.head.length ? Buffer.concat([this.head, ...this.parts]) : Buffer.concat(this.parts);
      this.parts = [];
      this.partsLength = 0;
    }
    return this.head;
  }

  /** How many unconsumed bytes there are, without joining them. */
  get available(): number {
    return this.head.length + this.partsLength;
  }

  take(n: number): Buffer {
    const all = this.buf;
    const rest = all.subarray(n);
    // A small rest is copied, so that the big buffer it came from can go.
    this.head = rest.length * 4 < all.length ? Buffer.from(rest) : rest;
    const taken = all.subarray(0, n);
    this.flow();
    return taken;
  }

  async write(chunks: Buffer[], delays: number[]): Promise<NodeJS.ErrnoException | undefined> {
    if (this.writing++ === 0) this.writeBegan = Date.now();
    this.tookAt = Date.now();
    try {
      return await this.writeAll(chunks, delays);
    } finally {
      this.writing--;
      this.waiters.poke();
    }
  }

  private async writeAll(chunks: Buffer[], delays: number[]): Promise<NodeJS.ErrnoException | undefined> {
    // Only TCP shows its queues, and only a message in pieces needs it.
    let waitRead = chunks.length > 1 && this.remotePort > 0 && chunks.every((c) => c.length <= SMALL_PIECE);
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i] as Buffer;
      if (this.error || this.closed)
        return this.error ?? Object.assign(new Error('closed'), { code: 'EPIPE' });
      this.log({ who: `peer:${this.name}`, kind: 'send', data: chunk });
      if (this.endedAt === undefined) {
        const now = Date.now();
        this.longestQuiet = Math.max(this.longestQuiet, now - (this.lastSent ?? this.since));
        this.lastSent = now;
        this.sentAt.push(now);
      }
      const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
        this.socket.write(chunk, (e) => resolve(e ?? undefined));
      });
      if (err) return err;
      this.sent += chunk.length;
      this.tookAt = Date.now();
      if (i === chunks.length - 1) break;
      // The pause first: a program that is running reads within it, and one look at its queue then suffices.
      const d = delays[i] ?? 0;
      if (d > 0 || waitRead) await sleep(Math.max(d, 1));
      if (waitRead) waitRead = (await this.read(chunk.length)) && i + 1 < WATCHED_PIECES;
    }
    return undefined;
  }

  /**
   * Wait until the program has taken what this end is writing, or has stopped taking it, or the deadline:
   * first until every byte has been handed to our kernel, or none for `stallMs` (the program stopped reading: its
   * receive buffer and our send buffer are full); then, where the kernel's tables show it, until the program's
   * receive queue is empty, or no smaller for `stallMs`. Where they do not, it is given as long again as the
   * handing over took, up to a second: a program that kept pace has then read what was still on the way.
   * `starvedMs` gives the time the program has waited for a CPU so far: a program that had no CPU did not stop.
   */
  async writesSettled(
    stallMs: number,
    deadline: Deadline,
    starvedMs: () => number | undefined = () => undefined,
  ): Promise<void> {
    const began = this.writeBegan;
    // How long since `at` without progress, not counting the time the program waited for a CPU.
    const quietSince = (at: number, starvedThen: number | undefined) => {
      const now = starvedMs();
      const starved = now !== undefined && starvedThen !== undefined ? Math.max(0, now - starvedThen) : 0;
      return Date.now() - at - starved;
    };
    let took = this.tookAt;
    let starvedAtTook = starvedMs();
    while (this.writing > 0 && !this.finished && Date.now() < dueOf(deadline)) {
      await sleep(SETTLE_POLL_MS);
      // A piece taken while this process was not running is only heard of in the loop's poll phase.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.tookAt !== took) {
        took = this.tookAt;
        starvedAtTook = starvedMs();
      } else if (quietSince(took, starvedAtTook) >= stallMs) break;
    }
    if (this.writing > 0 || this.finished) return;
    const unread = () => unreadBy(this.remotePort, this.localPort, this.socket.remoteFamily === 'IPv6');
    let left = unread();
    if (left === undefined) {
      await sleep(Math.max(0, Math.min(Date.now() - began, UNSEEN_READ_MS, dueOf(deadline) - Date.now())));
      return;
    }
    let shrankAt = Date.now();
    let starvedAtShrink = starvedMs();
    while (left !== undefined && left > 0 && Date.now() < dueOf(deadline)) {
      if (quietSince(shrankAt, starvedAtShrink) >= stallMs) return;
      await sleep(SETTLE_POLL_MS);
      const now = unread();
      if (now !== undefined && now < left) {
        shrankAt = Date.now();
        starvedAtShrink = starvedMs();
      }
      left = now;
    }
  }

  /**
   * Read `bytes` more of what the program sends, then stop reading again (a client that catches up a little and
   * falls behind again). Resolves with how many arrived before the deadline or the end of the connection.
   */
  async readMore(bytes: number, deadline: Deadline): Promise<number> {
    const from = this.received;
    this.hold(false);
    try {
      await this.need(this.available + bytes, () => this.received - from >= bytes, deadline);
    } finally {
      this.hold(true);
    }
    return this.received - from;
  }

  /**
   * Wait until the program has read what we just wrote (its receive queue is empty), so the next piece arrives
   * as a piece of its own however busy the machine is. Bounded: a program that does not read now (it waits for
   * more, or is not reading at all) is not waited for again in this message. False when waiting is pointless.
   */
  private async read(sent: number): Promise<boolean> {
    const deadline = Date.now() + READ_WAIT_MS;
    let delay = 2;
    for (;;) {
      const left = unreadBy(this.remotePort, this.localPort, this.socket.remoteFamily === 'IPv6');
      if (left === undefined) return false;
      if (left === 0) return true;
      // It has read part of it: still reading, keep waiting while the budget lasts.
      if (Date.now() >= deadline || left > sent) return false;
      await sleep(delay);
      delay = Math.min(delay * 2, 10);
    }
  }

  /** This end has half-closed: from then on the program's recv() on it returns b''. */
  halfClosed = false;

  /** Half-close: no more data from us, but keep reading. */
  shutdown(): void {
    this.log({ who: `peer:${this.name}`, kind: 'shutdown' });
    this.halfClosed = true;
    this.socket.end();
  }

  /** Stop reading (the kernel's buffers fill and the far side's sends block), or read again. */
  hold(on: boolean): void {
    this.log({ who: `peer:${this.name}`, kind: 'note', text: on ? 'stops reading' : 'reads again' });
    this.stopped.held = on;
    this.flow();
  }

  /**
   * Abort the connection: the kernel sends a reset (RST) instead of a normal close, as a crashed or killed client
   * does, so the program's next recv() raises ConnectionResetError and its next send() a broken pipe.
   */
  reset(): void {
    if (!this.socket.destroyed) this.log({ who: `peer:${this.name}`, kind: 'close', text: 'reset (RST)' });
    this.socket.resetAndDestroy();
    this.closed = true;
    this.waiters.poke();
    this.waiters.cancel();
  }

  close(): void {
    if (!this.socket.destroyed) this.log({ who: `peer:${this.name}`, kind: 'close' });
    this.socket.destroy();
    this.closed = true;
    this.waiters.poke();
    this.waiters.cancel();
  }
}
