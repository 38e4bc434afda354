// Test helpers: run the real, built CLI as a child process, and look for anything a run left behind.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { undecided as undecidedResult } from '../src/grading/results.js';
import { listeners } from '../src/wire/listening.js';
import { parseLsof, parseNetstat } from '../src/wire/ostools.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  /** Another build's entry point (a copy of the package) instead of this one's. */
  cli?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Called once the process has started, e.g. to signal it. */
  onSpawn?: (pid: number) => void;
  /** Fail the test if the command has not finished by then. */
  timeoutMs?: number;
  /** Leave stdin an open, silent pipe (the case where a prompt would hang forever). */
  openStdin?: boolean;
}

/** Run `socketlings ...args` with no terminal, as CI would. */
export function cli(args: string[], o: CliOptions = {}): Promise<CliRun> {
  const t = Date.now();
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', SOCKETLINGS_LANG: 'en', ...o.env }))
      if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [o.cli ?? CLI, ...args], {
      cwd: o.cwd ?? ROOT,
      env,
      // An open pipe that nobody writes to or closes, while the command runs; otherwise no stdin at all.
      stdio: [o.openStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `socketlings ${args.join(' ')} did not finish within ${o.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, o.timeoutMs ?? 60_000);
    child.on('spawn', () => child.pid && o.onSpawn?.(child.pid));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin?.destroy();
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - t });
    });
  });
}

/**
 * `socketlings verify ... --json` (the arguments after `verify`), graded again while a check is undecidable: the
 * machine was too busy to judge it in two runs, which is no verdict either way, and what a learner is told to do
 * then is run it again. Up to three gradings; a verdict, pass or fail, stands at once. The last run is returned,
 * with how many gradings were undecidable before it.
 */
export async function verifyDecided(
  args: string[],
  o: CliOptions = {},
): Promise<{ run: CliRun; result: VerifyJson | undefined; undecided: number }> {
  for (let undecided = 0; ; undecided++) {
    const run = await cli(['verify', ...args], o);
    let result: VerifyJson | undefined;
    try {
      result = JSON.parse(run.stdout);
    } catch {
      return { run, result: undefined, undecided };
    }
    if (!result || !undecidedResult(result) || undecided === 2) return { run, result, undecided };
  }
}

/** The parts of `verify --json` the tests read. */
export interface VerifyJson {
  status: string;
  rerun?: string[];
  stretched?: number;
  checks: {
    id: string;
    status: string;
    message: string;
    expected?: string;
    actual?: string;
    hint?: string;
    undecidable?: boolean;
  }[];
}

/**
 * Pids of live processes, other than socketlings itself, whose command line mentions `needle` (a fixture path).
 * `interpreterOnly` leaves out launchers that pass the path on (a pyenv shim is a shell script running python3),
 * which come and go while the program starts.
 */
export function processesMentioning(needle: string, interpreterOnly = false): number[] {
  if (process.platform !== 'linux') return processesFromPs(needle, interpreterOnly);
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      const argv0 = (cmd.split('\0')[0] ?? '').split('/').pop() ?? '';
      if (interpreterOnly && !argv0.startsWith('python')) continue;
      if (state !== 'Z' && cmd.includes(needle) && !cmd.includes(CLI)) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

/** macOS and Windows have no /proc: ask `ps`, or PowerShell for every process's command line. */
function processesFromPs(needle: string, interpreterOnly: boolean): number[] {
  const r =
    process.platform === 'win32'
      ? spawnSync(
          'powershell',
          [
            '-NoProfile',
            '-Command',
            'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.CommandLine)" }',
          ],
          { encoding: 'utf8' },
        )
      : spawnSync('ps', ['-axww', '-o', 'pid=,stat=,command='], { encoding: 'utf8' });
  const out: number[] = [];
  for (const line of (r.stdout ?? '').split(/\r?\n/)) {
    const m =
      process.platform === 'win32' ? /^(\d+) ()(.*)$/.exec(line) : /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!m?.[3] || m[2]?.startsWith('Z') || !m[3].includes(needle) || m[3].includes(CLI)) continue;
    if (interpreterOnly && !/python/i.test(m[3].split(' ')[0] ?? '')) continue;
    if (Number(m[1]) !== process.pid) out.push(Number(m[1]));
  }
  return out;
}

/** Is anything on this machine listening on (or bound to, for UDP) this port? */
export function portInUse(port: number): boolean {
  const all =
    process.platform === 'darwin'
      ? parseLsof(spawnSync('lsof', ['-nP', '-i', '-F', 'pftPnT'], { encoding: 'utf8' }).stdout ?? '')
      : process.platform === 'win32'
        ? parseNetstat(spawnSync('netstat', ['-ano'], { encoding: 'utf8' }).stdout ?? '')
        : listeners();
  return all.some((l) => l.transport !== 'unix' && l.where === String(port));
}

/** Ports the grader's peers connected to, read from a JSON result's transcripts. */
export function portsIn(result: { checks: { transcript: { text: string }[] }[] }): number[] {
  const ports = new Set<number>();
  for (const c of result.checks)
    for (const e of c.transcript) {
      const m = /(?:127\.0\.0\.1|\[::1\]|::1):(\d+)/.exec(e.text);
      if (m?.[1]) ports.add(Number(m[1]));
    }
  return [...ports];
}

/**
 * The two ways of grading: Linux's (socket tables and processes read from /proc) and the portable one that macOS
 * and Windows get (the Python launcher's reports, process group and reported forks), forced here with
 * SOCKETLINGS_PORTABLE=1. Both must give the same verdicts. Off Linux only the portable way exists.
 */
export const MODES: { name: string; env: Record<string, string> }[] =
  process.platform === 'linux'
    ? [
        { name: 'linux', env: {} },
        { name: 'portable', env: { SOCKETLINGS_PORTABLE: '1' } },
      ]
    : [{ name: 'portable', env: {} }];

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/**
 * The course's lessons and exercises as folders on disk (an exercise has a solution/ folder), counted without the
 * course loader the commands use: a test that compares with what a command says checks the loader too.
 */
export function courseOnDisk(): { lessons: number; exercises: number } {
  const lessons = readdirSync(join(ROOT, 'lessons')).filter((l) => /^\d\d-/.test(l));
  const exercises = lessons.flatMap((l) =>
    readdirSync(join(ROOT, 'lessons', l)).filter((e) => existsSync(join(ROOT, 'lessons', l, e, 'solution'))),
  );
  return { lessons: lessons.length, exercises: exercises.length };
}
