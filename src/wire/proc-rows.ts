// Reading the kernel's socket tables (/proc/net/tcp and the others) row by row, so that a reader can stop at the
// row it wants. The kernel makes a table's rows while it is read, walking its whole connection hash to do so
// (262144 buckets on these machines: 2.2 ms of CPU for all of /proc/net/tcp, however few sockets there are),
// and one read() makes only the rows that fit the buffer asked for. A reader that stops after a few small reads
// pays for the part of the walk it made: a poll of one connection's receive queue costs about a third as much.
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** About seven rows of /proc/net/tcp per read: few system calls, and a walk that stops soon after the row. */
const SMALL_READ = 1024;
const chunk = Buffer.alloc(64 * 1024);

/**
 * Call `visit` with each row of `file` after its header, in the kernel's order, until it returns true. False when
 * the table cannot be read here (no such table, no /proc).
 */
export function scanRows(
  file: string,
  visit: (row: string) => boolean | undefined,
  readSize = SMALL_READ,
): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    // AF_UNIX paths may be UTF-8, and a character may straddle two reads.
    const text = new StringDecoder('utf8');
    let rest = '';
    let header = true;
    for (;;) {
      const n = readSync(fd, chunk, 0, Math.min(readSize, chunk.length), null);
      if (n === 0) return true;
      const lines = (rest + text.write(chunk.subarray(0, n))).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (header) {
          header = false;
          continue;
        }
        if (line.trim() && visit(line)) return true;
      }
    }
  } catch {
    // Gone while read (a process's table): what was read stands.
    return true;
  } finally {
    closeSync(fd);
  }
}
