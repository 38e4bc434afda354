// Classes bigger than one machine: shards graded apart and merged give what one machine would have given.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, cli, ROOT } from './helpers.js';
import { needs, RUNUSER, rootWithRunuser, sandbox } from './needs.js';

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
    expect(r2.stderr).toContain(`${join(dir, 'nope')}: no such folder, so no shard.json to merge`);
    mkdirSync(join(dir, 'empty-shard'));
    const r3 = await cli(['grade', 'merge', shardOut(1), join(dir, 'empty-shard'), '--out', join(dir, 'm')]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('is not a grade output folder: it has no shard.json');
    expect(`${r2.stderr}${r3.stderr}`).not.toContain('no report.json');
  });

  test('the same shard twice is refused, by any path to it', async () => {
    const r = await cli(['grade', 'merge', shardOut(1), `${shardOut(1)}/`, '--out', join(dir, 'twice')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('each shard is merged once');
    expect(existsSync(join(dir, 'twice'))).toBe(false);
  });

  test('a reporter of grade that merge has no use for is named as such, not as unknown', async () => {
    const r = await cli([
      'grade',
      'merge',
      shardOut(1),
      shardOut(2),
      '--out',
      join(dir, 'gh'),
      '--reporter',
      'github',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--reporter github is a reporter of grade, not of grade merge');
    expect(r.stderr).not.toContain('unknown reporter');
    const typo = await cli([
      'grade',
      'merge',
      shardOut(1),
      shardOut(2),
      '--out',
      join(dir, 'gh'),
      '--reporter',
      'jnuit',
    ]);
    expect(typo.stderr).toContain('unknown reporter: jnuit');
  });
});

// What merge and resume read could have been edited, or copied in from elsewhere: every report must say what a
// grading would have said, every student must belong, and no link is followed. A refusal is exit 2, names the
// file and the rule, and writes nothing.
describe('grade merge refuses what it cannot trust', () => {
  let k = 0;
  /** A copy of shard `i`, edited. */
  const tampered = (i: number, edit: (d: string) => void): string => {
    const d = join(dir, `tampered-${++k}`);
    cpSync(shardOut(i), d, { recursive: true });
    edit(d);
    return d;
  };
  const editJson = (file: string, edit: (j: Record<string, unknown>) => void) => {
    const j = JSON.parse(readFileSync(file, 'utf8'));
    edit(j);
    writeFileSync(file, JSON.stringify(j, null, 2));
  };
  type Report = { student: string; points: number; maxPoints: number; threshold: number; status: string };
  type Exercises = { exercises: { points: number; maxPoints: number }[] };
  const editReport = (d: string, s: string, edit: (r: Report & Exercises) => void) =>
    editJson(join(d, s, 'report.json'), (j) => edit(j as unknown as Report & Exercises));

  async function refused(shards: string[], named: string, why: string, extra: string[] = []) {
    const out = join(dir, `refused-${++k}`);
    const r = await cli(['grade', 'merge', ...shards, '--out', out, ...extra]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(named);
    expect(r.stderr).toContain(why);
    expect(r.stderr).toMatch(/\n {2}→ \S/);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(existsSync(out), 'nothing written').toBe(false);
    return r;
  }

  // student-04 (shard 4) graded 0 of 16 and failed; student-08 too. The class passes at 8.
  test.each<[string, (r: Report & Exercises) => void, string]>([
    [
      'a total beyond the maximum',
      (r) => Object.assign(r, { points: 1_000_000_000, status: 'pass' }),
      '  - points: 1000000000 points is not within 0 to 16',
    ],
    [
      'a total that is not the sum of the exercises',
      (r) => Object.assign(r, { points: 16, status: 'pass' }),
      '  - points: the total is 16 points, but its exercises add up to 0',
    ],
    [
      "an exercise's points beyond its maximum",
      (r) => {
        (r.exercises[0] as { points: number }).points = 100;
        Object.assign(r, { points: 100, status: 'pass' });
      },
      '  - exercises.0.points: 100 points is not within 0 to 10',
    ],
    [
      "an exercise's maximum that is not the assignment's",
      (r) => {
        (r.exercises[0] as { maxPoints: number }).maxPoints = 100;
      },
      '  - exercises.0.maxPoints: it gives tcp-client a maximum of 100 points, but the assignment gives it 10',
    ],
    [
      "a maximum that is not the assignment's",
      (r) => Object.assign(r, { maxPoints: 1000 }),
      "  - maxPoints: the maximum is 1000 points, but the assignment's is 16",
    ],
    [
      'a pass below the threshold',
      (r) => Object.assign(r, { status: 'pass' }),
      '  - status: the status is pass, but 0 points (passing at 8) give fail',
    ],
    [
      'the report of another student',
      (r) => Object.assign(r, { student: 'student-01' }),
      '  - student: it is the report of student-01, but it is in the folder of student-04',
    ],
  ])('%s', async (_, edit, why) => {
    const t = tampered(4, (d) => editReport(d, 'student-04', edit));
    const r = await refused([shardOut(1), t], join(t, 'student-04', 'report.json'), why);
    expect(r.stderr).toContain('cannot be trusted:\n');
  });

  test('a threshold of its own', async () => {
    const t = tampered(4, (d) => editReport(d, 'student-08', (r) => Object.assign(r, { threshold: 0 })));
    await refused([shardOut(1), t], join(t, 'student-08'), 'were graded differently (threshold: 8 ≠ 0)');
  });

  test('a student the shard did not grade, or that has no folder in --submissions', async () => {
    const stray = (d: string) => {
      cpSync(join(d, 'student-04'), join(d, 'mallory'), { recursive: true });
      editReport(d, 'mallory', (r) => Object.assign(r, { student: 'mallory' }));
    };
    const t = tampered(4, stray);
    await refused([shardOut(1), t], join(t, 'mallory', 'report.json'), `says the shard graded`);
    // Without its manifest, the shard cannot say; the class folder can.
    const bare = tampered(4, (d) => {
      stray(d);
      rmSync(join(d, 'shard.json'));
    });
    const args = ['--submissions', root];
    await refused(
      [shardOut(1), bare],
      join(bare, 'mallory', 'report.json'),
      'mallory has no folder in --submissions',
      args,
    );
  });

  test('a shard graded on other files than those in --submissions is refused, the student named', async () => {
    const changed = join(dir, 'class-changed');
    cpSync(root, changed, { recursive: true });
    // student-04 hands in again after the shards were graded: its grade is not this class's any more.
    writeFileSync(join(changed, 'student-04', '03-tcp-clients', 'tcp_client.py'), '# handed in again\n', {
      flag: 'a',
    });
    const shards = [1, 2, 3, 4].map(shardOut);
    await refused(
      shards,
      join(shardOut(4), 'student-04', 'report.json'),
      `student-04 was graded on other files than those in --submissions ${changed}`,
      ['--submissions', changed],
    );
    // The files they were graded on: merged.
    const ok = await cli([
      'grade',
      'merge',
      ...shards,
      '--out',
      join(dir, 'merged-same'),
      '--submissions',
      root,
    ]);
    expect(ok.code, ok.stderr).toBe(1);
  });

  test('shards graded with another seed or other sandbox settings are refused', async () => {
    const reseeded = tampered(2, (d) =>
      editJson(join(d, 'shard.json'), (m) => Object.assign(m, { seed: 8 })),
    );
    const r = await refused([shardOut(1), reseeded], reseeded, 'were graded differently (seed: 7 ≠ 8)');
    expect(r.stderr).toContain('→ grade every shard with the same --seed');
    const unseeded = tampered(2, (d) =>
      editJson(join(d, 'shard.json'), (m) => {
        delete m.seed;
      }),
    );
    await refused([shardOut(1), unseeded], unseeded, 'were graded differently (seed: 7 ≠ none)');
    const sandboxed = tampered(2, (d) => {
      const s = readdirSync(d).find((n) => n.startsWith('student-')) as string;
      editJson(join(d, s, 'report.json'), (r) => {
        const digests = r.digests as Record<string, string>;
        digests.isolation = 'sandbox user=other memory=1 disk=1 userns=open seccomp=none';
      });
    });
    await refused([shardOut(1), sandboxed], sandboxed, '(sandbox: ');
  });

  test('a --submissions folder that is not there', async () => {
    await refused([shardOut(1)], join(dir, 'nowhere'), 'no such folder', [
      '--submissions',
      join(dir, 'nowhere'),
    ]);
  });

  test('shards of different splits of the class, or a part past the count', async () => {
    const t = tampered(2, (d) =>
      editJson(join(d, 'shard.json'), (m) => Object.assign(m, { shard: { index: 2, count: 2 } })),
    );
    await refused([shardOut(1), t], `${t}: 2/2`, 'the shards split the class in different ways');
    const past = tampered(2, (d) =>
      editJson(join(d, 'shard.json'), (m) => Object.assign(m, { shard: { index: 5, count: 4 } })),
    );
    await refused([shardOut(1), past], join(past, 'shard.json'), 'the shard index is larger than the count');
  });

  test('a student folder or a report that is a link, in a shard', async () => {
    const linked = tampered(4, (d) => {
      rmSync(join(d, 'student-08'), { recursive: true });
      symlinkSync(join(shardOut(1), 'student-01'), join(d, 'student-08'));
    });
    await refused([shardOut(1), linked], join(linked, 'student-08'), 'is a link or a special file');
    const file = tampered(4, (d) => {
      rmSync(join(d, 'student-08', 'report.json'));
      symlinkSync(join(shardOut(4), 'student-08', 'report.json'), join(d, 'student-08', 'report.json'));
    });
    await refused(
      [shardOut(1), file],
      join(file, 'student-08', 'report.json'),
      'is a link or a special file',
    );
  });

  test('a link where merge would write a student folder: refused, nothing written through it', async () => {
    const out = join(dir, 'merge-into-link');
    const elsewhere = join(dir, 'merge-elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'student-05'));
    const r = await cli(['grade', 'merge', shardOut(1), shardOut(2), '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(out, 'student-05')} is a symbolic link`);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(out)).toEqual(['student-05']);
  });

  test('a forged title in a report is printed escaped in the refusal', async () => {
    const t = tampered(4, (d) =>
      editReport(d, 'student-08', (r) => Object.assign(r, { assignment: '\x1b[2J\x1b]52;c;eA==\x07' })),
    );
    const r = await refused(
      [shardOut(1), t],
      join(t, 'student-08'),
      '(assignment: Week 1 ≠ \\x1b[2J\\x1b]52;c;eA==\\x07)',
    );
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });

  test('a forged name in a manifest is printed escaped', async () => {
    const evil = '\x1b[2J\x1b]8;;http://evil/\x07X\n::error::forged';
    const t = tampered(4, (d) =>
      editJson(join(d, 'shard.json'), (m) =>
        Object.assign(m, { students: [...(m.students as string[]), evil] }),
      ),
    );
    const r = await cli([
      'grade',
      'merge',
      shardOut(1),
      shardOut(2),
      shardOut(3),
      t,
      '--out',
      join(dir, 'merged-evil'),
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'missing from every shard (not graded): "\\x1b[2J\\x1b]8;;http://evil/\\x07X\\n::error::forged"',
    );
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });
});

describe('a resumed batch refuses what it cannot trust', () => {
  const args = (out: string) => [
    'grade',
    '--assignment',
    asg,
    '--submissions',
    root,
    '--seed',
    '7',
    '--reporter',
    'junit',
    '--out',
    out,
  ];
  const copyOf = (name: string) => {
    const out = join(dir, name);
    cpSync(join(dir, 'full'), out, { recursive: true });
    return out;
  };
  /** The audit's forgery: no exercise points, yet a total of 10 and a pass. */
  const forge = (out: string) => {
    const file = join(out, 'student-04', 'report.json');
    const r = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...r, points: 10, status: 'pass' }, null, 2));
    return file;
  };

  test('an edited report: refused with the file and the rule, nothing graded or written', async () => {
    const out = copyOf('resume-forged');
    const file = forge(out);
    const book = read(out, 'gradebook.csv');
    const r = await cli(args(out), { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `${file} cannot be trusted:\n  - points: the total is 10 points, but its exercises add up to 0`,
    );
    expect(r.stderr).toContain(`→ delete ${join(out, 'student-04')} so that the student is graded again`);
    expect(r.stderr).not.toMatch(/: \d+\/16/);
    expect(read(out, 'gradebook.csv')).toBe(book);
    // --force trusts no saved report: the student is graded again, the forgery overwritten.
    const again = await cli([...args(out), '--force'], { timeoutMs: 180_000 });
    expect(again.stderr).toContain('student-04: 0/16');
    expect(read(out, 'gradebook.csv')).toBe(read(dir, 'full', 'gradebook.csv'));
  }, 240_000);

  test('a student folder under --out that is a link: refused before any grading, nothing written through it', async () => {
    const out = copyOf('resume-link');
    const elsewhere = join(dir, 'resume-elsewhere');
    mkdirSync(elsewhere);
    rmSync(join(out, 'student-02'), { recursive: true });
    symlinkSync(elsewhere, join(out, 'student-02'));
    const r = await cli(args(out), { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(out, 'student-02')} is a symbolic link`);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  // As the unprivileged user an instructor may grade as: the same refusals.
  test('the same, grading as user nobody', { timeout: 240_000, ...needs(rootWithRunuser()) }, async () => {
    chmodSync(dir, 0o755);
    const tmp = join(dir, 'tmp-nobody');
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777);
    const asNobody = (out: string) =>
      spawnSync(RUNUSER as string, ['-u', 'nobody', '--', process.execPath, CLI, ...args(out)], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', SOCKETLINGS_LANG: 'en', TMPDIR: tmp },
      });
    const forged = copyOf('resume-forged-nobody');
    const file = forge(forged);
    const elsewhere = join(dir, 'resume-elsewhere-nobody');
    mkdirSync(elsewhere);
    const linked = copyOf('resume-link-nobody');
    rmSync(join(linked, 'student-02'), { recursive: true });
    symlinkSync(elsewhere, join(linked, 'student-02'));
    for (const d of [forged, linked, elsewhere]) execFileSync('chown', ['-R', 'nobody', d]);
    const a = asNobody(forged);
    expect(a.status, a.stderr).toBe(2);
    expect(a.stderr).toContain(`${file} cannot be trusted:\n  - points: the total is 10 points`);
    const b = asNobody(linked);
    expect(b.status, b.stderr).toBe(2);
    expect(b.stderr).toContain(`${join(linked, 'student-02')} is a symbolic link`);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

test('summaries count in the singular too: 1 submission, 1 student, 1 shard', async () => {
  const solo = join(dir, 'solo');
  student(solo, 'only', ['tcp-client']);
  const out = join(dir, 'solo-out');
  const g = await cli(['grade', '--assignment', asg, '--submissions', solo, '--out', out, '--seed', '7'], {
    timeoutMs: 120_000,
  });
  expect(g.stdout).toContain('1 submission graded, 1 passed.');
  const m = await cli(['grade', 'merge', out, '--out', join(dir, 'solo-merged')]);
  expect(m.stdout).toContain('1 student from 1 shard merged, 1 passed.');
  const zh = await cli(['grade', 'merge', out, '--out', join(dir, 'solo-merged-zh')], {
    env: { SOCKETLINGS_LANG: 'zh-CN' },
  });
  expect(zh.stdout).toContain('已合并 1 个分片中的 1 名学生，1 名通过。');
}, 150_000);
