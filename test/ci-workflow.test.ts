// The workflow `socketlings init --ci github` writes, run step by step as GitHub's runner runs it
// (workflow-runner.ts), in a starter repository made as an instructor makes one: install from the packed copy
// kept in the repository, grade, the Classroom result, the step summary, the annotations, the artifact, the
// Classroom reporter's points. Then the repository's own .github/workflows: every expression and condition of its
// Linux jobs evaluates, and every action it uses is one the harness knows. Only the npm registry is reached (for
// the dependencies of the packed copy, from npm's cache where it has them).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ACTIONS, CI_NODE, CI_PYTHON } from '../src/app/ci.js';
import { provenance } from '../src/app/release.js';
import { CLI, courseOnDisk, ROOT } from './helpers.js';
import { condition, evaluate, interpolate, type Scope } from './workflow-expr.js';
import { annotationsOf, type JobRun, keyValueFile, matrixCombos, runJob } from './workflow-runner.js';

/** The course's exercises, by their solution folders on disk, and the points the starter assignment gives them. */
const EXERCISES = courseOnDisk().exercises;
const MAX = EXERCISES * 10;

const dir = mkdtempSync(join(tmpdir(), 'sl-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scope = (failed = false): Scope => ({
  contexts: {
    steps: { socketlings: { outputs: { result: 'abc' } }, empty: { outputs: {} } },
    matrix: { node: '24', os: 'ubuntu-latest' },
    runner: { os: 'Linux' },
    github: { event_name: 'push' },
    env: {},
  },
  status: { failed },
  strict: ['steps', 'matrix'],
});

describe('expressions, as the runner evaluates them', () => {
  test.each([
    ["always() && steps.socketlings.outputs.result != ''", false, true],
    ["always() && steps.empty.outputs.result != ''", false, false],
    ["always() && steps.empty.outputs.result != ''", true, false],
    ["always() && steps.socketlings.outputs.result != ''", true, true],
    ["runner.os == 'Linux'", false, true],
    ["runner.os == 'linux'", false, true],
    ["runner.os == 'Linux'", true, false],
    ["runner.os == 'macOS'", false, false],
    ['success()', true, false],
    ['failure()', true, true],
    ['failure()', false, false],
    ["matrix.node == 24 && github.event_name == 'push'", false, true],
    ["!(matrix.os == 'windows-latest')", false, true],
    ["startsWith(matrix.os, 'ubuntu')", false, true],
    ['contains(fromJSON(\'["22", "24"]\'), matrix.node)', false, true],
    [true, false, true],
    [undefined, false, true],
    [undefined, true, false],
  ] as const)('if: %s (earlier step failed: %s) → %s', (src, failed, want) => {
    expect(condition(src, scope(failed))).toBe(want);
  });

  test('values: operands from && and ||, loose equality, format, interpolation', () => {
    expect(evaluate("'' || 'x'", scope())).toBe('x');
    expect(evaluate("'a' && 'b'", scope())).toBe('b');
    expect(evaluate("1 == '1'", scope())).toBe(true);
    expect(evaluate('null == 0', scope())).toBe(true);
    expect(evaluate("format('{0}-{1}', 'a', 2)", scope())).toBe('a-2');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions, not a JS template
    expect(interpolate('node ${{ matrix.node }} on ${{ runner.os }}', scope())).toBe('node 24 on Linux');
  });

  test.each([
    ['secrets.TOKEN', /unknown context "secrets"/],
    ['steps.sokcetlings.outputs.result', /steps\.sokcetlings does not exist/],
    ['matrix.pyhton', /matrix\.pyhton does not exist/],
    ["hashFiles('x')", /hashFiles\(\) has no files here/],
    ["nosuch('x')", /unknown function nosuch/],
    ["runner.os == 'Linux", /unterminated string/],
  ])('refused loudly: %s', (src, error) => {
    expect(() => evaluate(src, scope())).toThrow(error);
  });

  test('hashFiles: a digest of the files the patterns match, empty when none', () => {
    const ws = mkdtempSync(join(dir, 'hash-'));
    writeFileSync(join(ws, 'package-lock.json'), '{}');
    spawnSync('mkdir', ['-p', join(ws, 'a', 'b')]);
    writeFileSync(join(ws, 'a', 'b', 'x.lock'), '1');
    const run = (expr: string) => {
      const plan = join(ws, 'wf.yml');
      writeFileSync(
        plan,
        `jobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - name: \${{ ${expr} }}\n        run: true\n`,
      );
      spawnSync('git', ['init', '-q'], { cwd: ws });
      return runJob({ workflow: plan, job: 'j', workspace: ws, runner: join(ws, 'r'), planOnly: true })
        .steps[0]?.name;
    };
    expect(run("hashFiles('package-lock.json')")).toMatch(/^[0-9a-f]{64}$/);
    expect(run("hashFiles('**/*.lock')")).toMatch(/^[0-9a-f]{64}$/);
    expect(run("hashFiles('**/*.lock')")).not.toBe(run("hashFiles('package-lock.json')"));
    expect(run("hashFiles('nothing.txt')")).toBe('');
  });

  test('workflow commands: annotations read, none inside a stop-commands fence; output files parsed', () => {
    const log = [
      '::error file=a.py,title=x%3A y%2C z::first%0Asecond',
      '::stop-commands::0123abcd',
      '::error::forged',
      '::0123abcd::',
      '::notice title=n::done',
    ].join('\n');
    expect(annotationsOf(log)).toEqual([
      { level: 'error', props: { file: 'a.py', title: 'x: y, z' }, message: 'first\nsecond' },
      { level: 'notice', props: { title: 'n' }, message: 'done' },
    ]);
    expect(keyValueFile('a=1\nb<<EOF\nx\ny\nEOF\nc=\n')).toEqual({ a: '1', b: 'x\ny', c: '' });
    expect(() => keyValueFile('b<<EOF\nx\n')).toThrow(/unterminated/);
  });

  test.each([
    [{ os: ['a', 'b'], n: [1, 2] }, 4],
    [{ os: ['a', 'b'], n: [1, 2], exclude: [{ os: 'b', n: 2 }] }, 3],
    [{ os: ['a'], include: [{ os: 'a', extra: 'x' }, { os: 'c' }] }, 2],
  ])('matrix %j makes %i jobs', (m, n) => {
    expect(matrixCombos(m)).toHaveLength(n);
  });
});

