// Grading for instructors and CI: assignments, scores with partial credit, batch grading with resume and shards,
// the sandbox. The CI starter files and the pack scaffold: ci-init.test.ts.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli, fixture, ROOT } from './helpers.js';
import { type Need, needs, sandbox } from './needs.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-grade-'));
// A batch, or --sandbox, takes bubblewrap's sandbox.
const inSandbox = needs(sandbox());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const solution = (lesson: string, id: string, file: string) =>
  join(ROOT, 'lessons', lesson, id, 'solution', file);

const ASSIGNMENT = `format: 1
title: Week 1
exercises:
  - { id: tcp-client, points: 10 }
  - { id: tcp-server, points: 10 }
pass: { percent: 50 }
seed: { policy: per-student }
`;

/** A submission folder laid out like a workspace copy, with the given exercises solved. */
function submission(
  root: string,
  name: string,
  solved: ('tcp-client' | 'tcp-server')[],
  extra?: (d: string) => void,
): string {
  const d = join(root, name);
  mkdirSync(join(d, '03-tcp-clients'), { recursive: true });
  mkdirSync(join(d, '04-tcp-servers'), { recursive: true });
  const client = solved.includes('tcp-client')
    ? solution('03-tcp-clients', 'tcp-client', 'tcp_client.py')
    : join(ROOT, 'lessons/03-tcp-clients/tcp-client/tcp_client.py');
  const server = solved.includes('tcp-server')
    ? solution('04-tcp-servers', 'tcp-server', 'tcp_server.py')
    : join(ROOT, 'lessons/04-tcp-servers/tcp-server/tcp_server.py');
  copyFileSync(client, join(d, '03-tcp-clients', 'tcp_client.py'));
  copyFileSync(server, join(d, '04-tcp-servers', 'tcp_server.py'));
  extra?.(d);
  return d;
}

describe('seeds', () => {
  // A report shows the greeting a student's program got (and the seed, in its replay line): a program that prints
  // it by heart must not pass the next grading, which it would if the inputs depended on the name alone.
  test('an exercise is graded with inputs that follow its file: output memorized from a report fails', async () => {
    const asg = join(dir, 'memo.yaml');
    writeFileSync(
      asg,
      'format: 1\ntitle: Memo\nexercises:\n  - { id: first-contact, points: 10 }\nseed: { policy: per-student }\n',
    );
    const d = join(dir, 'memo', 'alice');
    mkdirSync(join(d, '01-sockets'), { recursive: true });
    const file = join(d, '01-sockets', 'first_contact.py');
    copyFileSync(solution('01-sockets', 'first-contact', 'first_contact.py'), file);
    const graded = async (out: string) => {
      const r = await cli(['grade', '--assignment', asg, '--reporter', 'json', '--out', join(dir, out)], {
        cwd: d,
      });
      const tests = JSON.parse(readFileSync(join(dir, out, 'results.json'), 'utf8')).tests as {
        name: string;
        status: string;
        output: string | null;
      }[];
      return { r, printed: tests.find((t) => t.name.includes('greeting')) };
    };
    const first = await graded('memo-1');
    expect(first.r.code, first.r.stdout + first.r.stderr).toBe(0);
    expect(first.printed?.status).toBe('pass');
    const greeting = first.printed?.output ?? '';
    expect(greeting).toMatch(/^HELLO /);
    // The same file again: the same inputs (a rerun, a resumed batch and shards agree).
    expect((await graded('memo-2')).printed?.output).toBe(greeting);
    // It connects, as the checks ask, and prints what it remembers without reading what it is sent.
    writeFileSync(
      file,
      `import os, socket, time\ns = socket.create_connection((os.environ["SOCKETLINGS_HOST"], int(os.environ["SOCKETLINGS_PORT"])))\nprint(${JSON.stringify(greeting)}, flush=True)\ntime.sleep(0.5)\n`,
    );
    const memorized = await graded('memo-3');
    expect(memorized.printed?.status, memorized.r.stdout).toBe('fail');
    expect(memorized.r.code).toBe(1);
  });
});

