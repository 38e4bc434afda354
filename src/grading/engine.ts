// The one grading pipeline: set up endpoints, start the learner's program, run the checks in order, and tear
// everything down whatever happened. verify, watch, grade, batch grading, dev check and peer all call runScenario.
import { type Capability, hasCapability } from '../wire/caps.js';
import { deadline } from '../wire/events.js';
import { cliCommand } from '../wire/invocation.js';
import { paced } from '../wire/pace.js';
import { Retry, StepFail } from './context.js';
import { explainFailure, explainStep } from './failure.js';
import { tooBusyToJudge } from './fairness.js';
import { hintFromOutput, relativeTraceback } from './hints.js';
import { messages } from './messages.js';
import { type CheckResult, type ExerciseResult, overallStatus } from './results.js';
import { rngFor } from './rng.js';
import { type RunOptions, RunSetup } from './run-setup.js';
import { safeText } from './safe-text.js';
import type { Grader } from './schema/grader.js';
import { runStep, showsBehaviour, unobservedByHand } from './steps/index.js';
import { textIn } from './text.js';
import { makeVar } from './vars.js';

export type { ProgramSandboxing, ProgramToRun, RunOptions } from './run-setup.js';
export { DEFAULT_OUTPUT_CAP } from './run-setup.js';

function capabilitiesOf(g: Grader): Capability[] {
  const caps = new Set<Capability>(['ipv4']);
  for (const ep of Object.values(g.endpoints)) {
    if (ep.transport === 'unix') caps.add('unix');
    else if (ep.family === 'ipv6' || ep.one_family || ep.dual_stack) caps.add('ipv6');
    if (ep.broadcast) caps.add('broadcast');
  }
  if (g.checks.some((c) => c.steps.some((s) => s.do === 'signal'))) caps.add('signals');
  return [...caps];
}

export async function runScenario(o: RunOptions): Promise<ExerciseResult> {
  const started = Date.now();
  const msg = messages(o.lang);
  for (const cap of capabilitiesOf(o.grader)) {
    const r = await hasCapability(cap);
    if (!r.ok) {
      return {
        exercise: o.exercise,
        status: 'skip',
        seed: o.seed,
        command: o.program?.shown ?? '',
        duration: Date.now() - started,
        checks: o.grader.checks.map((c) => ({
          id: c.id,
          title: textIn(c.title, o.lang) ?? c.id,
          status: 'skip',
          message: msg.skippedCapability(r.reason),
          transcript: [],
          duration: 0,
        })),
      };
    }
  }
  // Several rounds (see `rounds` in the schema): every one must pass; the first that does not is the result.
  // Peer mode has no program to start again: one round, the learner runs theirs by hand.
  const rounds = o.program ? (o.grader.rounds ?? 1) : 1;
  let last: ExerciseResult | undefined;
  for (let round = 1; round <= rounds; round++) {
    if (round > 1)
      o.onEvent?.({
        at: Date.now() - started,
        who: 'grader',
        kind: 'note',
        text: msg.nextRound(round, rounds),
      });
    last = await runRound(o, round, started);
    if (last.status !== 'pass') break;
  }
  const result = last as ExerciseResult;
  return { ...result, duration: Date.now() - started };
}

async function runRound(o: RunOptions, round: number, started: number): Promise<ExerciseResult> {
  const msg = messages(o.lang);
  // The whole scenario runs again, once for each reason: another process took the port we handed out before the
  // program could bind it, or the machine was too busy to judge a timing (see Retry).
  const retried = new Set<Retry['reason']>();
  for (;;) {
    const run = new Run(o, retried, round);
    try {
      const result = await run.execute();
      return retried.size ? { ...result, rerun: [...retried] } : result;
    } catch (err) {
      if (err instanceof Retry && !retried.has(err.reason)) {
        retried.add(err.reason);
        const text = err.reason === 'port' ? msg.retrying : msg.retryingTiming;
        o.onEvent?.({ at: Date.now() - started, who: 'grader', kind: 'note', text });
        continue;
      }
      throw err;
    } finally {
      await run.teardown();
    }
  }
}