describe('where the running socketlings came from', () => {
  const fake = (files: Record<string, string>) => {
    const root = mkdtempSync(join(dir, 'prov-'));
    const pkg = join(root, 'node_modules', 'socketlings');
    for (const [rel, text] of Object.entries(files)) {
      const file = join(root, rel);
      spawnSync('mkdir', ['-p', join(file, '..')]);
      writeFileSync(file, text);
    }
    spawnSync('mkdir', ['-p', pkg]);
    return pkg;
  };
  const lock = (resolved: string) => ({
    'node_modules/.package-lock.json': JSON.stringify({
      packages: { 'node_modules/socketlings': { version: '1.2.3', resolved } },
    }),
  });
  const never = () => {
    throw new Error('the registry must not be asked');
  };

  test.each([
    [
      'from the registry (npm says so)',
      lock('https://registry.npmjs.org/socketlings/-/socketlings-1.2.3.tgz'),
      never,
      { published: true, how: 'lockfile' },
    ],
    ['from a tarball', lock('file:../socketlings-1.2.3.tgz'), never, { published: false, why: 'tarball' }],
    [
      'from a git URL',
      lock('git+ssh://git@github.com/x/socketlings.git#abc'),
      never,
      { published: false, why: 'tarball' },
    ],
    ['no record; the registry has it', {}, () => ({ has: true }), { published: true, how: 'registry' }],
    [
      'no record; the registry has not',
      {},
      () => ({ has: false }),
      { published: false, why: 'not-on-registry' },
    ],
    ['no record; no answer', {}, () => ({ unknown: 'ENOTFOUND' }), { published: false, why: 'no-answer' }],
  ] as const)('%s', (_, files, ask, want) => {
    expect(provenance(fake(files), '1.2.3', ask)).toMatchObject(want);
  });

  test('a source folder (a clone, or npm link to one) is never taken for a release', () => {
    expect(provenance(ROOT, '0.1.0', never)).toMatchObject({ published: false, why: 'source', detail: ROOT });
  });
});

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Instructor',
      GIT_AUTHOR_EMAIL: 'i@example.org',
      GIT_COMMITTER_NAME: 'Instructor',
      GIT_COMMITTER_EMAIL: 'i@example.org',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A step's record by name, for assertions. */
function step(job: JobRun, name: RegExp) {
  const s = job.steps.find((x) => name.test(x.name) || name.test(x.what));
  if (!s) throw new Error(`no step ${name} in ${job.steps.map((x) => x.name).join(', ')}`);
  return s;
}

