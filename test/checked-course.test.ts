// The built-in course is checked when it is built, and a command trusts that check for a file only while the
// file holds the very text that was checked: an edited text is checked again, and its problem reported, naming
// the file. Run on a copy of the built package, with its course edited.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { cli, ROOT } from './helpers.js';

const pkg = mkdtempSync(join(tmpdir(), 'sl-checked-'));
afterAll(() => rmSync(pkg, { recursive: true, force: true }));
for (const part of ['package.json', 'dist', 'lessons', 'graders'])
  cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
const CLI = join(pkg, 'dist', 'cli', 'main.js');
const text = join(pkg, 'lessons', '04-tcp-servers', 'tcp-server', 'en.md');
const grader = join(pkg, 'graders', 'tcp-server.yaml');
const solution = join(pkg, 'lessons', '04-tcp-servers', 'tcp-server', 'solution', 'tcp_server.py');
const original = readFileSync(text, 'utf8');

/** The copy's own CLI, so its own course is the built-in one. */
const run = (args: string[]) => cli(args, { cli: CLI });

test('an edited title is shown as edited', async () => {
  writeFileSync(text, original.replace(/^title: .*$/m, 'title: A TCP server, edited'));
  const r = await run(['verify', 'tcp-server', '--file', solution, '--no-wire']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('tcp-server — A TCP server, edited');
  expect((await run(['list'])).stdout).toContain('A TCP server, edited');
});

test('an edited text that breaks a rule is refused, naming the file, wherever it is read', async () => {
  writeFileSync(text, original.replace(/^title: .*$/m, 'title: ""'));
  for (const args of [['verify', 'tcp-server', '--file', solution], ['list']]) {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lessons/04-tcp-servers/tcp-server/en.md');
    expect(r.stderr).toContain('reinstall socketlings');
  }
  writeFileSync(text, original);
});

test('an edited grader is checked again', async () => {
  const yaml = readFileSync(grader, 'utf8');
  writeFileSync(grader, yaml.replace('within: 5', 'within: "five"'));
  const r = await run(['verify', 'tcp-server', '--file', solution]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('graders/tcp-server.yaml');
  writeFileSync(grader, yaml);
  expect((await run(['verify', 'tcp-server', '--file', solution, '--no-wire'])).code).toBe(0);
});
