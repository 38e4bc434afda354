// Progress in a workspace shared by several commands at once, and in a workspace that cannot be written.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CLI, cli, ROOT } from './helpers.js';
import { needs, RUNUSER, rootWithRunuser } from './needs.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-wslock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A workspace with first-contact and tcp-client solved (their reference solutions copied in). */
async function solvedWorkspace(name: string): Promise<string> {
  const r = await cli(['init', name], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  const ws = join(dir, name);
  copyFileSync(
    join(ROOT, 'lessons/01-sockets/first-contact/solution/first_contact.py'),
    join(ws, '01-sockets/first_contact.py'),
  );
  copyFileSync(
    join(ROOT, 'lessons/03-tcp-clients/tcp-client/solution/tcp_client.py'),
    join(ws, '03-tcp-clients/tcp_client.py'),
  );
  return ws;
}

function progressOf(ws: string): { course: string; exercises: Record<string, { status: string }> } {
  return JSON.parse(readFileSync(join(ws, '.socketlings/progress.json'), 'utf8'));
}

test('20 pairs of concurrent verifies in one workspace: no pass is lost', async () => {
  const ws = await solvedWorkspace('pairs');
  const course = progressOf(ws).course;
  let lost = 0;
  for (let round = 0; round < 20; round++) {
    writeFileSync(
      join(ws, '.socketlings/progress.json'),
      `${JSON.stringify({ format: 1, course, exercises: {}, hints: {} })}\n`,
    );
    const [a, b] = await Promise.all([
      cli(['verify', 'first-contact'], { cwd: ws }),
      cli(['verify', 'tcp-client'], { cwd: ws }),
    ]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    const done = progressOf(ws).exercises;
    if (done['first-contact']?.status !== 'done' || done['tcp-client']?.status !== 'done') lost++;
  }
  expect(lost).toBe(0);
  // No lock and no temporary file is left behind.
  expect(readdirSync(join(ws, '.socketlings'))).toEqual(['progress.json']);
}, 300_000);

test('a lock left by a killed process is taken over', async () => {
  const ws = await solvedWorkspace('stale');
  // A pid that cannot be alive, on this machine.
  const host = (await import('node:os')).hostname();
  writeFileSync(join(ws, '.socketlings/progress.json.lock'), `999999999\n${host}\n`);
  const r = await cli(['verify', 'first-contact'], { cwd: ws });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/could not be saved/);
  expect(progressOf(ws).exercises['first-contact']?.status).toBe('done');
  expect(readdirSync(join(ws, '.socketlings'))).toEqual(['progress.json']);
}, 60_000);

// Root ignores file modes, so a read-only workspace is only read-only for an unprivileged user.
test('a read-only workspace (as user nobody): the verdict is shown, then one line that progress was not saved', {
  timeout: 120_000,
  ...needs(rootWithRunuser()),
}, async () => {
  const ws = await solvedWorkspace('readonly');
  chmodSync(dir, 0o755);
  const before = readFileSync(join(ws, '.socketlings/progress.json'), 'utf8');
  const tmp = mkdtempSync(join(dir, 'tmp-'));
  chmodSync(tmp, 0o1777);
  // Everything readable by others, nothing writable: the files init made are root's and 0644 / 0755.
  for (const p of [ws, join(ws, '.socketlings'), join(ws, '01-sockets')])
    expect(statSync(p).mode & 0o002).toBe(0);
  const r = spawnSync(
    RUNUSER as string,
    ['-u', 'nobody', '--', process.execPath, CLI, 'verify', 'first-contact'],
    {
      cwd: ws,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: '/usr/bin:/bin',
        NO_COLOR: '1',
        SOCKETLINGS_LANG: 'en',
        SOCKETLINGS_PYTHON: '/usr/bin/python3',
        TMPDIR: tmp,
        HOME: tmp,
      },
    },
  );
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/passed · 3 of 3 checks passed/);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/your progress could not be saved \(\.socketlings\/progress\.json: EACCES\)/);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(readFileSync(join(ws, '.socketlings/progress.json'), 'utf8')).toBe(before);
  // A failing verify keeps its own exit code.
  copyFileSync(
    join(ROOT, 'lessons/03-tcp-clients/tcp-client/tcp_client.py'),
    join(ws, '03-tcp-clients/tcp_client.py'),
  );
  const f = spawnSync(
    RUNUSER as string,
    ['-u', 'nobody', '--', process.execPath, CLI, 'verify', 'tcp-client'],
    {
      cwd: ws,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: '/usr/bin:/bin',
        NO_COLOR: '1',
        SOCKETLINGS_LANG: 'en',
        SOCKETLINGS_PYTHON: '/usr/bin/python3',
        TMPDIR: tmp,
      },
    },
  );
  expect(f.status, f.stdout + f.stderr).toBe(1);
  expect(f.stderr).toMatch(/could not be saved/);
  expect(readdirSync(tmp)).toEqual([]);
});