/** What a run did, one line per step, for the test log and the report. */
function describeRun(job: JobRun): string {
  return job.steps
    .map((s) => {
      const wrote = [
        Object.keys(s.outputs).length ? `outputs ${Object.keys(s.outputs).join(', ')}` : '',
        s.summary ? `summary ${s.summary.length} B` : '',
        s.annotations.length
          ? `annotations ${['error', 'warning', 'notice'].map((l) => `${s.annotations.filter((a) => a.level === l).length} ${l}`).join(', ')}`
          : '',
      ].filter(Boolean);
      return `${s.index + 1}. ${s.name} [${s.what}]: ${s.skipped ? `skipped (${s.skipped})` : `${s.outcome}${s.code !== undefined ? ` (exit ${s.code})` : ''}`}${s.standIn ? ` — ${s.standIn}` : ''}${wrote.length ? ` — ${wrote.join('; ')}` : ''}`;
    })
    .join('\n');
}

describe('the starter repository’s workflow, run as the runner runs it', () => {
  const starter = join(dir, 'starter');
  // npm may take the packed copy's dependencies from its cache; the command itself stays the workflow's own.
  const machine = { NPM_CONFIG_PREFER_OFFLINE: 'true', npm_config_prefer_offline: 'true' };

  test('init vendors a packed copy of this build (a source folder), and says so', () => {
    const made = spawnSync(process.execPath, [CLI, 'init', 'starter', '--ci', 'github'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', SOCKETLINGS_LANG: 'en' },
    });
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(
      /socketlings \d+\.\d+\.\d+ here is a build from the source folder .*, so the workflow installs the packed copy of it kept in starter\/\.github\/socketlings\/socketlings-\d+\.\d+\.\d+\.tgz \(\d+ KiB\): commit it with the rest/,
    );
    const vendored = readdirSync(join(starter, '.github', 'socketlings'));
    expect(vendored).toEqual([expect.stringMatching(/^socketlings-\d+\.\d+\.\d+\.tgz$/)]);
    const wf = parse(readFileSync(join(starter, '.github/workflows/socketlings.yml'), 'utf8'));
    const uses = (wf.jobs.grade.steps as { uses?: string; with?: Record<string, unknown> }[]).filter(
      (s) => s.uses,
    );
    expect(uses.map((s) => s.uses)).toEqual([
      ACTIONS.checkout,
      ACTIONS.setupNode,
      ACTIONS.setupPython,
      ACTIONS.uploadArtifact,
      ACTIONS.classroomReporter,
    ]);
    expect(String(uses[1]?.with?.['node-version'])).toBe(CI_NODE);
    expect(['22', '24']).toContain(CI_NODE);
    const py = String(uses[2]?.with?.['python-version']);
    expect(py).toBe(CI_PYTHON);
    expect(Number(py.split('.')[1])).toBeGreaterThanOrEqual(11);
    // As an instructor hands it out: a git repository with one commit.
    git(starter, 'init', '-q', '-b', 'main');
    git(starter, 'add', '-A');
    git(starter, 'commit', '-qm', 'starter');
    expect(git(starter, 'ls-files')).toMatch(/\.github\/socketlings\/socketlings-.*\.tgz/);
  }, 120_000);

  test('a fresh repository: installs from the packed copy, grades every stub as 0, reports to Classroom', () => {
    const runner = join(dir, 'runner-1');
    const job = runJob({
      workflow: join(starter, '.github/workflows/socketlings.yml'),
      job: 'grade',
      workspace: starter,
      runner,
      env: machine,
    });
    console.log(`starter workflow, fresh repository:\n${describeRun(job)}`);
    // Every step ran, in order; only the grade (nothing solved yet) and Classroom's points fail.
    expect(job.steps.map((s) => s.skipped)).toEqual(job.steps.map(() => undefined));
    for (const s of job.steps.filter((x) => !/Grade|Classroom/.test(x.name)))
      expect(s.outcome, `${s.name}\n${s.stdout}\n${s.stderr}`).toBe('success');
    expect(step(job, /setup-python/).standIn).toMatch(new RegExp(`wanted Python ${CI_PYTHON}`));

    // The install: the packed copy, onto setup-node's prefix, and it runs.
    const install = step(job, /Install socketlings/);
    expect(`${install.stdout}\n${install.stderr}`).not.toMatch(/npm warn|npm error/i);
    const bin = join(runner, 'temp', 'setup-node', 'global', 'bin');
    const version = spawnSync('socketlings', ['--version'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` },
    });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);

    // The grade: exit 1 (below the threshold), the Classroom result, the summary, at most 10 annotations + a count.
    const grade = step(job, /Grade with socketlings/);
    expect(grade.code, grade.stderr).toBe(1);
    const result = JSON.parse(Buffer.from(grade.outputs.result ?? '', 'base64').toString('utf8'));
    expect(result).toMatchObject({ version: 1, status: 'fail', max_score: MAX });
    expect(EXERCISES).toBeGreaterThanOrEqual(39);
    expect(result.tests.length).toBeGreaterThanOrEqual(EXERCISES);
    expect(result.tests.every((t: { score: number }) => t.score === 0)).toBe(true);
    expect(grade.summary).toContain('| exercise | points | result |');
    expect(grade.summary).toContain(`**0 / ${MAX}**`);
    const errors = grade.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(10);
    for (const a of errors) expect(existsSync(join(starter, a.props.file ?? '-'))).toBe(true);
    expect(grade.annotations.filter((a) => a.level === 'notice')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^\d+ more failing checks/) }),
    ]);
    // It says what it wrote, and the artifact step finds it.
    expect(grade.stderr).toMatch(/socketlings-report\/junit\.xml\s+JUnit/);
    expect(grade.stderr).toMatch(/\$GITHUB_STEP_SUMMARY\s+step summary, appended/);
    const artifact = step(job, /Keep the reports/);
    expect(artifact.outputs['artifact-files']?.split('\n').sort()).toEqual(['junit.xml', 'report.html']);

    // Classroom's reporter reads the result and posts the points; below full marks it fails the job, as it does
    // for every runner.
    const points = step(job, /Points for GitHub Classroom/);
    expect(points.annotations).toEqual([expect.objectContaining({ message: `Points 0/${MAX}` })]);
    expect(job.status).toBe('failure');
  }, 300_000);

  test('a student who has done the work: the same workflow passes, with full points', () => {
    // An instructor's assignment of one exercise, and its reference solution handed in.
    writeFileSync(
      join(starter, 'socketlings-assignment.yaml'),
      'format: 1\ntitle: Week 1\nexercises:\n  - { id: tcp-client, points: 10 }\n',
    );
    copyFileSync(
      join(ROOT, 'lessons', '03-tcp-clients', 'tcp-client', 'solution', 'tcp_client.py'),
      join(starter, '03-tcp-clients', 'tcp_client.py'),
    );
    git(starter, 'commit', '-qam', 'done');
    const job = runJob({
      workflow: join(starter, '.github/workflows/socketlings.yml'),
      job: 'grade',
      workspace: starter,
      runner: join(dir, 'runner-2'),
      env: machine,
    });
    console.log(`starter workflow, solved:\n${describeRun(job)}`);
    expect(job.status, describeRun(job)).toBe('success');
    const grade = step(job, /Grade with socketlings/);
    expect(grade.code).toBe(0);
    expect(grade.annotations).toEqual([]);
    expect(step(job, /Points for GitHub Classroom/).annotations[0]?.message).toBe('Points 10/10');
  }, 300_000);
});

describe('this repository’s own workflows', () => {
  const folder = join(ROOT, '.github', 'workflows');
  const files = existsSync(folder) ? readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)) : [];

  test('there is one at least', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  // Each Linux job of each matrix, planned: conditions and expressions evaluate, each action has a stand-in.
  for (const file of files)
    test(`${file}: every Linux job's expressions evaluate and every action is known`, () => {
      const wf = parse(readFileSync(join(folder, file), 'utf8')) as {
        jobs: Record<string, { 'runs-on': string; strategy?: { matrix?: Record<string, unknown> } }>;
      };
      let planned = 0;
      for (const [name, job] of Object.entries(wf.jobs))
        for (const matrix of matrixCombos(job.strategy?.matrix)) {
          const runsOn = interpolate(String(job['runs-on']), {
            contexts: { matrix },
            status: { failed: false },
          });
          if (!/^ubuntu-/.test(runsOn)) continue;
          const run = runJob({
            workflow: join(folder, file),
            job: name,
            matrix,
            workspace: ROOT,
            runner: mkdtempSync(join(dir, 'plan-')),
            planOnly: true,
          });
          expect(run.steps.length).toBeGreaterThan(0);
          planned++;
        }
      expect(planned).toBeGreaterThan(0);
    });
});
