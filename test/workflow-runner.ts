// A GitHub Actions job run on this machine, step by step, the way the hosted runner runs it, for tests of the
// workflows socketlings writes (init --ci github) and keeps (.github/workflows/). `run:` steps run for real, in
// order, with bash as the runner calls it, in the job's folder, with the environment the runner sets
// (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_PATH fresh for each step; GITHUB_ACTIONS, CI,
// RUNNER_TEMP, GITHUB_WORKSPACE, …), `if:` and `${{ }}` evaluated (workflow-expr.ts), and what each step writes
// read back: outputs, environment, PATH, summary, annotations (honouring ::stop-commands::). `uses:` steps are
// stood in for by what the action does, with what this machine has (a checkout is the folder itself, setup-node
// and setup-python put this machine's interpreters first on PATH); an action without a stand-in is refused. The
// hosted runner has password-less sudo; where this machine has no sudo and the test runs as root, a `sudo` that
// runs its command as it is stands in.
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { condition, interpolate, type Scope, type Value } from './workflow-expr.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  props: Record<string, string>;
  message: string;
}

export interface StepRun {
  index: number;
  id?: string;
  name: string;
  /** `run`, or the action (`owner/repo@ref`). */
  what: string;
  /** Why it did not run: its `if:` was false, or the test left it out. */
  skipped?: string;
  outcome: 'success' | 'failure' | 'skipped';
  conclusion: 'success' | 'failure' | 'skipped';
  code?: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  /** What a stand-in did in place of the action. */
  standIn?: string;
}

export interface StandInContext {
  with: Record<string, string>;
  env: Record<string, string>;
  workspace: string;
  temp: string;
}

export interface StandInResult {
  outcome: 'success' | 'failure';
  log: string;
  outputs?: Record<string, string>;
  /** Variables for the later steps (as GITHUB_ENV), and folders put first on PATH (as GITHUB_PATH). */
  env?: Record<string, string>;
  path?: string[];
  annotations?: Annotation[];
}

export type StandIn = (c: StandInContext) => StandInResult;

export interface JobRun {
  /** The job's name, evaluated. */
  name: string;
  steps: StepRun[];
  status: 'success' | 'failure';
}

export interface RunOptions {
  /** The workflow file. */
  workflow: string;
  job: string;
  matrix?: Record<string, Value>;
  /** The checkout: the job's working folder. */
  workspace: string;
  /** Where the runner's own folders go (RUNNER_TEMP, the tool cache, the step files). */
  runner: string;
  /** Variables of this machine to add (e.g. npm settings that keep the test off the machine's global folder). */
  env?: Record<string, string>;
  /** Stand-ins besides (or instead of) the built-in ones, by `owner/repo`. */
  uses?: Record<string, StandIn>;
  /** A reason to leave a `run:` step out (too slow for a test), or undefined to run it. */
  leaveOut?: (step: { name: string; run: string }) => string | undefined;
  /**
   * Evaluate every expression and condition, and find a stand-in for every action, but run nothing: each step
   * that would run is recorded as skipped with the reason `planned`.
   */
  planOnly?: boolean;
}

/** The combinations a `strategy.matrix` makes: every product of its lists, less `exclude`, with `include`. */
export function matrixCombos(m: Record<string, unknown> | undefined): Record<string, Value>[] {
  if (!m) return [{}];
  const { include, exclude, ...lists } = m as {
    include?: Record<string, Value>[];
    exclude?: Record<string, Value>[];
  } & Record<string, Value[]>;
  let combos: Record<string, Value>[] = [{}];
  for (const [k, values] of Object.entries(lists)) {
    if (!Array.isArray(values)) throw new Error(`matrix.${k} is not a list`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  }
  const matches = (c: Record<string, Value>, part: Record<string, Value>, keys: string[]) =>
    keys.every((k) => JSON.stringify(c[k]) === JSON.stringify(part[k]));
  for (const ex of exclude ?? []) combos = combos.filter((c) => !matches(c, ex, Object.keys(ex)));
  const original = Object.keys(lists);
  for (const inc of include ?? []) {
    const own = Object.keys(inc).filter((k) => original.includes(k));
    const hits = combos.filter((c) => matches(c, inc, own));
    if (hits.length && own.length) for (const h of hits) Object.assign(h, inc);
    else combos.push({ ...inc });
  }
  return combos.filter((c) => Object.keys(c).length > 0).length ? combos : [{}];
}

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string | boolean;
  env?: Record<string, unknown>;
  with?: Record<string, unknown>;
  'working-directory'?: string;
  'continue-on-error'?: boolean | string;
  'timeout-minutes'?: number;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return unescapeData(s.replace(/%3A/gi, ':').replace(/%2C/gi, ','));
}

