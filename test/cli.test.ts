// The commands a learner meets first, run as the built CLI with no terminal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { width } from '../src/ui/layout.js';
import { cli, courseOnDisk, ROOT } from './helpers.js';
import { ipv6, needs, posixFiles, unixSockets } from './needs.js';

/** The lessons as folders on disk, counted without the course loader the commands use. */
const LESSONS = courseOnDisk().lessons;

const ANSI = /\x1b\[/;
// The self-test tries AF_UNIX and ::1; replay lines show paths with "/".
const everyCapability = needs(unixSockets(), await ipv6());
const posix = needs(posixFiles());

test('--version and --help are quick and plain', async () => {
  const v = await cli(['--version']);
  expect(v.code).toBe(0);
  expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  const h = await cli(['--help']);
  expect(h.code).toBe(0);
  for (const c of ['list', 'read', 'verify', 'peer', 'doctor']) expect(h.stdout).toContain(c);
});

test('list shows lessons and exercises in teaching order, plain when piped', async () => {
  const r = await cli(['list']);
  expect(r.code).toBe(0);
  expect(r.stdout).not.toMatch(ANSI);
  const order = [
    'sockets',
    'types',
    'tcp-clients',
    'tcp-client',
    'tcp-servers',
    'tcp-server',
    'echo-server',
    'udp-server',
  ];
  const at = order.map((id) => r.stdout.search(new RegExp(`\\b${id}\\b`)));
  expect(at.every((x) => x >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  const j = JSON.parse((await cli(['list', '--json'])).stdout);
  expect(LESSONS).toBeGreaterThanOrEqual(19);
  expect(j.lessons).toHaveLength(LESSONS);
  expect(j.lessons[2].exercises[0]).toMatchObject({ id: 'tcp-client', file: 'tcp_client.py' });
});

test('read piped has no ANSI; zh-CN renders the Chinese lesson', async () => {
  const en = await cli(['read', 'sockets']);
  expect(en.code).toBe(0);
  expect(en.stdout).not.toMatch(ANSI);
  expect(en.stdout).toContain('AF_INET6');
  expect(en.stdout).not.toContain('**'); // inline Markdown is rendered, also inside list items
  const zh = await cli(['read', '1', '--lang', 'zh-CN']);
  expect(zh.stdout).toContain('套接字');
  expect(zh.stdout).not.toMatch(ANSI);
  const env = await cli(['read', '2'], {
    env: { SOCKETLINGS_LANG: undefined, LANG: 'zh_CN.UTF-8', LC_ALL: undefined },
  });
  expect(env.stdout).toContain('套接字类型');
});

test('with colour forced, read highlights; NO_COLOR wins', async () => {
  const c = await cli(['read', '1'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
  expect(c.stdout).toMatch(ANSI);
  const n = await cli(['read', '1'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
  expect(n.stdout).not.toMatch(ANSI);
});

test('read through the build-time index is the same as read through the loaded course', async () => {
  for (const lang of ['en', 'zh-CN']) {
    const built = await cli(['read', 'tcp-servers', '--lang', lang]);
    const live = await cli(['--course', ROOT, 'read', 'tcp-servers', '--lang', lang]);
    expect(built.stdout).toBe(live.stdout);
  }
});

test('read shows an exercise text too, and refuses an unknown lesson with exit 2', async () => {
  const ex = await cli(['read', 'echo-server']);
  expect(ex.stdout).toContain('What the grader does');
  const bad = await cli(['read', 'nope']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('no lesson "nope"');
  expect(bad.stderr).toContain('socketlings list');
});

test('doctor --json reports each capability of this machine', everyCapability, async () => {
  const r = await cli(['doctor', '--json']);
  expect(r.code).toBe(0);
  const d = JSON.parse(r.stdout);
  expect(d.python.found).toBe(true);
  expect(d.python.version).toMatch(/^3\./);
  expect(d.course).toMatchObject({ valid: true, builtin: true, lessons: LESSONS });
  for (const k of ['tcp-ipv4', 'tcp-ipv6', 'udp-ipv4', 'unix']) expect(d.selfTest[k].status).toBe('ok');
  const text = await cli(['doctor']);
  expect(text.stdout).toContain('loopback self-test');
});

test("doctor's next step for the sandbox sits under the value's column, piped too", async () => {
  const r = await cli(['doctor'], { env: { SOCKETLINGS_BWRAP: '/nonexistent/bwrap' } });
  const fix = r.stdout.split('\n').find((l) => l.includes('→'));
  expect(fix, r.stdout).toMatch(/^ {15}→ install it/);
});

test('a missing Python is a clear error with the next step, exit 2', async () => {
  const r = await cli(
    ['verify', 'tcp-client', '--file', `${ROOT}/lessons/03-tcp-clients/tcp-client/tcp_client.py`],
    {
      env: { SOCKETLINGS_PYTHON: '/nonexistent/python3' },
    },
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('no Python 3 found (tried: /nonexistent/python3)');
  expect(r.stderr).toContain('install Python 3.11 or newer, or set SOCKETLINGS_PYTHON');
});

test('usage errors exit 2 without a stack trace', async () => {
  for (const args of [
    ['verify'],
    ['bogus'],
    ['verify', 'tcp-client', '--seed', 'x', '--file', 'x'],
    ['list', '--lang', 'fr'],
  ]) {
    const r = await cli(args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }
});

test('typos get suggestions: commands, exercise ids, lesson ids; in Chinese too', async () => {
  const cmd = await cli(['verfy', 'tcp-client']);
  expect(cmd.code).toBe(2);
  expect(cmd.stderr).toContain('unknown command "verfy"');
  expect(cmd.stderr).toContain('did you mean verify?');
  const ex = await cli(['peer', 'tcp-clinet']);
  expect(ex.code).toBe(2);
  expect(ex.stderr).toContain('did you mean tcp-client');
  const text = await cli(['read', 'recv-al']);
  expect(text.stderr).toContain('did you mean recv-all');
  const zh = await cli(['--lang', 'zh-CN', 'lsit']);
  expect(zh.stderr).toContain('你是不是想输入 list？');
  const none = await cli(['frobnicate']);
  expect(none.stderr).toContain('`socketlings --help` lists every command');
});

test('grade --help names every reporter grade knows, html too; help fits $COLUMNS in Chinese, words whole', async () => {
  const { REPORTERS } = await import('../src/grading/reporters/registry.js');
  for (const lang of ['en', 'zh-CN']) {
    const h = await cli(['grade', '--help', '--lang', lang], { env: { COLUMNS: '60' } });
    expect(h.code).toBe(0);
    const flat = h.stdout.replace(/\s+/g, '');
    for (const r of REPORTERS) expect(flat).toContain(r);
    expect(h.stdout.split('\n').filter((l) => width(l) > 60)).toEqual([]);
  }
  const en = await cli(['grade', '--help'], { env: { COLUMNS: '60' } });
  expect(en.stdout.replace(/\s+/g, ' ')).toContain(
    'pretty, json, junit, github, classroom or html; repeat for several',
  );
});

test("commander's own words follow the language: headings and errors", async () => {
  const h = await cli(['--help', '--lang', 'zh-CN']);
  expect(h.stdout).toContain('用法：');
  expect(h.stdout).toContain('选项：');
  expect(h.stdout).toContain('命令：');
  expect(h.stdout).not.toContain('Usage:');
  const bad = await cli(['list', '--bogus', '--lang', 'zh-CN']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("错误：未知选项 '--bogus'");
});

test('verify without an id: the current exercise in a workspace, else a clear question', posix, async () => {
  const outside = await cli(['verify']);
  expect(outside.code).toBe(2);
  expect(outside.stderr).toContain('which exercise? For example: socketlings verify tcp-client');
  const dir = mkdtempSync(join(tmpdir(), 'sl-cli-'));
  try {
    expect((await cli(['init'], { cwd: dir })).code).toBe(0);
    // From the folder init ran in: the workspace below is used, and paths are shown from here.
    const r = await cli(['verify', '--seed', '7'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Using the workspace in socketlings');
    expect(r.stdout).toContain('first-contact — ');
    expect(r.stdout).toContain('python3 socketlings/01-sockets/first_contact.py');
    rmSync(join(dir, 'socketlings', '01-sockets', 'first_contact.py'));
    const gone = await cli(['verify'], { cwd: join(dir, 'socketlings') });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('`socketlings reset first-contact` puts the exercise file back');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