describe('one submission', () => {
  const asg = join(dir, 'week1.yaml');
  writeFileSync(asg, ASSIGNMENT);

  test('exit 0 at the threshold, 1 below it; partial credit per exercise', async () => {
    const half = submission(dir, 'half', ['tcp-client']);
    const r = await cli(['grade', '--assignment', asg], { cwd: half });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/10\/20 \(pass at 10\)/);
    const none = submission(dir, 'none', []);
    const n = await cli(['grade', '--assignment', asg], { cwd: none });
    expect(n.code).toBe(1);
    expect(n.stdout).toMatch(/0\/20/);
  });

  test('a missing file is a zero for that exercise, not a crash', async () => {
    const d = submission(dir, 'partial', ['tcp-client'], (x) =>
      rmSync(join(x, '04-tcp-servers', 'tcp_server.py')),
    );
    const r = await cli(['grade', '--assignment', asg], { cwd: d });
    expect(r.stdout).toContain('no tcp_server.py in the submission');
    expect(r.code).toBe(0);
  });

  test('a broken assignment is a config error: exit 2, with the file and the place', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, ASSIGNMENT.replace('tcp-server', 'tcp-servr'));
    const r = await cli(['grade', '--assignment', bad], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tcp-servr');
    writeFileSync(bad, ASSIGNMENT.replace('points: 10 }', 'pointz: 10 }'));
    const r2 = await cli(['grade', '--assignment', bad], { cwd: dir });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/bad\.yaml \(exercises\.0\): .*pointz/);
    const r3 = await cli(['grade', '--reporter', 'xml'], { cwd: dir });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('unknown reporter: xml');
  });
});

describe('memory of a whole batch', inSandbox, () => {
  test('--jobs × --memory beyond what the machine has is said once, with the figures and the fix', async () => {
    const root = join(dir, 'mem-class');
    submission(root, 'ada', []);
    const asg = join(dir, 'mem.yaml');
    writeFileSync(asg, 'format: 1\ntitle: Mem\nexercises:\n  - { id: tcp-client, points: 10 }\n');
    const args = ['grade', '--assignment', asg, '--submissions', root];
    const over = await cli([...args, '--out', join(dir, 'mem-1'), '--jobs', '64', '--memory', '4G']);
    const lines = over.stderr.split('\n').filter((l) => l.includes('× --memory'));
    expect(lines, over.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/--jobs 64 × --memory 4 GiB = 256 GiB, more than the [\d.]+ GiB of memory/);
    expect(lines[0]).toContain('lower --jobs or --memory');
    expect(over.code, over.stderr).toBe(1);
    const fits = await cli([...args, '--out', join(dir, 'mem-2'), '--jobs', '1', '--memory', '256M']);
    expect(fits.stderr).not.toContain('× --memory');
  });
});

