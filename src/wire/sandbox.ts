// The sandbox every graded program runs in under `grade`, built on bubblewrap (the tool Flatpak uses), not on a
// container runtime of our own. Two layers:
//
// - A worker per student runs in its own user and network namespace (only loopback), with a private /tmp. The
//   reference peers and the student's programs meet on that loopback and nowhere else.
// - Each program the worker starts runs in a further sandbox that shares only that network: its own PID, IPC, UTS
//   and mount namespaces, a read-only view of the system and of its own submission, a private writable scratch
//   folder, an environment built from nothing, a new session, and resource limits. In its own PID namespace it
//   cannot see, signal or stop the worker or the grader (so it cannot write into their pipes through /proc or read
//   their environment), and when its sandbox ends, everything it started ends with it, daemons included.
//
// The worker's own sandbox does not mount a new /proc: a nested sandbox may only mount its /proc where the
// parent's is fully visible, and the worker needs the kernel's socket tables of its network namespace, which
// /proc/net shows to any process that lives there.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { onPath } from './python.js';

/**
 * Limits inside a program's sandbox, named in the README. Generous for any correct exercise (the busiest runs 64
 * threads and moves a few MiB), tight for a fork bomb, a memory hog, a disk filler or a spinning loop.
 */
export const LIMITS = {
  /** Processes and threads of the sandbox's user (RLIMIT_NPROC; not enforced by Linux for root, see README). */
  processes: 256,
  /** Address space per process (RLIMIT_AS). */
  memoryBytes: 2 * 1024 ** 3,
  /** Open file descriptors per process (RLIMIT_NOFILE). */
  openFiles: 1024,
  /** Largest file a process may write (RLIMIT_FSIZE). */
  fileBytes: 16 * 1024 ** 2,
  /** CPU seconds per process (RLIMIT_CPU): well above any exercise's budgets. */
  cpuSeconds: 120,
  /** Size of the private /tmp (memory-backed). */
  tmpBytes: 64 * 1024 ** 2,
} as const;

export type SandboxCheck = { ok: true; bwrap: string } | { ok: false; reason: string; fix: string };

let checked: SandboxCheck | undefined;

/**
 * Can this machine run the sandbox? Asked by trying both layers once, since permission depends on the kernel's
 * settings (unprivileged user namespaces, AppArmor rules) rather than on anything a file says.
 */
export function sandboxSupport(): SandboxCheck {
  if (checked) return checked;
  checked = probe();
  return checked;
}

function probe(): SandboxCheck {
  if (process.platform !== 'linux')
    return {
      ok: false,
      reason: `the sandbox needs Linux namespaces; this is ${process.platform}`,
      fix: 'grade on Linux, or pass --no-sandbox to grade without isolation on purpose',
    };
  // SOCKETLINGS_BWRAP names another bwrap (installed somewhere unusual), or a missing one to try the refusal.
  const wanted = process.env.SOCKETLINGS_BWRAP;
  const bwrap = onPath(wanted || 'bwrap');
  if (!bwrap)
    return {
      ok: false,
      reason: wanted ? `bubblewrap not found at ${wanted}` : 'bubblewrap (bwrap) is not installed',
      fix: 'install it (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap), or pass --no-sandbox',
    };
  // Both layers at once: the worker's (user + network namespace) and, inside it, a program's (PID namespace and
  // a fresh /proc), which is where restrictive kernels say no.
  const inner = programSandboxArgs({ cwd: '/', scratch: undefined, ro: [], env: {} });
  const r = spawnSync(bwrap, [...workerSandboxArgs(), '--', bwrap, ...inner, '--', 'sh', '-c', 'exit 0'], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  if (r.status === 0) return { ok: true, bwrap };
  const why = (r.stderr || r.error?.message || `bwrap exited with ${r.status}`).trim().split('\n')[0];
  return {
    ok: false,
    reason: `bubblewrap cannot make namespaces here: ${why}`,
    fix: 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0), or pass --no-sandbox',
  };
}

/**
 * bwrap options for a student's worker: its own user and network namespaces (bwrap brings loopback up), a private
 * /tmp that disappears with it, and death with its parent so that killing the grader ends every student's run.
 * `show` are folders the worker reads (the submissions, the course, this package, the interpreter): shown again
 * on top of the private /tmp, read-only, since any of them may live under /tmp.
 */
export function workerSandboxArgs(show: string[] = []): string[] {
  const args = [
    '--unshare-user',
    '--unshare-net',
    '--die-with-parent',
    '--dev-bind',
    '/',
    '/',
    '--tmpfs',
    '/tmp',
  ];
  for (const p of new Set(show)) if (p.startsWith('/tmp/') && existsSync(p)) args.push('--ro-bind', p, p);
  return args;
}

/** Folders of the system a program may read: where interpreters, their libraries and their settings live. */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

export interface ProgramSandbox {
  /** The program's working folder (its submission): read-only. */
  cwd: string;
  /** The run's scratch folder (sockets and grader files live here): writable. */
  scratch: string | undefined;
  /** More folders to show read-only: the interpreter's prefix, the launcher's folder. */
  ro: string[];
  /** The program's whole environment; nothing else is passed. */
  env: Record<string, string>;
}

