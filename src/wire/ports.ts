// Free loopback ports. Nothing here is fixed: peers bind port 0, and a port for the learner's server is a free one
// picked at random outside the ephemeral range, so two runs at once never meet.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PORTABLE } from './platform.js';

export type Family = 'ipv4' | 'ipv6';

export function hostOf(family: Family): string {
  return family === 'ipv6' ? '::1' : '127.0.0.1';
}

/**
 * The kernel's ephemeral range: where bind(0) and outgoing connections take their ports. Ports handed to the
 * program, and "closed" ports, are picked below it, so no peer of this or another grading run (they all bind 0)
 * and no client connection can be given the same port meanwhile.
 */
function ephemeralRange(): [number, number] {
  // Without /proc the range cannot be asked. 32768 is where Linux's starts, below macOS's and Windows' (49152):
  // ports picked under it are outside the range everywhere.
  if (PORTABLE) return [32768, 65535];
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (lo && hi) return [lo, hi];
  } catch {
    // not Linux: the IANA range that macOS and Windows use
  }
  return [49152, 65535];
}

function candidates(): [number, number] {
  const [lo] = ephemeralRange();
  return lo > 12000 ? [10000, lo - 1] : [1024 + 1000, 9999];
}

function tryBind(open: (port: number, done: (ok: boolean) => void) => void, port: number): Promise<boolean> {
  return new Promise((resolve) => open(port, resolve));
}

/**
 * Ports handed out by this process and not yet given back. A port is free when picked, but a batch grades dozens
 * of exercises at once: without this, one grading's "closed" port could be another's server port a moment later,
 * and a program would connect to a stranger where nobody should listen.
 */
const handedOut = new Set<number>();

async function pickPort(open: (port: number, done: (ok: boolean) => void) => void): Promise<number> {
  const [lo, hi] = candidates();
  for (let attempt = 0; attempt < 64; attempt++) {
    const port = lo + Math.floor(Math.random() * (hi - lo + 1));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await tryBind(open, port)) return port;
    handedOut.delete(port);
  }
  throw new Error('no free port found outside the ephemeral range');
}

/** Give back ports from `freeTcpPort` / `freeUdpPort` once the run that used them is over. */
export function releasePorts(ports: Iterable<number>): void {
  for (const p of ports) handedOut.delete(p);
}

/** Whether nobody holds this port right now (for telling our port taken from the program binding another). */
export function portIsFree(port: number, family: Family, transport: 'tcp' | 'udp'): Promise<boolean> {
  return tryBind((p, done) => {
    if (transport === 'udp') {
      const sock = createSocket(family === 'ipv6' ? 'udp6' : 'udp4');
      sock.unref();
      sock.once('error', () => {
        sock.close();
        done(false);
      });
      sock.bind({ address: hostOf(family), port: p, exclusive: true }, () => sock.close(() => done(true)));
    } else {
      const srv = createServer();
      srv.unref();
      srv.once('error', () => done(false));
      srv.listen({ host: hostOf(family), port: p, exclusive: true }, () => srv.close(() => done(true)));
    }
  }, port);
}

/**
 * Whether a TCP socket holds this address now: the grader's own bind there fails. It confirms a launcher's report
 * where the socket tables cannot be read, without connecting (a one-shot server would take a probe as its only
 * client). The reported host is bound, not a wildcard or another address, which some systems let share a port.
 */
export function tcpAddressHeld(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(false)));
  });
}

/** A TCP port nobody listens on or is bound to right now, outside the ephemeral range. */
export function freeTcpPort(family: Family): Promise<number> {
  return pickPort((port, done) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => done(false));
    srv.listen({ host: hostOf(family), port, exclusive: true }, () => srv.close(() => done(true)));
  });
}

export function freeUdpPort(family: Family): Promise<number> {
  return pickPort((port, done) => {
    const sock = createSocket(family === 'ipv6' ? 'udp6' : 'udp4');
    sock.unref();
    sock.once('error', () => {
      sock.close();
      done(false);
    });
    sock.bind({ address: hostOf(family), port, exclusive: true }, () => sock.close(() => done(true)));
  });
}

/**
 * Has someone bound this UDP port? Where neither /proc nor a tool can show a program's sockets, trying to bind
 * it ourselves tells, without sending anything the program could lose. Our socket holds the port for an instant;
 * a program binding in that instant gets EADDRINUSE, which the engine retries once like any port taken by another.
 */
export function udpPortBound(port: number, family: Family): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket(family === 'ipv6' ? 'udp6' : 'udp4');
    sock.unref();
    sock.once('error', (err: NodeJS.ErrnoException) => {
      sock.close();
      resolve(err.code === 'EADDRINUSE');
    });
    sock.bind({ address: hostOf(family), port, exclusive: true }, () => sock.close(() => resolve(false)));
  });
}

/**
 * A TCP port free on both loopback families at once: for a listener on one family only (the other must refuse,
 * not lead to a stranger) and for a program that serves both.
 */
export function freeTcpPortBoth(): Promise<number> {
  const listenOn = (host: string, port: number) =>
    new Promise<ReturnType<typeof createServer> | undefined>((resolve) => {
      const srv = createServer();
      srv.unref();
      srv.once('error', () => resolve(undefined));
      srv.listen({ host, port, exclusive: true, ipv6Only: host === '::1' }, () => resolve(srv));
    });
  return pickPort(async (port, done) => {
    const a = await listenOn('127.0.0.1', port);
    const b = a ? await listenOn('::1', port) : undefined;
    await Promise.all([a, b].map((s) => s && new Promise((r) => s.close(() => r(undefined)))));
    done(a !== undefined && b !== undefined);
  });
}
