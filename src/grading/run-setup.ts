// What a run stands on: the endpoints (peer listeners, the program's ports and paths), the program's environment
// and files, the program itself (sandboxed or not), what its sandbox reports, and the teardown of all of it.
// engine.ts runs the checks on top of it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dualStackName, LOOPBACK_BROADCAST } from '../wire/caps.js';
import { scrubbedEnv } from '../wire/env.js';
import { READY_FD, READY_FD_ENV } from '../wire/launcher.js';
import { freeTcpPort, freeTcpPortBoth, freeUdpPort, hostOf, releasePorts } from '../wire/ports.js';
import { Program } from '../wire/program.js';
import { LIMITS, sandboxCommand, sandboxEnv } from '../wire/sandbox.js';
import { type ProgramCgroup, programCgroup } from '../wire/sandbox-cgroup.js';
import { diskEvidence } from '../wire/sandbox-disk.js';
import { makeScratch, removeScratch } from '../wire/scratch.js';
import { SECCOMP_FD, seccompFilter } from '../wire/seccomp.js';
import { leaveSocketFile, PeerListener } from '../wire/stream-open.js';
import { testCerts } from '../wire/tls.js';
import { PeerUdp } from '../wire/udp.js';
import { type EndpointState, GraderError, type Retry, RunContext } from './context.js';
import type { LimitsReached } from './failure.js';
import { relativeTraceback } from './hints.js';
import type { SandboxInfo, TranscriptEntry } from './results.js';
import { intIn, rngFor } from './rng.js';
import type { Lang } from './schema/course.js';
import type { Grader } from './schema/grader.js';
import type { ProgramSandboxing } from './schema/worker.js';
import { drainedEndpoints, unreadAt } from './steps/index.js';

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
/** How a program is sandboxed: declared once, as the schema the worker is handed it with. */
export type { ProgramSandboxing };

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

export class RunSetup {
  readonly ctx: RunContext;
  protected tmp: string | undefined;
  /** Ports picked for the program or as closed ones, given back at teardown. */
  protected readonly picked: number[] = [];
  protected readonly external: boolean;
  /** The sandboxed program's own /tmp and /dev/shm, on the worker's sized /tmp, next to the run folder. */
  protected own: string | undefined;
  /** The sandboxed program's memory cgroup, where one could be made. */
  protected cgroup: ProgramCgroup | undefined;
  /** Limits the sandboxed program ran into (see limitNote). */
  protected readonly reached = new Set<'memory' | 'disk'>();
  /** A grader's file could not be written: the student's disk was full before the program started. */
  protected filesLost = false;

  constructor(
    protected readonly o: RunOptions,
    /** Why the scenario has already been run again: each reason once. */
    protected readonly retried: ReadonlySet<Retry['reason']>,
    readonly round = 1,
  ) {
    this.ctx = new RunContext(o.grader, o.seed, o.lang, o.timeScale ?? 1, o.onEvent);
    this.ctx.python = o.program?.python ?? true;
    this.external = o.program === undefined;
  }

  protected async setupEndpoints(): Promise<void> {
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
  protected async broadcastReceivers(
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

  protected programEnv(): Record<string, string> {
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
  protected putFile(p: string, data: Buffer): void {
    try {
      writeFileSync(p, data);
    } catch (err) {
      if (!this.o.program?.sandbox || (err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      this.filesLost = true;
    }
  }

  /** What the sandbox's limits were for this program, for its result. */
  protected sandboxInfo(): SandboxInfo | undefined {
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
   * The limits of its sandbox the program ran into, on evidence from the kernel, not from anything the program
   * printed: its cgroup counted an OOM kill, or the disk its files are on is full.
   */
  protected limitsReached(): LimitsReached {
    const sb = this.o.program?.sandbox;
    if (!sb) return {};
    const l: LimitsReached = {};
    const mem = this.cgroup?.evidence();
    if (mem && mem.oomKills > 0) {
      this.reached.add('memory');
      l.memory = { limit: sb.memoryBytes, peak: mem.peak };
    }
    // A full disk is this program's doing only if its own files are on it; a program of the same student's
    // running alongside may have filled it (then only a grader's file it lacks is worth saying).
    const disk = diskEvidence([this.tmp, this.own]);
    if (disk.full && disk.held >= 1024 ** 2) {
      this.reached.add('disk');
      l.disk = { limit: sb.diskBytes, held: disk.held };
    }
    if (this.filesLost) l.filesLost = { limit: sb.diskBytes };
    return l;
  }

  protected startProgram(env: Record<string, string>): void {
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
