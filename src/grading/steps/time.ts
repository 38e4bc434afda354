// Time steps: a mark remembers a moment (and the program's turns on a CPU then), a pause waits on purpose.
import { sleep } from '../../wire/events.js';
import { GraderError } from '../context.js';
import type { Family } from './common.js';

/** Nothing the program does: a do-nothing program passes it too. */
const graderSide = { wire: false, byHand: 'judged', behaviour: false } as const;

export const timeSteps = {
  mark: {
    async run(env, step) {
      const { ctx } = env;
      // What the program wrote before this moment must be dated before it: after a stall the grader can get here
      // with output still unread in the pipe (say, a line printed before any cause), so let the loop read it first.
      await new Promise((r) => setImmediate(r));
      ctx.marks.set(step.name, Date.now());
      ctx.fair.mark(step.name);
      return;
    },
    evidence: graderSide,
  },
  pause: {
    async run(env, step) {
      const { ctx } = env;
      if (step.since === undefined) {
        await sleep(step.ms);
        return;
      }
      const from = ctx.marks.get(step.since);
      if (from === undefined) throw new GraderError(`no mark named "${step.since}"`);
      // The program's timer cannot run while it waits for a CPU (fairness.ts, rule 8).
      for (;;) {
        const left = from + step.ms + ctx.fair.pauseExtension(step.since) - Date.now();
        if (left <= 0) return;
        await sleep(Math.min(left, 250));
      }
    },
    evidence: graderSide,
  },
} satisfies Family;
