// The sandbox as CI containers run it, as root, and as an instructor does, as an unprivileged user: a class where
// some students' programs attack what is left to attack once they are sandboxed. Root inside the sandbox (kernel
// settings open for writing, root-only files, capabilities), descriptors inherited from whoever started the
// grader, and the sandbox's size: its filesystems and the memory of a whole process tree. Each attack prints what
// it reached; the tests assert that, not only the grades, through `grade --submissions` (with honest students in
// the same batch) and through `verify --sandbox`.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cgroupBase, ownGroups } from '../src/wire/sandbox-cgroup.js';
import { fixture } from './helpers.js';
import {
  gradebook,
  lessonFile,
  makeRoot,
  processesWith,
  removeRoots,
  runCli,
  student,
} from './hostile-class.js';
import { needs, procfs, rootUser, rootWithRunuser, sandbox } from './needs.js';

afterAll(removeRoots);

const ASSIGNMENT = `format: 1
title: Limits
exercises:
  - { id: tcp-client, points: 10 }
  - { id: tcp-server, points: 10 }
seed: { policy: fixed, value: 11 }
`;
const ATTACKS = ['privileges', 'fds', 'filler', 'memhog', 'kernel'] as const;
type Attack = (typeof ATTACKS)[number];
const MiB = 1024 ** 2;
/** bwrap's own version says whether it has --disable-userns (0.8.0 and newer), found out without our code. */
const BWRAP_CLOSES_USERNS = (() => {
  const v = /(\d+)\.(\d+)/.exec(spawnSync('bwrap', ['--version'], { encoding: 'utf8' }).stdout ?? '');
  return v !== null && (Number(v[1]) > 0 || Number(v[2]) >= 8);
})();
const isRoot = process.getuid?.() === 0;

/** Whom programs must run as: nobody for a root grader (and for one run as nobody), else the grader itself. */
function programUser(graderUser: string | undefined): { uid: number; gid: number; shown: string } {
  if (isRoot || graderUser === 'nobody') return { uid: 65534, gid: 65534, shown: 'nobody (65534:65534)' };
  const uid = process.getuid?.() ?? -1;
  const gid = process.getgid?.() ?? -1;
  return { uid, gid, shown: `${userInfo().username} (${uid}:${gid})` };
}

/**
 * Whether root can make a memory cgroup here, found out without socketlings' own code: then a root grader must
 * hold a memory hog with one, and the test does not accept the fallback in its place.
 */
