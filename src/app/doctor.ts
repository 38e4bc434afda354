// What `doctor` reports: versions, the interpreter, the course pack, and a live loopback self-test that moves real
// bytes over each transport the course uses.
import { join } from 'node:path';
import type { SandboxInfo } from '../grading/results.js';
import type { Lang } from '../grading/schema/course.js';
import { formatFileError } from '../grading/schema/load.js';
import { sizeText } from '../grading/text.js';
import { hasCapability } from '../wire/caps.js';
import { METHODS, type Methods, PORTABLE } from '../wire/platform.js';
import type { Family } from '../wire/ports.js';
import { askPython, findPython, isSupportedPython, OLDEST_PYTHON_TEXT } from '../wire/python.js';
import { LIMITS, sandboxSupport } from '../wire/sandbox.js';
import { makeScratch, removeScratch } from '../wire/scratch.js';
import { seccompFilter } from '../wire/seccomp.js';
import { connectTo, PeerListener, type StreamTarget } from '../wire/stream-open.js';
import { PeerUdp } from '../wire/udp.js';
import { loadCourse } from './course.js';
import { sandboxPlan } from './isolated.js';
import { courseDir } from './select.js';

export type Outcome = { status: 'ok' | 'skip' | 'fail'; detail: string };

export interface DoctorReport {
  socketlings: string;
  node: { version: string; path: string };
  platform: string;
  python:
    | {
        found: true;
        version: string;
        path: string;
        command: string;
        from: string;
        /** Whether the version is one socketlings supports: `oldest` or newer. */
        supported: boolean;
        oldest: string;
      }
    | { found: false; tried: string[] };
  course: {
    dir: string;
    builtin: boolean;
    valid: boolean;
    id?: string;
    version?: string;
    lessons?: number;
    exercises?: number;
    errors?: string[];
  };
  selfTest: Record<'tcp-ipv4' | 'tcp-ipv6' | 'udp-ipv4' | 'unix', Outcome>;
  /**
   * Whether `grade` can sandbox programs here (wire/sandbox.ts), and if not, why and what fixes it; where it can,
   * whom programs run as and the limits they get with the default options, and where their cgroups would go.
   */
  sandbox: Outcome & { fix?: string; limits?: SandboxInfo; cgroup?: string };
  lang: Lang;
  /** How readiness is observed and the program stopped on this machine, and why that way. */
  methods: Methods & { portable: boolean; why: string };
}

const BUDGET_MS = 2000;
const noop = () => {};

async function streamRoundTrip(target: { family: Family } | { path: string }): Promise<Outcome> {
  const listener = await PeerListener.open(target, noop);
  try {
    const deadline = Date.now() + BUDGET_MS;
    const to: StreamTarget =
      'path' in target ? { path: target.path } : { port: listener.port, family: target.family };
    const client = await connectTo('doctor', to, noop, deadline);
    if (client instanceof Error)
      return { status: 'fail', detail: `connect: ${client.code ?? client.message}` };
    const server = await listener.accept('doctor-server', deadline);
    if (!server) return { status: 'fail', detail: 'accept timed out' };
    await client.write([Buffer.from('ping\n')], [0]);
    await server.until(() => server.buf.length >= 5, deadline);
    await server.write([Buffer.from('pong\n')], [0]);
    await client.until(() => client.buf.length >= 5, deadline);
    client.close();
    const ok = server.buf.toString() === 'ping\n' && client.buf.toString() === 'pong\n';
    return ok
      ? { status: 'ok', detail: 'ping/pong exchanged' }
      : { status: 'fail', detail: 'bytes did not arrive intact' };
  } catch (err) {
    return { status: 'fail', detail: String((err as Error).message) };
  } finally {
    await listener.close();
  }
}

async function udpRoundTrip(): Promise<Outcome> {
  const a = await PeerUdp.open('a', 'ipv4', noop);
  const b = await PeerUdp.open('b', 'ipv4', noop);
  try {
    await a.sendTo(Buffer.from('ping'), { address: '127.0.0.1', port: b.port });
    const r = await b.next(Date.now() + BUDGET_MS);
    const d = b.shift();
    if (r === 'timeout' || !d) return { status: 'fail', detail: 'datagram did not arrive' };
    return d.data.toString() === 'ping'
      ? { status: 'ok', detail: 'datagram delivered' }
      : { status: 'fail', detail: 'datagram changed' };
  } finally {
    await a.close();
    await b.close();
  }
}

