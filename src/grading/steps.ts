// One function per step kind. Each either returns (the step happened as the grader expects) or throws
// StepFail with what was expected, what happened, and why.
import { existsSync } from 'node:fs';
import { type Deadline, deadline, dueOf, sleep, succeeded, Waiters } from '../wire/events.js';
import { membersOf } from '../wire/group.js';
import {
  CAN_INSPECT,
  connectProbe,
  type Listener,
  listeners,
  ownedBy,
  socketInodes,
  udpUnread,
} from '../wire/listening.js';
import { toolListeners } from '../wire/ostools.js';
import { portIsFree, udpPortBound } from '../wire/ports.js';
import type { Program } from '../wire/program.js';
import { cpuMs, runQueueWaitMs, worstStall } from '../wire/stalls.js';
import type { StreamConn } from '../wire/stream.js';
import { connectTo } from '../wire/stream-open.js';
import { TLS_SERVER_NAME, testCerts } from '../wire/tls.js';
import { PeerUdp } from '../wire/udp.js';
import { type EndpointState, GraderError, type Local, Retry, type RunContext, StepFail } from './context.js';
import { expectOnStream, judgeDatagram } from './expect.js';
import { excuseQuietGrader, judgeCloseTime } from './expect-close.js';
import { peerMessages } from './messages-peers.js';
import { quote } from './quote.js';
import { intIn, type Random, rngFor, shuffle } from './rng.js';
import type { MemberStep, Step } from './schema/grader.js';
import { round } from './score.js';
import { runExchange } from './steps-exchange.js';
import { textIn } from './text.js';

type AnyStep = Step | MemberStep;

/** Race `p` against a deadline, and call the deadline off when `p` wins, so no timer is left behind. */
async function within<T>(p: Promise<T>, ms: Deadline): Promise<T | 'timeout'> {
  const d = deadline(ms);
  try {
    const r = await Promise.race([p, d.promise]);
    if (r !== 'timeout') succeeded(ms);
    return r;
  } finally {
    d.cancel();
  }
}

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

/** A send the kernel has taken nothing of for this long has stalled: the program stopped reading it. */
const STALLED_MS = 200;

/** How long a program that has just broken a connection may take to exit, before it counts as still running. */
const DYING_MS = 500;

/** Wait up to `ms` for the program to exit, and longer by what the machine took meanwhile (up to `ms` more). */
async function exitWithin(ctx: RunContext, prog: Program, ms: number): Promise<void> {
  const start = Date.now();
  const took = ctx.machineTook();
  for (;;) {
    const t = took();
    const left = start + ms + Math.min(ms, t.program + t.grader) - Date.now();
    if (!prog.running || left <= 0) return;
    await within(prog.exited, Math.min(left, 50));
  }
}

/** CPU a program may use while it waits for a timeout and still be forgiven the time it waited for a CPU. */
const IDLE_CPU_MS = 100;

/** Grace after the program exited for what it sent just before exiting to arrive (it is already in the kernel). */
const IN_FLIGHT_MS = 50;

/** Wait for `p`, but stop early if the program exits: nothing it has not done yet can happen after that. */
async function orExit<T>(ctx: RunContext, p: Promise<T>): Promise<T | 'exited'> {
  const prog = ctx.program;
  if (!prog) return p;
  const gone = prog.exited.then(() => sleep(IN_FLIGHT_MS)).then(() => 'exited' as const);
  return Promise.race([p, gone]);
}

function udpSocket(env: StepEnv, name: string): PeerUdp | undefined {
  const { ctx } = env;
  return ctx.udps.get(name) ?? ctx.endpoints.get(name)?.udp;
}

const okHost = (ep: EndpointState, h: string) =>
  ep.def.family === 'ipv6'
    ? h === '::1' || h === '::'
    : h.startsWith('127.') || h === '0.0.0.0' || h === '::' || h === '::ffff:127.0.0.1';

const matches = (ep: EndpointState, l: Listener) =>
  ep.def.transport === 'unix'
    ? l.transport === 'unix' && l.where === ep.path
    : l.transport === ep.def.transport && l.where === String(ep.port) && okHost(ep, l.host);

