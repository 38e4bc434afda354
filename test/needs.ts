// What a test needs from the machine, found by trying it. Where something is missing the test is skipped with the
// reason, which the reporters print (`test/skip-reasons.ts`, `.ci/run`). Under CI=true a need that this platform
// can meet (a tool CI installs, a kernel feature its runners have) fails the test instead, naming what is missing:
// a skip there would hide a broken install behind a green run. What a platform cannot have (bubblewrap on macOS,
// tmux or POSIX signals on Windows) is skipped with its reason everywhere.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter } from 'node:path';
import type { TestOptions } from 'vitest';
import { signalsCapability } from '../src/wire/caps.js';
import { findPython, isSupportedPython } from '../src/wire/python.js';
import { sandboxSupport } from '../src/wire/sandbox.js';
import { supportedPythons, unsupportedPythonPresent } from './pythons.js';

declare module 'vitest' {
  interface TaskMeta {
    /** Why the test was skipped on this machine. */
    skipped?: string;
    /** Why the test cannot run here although CI must run it; `test/setup.ts` fails it with this. */
    missingInCi?: string;
  }
}

export interface Need {
  /** What the test needs, as the reason names it: "tmux", "bubblewrap's sandbox". */
  name: string;
  /** Why it is not here; undefined when it is. */
  missing: string | undefined;
  /** CI on this platform has it, so that its absence there is a failure, not a skip. */
  inCi: boolean;
}

export const IN_CI = /^(1|true)$/i.test(process.env.CI ?? '');

const linux = process.platform === 'linux';
const windows = process.platform === 'win32';

/** Options for `test` / `describe`: run, skip with the reason, or (in CI, for what CI must have) fail. */
export function needs(...all: Need[]): TestOptions {
  const missing = all.filter((n) => n.missing !== undefined);
  if (missing.length === 0) return {};
  const why = missing.map((n) => `needs ${n.name}: ${n.missing}`).join('; ');
  if (IN_CI && missing.some((n) => n.inCi))
    return { meta: { missingInCi: `CI must run this test, but it ${why}` } };
  return { skip: true, meta: { skipped: why } };
}

function once(make: () => Need): () => Need {
  let known: Need | undefined;
  return () => {
    known ??= make();
    return known;
  };
}

const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** Python 3, as the grader finds it (SOCKETLINGS_PYTHON, python3, python, py -3). */
export const python = once(() => {
  const found = findPython();
  return {
    name: 'Python 3',
    missing: found.ok ? undefined : `none found (tried: ${found.tried.join(', ')})`,
    inCi: true,
  };
});

/** The interpreter for programs a test starts itself, named as the grader's default would be. */
export const PYTHON = process.env.SOCKETLINGS_PYTHON?.trim() || (windows ? 'python' : 'python3');

/** A pseudo-terminal driven through tmux (test/tmux.ts). */
export const tmux = once(() => ({
  name: 'tmux',
  missing: works('tmux', ['-V'])
    ? undefined
    : windows
      ? 'tmux does not run on Windows'
      : 'tmux is not installed (Debian: apt-get install tmux; macOS: brew install tmux)',
  inCi: !windows,
}));

/** The sandbox `grade` uses for a batch: Linux namespaces through bubblewrap, as the grader itself checks. */
export const sandbox = once(() => {
  const s = sandboxSupport();
  return { name: "bubblewrap's sandbox", missing: s.ok ? undefined : s.reason, inCi: linux };
});

/** POSIX signals a running program can catch (SIGINT, SIGTERM), as the grader and socketlings itself use them. */
export const signals = once(() => {
  const r = signalsCapability();
  return { name: 'POSIX signals', missing: r.ok ? undefined : r.reason, inCi: !windows };
});

/** /bin/sh, for the shell lines, scripts with a #! line and `--run` commands tests start. */
export const shell = once(() => ({
  name: 'a POSIX shell (/bin/sh)',
  missing: existsSync('/bin/sh') ? undefined : `there is no /bin/sh on ${process.platform}`,
  inCi: !windows,
}));

