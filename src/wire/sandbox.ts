// The sandbox every graded program runs in under `grade`, built on bubblewrap (the tool Flatpak uses), not on a
// container runtime of our own. Two layers:
//
// - A worker per student runs in its own network namespace (only loopback), with a private, sized /tmp. The
//   reference peers and the student's programs meet on that loopback and nowhere else. A root grader sets it up
//   with root's rights and then drops to an unprivileged user (nobody unless told otherwise) with no capabilities;
//   any other grader runs it in a user namespace of its own uid.
// - Each program the worker starts runs in a further sandbox that shares only that network: its own user (no
//   capabilities), PID, IPC, UTS and mount namespaces, a read-only view of the system and of its own submission,
//   a writable run folder, /tmp and /dev/shm on the worker's sized /tmp, an environment built from nothing, a new
//   session, resource limits, and where one can be made a memory cgroup (sandbox-cgroup.ts). In its own PID
//   namespace it cannot see, signal or stop the worker or the grader (so it cannot write into their pipes through
//   /proc or read their environment), and when its sandbox ends, everything it started ends with it, daemons
//   included. Whoever grades, it is never root: not in /proc/sys, not for root-only files.
//
// The worker's own sandbox does not mount a new /proc: a nested sandbox may only mount its /proc where the
// parent's is fully visible, and the worker needs the kernel's socket tables of its network namespace, which
// /proc/net shows to any process that lives there.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { onPath } from './python.js';

/**
 * Limits inside a program's sandbox that no option changes, named in the README. Generous for any correct exercise
 * (the busiest runs 64 threads and moves a few MiB), tight for a fork bomb or a spinning loop.
 */
export const LIMITS = {
  /** Processes and threads of the sandbox's user in its own user namespace (RLIMIT_NPROC). */
  processes: 256,
  /** Address space per process (RLIMIT_AS), or the memory limit where that is larger. */
  addressSpaceBytes: 2 * 1024 ** 3,
  /** Open file descriptors per process (RLIMIT_NOFILE). */
  openFiles: 1024,
  /** Largest file a process may write (RLIMIT_FSIZE), or the disk limit where that is smaller. */
  fileBytes: 16 * 1024 ** 2,
  /** CPU seconds per process (RLIMIT_CPU): well above any exercise's budgets. */
  cpuSeconds: 120,
} as const;

/**
 * The limits `--memory` and `--disk` set. No exercise of the course comes near them: the largest reference
 * solution peaks at 18 MiB for its whole tree (event-echo), and none writes a file (the grader's own files are 400 KB at most).
 */
export const DEFAULT_MEMORY = 512 * 1024 ** 2;
export const DEFAULT_DISK = 64 * 1024 ** 2;

/** Who graded programs (and their workers) run as when the grader is root. */
export interface SandboxUser {
  uid: number;
  gid: number;
  /** For people: `nobody`, or the number when the system has no name for it. */
  name: string;
}

/** `nobody`, as on nearly every Linux: uid and gid 65534. */
export const NOBODY: SandboxUser = { uid: 65534, gid: 65534, name: 'nobody' };

/** The name /etc/passwd gives a uid, if any. */
export function userName(uid: number): string | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && Number(id) === uid && id !== '') return name;
    }
  } catch {
    // No passwd file: the number it is.
  }
  return undefined;
}

/** `UID[:GID]` or a user name (its own group then), as the system knows it; undefined when unknown. */
export function lookupUser(spec: string): SandboxUser | undefined {
  const numeric = /^(\d+)(?::(\d+))?$/.exec(spec);
  if (numeric) {
    const uid = Number(numeric[1]);
    const gid = numeric[2] !== undefined ? Number(numeric[2]) : uid;
    return { uid, gid, name: userName(uid) ?? String(uid) };
  }
  if (!/^[A-Za-z_][\w.-]*$/.test(spec)) return undefined;
  // `id` asks the system's name service, so users from LDAP and the like count too.
  const ask = (flag: string) => spawnSync('id', [flag, spec], { encoding: 'utf8', timeout: 5000 });
  const u = ask('-u');
  const g = ask('-g');
  if (u.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()), name: spec };
}