function rootCanMakeCgroup(): boolean {
  if (!isRoot || process.platform !== 'linux') return false;
  const own = ownGroups(readFileSync('/proc/self/cgroup', 'utf8'));
  const dirs = existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes')
    ? [join('/sys/fs/cgroup/memory', own.memory ?? '/')]
    : ['/sys/fs/cgroup'];
  for (const d of dirs) {
    const probe = join(d, `test-probe-${randomUUID().slice(0, 8)}`);
    try {
      mkdirSync(probe);
      rmdirSync(probe);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** The PROBE lines a student's tcp-client program printed, from its saved report. */
function probesIn(result: { checks: { transcript: { text: string }[] }[] }): string[] {
  return result.checks
    .flatMap((c) => c.transcript)
    .map((t) => t.text)
    .filter((t) => t.startsWith('PROBE '));
}

interface ClientResult {
  status: string;
  stoppedBy?: string[];
  sandbox?: {
    user: string;
    memoryBy: string;
    memory: number;
    disk: number;
    userns?: string;
    seccomp?: string;
  };
  checks: { status: string; message: string; transcript: { text: string }[] }[];
}

function clientResult(out: string, name: string): ClientResult {
  const report = JSON.parse(readFileSync(join(out, name, 'report.json'), 'utf8'));
  return report.exercises.find((e: { id: string }) => e.id === 'tcp-client').result;
}

/** What each attack reached, asserted the same way whichever way it was graded. */
function expectHeld(
  attack: Attack,
  r: ClientResult,
  o: {
    inherit?: { log: string; dir: string };
    cgroup: boolean;
    memory?: number;
    disk?: number;
    as: ReturnType<typeof programUser>;
  },
): void {
  const probes = probesIn(r);
  const all = probes.join('\n');
  switch (attack) {
    case 'privileges': {
      // Kernel settings: not even opened for writing (the open makes the permission check).
      const sysctls = probes.filter((p) => p.startsWith('PROBE sysctl'));
      expect(sysctls, all).toHaveLength(3);
      for (const p of sysctls) expect(p, all).toMatch(/ refused (Permission denied|Read-only file system)$/);
      const rootOnly = probes.filter((p) => p.startsWith('PROBE root-only'));
      expect(rootOnly, all).toHaveLength(2);
      for (const p of rootOnly) expect(p, all).toMatch(/ refused Permission denied$/);
      expect(all).toMatch(new RegExp(`^PROBE uid ${o.as.uid} gid ${o.as.gid}$`, 'm'));
      expect(all).toMatch(/^PROBE CapEff 0000000000000000 /m);
      expect(r.status).toBe('pass');
      break;
    }
    case 'fds': {
      const fds = JSON.parse(/^PROBE fds (\[.*\])$/m.exec(all)?.[1] ?? 'null') as number[] | null;
      expect(fds, all).not.toBeNull();
      // 0, 1, 2, the launcher's readiness pipe (fd 3, a socket pair: the one exception the README names) and the
      // descriptor of its own listing of /proc/self/fd.
      expect(fds, all).toEqual([0, 1, 2, 3, 4]);
      expect(all).toMatch(/^PROBE fd3 is socket$/m);
      expect(all).toMatch(/^PROBE fd200 refused Bad file descriptor$/m);
      expect(all).toMatch(/^PROBE fd201 refused Bad file descriptor$/m);
      if (o.inherit) {
        expect(readFileSync(o.inherit.log, 'utf8')).toBe('');
        expect(readdirSync(o.inherit.dir)).toEqual([]);
      }
      expect(r.status).toBe('pass');
      break;
    }
    case 'filler': {
      const disk = o.disk ?? 64 * MiB;
      expect(all).toMatch(/^PROBE filled \/ 0 MiB: Read-only file system$/m);
      expect(all).toMatch(/^PROBE filled \/dev 0 MiB: Read-only file system$/m);
      for (const place of ['/dev/shm', '/tmp', 'run-folder']) {
        const m = new RegExp(`^PROBE filled ${place} (\\d+) MiB: (.*)$`, 'm').exec(all);
        expect(m, `${place}\n${all}`).not.toBeNull();
        // Stopped by the disk's size, and only there: it got close to it, not past it.
        expect(m?.[2], place).toBe('No space left on device');
        expect(Number(m?.[1]) * MiB, place).toBeLessThanOrEqual(disk);
        expect(Number(m?.[1]) * MiB, place).toBeGreaterThanOrEqual(disk - 16 * MiB);
      }
      expect(r.checks[0]?.message).toContain(
        `tried to write more than the ${disk / MiB} MiB of disk graded programs may use`,
      );
      expect(r.stoppedBy).toEqual(['disk']);
      break;
    }
    case 'memhog': {
      expect(r.status).toBe('fail');
      if (o.cgroup) {
        const memory = o.memory ?? 512 * MiB;
        // The kernel's own count of the most the tree held at once, and its OOM kills, not the program's word.
        expect(r.sandbox?.memoryBy).toMatch(/^cgroup v[12]$/);
        const message = r.checks[0]?.message ?? '';
        expect(message).toContain(`used more than ${memory / MiB} MiB of memory`);
        const peak = /it held ([\d.]+) (MiB|GiB) at most/.exec(message);
        expect(peak, message).not.toBeNull();
        expect(Number(peak?.[1]) * (peak?.[2] === 'GiB' ? 1024 : 1) * MiB).toBeLessThanOrEqual(memory);
        expect(r.stoppedBy).toEqual(['memory']);
      } else {
        // Where no cgroup can be made (non-root on cgroup v1), the documented fallback: each process is bounded,
        // the tree is not, and the report says so. How far the children get before the grading's budget ends
        // depends on how fast this machine touches memory (1.2 GiB at once on an idle one), so it is not judged:
        // no verdict may claim a limit that was not in force.
        expect(r.sandbox?.memoryBy).toBe('per process');
        expect(r.stoppedBy).toBeUndefined();
      }
      break;
    }
    case 'kernel': {
      // The seccomp filter is installed: memory no per-process limit sees is refused as a kernel without it would.
      for (const call of ['memfd_create', 'shmget', 'msgget', 'io_uring_setup', 'add_key'])
        expect(all).toMatch(new RegExp(`^PROBE ${call} refused Function not implemented$`, 'm'));
      expect(r.sandbox?.seccomp).toBe(process.arch);
      // bubblewrap 0.8 and newer closes user namespaces: none can be made inside, and the report says so.
      if (BWRAP_CLOSES_USERNS) {
        expect(r.sandbox?.userns).toBe('closed');
        expect(all).toMatch(/^PROBE unshare-user refused /m);
      } else expect(r.sandbox?.userns).toBe('open');
      expect(r.status).toBe('pass');
      break;
    }
    default: {
      const never: never = attack;
      throw new Error(never);
    }
  }
  expect(r.sandbox?.user, 'whom it ran as').toBe(o.as.shown);
}

/** Our session cgroups still present under the base, made by the grader with this pid. */
function groupsOf(pid: number): string[] {
  const base = isRoot ? cgroupBase() : undefined;
  if (!base) return [];
  return readdirSync(base.dir).filter((n) => n.startsWith(`socketlings-${pid}-`));
}

for (const user of [undefined, 'nobody'] as const) {
  const who = user ?? (isRoot ? 'root' : 'the current user');
  const cgroup = user === undefined && rootCanMakeCgroup();
  const as = programUser(user);
  describe(
    `the sandbox attacked, graded as ${who}`,
    needs(sandbox(), ...(user === 'nobody' ? [rootWithRunuser()] : [])),
    () => {
      test.concurrent('grade --submissions: every attack held, honest students untouched', {
        timeout: 200_000,
      }, async () => {
        const { root, cls, out } = makeRoot(ASSIGNMENT);
        const client = lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', true);
        const server = lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', true);
        for (const n of ['honest-a', 'honest-b']) student(cls, n, client, server);
        for (const a of ATTACKS)
          student(cls, `x-${a}`, fixture('hostile', `${a}.py`), server, [fixture('hostile', '_wire.py')]);
        const inherit = { log: join(root, 'caller.log'), dir: join(root, 'caller-dir') };
        writeFileSync(inherit.log, '');
        mkdirSync(inherit.dir);
        let pid = 0;
        const r = await runCli(
          ['grade', '--assignment', join(root, 'hostile.yaml'), '--submissions', cls, '--out', out],
          { cwd: root, ...(user ? { user } : {}), inherit, onSpawn: (p) => (pid = p) },
        );
        expect(r.code, r.stdout + r.stderr).toBe(1);
        const book = gradebook(out);
        for (const n of ['honest-a', 'honest-b', 'x-privileges', 'x-fds', 'x-kernel'])
          expect(book[n], n).toEqual(['10', '10', '20', '20', 'pass']);
        // The attacks that broke their own exercise lose it, and only it: the server alongside still earns.
        for (const n of ['x-filler', 'x-memhog']) expect(book[n], n).toEqual(['0', '10', '10', '20', 'fail']);
        for (const a of ATTACKS) expectHeld(a, clientResult(out, `x-${a}`), { inherit, cgroup, as });
        const report = JSON.parse(readFileSync(join(out, 'honest-a', 'report.json'), 'utf8'));
        expect(report.sandbox).toMatchObject({
          user: as.shown,
          memory: 512 * MiB,
          disk: 64 * MiB,
        });
        expect(report.sandbox.memoryBy).toMatch(cgroup ? /^cgroup v[12]$/ : /^per process$/);
        expect(processesWith(cls)).toEqual([]);
        if (!user) expect(groupsOf(pid)).toEqual([]);
      });

      for (const attack of ATTACKS)
        test.concurrent(`verify --sandbox: ${attack} held`, { timeout: 120_000 }, async () => {
          const { root, cls } = makeRoot(ASSIGNMENT);
          const server = lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', true);
          const d = student(cls, 'x', fixture('hostile', `${attack}.py`), server, [
            fixture('hostile', '_wire.py'),
          ]);
          const inherit = { log: join(root, 'caller.log'), dir: join(root, 'caller-dir') };
          writeFileSync(inherit.log, '');
          mkdirSync(inherit.dir);
          const r = await runCli(
            [
              'verify',
              'tcp-client',
              '--file',
              '03-tcp-clients/tcp_client.py',
              '--sandbox',
              '--json',
              '--no-wire',
            ],
            { cwd: d, ...(user ? { user } : {}), inherit },
          );
          expect(r.code, r.stderr).toBe(attack === 'filler' || attack === 'memhog' ? 1 : 0);
          expectHeld(attack, JSON.parse(r.stdout), { inherit, cgroup, as });
          expect(processesWith(d)).toEqual([]);
        });
    },
  );
}

describe('verify --sandbox --file inside a workspace', needs(sandbox()), () => {
  for (const user of [undefined, 'nobody'] as const)
    test.concurrent(`shows the program its file's folder, nothing above (${user ?? 'as the current user'})`, {
      timeout: 60_000,
    }, async () => {
      const { cls } = makeRoot(ASSIGNMENT);
      // A workspace (its socketlings.json, the instructor's secret beside it) with a hand-in two levels down.
      const ws = join(cls, 'ws');
      const d = student(cls, 'ws', fixture('hostile', 'above.py'), fixture('hostile', 'above.py'), [
        fixture('hostile', '_wire.py'),
      ]);
      const manifest = { format: 1, course: { id: 'socketlings-python', version: '0.1.0' } };
      writeFileSync(join(ws, 'socketlings.json'), `${JSON.stringify(manifest)}\n`, { mode: 0o644 });
      writeFileSync(join(ws, 'secret.txt'), 'instructor-only\n', { mode: 0o644 });
      const r = await runCli(
        [
          'verify',
          'tcp-client',
          '--file',
          '03-tcp-clients/tcp_client.py',
          '--sandbox',
          '--json',
          '--no-wire',
        ],
        { cwd: d, ...(user ? { user } : {}) },
      );
      expect(r.code, r.stderr).toBe(0);
      const all = probesIn(JSON.parse(r.stdout)).join('\n');
      expect(all).toMatch(/^PROBE here \['_wire.py', 'tcp_client.py'\]$/m);
      // Above its folder: only the way down to it, nothing of the workspace.
      expect(all).toMatch(/^PROBE above \['03-tcp-clients'\]$/m);
      expect(all).not.toContain('instructor-only');
      expect(all.match(/^PROBE read .* refused No such file or directory$/gm), all).toHaveLength(2);
    });
});

describe('verify --sandbox --file directly in /tmp', needs(sandbox()), () => {
  // The sandbox gives the worker a private /tmp: /tmp itself cannot be shown to it. Said, with the way out, before
  // anything runs (it was a worker's crash, "not the student's doing; grade again").
  test('is refused with exit 2, the reason and the next step', { timeout: 60_000 }, async () => {
    const file = join('/tmp', `sl-in-tmp-${randomUUID()}.py`);
    writeFileSync(file, readFileSync(lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', true)));
    try {
      const r = await runCli(['verify', 'tcp-client', '--file', file, '--sandbox'], { cwd: '/tmp' });
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toContain(`whose folder is /tmp itself (${file})`);
      expect(r.stderr).toContain('mkdir /tmp/try');
      expect(r.stderr).not.toContain('worker');
    } finally {
      rmSync(file, { force: true });
    }
  });
});

describe(
  'verify --sandbox --file in a folder the sandbox user cannot read',
  needs(sandbox(), rootUser()),
  () => {
    // As root the worker runs as user nobody: a folder closed to it is said, with the fix, before anything runs.
    test('is refused with exit 2, the folder and the fix', { timeout: 60_000 }, async () => {
      const { root } = makeRoot(ASSIGNMENT);
      const closed = join(root, 'closed');
      mkdirSync(closed, { mode: 0o700 });
      const file = join(closed, 'tcp_client.py');
      writeFileSync(file, readFileSync(lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', true)));
      const r = await runCli(['verify', 'tcp-client', '--file', file, '--sandbox'], { cwd: root });
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toContain(`cannot read ${closed}, where the program to grade is`);
      expect(r.stderr).toContain('chmod -R a+rX');
    });
  },
);

describe('descriptors inherited by a program run without the sandbox', needs(procfs()), () => {
  test.concurrent('verify --run: the command gets 0, 1 and 2 only', { timeout: 60_000 }, async () => {
    const { root, cls } = makeRoot(ASSIGNMENT);
    const d = student(
      cls,
      'x',
      fixture('hostile', 'fds.py'),
      lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', true),
      [fixture('hostile', '_wire.py')],
    );
    const inherit = { log: join(root, 'caller.log'), dir: join(root, 'caller-dir') };
    writeFileSync(inherit.log, '');
    mkdirSync(inherit.dir);
    const r = await runCli(
      ['verify', 'tcp-client', '--file', '03-tcp-clients/tcp_client.py', '--run', 'python3 {file}', '--json'],
      { cwd: d, inherit },
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.sandbox).toBeUndefined();
    const all = probesIn(result).join('\n');
    expect(all).toMatch(/^PROBE fd200 refused Bad file descriptor$/m);
    expect(all).toMatch(/^PROBE fd201 refused Bad file descriptor$/m);
    expect(readFileSync(inherit.log, 'utf8')).toBe('');
    expect(readdirSync(inherit.dir)).toEqual([]);
  });
});

describe('the sandbox options, graded as root', needs(sandbox(), rootUser()), () => {
  const attackIn = (attack: Attack) => {
    const { cls } = makeRoot(ASSIGNMENT);
    return student(
      cls,
      'x',
      fixture('hostile', `${attack}.py`),
      lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', true),
      [fixture('hostile', '_wire.py')],
    );
  };
  const verify = (cwd: string, more: string[]) =>
    runCli(
      [
        'verify',
        'tcp-client',
        '--file',
        '03-tcp-clients/tcp_client.py',
        '--sandbox',
        '--json',
        '--no-wire',
        ...more,
      ],
      { cwd },
    );

  test.concurrent('--memory and --disk set the limits the verdicts name', { timeout: 120_000 }, async () => {
    const mem = await verify(attackIn('memhog'), ['--memory', '256M']);
    expect(mem.code, mem.stderr).toBe(1);
    const memResult = JSON.parse(mem.stdout);
    expect(memResult.sandbox.memory).toBe(256 * MiB);
    if (rootCanMakeCgroup())
      expectHeld('memhog', memResult, { cgroup: true, memory: 256 * MiB, as: programUser(undefined) });
    const disk = await verify(attackIn('filler'), ['--disk', '16M']);
    expect(disk.code, disk.stderr).toBe(1);
    const diskResult = JSON.parse(disk.stdout);
    expect(diskResult.sandbox.disk).toBe(16 * MiB);
    expectHeld('filler', diskResult, { cgroup: false, disk: 16 * MiB, as: programUser(undefined) });
  });

  test.concurrent('--sandbox-user picks whom programs run as', { timeout: 60_000 }, async () => {
    const r = await verify(attackIn('privileges'), ['--sandbox-user', '65533:65533']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.sandbox.user).toBe('65533 (65533:65533)');
    expect(probesIn(result).join('\n')).toMatch(/^PROBE uid 65533 gid 65533$/m);
  });

  test.concurrent('options that cannot be honoured are refused with exit 2, before grading', async () => {
    const d = attackIn('privileges');
    const cases: [string[], RegExp][] = [
      [['grade', '--sandbox-user', 'root'], /--sandbox-user must not be root/],
      [['grade', '--sandbox-user', '0:65534'], /--sandbox-user must not be root/],
      [['grade', '--sandbox-user', 'no-such-user-here'], /--sandbox-user must be a user name or UID/],
      [['grade', '--memory', 'lots'], /--memory must be a size such as 512M/],
      [['grade', '--disk', '1K'], /--disk must be at least 4 MiB/],
      [['verify', 'tcp-client', '--memory', '1G'], /add --sandbox, or leave them out/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { cwd: d });
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test('a grader that is not root cannot pick another user', needs(rootWithRunuser()), async () => {
    const r = await runCli(['grade', '--sandbox-user', 'daemon'], {
      cwd: attackIn('privileges'),
      user: 'nobody',
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--sandbox-user needs a grader running as root/);
  });
});

describe(
  'a sandbox whose pids are handed to new processes after it has gone',
  needs(sandbox(), rootUser()),
  () => {
    // The kernel gives a freed pid to any later process. A program's stop() comes after its sandbox has exited and
    // been reaped; what runs under bwrap's old pid, or the program's, by then is a stranger (another student's
    // program, as root), and must neither be signalled nor taken for one of the program's processes. Root can ask
    // for the next pid (ns_last_pid): each case tries until the stranger gets the pid it means to take.
    const STRANGER = 'import time; time.sleep(60)';

    // How the grader may reach the old pid: the stop after the exit; a signal step between the program's exit and
    // bwrap's (the grader's loop busy meanwhile); the last-resort kill when socketlings itself exits.
    test.each([
      ['bwrap', 'stop'],
      ['program', 'stop'],
      ['program', 'signal'],
      ['bwrap', 'killAllNow'],
    ] as const)("a stranger given the %s's pid outlives the grader's %s", async (which, how) => {
      const { killAllNow, startProgram } = await import('../src/wire/program.js');
      const { sandboxSupport } = await import('../src/wire/sandbox.js');
      const { spawn } = await import('node:child_process');
      const support = sandboxSupport();
      if (!support.ok) throw new Error(support.reason);
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      let tried = 0;
      for (; tried < 20; tried++) {
        const p = startProgram({
          command: support.bwrap,
          args: [
            '--unshare-pid',
            '--die-with-parent',
            '--new-session',
            '--dev-bind',
            '/',
            '/',
            '--',
            'sleep',
            '0.3',
          ],
          cwd: '/tmp',
          env: { PATH: '/usr/bin:/bin' },
          outputCap: 65536,
          sandboxed: true,
        });
        let target: number | undefined;
        while (p.running && target === undefined) {
          target = which === 'bwrap' ? p.pid : p.programPid;
          await new Promise((r) => setTimeout(r, 10));
        }
        if (how === 'signal') {
          // Held in this turn of the loop until the program has gone, so bwrap's exit is not yet heard of.
          const until = Date.now() + 5000;
          while (target !== undefined && existsSync(`/proc/${target}`) && Date.now() < until) {}
        } else await p.exited;
        if (target === undefined) continue;
        writeFileSync('/proc/sys/kernel/ns_last_pid', String(target - 1));
        const stranger = spawn('python3', ['-c', STRANGER], { detached: true, stdio: 'ignore' });
        try {
          if (stranger.pid !== target) {
            await p.stop();
            continue;
          }
          if (how === 'signal') p.signal('SIGINT');
          await new Promise((r) => setTimeout(r, 200));
          expect(p.members(true)).not.toContain(stranger.pid);
          if (how === 'killAllNow') killAllNow();
          await p.stop();
          await new Promise((r) => setTimeout(r, 100));
          expect(alive(stranger.pid), `the stranger was killed by the ${how}`).toBe(true);
          expect(stranger.signalCode).toBeNull();
          break;
        } finally {
          if (stranger.pid) process.kill(-stranger.pid, 'SIGKILL');
        }
      }
      expect(tried, 'the stranger never got the pid: the case was not tried').toBeLessThan(20);
    });
  },
);

describe("a program's cgroup, removed after its run", needs(sandbox(), rootUser()), () => {
  // A program that took over its sandbox's first process can hide what it left running from every look at the
  // process tree (that process shows as a zombie, its sandbox as exited). It is in the program's group all the
  // same, and removing the group kills what is in it first.
  test('kills a process in it that no process tree leads to', async (t) => {
    if (!rootCanMakeCgroup()) t.skip();
    const { CgroupSession, cgroupBase, programCgroup, removeAllCgroups } = await import(
      '../src/wire/sandbox-cgroup.js'
    );
    const { spawn } = await import('node:child_process');
    const base = cgroupBase();
    if (!base) throw new Error('no cgroup base, though root can make a group');
    const session = new CgroupSession(base);
    const student = session.student();
    if (!student) throw new Error('no student group');
    const group = programCgroup(student, { memoryBytes: 256 * 1024 * 1024, processes: 64 });
    if (!group) throw new Error('no program group');
    try {
      // Started detached by the group's own prefix, as a program is: not below anything the grader tracks.
      const hidden = spawn(group.prefix[0] as string, [...group.prefix.slice(1), 'sleep', '60'], {
        detached: true,
        stdio: 'ignore',
      });
      const gone = new Promise<NodeJS.Signals | null>((r) => hidden.once('exit', (_c, s) => r(s)));
      for (let i = 0; i < 200 && !readFileSync(join(group.dir, 'cgroup.procs'), 'utf8').trim(); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(readFileSync(join(group.dir, 'cgroup.procs'), 'utf8').trim()).toBe(String(hidden.pid));
      await group.remove();
      expect(await gone).toBe('SIGKILL');
      expect(existsSync(group.dir)).toBe(false);
    } finally {
      await group.remove();
      await student.remove();
      removeAllCgroups();
    }
  });
});
