// What a check can prove. Partial credit and peer mode both ask it: a check earns points only if the program had
// to act to pass it, and peer mode, which sees only the wire, cannot judge a check about output or exit.
import type { Grader } from './schema/grader.js';

type Check = Grader['checks'][number];

/** What peer mode cannot see: the learner runs the program by hand, in another terminal. */
const UNOBSERVABLE = new Set(['expect_stdout', 'expect_exit', 'expect_running', 'expect_path']);
/** Steps that meet the program on the wire, the only evidence peer mode has. */
const ON_THE_WIRE = new Set([
  'connect',
  'accept',
  'send',
  'expect',
  'sendto',
  'expect_datagram',
  'expect_received',
  'expect_tls_refused',
  'exchange',
  'group',
]);

/** In peer mode, a check that judges what cannot be seen, or that has nothing on the wire, is not checked. */
export function unobservedByHand(check: Check): boolean {
  return check.steps.some((s) => UNOBSERVABLE.has(s.do)) || !check.steps.some((s) => ON_THE_WIRE.has(s.do));
}

/**
 * Does a check need the program to do something to pass? Only such checks earn points: one that passes for a
 * program that does nothing (it only starts it, sends, waits, or expects silence) shows no behaviour.
 */
export function showsBehaviour(check: Check): boolean {
  return check.steps.some((s) => {
    switch (s.do) {
      case 'start':
        return s.ready !== undefined;
      case 'expect':
      case 'expect_datagram':
        return s.nothing === undefined;
      case 'connect':
      case 'accept':
      case 'expect_received':
      case 'expect_stdout':
      case 'expect_exit':
      case 'expect_path':
      case 'expect_tls_refused':
      case 'exchange':
      case 'group':
        return true;
      // What the grader does, or waits for, on its own side: a program that does nothing passes these too. A
      // `release` that reads N bytes and a `wait_sent` only move the scenario on; they judge nothing.
      case 'send':
      case 'shutdown':
      case 'close':
      case 'reset':
      case 'hold':
      case 'release':
      case 'wait_sent':
      case 'sendto':
      case 'lossy':
      case 'respond':
      case 'expect_running':
      case 'signal':
      case 'mark':
      case 'pause':
      case 'barrier':
        return false;
      default: {
        const never: never = s;
        throw new Error(`unknown step ${JSON.stringify(never)}`);
      }
    }
  });
}
