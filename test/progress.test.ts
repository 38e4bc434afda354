// Progress: which exercise is next, and how progress is stored: tolerant, atomic, never silently lost.
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { currentExercise, emptyProgress, markDone } from '../src/app/progress.js';
import type { Progress } from '../src/grading/schema/progress.js';
import { cli, ROOT } from './helpers.js';

const course = { exercises: ['a', 'b', 'c'].map((id) => ({ id })) } as unknown as Parameters<
  typeof currentExercise
>[0];

function progressWith(done: string[], current?: string): Progress {
  let p = emptyProgress('x');
  for (const id of done) p = markDone(p, id);
  return current ? { ...p, current } : p;
}

describe('the exercise to work on: all 8 done-patterns of 3 exercises, with and without a chosen current one', () => {
  // [done, current, expected]
  const table: [string[], string | undefined, string | undefined][] = [
    [[], undefined, 'a'],
    [['a'], undefined, 'b'],
    [['b'], undefined, 'a'],
    [['c'], undefined, 'a'],
    [['a', 'b'], undefined, 'c'],
    [['a', 'c'], undefined, 'b'],
    [['b', 'c'], undefined, 'a'],
    [['a', 'b', 'c'], undefined, undefined],
    [[], 'b', 'b'],
    [['b'], 'b', 'c'],
    [['b', 'c'], 'b', 'a'],
    [['a', 'b', 'c'], 'c', undefined],
    [[], 'gone-from-the-course', 'a'],
  ];
  test.each(table)('done %j, current %s → %s', (done, current, want) => {
    expect(currentExercise(course, progressWith(done, current))?.id).toBe(want);
  });
});

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

async function workspace(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-ws-'));
  made.push(dir);
  const r = await cli(['init', 'ws'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return join(dir, 'ws');
}

test('init makes a workspace with stubs in numbered lesson folders, and never overwrites', async () => {
  const ws = await workspace();
  expect(readdirSync(ws).sort()).toEqual(
    expect.arrayContaining(['.gitignore', '.socketlings', 'README.md', 'socketlings.json', '03-tcp-clients']),
  );
  expect(readFileSync(join(ws, '03-tcp-clients', 'tcp_client.py'), 'utf8')).toContain('# TODO');
  expect(JSON.parse(readFileSync(join(ws, 'socketlings.json'), 'utf8')).course.id).toBe('socketlings-python');
  const again = await cli(['init', 'ws'], { cwd: join(ws, '..') });
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('never overwrites');
  const nested = await cli(['init', 'inner'], { cwd: ws });
  expect(nested.code).toBe(2);
});

test('a passing verify in the workspace is recorded; progress shows it; reset undoes it', async () => {
  const ws = await workspace();
  const file = join(ws, '03-tcp-clients', 'tcp_client.py');
  expect((await cli(['verify', 'tcp-client'], { cwd: ws })).code).toBe(1);
  writeFileSync(file, readFileSync(join(ROOT, 'lessons/03-tcp-clients/tcp-client/solution/tcp_client.py')));
  const pass = await cli(['verify', 'tcp-client'], { cwd: ws });
  expect(pass.code).toBe(0);
  expect(pass.stdout).toContain('tcp-client is done.');
  const p = JSON.parse((await cli(['progress', '--json'], { cwd: ws })).stdout);
  expect(p.done).toEqual(['tcp-client']);
  expect(p.current).not.toBe('tcp-client');
  expect((await cli(['progress'], { cwd: ws })).stdout).toMatch(/1 of \d+ exercises done/);
  // Without a terminal a destructive command asks for --yes instead of prompting.
  const refused = await cli(['reset', 'tcp-client'], { cwd: ws });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('--yes');
  expect((await cli(['reset', 'tcp-client', '--yes'], { cwd: ws })).code).toBe(0);
  expect(readFileSync(file, 'utf8')).toContain('# TODO');
  expect(JSON.parse((await cli(['progress', '--json'], { cwd: ws })).stdout).done).toEqual([]);
});

test('hints come one more at a time; the solution waits for a pass or --yes', async () => {
  const ws = await workspace();
  const one = await cli(['hint', 'tcp-client'], { cwd: ws });
  expect(one.stdout).toMatch(/hint 1 of \d+/);
  expect(one.stdout).not.toMatch(/hint 2 of/);
  const two = await cli(['hint', 'tcp-client'], { cwd: ws });
  expect(two.stdout).toMatch(/hint 2 of \d+/);
  expect((await cli(['solution', 'tcp-client'], { cwd: ws })).code).toBe(2);
  const shown = await cli(['solution', 'tcp-client', '--yes'], { cwd: ws });
  expect(shown.stdout).toContain('sendall');
});

test('a corrupted progress file is kept aside and the learner is told; unknown ids are ignored', async () => {
  const ws = await workspace();
  const file = join(ws, '.socketlings', 'progress.json');
  writeFileSync(file, '{ this is not json');
  const r = await cli(['progress'], { cwd: ws });
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('could not be read');
  const kept = readdirSync(join(ws, '.socketlings')).filter((f) => f.includes('unreadable'));
  expect(kept).toHaveLength(1);
  expect(readFileSync(join(ws, '.socketlings', kept[0] as string), 'utf8')).toBe('{ this is not json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 1,
      course: 'socketlings-python',
      exercises: { 'removed-one': { status: 'done', at: 'x' } },
      future: 1,
    }),
  );
  const p = JSON.parse((await cli(['progress', '--json'], { cwd: ws })).stdout);
  expect(p.done).toEqual([]);
  expect(existsSync(`${file}.tmp`)).toBe(false);
});

test('without a terminal, the menu prints the commands instead, even with stdin left open', async () => {
  const ws = await workspace();
  // A prompt would wait forever on a pipe that stays open and silent: a hang fails the run at the time limit.
  const stdins: string[] = [];
  const open = {
    openStdin: true,
    timeoutMs: 20_000,
    onSpawn: (pid: number) => {
      if (existsSync('/proc/self/fd')) stdins.push(readlinkSync(`/proc/${pid}/fd/0`));
    },
  };
  const r = await cli([], { cwd: ws, ...open });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('socketlings verify <exercise>');
  // A folder of its own: the shared temporary folder may hold someone's workspace, which the menu would offer.
  const nowhere = mkdtempSync(join(tmpdir(), 'sl-nowhere-'));
  const outside = await cli([], { cwd: nowhere, ...open });
  rmSync(nowhere, { recursive: true, force: true });
  expect(outside.stdout).toContain('socketlings init');
  const w = await cli(['watch'], { cwd: ws, ...open });
  expect(w.code).toBe(2);
  expect(w.stderr).toContain('interactive terminal');
  // Where it can be seen: each command's stdin really was an open channel (Node makes it a socket pair on Linux),
  // not /dev/null.
  for (const s of stdins) expect(s).toMatch(/^(pipe|socket):\[/);
});

test('the workspace language is used unless --lang or SOCKETLINGS_LANG says otherwise', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-ws-'));
  made.push(dir);
  await cli(['init', 'ws', '--lang', 'zh-CN'], { cwd: dir, env: { SOCKETLINGS_LANG: undefined } });
  const ws = join(dir, 'ws');
  const zh = await cli(['progress'], { cwd: ws, env: { SOCKETLINGS_LANG: undefined } });
  expect(zh.stdout).toContain('已完成');
  const en = await cli(['progress', '--lang', 'en'], { cwd: ws });
  expect(en.stdout).toContain('exercises done');
});