/** Workflow commands in a step's output, as the runner reads them: none between stop-commands and its token. */
export function annotationsOf(stdout: string): Annotation[] {
  const out: Annotation[] = [];
  let stoppedUntil: string | undefined;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (stoppedUntil !== undefined) {
      if (line === `::${stoppedUntil}::`) stoppedUntil = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) {
      stoppedUntil = stop[1];
      continue;
    }
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = kv.indexOf('=');
      props[kv.slice(0, eq)] = unescapeProperty(kv.slice(eq + 1));
    }
    out.push({ level: m[1] as Annotation['level'], props, message: unescapeData(m[3] ?? '') });
  }
  return out;
}

/** A GITHUB_OUTPUT or GITHUB_ENV file: `name=value` lines and `name<<DELIMITER` blocks. */
export function keyValueFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i] as string);
      if (i >= lines.length) throw new Error(`unterminated ${heredoc[1]}<<${heredoc[2]} in a step's file`);
      out[heredoc[1] as string] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 1) throw new Error(`not name=value: ${JSON.stringify(line)}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** What the Classroom grading reporter does with its runners' results: decode, add up, fail below full marks. */
const classroomReporter: StandIn = (c) => {
  const runners = (c.with.runners ?? '').split(',').map((r) => r.trim());
  if (!runners.every((r) => /^[a-zA-Z0-9]+$/.test(r)))
    return { outcome: 'failure', log: 'The runners input must be a comma-separated list of strings.' };
  let total = 0;
  let max = 0;
  let failed = false;
  let passed = 0;
  let tests = 0;
  for (const runner of runners) {
    const encoded = c.env[`${runner.toUpperCase()}_RESULTS`];
    if (!encoded) return { outcome: 'failure', log: `no ${runner.toUpperCase()}_RESULTS in the environment` };
    const results = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
      status: string;
      max_score: number;
      tests: { name: string; status: string; score: number }[];
    };
    tests += results.tests.length;
    passed += results.tests.filter((t) => t.status === 'pass').length;
    max += results.max_score;
    total += results.tests.reduce((a, t) => a + t.score, 0);
    if (results.status !== 'pass') failed = true;
  }
  return {
    outcome: failed ? 'failure' : 'success',
    log: `${passed} of ${tests} tests passed; Points ${total}/${max}`,
    outputs: { points: String(total), max: String(max) },
    annotations: [
      { level: 'notice', props: { title: 'Autograding complete' }, message: `Points ${total}/${max}` },
    ],
  };
};

function which(cmd: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.stdout.trim();
}

/** The built-in stand-ins, by action. */
export const STAND_INS: Record<string, StandIn> = {
  'actions/checkout': (c) => {
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: c.workspace, encoding: 'utf8' });
    return head.status === 0
      ? { outcome: 'success', log: `the workspace at ${head.stdout.trim()}` }
      : { outcome: 'failure', log: `the workspace is no git repository with a commit: ${head.stderr}` };
  },
  'actions/setup-node': (c) => {
    const wanted = c.with['node-version'] ?? '';
    if (!wanted) return { outcome: 'failure', log: 'setup-node without node-version' };
    // A node whose global prefix is its own folder, first on PATH, as a tool-cache node is.
    const bin = join(c.temp, 'setup-node', 'bin');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(join(bin, 'node'))) symlinkSync(process.execPath, join(bin, 'node'));
    const prefix = join(c.temp, 'setup-node', 'global');
    return {
      outcome: 'success',
      log: `wanted Node ${wanted}; this machine's ${process.version} stands in`,
      outputs: { 'node-version': process.version },
      env: { NPM_CONFIG_PREFIX: prefix },
      path: [join(prefix, 'bin'), bin],
    };
  },
  'actions/setup-python': (c) => {
    const wanted = c.with['python-version'] ?? '';
    if (!wanted) return { outcome: 'failure', log: 'setup-python without python-version' };
    // That version where pyenv has it, else this machine's python3.
    const root = spawnSync('pyenv', ['root'], { encoding: 'utf8' }).stdout?.trim();
    const have = root && existsSync(join(root, 'versions')) ? readdirSync(join(root, 'versions')) : [];
    const match = have.filter((v) => v === wanted || v.startsWith(`${wanted}.`)).sort();
    const found = match.at(-1);
    const python = found
      ? join(root as string, 'versions', found, 'bin', 'python3')
      : spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    const bin = join(c.temp, 'setup-python', 'bin');
    mkdirSync(bin, { recursive: true });
    for (const name of ['python', 'python3'])
      if (!existsSync(join(bin, name))) symlinkSync(python, join(bin, name));
    const version = spawnSync(python, ['--version'], { encoding: 'utf8' }).stdout.trim();
    return {
      outcome: 'success',
      log: `wanted Python ${wanted}; ${version} (${python}) stands in`,
      outputs: { 'python-version': version.replace(/^Python /, ''), 'python-path': python },
      env: { pythonLocation: resolve(python, '..', '..') },
      path: [bin],
    };
  },
  'actions/upload-artifact': (c) => {
    const path = c.with.path ?? '';
    const full = resolve(c.workspace, path);
    const files = existsSync(full) ? (statSync(full).isDirectory() ? walk(full) : [full]) : [];
    const none = c.with['if-no-files-found'] ?? 'warn';
    if (files.length === 0)
      return none === 'error'
        ? { outcome: 'failure', log: `no files at ${path}` }
        : {
            outcome: 'success',
            log: `no files at ${path}`,
            annotations:
              none === 'warn'
                ? [
                    {
                      level: 'warning',
                      props: {},
                      message: `No files were found with the provided path: ${path}`,
                    },
                  ]
                : [],
          };
    return {
      outcome: 'success',
      log: `${c.with.name ?? 'artifact'}: ${files.length} files from ${path}`,
      outputs: { 'artifact-files': files.map((f) => f.slice(full.length + 1)).join('\n') },
    };
  },
  'classroom-resources/autograding-grading-reporter': classroomReporter,
  // A Chrome for the browser tests, its path as the action's output: this machine's chromium stands in, as the
  // tests use it (bench/browser.mjs); without one the step fails, as the action would on a runner it cannot serve.
  'browser-actions/setup-chrome': () => {
    const chromium = process.env.SOCKETLINGS_CHROMIUM ?? '/usr/bin/chromium';
    return existsSync(chromium)
      ? { outcome: 'success', log: `${chromium} stands in`, outputs: { 'chrome-path': chromium } }
      : { outcome: 'failure', log: `no browser at ${chromium}` };
  },
};

