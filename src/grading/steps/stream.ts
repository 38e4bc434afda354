// Stream steps: connections made and taken, bytes sent and expected, half-closes, resets, held reads.
import { dueOf, sleep } from '../../wire/events.js';
import { runQueueWaitMs } from '../../wire/stalls.js';
import { connectTo } from '../../wire/stream-open.js';
import { TLS_SERVER_NAME, testCerts } from '../../wire/tls.js';
import { GraderError, type Local, type RunContext, StepFail } from '../context.js';
import { expectOnStream } from '../expect.js';
import { closeTime, exitWithin, lateGreeting, quietBeforeClose, STALLED_MS } from '../fairness.js';
import { peerMessages } from '../messages-peers.js';
import { intIn } from '../rng.js';
import { round } from '../score.js';
import {
  type Family,
  orExit,
  programDeadline,
  type StepEnv,
  type StepOf,
  undecidable,
  within,
} from './common.js';

/** How long a program that has just broken a connection may take to exit, before it counts as still running. */
const DYING_MS = 500;

function splitData(
  env: StepEnv,
  data: Buffer,
  split?: { min: number; max: number; delay_ms: number | [number, number] },
) {
  if (!split) return { chunks: [data], delays: [0] };
  const chunks: Buffer[] = [];
  const delays: number[] = [];
  let at = 0;
  const [lo, hi] = Array.isArray(split.delay_ms) ? split.delay_ms : [split.delay_ms, split.delay_ms];
  while (at < data.length) {
    const size = intIn(env.rng, split.min, Math.max(split.min, split.max));
    chunks.push(data.subarray(at, at + size));
    delays.push(intIn(env.rng, lo, hi));
    at += size;
  }
  return { chunks, delays };
}

/** `expect` with `eof` and `not_before`: a close heard too early came too early (fairness.ts, rule 10). */
function judgeCloseTime(env: StepEnv, step: StepOf<'expect'>, local: Local): void {
  const { ctx } = env;
  if (step.not_before === undefined || step.since === undefined) return;
  const mark = ctx.marks.get(step.since);
  if (mark === undefined) throw new GraderError(`no mark named "${step.since}"`);
  const c = ctx.conn(step.conn, local);
  const heard = c.endedAt ?? Date.now();
  const min = ctx.seconds(step.not_before, local);
  const at = (heard - mark) / 1000;
  const m = peerMessages(ctx.lang);
  const who = ctx.who(c.name);
  const verdict = closeTime(heard, at, min, step.slack * ctx.timeScale);
  if (verdict === 'early') throw new StepFail({ message: m.closedTooEarly(who, round(at), min) });
  if (verdict === 'undecidable') undecidable(env, m.closeUndecidable(who));
}

/**
 * A program waits for a greeting from the moment it connected, which the grader cannot see, but which came after
 * the program started. If the greeting left less than the program's budget after its start, it arrived in time
 * and the failure stands; otherwise the grader may have been the slow one (fairness.ts, rule 9).
 */
function excuseLateGreeting(env: StepEnv, g: { mark: string; budget: number | string }): void {
  const { ctx } = env;
  const greeted = ctx.marks.get(g.mark);
  const prog = ctx.program;
  if (greeted === undefined || !prog) return;
  const budget = ctx.seconds(g.budget, env.local);
  const late = lateGreeting(greeted, prog.startedAt, budget);
  if (late !== undefined) undecidable(env, ctx.msg.lateGreetingUndecidable(late, budget));
}

/**
 * A connection the grader went quiet on for the program's idle time `idle` (s), before it heard the close: the
 * program may rightly have left, so the failure proves nothing (rule 9). Judged again, then undecidable.
 */
function excuseQuiet(env: StepEnv, c: ReturnType<RunContext['conn']>, idle: number): void {
  const { ctx } = env;
  // The grader's servers speak when spoken to: a client that never sent a byte on the connection was not kept
  // waiting by the grader's quiet, whatever it took that quiet for (it left without asking anything).
  if (c.accepted && c.received === 0) return;
  const age = quietBeforeClose(c, idle);
  if (age === undefined) return;
  const who = ctx.who(c.name);
  undecidable(
    env,
    c.lastSent === undefined
      ? ctx.msg.idleCloseUndecidable(who, age, idle)
      : peerMessages(ctx.lang).idleSinceSentUndecidable(who, age, idle),
  );
}

