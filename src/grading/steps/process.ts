// Process steps: what only a program the grader started shows (its exit, that it still runs, a file it left) and
// the signals sent to it. Peer mode cannot see these: the learner runs the program by hand.
import { existsSync } from 'node:fs';
import { GraderError, StepFail } from '../context.js';
import { quote } from '../quote.js';
import { type Family, within } from './common.js';

export const processSteps = {
  expect_exit: {
    async run(env, step) {
      const { ctx, local } = env;
      const prog = ctx.program;
      if (!prog) throw new GraderError('no program');
      const r = await within(prog.exited, ctx.deadline(step.within));
      if (r === 'timeout') throw new StepFail({ message: ctx.msg.notExited(step.within) });
      if (step.code !== undefined && (r.code !== step.code || r.signal))
        throw new StepFail({ message: ctx.msg.wrongExit(ctx.exitText() ?? '', step.code), toldExit: true });
      if (step.code === undefined && r.signal)
        throw new StepFail({ message: ctx.msg.programEnded(ctx.msg.exitedSignal(r.signal)), toldExit: true });
      if (step.no_more_stdout !== false) {
        const only =
          step.no_more_stdout === true ? /(?:)/ : new RegExp(ctx.template(step.no_more_stdout, local));
        const extra = prog
          .stdout()
          .slice(ctx.stdoutCursor)
          .filter((l) => only.test(l.text));
        if (extra.length)
          throw new StepFail({
            message: ctx.msg.extraStdout(extra.length),
            actual: extra
              .slice(0, 5)
              .map((l) => quote(l.text))
              .join('\n'),
          });
      }
      return;
    },
    evidence: { wire: false, byHand: 'unseen', behaviour: true },
  },
  expect_running: {
    async run(env, step) {
      const { ctx } = env;
      const prog = ctx.program;
      if (!prog) throw new GraderError('no program');
      if (step.for > 0) await within(prog.exited, ctx.ms(step.for));
      if (!prog.running) {
        await prog.exited;
        throw new StepFail({ message: ctx.msg.exitedWhileRunning(ctx.exitText() ?? ''), toldExit: true });
      }
      return;
    },
    evidence: { wire: false, byHand: 'unseen', behaviour: false },
  },
  signal: {
    run(env, step) {
      const { ctx } = env;
      ctx.signalled = true;
      ctx.program?.signal(step.signal);
    },
    evidence: { wire: false, byHand: 'skipped', behaviour: false },
  },
  expect_path: {
    run(env, step) {
      const { ctx, local } = env;
      const p = ctx.template(step.path, local);
      if (existsSync(p) !== step.exists)
        throw new StepFail({ message: step.exists ? ctx.msg.pathMissing(p) : ctx.msg.pathExists(p) });
      return;
    },
    evidence: { wire: false, byHand: 'unseen', behaviour: true },
  },
} satisfies Family;
