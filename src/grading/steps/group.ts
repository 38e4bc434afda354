// Groups: N peer clients at once, each running member steps, which may meet at a barrier.
import { sleep } from '../../wire/events.js';
import { GraderError, StepFail } from '../context.js';
import { explainStep } from '../failure.js';
import { rngFor, shuffle } from '../rng.js';
import { Barrier, type Family, type RunStep, type StepEnv, type StepOf } from './common.js';

async function runGroup(env: StepEnv, step: StepOf<'group'>, runStep: RunStep): Promise<void> {
  const { ctx } = env;
  const members = Array.from({ length: step.count }, (_, k) => k + 1);
  for (const i of members) {
    await runStep(
      { ...env, local: { i, as: step.as } },
      { do: 'connect', as: step.as, to: step.to, within: step.within },
    );
  }
  const order =
    step.order === 'reverse'
      ? [...members].reverse()
      : step.order === 'shuffle'
        ? shuffle(env.rng, members)
        : members;
  const barrier = new Barrier(step.count);
  let firstFailure: unknown;
  const runs = order.map(async (i, position) => {
    if (position > 0 && step.stagger_ms) await sleep(position * step.stagger_ms);
    const local = { i, as: step.as };
    try {
      for (const [k, s] of step.steps.entries()) {
        if (firstFailure) return;
        try {
          await runStep({ ...env, local, barrier, rng: rngFor(ctx.seed, `${step.as}-${i}/${k}`) }, s);
        } catch (err) {
          explainStep(ctx, err, s, local);
          throw err;
        }
      }
    } catch (err) {
      if (!firstFailure) {
        firstFailure = err;
        // Wake every other member: their waits end when their connections close or the barrier is called off.
        barrier.cancel();
        for (const m of members) ctx.conns.get(`${step.as}-${m}`)?.close();
      }
    }
  });
  await Promise.all(runs);
  if (firstFailure) throw firstFailure;
}

export const groupSteps = {
  group: {
    run: (env, step, runStep) => runGroup(env, step, runStep),
    evidence: { wire: true, byHand: 'judged', behaviour: true },
  },
  barrier: {
    async run(env, step) {
      const { ctx, local } = env;
      const b = env.barrier;
      if (!b) throw new GraderError('barrier outside a group');
      b.arrive();
      if (!(await b.wait(ctx.deadline(step.within))))
        throw new StepFail({
          message: ctx.msg.barrierTimeout(
            ctx.who(ctx.connName(local.as ?? '', local)),
            b.arrived,
            b.total,
            step.within,
          ),
        });
      return;
    },
    evidence: { wire: false, byHand: 'judged', behaviour: false },
  },
} satisfies Family;