/**
 * Actions a plan may name (their inputs are evaluated) that have no stand-in to run: what they do needs GitHub
 * itself (another job's artifacts).
 */
const PLANNED_ONLY = ['actions/download-artifact'];

/** hashFiles(): a digest of the workspace's files matching the patterns (`*` within a name, `**` any folders). */
function hashFiles(workspace: string, patterns: string[]): string {
  const glob = (p: string) => {
    let re = '';
    for (let i = 0; i < p.length; i++) {
      const ch = p[i] as string;
      if (p.startsWith('**/', i)) {
        re += '(?:.*/)?';
        i += 2;
      } else if (p.startsWith('**', i)) {
        re += '.*';
        i += 1;
      } else if (ch === '*') re += '[^/]*';
      else if (ch === '?') re += '[^/]';
      else re += ch.replace(/[.+^${}()|[\]\\]/, '\\$&');
    }
    return new RegExp(`^${re}$`);
  };
  const res = patterns.map(glob);
  const files = walk(workspace, ['node_modules', '.git'])
    .map((f) => f.slice(workspace.length + 1))
    .filter((rel) => res.some((re) => re.test(rel)))
    .sort();
  if (files.length === 0) return '';
  const h = createHash('sha256');
  for (const f of files)
    h.update(
      createHash('sha256')
        .update(readFileSync(join(workspace, f)))
        .digest(),
    );
  return h.digest('hex');
}

