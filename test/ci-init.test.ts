// The CI starter files (init --ci, in a fresh folder and in a git repository) and an instructor's pack
// scaffold: apart from grade.test.ts, so that the two long files run side by side.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-ci-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('init --ci github writes a workflow that runs the grade command, and an assignment it can read', {
  timeout: 180_000,
}, async () => {
  const r = await cli(['init', 'starter', '--ci', 'github'], { cwd: dir, timeoutMs: 150_000 });
  expect(r.code, r.stderr).toBe(0);
  const wf = parse(readFileSync(join(dir, 'starter', '.github/workflows/socketlings.yml'), 'utf8'));
  const steps = wf.jobs.grade.steps as {
    id?: string;
    name?: string;
    run?: string;
    uses?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
  }[];
  const grade = steps.find((s) => s.id === 'socketlings');
  expect(grade?.run).toMatch(/^socketlings grade --assignment socketlings-assignment\.yaml/);
  // This build is a source folder, not a published version: the workflow installs a packed copy of it, kept in
  // the repository (test/ci-workflow.test.ts runs the whole workflow).
  expect(steps.find((s) => s.name === 'Install socketlings')?.run).toMatch(
    /^npm install --global --no-audit --no-fund \.\/\.github\/socketlings\/socketlings-\d+\.\d+\.\d+\.tgz$/,
  );
  expect(r.stdout).toContain('so the workflow installs the packed copy');
  expect(grade?.run).toContain('--reporter classroom');
  const reporter = steps.find((s) => s.uses?.startsWith('classroom-resources/autograding-grading-reporter'));
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
  expect(reporter?.env?.SOCKETLINGS_RESULTS).toBe('${{ steps.socketlings.outputs.result }}');
  expect(reporter?.with?.runners).toBe('socketlings');
  // The same command, as the runner would run it (here with the local build), in Actions' environment.
  const ghOut = join(dir, 'gh-output');
  const ghSummary = join(dir, 'gh-summary.md');
  writeFileSync(ghOut, '');
  writeFileSync(ghSummary, '');
  const args = String(grade?.run)
    .replace(/^socketlings /, '')
    .split(/\s+/);
  const run = await cli(args, {
    cwd: join(dir, 'starter'),
    env: { GITHUB_OUTPUT: ghOut, GITHUB_STEP_SUMMARY: ghSummary, GITHUB_ACTIONS: 'true' },
  });
  expect(run.code).toBe(1); // nothing solved yet
  const line = readFileSync(ghOut, 'utf8').trim();
  expect(line).toMatch(/^result=[A-Za-z0-9+/=]+$/);
  const result = JSON.parse(Buffer.from(line.slice('result='.length), 'base64').toString('utf8'));
  expect(result).toMatchObject({ version: 1, status: 'fail' });
  expect(result.max_score).toBeGreaterThan(0);
  expect(readFileSync(ghSummary, 'utf8')).toContain('| exercise |');
  expect(run.stdout).toContain('::error');
  // In an existing workspace, --ci adds only the CI files, and never overwrites them.
  const again = await cli(['init', '--ci', 'github'], { cwd: join(dir, 'starter') });
  expect(again.code).toBe(2);
});

describe('init in a git repository', () => {
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  };

  test('a fresh repository (git init, a README, a .gitignore) takes the workspace; nothing there is overwritten', async () => {
    const repo = join(dir, 'repo-here');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'README.md'), 'my course\n');
    writeFileSync(join(repo, '.gitignore'), 'notes/\n');
    const r = await cli(['init', '.', '--ci', 'github', '--from', '0.1.0'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('my course\n');
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toBe('notes/\n');
    expect(readFileSync(join(repo, 'SOCKETLINGS.md'), 'utf8')).toContain('socketlings');
    expect(r.stdout).toContain('kept the README.md that was there');
    const wf = parse(readFileSync(join(repo, '.github/workflows/socketlings.yml'), 'utf8'));
    expect(wf.jobs.grade.defaults).toBeUndefined();
    // Anything else in the folder may be someone's work: refused, as before.
    const other = join(dir, 'repo-with-work');
    mkdirSync(other);
    git(other, 'init', '-q');
    writeFileSync(join(other, 'notes.txt'), 'mine\n');
    const refused = await cli(['init', '.'], { cwd: other });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists and is not empty');
  });

  test('a workspace below the repository root gets its workflow at the root, running in the workspace', async () => {
    const repo = join(dir, 'repo-below');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    const r = await cli(['init', '--ci', 'github', '--from', '0.1.0'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(repo, 'socketlings', '.github'))).toBe(false);
    const wf = parse(readFileSync(join(repo, '.github/workflows/socketlings.yml'), 'utf8'));
    expect(wf.jobs.grade.defaults).toEqual({ run: { 'working-directory': 'socketlings' } });
    const upload = (wf.jobs.grade.steps as { uses?: string; with?: Record<string, string> }[]).find((s) =>
      s.uses?.startsWith('actions/upload-artifact'),
    );
    expect(upload?.with?.path).toBe('socketlings/socketlings-report');
    expect(existsSync(join(repo, 'socketlings', 'socketlings-assignment.yaml'))).toBe(true);
    expect(r.stdout).toContain(
      "The workflow is at the git repository's root (.github/workflows/socketlings.yml)",
    );
    // A workflow already at the root is never overwritten.
    const again = await cli(['init', '--ci', 'github', '--from', '0.1.0'], {
      cwd: join(repo, 'socketlings'),
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('socketlings.yml already exists');
  });

  test("graded in that workspace on the runner, the annotations name the learner's file from the checkout", async () => {
    const repo = join(dir, 'repo-annotated');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    expect((await cli(['init', '--ci', 'github', '--from', '0.1.0'], { cwd: repo })).code).toBe(0);
    const ws = join(repo, 'socketlings');
    // A traceback in the learner's file, so that the annotation points at it.
    writeFileSync(join(ws, '01-sockets', 'first_contact.py'), 'raise SystemExit(undefined_name)\n');
    const r = await cli(
      [
        'grade',
        '--assignment',
        'socketlings-assignment.yaml',
        '--reporter',
        'github',
        '--out',
        'socketlings-report',
      ],
      { cwd: ws, env: { GITHUB_WORKSPACE: repo, GITHUB_ACTIONS: 'true' } },
    );
    expect(r.stdout).toMatch(/::error file=socketlings\/01-sockets\/first_contact\.py,line=1,/);
    expect(r.stdout).not.toMatch(/::error file=01-sockets\//);
  });
});

test('dev new makes a pack whose worked example passes dev check', async () => {
  const r = await cli(['dev', 'new', 'my-pack'], { cwd: dir });
  expect(r.code).toBe(0);
  const check = await cli(['--course', join(dir, 'my-pack'), 'dev', 'check']);
  expect(check.code, check.stdout).toBe(0);
  expect(readFileSync(join(dir, 'my-pack', 'graders', 'greeter.yaml'), 'utf8')).toContain('do: group');
  const again = await cli(['dev', 'new', 'my-pack'], { cwd: dir });
  expect(again.code).toBe(2);
});
