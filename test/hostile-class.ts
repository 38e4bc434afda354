// What the hostile tests share: a class folder anyone may read, students made of lesson files and attack
// fixtures, the real CLI run as the current user or as `nobody`, and looks at what a run left behind.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT } from './helpers.js';

const roots: string[] = [];

/** For afterAll: every folder makeRoot made. */
export function removeRoots(): void {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
}

export const lessonFile = (lesson: string, id: string, file: string, solved: boolean) =>
  join(ROOT, 'lessons', lesson, id, ...(solved ? ['solution'] : []), file);

/** A folder anyone may read (the unprivileged run reads it), with a writable output folder beside the class. */
export function makeRoot(assignment: string): { root: string; cls: string; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'sl-hostile-'));
  roots.push(root);
  chmodSync(root, 0o755);
  const cls = join(root, 'class');
  const out = join(root, 'out');
  mkdirSync(cls, { mode: 0o755 });
  mkdirSync(out, { mode: 0o777 });
  chmodSync(out, 0o777);
  writeFileSync(join(root, 'hostile.yaml'), assignment, { mode: 0o644 });
  return { root, cls, out };
}

export function student(
  cls: string,
  name: string,
  client: string,
  server: string,
  extra: string[] = [],
): string {
  const d = join(cls, name);
  for (const sub of ['03-tcp-clients', '04-tcp-servers'])
    mkdirSync(join(d, sub), { recursive: true, mode: 0o755 });
  copyFileSync(client, join(d, '03-tcp-clients', 'tcp_client.py'));
  copyFileSync(server, join(d, '04-tcp-servers', 'tcp_server.py'));
  for (const f of extra) copyFileSync(f, join(d, '03-tcp-clients', f.split('/').pop() as string));
  for (const f of readdirSync(d, { recursive: true }) as string[]) {
    const p = join(d, f);
    chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
  }
  chmodSync(d, 0o755);
  return d;
}

/** Live processes whose command line contains `needle`. */
export function processesWith(needle: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z' && cmd.includes(needle))
        found.push(`${name}: ${cmd}`);
    } catch {
      // gone
    }
  }
  return found;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const canRunuser = process.getuid?.() === 0 && spawnSync('runuser', ['--help']).status === 0;

export interface RunAs {
  cwd: string;
  /** Run as this user (through runuser, by root); the current user when left out. */
  user?: string;
  env?: Record<string, string>;
  onSpawn?: (pid: number) => void;
  /**
   * Start it the way a shell script would with `200>>log 201<dir` on its command line: descriptors the CLI
   * inherits without close-on-exec, opened by the caller (root) before any change of user.
   */
  inherit?: { log: string; dir: string };
}

/** The real CLI, as the current user or as `nobody`. */
export function runCli(args: string[], o: RunAs): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', SOCKETLINGS_LANG: 'en', ...o.env }))
    if (v !== undefined) env[k] = v;
  let argv = o.user
    ? ['runuser', '-u', o.user, '--', process.execPath, CLI, ...args]
    : [process.execPath, CLI, ...args];
  if (o.inherit) {
    env.SL_INHERIT_LOG = o.inherit.log;
    env.SL_INHERIT_DIR = o.inherit.dir;
    argv = ['bash', '-c', 'exec "$@" 200>>"$SL_INHERIT_LOG" 201<"$SL_INHERIT_DIR"', 'bash', ...argv];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: o.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b;
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not finish\n${stdout}\n${stderr}`));
    }, 150_000);
    child.on('spawn', () => child.pid && o.onSpawn?.(child.pid));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function gradebook(out: string): Record<string, string[]> {
  const rows = readFileSync(join(out, 'gradebook.csv'), 'utf8').trim().split('\n').slice(1);
  return Object.fromEntries(rows.map((r) => r.split(',')).map(([name = '', ...rest]) => [name, rest]));
}
