// What every step handler shares: its environment, the shape of the step table, and small waits. A step either
// returns (it happened as the grader expects) or throws StepFail with what was expected, what happened, and why.
import { type Deadline, deadline, sleep, succeeded, Waiters } from '../../wire/events.js';
import type { PeerUdp } from '../../wire/udp.js';
import { type Local, Retry, type RunContext, StepFail } from '../context.js';
import type { Random } from '../rng.js';
import type { MemberStep, Step } from '../schema/grader.js';

/** Every step, at the top of a check or inside a group. */
export type AnyStep = Step | MemberStep;
/** The step kinds, as the schema declares them. */
export type Kind = AnyStep['do'];
export type StepOf<K extends Kind> = Extract<AnyStep, { do: K }>;

export interface StepEnv {
  ctx: RunContext;
  /** Stream of random decisions for this step. */
  rng: Random;
  local: Local;
  /** Peer mode: no program to start or watch; the learner runs theirs by hand. */
  external: boolean;
  /** Whether the scenario may still be run again for this reason (each reason once; never in peer mode). */
  mayRetry?: (reason: Retry['reason']) => boolean;
  /** Set while a group runs, so members can meet at a barrier. */
  barrier?: Barrier;
}

/** Run one step (the dispatcher, handed to a step that runs others: a group). */
export type RunStep = (env: StepEnv, step: AnyStep) => Promise<void>;

/** What a step of this kind can prove: partial credit and peer mode ask it (see steps/index.ts). */
export interface Evidence<S> {
  /** It meets the program on the wire: the only evidence peer mode, where the learner runs the program, has. */
  wire: boolean;
  /**
   * In peer mode: `judged` as usual; `skipped`, having nothing to act on (no program to start or signal);
   * `unseen`, judging what only a program the grader started shows (output, exit): its check is not observed.
   */
  byHand: 'judged' | 'skipped' | 'unseen';
  /** Passing it needs the program to act: a do-nothing program does not pass it (it earns points). */
  behaviour: boolean | ((step: S) => boolean);
}

export interface StepKind<K extends Kind> {
  run(env: StepEnv, step: StepOf<K>, runStep: RunStep): Promise<void> | void;
  evidence: Evidence<StepOf<K>>;
}

/** One entry per kind: a kind the schema has and the table lacks does not compile. */
export type StepTable = { [K in Kind]: StepKind<K> };

/** A family of steps, in a file of its own; checked against the table's type where it is written. */
export type Family = Partial<StepTable>;

/** Race `p` against a deadline, and call the deadline off when `p` wins, so no timer is left behind. */
export async function within<T>(p: Promise<T>, ms: Deadline): Promise<T | 'timeout'> {
  const d = deadline(ms);
  try {
    const r = await Promise.race([p, d.promise]);
    if (r !== 'timeout') succeeded(ms);
    return r;
  } finally {
    d.cancel();
  }
}

/** Grace after the program exited for what it sent just before exiting to arrive (it is already in the kernel). */
const IN_FLIGHT_MS = 50;

/** Wait for `p`, but stop early if the program exits: nothing it has not done yet can happen after that. */
export async function orExit<T>(ctx: RunContext, p: Promise<T>): Promise<T | 'exited'> {
  const prog = ctx.program;
  if (!prog) return p;
  const gone = prog.exited.then(() => sleep(IN_FLIGHT_MS)).then(() => 'exited' as const);
  return Promise.race([p, gone]);
}

/** A wait for the program: in peer mode the learner starts it by hand, so the wait is long and not stretched. */
export function programDeadline(env: StepEnv, seconds: number, byHand: number): Deadline {
  return env.external ? Date.now() + env.ctx.ms(Math.max(seconds, byHand)) : env.ctx.deadline(seconds);
}

/** A failure the machine may have caused: the scenario runs again once, then it is undecidable (a failure). */
export function undecidable(env: StepEnv, message: string): never {
  if (env.mayRetry?.('timing')) throw new Retry('timing');
  throw new StepFail({ message, undecidable: true });
}

export function udpSocket(env: StepEnv, name: string): PeerUdp | undefined {
  const { ctx } = env;
  return ctx.udps.get(name) ?? ctx.endpoints.get(name)?.udp;
}

export class Barrier {
  arrived = 0;
  private readonly waiters = new Waiters();
  constructor(readonly total: number) {}
  arrive(): void {
    this.arrived++;
    this.waiters.poke();
  }
  async wait(until: Deadline): Promise<boolean> {
    return (await this.waiters.until(() => this.arrived >= this.total, until)) === 'ok';
  }
  /** A member failed: nobody else will arrive, so stop waiting now. */
  cancel(): void {
    this.waiters.cancel();
  }
}
