// The hostile battery: a class where some students hand in programs that attack the grade instead of earning it.
// Graded with the defaults (every program sandboxed), as root and as an unprivileged user, the honest students'
// grades must not change, each hostile program must score exactly what its behaviour on the wire earns, nothing
// may survive, nothing outside the run's scratch folders may change, and no secret of the grader's environment
// may appear anywhere a program could have sent it.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fixture } from './helpers.js';
import {
  gradebook,
  lessonFile,
  makeRoot as makeClassRoot,
  processesWith,
  type Run,
  type RunAs,
  removeRoots,
  runCli,
  student,
} from './hostile-class.js';
import { needs, rootWithRunuser, sandbox } from './needs.js';

const HOSTILE = ['forge', 'secrets', 'daemon', 'sabotage', 'stopper', 'forkbomb', 'writer'] as const;
const SECRETS = {
  GITHUB_TOKEN: 'ghp_hostileBatteryToken0123456789',
  AWS_SECRET_ACCESS_KEY: 'aws-hostile-battery-secret-key-value',
  INSTRUCTOR_NOTE: 'plain-variable-the-program-must-not-see',
};
const ASSIGNMENT = `format: 1
title: Hostile
exercises:
  - { id: tcp-client, points: 10 }
  - { id: tcp-server, points: 10 }
seed: { policy: fixed, value: 7 }
`;

afterAll(removeRoots);

function makeClass(cls: string): void {
  const client = (s: boolean) => lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', s);
  const server = (s: boolean) => lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', s);
  for (const n of ['honest-a', 'honest-b', 'honest-c']) student(cls, n, client(true), server(true));
  student(cls, 'half', client(true), server(false));
  student(cls, 'stub', client(false), server(false));
  for (const h of HOSTILE)
    student(cls, `x-${h}`, fixture('hostile', `${h}.py`), server(false), [fixture('hostile', '_wire.py')]);
}

/** Every file under a folder with its content digest, to prove nothing was written there. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = join(dir, f);
    if (statSync(p).isFile()) out[f] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

function allText(dir: string): string {
  let text = '';
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, f);
    if (statSync(p).isFile()) text += readFileSync(p, 'utf8');
  }
  return text;
}

/** The real CLI, as the current user or as `nobody`, with the secrets in its environment. */
function grade(args: string[], o: Omit<RunAs, 'env'> & { env?: Record<string, string> }): Promise<Run> {
  return runCli(args, { ...o, env: { ...SECRETS, ...o.env } });
}

const makeRoot = () => makeClassRoot(ASSIGNMENT);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A listener on this machine's loopback, outside every sandbox, as another student's peer or any local service
 * is: the sabotage program connects to every port it can see listening, so whatever reaches this was let out of
 * its network namespace.
 */