const placeOf = (l: Listener) =>
  l.transport === 'unix' ? l.where : `${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.where}`;

/**
 * Both families served on the endpoint's port: one IPv6 socket on `::` (dual-stack unless IPV6_V6ONLY, which the
 * socket table does not show: the IPv4 client will tell), or sockets on both families.
 */
function dualReady(ep: EndpointState, mine: Listener[]): boolean {
  const here = mine.filter((l) => l.transport === 'tcp' && l.where === String(ep.port));
  const v6 = here.filter((l) => l.host === '::' || l.host === '::1');
  const v4 = here.filter((l) => l.host.startsWith('127.') || l.host === '0.0.0.0');
  return v6.some((l) => l.host === '::') || (v6.length > 0 && v4.length > 0);
}

/**
 * Is the program listening (or bound, for UDP) on this endpoint? The socket table alone is cheap to read, so it
 * is polled; who owns a matching socket is checked only once one appears. `elsewhere` says where the program
 * listens instead, for the message when it never listens where it should.
 */
function listenState(
  ctx: RunContext,
  ep: EndpointState,
  deep: boolean,
  /** Read the socket table even if the program itself holds no socket (a child of it may). */
  always = deep,
): { ready: boolean; elsewhere: string[] } {
  const pid = ctx.program?.pid;
  if (!pid) return { ready: false, elsewhere: [] };
  // The kernel's socket table is costly to read; a program that holds no socket yet cannot be listening. Its
  // children are looked at by the full check (deep), which the caller makes every so often.
  const own = ctx.program?.programPid ?? pid;
  if (!always && !deep && socketInodes([own]).size === 0) return { ready: false, elsewhere: [] };
  const all = listeners(ep.def.transport);
  const candidates = all.filter((l) => matches(ep, l));
  if (candidates.length === 0 && !deep) return { ready: false, elsewhere: [] };
  const mine = ownedBy(all, membersOf(pid, ctx.program?.marker ?? '', deep));
  const ready = ep.def.dual_stack ? dualReady(ep, mine) : mine.some((l) => matches(ep, l));
  return { ready, elsewhere: mine.map(placeOf) };
}

/**
 * Without /proc (macOS, Windows, SOCKETLINGS_PORTABLE=1): the sockets the Python launcher reported, else those
 * the OS's tool shows for the program (lsof, netstat). Undefined when neither can tell: then only probing is left.
 */
async function reportedState(
  prog: Program,
  ep: EndpointState,
): Promise<{ ready: boolean; elsewhere: string[] } | undefined> {
  const mine = prog.spec.readinessFd ? prog.sockets : prog.pid ? await toolListeners(prog.pid) : [];
  if (!mine) return undefined;
  const ready = ep.def.dual_stack ? dualReady(ep, mine) : mine.some((l) => matches(ep, l));
  return { ready, elsewhere: mine.map(placeOf) };
}

/** Wait up to `ms` for the launcher's next report or the program's exit, whichever comes first. */
function nextReport(prog: Program, ms: number): Promise<unknown> {
  let wake: () => void = () => undefined;
  const reported = new Promise<void>((r) => {
    wake = r;
    prog.once('socket', wake);
  });
  return within(Promise.race([prog.exited, reported]), ms).finally(() => prog.off('socket', wake));
}

/**
 * How often a program that reports its sockets (the launcher) has the kernel's tables looked at as well, for a
 * socket the launcher cannot see. It is no readiness delay: a report ends the wait at once.
 */
const TABLE_LOOK_MS = 250;

/** What a pipe to the grader holds before a writer blocks on it (Linux: 64 KiB; a socket pair takes more). */
const PIPE_BYTES = 64 * 1024;

