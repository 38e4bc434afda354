// What a busy machine is forgiven. Every verdict must be fair on a machine with more work than cores (a class
// graded at once, CI, another user's build): a correct program must not fail because nobody ran it, nor a wrong
// one pass because of it. These are all the rules, in one place; the steps only ask them.
//
// What the machine can take, as measured:
// - from the program: time it waited, runnable, for a CPU (the kernel's schedstat, per thread);
// - from the grader: time its event loop did not tick (stalled, or the process did not run at all: `stalledMs`),
//   and time the loop was busy with other work, in a batch the other gradings (`busy`).
//
// The rules:
// 1. Budgets stretch (`Fairness.deadline`). A budget (`within`) ends later by what the machine took meanwhile:
//    the program's waits for a CPU plus the larger of the grader's stalls and its busy time, at most the budget
//    again. Stretching only delays a failing verdict; it never makes a program pass that does not show the
//    behaviour. How much was stretched is reported (`stretched`). A budget starts when its step does, or, if the
//    grader's loop stalled between the step before and this one, when the step before ended (`budgetStart`).
// 2. A budget that ran out while the machine took more than could be forgiven, and some of it from the program
//    (at least STARVED_MS), leaves the check undecided (`expiry: over`): the failure is judged again once.
// 3. Evidence seen late (`seenLate`): a check that passed only on something seen after its deadline, because the
//    grader's loop was kept from looking, is judged again, then failed as undecidable, never passed.
// 4. Too busy to judge (`tooBusyToJudge`): a failure that is not a budget running out, in a check during which
//    the machine took BUSY_RETRY_MS or more from the program and the grader, is judged again once. In peer mode
//    (nobody to start again) it is said to be that at once.
// 5. Readiness (`readinessAllowance`): a program that should listen within a budget is forgiven its waits for a
//    CPU and the grader's stalls, up to six budgets more; the grader's busy time only once the program has written
//    more than a pipe holds (it then goes at the pace the grader reads it). A program that sleeps waits for no CPU.
// 6. Ending (`exitWithin`): a program given some time to exit gets as much again as the machine took meanwhile.
// 7. Timing of a line (`lineTiming`). Times the program should keep are not scaled; how exactly they can be
//    measured is: `slack` × the time scale, plus the grader's loop's stalls that could move what it measured: for a
//    line too early by the earlier mark, the worst stall while it measured; for a late line, only how long after
//    the later mark the loop ran again (a late send). A line seen late by no more than the span's worst stall
//    may have been read late, or its program held up unseen: judged again, then undecidable, never on time. An
//    early line is never excused (every delay makes a line look later). A late one is excused by starvation only
//    when it was not of the program's own making (`starvation`): the longest wait for a CPU of one thread that was
//    waiting (it was given a CPU at most WAITING_SLICES times), and nothing if the program, with its children, used more
//    than IDLE_CPU_MS of CPU meanwhile; nor, then, the grader's own stalls: a program that spins can starve the
//    grader too. Threads' waits are not summed: waits side by side delay no one line more
//    than the longest of them, and twenty napping threads would otherwise buy twenty times the excuse.
//    Marks too far apart to say when the program's clock started give no evidence either way: judged again, then
//    undecidable. An on-time line that must not come early proves it did not only if the delays that could hide
//    earliness were shorter than its margin: the grader's loop stalled just after the mark (what it sent left late)
//    or just before it saw the line (it read late), by more than twice the slack.
//    Otherwise it is judged again, then undecidable: a fixed wait in the program must not fit a window by luck.
// 8. A pause after a mark (`pause since`) that must outlast a timer in the program lasts longer by the program's
//    waits for a CPU meanwhile (summed over its threads): its timer could not run while it had no CPU.
// 9. The grader late on its side. A program may rightly give up when the grader was late or quiet: a greeting
//    sent after the program's own budget (`late_greeting`), a connection left without writes for the program's
//    idle time (`fresh_for`, `grader_quiet`). Such a failure is judged again, then undecidable. A client that
//    never sent a byte to the grader's server was kept waiting by nothing: its leaving is a plain failure.
// 10. A close heard in time proves it came in time only if the grader's loop was not stalled just before hearing
//    it for long enough to hide an early one (`closeTime`): judged again, then undecidable.
// 11. A send that took nothing for STALLED_MS, not counting the program's waits for a CPU, has stalled.
// 12. An exchange's slow answer counts against the program only if the machine could not have taken the
//    difference (rule 1's measure); answers it may have slowed count neither way, and more are asked.
import { performance } from 'node:perf_hooks';
import { type Deadline, deadline } from '../wire/events.js';
import type { Program } from '../wire/program.js';
import { resumedAfter, runQueueWaitMs, stalledMs, worstStall, worstStallWithin } from '../wire/stalls.js';
import { type Sched, schedOf } from '../wire/starvation.js';
import { round } from './score.js';