/** A connection expected open was found closed after the grader itself went quiet that long (rule 9). */
function excuseIdleClose(env: StepEnv, conn: string, freshFor: number | string): void {
  const c = env.ctx.conn(conn, env.local);
  if (c.finished && c.buf.length === 0) excuseQuiet(env, c, env.ctx.seconds(freshFor, env.local));
}

/**
 * The idle time (s) an `expect` with `fresh_for` allowed the program on a connection: a send on it that then fails
 * because the program left may be the program rightly giving up on a grader that went quiet that long (rule 9).
 */
const idleAllowed = new WeakMap<ReturnType<RunContext['conn']>, number>();

const onWire = { wire: true, byHand: 'judged', behaviour: true } as const;
/** What the grader does on its own side: a program that does nothing passes it too. */
const graderSide = { wire: false, byHand: 'judged', behaviour: false } as const;

export const streamSteps = {
  connect: {
    async run(env, step) {
      const { ctx, local } = env;
      const ep = ctx.endpoint(step.to);
      const name = ctx.connName(step.as, local);
      const deadline = programDeadline(env, step.within, 120);
      const family = step.family ?? ep.def.family;
      const target = ep.path ? { path: ep.path } : { port: ep.port ?? 0, family };
      for (;;) {
        const tls =
          ep.def.tls && !step.plain ? { ca: testCerts().ca, servername: TLS_SERVER_NAME } : undefined;
        const r = await connectTo(name, target, ctx.log, deadline, tls);
        if (!(r instanceof Error)) {
          ctx.conns.set(name, r);
          return;
        }
        // The grader's TLS client refused the handshake (no TLS, a wrong certificate) and dropped the connection:
        // the reset the program then meets is the grader's doing, not a clue to its bug.
        if (tls && !['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(r.code ?? '')) ctx.tlsRefused = true;
        // In peer mode the learner starts their server whenever they like; keep knocking until the budget ends.
        if (env.external && r.code === 'ECONNREFUSED' && Date.now() < dueOf(deadline)) {
          await sleep(250);
          continue;
        }
        const where = step.family
          ? `${step.family === 'ipv6' ? '[::1]' : '127.0.0.1'}:${ep.port}`
          : ctx.describe(ep);
        const prog = ctx.program;
        // A server that stopped listening is usually on its way out: give it a moment to be seen exiting.
        // Refused, or reset by a listening socket closed with this connection still in its queue.
        const gone = r.code === 'ECONNREFUSED' || r.code === 'ECONNRESET';
        if (gone && prog) await within(prog.exited, ctx.ms(1));
        if (gone && prog && !prog.running) {
          // Refused because the server is gone: say that, with how it ended (its last words follow).
          const clean = prog.exit?.code === 0 && !prog.exit.signal;
          throw new StepFail({
            message: ctx.msg.exitedBeforeNextClient(ctx.exitText() ?? '', ctx.who(name)),
            ...(clean ? { hint: ctx.msg.keepAcceptingHint } : {}),
            toldExit: true,
          });
        }
        throw new StepFail({
          message:
            r.code === 'ETIMEDOUT'
              ? ctx.msg.connectTimeout(where, step.within)
              : ctx.msg.connectFailed(where, r.code ?? r.message),
        });
      }
    },
    evidence: onWire,
  },
  accept: {
    async run(env, step) {
      const { ctx, local } = env;
      const ep = ctx.endpoint(step.on);
      if (step.if_open && ep.closed) return;
      if (!ep.listener) throw new GraderError(`endpoint "${step.on}" is not a peer-owned stream endpoint`);
      const deadline = programDeadline(env, step.within, 600);
      const r = await orExit(ctx, ep.listener.accept(ctx.connName(step.as, local), deadline));
      if (r === 'exited') {
        // The program may have connected and exited at once; its connection still counts.
        const late = await ep.listener.accept(ctx.connName(step.as, local), Date.now() + 50);
        if (late) {
          ctx.conns.set(late.name, late);
          return;
        }
        await ctx.program?.exited;
        throw new StepFail({
          message: ctx.msg.exitedBeforeConnect(ctx.exitText() ?? '', ctx.describe(ep)),
          toldExit: true,
        });
      }
      if (!r) throw new StepFail({ message: ctx.msg.noAccept(ctx.describe(ep), step.within) });
      ctx.conns.set(r.name, r);
      return;
    },
    evidence: onWire,
  },
  send: {
    async run(env, step) {
      const { ctx, local } = env;
      const conn = ctx.conn(step.conn, local);
      if (step.after_ms) await sleep(step.after_ms);
      const { chunks, delays } = splitData(env, ctx.data(step.data, local), step.split);
      // A failed background write shows in what the far side sends back, which a later step judges.
      if (step.background) {
        void conn.write(chunks, delays);
        return;
      }
      const err = await conn.write(chunks, delays);
      if (err) {
        const prog = ctx.program;
        // The program is ending, usually: that is the story, not the broken pipe it left behind. A Python
        // program that printed its traceback takes a moment more to exit, longer on a busy machine.
        if (prog) await exitWithin(ctx.fair, prog, DYING_MS);
        const idle = idleAllowed.get(conn);
        if (idle !== undefined) excuseQuiet(env, conn, idle);
        if (prog && !prog.running)
          throw new StepFail({
            message: ctx.msg.exitedWhileSending(ctx.exitText() ?? ''),
            toldExit: true,
            writeRefused: true,
          });
        throw new StepFail({
          message: ctx.msg.sendFailed(ctx.who(conn.name), err.code ?? err.message),
          writeRefused: true,
        });
      }
      return;
    },
    evidence: { wire: true, byHand: 'judged', behaviour: false },
  },
  expect: {
    async run(env, step) {
      const { ctx, local } = env;
      if (step.fresh_for !== undefined)
        idleAllowed.set(ctx.conn(step.conn, local), ctx.seconds(step.fresh_for, local));
      try {
        await expectOnStream(ctx, ctx.conn(step.conn, local), step, step.within, local);
        return judgeCloseTime(env, step, local);
      } catch (err) {
        if (err instanceof StepFail && step.late_greeting) excuseLateGreeting(env, step.late_greeting);
        if (err instanceof StepFail && step.fresh_for !== undefined)
          excuseIdleClose(env, step.conn, step.fresh_for);
        throw err;
      }
    },
    evidence: { ...onWire, behaviour: (s) => s.nothing === undefined },
  },
  shutdown: {
    run(env, step) {
      const { ctx, local } = env;
      ctx.conn(step.conn, local).shutdown();
      return;
    },
    evidence: graderSide,
  },
  close: {
    run(env, step) {
      const { ctx, local } = env;
      ctx.conn(step.conn, local).close();
      return;
    },
    evidence: graderSide,
  },
  reset: {
    run(env, step) {
      const { ctx, local } = env;
      ctx.graderReset = true;
      ctx.conn(step.conn, local).reset();
      return;
    },
    evidence: graderSide,
  },
  wait_sent: {
    async run(env, step) {
      const { ctx, local } = env;
      await ctx
        .conn(step.conn, local)
        .writesSettled(STALLED_MS, ctx.deadline(step.within), () => runQueueWaitMs(ctx.program?.programPid));
      return;
    },
    evidence: graderSide,
  },
  hold: {
    run(env, step) {
      const { ctx, local } = env;
      ctx.conn(step.conn, local).hold(true);
      return;
    },
    evidence: graderSide,
  },
  release: {
    async run(env, step) {
      const { ctx, local } = env;
      const conn = ctx.conn(step.conn, local);
      if (step.bytes === undefined) {
        conn.hold(false);
        return;
      }
      const got = await conn.readMore(step.bytes, ctx.deadline(step.within));
      if (got < step.bytes)
        throw new StepFail({
          message: conn.finished
            ? ctx.msg.closedEarly(ctx.who(conn.name), got, conn.received)
            : ctx.msg.shortBytes(ctx.who(conn.name), got, step.bytes, step.within),
          ...(conn.finished ? { closedAfter: { conn: conn.name, bytes: conn.received } } : {}),
        });
      return;
    },
    evidence: graderSide,
  },
} satisfies Family;
