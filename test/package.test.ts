// The package as a user gets it: `npm pack`, then the starter repository's own workflow commands in an empty
// folder: install the tarball globally (into a temporary prefix, so this machine's global folder is untouched),
// then `socketlings` from folders that have nothing to do with the clone: init, list, verify, the menu without a
// terminal, and `grade` with the reporters and the Classroom output.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { CLI, ROOT } from './helpers.js';
import { needs, shell } from './needs.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-pkg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const prefix = join(dir, 'prefix');
const bin = process.platform === 'win32' ? prefix : join(prefix, 'bin');
const env = {
  ...process.env,
  NO_COLOR: '1',
  SOCKETLINGS_LANG: 'en',
  // The global install goes to the temporary prefix; and no npm of an enclosing script must leak its settings in.
  NPM_CONFIG_PREFIX: prefix,
  // The dependencies were just installed from the registry for this clone: take them from npm's cache without
  // asking the registry again for each (the command itself stays the workflow's own).
  NPM_CONFIG_PREFER_OFFLINE: 'true',
  npm_command: '',
  PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
};

function run(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...env, ...extra }, shell: false });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// npm and the workflow's steps are run as a POSIX runner runs them: npm as a program, steps through sh.
test('from a packed tarball, installed globally by the workflow, socketlings works in any folder', {
  timeout: 300_000,
  ...needs(shell()),
}, () => {
  // --ignore-scripts: the tests run on a fresh build already (prepack would build again).
  const packed = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT);
  const info = (JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[])[0];
  if (!info) throw new Error(`npm pack printed nothing: ${packed.stderr}`);
  const paths = info.files.map((f) => f.path);
  expect(paths).toContain('dist/cli/main.js');
  expect(paths).toContain('dist/wire/launch.py');
  expect(paths).toContain('lessons/course.yaml');
  expect(paths).toContain('graders/echo-server.yaml');
  expect(paths).toContain('dist/read-index.json');
  expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);
  // The package.json a user installs runs nothing at install time.
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const s of ['preinstall', 'install', 'postinstall', 'prepare'])
    expect(manifest.scripts[s]).toBeUndefined();

  // The starter repository, made by the local build, with the tarball kept in it for its workflow.
  const tarball = join(dir, info.filename);
  const made = spawnSync(process.execPath, [CLI, 'init', 'starter', '--ci', 'github', '--from', tarball], {
    cwd: dir,
    encoding: 'utf8',
    env,
  });
  expect(made.status, made.stderr).toBe(0);
  const starter = join(dir, 'starter');
  const wf = parse(readFileSync(join(starter, '.github/workflows/socketlings.yml'), 'utf8'));
  const steps = wf.jobs.grade.steps as { id?: string; name?: string; run?: string }[];
  const install = String(steps.find((s) => s.name === 'Install socketlings')?.run);
  expect(install).toBe(`npm install --global --no-audit --no-fund ./.github/socketlings/${info.filename}`);

  // The workflow's install step, as the runner runs it: no warning of socketlings' own.
  const installed = run('sh', ['-c', install], starter);
  expect(installed.code, installed.stderr).toBe(0);
  expect(`${installed.stdout}\n${installed.stderr}`).not.toMatch(/npm warn/i);
  const list = run('npm', ['ls', '--global', '--depth=1'], dir);
  expect(list.stdout).toContain('socketlings@');
  expect(list.stdout).not.toContain('vitest');

  // From a folder unrelated to the clone or the install.
  const elsewhere = join(dir, 'somewhere', 'else');
  mkdirSync(elsewhere, { recursive: true });
  expect(run('socketlings', ['--version'], elsewhere).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  expect(run('socketlings', ['list'], elsewhere).stdout).toContain('tcp-client');
  expect(run('socketlings', ['read', '2', '--lang', 'zh-CN'], elsewhere).stdout).toContain('套接字');
  const init = run('socketlings', ['init', 'ws'], elsewhere);
  expect(init.code, init.stderr).toBe(0);
  expect(init.stdout).toContain('Next: cd ws && socketlings');
  const ws = join(elsewhere, 'ws');
  expect(readFileSync(join(ws, 'README.md'), 'utf8')).toContain('socketlings watch');
  // The menu without a terminal names the commands instead, in the form that works here.
  const menu = run('socketlings', [], ws);
  expect(menu.code).toBe(0);
  expect(menu.stdout).toContain('  socketlings verify <exercise>');
  // verify: the stub fails; the reference solution, saved over it, passes.
  expect(run('socketlings', ['verify', 'tcp-client'], ws).code).toBe(1);
  copyFileSync(
    join(ROOT, 'lessons', '03-tcp-clients', 'tcp-client', 'solution', 'tcp_client.py'),
    join(ws, '03-tcp-clients', 'tcp_client.py'),
  );
  const verified = run('socketlings', ['verify', 'tcp-client'], ws);
  expect(verified.code, verified.stdout).toBe(0);

  // Installed globally from a tarball, npm keeps no record of where from: the registry is asked, does not have
  // this version, and the starter repository gets a packed copy of the installed package instead of a pin.
  const ci = run('socketlings', ['init', 'ci-starter', '--ci', 'github'], elsewhere);
  expect(ci.code, ci.stderr).toBe(0);
  expect(ci.stdout).toMatch(/here is not on the npm registry, so the workflow installs the packed copy/);
  const packedAgain = join(elsewhere, 'ci-starter', '.github', 'socketlings', info.filename);
  expect(existsSync(packedAgain)).toBe(true);
  const listed = spawnSync('tar', ['-tzf', packedAgain], { encoding: 'utf8' }).stdout.split('\n');
  expect(listed).toContain('package/dist/cli/main.js');
  expect(listed.some((p) => p.startsWith('package/node_modules/'))).toBe(false);

  // Text is laid out at the terminal's width ($COLUMNS when piped), found through the index written at build.
  const narrow = run('socketlings', ['read', 'udp'], elsewhere, { COLUMNS: '60' }).stdout;
  expect(narrow).toContain('recvfrom');
  expect(
    Math.max(
      ...narrow
        .split('\n')
        .filter((l: string) => !l.startsWith('  '))
        .map((l: string) => l.length),
    ),
  ).toBeLessThanOrEqual(60);

  // The workflow's grade step with Actions' environment: reporters, the Classroom output, the report folder.
  const grade = String(steps.find((s) => s.id === 'socketlings')?.run);
  const ghOut = join(dir, 'gh-output');
  const ghSummary = join(dir, 'gh-summary.md');
  const graded = run('sh', ['-c', grade], starter, {
    GITHUB_OUTPUT: ghOut,
    GITHUB_STEP_SUMMARY: ghSummary,
    GITHUB_ACTIONS: 'true',
  });
  expect(graded.code, graded.stderr).toBe(1); // nothing solved yet
  const line = readFileSync(ghOut, 'utf8').trim();
  expect(line).toMatch(/^result=[A-Za-z0-9+/=]+$/);
  const result = JSON.parse(Buffer.from(line.slice('result='.length), 'base64').toString('utf8'));
  expect(result).toMatchObject({ version: 1, status: 'fail' });
  expect(existsSync(join(starter, 'socketlings-report'))).toBe(true);
});

test('npm publish --dry-run is clean', { timeout: 120_000, ...needs(shell()) }, () => {
  // --ignore-scripts for the same reason as above; a login is the only thing a dry run may miss here.
  const r = run('npm', ['publish', '--dry-run', '--ignore-scripts'], ROOT);
  expect(r.code, r.stderr).toBe(0);
  const warnings = r.stderr.split('\n').filter((l) => /npm warn/i.test(l) && !/logged in/.test(l));
  expect(warnings).toEqual([]);
});