/** What the machine took from a span, so far (ms). */
export interface Took {
  /** The program's waits for a CPU, summed over its threads. */
  program: number;
  /** This process's loop stalled. */
  grader: number;
  /** This process's loop working (on this grading and, in a batch, the others). */
  busy: number;
}

/** Rule 1: what a budget forgives of what the machine took. */
export const forgiven = (t: Took): number => t.program + Math.max(t.grader, t.busy);

/** Rule 2: a program that waited this long for a CPU during a budget that ran out was starved, not idle. */
const STARVED_MS = 100;

/** Rule 4. */
const BUSY_RETRY_MS = 500;

/** Rule 7: CPU a program (with its children) may use while it waits and still be forgiven its waits for a CPU. */
const IDLE_CPU_MS = 100;

/** Rule 7: a thread given a CPU more often than this was not waiting (it woke again and again: a poll, a nap). */
const WAITING_SLICES = 20;

/** Rule 11. */
export const STALLED_MS = 200;

/** Rule 10: long enough to reach back past the loop's last two ticks (10 ms apart) before a close was heard. */
const RECENT_MS = 30;

/** The busy-machine bookkeeping of one run (rules 1 to 3). */
export class Fairness {
  /**
   * How a budget of the current check last ran out: `within` when the machine took no more than could be forgiven
   * (the verdict stands), `over` when it took more (the check could not be judged fairly).
   */
  expiry: 'within' | 'over' | undefined;
  /** Rule 3: something the current check waited for was seen only after its deadline. */
  seenLate = false;
  /** How much later than their budgets the budgets that ran out ended, in all (ms). */
  stretchedMs = 0;
  /** The program's scheduler facts at each mark (rule 7), and its waits for a CPU summed over threads (rule 8). */
  readonly atMark = new Map<string, Sched | undefined>();
  private readonly waitAtMark = new Map<string, number | undefined>();

  constructor(
    private readonly program: () => Program | undefined,
    private readonly ms: (seconds: number) => number,
  ) {}

  /** A new check: what earlier ones saw of the machine does not decide this one. */
  newCheck(): void {
    this.expiry = undefined;
    this.seenLate = false;
    this.handedOverAt = undefined;
  }

  /** A budget has run out; `over` when the machine took more of it than can be forgiven. */
  expired(over: boolean): void {
    if (this.expiry !== 'over') this.expiry = over ? 'over' : 'within';
  }

  /** A gap between two steps longer than this is a stall of the grader's (a step hands over in well under it). */
  static readonly STALLED_BETWEEN_MS = 30;

  /** When the grader last handed over to the program: the end of the check's last step (see `budgetStart`). */
  handedOverAt: number | undefined;

