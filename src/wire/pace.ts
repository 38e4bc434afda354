// Taking turns to start processes.
import { sleep } from './events.js';

/**
 * Starting a process blocks the event loop until the child has called exec, which on a loaded machine waits for
 * the child to be scheduled: milliseconds each. Dozens at once (a batch starting up, or many budgets running out
 * together) stalled every grading in the process for most of a second, long enough for a correct program's own
 * timeout to expire before its connection was even seen. So starts take turns, one at a time, and the loop is
 * free for a while after each.
 */
const START_GAP_MS = 10;
let turns: Promise<unknown> = Promise.resolve();

/** Run `start` (which starts a process) in its turn: at once when no other start is recent. */
export function paced<T>(start: () => T): Promise<T> {
  const turn = turns.then(start);
  const gap = () => sleep(START_GAP_MS);
  turns = turn.then(gap, gap);
  return turn;
}