class Run extends RunSetup {
  async execute(): Promise<ExerciseResult> {
    const { ctx, o } = this;
    const started = Date.now();
    for (const [name, v] of Object.entries(o.grader.vars))
      ctx.vars[name] = makeVar(o.seed, name, v, ctx.vars, this.round);
    await this.setupEndpoints();
    const env = this.programEnv();
    if (this.external) {
      const shown = Object.entries(env)
        .filter(([k]) => !/_(HOST|PORT|PATH)$/.test(k))
        .map(([k, v]) => `${k}=${/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`}`);
      if (shown.length) ctx.note(ctx.msg.runWith(shown.join(' ')));
    }
    await paced(() => this.startProgram(env));

    const checks: CheckResult[] = [];
    let failed = false;
    for (const check of o.grader.checks) {
      const title = textIn(check.title, o.lang) ?? check.id;
      if (failed) {
        checks.push({
          id: check.id,
          title,
          status: 'skip',
          message: ctx.msg.skippedAfterFail,
          transcript: [],
          duration: 0,
          ...(showsBehaviour(check) ? {} : { scored: false }),
        });
        continue;
      }
      const t = Date.now();
      ctx.beginCheck();
      const took = ctx.fair.machineTook();
      ctx.fair.newCheck();
      let result: CheckResult;
      try {
        for (const [i, step] of check.steps.entries()) {
          try {
            await runStep(
              {
                ctx,
                rng: rngFor(o.seed, `${check.id}/${i}`),
                local: {},
                external: this.external,
                mayRetry: (reason) => !this.retried.has(reason),
              },
              step,
            );
            ctx.fair.handedOverAt = Date.now();
          } catch (err) {
            explainStep(ctx, err, step);
            throw err;
          }
        }
        // Passed, but on evidence seen only after a deadline the machine kept the grader from watching: it may
        // have come too late. Judged again, then undecidable; never a pass.
        if (ctx.fair.seenLate) {
          if (this.external) throw new StepFail({ message: ctx.msg.tooBusyByHand });
          if (!this.retried.has('timing')) throw new Retry('timing');
          throw new StepFail({ message: ctx.msg.seenTooLate, undecidable: true });
        }
        result =
          this.external && unobservedByHand(check)
            ? {
                id: check.id,
                title,
                status: 'skip',
                unobserved: true,
                message: ctx.msg.notObserved,
                transcript: [],
                duration: 0,
              }
            : { id: check.id, title, status: 'pass', message: title, transcript: [], duration: 0 };
      } catch (err) {
        if (err instanceof Retry && !this.retried.has(err.reason)) throw err;
        const busy = err instanceof StepFail && tooBusyToJudge(ctx.fair, took());
        if (busy && !this.external && !this.retried.has('timing')) throw new Retry('timing');
        failed = true;
        // Peer mode has no program to start again (the learner runs theirs by hand): a failure the machine may
        // have caused is said to be that, at once, rather than waiting for a run that may never come.
        const cause = busy && this.external ? new StepFail({ message: ctx.msg.tooBusyByHand }) : err;
        result = await this.failure(cause, check.id, title, textIn(check.hint, o.lang));
      }
      result.duration = Date.now() - t;
      result.transcript = ctx.endCheck();
      if (!showsBehaviour(check)) result.scored = false;
      checks.push(result);
    }
    const prog = ctx.program;
    const sandbox = this.sandboxInfo();
    return {
      exercise: o.exercise,
      status: overallStatus(checks),
      seed: o.seed,
      checks,
      duration: Date.now() - started,
      command: o.program?.shown ?? '',
      ...(prog && (prog.dropped.stdout || prog.dropped.stderr) ? { dropped: { ...prog.dropped } } : {}),
      ...(ctx.fair.stretchedMs > 0 ? { stretched: Math.round(ctx.fair.stretchedMs) } : {}),
      ...(sandbox ? { sandbox } : {}),
      ...(this.reached.size ? { stoppedBy: [...this.reached].sort() } : {}),
      ...((o.timeScale ?? 1) !== 1 ? { timeScale: o.timeScale } : {}),
    };
  }

  /** What is known of the program once a check has failed, for its explanation (failure.ts). */
  private async failure(err: unknown, id: string, title: string, checkHint?: string): Promise<CheckResult> {
    const { ctx, o } = this;
    const f = err instanceof StepFail ? err.failure : undefined;
    const prog = ctx.program;
    // A connection that closed short may be the program on its way out (its traceback, then its exit): a moment
    // to see it end, so that the message can tell the crash rather than the closed connection it left behind.
    if (prog?.running && f?.closedAfter) {
      const d = deadline(ctx.ms(0.5));
      await Promise.race([prog.exited, d.promise]);
      d.cancel();
    }
    // Its last words (stderr) may still be in the pipe when the exit is known.
    if (prog && !prog.running) await prog.exited;
    // A thread of it may be dying right now, its traceback on the way: let it arrive (failures only).
    if (f && prog?.running) await prog.stderrSettled(ctx.ms(0.1), ctx.ms(0.5));
    // Shown in the message as the transcript shows them (see RunContext.log).
    const stderr = prog
      ? prog.stderrTail(8).map((l) => safeText(relativeTraceback(l, o.program?.cwd ?? '')))
      : [];
    const endpoints = [...ctx.endpoints.values()];
    const outputHint = ctx.python
      ? hintFromOutput(stderr, o.lang, {
          unixServer: endpoints.some((e) => e.def.transport === 'unix' && e.def.owner === 'program'),
          graderReset: ctx.graderReset,
          tlsRefused: ctx.tlsRefused,
          // Refusals are part of some exercises: a closed port (connect-ex), a server on one family only.
          refusals: endpoints.some((e) => e.def.owner === 'closed' || e.def.open_if !== undefined)
            ? 'closed-port'
            : endpoints.some((e) => e.def.one_family !== undefined)
              ? 'one-family'
              : 'none',
        })
      : undefined;
    const ended = prog !== undefined && !prog.running;
    const exit = prog?.exit;
    return explainFailure(
      err,
      {
        ended,
        exitText: ctx.exitText() ?? '',
        died: ended && (exit?.code !== 0 || Boolean(exit?.signal)),
        endedCleanly: !ctx.signalled && exit?.code === 0 && !exit.signal,
        running: prog?.running ?? false,
        stderr,
        limits: f ? this.limitsReached() : {},
        round: this.round,
        rounds: o.grader.rounds ?? 1,
        role: o.grader.role,
        external: this.external,
        outputHint,
        checkHint,
        replay: { exercise: o.exercise, seed: o.seed, shown: o.program?.shown ?? '', cli: cliCommand() },
        who: (conn) => ctx.who(conn),
      },
      { id, title },
      ctx.msg,
      o.lang,
    );
  }
}
