// The one grading pipeline: set up endpoints, start the learner's program, run the checks in order, and tear
// everything down whatever happened. verify, watch, grade, batch grading, dev check and peer all call runScenario.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Capability, dualStackName, hasCapability, LOOPBACK_BROADCAST } from '../wire/caps.js';
import { scrubbedEnv } from '../wire/env.js';
import { deadline } from '../wire/events.js';
import { cliCommand } from '../wire/invocation.js';
import { READY_FD, READY_FD_ENV } from '../wire/launcher.js';
import { freeTcpPort, freeTcpPortBoth, freeUdpPort, hostOf, releasePorts } from '../wire/ports.js';
import { Program, paced } from '../wire/program.js';
import { LIMITS, sandboxCommand, sandboxEnv } from '../wire/sandbox.js';
import { type CgroupVersion, type ProgramCgroup, programCgroup } from '../wire/sandbox-cgroup.js';
import { diskEvidence } from '../wire/sandbox-disk.js';
import { makeScratch, removeScratch } from '../wire/scratch.js';
import { SECCOMP_FD, seccompFilter } from '../wire/seccomp.js';
import { leaveSocketFile, PeerListener } from '../wire/stream-open.js';
import { testCerts } from '../wire/tls.js';
import { PeerUdp } from '../wire/udp.js';
import { type EndpointState, GraderError, Retry, RunContext, StepFail } from './context.js';
import { showsBehaviour, unobservedByHand } from './evidence.js';
import { hintFromOutput, PEER_CLOSED_HINT, relativeTraceback } from './hints.js';
import { messages } from './messages.js';
import {
  type CheckResult,
  type ExerciseResult,
  overallStatus,
  type SandboxInfo,
  type TranscriptEntry,
} from './results.js';
import { intIn, rngFor } from './rng.js';
import { safeText } from './safe-text.js';
import type { Lang } from './schema/course.js';
import type { Grader } from './schema/grader.js';
import { annotate, drainedEndpoints, runStep, unreadAt } from './steps.js';
import { sizeText, textIn } from './text.js';
import { makeVar } from './vars.js';

export interface ProgramToRun {
  /** Command and arguments, e.g. ['python3', '/work/ws/03-tcp-clients/tcp_client.py']. */
  argv: string[];
  /** How the learner would type it, for replay lines. */
  shown: string;
  /** Working folder of the program: the workspace. */
  cwd: string;
  /** Run the program in the sandbox (wire/sandbox.ts). */
  sandbox?: ProgramSandboxing;
  /** It runs through the Python launcher, which reports its sockets on a pipe (see wire/launch.py). */
  readinessFd?: boolean;
  /** Windows: a cmd.exe command line, passed on as it is. */
  verbatimArgs?: boolean;
  /** Signal the whole process group (a shell running a compound command line); see ProgramSpec. */
  signalGroup?: boolean;
  /** The program runs on Python: hints may then name Python's errors and functions. */
  python?: boolean;
}

/** How a program is sandboxed: what it may read, within which limits, and for the report whom it runs as. */
export interface ProgramSandboxing {
  bwrap: string;
  /** What it may read besides the system and its own folder. */
  ro: string[];
  /** Folders put first on its PATH. */
  path: string[];
  /** The user it runs as, for reports: `nobody (65534:65534)`. */
  user: string;
  memoryBytes: number;
  diskBytes: number;
  /** Where its memory cgroup goes (the worker's delegated group); none where no cgroup can be made. */
  cgroup?: { version: CgroupVersion; dir: string } | undefined;
  /** bwrap keeps it from making user namespaces (see wire/sandbox.ts SandboxCheck). */
  closeUserns?: boolean | undefined;
}

export interface RunOptions {
  exercise: string;
  grader: Grader;
  /** Leave out for peer mode: the learner runs their program by hand against fixed ports. */
  program?: ProgramToRun;
  seed: number;
  lang: Lang;
  /** Multiplies every budget, for slow machines. */
  timeScale?: number;
  /** Bytes of stdout and of stderr kept. */
  outputCap?: number;
  /** Peer mode: the port the main endpoint uses (others follow it). */
  basePort?: number;
  /** Live transcript, as it happens. */
  onEvent?: (e: TranscriptEntry) => void;
}

export const DEFAULT_OUTPUT_CAP = 64 * 1024;

