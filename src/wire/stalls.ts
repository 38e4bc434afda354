// How late this process may have noticed what happened. Times on the wire are taken when the event loop gets to
// an event; while the loop is busy (a batch grading dozens of programs on two cores) that can be much later than
// the event itself. A light ticker records when the loop was free, and a timing judgement widens its tolerance by
// the worst stall seen while it measured, instead of failing a correct program for the grader's own delay.

import { readdirSync, readFileSync } from 'node:fs';
import { PORTABLE } from './platform.js';
import { statFields } from './procstat.js';

const TICK_MS = 10;
/** The shortest gap between ticks that counts as a stall. */
const STALL_MS = 2.5 * TICK_MS;
/** Enough for the longest measured span (a minute of ticks). */
const KEEP = 6000;

const ticks = new Float64Array(KEEP);
let count = 0;
let ticker: NodeJS.Timeout | undefined;

function tick(): void {
  ticks[count % KEEP] = Date.now();
  count++;
}

/**
 * How long in all the loop did not tick in [from, to], beyond the tick itself: time this process was busy with
 * other work (other gradings of a batch) or not running at all, and so did not attend to a program waiting on it.
 */
export function stalledMs(from: number, to: number): number {
  if (count === 0) return 0;
  let total = 0;
  let prev: number | undefined;
  for (let i = Math.max(0, count - KEEP); i < count; i++) {
    const t = ticks[i % KEEP] as number;
    if (prev !== undefined && t > from && prev < to) {
      // A timer's usual lateness (a few ms, hundreds of times) is not a stall, only a gap of several ticks is.
      const gap = Math.min(t, to) - Math.max(prev, from);
      if (gap > STALL_MS) total += gap - TICK_MS;
    }
    prev = t;
  }
  return total;
}

/**
 * How long a process has waited, runnable, for a CPU since it started (ms), over all its threads, from the
 * kernel's scheduler statistics (/proc/<pid>/task/<tid>/schedstat, second field); undefined where they cannot be
 * read (not Linux, portable mode, a process already gone). On a machine with more work than cores this is time
 * neither the program nor the grader could use.
 */
export function runQueueWaitMs(pid: number | undefined): number | undefined {
  if (pid === undefined || PORTABLE) return undefined;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let ns = 0;
  for (const tid of tids) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) || 0;
    } catch {
      // The thread ended meanwhile: its wait is gone with it, which only makes the allowance smaller.
    }
  }
  return ns / 1e6;
}

/** CPU time (user + system) `pid` has used so far, in ms; undefined where it cannot be read. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || PORTABLE) return undefined;
  const f = statFields(pid);
  // utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on every Linux that runs Node).
  return f ? (Number(f[11]) + Number(f[12])) * 10 : undefined;
}

/** The longest part of [from, to] during which the loop did not tick: a stall before `from` counts only from it. */
export function worstStallWithin(from: number, to: number): number {
  let worst = 0;
  let prev: number | undefined;
  for (let i = Math.max(0, count - KEEP); i < count; i++) {
    const t = ticks[i % KEEP] as number;
    if (prev !== undefined && t > from && prev < to)
      worst = Math.max(worst, Math.min(t, to) - Math.max(prev, from));
    prev = t;
  }
  if (prev !== undefined && prev < to) worst = Math.max(worst, to - Math.max(prev, from));
  return worst;
}

/**
 * How long after `at` (ms since the epoch) the loop next ticked: how late work queued at that moment (a send after
 * a mark) may have run. Until now, if it has not ticked since; nothing known before the ticker started.
 */
export function resumedAfter(at: number): number {
  if (count === 0) return TICK_MS;
  for (let i = Math.max(0, count - KEEP); i < count; i++) {
    const t = ticks[i % KEEP] as number;
    if (t >= at) return t - at;
  }
  return Math.max(0, Date.now() - at);
}

/**
 * How long before now an event the loop is handling now may have happened: a connection heard of at the end of a
 * stall may have been made at its start. After a stall the loop runs its timers before it handles I/O, so the
 * last tick came just before the event was heard of: the stall is the gap before it. Hence since the tick before
 * the last, and a tick more (the event may have come just after it). Nothing known before the ticker started but
 * a tick.
 */
export function noticedLateBy(now = Date.now()): number {
  if (count === 0) return TICK_MS;
  const before = ticks[Math.max(0, count - 2) % KEEP] as number;
  return Math.max(0, now - before) + TICK_MS;
}

/** Start the ticker (once per process). It never keeps the process alive. */
export function watchStalls(): void {
  if (ticker) return;
  tick();
  ticker = setInterval(tick, TICK_MS);
  ticker.unref();
}

/**
 * The longest time in [from, to] (ms since the epoch) during which the loop did not tick, at least one tick: how
 * late an event in that span may have been seen. Before the ticker started nothing is known, and the whole span
 * counts as a stall.
 */
export function worstStall(from: number, to: number): number {
  if (count === 0) return Math.max(TICK_MS, to - from);
  const oldest = Math.max(0, count - KEEP);
  const first = ticks[oldest % KEEP] as number;
  let worst = first > from ? first - from : TICK_MS;
  let prev = first;
  for (let i = oldest + 1; i < count; i++) {
    const t = ticks[i % KEEP] as number;
    // A gap running past `to` counts only up to it: what was seen at `to` was late by at most `to - prev`.
    if (t >= from && prev <= to) worst = Math.max(worst, Math.min(t, to) - prev);
    prev = t;
    if (prev > to) break;
  }
  // The loop may be stalled right now, since its last tick.
  if (prev <= to) worst = Math.max(worst, to - prev);
  return worst;
}