  /**
   * Rule 1: where the first budget after a step starts. Now, usually; but if the grader's loop stalled since the
   * step before ended, then: what the program did meanwhile (an answer sent while the grader could not look) is
   * inside the budget, and the stall is forgiven as the grader's own, rather than hidden before the budget began.
   */
  budgetStart(): number {
    const now = Date.now();
    const from = this.handedOverAt;
    this.handedOverAt = undefined;
    // The stall may be going on still, its end not yet ticked: worstStall counts the time since the last tick too.
    return from !== undefined && worstStall(from, now) > Fairness.STALLED_BETWEEN_MS ? from : now;
  }

  /** Rules 1 and 2: a budget as a deadline that forgives what the machine took meanwhile, up to the budget again. */
  deadline(seconds: number, start = this.budgetStart()): Deadline {
    const ms = this.ms(seconds);
    const took = this.machineTook(start);
    let ended = false;
    return {
      due: () => {
        const t = took();
        const f = forgiven(t);
        const due = start + ms + Math.min(ms, f);
        if (due <= Date.now() && !ended) {
          ended = true;
          this.expired(f > ms && t.program >= STARVED_MS);
          this.stretchedMs += due - start - ms;
        }
        return due;
      },
      late: () => {
        this.seenLate = true;
      },
    };
  }

  /** How much of the time from `start` (now, unless said) on the machine took (ms). */
  machineTook(start = Date.now()): () => Took {
    let pid = this.program()?.programPid;
    let atStart = runQueueWaitMs(pid);
    const loopAtStart = performance.eventLoopUtilization();
    let waited = 0;
    return () => {
      const prog = this.program();
      if (pid === undefined && prog?.running) {
        // Not started yet (a sandbox starts it a moment after its own init): all its waiting is within the span.
        pid = prog.programPid;
        if (pid !== undefined) atStart = 0;
      }
      const now = runQueueWaitMs(pid);
      // A program that has exited keeps the wait it had: the kernel's count is gone with it.
      if (atStart !== undefined && now !== undefined) waited = Math.max(waited, now - atStart);
      return {
        program: waited,
        grader: stalledMs(start, Date.now()),
        busy: performance.eventLoopUtilization(loopAtStart).active,
      };
    };
  }

  /** Remember the program's scheduler facts at a mark. */
  mark(name: string): void {
    this.atMark.set(name, this.snapshot());
    this.waitAtMark.set(name, runQueueWaitMs(this.program()?.programPid));
  }

  /** The program's scheduler facts now, for a later `starvation`. */
  snapshot(): Sched | undefined {
    return schedOf(this.program()?.programPid);
  }

  /** Rule 8: how much longer a pause from a mark lasts (ms). */
  pauseExtension(mark: string): number {
    const from = this.waitAtMark.get(mark);
    const now = runQueueWaitMs(this.program()?.programPid);
    return from !== undefined && now !== undefined ? Math.max(0, now - from) : 0;
  }

  /**
   * Rule 7: did the program (with its children) work since a snapshot, more than a program waiting for a timer or a
   * socket does? Then the machine's busyness during that span may be its own doing, and excuses nothing.
   */
  workedSince(from: Sched | undefined): boolean {
    const to = this.snapshot();
    return from !== undefined && to !== undefined && to.cpu - from.cpu > IDLE_CPU_MS;
  }
}

/**
 * Rule 7: how long the program waited for a CPU between two readings, as far as that can excuse a late answer:
 * the longest wait of one thread that was waiting meanwhile, none if it or its children worked.
 */
export function starvation(from: Sched | undefined, to: Sched | undefined): number {
  if (!from || !to || to.cpu - from.cpu > IDLE_CPU_MS) return 0;
  let longest = 0;
  for (const [tid, now] of to.threads) {
    const then = from.threads.get(tid) ?? { wait: 0, slices: 0 };
    if (now.slices - then.slices <= WAITING_SLICES) longest = Math.max(longest, now.wait - then.wait);
  }
  return longest;
}

/** Rule 4: whether a failure may be the machine's doing rather than the program's. */
export function tooBusyToJudge(f: Fairness, took: Took): boolean {
  return (
    f.seenLate ||
    f.expiry === 'over' ||
    (f.expiry === undefined && took.program + took.grader >= BUSY_RETRY_MS)
  );
}