async function waitReady(env: StepEnv, ep: EndpointState, seconds: number): Promise<void> {
  const { ctx } = env;
  const started = Date.now();
  const deadline = started + ctx.ms(seconds);
  const where = ctx.describe(ep);
  let delay = 5;
  let polls = 0;
  let elsewhere: string[] = [];
  // Time the program waited for a CPU is not its slowness, nor is time the grader itself did not run at all (its
  // loop's ticker stalled: a machine, or a host, with more work than cores, which the program shared). Time the
  // grader was busy with other gradings counts only once the program has written more than a pipe holds: it then
  // goes at the pace the grader drains its output. That time, as the kernel and the grader's own loop count it,
  // extends the budget, up to six budgets more. A program that sleeps instead of listening waits for no CPU.
  const took = ctx.machineTook();
  const waited = () => {
    const t = took();
    const prog = ctx.program;
    const written = prog
      ? prog.kept.stdout + prog.kept.stderr + prog.dropped.stdout + prog.dropped.stderr
      : 0;
    return t.program + Math.max(t.grader, written > PIPE_BYTES ? t.busy : 0);
  };
  // The launcher's reports wake the wait the moment the program listens. On Linux the kernel's tables are
  // looked at too, rarely: they also see a socket the launcher cannot (a program that runs another program), and
  // they alone decide once the program has exited (did it leave a daemon listening?).
  let lastLook = started;
  for (;;) {
    const prog = ctx.program;
    // Listening is checked first: a program may hand its socket to a child and exit (a daemon). Whether it
    // should keep running is for a later step to judge. The launcher's reports, where a program has them, are
    // exact on every system (and need no shared PID namespace); else /proc, else the OS's tools or a probe.
    const reports = prog?.spec.readinessFd === true;
    if (CAN_INSPECT && !reports) {
      // Cheap while the program runs; a full look once it has exited: did it leave a daemon listening?
      polls++;
      const s = listenState(ctx, ep, !prog?.running, polls % 8 === 0);
      elsewhere = s.elsewhere;
      if (s.ready) return;
    } else {
      const s = prog ? await reportedState(prog, ep) : undefined;
      if (s) {
        elsewhere = s.elsewhere;
        if (s.ready) return;
      }
      if (CAN_INSPECT && prog && (!prog.running || Date.now() - lastLook >= TABLE_LOOK_MS)) {
        lastLook = Date.now();
        // The program's own processes while it runs (one it ran in their place among them); every process
        // carrying the run's marker once it has exited.
        const k = listenState(ctx, ep, !prog.running, true);
        elsewhere = [...new Set([...elsewhere, ...k.elsewhere])];
        if (k.ready) return;
      } else if (!s && ep.def.transport !== 'udp') {
        // The last resort (a --run program with no tool to ask): a connection, closed at once. A one-shot
        // server would take it as its only client; the README says so.
        const ok = await connectProbe(
          ep.path ? { path: ep.path } : { port: ep.port ?? 0, family: ep.def.family },
        );
        if (ok) return;
      } else if (!s && (await udpPortBound(ep.port ?? 0, ep.def.family))) return;
    }
    if (prog && !prog.running) {
      const tail = prog.stderrTail(8);
      if (ep.port !== undefined && tail.some((l) => /Address already in use|EADDRINUSE|Errno 98/.test(l))) {
        // The port was free when we handed it over. If someone else holds it now, they took it first: not the
        // learner's fault, try once more. If it is still free, the program bound another address, one that is
        // taken (a fixed port such as 8079, where the learner's own copy may run): a verdict on the program.
        const family = ep.def.family;
        const transport = ep.def.transport === 'udp' ? 'udp' : 'tcp';
        if (env.mayRetry?.('port') && !(await portIsFree(ep.port, family, transport)))
          throw new Retry('port');
        await prog.exited;
        throw new StepFail({
          message: ctx.msg.boundTakenAddress(ctx.exitText() ?? '', where),
          hint: ctx.msg.boundTakenHint,
          toldExit: true,
        });
      }
      await prog.exited;
      const how = ctx.exitText() ?? '';
      throw new StepFail({
        message:
          ep.def.transport === 'udp'
            ? ctx.msg.exitedBeforeBound(how, where)
            : ctx.msg.exitedBeforeReady(how, where),
        toldExit: true,
      });
    }
    const extension = Math.min(waited(), 6 * ctx.ms(seconds));
    if (Date.now() >= deadline + extension) {
      if (CAN_INSPECT) elsewhere = listenState(ctx, ep, true).elsewhere;
      const extra = elsewhere.length ? `; ${ctx.msg.listensElsewhere(elsewhere.join(', '))}` : '';
      const notReady =
        ep.def.transport === 'udp' ? ctx.msg.notBound(where, seconds) : ctx.msg.notReady(where, seconds);
      const busy = extension / 1000;
      ctx.expired(false);
      ctx.stretchedMs += extension;
      throw new StepFail({
        message: notReady + (busy >= 0.1 ? ctx.msg.busyExtension(round(busy)) : '') + extra,
      });
    }
    // Probing with backoff: quick for a fast program, cheap for a slow one. With reports nothing is probed: the
    // wait ends at the next report, and the kernel's tables are looked at only every TABLE_LOOK_MS.
    await (prog && reports
      ? nextReport(prog, CAN_INSPECT ? Math.max(1, lastLook + TABLE_LOOK_MS - Date.now()) : delay)
      : prog
        ? within(prog.exited, delay)
        : sleep(delay));
    // Quick at first, when most programs get ready; gentler later, for the slow and the never-ready.
    delay = Math.min(delay * 1.5, Date.now() - started < 1000 ? 25 : 100);
  }
}

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