/** Root grades: programs then run as another user (see WorkerSandbox). */
export const graderIsRoot = () => process.platform === 'linux' && process.getuid?.() === 0;

export type SandboxCheck =
  | {
      ok: true;
      bwrap: string;
      /**
       * bwrap can keep a program from making user namespaces of its own (--disable-userns, bubblewrap 0.8 and
       * newer): inside one it would hold every capability again, and the kernel code that opens to them.
       */
      closesUserns: boolean;
    }
  | { ok: false; reason: string; fix: string };

const checked = new Map<string, SandboxCheck>();

/**
 * Can this machine run the sandbox, as this user? Asked by trying both layers once, since permission depends on
 * the kernel's settings (unprivileged user namespaces, AppArmor rules) rather than on anything a file says.
 */
export function sandboxSupport(user?: SandboxUser): SandboxCheck {
  const key = user ? `${user.uid}:${user.gid}` : '';
  let c = checked.get(key);
  if (!c) {
    c = probe(user);
    checked.set(key, c);
  }
  return c;
}

function probe(user: SandboxUser | undefined): SandboxCheck {
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
  if (graderIsRoot() && !onPath('setpriv'))
    return {
      ok: false,
      reason:
        'setpriv (util-linux) is not installed, and a root grader needs it to run programs as another user',
      fix: 'install util-linux (Debian/Ubuntu: sudo apt-get install util-linux), or pass --no-sandbox',
    };
  // Both layers at once, as `grade` starts them: the worker's (network namespace; as root, then the drop to the
  // sandbox user) and, inside it, a program's (user and PID namespaces, a fresh /proc), which is where
  // restrictive kernels say no. Then once more with the program's user namespaces closed, which an older bwrap
  // does not know how to do.
  const both = (closeUserns: boolean) => {
    const inner = sandboxCommand(
      bwrap,
      {
        kind: 'program',
        cwd: '/usr',
        run: undefined,
        own: undefined,
        ro: [],
        env: {},
        diskBytes: DEFAULT_DISK,
        closeUserns,
      },
      ['sh', '-c', 'exit 0'],
    );
    const argv = sandboxCommand(
      bwrap,
      { kind: 'worker', show: [dirname(bwrap)], diskBytes: DEFAULT_DISK, ...(user ? { user } : {}) },
      inner,
    );
    return spawnSync(argv[0] as string, argv.slice(1), {
      encoding: 'utf8',
      timeout: 10_000,
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
  };
  const r = both(false);
  if (r.status === 0) return { ok: true, bwrap, closesUserns: both(true).status === 0 };
  const why = (r.stderr || r.error?.message || `bwrap exited with ${r.status}`).trim().split('\n')[0];
  return {
    ok: false,
    reason: `bubblewrap cannot make namespaces here${user ? ` for user ${user.name}` : ''}: ${why}`,
    fix: 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0), or pass --no-sandbox',
  };
}

/**
 * A student's worker: its own network namespace (bwrap brings loopback up), a private /tmp of `diskBytes` that
 * disappears with it (its programs' run folders, /tmp and /dev/shm live there), and death with its parent, so
 * killing the grader ends every student's run.
 */
export interface WorkerSandbox {
  kind: 'worker';
  /**
   * Folders the worker reads (the submissions, the course, this package, the interpreter): shown again on top of
   * the private /tmp, read-only, since any of them may live under /tmp; and, for a `user`, made reachable where a
   * folder above them is closed to that user (a root-only /root holding pyenv or the npx cache).
   */
  show: string[];
  /**
   * The grader is root: bwrap sets the worker up with root's rights (no user namespace), then setpriv drops to
   * this user with no capabilities before the worker starts. Its programs are then that user too, in user
   * namespaces of their own, so the kernel counts RLIMIT_NPROC for each sandbox apart.
   */
  user?: SandboxUser;
  diskBytes: number;
  /** cgroup v2: the worker's own group, joined before anything starts (see sandbox-cgroup.ts). */
  cgroupProcs?: string;
}

/**
 * One program: its own user (no capabilities), PID, IPC, UTS, cgroup and mount namespaces, a new session, an
 * environment built from nothing, a read-only view of the system and of its own submission, a fresh /proc with
 * /proc/sys read-only, and nothing writable but its run folder, /tmp and /dev/shm, which are folders on the
 * worker's sized /tmp. The root and /dev are read-only once set up. util-linux `prlimit` sets the per-process
 * limits and then execs the program: no process of ours stays between the sandbox and the program.
 */
export interface ProgramSandbox {
  kind: 'program';
  /** The program's working folder (its submission): read-only. */
  cwd: string;
  /** The run's folder (sockets and grader files live here): writable. */
  run: string | undefined;
  /** Folders that become its /tmp and /dev/shm; tmpfs of `diskBytes` each where left out. */
  own: { tmp: string; shm: string } | undefined;
  /** More folders to show read-only: the interpreter's prefix, the launcher's folder. */
  ro: string[];
  /** The program's whole environment; nothing else is passed. */
  env: Record<string, string>;
  diskBytes: number;
  /** Memory for RLIMIT_AS: at least LIMITS.addressSpaceBytes. */
  memoryBytes?: number;
  /** Its cgroup, which its first process joins before bwrap starts (see sandbox-cgroup.ts). */
  cgroupPrefix?: string[];
  /** Keep it from making user namespaces (see SandboxCheck), where bwrap can. */
  closeUserns?: boolean;
  /** The descriptor bwrap reads the seccomp filter from (seccomp.ts), where there is one. */
  seccompFd?: number;
}

/** Folders of the system a program may read: where interpreters, their libraries and their settings live. */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

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

/** Whether `user` may pass through a folder (search permission), by its mode bits. */
function searchable(path: string, user: SandboxUser): boolean {
  try {
    const st = statSync(path);
    if (st.uid === user.uid) return (st.mode & 0o100) !== 0;
    if (st.gid === user.gid) return (st.mode & 0o010) !== 0;
    return (st.mode & 0o001) !== 0;
  } catch {
    return false;
  }
}

/** The folders above `path`, from the top down, `/` left out. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let d = dirname(path); d !== '/' && d !== '.'; d = dirname(d)) out.unshift(d);
  return out;
}

/** Folders below `top` down to `path`'s parent: the ones bwrap must create to bind `path`. */
const between = (top: string, path: string) => ancestors(path).filter((d) => d.startsWith(`${top}/`));

/**
 * The worker's view of the folders it needs. Those under /tmp are shown again on top of its private /tmp. For a
 * `user`, a folder above one of them that the user may not pass (root's 0700 /root, holding pyenv or the npx
 * cache) is covered by an empty tmpfs in which only the needed folders are shown, on the way made passable (bwrap
 * would create them with root's umask, often 0700).
 */
function showArgs(show: string[], user: SandboxUser | undefined): string[] {
  const paths = [...new Set(show.filter((p) => p && existsSync(p)).map((p) => realpathSync(p)))].sort();
  const covers = new Set<string>(['/tmp']);
  if (user)
    for (const p of paths) {
      const closed = ancestors(p).find((d) => !searchable(d, user));
      if (closed && !covers.has(closed) && !closed.startsWith('/tmp/')) covers.add(closed);
    }
  const args: string[] = [];
  for (const c of [...covers].filter((c) => c !== '/tmp').sort()) {
    if ([...covers].some((o) => o !== c && c.startsWith(`${o}/`))) continue;
    args.push('--tmpfs', c);
  }
  const made = new Set<string>();
  for (const p of paths) {
    const cover = [...covers].filter((c) => p.startsWith(`${c}/`)).sort((a, b) => a.length - b.length)[0];
    if (!cover) continue;
    for (const d of between(cover, p))
      if (!made.has(d) && !paths.includes(d)) {
        made.add(d);
        args.push('--perms', '0755', '--dir', d);
      }
    args.push('--ro-bind', p, p);
  }
  return args;
}

/**
 * Every bwrap command line of the sandbox, from bwrap (or the shell that joins a cgroup first) to `argv`, the
 * command run inside: the worker's (see WorkerSandbox) and each program's (see ProgramSandbox).
 */
export function sandboxCommand(bwrap: string, s: WorkerSandbox | ProgramSandbox, argv: string[]): string[] {
  switch (s.kind) {
    case 'worker': {
      const asRoot = graderIsRoot() && s.user !== undefined;
      const args = [
        ...(asRoot ? [] : ['--unshare-user']),
        '--unshare-net',
        '--die-with-parent',
        '--dev-bind',
        '/',
        '/',
        // The program's uid must write here (its run folder, /tmp, /dev/shm): as root, bwrap makes it root's.
        ...(asRoot ? ['--perms', '1777'] : []),
        '--size',
        String(s.diskBytes),
        '--tmpfs',
        '/tmp',
        ...showArgs(s.show, asRoot ? s.user : undefined),
      ];
      const drop =
        asRoot && s.user
          ? [
              'setpriv',
              `--reuid=${s.user.uid}`,
              `--regid=${s.user.gid}`,
              '--clear-groups',
              '--inh-caps=-all',
              '--bounding-set=-all',
              // A change of user clears the parent-death signal bwrap set; the worker must still die with it.
              '--pdeathsig=keep',
              '--',
            ]
          : [];
      const join = s.cgroupProcs ? ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', s.cgroupProcs] : [];
      return [...join, bwrap, ...args, '--', ...drop, ...argv];
    }
    case 'program': {
      const args = [
        '--unshare-user',
        ...(s.closeUserns ? ['--disable-userns'] : []),
        '--unshare-pid',
        '--unshare-ipc',
        '--unshare-uts',
        '--unshare-cgroup-try',
        '--die-with-parent',
        '--new-session',
        '--cap-drop',
        'ALL',
        ...(s.seccompFd !== undefined ? ['--seccomp', String(s.seccompFd)] : []),
        '--clearenv',
      ];
      for (const [k, v] of Object.entries(s.env)) args.push('--setenv', k, v);
      // Kernel settings are global whatever the namespace: read-only, even where permissions would allow more.
      args.push('--proc', '/proc', '--ro-bind', '/proc/sys', '/proc/sys', '--dev', '/dev');
      const size = ['--size', String(s.diskBytes)];
      if (s.own) args.push('--bind', s.own.shm, '/dev/shm', '--bind', s.own.tmp, '/tmp');
      else args.push(...size, '--tmpfs', '/dev/shm', ...size, '--tmpfs', '/tmp');
      for (const p of SYSTEM) bindSystem(p, args);
      const shown = new Set<string>();
      for (const p of s.ro) {
        if (!p || shown.has(p) || !existsSync(p) || SYSTEM.some((d) => p === d || p.startsWith(`${d}/`)))
          continue;
        shown.add(p);
        args.push('--ro-bind', p, p);
      }
      args.push('--ro-bind', s.cwd, s.cwd);
      if (s.run) args.push('--bind', s.run, s.run);
      // Set up, the root tmpfs and /dev's become read-only: the writable places are the sized ones above.
      args.push('--remount-ro', '/dev', '--remount-ro', '/', '--chdir', s.cwd);
      const limits = [
        'prlimit',
        `--nproc=${LIMITS.processes}`,
        `--as=${Math.max(LIMITS.addressSpaceBytes, s.memoryBytes ?? 0)}`,
        `--nofile=${LIMITS.openFiles}`,
        `--fsize=${Math.min(LIMITS.fileBytes, s.diskBytes)}`,
        `--cpu=${LIMITS.cpuSeconds}`,
        '--',
      ];
      return [...(s.cgroupPrefix ?? []), bwrap, ...args, '--', ...limits, ...argv];
    }
    default: {
      const never: never = s;
      return never;
    }
  }
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