/** os.fork() in Python: programs that start children or daemons of their own. */
export const fork = once(() => ({
  name: "Python's os.fork()",
  missing: windows ? 'Windows has no fork()' : undefined,
  inCi: !windows,
}));

/**
 * POSIX sockets, as the course teaches them: Winsock differs where the exercises' programs differ (a second socket
 * may take a port in use with SO_REUSEADDR, there is no SO_REUSEPORT, no AF_UNIX in Python, no fork), so the whole
 * course's programs are judged where POSIX sockets are.
 */
export const posixSockets = once(() => ({
  name: 'POSIX sockets',
  missing: windows ? 'Windows sockets (Winsock) differ from POSIX sockets where the course goes' : undefined,
  inCi: !windows,
}));

/** AF_UNIX sockets for Python programs (exercises on them are skipped where there are none). */
export const unixSockets = once(() => ({
  name: 'AF_UNIX sockets',
  missing: windows ? 'Python has no AF_UNIX on Windows, so those exercises are skipped there' : undefined,
  inCi: !windows,
}));

/**
 * POSIX files and names: FIFOs, devices, symbolic links anyone may make, permission bits, and any byte but / and
 * NUL in a file name; and paths shown with "/", as the tests' expected texts write them.
 */
export const posixFiles = once(() => ({
  name: 'POSIX files and paths',
  missing: windows
    ? 'Windows has no FIFOs or permission bits, restricts names and links, and shows paths with \\'
    : undefined,
  inCi: !windows,
}));

/** File names that need not be valid UTF-8 (Linux; macOS's file systems refuse them). */
export const anyByteNames = once(() => ({
  name: 'file names of any bytes',
  missing: linux ? undefined : `${process.platform}'s file systems take only valid UTF-8 names`,
  inCi: linux,
}));

/** The kernel's socket tables in /proc/net (Linux). */
export const procNet = once(() => ({
  name: "the kernel's socket tables in /proc/net",
  missing: existsSync('/proc/net/tcp') ? undefined : `${process.platform} has no /proc/net`,
  inCi: linux,
}));

/** The kernel's lists of each thread's children (/proc/<pid>/task/<tid>/children, Linux's CONFIG_PROC_CHILDREN). */
export const childLists = once(() => ({
  name: "the kernel's lists of a process's children",
  missing: existsSync(`/proc/${process.pid}/task/${process.pid}/children`)
    ? undefined
    : `${process.platform === 'linux' ? 'this kernel' : process.platform} does not list them`,
  inCi: linux,
}));

/** The grader's Linux way: socket tables and processes read from /proc, unless SOCKETLINGS_PORTABLE=1. */
export const procfs = once(() => ({
  name: "the grader's /proc way",
  missing:
    procNet().missing ??
    (process.env.SOCKETLINGS_PORTABLE === '1' ? 'SOCKETLINGS_PORTABLE=1 grades the portable way' : undefined),
  inCi: linux && process.env.SOCKETLINGS_PORTABLE !== '1',
}));

/** Linux's own sockets: the lessons' claims name its errno numbers and its behaviour. */
export const linuxSockets = once(() => ({
  name: "Linux's sockets",
  missing: linux ? undefined : `the lessons show what Linux does; this is ${process.platform}`,
  inCi: linux,
}));

/** iproute2's `ss`, which lessons use to show socket states. */
export const ss = once(() => ({
  name: 'ss (iproute2)',
  missing: works('ss', ['-V'])
    ? undefined
    : linux
      ? 'ss is not installed (Debian: apt-get install iproute2)'
      : `ss is Linux's`,
  inCi: linux,
}));

/** A fresh network namespace of one's own (`unshare -rn`) with `ip` to bring its loopback up. */
export const netns = once(() => ({
  name: 'a network namespace of its own (unshare -rn, ip)',
  missing: !linux
    ? `network namespaces are Linux's; this is ${process.platform}`
    : !works('ip', ['-V'])
      ? 'ip is not installed (Debian: apt-get install iproute2)'
      : works('unshare', ['-rn', 'true'])
        ? undefined
        : 'unshare -rn fails here: user namespaces are not allowed (kernel.unprivileged_userns_clone, AppArmor)',
  inCi: linux,
}));

