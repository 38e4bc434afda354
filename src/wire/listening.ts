// Is the learner's program listening yet? On Linux we read the kernel's socket tables instead of connecting,
// because a probe connection would be the first client a one-shot server accepts. Elsewhere a connect probe is
// the fallback.
import { readdirSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { PORTABLE } from './platform.js';
import type { Family } from './ports.js';
import { scanRows } from './proc-rows.js';
import { liveThread } from './procstat.js';

/** The kernel's socket tables can be read (Linux, unless SOCKETLINGS_PORTABLE=1). */
export const CAN_INSPECT = !PORTABLE;

export interface Listener {
  transport: 'tcp' | 'udp' | 'unix';
  /** Port for tcp/udp, path for unix. */
  where: string;
  host: string;
  inode: string;
}

function hexAddr(hex: string): string {
  if (hex.length === 8) {
    const b = Buffer.from(hex, 'hex');
    return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
  }
  // IPv6 is four 32-bit words, each in host (little-endian) order.
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = Buffer.concat(words.map((w) => Buffer.from(w, 'hex').reverse()));
  const groups = bytes.toString('hex').match(/.{4}/g) ?? [];
  const text = groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
  if (text === '0:0:0:0:0:0:0:0') return '::';
  if (text === '0:0:0:0:0:0:0:1') return '::1';
  if (text.startsWith('0:0:0:0:0:ffff:')) return `::ffff:${hexAddr(hex.slice(24))}`;
  return text;
}

/**
 * How long one read of a socket table serves every waiter. A batch has dozens of gradings polling at once;
 * readiness can afford to be 15 ms late.
 */
const TABLE_TTL_MS = 15;
const tables = new Map<string, { at: number; rows: string[] }>();

/**
 * The rows of a socket table. For TCP only listening sockets matter, and the kernel lists them before every
 * connected or TIME_WAIT one, so the read stops at the first row in another state, read in small pieces
 * (proc-rows.ts): after a batch has made thousands of connections the whole table is hundreds of kilobytes, and
 * reading it all on every poll took half of a batch's CPU time; and however small the table, making all of it
 * walks the kernel's whole connection hash. The other tables are read whole.
 */
function readTable(file: string, listenOnly: boolean, fresh = false): string[] {
  const now = Date.now();
  const cached = tables.get(file);
  if (cached && !fresh && now - cached.at < TABLE_TTL_MS) return cached.rows;
  const rows: string[] = [];
  // No such table here (no IPv6, no /proc): nothing listens on it.
  if (listenOnly)
    scanRows(file, (line) => {
      if (line.trim().split(/\s+/)[3] !== LISTEN) return true;
      rows.push(line);
      return false;
    });
  else scanRows(file, (line) => void rows.push(line), 16 * 1024);
  tables.set(file, { at: now, rows });
  return rows;
}

/** TCP_LISTEN in the tables' state column. */
const LISTEN = '0A';

const TABLES = [
  ['/proc/net/tcp', 'tcp'],
  ['/proc/net/tcp6', 'tcp'],
  ['/proc/net/udp', 'udp'],
  ['/proc/net/udp6', 'udp'],
] as const;

/** Every listening TCP socket, bound UDP socket and listening AF_UNIX socket on this machine (or of one kind). */
export function listeners(only?: Listener['transport'], fresh = false): Listener[] {
  const out: Listener[] = [];
  for (const [file, transport] of TABLES) {
    if (only && only !== transport) continue;
    for (const row of readTable(file, transport === 'tcp', fresh)) {
      const f = row.trim().split(/\s+/);
      const [addr, port] = (f[1] ?? '').split(':');
      const state = f[3];
      // 07 is an unconnected (bound) UDP socket.
      if ((transport === 'tcp' && state !== LISTEN) || (transport === 'udp' && state !== '07')) continue;
      out.push({
        transport,
        where: String(Number.parseInt(port ?? '0', 16)),
        host: hexAddr(addr ?? ''),
        inode: f[9] ?? '',
      });
    }
  }
  if (only && only !== 'unix') return out;
  for (const row of readTable('/proc/net/unix', false, fresh)) {
    const f = row.trim().split(/\s+/);
    // Flags 00010000 is __SO_ACCEPTCON: a listening socket.
    if (f[3] === '00010000' && f[7])
      out.push({ transport: 'unix', where: f[7], host: '', inode: f[6] ?? '' });
  }
  return out;
}

/**
 * Bytes the kernel holds unread for the UDP sockets bound to `port` (their receive queues, as it accounts them),
 * read fresh; undefined where the tables cannot be read or nothing is bound there.
 */
export function udpUnread(port: number): number | undefined {
  if (!CAN_INSPECT) return undefined;
  let total: number | undefined;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    for (const row of readTable(file, false, true)) {
      const f = row.trim().split(/\s+/);
      if (Number.parseInt((f[1] ?? '').split(':')[1] ?? '', 16) !== port) continue;
      // tx_queue:rx_queue, in hex.
      total = (total ?? 0) + (Number.parseInt((f[4] ?? '').split(':')[1] ?? '0', 16) || 0);
    }
  }
  return total;
}