describe('batch grading', inSandbox, () => {
  const root = join(dir, 'class');
  const out = join(dir, 'class-out');
  const asg = join(dir, 'week1-batch.yaml');
  writeFileSync(asg, ASSIGNMENT);
  submission(root, 'ada', ['tcp-client', 'tcp-server']);
  submission(root, 'bob', ['tcp-client']);
  submission(root, 'cy', [], (d) =>
    copyFileSync(
      fixture('programs', 'echo-server', 'never_binds.py'),
      join(d, '04-tcp-servers', 'tcp_server.py'),
    ),
  );
  submission(root, 'dee', ['tcp-server']);

  test('grades every student in parallel and writes the gradebook; a hanging program costs only its budget', async () => {
    const r = await cli(['grade', '--assignment', asg, '--submissions', root, '--out', out, '--jobs', '8'], {
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(1); // cy does not pass
    const csv = readFileSync(join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('student,tcp-client,tcp-server,total,max,status');
    expect(csv.slice(1)).toEqual([
      'ada,10,10,20,20,pass',
      'bob,10,0,10,20,pass',
      'cy,0,0,0,20,fail',
      'dee,0,10,10,20,pass',
    ]);
    // The never-binding server waits out its 5 s readiness budget while the others are graded alongside: every
    // other student's grading overlaps cy's in time (read from the reports, not from a clock bound).
    const span = (s: string) => {
      const rep = JSON.parse(readFileSync(join(out, s, 'report.json'), 'utf8'));
      const from = Date.parse(rep.startedAt);
      return [from, from + rep.duration];
    };
    const [cyFrom = 0, cyTo = 0] = span('cy');
    for (const s of ['ada', 'bob', 'dee']) {
      const [from = 0, to = 0] = span(s);
      expect(from < cyTo && to > cyFrom, `${s} graded alongside cy`).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(out, 'ada', 'report.json'), 'utf8')).points).toBe(20);
  });

  test('a second run resumes; --force grades again', async () => {
    const saved = ['ada', 'bob', 'cy', 'dee'].map((s) => statSync(join(out, s, 'report.json')).mtimeMs);
    const again = await cli(['grade', '--assignment', asg, '--submissions', root, '--out', out]);
    expect(again.stderr.match(/from the earlier run/g)).toHaveLength(4);
    // Nothing was graded again: no report was written anew.
    expect(['ada', 'bob', 'cy', 'dee'].map((s) => statSync(join(out, s, 'report.json')).mtimeMs)).toEqual(
      saved,
    );
    const forced = await cli(['grade', '--assignment', asg, '--submissions', root, '--out', out, '--force']);
    expect(forced.stderr).not.toContain('from the earlier run');
  });

  test('a launcher script for python3 (a pyenv shim) is asked once for its interpreter, which then runs every program', async () => {
    const bin = join(dir, 'shim-bin');
    const log = join(dir, 'shim.log');
    mkdirSync(bin, { recursive: true });
    const real = (await cli(['doctor', '--json'])).stdout;
    const realPython = JSON.parse(real).python.path as string;
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\necho started >> '${log}'\nexec '${realPython}' "$@"\n`, {
      mode: 0o755,
    });
    const o = join(dir, 'shim-out');
    const r = await cli(['grade', '--assignment', asg, '--submissions', root, '--out', o, '--jobs', '8'], {
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    expect(r.code).toBe(1);
    // Eight programs ran (four students, two exercises); the launcher started once, to be asked.
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
    const ada = JSON.parse(readFileSync(join(o, 'ada', 'report.json'), 'utf8'));
    expect(ada.points).toBe(20);
    expect(ada.exercises[0].result.command).not.toContain(bin);
  });

  test('shards split the class between machines, and together cover it exactly once', async () => {
    const rows = async (shard: string) => {
      const o = join(dir, `shard-${shard.replace('/', 'of')}`);
      await cli([
        'grade',
        '--assignment',
        asg,
        '--submissions',
        root,
        '--out',
        o,
        '--shard',
        shard,
        '--force',
      ]);
      return readFileSync(join(o, 'gradebook.csv'), 'utf8').trim().split('\n').slice(1);
    };
    const [a, b] = await Promise.all([rows('1/2'), rows('2/2')]);
    expect([...a, ...b].map((l) => l.split(',')[0]).sort()).toEqual(['ada', 'bob', 'cy', 'dee']);
    expect(a.length).toBe(2);
    const bad = await cli(['grade', '--submissions', root, '--shard', '3/2']);
    expect(bad.code).toBe(2);
  });
});

test(
  "a worker's long answer arrives whole: event-echo's result (a transcript of 12 MiB in pieces, about 200 KB of JSON) in the sandbox, twice at once",
  inSandbox,
  async () => {
    const solution = join(ROOT, 'lessons/14-event-loops/event-echo/solution/event_echo.py');
    const runs = await Promise.all(
      [1, 2].map(() => cli(['verify', 'event-echo', '--sandbox', '--json', '--file', solution])),
    );
    for (const r of runs) {
      const result = JSON.parse(r.stdout);
      expect(result.status, r.stdout.slice(0, 600)).toBe('pass');
      expect(JSON.stringify(result.checks).length).toBeGreaterThan(100_000);
    }
  },
);

/** The machine's network interfaces besides loopback: what a program outside the sandbox can see. */
const others = Object.keys(networkInterfaces()).filter((n) => n !== 'lo');
const anotherInterface: Need = {
  name: 'a network interface besides lo',
  missing: others.length
    ? undefined
    : 'this machine has only its loopback, so the sandbox has nothing to hide',
  inCi: true,
};
const isolated = needs(sandbox(), anotherInterface);

test(
  'the sandbox (the default) grades inside a network namespace where only loopback exists',
  isolated,
  async () => {
    const d = join(dir, 'sandboxed');
    mkdirSync(join(d, '03-tcp-clients'), { recursive: true });
    copyFileSync(
      fixture('programs', 'sandbox', 'lists_interfaces.py'),
      join(d, '03-tcp-clients', 'tcp_client.py'),
    );
    writeFileSync(join(d, 'a.yaml'), 'format: 1\ntitle: t\nexercises: [{ id: tcp-client }]\n');
    const shown = (out: string) =>
      JSON.parse(readFileSync(join(d, out, 'results.json'), 'utf8'))
        .tests.map((t: { output: string | null }) => t.output ?? '')
        .join('\n');
    const inside = await cli(
      ['grade', '--assignment', 'a.yaml', '--sandbox', '--reporter', 'json', '--out', 'r'],
      { cwd: d },
    );
    expect(inside.code, inside.stderr).toBe(0);
    expect(shown('r')).toContain('interfaces lo');
    expect(shown('r')).not.toMatch(/interfaces lo \w/);
    // Without the sandbox the same program sees the machine's other interfaces too.
    const outside = await cli(
      ['grade', '--assignment', 'a.yaml', '--no-sandbox', '--reporter', 'json', '--out', 'r2'],
      { cwd: d },
    );
    expect(outside.code).toBe(0);
    expect(shown('r2')).toContain(others[0]);
  },
);
