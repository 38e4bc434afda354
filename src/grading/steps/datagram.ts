// Datagram steps: UDP sends and expected datagrams, a lossy network, a peer that acknowledges by itself.
import { sleep } from '../../wire/events.js';
import { PeerUdp } from '../../wire/udp.js';
import { GraderError, StepFail } from '../context.js';
import { judgeDatagram } from '../expect.js';
import { peerMessages } from '../messages-peers.js';
import { quote } from '../quote.js';
import { round } from '../score.js';
import { type Family, orExit, programDeadline, udpSocket, undecidable } from './common.js';

/** When each run's last `sendto` was about to leave (for `paced_ms`). */
const lastSent = new WeakMap<object, number>();

/** What the grader does on its own side: a program that does nothing passes it too. */
const graderSide = { wire: false, byHand: 'judged', behaviour: false } as const;

export const datagramSteps = {
  sendto: {
    async run(env, step) {
      const { ctx, local } = env;
      let sock = udpSocket(env, step.from);
      if (!sock) {
        const family = ctx.endpoints.get(step.to)?.def.family ?? 'ipv4';
        sock = await PeerUdp.open(step.from, family, ctx.log);
        ctx.udps.set(step.from, sock);
      }
      let to: { address: string; port: number };
      if (step.to === 'sender') {
        if (!sock.lastFrom) throw new GraderError(`"${step.from}" has received nothing to answer`);
        to = sock.lastFrom;
      } else {
        const ep = ctx.endpoint(step.to);
        to = { address: ep.host, port: ep.port ?? 0 };
      }
      if (step.after_ms) await sleep(step.after_ms);
      const previous = lastSent.get(ctx);
      lastSent.set(ctx, Date.now());
      const err = await sock.sendTo(ctx.data(step.data, local), to);
      // From before the previous datagram left to after this one did: never less than the gap the program saw.
      const late = Date.now() - (previous ?? 0) - step.after_ms;
      if (step.paced_ms !== undefined && previous !== undefined && late > step.paced_ms)
        undecidable(env, peerMessages(ctx.lang).unpacedUndecidable(round(late / 1000), step.paced_ms / 1000));
      if (err)
        throw new StepFail({ message: ctx.msg.sendFailed(ctx.who(step.from), err.code ?? err.message) });
      return;
    },
    evidence: { wire: true, byHand: 'judged', behaviour: false },
  },
  expect_datagram: {
    async run(env, step) {
      const { ctx, local } = env;
      const sock = udpSocket(env, step.on);
      if (!sock) throw new GraderError(`no UDP socket or endpoint named "${step.on}"`);
      const deadline = programDeadline(env, step.within, 600);
      if (step.nothing) {
        // Silence is watched for exactly its time.
        await sock.next(Date.now() + ctx.ms(step.within));
        const d = sock.shift();
        if (d)
          throw new StepFail({ message: ctx.msg.somethingArrived(ctx.who(step.on)), actual: quote(d.data) });
        return;
      }
      await orExit(ctx, sock.next(deadline));
      const d = sock.shift();
      if (!d) {
        const prog = ctx.program;
        if (prog && !prog.running) {
          await prog.exited;
          throw new StepFail({
            message: ctx.msg.exitedWithoutDatagram(ctx.exitText() ?? '', ctx.who(step.on)),
            toldExit: true,
          });
        }
        throw new StepFail({ message: ctx.msg.noDatagram(ctx.who(step.on), step.within) });
      }
      judgeDatagram(ctx, step, d.data, ctx.who(step.on), local);
      return;
    },
    evidence: { wire: true, byHand: 'judged', behaviour: (s) => s.nothing === undefined },
  },
  lossy: {
    run(env, step) {
      const sock = udpSocket(env, step.on);
      if (!sock) throw new GraderError(`no UDP socket or endpoint named "${step.on}"`);
      sock.lossy = { drop: step.drop, duplicate: step.duplicate, reorder: step.reorder, random: env.rng };
      return;
    },
    evidence: graderSide,
  },
  respond: {
    run(env, step) {
      const { ctx, local } = env;
      const sock = udpSocket(env, step.on);
      if (!sock) throw new GraderError(`no UDP socket or endpoint named "${step.on}"`);
      sock.respond = {
        match: new RegExp(step.match),
        reply: step.reply,
        seen: [],
        seenAt: [],
        staleFirst: step.stale_first === undefined ? undefined : ctx.template(step.stale_first, local),
        heldBack: new Set(),
      };
      return;
    },
    evidence: graderSide,
  },
  expect_received: {
    async run(env, step) {
      const { ctx, local } = env;
      const sock = udpSocket(env, step.on);
      if (!sock?.respond) throw new GraderError(`"${step.on}" has no respond rule`);
      const want = step.values.map((v) => ctx.template(v, local));
      const rule = sock.respond;
      // Wait until as many distinct messages as expected have come (in peer mode, the learner runs by hand).
      const deadline = programDeadline(env, step.within, 600);
      await orExit(
        ctx,
        sock.waitFor(() => rule.seen.length >= want.length, deadline),
      );
      const got = step.prefix ? rule.seen.slice(0, want.length) : rule.seen;
      if (want.length !== got.length || want.some((v, i) => v !== got[i]))
        throw new StepFail({
          message: ctx.msg.wrongReceived(ctx.who(step.on)),
          expected: want.join(' '),
          actual: got.length ? got.join(' ') : ctx.msg.nothingShown,
        });
      const at = rule.seenAt[want.length - 1];
      if (step.mark && at !== undefined) ctx.marks.set(step.mark, at);
      return;
    },
    evidence: { wire: true, byHand: 'judged', behaviour: true },
  },
} satisfies Family;
