// What this machine's loopback can do. An exercise that needs a missing capability is skipped with the reason,
// never failed: the learner cannot fix their kernel.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeScratch, removeScratch } from './scratch.js';

export type Capability = 'ipv4' | 'ipv6' | 'unix' | 'signals' | 'broadcast';
export type CapResult = { ok: true } | { ok: false; reason: string };

function tryListen(opts: { host: string; port: 0 } | { path: string }): Promise<CapResult> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ ok: false, reason: `${err.code ?? err.message}` }),
    );
    srv.listen(opts, () => srv.close(() => resolve({ ok: true })));
  });
}

const cache = new Map<Capability, Promise<CapResult>>();

export function hasCapability(cap: Capability): Promise<CapResult> {
  let p = cache.get(cap);
  if (!p) {
    p = probeCapability(cap);
    cache.set(cap, p);
  }
  return p;
}

/**
 * POSIX signals sent to a running program. Windows has none to send: a console program there can only be ended
 * (or get CTRL_BREAK_EVENT, which needs a console shared with the grader), so an exercise that judges what a
 * program does on SIGTERM or SIGINT cannot be graded there.
 */
export function signalsCapability(platform: NodeJS.Platform = process.platform): CapResult {
  return platform === 'win32'
    ? {
        ok: false,
        reason: 'Windows has no POSIX signals (SIGTERM, SIGINT) to send to a running program',
      }
    : { ok: true };
}

/** How long a test broadcast may take to arrive before the loopback is taken to deliver none. */
const PROBE_MS = 5000;

/** The loopback's broadcast address: where a broadcast to every program on this machine goes. */
export const LOOPBACK_BROADCAST = '127.255.255.255';

/**
 * Does a datagram sent to the loopback's broadcast address reach a socket bound to it? Linux delivers it (inside
 * a fresh network namespace too); macOS's lo0 has no broadcast address. Tried, not guessed from the platform.
 */
function probeBroadcast(): Promise<CapResult> {
  return new Promise((resolve) => {
    const rx = createSocket({ type: 'udp4', reuseAddr: true });
    const tx = createSocket('udp4');
    let settled = false;
    const done = (r: CapResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rx.close();
      tx.close();
      resolve(r);
    };
    const fail = (why: string) =>
      done({
        ok: false,
        reason: `this machine's loopback does not deliver broadcasts to ${LOOPBACK_BROADCAST}: ${why}`,
      });
    // Where broadcasts are not delivered, binding or sending fails at once (macOS, a loopback without a broadcast
    // address); a datagram that is delivered arrives at once too, unless the machine is busy. Waiting long costs
    // nothing where it arrives, and a short wait on a loaded machine (a batch) skipped an exercise for everyone.
    const timer = setTimeout(
      () => fail(`a test broadcast did not arrive within ${PROBE_MS / 1000} s`),
      PROBE_MS,
    );
    rx.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    tx.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    rx.once('message', () => done({ ok: true }));
    rx.bind({ address: LOOPBACK_BROADCAST, port: 0 }, () =>
      tx.bind({ address: '127.0.0.1', port: 0 }, () => {
        tx.setBroadcast(true);
        tx.send('probe', rx.address().port, LOOPBACK_BROADCAST, (err) => {
          if (err) fail((err as NodeJS.ErrnoException).code ?? err.message);
        });
      }),
    );
  });
}

async function probeCapability(cap: Capability): Promise<CapResult> {
  switch (cap) {
    case 'broadcast':
      return probeBroadcast();
    case 'signals':
      return signalsCapability();
    case 'ipv4':
      return tryListen({ host: '127.0.0.1', port: 0 });
    case 'ipv6': {
      const r = await tryListen({ host: '::1', port: 0 });
      return r.ok ? r : { ok: false, reason: `this machine has no IPv6 loopback (::1): ${r.reason}` };
    }
    case 'unix': {
      if (process.platform === 'win32')
        return { ok: false, reason: 'AF_UNIX sockets are not available here' };
      const dir = makeScratch();
      try {
        const r = await tryListen({ path: join(dir, 'probe.sock') });
        return r.ok ? r : { ok: false, reason: `AF_UNIX sockets are not available here: ${r.reason}` };
      } finally {
        removeScratch(dir);
      }
    }
  }
}

let dualName: Promise<string> | undefined;

/**
 * A host name that resolves to both ::1 and 127.0.0.1 here, or '' when none does (many machines list `localhost`
 * only as 127.0.0.1 in /etc/hosts). Python's getaddrinfo(None, port) gives the loopback address of every family,
 * so a program told '' uses None.
 */
export function dualStackName(): Promise<string> {
  dualName ??= (async () => {
    const { lookup } = await import('node:dns/promises');
    for (const name of ['localhost', 'localhost6', 'ip6-localhost']) {
      try {
        const all = (await lookup(name, { all: true })).map((a) => a.address);
        if (all.includes('::1') && all.includes('127.0.0.1')) return name;
      } catch {
        // not known here; try the next
      }
    }
    return '';
  })();
  return dualName;
}
