// Finding the learner's program inside its sandbox. bwrap (our child) forks the sandbox's init, PID 1 of the new
// PID namespace, which forks the program; we see both under their pids in our own namespace.
import { constants } from 'node:os';
import type { Exit } from './events.js';
import { startTicks, treeMembers } from './group.js';
import { childrenOf, statFields } from './procstat.js';

/** The sandbox's init and the program, once both exist. */
export function sandboxPids(bwrapPid: number): { init: number; program: number | undefined } | undefined {
  const init = childrenOf(bwrapPid)[0];
  if (init === undefined) return undefined;
  return { init, program: childrenOf(init)[0] };
}

/**
 * A sandbox's init and program, looked up until both are seen, then remembered: so the init is found even after
 * bwrap, its parent, is gone. Each is told from a later process given the same pid by the time it started, and
 * bwrap's own pid is not used once bwrap has been reaped (`reaped`): a pid is free for any new process then.
 */
export class SandboxInside {
  private seen:
    | { init: number; initStart: number; program: number | undefined; programStart: number }
    | undefined;
  private bwrapReaped = false;

  constructor(private readonly bwrapPid: number) {}

  /** bwrap has exited and been waited for: its pid, and any lookup through it, may be another process's now. */
  reaped(): void {
    this.bwrapReaped = true;
  }

  look(): { init: number; program: number | undefined } | undefined {
    if (this.bwrapReaped || this.seen?.program !== undefined) return this.seen;
    const found = sandboxPids(this.bwrapPid);
    if (found) {
      const initStart = this.seen?.init === found.init ? this.seen.initStart : startTicks(found.init);
      const programStart = found.program === undefined ? 0 : startTicks(found.program);
      this.seen = { init: found.init, initStart, program: found.program, programStart };
    }
    return this.seen;
  }

  /** The init, while that process lives. */
  liveInit(): number | undefined {
    this.look();
    const seen = this.seen;
    return seen && startTicks(seen.init) === seen.initStart ? seen.init : undefined;
  }

  /** The program, while that process lives. */
  liveProgram(): number | undefined {
    this.look();
    const seen = this.seen;
    return seen?.program !== undefined && startTicks(seen.program) === seen.programStart
      ? seen.program
      : undefined;
  }

  /**
   * Every live process of the sandbox, bwrap's included: all are below bwrap or below the init, since nothing
   * leaves a PID namespace and an orphan inside is adopted by the namespace's init. A few reads, where finding
   * a daemon outside a sandbox means reading every process on the machine.
   */
  members(): number[] {
    const init = this.liveInit();
    return treeMembers([...(this.bwrapReaped ? [] : [this.bwrapPid]), ...(init === undefined ? [] : [init])]);
  }
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
