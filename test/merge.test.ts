// Classes bigger than one machine: shards graded apart and merged give what one machine would have given.
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, ROOT } from './helpers.js';
import { needs, sandbox } from './needs.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const assignment = (title: string) => `format: 1
title: ${title}
exercises:
  - { id: tcp-client, points: 10 }
  - { id: tcp-server, points: 6 }
pass: { percent: 50 }
`;

const FILES = {
  'tcp-client': ['03-tcp-clients', 'tcp-client', 'tcp_client.py'],
  'tcp-server': ['04-tcp-servers', 'tcp-server', 'tcp_server.py'],
} as const;

/** A student folder laid out like a workspace, with these exercises solved and the others left as stubs. */
function student(root: string, name: string, solved: (keyof typeof FILES)[]): void {
  for (const [id, [lesson, ex, file]] of Object.entries(FILES)) {
    mkdirSync(join(root, name, lesson), { recursive: true });
    const from = solved.includes(id as keyof typeof FILES)
      ? join(ROOT, 'lessons', lesson, ex, 'solution', file)
      : join(ROOT, 'lessons', lesson, ex, file);
    copyFileSync(from, join(root, name, lesson, file));
  }
}

const root = join(dir, 'class');
const asg = join(dir, 'week1.yaml');
const shardOut = (i: number) => join(dir, `shard-${i}`);
const read = (...p: string[]) => readFileSync(join(...p), 'utf8');
let full: Awaited<ReturnType<typeof cli>>;

beforeAll(async () => {
  writeFileSync(asg, assignment('Week 1'));
  const patterns: (keyof typeof FILES)[][] = [
    ['tcp-client', 'tcp-server'],
    ['tcp-client'],
    ['tcp-server'],
    [],
  ];
  for (let i = 0; i < 9; i++)
    student(root, `student-${String(i + 1).padStart(2, '0')}`, patterns[i % 4] ?? []);
  const grade = (extra: string[]) =>
    cli(
      ['grade', '--assignment', asg, '--submissions', root, '--seed', '7', '--reporter', 'junit', ...extra],
      {
        timeoutMs: 120_000,
      },
    );
  full = await grade(['--out', join(dir, 'full')]);
  // Two shards at a time: the machine is shared.
  for (const pair of [
    [1, 2],
    [3, 4],
  ])
    await Promise.all(
      pair.map((i) => grade(['--out', shardOut(i), '--shard', `${i}/4`, '--reporter', 'html'])),
    );
}, 240_000);

// Shards are batches, which take the sandbox.
describe('grade merge', needs(sandbox()), () => {
  test('four shards graded separately and merged give the same gradebook as one unsharded run', async () => {
    const out = join(dir, 'merged');
    const r = await cli(['grade', 'merge', shardOut(1), shardOut(2), shardOut(3), shardOut(4), '--out', out]);
    expect(r.stdout).toContain('9 students from 4 shards merged');
    expect(r.code).toBe(full.code);
    const book = read(out, 'gradebook.csv');
    expect(book).toBe(read(dir, 'full', 'gradebook.csv'));
    // Not a trivial class: full, partial and zero scores.
    expect(book).toContain('student-01,10,6,16,16,pass');
    expect(book).toContain('student-04,0,0,0,16,fail');
    for (let i = 1; i <= 9; i++) {
      const s = `student-${String(i).padStart(2, '0')}`;
      expect(existsSync(join(out, s, 'junit.xml'))).toBe(true);
      expect(JSON.parse(read(out, s, 'report.json')).points).toBe(
        JSON.parse(read(dir, 'full', s, 'report.json')).points,
      );
    }
    // The shards wrote HTML reports, so the merged output has the class's.
    const html = read(out, 'report.html');
    for (let i = 1; i <= 9; i++) expect(html).toContain(`>student-0${i}</a>`);
    expect(JSON.parse(read(out, 'shard.json')).graded).toHaveLength(9);
  });

  test('a shard left out: its students are named as missing from every shard', async () => {
    const out = join(dir, 'merged-3');
    const r = await cli(['grade', 'merge', shardOut(1), shardOut(2), shardOut(3), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('shards that were not given: 4/4');
    const fourth = read(shardOut(4), 'gradebook.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(fourth).toEqual(['student-04', 'student-08']);
    expect(r.stderr).toContain(`missing from every shard (not graded): ${fourth.join(', ')}`);
    // The submissions folder gives the same list when the shards' own lists are gone.
    const bare = join(dir, 'bare');
    for (const i of [1, 2, 3]) {
      cpSync(shardOut(i), join(bare, String(i)), { recursive: true });
      rmSync(join(bare, String(i), 'shard.json'));
    }
    const r2 = await cli([
      'grade',
      'merge',
      ...[1, 2, 3].map((i) => join(bare, String(i))),
      '--out',
      join(dir, 'merged-bare'),
      '--submissions',
      root,
    ]);
    expect(r2.stderr).toContain(`missing from every shard (not graded): ${fourth.join(', ')}`);
  });

  test('shards of another assignment or course version are refused', async () => {
    const other = join(dir, 'week2.yaml');
    writeFileSync(other, assignment('Week 2'));
    const small = join(dir, 'small');
    student(small, 'zed', []);
    await cli([
      'grade',
      '--assignment',
      other,
      '--submissions',
      small,
      '--out',
      join(dir, 'w2'),
      '--seed',
      '7',
    ]);
    const r = await cli(['grade', 'merge', shardOut(1), join(dir, 'w2'), '--out', join(dir, 'merged-w2')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('were graded differently (assignment: Week 1 ≠ Week 2)');
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const older = join(dir, 'older');
    cpSync(shardOut(2), older, { recursive: true });
    const m = JSON.parse(read(older, 'shard.json'));
    writeFileSync(join(older, 'shard.json'), JSON.stringify({ ...m, courseVersion: '0.0.1-old' }));
    const r2 = await cli(['grade', 'merge', shardOut(1), older, '--out', join(dir, 'merged-old')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/course version: .* ≠ 0\.0\.1-old/);
  });

  test('merging into a shard, or from a folder that is no grade output, is a clear usage error', async () => {
    const r = await cli(['grade', 'merge', shardOut(1), shardOut(2), '--out', shardOut(2)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is one of the shards');
    const r2 = await cli(['grade', 'merge', shardOut(1), join(dir, 'nope'), '--out', join(dir, 'm')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('is not a grade output folder');
  });
});