export async function selfTest(): Promise<DoctorReport['selfTest']> {
  const ipv6 = await hasCapability('ipv6');
  const unix = await hasCapability('unix');
  const tmp = makeScratch();
  try {
    return {
      'tcp-ipv4': await streamRoundTrip({ family: 'ipv4' }),
      'tcp-ipv6': ipv6.ok
        ? await streamRoundTrip({ family: 'ipv6' })
        : { status: 'skip', detail: ipv6.reason },
      'udp-ipv4': await udpRoundTrip(),
      unix: unix.ok
        ? await streamRoundTrip({ path: join(tmp, 'doctor.sock') })
        : { status: 'skip', detail: unix.reason },
    };
  } finally {
    removeScratch(tmp);
  }
}

function sandboxOutcome(lang: Lang): DoctorReport['sandbox'] {
  const plan = sandboxPlan({}, lang);
  const s = sandboxSupport(plan.user);
  if (!s.ok) return { status: 'skip', detail: s.reason, fix: s.fix };
  const limits: SandboxInfo = {
    user: plan.shownUser,
    memory: plan.memoryBytes,
    memoryBy: plan.cgroup ? `cgroup v${plan.cgroup.version}` : 'per process',
    disk: plan.diskBytes,
    processes: LIMITS.processes,
    addressSpace: Math.max(LIMITS.addressSpaceBytes, plan.memoryBytes),
    userns: s.closesUserns ? 'closed' : 'open',
    seccomp: seccompFilter() ? process.arch : 'none',
  };
  const memory = plan.cgroup
    ? `memory ${sizeText(plan.memoryBytes)} per program's process tree (a cgroup v${plan.cgroup.version} under ${plan.cgroup.dir})`
    : `memory: no cgroup can be made here, so ${sizeText(limits.addressSpace)} of address space per process`;
  const user = `programs run as ${plan.shownUser}${plan.user ? ' (the grader is root)' : ''}`;
  return {
    status: 'ok',
    detail: `bubblewrap (${s.bwrap}): namespaces work; ${user}; ${memory}; ${LIMITS.processes} processes; disk ${sizeText(plan.diskBytes)}; userns=${limits.userns}; seccomp=${limits.seccomp}`,
    limits,
    ...(plan.cgroup ? { cgroup: plan.cgroup.dir } : {}),
  };
}

function methodsWhy(): string {
  if (process.platform !== 'linux') return `${process.platform} has no /proc`;
  if (process.env.SOCKETLINGS_PORTABLE === '1') return 'SOCKETLINGS_PORTABLE=1';
  return PORTABLE ? '/proc is not readable here' : 'Linux';
}

export async function doctorReport(o: {
  course?: string | undefined;
  cwd: string;
  lang: Lang;
  version: string;
}): Promise<DoctorReport> {
  const found = findPython();
  // Doctor does ask the version: it is what a bug report needs, and an interpreter that will not start shows here.
  const asked = found.ok ? askPython(found.python.argv) : undefined;
  const py: typeof found = found.ok && !asked ? { ok: false, tried: [found.python.argv.join(' ')] } : found;
  const dir = courseDir(o);
  const loaded = loadCourse(dir, o.cwd, { graders: true });
  return {
    socketlings: o.version,
    node: { version: process.version, path: process.execPath },
    platform: `${process.platform} ${process.arch}`,
    python: py.ok
      ? {
          found: true,
          version: asked?.version ?? '',
          path: asked?.path ?? py.python.path,
          command: py.python.argv.join(' '),
          from: process.env.SOCKETLINGS_PYTHON ? 'SOCKETLINGS_PYTHON' : 'PATH',
          supported: isSupportedPython(asked?.version ?? ''),
          oldest: OLDEST_PYTHON_TEXT,
        }
      : { found: false, tried: py.tried },
    course: loaded.ok
      ? {
          dir,
          builtin: !o.course,
          valid: true,
          id: loaded.value.id,
          version: loaded.value.version,
          lessons: loaded.value.lessons.length,
          exercises: loaded.value.exercises.length,
        }
      : { dir, builtin: !o.course, valid: false, errors: loaded.errors.map(formatFileError) },
    selfTest: await selfTest(),
    sandbox: sandboxOutcome(o.lang),
    lang: o.lang,
    methods: { ...METHODS, portable: PORTABLE, why: methodsWhy() },
  };
}