function envName(endpoint: string, field: 'HOST' | 'PORT' | 'PATH' | 'CERT' | 'KEY'): string {
  return endpoint === 'main'
    ? `SOCKETLINGS_${field}`
    : `SOCKETLINGS_${endpoint.toUpperCase().replace(/-/g, '_')}_${field}`;
}

type TlsKind = NonNullable<Grader['endpoints'][string]['tls']>;

/** The certificate and key a peer server presents for each kind of `tls` endpoint. */
function servedCert(kind: TlsKind): { cert: Buffer; key: Buffer } {
  const c = testCerts();
  switch (kind) {
    case 'test':
      return { cert: c.cert, key: c.key };
    case 'self-signed':
      return { cert: c.impostorCert, key: c.impostorKey };
    case 'wrong-name':
      return { cert: c.wrongNameCert, key: c.wrongNameKey };
    case 'impostor':
      throw new GraderError('an impostor endpoint is resolved to one kind before it is opened');
    default: {
      const never: never = kind;
      throw new GraderError(`unknown tls kind ${String(never)}`);
    }
  }
}

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

/**
 * A failure that is not a budget running out (a budget forgives a busy machine itself, see RunContext.deadline),
 * in a check during which the machine took this much from the program and the grader (time runnable without a
 * CPU, and this process's stalls), is judged again once: a peer that fell silent that long may have made a
 * correct program give up on it. A wrong program fails again.
 */
const BUSY_RETRY_MS = 500;

/** Whether a failure may be the machine's doing rather than the program's: then the scenario runs again, once. */
function tooBusyToJudge(ctx: RunContext, took: { program: number; grader: number; busy: number }): boolean {
  return (
    ctx.seenLate ||
    ctx.expiry === 'over' ||
    (ctx.expiry === undefined && took.program + took.grader >= BUSY_RETRY_MS)
  );
}

class Run {
  readonly ctx: RunContext;
  private tmp: string | undefined;
  /** Ports picked for the program or as closed ones, given back at teardown. */
  private readonly picked: number[] = [];
  private readonly external: boolean;
  /** The sandboxed program's own /tmp and /dev/shm, on the worker's sized /tmp, next to the run folder. */
  private own: string | undefined;
  /** The sandboxed program's memory cgroup, where one could be made. */
  private cgroup: ProgramCgroup | undefined;
  /** Limits the sandboxed program ran into (see limitNote). */
  private readonly reached = new Set<'memory' | 'disk'>();
  /** A grader's file could not be written: the student's disk was full before the program started. */
  private filesLost = false;

  constructor(
    private readonly o: RunOptions,
    /** Why the scenario has already been run again: each reason once. */
    private readonly retried: ReadonlySet<Retry['reason']>,
    readonly round = 1,
  ) {
    this.ctx = new RunContext(o.grader, o.seed, o.lang, o.timeScale ?? 1, o.onEvent);
    this.ctx.python = o.program?.python ?? true;
    this.external = o.program === undefined;
  }

