// The Python launcher (launch.py, shipped next to this file) and what it reports. See launch.py for the protocol.
import { join } from 'node:path';
import type { Listener } from './listening.js';
import { distFile, FROM_SOURCES, PACKAGE_ROOT } from './package-files.js';

export const LAUNCHER = FROM_SOURCES ? join(PACKAGE_ROOT, 'src/wire/launch.py') : distFile('wire/launch.py');

/** The environment variable that gives the launcher its pipe's file descriptor. */
export const READY_FD_ENV = 'SOCKETLINGS_READY_FD';
/** The pipe is the child's fd 3: the first after stdin, stdout and stderr. */
export const READY_FD = 3;

export type Report = { kind: 'socket'; socket: Listener } | { kind: 'fork'; pid: number };

/** One line from the launcher, or undefined for anything else (never trusted beyond its shape). */
export function parseReport(line: string): Report | undefined {
  const m = /^(listen|bind) (tcp|udp|unix) (\S+) (.+)$/.exec(line);
  if (m) {
    const [, verb, transport, host = '', where = ''] = m;
    if ((verb === 'bind') !== (transport === 'udp')) return undefined;
    if (transport !== 'unix' && !/^\d+$/.test(where)) return undefined;
    return {
      kind: 'socket',
      socket: {
        transport: transport as Listener['transport'],
        host: transport === 'unix' ? '' : host,
        where,
        inode: '',
      },
    };
  }
  const f = /^fork (\d+)$/.exec(line);
  if (f) return { kind: 'fork', pid: Number(f[1]) };
  return undefined;
}
