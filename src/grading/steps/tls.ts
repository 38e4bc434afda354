// TLS steps: a program that must refuse a peer's certificate (an impostor) breaks the handshake off.
import { GraderError, StepFail } from '../context.js';
import { type Family, orExit, programDeadline } from './common.js';

export const tlsSteps = {
  expect_tls_refused: {
    async run(env, step) {
      const { ctx } = env;
      const ep = ctx.endpoint(step.on);
      if (!ep.listener || !ep.def.tls)
        throw new GraderError(`endpoint "${step.on}" is not a peer-owned tls endpoint`);
      const deadline = programDeadline(env, step.within, 600);
      const r = await orExit(ctx, ep.listener.refusal(deadline));
      // A program that refuses and exits at once: its refusal counts even if the exit was seen first.
      if (r === 'refused' || ep.listener.refused.length > 0) return;
      const where = ctx.describe(ep);
      throw new StepFail({
        message:
          r === 'accepted'
            ? ctx.msg.tlsAccepted(where, ep.def.tls)
            : r === 'exited'
              ? ctx.msg.exitedBeforeConnect(ctx.exitText() ?? '', where)
              : ctx.msg.noTlsHandshake(where, step.within),
        toldExit: r === 'exited',
      });
    },
    evidence: { wire: true, byHand: 'judged', behaviour: true },
  },
} satisfies Family;