  private async setupEndpoints(): Promise<void> {
    const { ctx, o } = this;
    let nextPort = o.basePort ?? 8079;
    // One seeded choice for every one_family endpoint: `seeded` ones get it, `other` ones the opposite. Each round
    // takes the other one, so that two rounds meet both orders whatever the seed: a program that prints a fixed
    // order cannot pass by luck.
    const seededV6 = (intIn(rngFor(o.seed, 'one_family'), 0, 1) + this.round - 1) % 2 === 1;
    // An `impostor` takes turns the same way: self-signed in one round, signed for another name in the next.
    const impostor: TlsKind =
      (intIn(rngFor(o.seed, 'impostor'), 0, 1) + this.round - 1) % 2 === 1 ? 'wrong-name' : 'self-signed';
    for (const [name, given] of Object.entries(o.grader.endpoints)) {
      const fixed = this.external ? nextPort++ : undefined;
      let def = given;
      if (def.one_family)
        def = { ...def, family: seededV6 === (def.one_family === 'seeded') ? 'ipv6' : 'ipv4' };
      if (def.tls === 'impostor') def = { ...def, tls: impostor };
      const ep: EndpointState = { name, def, host: hostOf(def.family) };
      if (def.open_if !== undefined) {
        const v = ctx.vars[def.open_if];
        if (typeof v !== 'string') throw new GraderError(`endpoint "${name}": no var "${def.open_if}"`);
        ep.closed = !v.split(/\s+/).includes(name);
      }
      if (def.one_family || def.dual_stack) {
        // The program is told a name (or, for a server, all addresses), never the one address that answers.
        ep.host = def.one_family ? await dualStackName() : '';
        if (def.dual_stack) {
          ep.port = fixed ?? (await freeTcpPortBoth());
          if (fixed === undefined) this.picked.push(ep.port);
        } else {
          // Free on both families, so connecting over the wrong one is refused rather than reaching a stranger.
          const port = fixed ?? (await freeTcpPortBoth());
          ep.listener = await PeerListener.open({ family: def.family, port }, ctx.log, def.read_rate);
          ep.port = ep.listener.port;
          if (fixed === undefined) this.picked.push(port);
        }
        ctx.endpoints.set(name, ep);
        continue;
      }
      if (def.transport === 'unix') {
        // Short paths: AF_UNIX paths are limited to about 100 bytes.
        if (this.external)
          ep.path = join(process.cwd(), name === 'main' ? 'socketlings.sock' : `${name}.sock`);
        else {
          this.tmp ??= makeScratch();
          ep.path = join(this.tmp, `${name}.sock`);
        }
        if (def.owner === 'peer') {
          if (this.external) rmSync(ep.path, { force: true });
          ep.listener = await PeerListener.open({ path: ep.path }, ctx.log, def.read_rate);
        } else if (def.owner === 'program' && def.stale_file && !this.external) {
          // Before the program starts: it must find the file there, as it would after a crash.
          await leaveSocketFile(ep.path);
          ctx.note(ctx.msg.leftStaleSocket(ep.path));
        }
      } else if (def.owner === 'peer' && !ep.closed) {
        if (def.transport === 'tcp') {
          ep.listener = await PeerListener.open(
            { family: def.family, port: fixed ?? 0 },
            ctx.log,
            def.read_rate,
            def.tls ? servedCert(def.tls) : undefined,
          );
          ep.port = ep.listener.port;
          if (def.tls === 'self-signed' || def.tls === 'wrong-name')
            ctx.note(ctx.msg.impostorServes(ctx.describe(ep), def.tls));
        } else if (def.broadcast) {
          await this.broadcastReceivers(ep, def.broadcast, fixed);
        } else {
          ep.udp = await PeerUdp.open(name, def.family, ctx.log, fixed ?? 0);
          ep.port = ep.udp.port;
        }
      } else {
        // The program's own port, or one nobody listens on ("closed"): free now, handed over at once.
        ep.port =
          fixed ?? (def.transport === 'udp' ? await freeUdpPort(def.family) : await freeTcpPort(def.family));
        if (fixed === undefined) this.picked.push(ep.port);
      }
      ctx.endpoints.set(name, ep);
    }
  }

  /** Peer sockets that share the endpoint's port on the loopback's broadcast address (see `broadcast`). */
  private async broadcastReceivers(
    ep: EndpointState,
    names: string[],
    fixed: number | undefined,
  ): Promise<void> {
    const { ctx } = this;
    const port = fixed ?? (await freeUdpPort('ipv4'));
    if (fixed === undefined) this.picked.push(port);
    ep.host = LOOPBACK_BROADCAST;
    ep.port = port;
    for (const name of names) {
      if (ctx.udps.has(name)) throw new GraderError(`two sockets named "${name}"`);
      ctx.udps.set(name, await PeerUdp.open(name, 'ipv4', ctx.log, port, { address: LOOPBACK_BROADCAST }));
    }
  }

  private programEnv(): Record<string, string> {
    const { ctx, o } = this;
    const env: Record<string, string> = {};
    for (const ep of ctx.endpoints.values()) {
      if (ep.path !== undefined) env[envName(ep.name, 'PATH')] = ep.path;
      else {
        env[envName(ep.name, 'HOST')] = ep.host;
        env[envName(ep.name, 'PORT')] = String(ep.port);
      }
    }
    // TLS: the pack's TEST-ONLY CA (and, for a server, its certificate and key), copied into this run's folder.
    const tlsEndpoints = [...ctx.endpoints.values()].filter((ep) => ep.def.tls);
    if (tlsEndpoints.length) {
      const certs = testCerts();
      const put = (name: string, data: Buffer) => {
        this.tmp ??= makeScratch();
        const p = join(this.tmp, name);
        this.putFile(p, data);
        return p;
      };
      env.SOCKETLINGS_CA = put('test-ca.pem', certs.ca);
      for (const ep of tlsEndpoints)
        if (ep.def.owner === 'program') {
          env[envName(ep.name, 'CERT')] = put('test-server.pem', certs.cert);
          env[envName(ep.name, 'KEY')] = put('test-server.key', certs.key);
        }
    }
    for (const f of o.grader.files) {
      this.tmp ??= makeScratch();
      const p = join(this.tmp, f.name);
      this.putFile(p, ctx.data(f.data));
      env[f.env] = p;
    }
    for (const [k, v] of Object.entries(o.grader.env)) env[k] = ctx.template(v);
    return env;
  }

