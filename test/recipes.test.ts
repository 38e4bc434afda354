// The scale-out recipes of the README and the grading image, run as written rather than read:
// - the Containerfile's install steps, in a fresh copy of the repository (its build context), then `doctor` and a
//   sandboxed grading inside a root made with bubblewrap that has what the image has (the system's /usr and /etc,
//   socketlings in /opt/socketlings, an unprivileged uid 10001, /data as the working folder);
// - the Kubernetes Indexed Job: four pods, JOB_COMPLETION_INDEX 0..3, each in that image root over one shared
//   folder, then the merge Job;
// - the GitHub Actions matrix: four shard jobs, each in a fresh copy of the repository with its own global npm
//   folder, their artifacts in folders, then the merge job;
// and both merged gradebooks must equal one unsharded run of the same class of 12, hostile students among them.
// Linux only: the image and the sandbox are Linux's.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { fixture, ROOT } from './helpers.js';
import { needs, sandbox } from './needs.js';

const _linux = process.platform === 'linux';
const root = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'sl-recipes-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }), 300_000);

/** The uid the image runs as (`USER 10001:10001`); a grader that is not root runs the image root as itself. */
const IMAGE_UID = 10001;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  const t = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b;
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t }));
  });
}

/** This process's environment without npm's own settings (npx and `npm test` set npm_config_prefix and the like,
 * which would send a runner's global install to this machine's global folder). */
const ownEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));

const baseEnv: NodeJS.ProcessEnv = {
  ...ownEnv,
  NO_COLOR: '1',
  SOCKETLINGS_LANG: 'en',
  // The dependencies were installed from the registry for this clone already: take them from npm's cache.
  NPM_CONFIG_PREFER_OFFLINE: 'true',
  npm_command: '',
};

// ---------------------------------------------------------------------------------------------------------------
// The Containerfile, read as a list of stages and their instructions.

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

function containerfile(): Stage[] {
  const text = readFileSync(join(ROOT, 'Containerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op === 'FROM') {
      const [from = '', , name] = args.split(/\s+/);
      stages.push({ from, ...(name ? { name } : {}), steps: [] });
    } else if (op !== 'ARG') stages.at(-1)?.steps.push({ op, args });
  }
  return stages;
}

/**
 * Where the image's absolute paths are, for the steps run here. Every absolute path a RUN step of the pack stage
 * names must be in this table, so a new one fails the test instead of writing into this machine's own folders.
 */
function imagePaths(base: string): Record<string, string> {
  return { '/tmp/pack': join(base, 'pack'), '/opt/socketlings': join(base, 'opt', 'socketlings') };
}

/** `COPY . .` with the build context's `.dockerignore` applied (plain names and `*.ext`, as that file uses). */
function copyContext(to: string): void {
  const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const ignored = (rel: string) =>
    ignore.some((p) =>
      p.startsWith('*.') ? rel.endsWith(p.slice(1)) : rel === p || rel.startsWith(`${p}/`),
    );
  cpSync(ROOT, to, {
    recursive: true,
    filter: (src) => {
      const rel = relative(ROOT, src).replaceAll('\\', '/');
      return rel === '' || !ignored(rel);
    },
  });
}