/** Rule 5: how much later than its budget a readiness wait may end (ms). */
export function readinessAllowance(t: Took, writtenBytes: number, budgetMs: number): number {
  /** What a pipe to the grader holds before a writer blocks on it (Linux: 64 KiB; a socket pair takes more). */
  const PIPE_BYTES = 64 * 1024;
  const waited = t.program + Math.max(t.grader, writtenBytes > PIPE_BYTES ? t.busy : 0);
  return Math.min(waited, 6 * budgetMs);
}

/** Rule 6: wait up to `ms` for the program to exit, and longer by what the machine took meanwhile (up to `ms`). */
export async function exitWithin(f: Fairness, prog: Program, ms: number): Promise<void> {
  const start = Date.now();
  const took = f.machineTook();
  for (;;) {
    const t = took();
    const left = start + ms + Math.min(ms, t.program + t.grader) - Date.now();
    if (!prog.running || left <= 0) return;
    const d = deadline(Math.min(left, 50));
    await Promise.race([prog.exited, d.promise]);
    d.cancel();
  }
}

/** Rule 7: what was wrong with a line's timing, if anything. Times in seconds. */
export type LineTiming =
  | { wrong: 'before-cause' }
  | { wrong: 'early'; printedAt: number; min: number; slack: number }
  | { wrong: 'undecidable'; spread: number }
  | { wrong: 'early-undecidable'; printedAt: number; hidden: number; min: number }
  | { wrong: 'late-undecidable'; printedAt: number; max: number; stalled: number }
  | { wrong: 'late'; printedAt: number; max: number; allowed: number };

export function lineTiming(o: {
  /** When the line was seen, the mark it is timed from, and the later mark the program's clock may start at. */
  seenAt: number;
  from: number;
  lateFrom: number;
  min?: number | undefined;
  max?: number | undefined;
  /** The grader's slack, already scaled (s). */
  slack: number;
  /** The program's starvation, not of its own making, since the later mark (ms). */
  starvedMs: number;
  /** The program worked meanwhile (rule 7): the grader's stalls may be of its making, and excuse no late line. */
  programWorked?: boolean;
}): LineTiming | undefined {
  const printedAt = (o.seenAt - o.from) / 1000;
  const printedAfterLate = (o.seenAt - o.lateFrom) / 1000;
  if (o.min !== undefined) {
    // Before the mark is a matter of cause, not of timing: a line seen before the grader acted cannot answer it.
    if (o.min === 0 && printedAt < 0) return { wrong: 'before-cause' };
    // Our own delays only ever make a line look later than it was printed, so they never excuse an early one.
    if (o.min > 0 && printedAt < o.min - o.slack)
      return { wrong: 'early', printedAt: Math.max(0, printedAt), min: o.min, slack: round(o.slack) };
    // Early by the later mark, and the marks too far apart to say whether the program waited at all. A program's
    // clock starts no later than the later mark's event, so only the grader's seeing that event late (its loop
    // stalled just before) makes a line look early by it; a stall anywhere else in the span does not, and counting
    // one let a program that waits 0.88 of its timeout, or a fixed time in two parts, pass on a busy machine.
    const spread = (o.lateFrom - o.from) / 1000;
    const markSeenLate = worstStall(o.lateFrom - RECENT_MS, o.lateFrom) / 1000;
    const margin = o.slack + markSeenLate;
    if (o.min > 0 && printedAfterLate < o.min - margin && spread > margin)
      return { wrong: 'undecidable', spread: round(spread) };
    // On time as seen; but it may have been printed as early as the delays that could hide it allow.
    if (o.min > 0) {
      // The grader's own stalls only: the program's waits for a CPU cannot be told apart from those after its
      // timer ran out (which only make a line later), and counting them undecided correct programs on a busy
      // machine.
      const hidden =
        (worstStall(o.from, o.from + RECENT_MS) + worstStall(o.seenAt - RECENT_MS, o.seenAt)) / 1000;
      // Early by more than twice the slack, possibly: a fixed wait in the program that fits the window only by the
      // grader's delays. Within that, a stall on a busy machine would undecide correct programs, seen a little late.
      if (printedAt - hidden < o.min - 2 * o.slack)
        return { wrong: 'early-undecidable', printedAt: round(printedAt), hidden: round(hidden), min: o.min };
    }
  }
  if (o.max !== undefined) {
    const starved = o.starvedMs / 1000;
    // What the program may take past `max`: the slack, its own waits for a CPU (not of its own making), and how
    // long after the later mark the grader's loop ran again (what it sent then left late). A program that worked
    // meanwhile gets the slack alone.
    const allowed = o.programWorked ? o.slack : round(o.slack + resumedAfter(o.lateFrom) / 1000 + starved);
    if (printedAfterLate > o.max + allowed) {
      // Seen late. Printed late, too, unless the grader's loop stalled in the span for as long as the line is
      // late: it may have read the line late (stalled when the line came), or the machine, overloaded, may have
      // held the program up in ways its scheduler facts no longer show (it ended before they were read; the
      // portable way has none). Then there is no evidence either way: judged again, then undecidable, never on
      // time. (Counted as an excuse, such a stall let a program that waits a fixed 1.2 s pass a 0.5 s round.)
      const stalled = worstStallWithin(o.lateFrom, o.seenAt) / 1000;
      if (!o.programWorked && printedAfterLate - stalled <= o.max + allowed)
        return {
          wrong: 'late-undecidable',
          printedAt: round(printedAfterLate),
          max: o.max,
          stalled: round(stalled),
        };
      return { wrong: 'late', printedAt: printedAfterLate, max: o.max, allowed: round(allowed) };
    }
  }
  return undefined;
}