  /**
   * A grader's file in the run folder. In the sandbox that folder shares its disk with the student's other
   * programs running at once: when they have filled it, the program starts without the whole file, and its
   * failure says why (limitNote), rather than the grading failing.
   */
  private putFile(p: string, data: Buffer): void {
    try {
      writeFileSync(p, data);
    } catch (err) {
      if (!this.o.program?.sandbox || (err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      this.filesLost = true;
    }
  }

  /** What the sandbox's limits were for this program, for its result. */
  private sandboxInfo(): SandboxInfo | undefined {
    const sb = this.o.program?.sandbox;
    if (!sb) return undefined;
    return {
      user: sb.user,
      memory: sb.memoryBytes,
      memoryBy: this.cgroup ? (sb.cgroup?.version === 1 ? 'cgroup v1' : 'cgroup v2') : 'per process',
      disk: sb.diskBytes,
      processes: LIMITS.processes,
      addressSpace: Math.max(LIMITS.addressSpaceBytes, sb.memoryBytes),
      userns: sb.closeUserns ? 'closed' : 'open',
      seccomp: seccompFilter() ? process.arch : 'none',
    };
  }

  /**
   * Said with a failure when the program ran into a limit of its sandbox, on evidence from the kernel, not from
   * anything the program printed: its cgroup counted an OOM kill, or the disk its files are on is full.
   */
  private limitNote(): string | undefined {
    const sb = this.o.program?.sandbox;
    if (!sb) return undefined;
    const notes: string[] = [];
    const mem = this.cgroup?.evidence();
    if (mem && mem.oomKills > 0) {
      this.reached.add('memory');
      notes.push(
        this.ctx.msg.usedTooMuchMemory(sizeText(sb.memoryBytes), mem.peak ? sizeText(mem.peak) : undefined),
      );
    }
    // A full disk is this program's doing only if its own files are on it; a program of the same student's
    // running alongside may have filled it (then only a grader's file it lacks is worth saying).
    const disk = diskEvidence([this.tmp, this.own]);
    if (disk.full && disk.held >= 1024 ** 2) {
      this.reached.add('disk');
      notes.push(this.ctx.msg.filledDisk(sizeText(sb.diskBytes), sizeText(disk.held)));
    }
    if (this.filesLost) notes.push(this.ctx.msg.filesNotWritten(sizeText(sb.diskBytes)));
    return notes.length ? notes.join(' ') : undefined;
  }

  private startProgram(env: Record<string, string>): void {
    const { ctx, o } = this;
    const p = o.program;
    if (!p) return;
    const argv = [...p.argv, ...o.grader.args.map((a) => ctx.template(a))];
    const outputCap = o.outputCap ?? DEFAULT_OUTPUT_CAP;
    let prog: Program;
    if (p.sandbox) {
      const sb = p.sandbox;
      // Its writable folders: the run folder (sockets and the grader's files) and, beside it, its /tmp and
      // /dev/shm, all on the worker's sized /tmp, so whatever it writes is bounded and can be measured.
      this.tmp ??= makeScratch();
      this.own = makeScratch();
      const own = { tmp: join(this.own, 'tmp'), shm: join(this.own, 'shm') };
      mkdirSync(own.tmp);
      mkdirSync(own.shm);
      const inside = sandboxEnv(
        {
          ...env,
          PATH: [...sb.path, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
          // The launcher's pipe is passed through bwrap as fd 3; its name must be set inside.
          ...(p.readinessFd ? { [READY_FD_ENV]: String(READY_FD) } : {}),
        },
        process.env.LANG,
      );
      this.cgroup = sb.cgroup
        ? programCgroup(sb.cgroup, { memoryBytes: sb.memoryBytes, processes: LIMITS.processes })
        : undefined;
      const filter = seccompFilter();
      const [command = '', ...args] = sandboxCommand(
        sb.bwrap,
        {
          kind: 'program',
          cwd: p.cwd,
          run: this.tmp,
          own,
          ro: sb.ro,
          env: inside,
          diskBytes: sb.diskBytes,
          memoryBytes: sb.memoryBytes,
          ...(this.cgroup ? { cgroupPrefix: this.cgroup.prefix } : {}),
          ...(sb.closeUserns ? { closeUserns: true } : {}),
          ...(filter ? { seccompFd: SECCOMP_FD } : {}),
        },
        argv,
      );
      prog = new Program({
        command,
        args,
        cwd: p.cwd,
        // bwrap's own environment shows as the sandbox's first process's: nothing of ours goes in.
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        outputCap,
        sandboxed: true,
        ...(filter ? { seccomp: filter } : {}),
        ...(p.readinessFd ? { readinessFd: true } : {}),
        ...(p.signalGroup ? { signalGroup: true } : {}),
      });
    } else {
      const [command = '', ...args] = argv;
      prog = new Program({
        command,
        args,
        cwd: p.cwd,
        env: scrubbedEnv(process.env, env),
        outputCap,
        ...(p.readinessFd ? { readinessFd: true } : {}),
        ...(p.verbatimArgs ? { verbatimArgs: true } : {}),
        ...(p.signalGroup ? { signalGroup: true } : {}),
      });
    }
    ctx.program = prog;
    prog.on('line', (l: { stream: 'stdout' | 'stderr'; text: string }) =>
      ctx.log({ who: 'program', kind: l.stream, text: relativeTraceback(l.text, p.cwd) }),
    );
    // A line that must answer datagrams already read is judged by the socket as it was when the line arrived.
    const drained = drainedEndpoints(o.grader.checks);
    if (drained.length)
      prog.on('line', (l: { stream: 'stdout' | 'stderr' }) => {
        if (l.stream !== 'stdout') return;
        const seen = new Map<string, { bytes: number; where: string }>();
        for (const name of drained) {
          try {
            const u = unreadAt(ctx, name);
            if (u) seen.set(name, u);
          } catch {
            // Not a UDP endpoint of the program's: the step itself says so, as a grader error.
          }
        }
        ctx.unreadAtLine.set(l, seen);
      });
    prog.on('exit', () => ctx.note(ctx.msg.programEnded(ctx.exitText() ?? '')));
  }

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
      const took = ctx.machineTook();
      ctx.expiry = undefined;
      ctx.seenLate = false;
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
          } catch (err) {
            annotate(ctx, err, step);
            throw err;
          }
        }
        // Passed, but on evidence seen only after a deadline the machine kept the grader from watching: it may
        // have come too late. Judged again, then undecidable; never a pass.
        if (ctx.seenLate) {
          if (this.external) throw new StepFail({ message: ctx.msg.tooBusyByHand });
          if (!this.retried.has('timing')) throw new Retry('timing');
          throw new StepFail({ message: ctx.msg.seenTooLate });
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
        const busy = err instanceof StepFail && tooBusyToJudge(ctx, took());
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
      ...(ctx.stretchedMs > 0 ? { stretched: Math.round(ctx.stretchedMs) } : {}),
      ...(sandbox ? { sandbox } : {}),
      ...(this.reached.size ? { stoppedBy: [...this.reached].sort() } : {}),
      ...((o.timeScale ?? 1) !== 1 ? { timeScale: o.timeScale } : {}),
    };
  }

