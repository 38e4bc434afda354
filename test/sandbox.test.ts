// The sandbox's parts that a hostile program cannot reach on this machine: cgroup v2 (these machines mount v1),
// a delegated v2 group that still holds processes, the folders a root grader's worker must be shown, option
// parsing, and the Python launcher's own closing of inherited descriptors. The cgroup logic writes files, so a
// folder laid out like a cgroup filesystem stands in for the kernel's.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseSize } from '../src/app/isolated.js';
import { sizeText } from '../src/grading/text.js';
import { LAUNCHER } from '../src/wire/launcher.js';
import { NOBODY, sandboxCommand } from '../src/wire/sandbox.js';
import {
  CgroupSession,
  cgroupBase,
  memoryCeiling,
  ownGroups,
  prepareBase,
  programCgroup,
  WORKER_MEMORY,
} from '../src/wire/sandbox-cgroup.js';
import { needs, procfs, rootUser, sandbox } from './needs.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'sl-sandbox-test-'));
  made.push(d);
  return d;
};
const MiB = 1024 ** 2;

/** A cgroup v2 hierarchy's files, as the kernel shows them, in a plain folder. */
function fakeV2(own: string, o: { rootControl: string; ownControl: string; ownProcs?: string }): string {
  const root = scratch();
  writeFileSync(join(root, 'cgroup.controllers'), 'cpu io memory pids\n');
  writeFileSync(join(root, 'cgroup.subtree_control'), o.rootControl);
  const dir = join(root, own);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cgroup.controllers'), 'cpu io memory pids\n');
  writeFileSync(join(dir, 'cgroup.subtree_control'), o.ownControl);
  writeFileSync(join(dir, 'cgroup.procs'), o.ownProcs ?? '');
  return root;
}

