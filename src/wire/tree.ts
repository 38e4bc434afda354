// Stopping a program and everything it started without /proc (macOS, Windows, SOCKETLINGS_PORTABLE=1).
// - macOS and other POSIX systems: the program leads its own session and process group, so one kill(-pgid)
//   reaches every descendant that stayed in it. A daemon that called setsid() has left the group; the Python
//   launcher reports every fork, so such a child is killed by its pid (and its own group). On macOS `ps -E`
//   shows each process's environment, where the run's SOCKETLINGS_RUN marker finds anything else it started.
// - Windows: no process groups or signals as POSIX has them; `taskkill /T /F` ends the whole process tree.
import { spawnSync } from 'node:child_process';
import type { Platform } from './platform.js';

function kill(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Pids whose environment carries the marker, from `ps -E` (macOS). Empty where that cannot be asked. */
export function markedPids(marker: string, platform: Platform = process.platform): number[] {
  if (platform !== 'darwin') return [];
  const r = spawnSync('ps', ['-E', '-ww', '-ax', '-o', 'pid=,command='], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? pidsWithMarker(r.stdout, marker) : [];
}

/** The pids of `ps -o pid=,command=` lines (with the environment appended) that carry `marker` as a word. */
export function pidsWithMarker(psOutput: string, marker: string): number[] {
  const out: number[] = [];
  for (const line of psOutput.split('\n')) {
    const m = /^\s*(\d+)\s(.*)$/.exec(line);
    if (m?.[2] && ` ${m[2]} `.includes(` ${marker} `) && Number(m[1]) !== process.pid) out.push(Number(m[1]));
  }
  return out;
}

/** The command that ends a whole process tree on Windows. */
export function taskkillArgs(pid: number): string[] {
  return ['/T', '/F', '/PID', String(pid)];
}

/** Signal the group led by `leader`, every reported fork and (deep, macOS) every process carrying the marker. */
export function signalTree(
  leader: number,
  forks: Iterable<number>,
  marker: string,
  signal: NodeJS.Signals,
  deep: boolean,
  platform: Platform = process.platform,
): void {
  if (platform === 'win32') {
    spawnSync('taskkill', taskkillArgs(leader), { stdio: 'ignore', windowsHide: true, timeout: 10_000 });
    return;
  }
  kill(-leader, signal);
  for (const pid of forks) {
    // A daemon that called setsid() leads a group of its own; its children are in it.
    kill(-pid, signal);
    kill(pid, signal);
  }
  if (deep) for (const pid of markedPids(marker, platform)) kill(pid, signal);
}

/** Is anything of the program left: its group, or a reported fork? (Zombies count until reaped.) */
export function treeAlive(
  leader: number,
  forks: Iterable<number>,
  platform: Platform = process.platform,
): boolean {
  if (platform === 'win32') return kill(leader, 0);
  if (kill(-leader, 0)) return true;
  for (const pid of forks) if (kill(pid, 0)) return true;
  return false;
}
