// A reference peer's end of a TCP or AF_UNIX stream connection: everything received is kept in order so that
// expectations can be judged on exactly what arrived, however the program split or joined its writes.
import { renameSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { type Log, sleep, type Wait, Waiters } from './events.js';
import { type Family, hostOf } from './ports.js';

export class StreamConn {
  // Received bytes not yet consumed: a joined head plus chunks not joined yet. Joining on every chunk would copy
  // a 4 MiB upload about sixty times over; this joins only when the bytes are looked at.
  private head: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** Total bytes received so far, including consumed ones. */
  received = 0;
  eof = false;
  closed = false;
  error: NodeJS.ErrnoException | undefined;
  private readonly waiters = new Waiters();
  private readonly since = Date.now();

  constructor(
    readonly name: string,
    readonly socket: Socket,
    private readonly log: Log,
    readRate?: number,
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
          socket.pause();
          setTimeout(() => socket.resume(), Math.ceil(ahead * 1000)).unref();
        }
      }
      this.waiters.poke();
    });
    socket.on('end', () => {
      this.eof = true;
      this.log({ who: `peer:${name}`, kind: 'eof' });
      this.waiters.poke();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err;
      this.log({ who: `peer:${name}`, kind: 'error', text: err.code ?? err.message });
      this.waiters.poke();
    });
    socket.on('close', () => {
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

  until(ready: () => boolean, deadline: number): Promise<Wait> {
    return this.waiters.until(() => ready() || this.finished, deadline);
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
    this.head = all.subarray(n);
    return all.subarray(0, n);
  }

  async write(chunks: Buffer[], delays: number[]): Promise<NodeJS.ErrnoException | undefined> {
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i] as Buffer;
      if (this.error || this.closed)
        return this.error ?? Object.assign(new Error('closed'), { code: 'EPIPE' });
      this.log({ who: `peer:${this.name}`, kind: 'send', data: chunk });
      const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
        this.socket.write(chunk, (e) => resolve(e ?? undefined));
      });
      if (err) return err;
      const d = delays[i] ?? 0;
      if (d > 0 && i < chunks.length - 1) await sleep(d);
    }
    return undefined;
  }

  /** Half-close: no more data from us, but keep reading. */
  shutdown(): void {
    this.log({ who: `peer:${this.name}`, kind: 'shutdown' });
    this.socket.end();
  }

  close(): void {
    if (!this.socket.destroyed) this.log({ who: `peer:${this.name}`, kind: 'close' });
    this.socket.destroy();
    this.closed = true;
    this.waiters.poke();
    this.waiters.cancel();
  }
}

export type StreamTarget = { port: number; family: Family } | { path: string };

export function describeTarget(t: StreamTarget): string {
  return 'path' in t ? t.path : `${hostOf(t.family)}:${t.port}`;
}

/** Connect as a peer client; resolves with the connection or the error that stopped it. */
export function connectTo(
  name: string,
  target: StreamTarget,
  log: Log,
  deadline: number,
): Promise<StreamConn | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const opts =
      'path' in target ? { path: target.path } : { port: target.port, host: hostOf(target.family) };
    const socket = connect({ ...opts, allowHalfOpen: true });
    const timer = setTimeout(
      () => {
        socket.destroy();
        resolve(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
      },
      Math.max(0, deadline - Date.now()),
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      const conn = new StreamConn(name, socket, log);
      const from = socket.localPort ? ` from port ${socket.localPort}` : '';
      log({ who: `peer:${name}`, kind: 'connect', text: `${describeTarget(target)}${from}` });
      resolve(conn);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err);
    });
  });
}

/** A reference peer's listening socket; accepted connections wait in a queue for `accept` steps. */
export class PeerListener {
  // Sockets wait paused (in the kernel's buffer) until an `accept` step names them, so the transcript shows
  // every byte under the name the scenario gave the connection.
  private readonly queue: Socket[] = [];
  private readonly waiters = new Waiters();
  readonly all: StreamConn[] = [];

  private constructor(
    readonly server: Server,
    private readonly log: Log,
    private readonly readRate: number | undefined,
  ) {
    server.on('connection', (socket) => {
      socket.on('error', () => {}); // reported once the connection is accepted and named
      this.queue.push(socket);
      this.waiters.poke();
    });
  }

  static open(target: { family: Family; port?: number } | { path: string }, log: Log, readRate?: number) {
    return new Promise<PeerListener>((resolve, reject) => {
      const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
      server.once('error', reject);
      const done = () => {
        server.removeListener('error', reject);
        resolve(new PeerListener(server, log, readRate));
      };
      if ('path' in target) server.listen({ path: target.path }, done);
      else server.listen({ host: hostOf(target.family), port: target.port ?? 0, exclusive: true }, done);
    });
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  /** Connections made but not yet accepted by a step. */
  get waiting(): number {
    return this.queue.length;
  }

  async accept(name: string, deadline: number): Promise<StreamConn | undefined> {
    const r = await this.waiters.until(() => this.queue.length > 0, deadline);
    if (r === 'timeout') return undefined;
    const socket = this.queue.shift() as Socket;
    socket.removeAllListeners('error');
    this.log({
      who: `peer:${name}`,
      kind: 'accept',
      text: socket.remotePort ? `from port ${socket.remotePort}` : '',
    });
    const conn = new StreamConn(name, socket, this.log, this.readRate);
    this.all.push(conn);
    socket.resume();
    return conn;
  }

  close(): Promise<void> {
    this.waiters.cancel();
    for (const c of this.all) c.close();
    for (const s of this.queue) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/**
 * Leave a socket file at `path` with nobody listening, as a server that crashed leaves it: bind() there then fails
 * with "Address already in use" until someone removes the file. Closing a listener would remove its file, so the
 * listener is made under another name, renamed into place, and closed.
 */
export function leaveSocketFile(path: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ path: temp }, () => {
      try {
        renameSync(temp, path);
      } catch (err) {
        server.close(() => reject(err));
        return;
      }
      server.close(() => resolve());
    });
  });
}
