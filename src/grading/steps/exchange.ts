// The `exchange` step: question and answer on a connection, timed (see the schema). A slow answer is evidence
// against the program only when neither the grader's own stalls nor the program's waits for a CPU during it could
// have made it slow; a fast one is evidence for it whatever the machine did, since every delay here only makes an
// answer look later than it came.
import { StepFail } from '../context.js';
import { expectOnStream } from '../expect.js';
import { forgiven } from '../fairness.js';
import { peerMessages } from '../messages-peers.js';
import { intIn } from '../rng.js';
import { type Family, type StepEnv, type StepOf, undecidable } from './common.js';

type ExchangeStep = StepOf<'exchange'>;

interface Timed {
  /** From the question's write to the whole answer seen (ms). */
  took: number;
  /** How much of that the machine may have taken: the program's waits for a CPU, the grader's loop (ms). */
  machine: number;
}

function token(env: StepEnv): string {
  return Array.from({ length: 8 }, () => '0123456789abcdef'[intIn(env.rng, 0, 15)]).join('');
}

async function runExchange(env: StepEnv, step: ExchangeStep): Promise<void> {
  const { ctx, local } = env;
  const conn = ctx.conn(step.conn, local);
  const timed: Timed[] = [];
  // Not scaled by the time scale: the delay this catches (a delayed acknowledgement) is the same on any machine.
  const fast = () => timed.filter((t) => t.took <= step.fast_ms).length;
  const excused = () =>
    timed.filter((t) => t.took > step.fast_ms && t.took - t.machine <= step.fast_ms).length;
  // Slow with no excuse: more of these than `count - at_least` is more than a program that answers fast can have.
  const slow = () => timed.length - fast() - excused();
  // Answers the machine may have slowed count neither way, so the grader asks again (up to `count` more times)
  // until enough have been judged one way or the other.
  for (let i = 1; i <= 2 * step.count; i++) {
    if (i > step.count && (fast() >= step.at_least || slow() > step.count - step.at_least)) break;
    const here = { ...local, i, token: token(env) };
    const ask = ctx.data(step.ask, here);
    const answer = ctx.data(step.answer, here);
    const took = ctx.fair.machineTook();
    const asked = Date.now();
    const err = await conn.write([ask], [0]);
    if (err) throw new StepFail({ message: ctx.msg.sendFailed(ctx.who(conn.name), err.code ?? err.message) });
    await expectOnStream(ctx, conn, { bytes: { hex: answer.toString('hex') } }, step.within, here);
    const answered = Date.now();
    // As every budget counts it (fairness.ts, rules 1 and 12). Not the grader's own short waits for a CPU: summed
    // over a 40 ms wait for an acknowledgement they would excuse the very delay this step is about.
    timed.push({ took: answered - asked, machine: forgiven(took()) });
  }
  if (fast() >= step.at_least) return;
  const m = peerMessages(ctx.lang);
  if (slow() <= step.count - step.at_least)
    undecidable(env, m.exchangeUndecidable(fast(), excused(), step.at_least));
  const sorted = timed.map((t) => t.took).sort((a, b) => a - b);
  const median = Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0);
  throw new StepFail({
    message: m.exchangeSlow(fast(), timed.length, step.at_least, step.fast_ms, median),
    actual: sorted.map((t) => `${Math.round(t)} ms`).join(', '),
  });
}

export const exchangeSteps = {
  exchange: { run: runExchange, evidence: { wire: true, byHand: 'judged', behaviour: true } },
} satisfies Family;
