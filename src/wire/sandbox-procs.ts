// Finding the learner's program inside its sandbox. bwrap (our child) forks the sandbox's init, PID 1 of the new
// PID namespace, which forks the program; we see both under their pids in our own namespace.
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Exit } from './events.js';
import { statFields } from './procstat.js';

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** The sandbox's init and the program, once both exist. */
export function sandboxPids(bwrapPid: number): { init: number; program: number | undefined } | undefined {
  const init = childrenOf(bwrapPid)[0];
  if (init === undefined) return undefined;
  return { init, program: childrenOf(init)[0] };
}

/**
 * The process group of a process, as our namespace numbers it. Inside the sandbox the program does not lead a
 * group of its own: bwrap's --new-session makes the sandbox's init the session and group leader, and the
 * program and everything it starts share that group.
 */
export function groupOf(pid: number): number | undefined {
  const pgrp = Number(statFields(pid)?.[2]);
  return Number.isInteger(pgrp) && pgrp > 0 ? pgrp : undefined;
}

const SIGNALS = Object.entries(constants.signals) as [NodeJS.Signals, number][];

/**
 * bwrap exits with the program's code, or 128+N when the program was killed by signal N. Read back that way, a
 * run in the sandbox reports exits as an unsandboxed one does (a program that itself exits with 130 reads as
 * SIGINT; the README says so).
 */
export function exitOfSandbox(code: number | null, signal: NodeJS.Signals | null): Exit {
  if (signal || code === null || code <= 128) return { code, signal };
  const found = SIGNALS.find(([, n]) => n === code - 128);
  return found ? { code: null, signal: found[0] } : { code, signal };
}
