// Opening a reference peer's stream connections, TCP or AF_UNIX, with or without TLS: connecting out as a client,
// listening as a server (accepted connections wait until a step takes them), and leaving a socket file behind as a
// crashed server would. Each connection is a StreamConn (stream.ts).
import { renameSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import {
  type ConnectionOptions,
  createSecureContext,
  type SecureContext,
  connect as tlsConnect,
  createServer as tlsCreateServer,
} from 'node:tls';
import { type Deadline, type Log, Waiters } from './events.js';
import { type Family, hostOf } from './ports.js';
import { noticedLateBy } from './stalls.js';
import { StreamConn } from './stream.js';

/**
 * One client context per CA for the whole process: making one parses the PEM, a few milliseconds of CPU, and a
 * batch worker would otherwise make one for every connection of every TLS exercise. (A server's context is made
 * once per listener; tls.Server takes no ready-made one.)
 */
const contexts = new WeakMap<Buffer, SecureContext>();
function clientContext(ca: Buffer): SecureContext {
  let c = contexts.get(ca);
  if (!c) {
    c = createSecureContext({ ca });
    contexts.set(ca, c);
  }
  return c;
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
  deadline: Deadline,
  /** Connect with TLS and verify the server against this CA, for this name. */
  tls?: { ca: Buffer; servername: string },
): Promise<StreamConn | NodeJS.ErrnoException> {
  const asked = Date.now();
  return new Promise((resolve) => {
    const opts =
      'path' in target ? { path: target.path } : { port: target.port, host: hostOf(target.family) };
    const socket = tls
      ? // allowHalfOpen is passed on to the TLSSocket, though the option type does not list it.
        tlsConnect({
          ...opts,
          allowHalfOpen: true,
          secureContext: clientContext(tls.ca),
          servername: tls.servername,
        } as ConnectionOptions & {
          allowHalfOpen: boolean;
        })
      : connect({ ...opts, allowHalfOpen: true });
    // A connection that completed while this process was stalled is taken in before the deadline is judged: the
    // timer runs before the poll phase, so it waits one turn of the loop (see Waiters.until).
    const timeout = new Waiters();
    let done = false;
    void timeout
      .until(() => done, deadline)
      .then((r) => {
        if (r === 'ok') return;
        socket.destroy();
        resolve(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
      });
    const settle = () => {
      done = true;
      timeout.poke();
    };
    // With TLS, the connection counts once the handshake is done and the certificate checked.
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      settle();
      socket.removeAllListeners('error');
      const conn = new StreamConn(name, socket, log, undefined, asked);
      const from = socket.localPort ? ` from port ${socket.localPort}` : '';
      const over = tls && 'getProtocol' in socket ? ` over ${socket.getProtocol()}` : '';
      log({ who: `peer:${name}`, kind: 'connect', text: `${describeTarget(target)}${from}${over}` });
      resolve(conn);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      settle();
      resolve(err);
    });
  });
}

/** A reference peer's listening socket; accepted connections wait in a queue for `accept` steps. */
export class PeerListener {
  // Sockets wait paused (in the kernel's buffer) until an `accept` step names them, so the transcript shows
  // every byte under the name the scenario gave the connection.
  private readonly queue: Socket[] = [];
  /**
   * When each queued connection may have been made: when the listener heard of it, less how long the loop had not
   * run then. The program's clock may start at its connect(), and a step that waits on its idle time (rule 9)
   * must not count from the grader's late look at it.
   */
  private readonly arrived = new WeakMap<Socket, number>();
  private readonly waiters = new Waiters();
  readonly all: StreamConn[] = [];
  /** TLS: handshakes the client broke off (it refused our certificate, or spoke no TLS), in order. */
  readonly refused: string[] = [];

