// Readiness: `start`, and with `ready:` the wait until the program listens (or binds) where it should, read from
// the launcher's reports, the kernel's socket tables, the OS's tools, or at last a probe.

import { statSync } from 'node:fs';
import { sleep } from '../../wire/events.js';
import {
  CAN_INSPECT,
  connectProbe,
  holdsSocket,
  type Listener,
  listeners,
  socketsHeld,
} from '../../wire/listening.js';
import { toolListeners } from '../../wire/ostools.js';
import { portIsFree, tcpAddressHeld, udpPortBound } from '../../wire/ports.js';
import type { Program } from '../../wire/program.js';
import { type EndpointState, GraderError, Retry, type RunContext, StepFail } from '../context.js';
import { readinessAllowance } from '../fairness.js';
import { round } from '../score.js';
import { type Family, type StepEnv, within } from './common.js';

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
 * Is the program listening (or bound, for UDP) on this endpoint? A read of the kernel's socket table walks its
 * whole connection hash however few sockets it holds, and a program's processes can hold thousands of
 * descriptors: each is read only as far as the answer needs. `elsewhere` says where the program listens instead,
 * for the message when it never listens where it should (found by the full look, `deep`).
 */
function listenState(
  ctx: RunContext,
  ep: EndpointState,
  deep: boolean,
  /** Read the socket table even if the program itself holds no socket (a child of it may). */
  always = deep,
  /** Read the tables now, not as another waiter read them a moment ago: a report says a socket just appeared. */
  fresh = false,
): { ready: boolean; elsewhere: string[] } {
  const prog = ctx.program;
  const pid = prog?.pid;
  const none = { ready: false, elsewhere: [] };
  if (!prog || !pid) return none;
  // A program none of whose processes holds a socket cannot be listening. In the sandbox its processes are its
  // tree, a few reads away; outside it, finding them means reading every process on the machine, so only the
  // program's own sockets are looked at on every poll, its children's by the full look, which the caller makes
  // every so often.
  // In the sandbox the tree is walked once a look, for both questions.
  const tree = prog.spec.sandboxed ? prog.members(deep) : undefined;
  if (tree) {
    if (!holdsSocket(tree, prog.startingSockets)) return none;
  } else if (!always && !deep && !holdsSocket([prog.programPid ?? pid], prog.startingSockets)) return none;
  const all = listeners(ep.def.transport, fresh);
  const here = all.filter((l) => matches(ep, l));
  if (!deep && here.length === 0) return none;
  // Every listener's owner for the full look (where else it listens), else only those of this endpoint: for a
  // dual-stack one, every listener on its port, of either family (dualReady).
  const port = String(ep.port);
  const wanted = deep ? all : ep.def.dual_stack ? all.filter((l) => l.where === port) : here;
  const held = socketsHeld(tree ?? prog.members(deep), new Set(wanted.map((l) => l.inode)));
  const mine = all.filter((l) => held.has(l.inode));
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
  // A report of the right place that did not hold up is no "elsewhere" either.
  return { ready, elsewhere: mine.filter((l) => !matches(ep, l)).map(placeOf) };
}

/**
 * Does what the launcher reported exist, where the kernel's tables cannot be read? The launcher runs inside the
 * learner's process, so its pipe can be written by the learner's code too: a report is a claim. It is checked
 * without connecting (a one-shot server would take that connection as its only client): the grader's own bind
 * of the reported address fails while a socket holds it; a Unix socket's file exists where it was reported.
 */
async function reportHolds(prog: Program, ep: EndpointState): Promise<boolean> {
  for (const l of prog.sockets.filter((s) => matches(ep, s))) {
    if (l.transport === 'unix') {
      if (statSync(l.where, { throwIfNoEntry: false })?.isSocket()) return true;
    } else if (l.transport === 'udp') {
      if (await udpPortBound(Number(l.where), l.host.includes(':') ? 'ipv6' : 'ipv4')) return true;
    } else if (await tcpAddressHeld(l.host, Number(l.where))) return true;
  }
  return false;
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
async function waitReady(env: StepEnv, ep: EndpointState, seconds: number): Promise<void> {
  const { ctx } = env;
  const started = Date.now();
  const deadline = started + ctx.ms(seconds);
  const where = ctx.describe(ep);
  let delay = 5;
  let polls = 0;
  let elsewhere: string[] = [];
  // What the machine took meanwhile extends the budget (fairness.ts, rule 5).
  const took = ctx.fair.machineTook();
  const written = () => {
    const prog = ctx.program;
    return prog ? prog.kept.stdout + prog.kept.stderr + prog.dropped.stdout + prog.dropped.stderr : 0;
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
      if (s) elsewhere = s.elsewhere;
      // The launcher's pipe is the learner's process's too, so a report is a claim, never evidence alone. Where
      // the kernel's tables can be read, a report that matches only makes them be looked at at once, and they
      // decide; elsewhere the claim is checked as far as it can be without connecting (reportHolds).
      const claimed = s?.ready === true && reports;
      if (s?.ready && !CAN_INSPECT && (!reports || (prog && (await reportHolds(prog, ep))))) return;
      if (CAN_INSPECT && prog && (claimed || !prog.running || Date.now() - lastLook >= TABLE_LOOK_MS)) {
        lastLook = Date.now();
        // The program's own processes while it runs (one it ran in their place among them); every process
        // carrying the run's marker once it has exited.
        const k = listenState(ctx, ep, !prog.running, true, claimed);
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
        // The port was free when we handed it over, but another process may have held it at the instant the
        // program bound it: another grading's port probe (a bind for an instant, here or in a test run beside
        // this one), or its own program on the same random pick. Such a hold is often over by the time we
        // could look, so whether the port is free now tells nothing: the scenario runs once more, on new
        // ports, whatever we would find. A program that binds a fixed address that is taken (such as 8079,
        // where the learner's own copy may run) fails the same way again: a verdict on the program.
        if (env.mayRetry?.('port')) throw new Retry('port');
        await prog.exited;
        const transport = ep.def.transport === 'udp' ? 'udp' : 'tcp';
        if (!(await portIsFree(ep.port, ep.def.family, transport)))
          throw new StepFail({ message: ctx.msg.portHeldTwice(where), toldExit: true });
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
    const extension = readinessAllowance(took(), written(), ctx.ms(seconds));
    if (Date.now() >= deadline + extension) {
      if (CAN_INSPECT) elsewhere = listenState(ctx, ep, true).elsewhere;
      const extra = elsewhere.length ? `; ${ctx.msg.listensElsewhere(elsewhere.join(', '))}` : '';
      const notReady =
        ep.def.transport === 'udp' ? ctx.msg.notBound(where, seconds) : ctx.msg.notReady(where, seconds);
      const busy = extension / 1000;
      ctx.fair.expired(false);
      ctx.fair.stretchedMs += extension;
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

export const readySteps = {
  start: {
    async run(env, step) {
      const { ctx } = env;
      if (!ctx.program) throw new GraderError('no program to start');
      if (step.ready) await waitReady(env, ctx.endpoint(step.ready), step.within);
    },
    // Only a readiness wait needs the program to do something; in peer mode the learner starts it by hand.
    evidence: { wire: false, byHand: 'skipped', behaviour: (s) => s.ready !== undefined },
  },
} satisfies Family;