function walk(dir: string, skip: string[] = []): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? (skip.includes(d.name) ? [] : walk(join(dir, d.name), skip)) : [join(dir, d.name)],
  );
}

/** Variables of the test process that the runner would not have (vitest's, npm's of an enclosing script). */
function machineEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(npm_|VITEST|NODE_OPTIONS$|GITHUB_|RUNNER_|CI$|INIT_CWD$)/i.test(k)) out[k] = v;
  return out;
}

function strings(o: Record<string, unknown> | undefined, scope: Scope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o ?? {})) out[k] = interpolate(String(v), scope);
  return out;
}

export function runJob(o: RunOptions): JobRun {
  const wf = parse(readFileSync(o.workflow, 'utf8')) as {
    env?: Record<string, unknown>;
    jobs: Record<
      string,
      {
        'runs-on': string;
        name?: string;
        needs?: string | string[];
        env?: Record<string, unknown>;
        steps: Step[];
        'timeout-minutes'?: number;
        defaults?: { run?: { shell?: string; 'working-directory'?: string } };
      }
    >;
  };
  const job = wf.jobs[o.job];
  if (!job) throw new Error(`${o.workflow} has no job "${o.job}"`);
  const temp = join(o.runner, 'temp');
  const toolCache = join(o.runner, 'tool-cache');
  mkdirSync(temp, { recursive: true });
  mkdirSync(toolCache, { recursive: true });
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: o.workspace, encoding: 'utf8' }).stdout.trim();
  const github: Record<string, Value> = {
    workspace: o.workspace,
    event_name: 'push',
    repository: 'classroom/starter',
    sha: head,
    ref: 'refs/heads/main',
    job: o.job,
    actor: 'student',
  };
  const runner: Record<string, Value> = {
    os: 'Linux',
    arch: 'X64',
    temp,
    tool_cache: toolCache,
    name: 'test',
  };
  const steps: Record<string, Value> = {};
  let env: Record<string, string> = {
    ...machineEnv(),
    ...o.env,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'classroom/starter',
    GITHUB_SHA: head,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_JOB: o.job,
    GITHUB_RUN_ID: '1',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: toolCache,
  };
  let path: string[] = [];
  if (!onPath('sudo') && process.getuid?.() === 0) {
    const tools = join(o.runner, 'tools');
    mkdirSync(tools, { recursive: true });
    writeFileSync(join(tools, 'sudo'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    path = [tools];
  }
  // The jobs this one needs ran before it, and succeeded (the runner would not start it otherwise).
  const needs: Record<string, Value> = {};
  for (const n of [job.needs ?? []].flat()) needs[n] = { result: 'success', outputs: {} };
  const scope = (failed: boolean): Scope => ({
    contexts: {
      github,
      runner,
      steps,
      env,
      needs,
      inputs: {},
      matrix: o.matrix ?? {},
      strategy: { 'fail-fast': true, 'job-index': 0, 'job-total': 1 },
      job: { status: failed ? 'failure' : 'success' },
    },
    status: { failed },
    strict: ['steps', 'matrix', 'needs'],
    hashFiles: (patterns) => hashFiles(o.workspace, patterns),
  });
  const runsOn = interpolate(String(job['runs-on']), scope(false));
  if (!/^ubuntu-/.test(runsOn)) throw new Error(`this harness runs Linux jobs only, not runs-on: ${runsOn}`);
  env = { ...env, ...strings(wf.env, scope(false)), ...strings(job.env, scope(false)) };
  const stands = { ...STAND_INS, ...o.uses };
  const results: StepRun[] = [];
  let failed = false;
  job.steps.forEach((step, index) => {
    const sc = scope(failed);
    const name = interpolate(
      String(step.name ?? (step.uses ? `Run ${step.uses}` : `Run ${String(step.run).split('\n')[0]}`)),
      sc,
    );
    const what = step.uses ?? 'run';
    const record = (r: Partial<StepRun>): StepRun => {
      const done: StepRun = {
        index,
        name,
        what,
        outcome: 'skipped',
        conclusion: 'skipped',
        stdout: '',
        stderr: '',
        outputs: {},
        summary: '',
        annotations: [],
        ...(step.id ? { id: step.id } : {}),
        ...r,
      };
      results.push(done);
      if (step.id)
        steps[step.id] = { outputs: done.outputs, outcome: done.outcome, conclusion: done.conclusion };
      if (done.conclusion === 'failure') failed = true;
      return done;
    };
    if (!condition(step.if, sc)) {
      record({ skipped: `if: ${String(step.if ?? 'success()')}` });
      return;
    }
    const stepEnv = { ...env, ...strings(step.env, sc) };
    const keepGoing = String(step['continue-on-error'] ?? 'false') === 'true';
    const finish = (outcome: 'success' | 'failure', r: Partial<StepRun>) =>
      record({ ...r, outcome, conclusion: outcome === 'failure' && keepGoing ? 'success' : outcome });
    if (step.uses) {
      const action = step.uses.replace(/@.*$/, '');
      const stand = stands[action];
      if (!stand && !(o.planOnly && PLANNED_ONLY.includes(action)))
        throw new Error(`no stand-in for ${step.uses} (step ${index + 1}, ${name})`);
      if (o.planOnly || !stand) {
        strings(step.with, sc);
        record({ skipped: 'planned' });
        return;
      }
      const r = stand({ with: strings(step.with, sc), env: stepEnv, workspace: o.workspace, temp });
      env = { ...env, ...r.env };
      path = [...(r.path ?? []), ...path];
      finish(r.outcome, {
        standIn: r.log,
        outputs: r.outputs ?? {},
        annotations: r.annotations ?? [],
      });
      return;
    }
    const script = interpolate(String(step.run ?? ''), sc);
    if (o.planOnly) {
      record({ skipped: 'planned' });
      return;
    }
    const left = o.leaveOut?.({ name, run: script });
    if (left) {
      record({ skipped: left });
      return;
    }
    const files = join(o.runner, 'files', String(index));
    mkdirSync(files, { recursive: true });
    const f = {
      GITHUB_OUTPUT: join(files, 'output'),
      GITHUB_STEP_SUMMARY: join(files, 'summary'),
      GITHUB_ENV: join(files, 'env'),
      GITHUB_PATH: join(files, 'path'),
    };
    for (const file of Object.values(f)) writeFileSync(file, '');
    const scriptFile = join(temp, `${randomUUID()}.sh`);
    writeFileSync(scriptFile, script);
    const shell = step.shell ?? job.defaults?.run?.shell ?? 'bash';
    const argv =
      shell === 'bash'
        ? ['bash', '--noprofile', '--norc', '-eo', 'pipefail', scriptFile]
        : shell === 'sh'
          ? ['sh', '-e', scriptFile]
          : undefined;
    if (!argv) throw new Error(`shell ${shell} is not one this harness runs (step ${index + 1}, ${name})`);
    const cwd = resolve(
      o.workspace,
      step['working-directory'] ?? job.defaults?.run?.['working-directory'] ?? '.',
    );
    const minutes = step['timeout-minutes'] ?? job['timeout-minutes'] ?? 360;
    const r = spawnSync(argv[0] as string, argv.slice(1), {
      cwd,
      encoding: 'utf8',
      env: {
        ...stepEnv,
        ...f,
        PATH: [...path, stepEnv.PATH ?? ''].join(delimiter),
        GITHUB_ACTION: step.id ?? `__run_${index}`,
      },
      timeout: minutes * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const outputs = keyValueFile(readFileSync(f.GITHUB_OUTPUT, 'utf8'));
    env = { ...env, ...keyValueFile(readFileSync(f.GITHUB_ENV, 'utf8')) };
    const added = readFileSync(f.GITHUB_PATH, 'utf8').split('\n').filter(Boolean);
    path = [...added.reverse(), ...path];
    finish(r.status === 0 ? 'success' : 'failure', {
      code: r.status,
      stdout: r.stdout ?? '',
      stderr: `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`,
      outputs,
      summary: readFileSync(f.GITHUB_STEP_SUMMARY, 'utf8'),
      annotations: annotationsOf(r.stdout ?? ''),
    });
  });
  return {
    name: interpolate(job.name ?? o.job, scope(false)),
    steps: results,
    status: failed ? 'failure' : 'success',
  };
}

/** `which` for tests that need to know whether a tool a step calls exists here. */
export const onPath = (cmd: string): boolean => which(cmd) !== '';