/** The image's root, made with bubblewrap: what a container of the image would see, as its user. */
function imageRoot(prefix: string, data: string, env: Record<string, string>, command: string[]): string[] {
  const bwrap = [
    'bwrap',
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--die-with-parent',
    '--ro-bind',
    '/usr',
    '/usr',
    '--ro-bind',
    '/etc',
    '/etc',
    ...['bin', 'lib', 'lib64', 'sbin'].flatMap((d) => ['--symlink', `usr/${d}`, `/${d}`]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--dir',
    '/home/grader',
    '--ro-bind',
    prefix,
    '/opt/socketlings',
    '--bind',
    data,
    '/data',
    '--chdir',
    '/data',
    '--clearenv',
    ...Object.entries({
      // The image links /opt/socketlings/bin/socketlings into /usr/local/bin; /usr is this machine's here, so the
      // folder goes on PATH instead.
      PATH: '/opt/socketlings/bin:/usr/local/bin:/usr/bin:/bin',
      HOME: '/home/grader',
      LANG: 'C.UTF-8',
      NO_COLOR: '1',
      SOCKETLINGS_LANG: 'en',
      // The image's ENV names its own Python (/usr/local/bin/python3); this machine's system Python stands in.
      SOCKETLINGS_PYTHON: '/usr/bin/python3',
      ...env,
    }).flatMap(([k, v]) => ['--setenv', k, v]),
    '--',
    ...command,
  ];
  // USER 10001:10001. bwrap's --uid maps only inside its namespace; the process must be that user outside too.
  return root
    ? ['setpriv', `--reuid=${IMAGE_UID}`, `--regid=${IMAGE_UID}`, '--clear-groups', '--', ...bwrap]
    : bwrap;
}

// ---------------------------------------------------------------------------------------------------------------
// The class: 12 students, 5 honest or partial and 7 hostile (the hostile battery's programs).

const ASSIGNMENT = `format: 1
title: Week 1
exercises:
  - { id: tcp-client, points: 10 }
  - { id: tcp-server, points: 10 }
pass: { percent: 60 }
`;
const HOSTILE = ['forge', 'secrets', 'daemon', 'sabotage', 'stopper', 'forkbomb', 'writer'];
const lesson = (l: string, id: string, f: string, solved: boolean) =>
  join(ROOT, 'lessons', l, id, ...(solved ? ['solution'] : []), f);

/** A grading repository: the class, the assignment, and the vendored tarball the Actions recipe installs. */
function makeRepository(at: string, tarball: string): void {
  const student = (name: string, client: string, server: string, extra: string[] = []) => {
    const d = join(at, 'class', name);
    mkdirSync(join(d, '03-tcp-clients'), { recursive: true });
    mkdirSync(join(d, '04-tcp-servers'), { recursive: true });
    copyFileSync(client, join(d, '03-tcp-clients', 'tcp_client.py'));
    copyFileSync(server, join(d, '04-tcp-servers', 'tcp_server.py'));
    for (const f of extra) copyFileSync(f, join(d, '03-tcp-clients', basename(f)));
  };
  const client = (s: boolean) => lesson('03-tcp-clients', 'tcp-client', 'tcp_client.py', s);
  const server = (s: boolean) => lesson('04-tcp-servers', 'tcp-server', 'tcp_server.py', s);
  for (const n of ['honest-a', 'honest-b', 'honest-c']) student(n, client(true), server(true));
  student('half', client(true), server(false));
  student('stub', client(false), server(false));
  for (const h of HOSTILE)
    student(`x-${h}`, fixture('hostile', `${h}.py`), server(false), [fixture('hostile', '_wire.py')]);
  cpSync(join(dir, 'week1.yaml'), join(at, 'week1.yaml'));
  mkdirSync(join(at, '.github', 'socketlings'), { recursive: true });
  copyFileSync(tarball, join(at, '.github', 'socketlings', basename(tarball)));
}

/** Hand a folder to the image's user, as the pod's `fsGroup`/ownership would; a non-root run owns it already. */
function giveToImageUser(path: string): void {
  chmodSync(path, 0o755);
  if (!root) return;
  chownSync(path, IMAGE_UID, IMAGE_UID);
  for (const f of readdirSync(path, { recursive: true }) as string[])
    chownSync(join(path, f), IMAGE_UID, IMAGE_UID);
}

function readmeYamlBlocks(): string[] {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

// ---------------------------------------------------------------------------------------------------------------

const image = { prefix: '', tarball: '', ms: 0 };
let unsharded = { gradebook: '', ms: 0 };

describe('the grading image and the scale-out recipes', needs(sandbox()), () => {
  beforeAll(async () => {
    const [pack, final] = containerfile();
    if (!pack || !final) throw new Error('Containerfile: expected a pack stage and the image stage');
    const base = join(dir, 'image');
    const paths = imagePaths(base);
    const src = join(base, 'src');
    mkdirSync(src, { recursive: true });
    const t = Date.now();
    // The pack stage, instruction by instruction, in a fresh copy of the build context.
    for (const step of pack.steps) {
      if (step.op === 'WORKDIR') expect(step.args).toBe('/src');
      else if (step.op === 'COPY' && step.args === '. .') copyContext(src);
      else if (step.op === 'COPY') {
        const files = step.args.split(/\s+/).slice(0, -1);
        for (const f of files) copyFileSync(join(ROOT, f), join(src, f));
      } else if (step.op === 'RUN') {
        let cmd = step.args;
        for (const p of cmd.match(/(?<![\w.-])\/[\w./*-]+/g) ?? []) {
          const known = Object.keys(paths).find((k) => p === k || p.startsWith(`${k}/`));
          if (!known) throw new Error(`Containerfile RUN names ${p}, which this test does not place: ${cmd}`);
        }
        for (const [from, to] of Object.entries(paths)) cmd = cmd.replaceAll(from, to);
        const r = await run('sh', ['-c', cmd], src, baseEnv);
        expect(r.code, `${step.args}\n${r.stdout}\n${r.stderr}`).toBe(0);
      } else throw new Error(`Containerfile pack stage: ${step.op} is not handled by this test`);
    }
    image.ms = Date.now() - t;
    image.prefix = paths['/opt/socketlings'] as string;
    image.tarball = join(
      paths['/tmp/pack'] as string,
      readdirSync(paths['/tmp/pack'] as string)[0] as string,
    );
    // The image stage takes Node's binary and that prefix, and nothing else from the pack stage.
    const copies = final.steps.filter((s) => s.op === 'COPY').map((s) => s.args);
    expect(copies).toEqual([
      '--from=pack /usr/local/bin/node /usr/local/bin/node',
      '--from=pack /opt/socketlings /opt/socketlings',
    ]);
    expect(final.steps).toContainEqual({ op: 'USER', args: `${IMAGE_UID}:${IMAGE_UID}` });
    expect(final.steps).toContainEqual({ op: 'WORKDIR', args: '/data' });
    chmodSync(dir, 0o755);
    for (const d of [base, join(base, 'opt'), image.prefix]) chmodSync(d, 0o755);

    // The class, and the unsharded grading every sharded one must equal.
    writeFileSync(join(dir, 'week1.yaml'), ASSIGNMENT);
    const whole = join(dir, 'whole');
    makeRepository(whole, image.tarball);
    giveToImageUser(whole);
    const argv = imageRoot(image.prefix, whole, {}, [
      ...['socketlings', 'grade', '--assignment', 'week1.yaml', '--submissions', 'class'],
      ...['--seed', '7', '--out', 'out'],
    ]);
    const g = await run(argv[0] as string, argv.slice(1), dir);
    expect(g.code, g.stderr).toBe(1); // students below the threshold
    unsharded = { gradebook: readFileSync(join(whole, 'out', 'gradebook.csv'), 'utf8'), ms: g.ms };
  }, 420_000);

  test('the image, as built by its Containerfile, runs doctor and a sandboxed grading as its own user', async () => {
    expect(existsSync(join(image.prefix, 'bin', 'socketlings'))).toBe(true);
    // Installed with its dependencies and nothing of the build's: the packages bundled into dist/cli/ (zod,
    // commander) are not installed again, and their licences ship with the bundle.
    const installed = join(image.prefix, 'lib', 'node_modules', 'socketlings');
    const modules = readdirSync(join(installed, 'node_modules'));
    expect(modules).toContain('yaml');
    expect(modules).not.toContain('zod');
    expect(readFileSync(join(installed, 'dist', 'cli', 'THIRD-PARTY-LICENSES.txt'), 'utf8')).toMatch(
      /^zod \d/m,
    );
    expect(modules).not.toContain('vitest');
    expect(modules).not.toContain('typescript');
    const du = spawnSync('du', ['-sm', image.prefix], { encoding: 'utf8' });
    console.log(`image: /opt/socketlings ${du.stdout.split('\t')[0]} MB; pack stage ${image.ms} ms`);

    const data = join(dir, 'doctor-data');
    mkdirSync(data);
    giveToImageUser(data);
    const argv = imageRoot(image.prefix, data, {}, ['socketlings', 'doctor']);
    const d = await run(argv[0] as string, argv.slice(1), dir);
    expect(d.code, `${d.stdout}\n${d.stderr}`).toBe(0);
    expect(d.stdout).toMatch(/sandbox\s+✓ bubblewrap/);
    expect(d.stdout).toMatch(/python\s+3\.\d+/);
    expect(d.stdout).toMatch(/socketlings\s+\d+\.\d+\.\d+/);
    // Its user is the image's, not root.
    const id = imageRoot(image.prefix, data, {}, ['id', '-u']);
    expect((await run(id[0] as string, id.slice(1), dir)).stdout.trim()).toBe(
      String(root ? IMAGE_UID : process.getuid?.()),
    );
    // The unsharded grading above ran in it: the honest students passed, the stub and every attack did not.
    const rows = Object.fromEntries(
      unsharded.gradebook
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => [l.split(',')[0], l]),
    );
    for (const h of ['honest-a', 'honest-b', 'honest-c']) expect(rows[h]).toBe(`${h},10,10,20,20,pass`);
    expect(rows.stub).toBe('stub,0,0,0,20,fail');
    for (const h of HOSTILE) expect(rows[`x-${h}`]).toMatch(/,fail$/);
  });

  test('the Kubernetes Indexed Job: four pods over one shared folder, then the merge Job', async () => {
    const docs = readmeYamlBlocks()
      .filter((b) => b.includes('kind: Job'))
      .flatMap((b) => b.split(/^---$/m).map((d) => parse(d)));
    const job = docs.find((d) => d?.spec?.completionMode === 'Indexed');
    const merge = docs.find((d) => d?.metadata?.name?.startsWith('merge-'));
    expect(job, 'the README has an Indexed Job').toBeDefined();
    expect(merge, 'the README has a merge Job').toBeDefined();
    const pod = job.spec.template.spec;
    const grader = pod.containers[0];
    // What the sandbox needs of the pod, as the README explains it.
    expect(pod.hostUsers).toBe(false);
    expect(pod.securityContext).toMatchObject({
      runAsUser: IMAGE_UID,
      seccompProfile: { type: 'Unconfined' },
      appArmorProfile: { type: 'Unconfined' },
    });
    expect(grader.securityContext.procMount).toBe('Unmasked');
    const jobs = Number(/--jobs (\d+)/.exec(grader.args.join(' '))?.[1]);
    expect(jobs).toBeGreaterThan(0);
    expect(grader.resources.requests).toBeDefined();
    expect(grader.resources.limits.memory).toBeDefined();
    expect(job.spec.completions).toBe(4);
    expect(grader.workingDir).toBe('/data');
    expect(grader.command).toEqual(['/usr/bin/tini', '--', 'sh', '-c']);

    // The volume: the class and the assignment, handed to the pods' user.
    const volume = join(dir, 'k8s');
    makeRepository(volume, image.tarball);
    giveToImageUser(volume);
    // The four pods at once, as parallelism 4 runs them; tini is PID 1 in the image, bwrap's own init here.
    const t = Date.now();
    const pods = await Promise.all(
      [0, 1, 2, 3].map((i) => {
        const argv = imageRoot(image.prefix, volume, { JOB_COMPLETION_INDEX: String(i) }, [
          'sh',
          '-c',
          grader.args.join(' '),
        ]);
        return run(argv[0] as string, argv.slice(1), dir);
      }),
    );
    const sharded = Date.now() - t;
    for (const p of pods) expect(p.code, `${p.stdout}\n${p.stderr}`).toBe(0);
    const m = merge.spec.template.spec.containers[0];
    expect(m.workingDir).toBe('/data');
    const argv = imageRoot(image.prefix, volume, {}, [...m.command, ...m.args]);
    const merged = await run(argv[0] as string, argv.slice(1), dir);
    expect(merged.code, merged.stderr).toBe(1); // students below the threshold, as in the unsharded run
    expect(merged.stderr + merged.stdout).not.toMatch(/missing|not graded/i);
    expect(readFileSync(join(volume, 'merged', 'gradebook.csv'), 'utf8')).toBe(unsharded.gradebook);
    console.log(
      `12 students: unsharded ${unsharded.ms} ms; 4 pods at once ${sharded} ms, merge ${merged.ms} ms`,
    );
  }, 300_000);

  test('the GitHub Actions matrix: four shard jobs with their artifacts, then the merge job', async () => {
    const wf = parse(readmeYamlBlocks().find((b) => /^jobs:/m.test(b) && b.includes('matrix')) ?? '');
    expect(wf?.jobs?.grade?.strategy?.matrix?.shard).toEqual([1, 2, 3, 4]);
    const artifacts = join(dir, 'artifacts');
    mkdirSync(artifacts);

    /** One job on a fresh runner: a checkout of its own, a global npm folder of its own, the steps in order. */
    async function job(name: string, steps: Record<string, unknown>[], matrix: Record<string, unknown>) {
      const runner = join(dir, 'runners', name);
      const workspace = join(runner, 'work');
      const prefix = join(runner, 'npm-global');
      mkdirSync(prefix, { recursive: true });
      const env = {
        ...baseEnv,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: join(runner, 'temp'),
        GITHUB_OUTPUT: join(runner, 'output'),
        GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
        NPM_CONFIG_PREFIX: prefix,
        PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
        NPM_CONFIG_GLOBALCONFIG: join(runner, 'npmrc-global'),
      };
      mkdirSync(env.RUNNER_TEMP, { recursive: true });
      const expand = (text: string) =>
        text.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, expr: string) => {
          const [scope, key] = expr.split('.');
          if (scope !== 'matrix' || key === undefined || !(key in matrix))
            throw new Error(`${name}: the test does not evaluate \${{ ${expr} }}`);
          return String(matrix[key]);
        });
      const ran: string[] = [];
      // A failed step stops the job; later steps run only with `if: always()`, and the job keeps the first failure.
      let failed: Run | undefined;
      for (const step of steps) {
        if (failed && step.if !== 'always()') continue;
        const uses = step.uses as string | undefined;
        const w = (step.with ?? {}) as Record<string, string>;
        if (uses?.startsWith('actions/checkout@')) makeRepository(workspace, image.tarball);
        else if (uses?.startsWith('actions/setup-node@') || uses?.startsWith('actions/setup-python@')) {
          // This machine's Node and Python stand in for the versions the step sets up.
        } else if (uses?.startsWith('actions/upload-artifact@')) {
          // As the action does by default (`if-no-files-found: warn`), a missing path uploads nothing.
          const from = join(workspace, expand(w.path as string));
          if (existsSync(from)) cpSync(from, join(artifacts, expand(w.name as string)), { recursive: true });
        } else if (uses?.startsWith('actions/download-artifact@')) {
          const pattern = new RegExp(`^${(w.pattern as string).replace('*', '.*')}$`);
          for (const a of readdirSync(artifacts).filter((n) => pattern.test(n)))
            cpSync(join(artifacts, a), join(workspace, w.path as string, a), { recursive: true });
        } else if (uses) throw new Error(`${name}: the test does not stand in for ${uses}`);
        else {
          const script = expand(String(step.run));
          // The runner's own set-up (apt-get and a sysctl, with sudo): this machine has bubblewrap, and its
          // kernel has no AppArmor switch to turn.
          if (/sudo apt-get/.test(script)) {
            expect(script).toContain('bubblewrap');
            continue;
          }
          // GitHub runs a `run:` step with `bash -e {0}` on Linux.
          const r = await run('bash', ['-e', '-c', script], workspace, env);
          ran.push(script);
          if (r.code !== 0) failed ??= r;
        }
      }
      return { code: failed?.code ?? 0, ran, r: failed, workspace };
    }

    const t = Date.now();
    const shards = await Promise.all(
      [1, 2, 3, 4].map((shard) => job(`grade-${shard}`, wf.jobs.grade.steps, { shard })),
    );
    const sharded = Date.now() - t;
    for (const s of shards) {
      expect(s.code, JSON.stringify(s.r ?? {})).toBe(0);
      expect(s.ran.some((c) => c.includes('--shard'))).toBe(true);
    }
    expect(readdirSync(artifacts).sort()).toEqual(['shard-1', 'shard-2', 'shard-3', 'shard-4']);
    // The merge step exits 1 (students below the threshold) after writing; the upload after it has `if: always()`.
    const merge = await job('merge', wf.jobs.merge.steps, {});
    expect(merge.code, JSON.stringify(merge.r)).toBe(1);
    expect(merge.ran.at(-1)).toContain('grade merge');
    const lastUpload = (wf.jobs.merge.steps as Record<string, unknown>[]).at(-1);
    expect(lastUpload?.if).toBe('always()');
    expect(readFileSync(join(merge.workspace, 'merged', 'gradebook.csv'), 'utf8')).toBe(unsharded.gradebook);
    console.log(`12 students: 4 matrix jobs at once (each installing from the tarball) ${sharded} ms`);
  }, 300_000);
});