/** Rule 9 (`late_greeting`): how late (s) a greeting left after the program started, when that may excuse it. */
export function lateGreeting(greeted: number, started: number, budget: number): number | undefined {
  const late = (greeted - started) / 1000;
  return late < budget ? undefined : round(late);
}

/**
 * Rule 9 (`fresh_for`): a connection found closed, where the grader had at some point, before it heard the
 * close, gone as long as the program's idle time without writing (the last stretch included): seconds, or none.
 */
export function quietBeforeClose(
  c: { longestQuiet: number; endedAt?: number | undefined; lastSent?: number | undefined; since: number },
  idle: number,
): number | undefined {
  const age = Math.max(c.longestQuiet, (c.endedAt ?? Date.now()) - (c.lastSent ?? c.since)) / 1000;
  return age < idle ? undefined : round(age);
}

/**
 * Rule 9 (`grader_quiet`): the longest the grader went without writing on a connection before its silence on
 * purpose began (`until`), when that is as long as the program's limit: seconds, or none.
 */
export function graderWasQuiet(
  c: { since: number; sentAt: number[] },
  until: number,
  limit: number,
): number | undefined {
  const times = [c.since, ...c.sentAt.filter((t) => t <= until), until];
  let longest = 0;
  for (let i = 1; i < times.length; i++)
    longest = Math.max(longest, (times[i] as number) - (times[i - 1] as number));
  return longest / 1000 < limit ? undefined : round(longest / 1000);
}

/** Rule 10: a close heard `at` s after its mark, `min` s the earliest it may come: early, undecidable or fine. */
export function closeTime(
  heard: number,
  at: number,
  min: number,
  slack: number,
): 'early' | 'undecidable' | undefined {
  if (at < min - slack) return 'early';
  // Heard in time, but it may have come as early as the loop's last stall before it allows.
  const hidden = worstStall(heard - RECENT_MS, heard) / 1000;
  return at - hidden < min - slack ? 'undecidable' : undefined;
}