export async function runStep(env: StepEnv, step: AnyStep): Promise<void> {
  const { ctx, local } = env;
  if (step.when) {
    const v = ctx.vars[step.when.var];
    if (v === undefined) throw new GraderError(`"when" names "${step.when.var}", which is not in vars`);
    if (v !== step.when.is) return;
  }
  switch (step.do) {
    case 'start': {
      if (env.external) return;
      if (!ctx.program) throw new GraderError('no program to start');
      if (step.ready) await waitReady(env, ctx.endpoint(step.ready), step.within);
      return;
    }
    case 'connect': {
      const ep = ctx.endpoint(step.to);
      const name = ctx.connName(step.as, local);
      const deadline = env.external
        ? Date.now() + ctx.ms(Math.max(step.within, 120))
        : ctx.deadline(step.within);
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
    }
    case 'accept': {
      const ep = ctx.endpoint(step.on);
      if (step.if_open && ep.closed) return;
      if (!ep.listener) throw new GraderError(`endpoint "${step.on}" is not a peer-owned stream endpoint`);
      const deadline = env.external
        ? Date.now() + ctx.ms(Math.max(step.within, 600))
        : ctx.deadline(step.within);
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
    }
    case 'send': {
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
        if (prog) await exitWithin(ctx, prog, DYING_MS);
        if (prog && !prog.running)
          throw new StepFail({ message: ctx.msg.exitedWhileSending(ctx.exitText() ?? ''), toldExit: true });
        throw new StepFail({ message: ctx.msg.sendFailed(ctx.who(conn.name), err.code ?? err.message) });
      }
      return;
    }
    case 'expect':
      try {
        await expectOnStream(ctx, ctx.conn(step.conn, local), step, step.within, local);
        return judgeCloseTime(env, step, local);
      } catch (err) {
        if (err instanceof StepFail && step.late_greeting) excuseLateGreeting(env, step.late_greeting);
        if (err instanceof StepFail && step.fresh_for !== undefined)
          excuseIdleClose(env, step.conn, step.fresh_for);
        throw err;
      }
    case 'shutdown':
      ctx.conn(step.conn, local).shutdown();
      return;
    case 'close':
      ctx.conn(step.conn, local).close();
      return;
    case 'reset':
      ctx.graderReset = true;
      ctx.conn(step.conn, local).reset();
      return;
    case 'wait_sent':
      await ctx
        .conn(step.conn, local)
        .writesSettled(STALLED_MS, ctx.deadline(step.within), () => runQueueWaitMs(ctx.program?.programPid));
      return;
    case 'hold':
      ctx.conn(step.conn, local).hold(true);
      return;
    case 'release': {
      const conn = ctx.conn(step.conn, local);
      if (step.bytes === undefined) {
        conn.hold(false);
        return;
      }
      const got = await conn.readMore(step.bytes, ctx.deadline(step.within));
      if (got < step.bytes)
        throw new StepFail({
          message: conn.finished
            ? ctx.msg.closedEarly(ctx.who(conn.name), got)
            : ctx.msg.shortBytes(ctx.who(conn.name), got, step.bytes, step.within),
          ...(conn.finished ? { closedAfter: { conn: conn.name, bytes: conn.received } } : {}),
        });
      return;
    }
    case 'sendto': {
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
      const err = await sock.sendTo(ctx.data(step.data, local), to);
      if (err)
        throw new StepFail({ message: ctx.msg.sendFailed(ctx.who(step.from), err.code ?? err.message) });
      return;
    }
    case 'expect_datagram': {
      const sock = udpSocket(env, step.on);
      if (!sock) throw new GraderError(`no UDP socket or endpoint named "${step.on}"`);
      const deadline = env.external
        ? Date.now() + ctx.ms(Math.max(step.within, 600))
        : ctx.deadline(step.within);
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
    }
    case 'lossy': {
      const sock = udpSocket(env, step.on);
      if (!sock) throw new GraderError(`no UDP socket or endpoint named "${step.on}"`);
      sock.lossy = { drop: step.drop, duplicate: step.duplicate, reorder: step.reorder, random: env.rng };
      return;
    }
    case 'respond': {
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
    }
    case 'expect_received': {
      const sock = udpSocket(env, step.on);
      if (!sock?.respond) throw new GraderError(`"${step.on}" has no respond rule`);
      const want = step.values.map((v) => ctx.template(v, local));
      const rule = sock.respond;
      // Wait until as many distinct messages as expected have come (in peer mode, the learner runs by hand).
      const deadline = env.external
        ? Date.now() + ctx.ms(Math.max(step.within, 600))
        : ctx.deadline(step.within);
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
    }
    case 'expect_stdout':
      if (env.external) return;
      try {
        return await expectStdout(env, step);
      } catch (err) {
        if (err instanceof StepFail && step.grader_quiet)
          excuseQuietGrader(env, step.grader_quiet, step.since);
        throw err;
      }
    case 'expect_exit': {
      if (env.external) return;
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
    }
    case 'expect_running': {
      if (env.external) return;
      const prog = ctx.program;
      if (!prog) throw new GraderError('no program');
      if (step.for > 0) await within(prog.exited, ctx.ms(step.for));
      if (!prog.running) {
        await prog.exited;
        throw new StepFail({ message: ctx.msg.exitedWhileRunning(ctx.exitText() ?? ''), toldExit: true });
      }
      return;
    }
    case 'signal':
      if (!env.external) {
        ctx.signalled = true;
        ctx.program?.signal(step.signal);
      }
      return;
    case 'expect_path': {
      if (env.external) return;
      const p = ctx.template(step.path, local);
      if (existsSync(p) !== step.exists)
        throw new StepFail({ message: step.exists ? ctx.msg.pathMissing(p) : ctx.msg.pathExists(p) });
      return;
    }
    case 'expect_tls_refused': {
      const ep = ctx.endpoint(step.on);
      if (!ep.listener || !ep.def.tls)
        throw new GraderError(`endpoint "${step.on}" is not a peer-owned tls endpoint`);
      const deadline = env.external
        ? Date.now() + ctx.ms(Math.max(step.within, 600))
        : ctx.deadline(step.within);
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
    }
    case 'exchange':
      return runExchange(env, step);
    case 'mark':
      // What the program wrote before this moment must be dated before it: after a stall the grader can get here
      // with output still unread in the pipe (say, a line printed before any cause), so let the loop read it first.
      await new Promise((r) => setImmediate(r));
      ctx.marks.set(step.name, Date.now());
      ctx.markWaits.set(step.name, runQueueWaitMs(ctx.program?.programPid));
      ctx.markCpu.set(step.name, cpuMs(ctx.program?.programPid));
      return;
    case 'pause': {
      if (step.since === undefined) {
        await sleep(step.ms);
        return;
      }
      const from = ctx.marks.get(step.since);
      if (from === undefined) throw new GraderError(`no mark named "${step.since}"`);
      // The program's timer cannot run while it waits for a CPU: that time is added, as the kernel counts it.
      const waitedFrom = ctx.markWaits.get(step.since);
      for (;;) {
        const waitedNow = runQueueWaitMs(ctx.program?.programPid);
        const starved = waitedFrom !== undefined && waitedNow !== undefined ? waitedNow - waitedFrom : 0;
        const left = from + step.ms + Math.max(0, starved) - Date.now();
        if (left <= 0) return;
        await sleep(Math.min(left, 250));
      }
    }
    case 'barrier': {
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
    }
    case 'group':
      return runGroup(env, step);
    default: {
      const never: never = step;
      throw new GraderError(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

async function expectStdout(env: StepEnv, step: Extract<AnyStep, { do: 'expect_stdout' }>): Promise<void> {
  const { ctx, local } = env;
  const prog = ctx.program;
  if (!prog) throw new GraderError('no program');
  const from = step.since ? ctx.marks.get(step.since) : Date.now();
  const waitedFrom = step.since ? ctx.markWaits.get(step.since) : runQueueWaitMs(prog.programPid);
  const cpuFrom = step.since ? ctx.markCpu.get(step.since) : cpuMs(prog.programPid);
  if (from === undefined) throw new GraderError(`no mark named "${step.since}"`);
  const deadline = ctx.deadline(step.within, from);
  const want = step.line !== undefined ? ctx.template(step.line, local) : undefined;
  const re = step.regex !== undefined ? new RegExp(ctx.template(step.regex, local)) : undefined;
  const matches = (text: string) => (want !== undefined ? text === want : (re as RegExp).test(text));
  // Lines are searched from the cursor on, so a learner's own extra prints (a banner, debug output) do no harm.
  // With `next`, the first unread line (or the first one matching its pattern) must be the one; otherwise the
  // search goes on past other lines.
  const held =
    step.next === false
      ? undefined
      : step.next === true
        ? /(?:)/
        : new RegExp(ctx.template(step.next, local));
  const firstHeld = () =>
    prog.stdout().findIndex((l, i) => i >= ctx.stdoutCursor && (held as RegExp).test(l.text));
  const find = () => {
    const lines = prog.stdout();
    if (held) {
      const i = firstHeld();
      return i >= 0 && matches((lines[i] as { text: string }).text) ? i : -1;
    }
    for (let i = ctx.stdoutCursor; i < lines.length; i++)
      if (matches((lines[i] as { text: string }).text)) return i;
    return -1;
  };
  let at = find();
  // Wait while the program can still print. Its exit is not enough: the kernel reports it before the last lines
  // are out of the pipe, so the wait goes on until its output is complete.
  if (at < 0 && !prog.outputComplete) {
    let stop = () => {};
    const seen = new Promise<void>((resolve) => {
      const onLine = () => {
        if (find() >= 0) resolve();
      };
      prog.on('line', onLine);
      prog.on('exit', resolve);
      stop = () => {
        prog.off('line', onLine);
        prog.off('exit', resolve);
      };
    });
    await within(seen, deadline);
    stop();
    at = find();
  }
  const what = want !== undefined ? quote(want) : `/${re?.source}/`;
  if (at < 0) {
    const seen = prog
      .stdout()
      .slice(ctx.stdoutCursor)
      .map((l) => l.text);
    const earlier = prog
      .stdout()
      .slice(0, ctx.stdoutCursor)
      .some((l) => matches(l.text));
    if (!prog.running) await prog.exited;
    const instead = held ? prog.stdout()[firstHeld()]?.text : undefined;
    // A line still waiting for its newline (the program runs on): show it, and say what is missing.
    const partial = prog.running ? prog.partialStdout : '';
    const partialMatches = partial !== '' && matches(partial);
    const message =
      instead !== undefined
        ? ctx.msg.stdoutNotNext(quote(instead), what)
        : earlier
          ? ctx.msg.stdoutEarlier(what)
          : partialMatches
            ? ctx.msg.noNewlineStdout(what) + (ctx.python ? ctx.msg.printNewlineNote : '')
            : !prog.running
              ? ctx.msg.exitedWithoutPrinting(ctx.exitText() ?? '', what)
              : ctx.msg.noStdout(what, step.within);
    // Out of order: every line so far, in the order printed, so the learner sees which came first.
    const shown = (earlier ? prog.stdout().map((l) => l.text) : seen).slice(-8).map((l) => quote(l));
    if (partial) shown.push(ctx.msg.partialLine(quote(partial)));
    throw new StepFail({
      message,
      expected: what,
      actual: shown.length ? shown.join('\n') : ctx.msg.nothingShown,
      peerClosed: seen.some((l) => l === "b''" || l === ''),
      toldExit: instead === undefined && !earlier && !partialMatches && !prog.running,
    });
  }
  const line = prog.stdout()[at] as { at: number; text: string };
  ctx.stdoutCursor = at + 1;
  // As it was when the line arrived (a guess may read its datagram afterwards), judged after the timing: a line
  // printed before the cause is that first.
  const unread =
    step.drained === undefined
      ? undefined
      : (ctx.unreadAtLine.get(line)?.get(step.drained) ?? unreadAt(ctx, step.drained));
  const judgeUnread = () => {
    if (unread && unread.bytes > 0)
      throw new StepFail({ message: ctx.msg.printedUnread(quote(line.text), unread.where) });
  };
  if (step.not_before === undefined && step.not_after === undefined) return judgeUnread();
  const seenAt = prog.startedAt + line.at;
  const printedAt = (seenAt - from) / 1000;
  // From a second mark, later than `since`: the program's clock started somewhere between the two.
  const lateFrom = step.not_after_since === undefined ? from : ctx.marks.get(step.not_after_since);
  if (lateFrom === undefined) throw new GraderError(`no mark named "${step.not_after_since}"`);
  const printedAfterLate = (seenAt - lateFrom) / 1000;
  // The times are what the program should do and are not scaled; what a slow machine changes is how exactly
  // they can be measured. So time_scale widens the slack, and so does the worst stall of our own event loop
  // while it measured: the line (and the mark) may have been seen that much late.
  const slack = step.slack * ctx.timeScale;
  const tolerance = round(slack + worstStall(from, seenAt) / 1000);
  if (step.not_before !== undefined) {
    const min = ctx.seconds(step.not_before, local);
    // Before the mark is a matter of cause, not of timing: a line seen before the grader acted cannot answer it.
    if (min === 0 && printedAt < 0) throw new StepFail({ message: ctx.msg.stdoutBeforeCause });
    // Our own delays only ever make a line look later than it was printed, so they never excuse an early one:
    // seen before the time (counted from a mark the program's clock cannot precede), it was printed before it.
    if (min > 0 && printedAt < min - slack)
      throw new StepFail({ message: ctx.msg.stdoutTooEarly(Math.max(0, printedAt), min, round(slack)) });
    // Early by the later mark, and the marks too far apart to say whether the program waited at all (it may have
    // paused between what it read and what it sent): no evidence either way. Once more, then say so.
    const spread = (lateFrom - from) / 1000;
    if (min > 0 && printedAfterLate < min - tolerance && spread > tolerance) {
      if (env.mayRetry?.('timing')) throw new Retry('timing');
      throw new StepFail({ message: ctx.msg.timingUndecidable(round(spread)) });
    }
  }
  if (step.not_after !== undefined) {
    const max = ctx.seconds(step.not_after, local);
    // Late can also be the machine's doing: the time the program was ready to run but had no CPU is forgiven
    // (measured by the kernel, from the later mark on), but only for a program that was waiting, not working: one
    // that spun on the CPU while it "waited" would be forgiven its own slowness. It never excuses an early line.
    const waitedSince =
      step.not_after_since === undefined ? waitedFrom : ctx.markWaits.get(step.not_after_since);
    const cpuSince = step.not_after_since === undefined ? cpuFrom : ctx.markCpu.get(step.not_after_since);
    const waitedNow = runQueueWaitMs(prog.programPid);
    const cpuNow = cpuMs(prog.programPid);
    const idle = cpuSince !== undefined && cpuNow !== undefined && cpuNow - cpuSince <= IDLE_CPU_MS;
    const starved =
      idle && waitedSince !== undefined && waitedNow !== undefined
        ? Math.max(0, waitedNow - waitedSince) / 1000
        : 0;
    if (printedAfterLate > max + tolerance + starved)
      throw new StepFail({
        message: ctx.msg.stdoutTooLate(printedAfterLate, max, round(tolerance + starved)),
      });
  }
  judgeUnread();
}

/** The program's UDP endpoints that some `expect_stdout` wants drained when its line comes. */
export function drainedEndpoints(checks: { steps: AnyStep[] }[]): string[] {
  const names = new Set<string>();
  const walk = (steps: AnyStep[]) => {
    for (const s of steps) {
      if (s.do === 'expect_stdout' && s.drained) names.add(s.drained);
      if (s.do === 'group') walk(s.steps);
    }
  };
  for (const c of checks) walk(c.steps);
  return [...names];
}

/** What the program's UDP socket at endpoint `name` holds unread now; undefined where that cannot be read. */
export function unreadAt(ctx: RunContext, name: string): { bytes: number; where: string } | undefined {
  const ep = ctx.endpoint(name);
  if (ep.def.transport !== 'udp' || ep.def.owner !== 'program' || ep.port === undefined)
    throw new GraderError(`drained: "${name}" is not a UDP endpoint of the program's`);
  const bytes = udpUnread(ep.port);
  return bytes === undefined ? undefined : { bytes, where: ctx.describe(ep) };
}

/**
 * A program waits for a greeting from the moment it connected, which the grader cannot see, but which came after
 * the program started. If the greeting left less than the program's budget after its start, it arrived in time
 * and the failure stands. Otherwise the grader may have been the slow one: once more, then undecidable.
 */
function excuseLateGreeting(env: StepEnv, g: { mark: string; budget: number | string }): void {
  const { ctx } = env;
  const greeted = ctx.marks.get(g.mark);
  const prog = ctx.program;
  if (greeted === undefined || !prog) return;
  const late = (greeted - prog.startedAt) / 1000;
  const budget = ctx.seconds(g.budget, env.local);
  if (late < budget) return;
  if (env.mayRetry?.('timing')) throw new Retry('timing');
  throw new StepFail({ message: ctx.msg.lateGreetingUndecidable(round(late), budget) });
}

/**
 * A connection expected to be still open was found closed. If, before this process heard of the close, the grader
 * had at some point written nothing on it (since it connected, or between two writes) for as long as the program's
 * own idle timeout, the program may have closed it rightly, and a busy machine made the grader late. Otherwise the
 * close certainly came before its time.
 */
function excuseIdleClose(env: StepEnv, conn: string, freshFor: number | string): void {
  const { ctx } = env;
  const c = ctx.conn(conn, env.local);
  if (!c.finished || c.buf.length > 0) return;
  // The longest the grader went without writing before it heard the close, the last stretch included.
  const age = Math.max(c.longestQuiet, (c.endedAt ?? Date.now()) - (c.lastSent ?? c.since)) / 1000;
  const idle = ctx.seconds(freshFor, env.local);
  if (age < idle) return;
  if (env.mayRetry?.('timing')) throw new Retry('timing');
  const who = ctx.who(c.name);
  throw new StepFail({
    message:
      c.lastSent === undefined
        ? ctx.msg.idleCloseUndecidable(who, round(age), idle)
        : peerMessages(ctx.lang).idleSinceSentUndecidable(who, round(age), idle),
  });
}

/** Give a failing step's own hint and explanation to its failure (templated, in the learner's language). */
export function annotate(ctx: RunContext, err: unknown, step: AnyStep, local: Local = {}): void {
  if (!(err instanceof StepFail)) return;
  // A program in another language gets the same advice without Python's names, where the grader gives it.
  const other = ctx.python ? undefined : step.other_languages;
  const hint = textIn(other?.hint ?? step.hint, ctx.lang);
  if (hint && !err.failure.hint) err.failure.hint = ctx.template(hint, local);
  // The first explanation only: a group member's, not the group's own after it.
  const why = textIn(other?.explain ?? step.explain, ctx.lang);
  if (why && err.failure.reason === undefined) err.failure.reason = ctx.template(why, local);
}

async function runGroup(env: StepEnv, step: Extract<Step, { do: 'group' }>): Promise<void> {
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
          annotate(ctx, err, s, local);
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

export type { StreamConn };