  private constructor(
    readonly server: Server,
    private readonly log: Log,
    private readonly readRate: number | undefined,
    tls: boolean,
  ) {
    // A TLS connection is queued once its handshake is done: a client that refuses our certificate never
    // becomes a connection, only an entry in `refused`.
    server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      socket.on('error', () => {}); // reported once the connection is accepted and named
      if (tls) socket.pause();
      this.arrived.set(socket, Date.now() - noticedLateBy());
      this.queue.push(socket);
      this.waiters.poke();
    });
    if (tls) this.watchHandshakes(server);
  }

  /** Raw connections of a TLS listener: closed at teardown even mid-handshake, which server.close() waits for. */
  private readonly raw = new Set<Socket>();

  /**
   * A client refuses a certificate by sending an alert, or (asyncio does this) by just closing after its
   * ClientHello. Either is a handshake broken off; bytes that are not TLS at all are not a refusal.
   */
  private watchHandshakes(server: Server): void {
    const state = new Map<number, 'secure' | 'refused' | 'not-tls'>();
    const refuse = (port: number, why: string) => {
      if (state.has(port)) return;
      state.set(port, 'refused');
      this.refused.push(why);
      this.log({ who: 'grader', kind: 'note', text: `TLS handshake broken off by the client: ${why}` });
      this.waiters.poke();
    };
    const rawByPort = new Map<number, Socket>();
    server.on('connection', (socket: Socket) => {
      this.raw.add(socket);
      const port = socket.remotePort ?? 0;
      rawByPort.set(port, socket);
      socket.once('close', () => {
        this.raw.delete(socket);
        if (!state.has(port) && socket.bytesRead > 0) refuse(port, 'closed during the handshake');
      });
    });
    server.on('secureConnection', (socket: Socket) => state.set(socket.remotePort ?? 0, 'secure'));
    server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      const port = socket.remotePort ?? 0;
      const why = err.message.replace(/^.*?:(?=[^:]*$)/, '').trim() || err.code || 'handshake failed';
      // A hang-up after the ClientHello is a client that read our certificate and left.
      const hungUp = err.code === 'ECONNRESET' && (rawByPort.get(port)?.bytesRead ?? 0) > 0;
      if (/alert/i.test(why)) refuse(port, why);
      else if (hungUp) refuse(port, 'closed during the handshake');
      else if (!state.has(port)) {
        state.set(port, 'not-tls');
        this.log({ who: 'grader', kind: 'note', text: `TLS handshake failed: ${why}` });
      }
    });
  }

  /** Wait until a client has broken off a handshake, or until a connection is established instead. */
  async refusal(deadline: Deadline): Promise<'refused' | 'accepted' | 'timeout'> {
    await this.waiters.until(() => this.refused.length > 0 || this.queue.length > 0, deadline);
    return this.refused.length > 0 ? 'refused' : this.queue.length > 0 ? 'accepted' : 'timeout';
  }

  static open(
    target: { family: Family; port?: number } | { path: string },
    log: Log,
    readRate?: number,
    /** Serve TLS with this certificate and key. */
    tls?: { cert: Buffer; key: Buffer },
  ) {
    return new Promise<PeerListener>((resolve, reject) => {
      // Not half-open with TLS: a client that closes mid-handshake must end the connection at once, or the
      // refusal is never seen.
      const server = tls
        ? tlsCreateServer({ cert: tls.cert, key: tls.key })
        : createServer({ allowHalfOpen: true, pauseOnConnect: true });
      server.once('error', reject);
      const done = () => {
        server.removeListener('error', reject);
        resolve(new PeerListener(server, log, readRate, tls !== undefined));
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

  async accept(name: string, deadline: Deadline): Promise<StreamConn | undefined> {
    const r = await this.waiters.until(() => this.queue.length > 0, deadline);
    if (r === 'timeout') return undefined;
    const socket = this.queue.shift() as Socket;
    socket.removeAllListeners('error');
    this.log({
      who: `peer:${name}`,
      kind: 'accept',
      text: socket.remotePort ? `from port ${socket.remotePort}` : '',
    });
    const conn = new StreamConn(name, socket, this.log, this.readRate, this.arrived.get(socket));
    conn.accepted = true;
    this.all.push(conn);
    socket.resume();
    return conn;
  }

  close(): Promise<void> {
    this.waiters.cancel();
    for (const c of this.all) c.close();
    for (const s of this.queue) s.destroy();
    for (const s of this.raw) s.destroy();
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
