// How many bytes the program has not read yet from one of our connections. A peer that splits a message into
// small writes means the program to see small reads; but on a busy machine the program may not run between two
// writes, the pieces pile up in its receive queue, and one recv() returns them joined: a program that assumes one
// recv() is one message then passes. So a split write waits, briefly, for the program to have read the piece
// before it sends the next. Linux shows every TCP socket's receive queue in /proc/net/tcp{,6}; elsewhere (and
// for AF_UNIX) nothing is known and the writes keep their plain pauses.
import { scanRows } from './proc-rows.js';

/**
 * Unread bytes in the receive queue of the socket whose local port is `programPort` and whose far port is
 * `ourPort` (the program's end of our connection), or undefined when that cannot be known here.
 */
export function unreadBy(programPort: number, ourPort: number, ipv6: boolean): number | undefined {
  if (process.platform !== 'linux' || process.env.SOCKETLINGS_PORTABLE === '1') return undefined;
  if (!programPort || !ourPort) return undefined;
  const local = `:${programPort.toString(16).toUpperCase().padStart(4, '0')}`;
  const remote = `:${ourPort.toString(16).toUpperCase().padStart(4, '0')}`;
  // A read of a table walks the kernel's whole connection hash, and the row is found sooner or later in the
  // walk (proc-rows.ts): the table of our connection's family first, the other only when the program's end is not
  // there (an IPv6 socket that accepted an IPv4 client shows in tcp6).
  const tables = ipv6 ? ['/proc/net/tcp6', '/proc/net/tcp'] : ['/proc/net/tcp', '/proc/net/tcp6'];
  for (const file of tables) {
    let found: number | undefined;
    scanRows(file, (line) => {
      const f = line.trim().split(/\s+/);
      if (!(f[1]?.endsWith(local) && f[2]?.endsWith(remote))) return false;
      found = Number.parseInt(f[4]?.split(':')[1] ?? '', 16);
      return true;
    });
    if (found !== undefined) return found;
  }
  return undefined;
}