async function canary(): Promise<{ reached: () => string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const open = new Set<Socket>();
  const servers = ['127.0.0.1', '::1'].map((host) =>
    createServer((s) => {
      open.add(s);
      seen.push(`${host}: connection from port ${s.remotePort}`);
      s.on('data', (b) => seen.push(`${host}: ${b}`)).on('error', () => {});
    }),
  );
  const [v4, v6] = servers as [Server, Server];
  await new Promise<void>((r) => v4.listen(0, '127.0.0.1', r));
  const port = (v4.address() as AddressInfo).port;
  await new Promise<void>((r) => v6.once('error', () => r()).listen(port, '::1', r));
  return {
    reached: () => [...seen],
    close: async () => {
      for (const s of open) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

for (const user of [undefined, 'nobody'] as const) {
  describe(
    `a hostile class graded as ${user ?? 'the current user'}`,
    needs(sandbox(), ...(user ? [rootWithRunuser()] : [])),
    () => {
      test.concurrent('attacks change no grade, leave nothing behind and leak nothing', {
        timeout: 200_000,
      }, async () => {
        const { root, cls, out } = makeRoot();
        makeClass(cls);
        const before = snapshot(cls);
        const outside = await canary();
        const r = await grade(
          [
            'grade',
            '--assignment',
            join(root, 'hostile.yaml'),
            '--submissions',
            cls,
            '--out',
            out,
            '--jobs',
            '24',
          ],
          { cwd: root, ...(user ? { user } : {}) },
        );
        await outside.close();
        expect(r.code, r.stdout + r.stderr).toBe(1);
        const book = gradebook(out);
        // student, tcp-client, tcp-server, total, max, status
        expect(book['honest-a']).toEqual(['10', '10', '20', '20', 'pass']);
        expect(book['honest-b']).toEqual(['10', '10', '20', '20', 'pass']);
        expect(book['honest-c']).toEqual(['10', '10', '20', '20', 'pass']);
        expect(book.half).toEqual(['10', '0', '10', '20', 'fail']);
        expect(book.stub).toEqual(['0', '0', '0', '20', 'fail']);
        // Each attack failed, and the program still did the exercise: exactly the points of its behaviour.
        for (const h of HOSTILE) expect(book[`x-${h}`], h).toEqual(['10', '0', '10', '20', 'fail']);

        const forked = /forked (\d+)/.exec(readFileSync(join(out, 'x-forkbomb', 'report.json'), 'utf8'));
        // It reached the process limit (256 in all), not the 1000 it asked for.
        expect(forked, 'the fork bomb printed its count').not.toBeNull();
        expect(Number(forked?.[1])).toBeLessThan(300);

        // The sabotage ran its whole attack (it printed its count) and reached nothing: in its own network
        // namespace no port but its own grader's listens, and nothing got out to this machine's loopback.
        const hits = /hits (\d+)/.exec(readFileSync(join(out, 'x-sabotage', 'report.json'), 'utf8'));
        expect(hits, 'the sabotage printed its count').not.toBeNull();
        expect(Number(hits?.[1]), 'connections the sabotage made').toBe(0);
        expect(outside.reached()).toEqual([]);

        // Nothing the programs could reach changed: the class, the assignment, the folders above.
        expect(snapshot(cls)).toEqual(before);
        expect(readFileSync(join(root, 'hostile.yaml'), 'utf8')).toBe(ASSIGNMENT);
        expect(readdirSync(root).sort()).toEqual(['class', 'hostile.yaml', 'out']);
        expect(existsSync(join(tmpdir(), 'FORGED')) || existsSync(join(tmpdir(), 'OWNED'))).toBe(false);

        // No secret anywhere a program could have sent it: reports, gradebook, what the grader printed.
        const everything = allText(out) + r.stdout + r.stderr;
        for (const [name, value] of Object.entries(SECRETS))
          expect(everything.includes(value), name).toBe(false);

        // Nothing survives, not even a daemon without the run marker, and no late forger rewrites the gradebook.
        const book1 = readFileSync(join(out, 'gradebook.csv'), 'utf8');
        await sleep(3000);
        expect(readFileSync(join(out, 'gradebook.csv'), 'utf8')).toBe(book1);
        expect(processesWith(cls)).toEqual([]);
        for (const n of ['613', '614']) expect(processesWith(`sleep ${n}`)).toEqual([]);
      });
    },
  );
}

describe.concurrent('one submission in CI', needs(sandbox()), () => {
  test('a program cannot write the Classroom result or stop the grader', { timeout: 60_000 }, async () => {
    const { root, cls } = makeRoot();
    const d = student(
      cls,
      'forger',
      fixture('hostile', 'forge.py'),
      lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', false),
      [fixture('hostile', '_wire.py')],
    );
    const output = join(root, 'github_output');
    writeFileSync(output, '');
    const r = await grade(
      [
        'grade',
        '--assignment',
        join(root, 'hostile.yaml'),
        '--reporter',
        'classroom',
        '--out',
        join(root, 'r'),
      ],
      { cwd: d, env: { GITHUB_OUTPUT: output } },
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(Buffer.from((lines[0] as string).slice('result='.length), 'base64').toString());
    const score = result.tests.reduce((a: number, t: { score: number }) => a + t.score, 0);
    expect(score).toBe(10);
    expect(result.max_score).toBe(20);
  });
});

describe.concurrent('interrupting a sandboxed batch', needs(sandbox()), () => {
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${sig} mid-student: exit ${code}, nothing left, nothing saved for the student cut short`, {
      timeout: 120_000,
    }, async () => {
      const { root, cls, out } = makeRoot();
      student(
        cls,
        'a-honest',
        lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', true),
        lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', true),
      );
      student(
        cls,
        'b-hangs',
        fixture('hostile', 'hangs.py'),
        lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', true),
      );
      const args = [
        'grade',
        '--assignment',
        join(root, 'hostile.yaml'),
        '--submissions',
        cls,
        '--out',
        out,
        '--jobs',
        '1',
      ];
      let pid = 0;
      const running = grade(args, { cwd: root, onSpawn: (p) => (pid = p) });
      // Signal while b-hangs is being graded: a-honest is saved, b-hangs waits on its 5 s accept budget.
      for (let i = 0; i < 600 && !existsSync(join(out, 'a-honest', 'report.json')); i++) await sleep(50);
      expect(existsSync(join(out, 'a-honest', 'report.json'))).toBe(true);
      const hangs = join(cls, 'b-hangs', '03-tcp-clients');
      for (let i = 0; i < 400 && processesWith(hangs).length === 0; i++) await sleep(10);
      expect(processesWith(hangs), "b-hangs' program had started").not.toEqual([]);
      process.kill(pid, sig);
      const r = await running;
      expect(r.code, r.stderr).toBe(code);
      expect(existsSync(join(out, 'b-hangs', 'report.json'))).toBe(false);
      expect(existsSync(join(out, 'gradebook.csv'))).toBe(false);
      expect(processesWith(cls)).toEqual([]);
      expect(processesWith(`worker.js ${cls}`)).toEqual([]);

      // The next run keeps a-honest's grade and grades b-hangs in full.
      const again = await grade(args, { cwd: root });
      expect(again.code, again.stderr).toBe(1);
      expect(again.stderr).toMatch(/a-honest: 20\/20 \(from the earlier run\)/);
      expect(gradebook(out)['b-hangs']).toEqual(['0', '10', '10', '20', 'fail']);
    });
  }
});

describe.concurrent('interrupting early', needs(sandbox()), () => {
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${sig} while workers start: exit ${code}, nothing left, nothing saved`, {
      timeout: 60_000,
    }, async () => {
      const { root, cls, out } = makeRoot();
      for (const n of ['a', 'b', 'c'])
        student(
          cls,
          n,
          lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', true),
          fixture('hostile', 'hangs.py'),
        );
      let pid = 0;
      const running = grade(
        ['grade', '--assignment', join(root, 'hostile.yaml'), '--submissions', cls, '--out', out],
        { cwd: root, onSpawn: (p) => (pid = p) },
      );
      // As soon as a worker exists (its programs may not have started yet).
      for (let i = 0; i < 400 && processesWith(`worker.js ${cls}`).length === 0; i++) await sleep(10);
      expect(processesWith(`worker.js ${cls}`), 'a worker had started').not.toEqual([]);
      process.kill(pid, sig);
      const r = await running;
      expect(r.code, r.stderr).toBe(code);
      expect(readdirSync(out)).toEqual([]);
      expect(processesWith(cls)).toEqual([]);
      expect(processesWith(`worker.js ${cls}`)).toEqual([]);
    });
  }

  test('SIGTERM to a single sandboxed grade: exit 143, nothing left', { timeout: 60_000 }, async () => {
    const { root, cls } = makeRoot();
    const d = student(
      cls,
      'one',
      lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', true),
      fixture('hostile', 'hangs.py'),
    );
    let pid = 0;
    const running = grade(['grade', '--assignment', join(root, 'hostile.yaml'), '--out', join(root, 'r')], {
      cwd: d,
      onSpawn: (p) => (pid = p),
    });
    for (let i = 0; i < 600 && processesWith(join(d, '04-tcp-servers')).length === 0; i++) await sleep(10);
    expect(processesWith(join(d, '04-tcp-servers')), 'the program had started').not.toEqual([]);
    process.kill(pid, 'SIGTERM');
    const r = await running;
    expect(r.code, r.stderr).toBe(143);
    expect(existsSync(join(root, 'r'))).toBe(false);
    expect(processesWith(cls)).toEqual([]);
    expect(processesWith(`worker.js ${cls}`)).toEqual([]);
  });
});

describe.concurrent('where the sandbox cannot be made', needs(sandbox()), () => {
  test('a batch stops with exit 2 and the fix; --no-sandbox grades and says it was not isolated', async () => {
    const { root, cls, out } = makeRoot();
    student(
      cls,
      'one',
      lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', true),
      lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', true),
    );
    const env = { SOCKETLINGS_BWRAP: join(root, 'no-bwrap-here') };
    const args = ['grade', '--assignment', join(root, 'hostile.yaml'), '--submissions', cls, '--out', out];
    const refused = await grade(args, { cwd: root, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot be sandboxed on this machine: bubblewrap not found/);
    expect(refused.stderr).toMatch(/--no-sandbox/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'gradebook.csv'))).toBe(false);

    const plain = await grade([...args, '--no-sandbox'], { cwd: root, env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/this run was not isolated: --no-sandbox/);
    expect(JSON.parse(readFileSync(join(out, 'one', 'report.json'), 'utf8')).notIsolated).toMatch(
      /not isolated/,
    );

    // One submission (a student's own CI) is graded without it, and the report says so.
    const single = await grade(['grade', '--assignment', join(root, 'hostile.yaml')], {
      cwd: join(cls, 'one'),
      env,
    });
    expect(single.code, single.stderr).toBe(0);
    expect(single.stdout).toMatch(/this run was not isolated: bubblewrap not found/);
  });
});

describe.concurrent('resuming a batch', needs(sandbox()), () => {
  test('a file linked into .git or .socketlings counts by what it holds: changed there, it is graded again', {
    timeout: 120_000,
  }, async () => {
    const { root, cls, out } = makeRoot();
    const client = lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', true);
    const stub = lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', false);
    const solved = lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', true);
    // s: its server is a link into .git (which the digest skips); h: a hard link with a file in .socketlings.
    const hidden = { s: join('.git', 'server.py'), h: join('.socketlings', 'server.py') };
    for (const [n, inside] of Object.entries(hidden)) {
      const d = student(cls, n, client, stub);
      mkdirSync(join(d, inside, '..'), { mode: 0o755 });
      const served = join(d, '04-tcp-servers', 'tcp_server.py');
      rmSync(served);
      copyFileSync(stub, join(d, inside));
      if (n === 's') symlinkSync(join('..', inside), served);
      else linkSync(join(d, inside), served);
    }
    const args = ['grade', '--assignment', join(root, 'hostile.yaml'), '--submissions', cls, '--out', out];
    const first = await grade(args, { cwd: root });
    expect(first.code, first.stderr).toBe(1);
    expect(gradebook(out).s).toEqual(['10', '0', '10', '20', 'fail']);
    // The working server lands in .git and .socketlings, written in place: the links now lead to it.
    for (const [n, inside] of Object.entries(hidden))
      writeFileSync(join(cls, n, inside), readFileSync(solved));
    const again = await grade(args, { cwd: root });
    expect(again.code, again.stderr).toBe(0);
    for (const n of ['s', 'h']) {
      expect(again.stderr).toMatch(new RegExp(`${n}: graded again \\(the student's files changed`));
      expect(gradebook(out)[n], n).toEqual(['10', '10', '20', '20', 'pass']);
    }
  });

  test('a saved grade is trusted only while the assignment, course and files are the same', {
    timeout: 120_000,
  }, async () => {
    const { root, cls, out } = makeRoot();
    for (const n of ['a', 'b'])
      student(
        cls,
        n,
        lessonFile('03-tcp-clients', 'tcp-client', 'tcp_client.py', true),
        lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', false),
      );
    const asg = join(root, 'hostile.yaml');
    const args = ['grade', '--assignment', asg, '--submissions', cls, '--out', out];
    const first = await grade(args, { cwd: root });
    expect(first.code, first.stderr).toBe(1);
    const again = await grade(args, { cwd: root });
    expect(again.stderr).toMatch(/a: 10\/20 \(from the earlier run\)/);
    expect(again.stderr).toMatch(/b: 10\/20 \(from the earlier run\)/);

    // b hands in a working server: only b is graded again, and the run says why.
    copyFileSync(
      lessonFile('04-tcp-servers', 'tcp-server', 'tcp_server.py', true),
      join(cls, 'b', '04-tcp-servers', 'tcp_server.py'),
    );
    const edited = await grade(args, { cwd: root });
    expect(edited.stderr).toMatch(/b: graded again \(the student's files changed/);
    expect(edited.stderr).toMatch(/a: 10\/20 \(from the earlier run\)/);
    expect(gradebook(out).b).toEqual(['10', '10', '20', '20', 'pass']);

    // The instructor changes the points: everyone is graded again.
    writeFileSync(
      asg,
      ASSIGNMENT.replace('{ id: tcp-server, points: 10 }', '{ id: tcp-server, points: 30 }'),
    );
    const repointed = await grade(args, { cwd: root });
    expect(repointed.stderr).toMatch(/a: graded again \(the assignment changed/);
    expect(gradebook(out).a).toEqual(['10', '0', '10', '40', 'fail']);
  });
});