  private async failure(err: unknown, id: string, title: string, checkHint?: string): Promise<CheckResult> {
    const { ctx, o } = this;
    if (!(err instanceof StepFail)) {
      const why = err instanceof GraderError ? err.message : String((err as Error)?.stack ?? err);
      return { id, title, status: 'error', message: ctx.msg.graderBug(why), transcript: [], duration: 0 };
    }
    const f = err.failure;
    let message = f.message;
    const prog = ctx.program;
    // A connection that closed short may be the program on its way out (its traceback, then its exit): a moment
    // to see it end, so that the message can tell the crash rather than the closed connection it left behind.
    if (prog?.running && f.closedAfter) {
      const d = deadline(ctx.ms(0.5));
      await Promise.race([prog.exited, d.promise]);
      d.cancel();
    }
    // Its last words (stderr) may still be in the pipe when the exit is known.
    if (prog && !prog.running) await prog.exited;
    // A thread of it may be dying right now, its traceback on the way: let it arrive (failures only).
    if (prog?.running) await prog.stderrSettled(ctx.ms(0.1), ctx.ms(0.5));
    const ended = prog !== undefined && !prog.running;
    // Ended other than with status 0: a crash (or a kill), not a decision of the program's.
    const died = ended && (prog.exit?.code !== 0 || Boolean(prog.exit?.signal));
    // A connection that closed short because the program ended: the ending is the story, said first.
    const toldExit = f.toldExit === true || (ended && f.closedAfter !== undefined);
    if (ended && f.closedAfter)
      message = ctx.msg.endedAfterSending(
        ctx.exitText() ?? '',
        ctx.who(f.closedAfter.conn),
        f.closedAfter.bytes,
      );
    if (f.reason !== undefined) message = ctx.msg.withReason(message, f.reason);
    // If the program died meanwhile, that is usually the real story: say so, with its last words.
    if (ended && !toldExit) message += ` ${ctx.msg.programExitedNote(ctx.exitText() ?? '')}`;
    // A limit of the sandbox it ran into is the cause of what follows: said before its last words.
    const limit = this.limitNote();
    if (limit) message += `\n${limit}`;
    // Shown in the message as the transcript shows them (see RunContext.log).
    const stderr = prog
      ? prog.stderrTail(8).map((l) => safeText(relativeTraceback(l, o.program?.cwd ?? '')))
      : [];
    if (prog && !prog.running && stderr.length)
      message += `\n${ctx.msg.stderrTail}\n${stderr.map((l) => `  ${l}`).join('\n')}`;
    // Still running, but a thread of it died with a traceback (a server's handler, say): that is the cause,
    // and what the grader saw (a reset, a silence) only its consequence.
    const crashed =
      prog?.running &&
      stderr.some((l) =>
        /^Traceback \(most recent call last\)|^Exception in thread|^[\w.]*(Error|Exception)(:|$)/.test(l),
      );
    if (crashed) message += `\n${ctx.msg.stderrMeanwhile}\n${stderr.map((l) => `  ${l}`).join('\n')}`;
    if (this.round > 1 || (o.grader.rounds ?? 1) > 1)
      message += ` ${ctx.msg.inRound(this.round, o.grader.rounds ?? 1)}`;
    const endpoints = [...ctx.endpoints.values()];
    const fromOutput = ctx.python
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
    // A server that ended on its own, cleanly, and a client of the grader found the connection closed: it
    // stopped serving, and whatever that client missed follows from that.
    const serverEnded =
      o.grader.role === 'server' &&
      (f.peerClosed === true || f.closedAfter !== undefined) &&
      !ctx.signalled &&
      prog?.exit?.code === 0 &&
      !prog.exit.signal;
    // "recv() returned b''" is advice for a program that read the close as data or stopped at it, never for one
    // that crashed: its traceback (or the check) says what went wrong.
    const hint =
      f.hint ??
      fromOutput ??
      (serverEnded ? ctx.msg.keepAcceptingHint : undefined) ??
      (f.peerClosed && !died && !crashed ? PEER_CLOSED_HINT[o.lang] : undefined) ??
      checkHint;
    const shownCmd = o.program?.shown ?? '';
    const replay =
      o.grader.role === 'client'
        ? ctx.msg.replayClient(o.exercise, o.seed, shownCmd, cliCommand())
        : `${ctx.msg.replayServer(shownCmd)} ${cliCommand()} peer ${o.exercise} --seed ${o.seed}`;
    return {
      id,
      title,
      status: 'fail',
      message,
      ...(f.expected !== undefined ? { expected: f.expected } : {}),
      ...(f.actual !== undefined ? { actual: f.actual } : {}),
      ...(f.diff ? { diff: f.diff } : {}),
      ...(f.wrongAt ? { wrongAt: f.wrongAt } : {}),
      ...(hint ? { hint } : {}),
      ...(this.external ? {} : { replay }),
      transcript: [],
      duration: 0,
    };
  }

  async teardown(): Promise<void> {
    const { ctx } = this;
    const closing: Promise<void>[] = [];
    for (const c of ctx.conns.values()) c.close();
    for (const u of ctx.udps.values()) closing.push(u.close());
    for (const ep of ctx.endpoints.values()) {
      if (ep.listener) closing.push(ep.listener.close());
      if (ep.udp) closing.push(ep.udp.close());
    }
    if (ctx.program) closing.push(ctx.program.stop());
    await Promise.all(closing);
    await this.cgroup?.remove();
    // Only now, with the program and all it started gone, may another run be handed these ports.
    releasePorts(this.picked);
    if (this.tmp) removeScratch(this.tmp);
    if (this.own) removeScratch(this.own);
    if (this.external) {
      for (const ep of ctx.endpoints.values())
        if (ep.path && ep.def.owner === 'peer') rmSync(ep.path, { force: true });
    }
  }
}
