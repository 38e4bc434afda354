// The step table: every step kind the schema declares, its handler and what it can prove. A kind is added in its
// family's file (and the schema, the README's table, tests); the table below only gathers the families, and a kind
// the schema has but no family handles, or one without its evidence, does not compile.
import { GraderError } from '../context.js';
import type { Check } from '../schema/grader.js';
import type { AnyStep, Kind, StepEnv, StepKind, StepTable } from './common.js';
import { datagramSteps } from './datagram.js';
import { exchangeSteps } from './exchange.js';
import { groupSteps } from './group.js';
import { processSteps } from './process.js';
import { readySteps } from './ready.js';
import { stdoutSteps } from './stdout.js';
import { streamSteps } from './stream.js';
import { timeSteps } from './time.js';
import { tlsSteps } from './tls.js';

const STEPS: StepTable = {
  ...readySteps,
  ...streamSteps,
  ...datagramSteps,
  ...exchangeSteps,
  ...groupSteps,
  ...processSteps,
  ...stdoutSteps,
  ...tlsSteps,
  ...timeSteps,
};

/** The kind of a step, typed for the step itself (the table's type pairs them; TypeScript cannot follow it). */
const kindOf = (step: AnyStep) => STEPS[step.do] as unknown as StepKind<Kind>;

export async function runStep(env: StepEnv, step: AnyStep): Promise<void> {
  const { ctx } = env;
  if (step.when) {
    const v = ctx.vars[step.when.var];
    if (v === undefined) throw new GraderError(`"when" names "${step.when.var}", which is not in vars`);
    if (v !== step.when.is) return;
  }
  const kind = kindOf(step);
  if (!kind) throw new GraderError(`unknown step ${JSON.stringify(step)}`);
  // Peer mode: no program the grader started, so nothing to start, signal or watch.
  if (env.external && kind.evidence.byHand !== 'judged') return;
  await kind.run(env, step, runStep);
}

/** Does passing this step need the program to act? */
function showsBehaviourStep(step: AnyStep): boolean {
  const b = kindOf(step).evidence.behaviour;
  return typeof b === 'function' ? b(step) : b;
}

/**
 * Does a check need the program to do something to pass? Only such checks earn points: one that passes for a
 * program that does nothing (it only starts it, sends, waits, or expects silence) shows no behaviour.
 */
export function showsBehaviour(check: Check): boolean {
  return check.steps.some(showsBehaviourStep);
}

/** In peer mode, a check that judges what cannot be seen, or that has nothing on the wire, is not checked. */
export function unobservedByHand(check: Check): boolean {
  const ev = check.steps.map((s) => kindOf(s).evidence);
  return ev.some((e) => e.byHand === 'unseen') || !ev.some((e) => e.wire);
}

export type { StepEnv } from './common.js';
export { drainedEndpoints, unreadAt } from './stdout.js';
