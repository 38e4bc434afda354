// Which ways of watching and stopping a learner's program this machine has. Linux lets the grader read the
// kernel's socket tables and every process's state under /proc; macOS and Windows have no /proc, so there the
// grader learns of sockets from the program itself (the Python launcher) or from the OS's own tools, and stops
// the program by its process group (macOS) or its process tree (Windows). SOCKETLINGS_PORTABLE=1 takes the
// macOS way on Linux, so CI can show both give the same verdicts; nothing on that path reads /proc.

import { existsSync } from 'node:fs';

export type Platform = NodeJS.Platform;

/**
 * Is the /proc way off: not Linux, SOCKETLINGS_PORTABLE=1, or a Linux whose /proc is hidden (some containers)?
 * Read once: a run never switches half-way.
 */
export function isPortable(
  env: NodeJS.ProcessEnv = process.env,
  platform: Platform = process.platform,
  hasProc: () => boolean = () => existsSync('/proc/self/stat'),
): boolean {
  return platform !== 'linux' || env.SOCKETLINGS_PORTABLE === '1' || !hasProc();
}

export const PORTABLE = isPortable();

export interface Methods {
  /** How readiness of a Python program is observed. */
  readiness: 'proc' | 'launcher';
  /** How readiness of a --run program is observed. */
  runReadiness: 'proc' | 'lsof' | 'netstat' | 'probe';
  /** How the program and everything it started is stopped. */
  cleanup: 'proc' | 'group' | 'tree';
}

export function methodsFor(portable: boolean, platform: Platform = process.platform): Methods {
  if (!portable) return { readiness: 'proc', runReadiness: 'proc', cleanup: 'proc' };
  return {
    readiness: 'launcher',
    runReadiness: platform === 'darwin' ? 'lsof' : platform === 'win32' ? 'netstat' : 'probe',
    cleanup: platform === 'win32' ? 'tree' : 'group',
  };
}

export const METHODS = methodsFor(PORTABLE);