/**
 * The most descriptors one look reads. A program may hold about 256 processes × 1024 descriptors, whose reading
 * takes seconds and stalls the grader (and every other grading in its process) each time; a course program holds
 * a few dozen. Past this many, what was not read counts as not there: a program that hides its listener behind
 * thousands of descriptors is not seen listening.
 */
export const DESCRIPTORS_A_LOOK = 4096;

/** The socket inodes these processes hold open, one descriptor at a time (so a caller can stop early). */
function* socketsIn(pids: number[], limit = DESCRIPTORS_A_LOOK): Generator<string> {
  let read = 0;
  for (const pid of pids) {
    let dir = `/proc/${pid}/fd`;
    let fds: string[];
    try {
      fds = readdirSync(dir);
    } catch {
      fds = [];
    }
    // A process whose first thread has ended shows its files under a thread that goes on.
    const thread = fds.length === 0 ? liveThread(pid) : undefined;
    if (thread !== undefined && thread !== pid) {
      dir = `/proc/${pid}/task/${thread}/fd`;
      try {
        fds = readdirSync(dir);
      } catch {
        continue;
      }
    }
    for (const fd of fds) {
      if (read++ >= limit) return;
      const inode = socketAt(`${dir}/${fd}`);
      if (inode) yield inode;
    }
  }
}

/**
 * The sockets a program was started with (its stdio and the launcher's pipe: Node makes them socket pairs), read
 * just after it started: every process of the program inherits them, so they tell nothing of its own sockets.
 */
export function startingSockets(pid: number): Set<string> {
  const out = new Set<string>();
  for (let fd = 0; fd <= 4; fd++) {
    const inode = socketAt(`/proc/${pid}/fd/${fd}`);
    if (inode) out.add(inode);
  }
  return out;
}

/** The socket inode a descriptor link (/proc/<pid>/fd/<n>) points to, if it is open and a socket. */
function socketAt(link: string): string | undefined {
  try {
    return /^socket:\[(\d+)\]$/.exec(readlinkSync(link))?.[1];
  } catch {
    return undefined; // Closed meanwhile.
  }
}

/** Whether any of these processes holds a socket besides `ignore`, reading up to the first one. */
export function holdsSocket(pids: number[], ignore: Set<string>): boolean {
  for (const inode of socketsIn(pids)) if (!ignore.has(inode)) return true;
  return false;
}

/** Those of the `wanted` socket inodes that these processes hold; the reading stops once all are found. */
export function socketsHeld(pids: number[], wanted: Set<string>): Set<string> {
  const held = new Set<string>();
  for (const inode of socketsIn(pids)) {
    if (!wanted.has(inode)) continue;
    held.add(inode);
    if (held.size === wanted.size) break;
  }
  return held;
}

/** Fallback readiness where the kernel tables cannot be read: a connection that is closed at once. */
export function connectProbe(target: { port: number; family: Family } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const sock =
      'path' in target
        ? connect({ path: target.path })
        : connect({ port: target.port, host: target.family === 'ipv6' ? '::1' : '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}
