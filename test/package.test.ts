// The package as a user gets it: `npm pack`, installed into an empty folder without dev dependencies, and run
// there through npx.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-pkg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SOCKETLINGS_LANG: 'en', ...env },
  });

test('the packed tarball installs and runs with no dev dependencies', { timeout: 180_000 }, () => {
  const packed = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  const info = packed[0];
  if (!info) throw new Error('npm pack printed nothing');
  const paths = info.files.map((f) => f.path);
  expect(paths).toContain('dist/cli/main.js');
  expect(paths).toContain('lessons/course.yaml');
  expect(paths).toContain('graders/echo-server.yaml');
  expect(paths).toContain('dist/read-index.json');
  expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);

  const app = join(dir, 'app');
  run('mkdir', ['-p', app], dir);
  run('npm', ['init', '-y'], app);
  run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', join(dir, info.filename)], app);
  expect(run('npm', ['ls', '--omit=dev', '--depth=0'], app)).not.toContain('vitest');

  expect(run('npx', ['--no-install', 'socketlings', '--version'], app).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  expect(run('npx', ['--no-install', 'socketlings', 'list'], app)).toContain('tcp-client');
  expect(run('npx', ['--no-install', 'socketlings', 'read', '1'], app)).toContain('AF_UNIX');
  expect(run('npx', ['--no-install', 'socketlings', 'read', '2', '--lang', 'zh-CN'], app)).toContain(
    '套接字',
  );

  // Text is laid out at the terminal's width ($COLUMNS when piped), found through the index written at build.
  const narrow = run('npx', ['--no-install', 'socketlings', 'read', 'udp'], app, { COLUMNS: '60' });
  expect(narrow).toContain('recvfrom');
  expect(
    Math.max(
      ...narrow
        .split('\n')
        .filter((l) => !l.startsWith('  '))
        .map((l) => l.length),
    ),
  ).toBeLessThanOrEqual(60);
});