function bindSystem(path: string, args: string[]): void {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  // On merged-/usr systems /bin and /lib are links into /usr: keep them links, as the programs expect.
  if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
  else args.push('--ro-bind', path, path);
}

/**
 * bwrap options for one program, to be followed by `--` and its command. The limits are set by util-linux
 * `prlimit`, which then execs the program: no process of ours stays between the sandbox and the program.
 */
export function programSandboxArgs(s: ProgramSandbox): string[] {
  const args = [
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
  ];
  for (const [k, v] of Object.entries(s.env)) args.push('--setenv', k, v);
  for (const p of SYSTEM) bindSystem(p, args);
  const shown = new Set<string>();
  for (const p of s.ro) {
    if (!p || shown.has(p) || !existsSync(p) || SYSTEM.some((d) => p === d || p.startsWith(`${d}/`)))
      continue;
    shown.add(p);
    args.push('--ro-bind', p, p);
  }
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--size', String(LIMITS.tmpBytes), '--tmpfs', '/tmp');
  args.push('--ro-bind', s.cwd, s.cwd);
  if (s.scratch) args.push('--bind', s.scratch, s.scratch);
  args.push('--chdir', s.cwd);
  return args;
}

/** `prlimit` and its options, to stand between `--` and the program's own command. */
export function limitArgv(): string[] {
  return [
    'prlimit',
    `--nproc=${LIMITS.processes}`,
    `--as=${LIMITS.memoryBytes}`,
    `--nofile=${LIMITS.openFiles}`,
    `--fsize=${LIMITS.fileBytes}`,
    `--cpu=${LIMITS.cpuSeconds}`,
    '--',
  ];
}

/**
 * Folders an interpreter needs besides the system's: its prefix (a pyenv or venv install, a Node under $HOME).
 * For Python, the interpreter is asked; for anything else, the folder above the executable's `bin`.
 */
export function runtimeFolders(command: string): string[] {
  const exe = onPath(command);
  if (!exe) return [];
  let real: string;
  try {
    real = realpathSync(exe);
  } catch {
    return [];
  }
  const out = new Set<string>([dirname(exe), dirname(real), resolve(dirname(real), '..')]);
  if (/python/i.test(command) || /python/i.test(real)) {
    const r = spawnSync(
      exe,
      ['-c', 'import sys; print(sys.prefix); print(sys.base_prefix); print(sys.exec_prefix)'],
      { encoding: 'utf8', timeout: 10_000 },
    );
    if (r.status === 0) for (const line of r.stdout.split('\n')) if (line.trim()) out.add(line.trim());
  }
  return [...out];
}

/** The environment a program starts with inside the sandbox, built from nothing. */
export function sandboxEnv(extra: Record<string, string>, lang: string | undefined): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: '/tmp',
    TMPDIR: '/tmp',
    LANG: lang && /^[\w.@-]+$/.test(lang) ? lang : 'C.UTF-8',
    PYTHONUNBUFFERED: '1',
    PYTHONIOENCODING: 'utf-8',
    PYTHONDONTWRITEBYTECODE: '1',
    ...extra,
  };
}

/**
 * Linux does not apply RLIMIT_NPROC to root, so when the grader runs as root (a CI container) the process limit
 * comes from a pids cgroup instead, where the machine lets us make one: a folder under the pids controller whose
 * pids.max caps everything started inside it. Undefined where there is none (the README says what that means).
 */
export function pidsCgroupBase(): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const candidates = ['/sys/fs/cgroup/pids'];
  try {
    // cgroup v2: our own group, if it hands the pids controller to groups below it.
    const own = /^0::(\/.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    const base = own ? join('/sys/fs/cgroup', own) : undefined;
    if (base && /\bpids\b/.test(readFileSync(join(base, 'cgroup.subtree_control'), 'utf8')))
      candidates.push(base);
  } catch {
    // no cgroup v2 here
  }
  for (const base of candidates) {
    const probe = join(base, `socketlings-probe-${process.pid}`);
    try {
      mkdirSync(probe);
      writeFileSync(join(probe, 'pids.max'), '8');
      rmdirSync(probe);
      return base;
    } catch {
      try {
        rmdirSync(probe);
      } catch {
        // never made
      }
    }
  }
  return undefined;
}

/** A fresh pids cgroup for one program, and the shell words that move the program into it before it starts. */
export function pidsCgroup(
  base: string,
): { dir: string; prefix: string[]; remove: () => Promise<void> } | undefined {
  const dir = join(base, `socketlings-${randomUUID()}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'pids.max'), String(LIMITS.processes));
  } catch {
    return undefined;
  }
  return {
    dir,
    // The shell moves itself in, then becomes bwrap: nothing can fork before it is inside.
    prefix: ['/bin/sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', dir],
    // Called once the program's sandbox is gone; the group can stay busy for a moment while the kernel finishes
    // reaping, so the removal is tried again a few times.
    remove: async () => {
      for (let i = 0; i < 50; i++) {
        try {
          rmdirSync(dir);
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    },
  };
}