let v6: Promise<boolean> | undefined;
/** IPv6 loopback (::1); every CI runner has it. */
export async function ipv6(): Promise<Need> {
  v6 ??= new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: '::1', port: 0 }, () => srv.close(() => resolve(true)));
  });
  return {
    name: 'IPv6 loopback',
    missing: (await v6) ? undefined : 'nothing can listen on ::1 here',
    inCi: true,
  };
}

/** The absolute path of util-linux's runuser, where there is one. */
export const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p));

/** Root, to drop to user nobody (runuser): what an unprivileged grader sees. */
export const rootWithRunuser = once(() => {
  const root = process.getuid?.() === 0;
  return {
    name: 'root, with runuser',
    missing: !root
      ? 'not running as root (the hosted workflow runs these in its root job)'
      : RUNUSER && works(RUNUSER, ['--help'])
        ? undefined
        : 'runuser (util-linux) is not installed',
    // Only root can be asked to have runuser: a non-root CI run leaves these to its root job.
    inCi: root && linux,
  };
});

/** Root itself: what a grader in a container or a CI image is (and the tests that check what root must not keep). */
export const rootUser = once(() => ({
  name: 'root',
  missing:
    process.getuid?.() === 0
      ? undefined
      : 'not running as root (the hosted workflow runs these in its root job)',
  // Only a root run can be asked to be root: a non-root CI run leaves these to its root job.
  inCi: process.getuid?.() === 0 && linux,
}));

/** A CPython older than the oldest supported one, to show what an older interpreter gets told. */
export const olderPython = once(() => {
  const old = unsupportedPythonPresent();
  return {
    name: 'a Python older than 3.11',
    missing: old ? undefined : 'none here (pyenv has them: pyenv install 3.10)',
    // Hosted runners have only the versions they set up; the machines .ci/run runs on have pyenv's 3.9 and 3.10.
    inCi: false,
  };
});

let versions: Map<string, string> | undefined;

/**
 * Every supported CPython version this machine has, each with one interpreter (test/pythons.ts: PATH, pyenv's),
 * and those SOCKETLINGS_TEST_PYTHONS lists (separated as PATH is; the hosted workflow names its second one there).
 */
export function pythons(): Map<string, string> {
  if (versions) return versions;
  versions = new Map();
  for (const p of supportedPythons()) {
    const minor = p.version.split('.').slice(0, 2).join('.');
    if (!versions.has(minor)) versions.set(minor, p.path);
  }
  for (const listed of (process.env.SOCKETLINGS_TEST_PYTHONS ?? '').split(delimiter).filter(Boolean)) {
    const r = spawnSync(listed, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
    });
    const minor = r.status === 0 ? r.stdout.trim() : '';
    if (minor && isSupportedPython(`${minor}.0`) && !versions.has(minor)) versions.set(minor, listed);
  }
  return versions;
}

/** Two Python versions at least, to show the launcher behaves alike on each. */
export const secondPython = once(() => {
  const found = [...pythons().keys()];
  return {
    name: 'a second Python 3 version',
    missing:
      found.length >= 2
        ? undefined
        : `only ${found.join(', ') || 'no supported Python'} here (install another CPython 3.11+: pyenv, python3.X on PATH, or name it in SOCKETLINGS_TEST_PYTHONS)`,
    inCi: true,
  };
});

/** Opt-in runs: the soak takes minutes, so only `npm run soak` and CI (SOCKETLINGS_SOAK=1) run it. */
export const soak = once(() => ({
  name: 'SOCKETLINGS_SOAK=1',
  missing:
    process.env.SOCKETLINGS_SOAK === '1'
      ? undefined
      : 'the soak runs with `npm run soak`, in .ci/run and in the hosted workflow on Linux',
  inCi: false,
}));