describe('cgroups', () => {
  test('/proc/self/cgroup: the v1 memory group and the v2 group', () => {
    expect(ownGroups('12:pids:/a\n4:memory:/process_api/x\n0::/user.slice/s.scope\n')).toEqual({
      memory: '/process_api/x',
      unified: '/user.slice/s.scope',
    });
    expect(ownGroups('5:cpu,memory:/m\n')).toEqual({ memory: '/m' });
  });

  test('v2: our group where it already hands memory to children; limits and evidence of one program', async () => {
    const root = fakeV2('/ci/grading', { rootControl: 'memory pids', ownControl: 'memory pids' });
    const base = cgroupBase(root, '0::/ci/grading\n');
    expect(base).toEqual({ version: 2, dir: join(root, 'ci/grading') });
    const session = new CgroupSession(base as NonNullable<typeof base>);
    const student = session.student();
    expect(student?.version).toBe(2);
    // The worker's own leaf: v2 keeps processes out of a group with children, and moves need a common group.
    expect(student?.workerProcs).toBe(join(student?.dir as string, 'worker', 'cgroup.procs'));
    // The student's group hands memory and pids on (the fake lists every controller as available).
    writeFileSync(join(student?.dir as string, 'cgroup.controllers'), 'memory pids\n');
    const prog = programCgroup(
      { version: 2, dir: student?.dir as string },
      { memoryBytes: 300 * MiB, processes: 99 },
    );
    expect(prog).toBeDefined();
    const file = (f: string) => readFileSync(join(prog?.dir as string, f), 'utf8');
    expect(file('memory.max')).toBe(String(300 * MiB));
    expect(file('memory.swap.max')).toBe('0');
    expect(file('memory.oom.group')).toBe('1');
    expect(file('pids.max')).toBe('99');
    expect(prog?.prefix.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(prog?.prefix.at(-1)).toBe(prog?.dir);
    expect(prog?.evidence()).toEqual({ oomKills: 0 });
    writeFileSync(join(prog?.dir as string, 'memory.events'), 'low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\n');
    writeFileSync(join(prog?.dir as string, 'memory.peak'), `${300 * MiB}\n`);
    expect(prog?.evidence()).toEqual({ oomKills: 1, peak: 300 * MiB });
  });

  test('groups a killed grading left behind are removed; a live one is not touched', () => {
    const root = fakeV2('/ci', { rootControl: 'memory', ownControl: 'memory pids' });
    const base = cgroupBase(root, '0::/ci\n') as NonNullable<ReturnType<typeof cgroupBase>>;
    // No process has pid 2^22 + 1 (above Linux's largest pid); this test's own process is alive.
    const dead = join(base.dir, `socketlings-${2 ** 22 + 1}-0a1b2c3d`);
    const live = join(base.dir, `socketlings-${process.pid}-0a1b2c3d`);
    mkdirSync(join(dead, 's-0', 'worker'), { recursive: true });
    mkdirSync(join(live, 's-0'), { recursive: true });
    new CgroupSession(base).student();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(join(live, 's-0'))).toBe(true);
  });

  test('v2: the hierarchy root when our own group hands nothing on (root on a systemd machine)', () => {
    const root = fakeV2('/user.slice/session-1.scope', { rootControl: 'cpu memory pids', ownControl: '' });
    expect(cgroupBase(root, '0::/user.slice/session-1.scope\n')).toEqual({ version: 2, dir: root });
  });

  test('v2: a delegated group still holding processes moves them to a leaf, then hands memory on', () => {
    const root = fakeV2('/user.slice/run-1.scope', {
      rootControl: '',
      ownControl: '',
      ownProcs: '4101\n4102\n',
    });
    const base = cgroupBase(root, '0::/user.slice/run-1.scope\n');
    const dir = join(root, 'user.slice/run-1.scope');
    expect(base).toEqual({ version: 2, dir, leaf: true });
    prepareBase(base as NonNullable<typeof base>);
    expect(readFileSync(join(dir, `socketlings-self-${process.pid}`, 'cgroup.procs'), 'utf8')).toBe(
      '4101\n4102\n',
    );
    expect(readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +pids');
  });

  test('v2 without memory anywhere we may write: none, and the fallback applies', () => {
    const root = fakeV2('/system.slice/runner.service', { rootControl: 'pids', ownControl: '' });
    writeFileSync(join(root, 'system.slice/runner.service/cgroup.controllers'), 'pids\n');
    expect(cgroupBase(root, '0::/system.slice/runner.service\n')).toBeUndefined();
  });

  test('v1: our own memory group first, with memory.limit_in_bytes and the swap limit where there is one', () => {
    const root = scratch();
    mkdirSync(join(root, 'memory', 'jobs', 'j1'), { recursive: true });
    writeFileSync(join(root, 'memory', 'memory.limit_in_bytes'), '9223372036854771712\n');
    const base = cgroupBase(root, '4:memory:/jobs/j1\n0::/\n');
    expect(base).toEqual({ version: 1, dir: join(root, 'memory', 'jobs', 'j1') });
    const student = new CgroupSession(base as NonNullable<typeof base>).student();
    // The worker's own leaf, with a limit of its own, on v1 as on v2.
    expect(student?.workerProcs).toBe(join(student?.dir as string, 'worker', 'cgroup.procs'));
    expect(readFileSync(join(student?.dir as string, 'worker', 'memory.limit_in_bytes'), 'utf8')).toBe(
      String(WORKER_MEMORY),
    );
    const prog = programCgroup(
      { version: 1, dir: student?.dir as string },
      { memoryBytes: 64 * MiB, processes: 5 },
    );
    expect(readFileSync(join(prog?.dir as string, 'memory.limit_in_bytes'), 'utf8')).toBe(String(64 * MiB));
    expect(readFileSync(join(prog?.dir as string, 'memory.memsw.limit_in_bytes'), 'utf8')).toBe(
      String(64 * MiB),
    );
    writeFileSync(
      join(prog?.dir as string, 'memory.oom_control'),
      'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n',
    );
    writeFileSync(join(prog?.dir as string, 'memory.max_usage_in_bytes'), `${64 * MiB}\n`);
    expect(prog?.evidence()).toEqual({ oomKills: 3, peak: 64 * MiB });
  });

  test('a student group is handed to the sandbox user, its files too', needs(rootUser()), () => {
    const root = fakeV2('/g', { rootControl: 'memory', ownControl: 'memory pids' });
    const base = cgroupBase(root, '0::/g\n') as NonNullable<ReturnType<typeof cgroupBase>>;
    const student = new CgroupSession(base, { uid: 65534, gid: 65534 }).student() as NonNullable<
      ReturnType<CgroupSession['student']>
    >;
    const owner = (p: string) => {
      const st = statSync(p);
      return `${st.uid}:${st.gid}`;
    };
    // The kernel makes a group's files with it; here only the folder exists to be handed over.
    expect(owner(student.dir)).toBe('65534:65534');
    // The worker's leaf stays root's: the worker may move programs out of it, not change it.
    expect(owner(join(student.dir, 'worker'))).toBe('0:0');
  });
});

describe('the memory a batch may count on', () => {
  test("the machine's, or a cgroup's limit above the grader where lower; no limit reads as none", () => {
    const v1 = scratch();
    mkdirSync(join(v1, 'memory', 'ci', 'job'), { recursive: true });
    writeFileSync(join(v1, 'memory', 'memory.limit_in_bytes'), '9223372036854771712\n');
    writeFileSync(join(v1, 'memory', 'ci', 'memory.limit_in_bytes'), String(4 * 1024 ** 3));
    writeFileSync(join(v1, 'memory', 'ci', 'job', 'memory.limit_in_bytes'), '9223372036854771712\n');
    expect(memoryCeiling(16 * 1024 ** 3, v1, '5:memory:/ci/job\n')).toBe(4 * 1024 ** 3);
    // The machine's own memory is the ceiling where no group limits less.
    expect(memoryCeiling(2 * 1024 ** 3, v1, '5:memory:/ci/job\n')).toBe(2 * 1024 ** 3);
    const v2 = scratch();
    mkdirSync(join(v2, 'runner.slice', 'x.scope'), { recursive: true });
    writeFileSync(join(v2, 'runner.slice', 'memory.max'), String(6 * 1024 ** 3));
    writeFileSync(join(v2, 'runner.slice', 'x.scope', 'memory.max'), 'max\n');
    expect(memoryCeiling(16 * 1024 ** 3, v2, '0::/runner.slice/x.scope\n')).toBe(6 * 1024 ** 3);
    expect(memoryCeiling(16 * 1024 ** 3, scratch(), '0::/\n')).toBe(16 * 1024 ** 3);
  });
});

describe('sizes', () => {
  test.each([
    ['512M', 512 * MiB],
    ['512MiB', 512 * MiB],
    ['1G', 1024 * MiB],
    ['1.5g', 1536 * MiB],
    ['65536K', 64 * MiB],
    ['64', 64 * MiB],
    ['lots', undefined],
    ['-1M', undefined],
    ['0', undefined],
  ])('%s', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  test('shown in binary units', () => {
    expect([512 * MiB, 1536 * MiB, 64 * MiB + 1024 ** 2 / 2, 900 * 1024, 10].map(sizeText)).toEqual([
      '512 MiB',
      '1.5 GiB',
      '64.5 MiB',
      '900 KiB',
      '10 bytes',
    ]);
  });
});

describe('a root grader’s worker', needs(sandbox(), rootUser()), () => {
  test('a folder it needs below one closed to the sandbox user is shown through an empty tmpfs', () => {
    const top = scratch();
    const closed = join(top, 'home');
    const needed = join(closed, '.pyenv', 'versions', '3.11');
    mkdirSync(needed, { recursive: true });
    chmodSync(top, 0o755);
    chmodSync(closed, 0o700);
    const argv = sandboxCommand(
      'bwrap',
      { kind: 'worker', show: [needed], user: NOBODY, diskBytes: MiB * 8 },
      ['node'],
    );
    const at = (words: string[]) => argv.join('\n').indexOf(words.join('\n'));
    // Under /tmp here, so shown again above the worker's private /tmp, with its folders made passable.
    expect(at(['--perms', '0755', '--dir', closed])).toBeGreaterThan(-1);
    expect(at(['--perms', '0755', '--dir', join(closed, '.pyenv')])).toBeGreaterThan(-1);
    expect(at(['--ro-bind', needed, needed])).toBeGreaterThan(at(['--perms', '0755', '--dir', closed]));
    expect(at(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'])).toBeGreaterThan(-1);
    expect(argv).not.toContain('--unshare-user');
  });

  test('outside /tmp, the closed folder is covered by an empty tmpfs holding only what is needed', () => {
    // As /root is on Debian and in most container images, where pyenv and the npx cache live.
    const top = mkdtempSync(join('/var/tmp', 'sl-sandbox-test-'));
    made.push(top);
    chmodSync(top, 0o755);
    const closed = join(top, 'root');
    const needed = join(closed, '.npm', '_npx', 'abc', 'node_modules');
    mkdirSync(needed, { recursive: true });
    chmodSync(closed, 0o700);
    const argv = sandboxCommand(
      'bwrap',
      { kind: 'worker', show: [needed], user: NOBODY, diskBytes: MiB },
      [],
    );
    const text = argv.join('\n');
    const covered = argv.flatMap((a, i) => (a === '--tmpfs' ? [argv[i + 1]] : []));
    expect(covered).toEqual(['/tmp', closed]);
    expect(text).toContain(['--perms', '0755', '--dir', join(closed, '.npm', '_npx', 'abc')].join('\n'));
    expect(text).toContain(['--ro-bind', needed, needed].join('\n'));
    // A grader that is not root shows nothing of the kind: the worker sees the machine as its user does.
    const plain = sandboxCommand('bwrap', { kind: 'worker', show: [needed], diskBytes: MiB }, []);
    expect(plain.flatMap((a, i) => (a === '--tmpfs' ? [plain[i + 1]] : []))).toEqual(['/tmp']);
    expect(plain).toContain('--unshare-user');
  });
});

describe('the Python launcher', () => {
  test('closes every descriptor its starter left open, except its own pipe', needs(procfs()), () => {
    const dir = scratch();
    const prog = join(dir, 'fds.py');
    writeFileSync(prog, 'import os\nprint(sorted(int(n) for n in os.listdir("/proc/self/fd")))\n');
    const log = openSync(join(dir, 'log'), 'a');
    const folder = openSync(dir, 'r');
    const stdio: (number | 'ignore' | 'pipe')[] = ['ignore', 'pipe', 'pipe', 'pipe'];
    while (stdio.length < 200) stdio.push('ignore');
    stdio.push(log, folder);
    const r = spawnSync('python3', [LAUNCHER, prog], {
      encoding: 'utf8',
      stdio,
      env: { ...process.env, SOCKETLINGS_READY_FD: '3' },
    });
    closeSync(log);
    closeSync(folder);
    expect(r.status, r.stderr).toBe(0);
    // 0-2, its pipe (3), and the listing's own descriptor.
    expect(JSON.parse(r.stdout)).toEqual([0, 1, 2, 3, 4]);
  });
});
