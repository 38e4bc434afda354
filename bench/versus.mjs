// Part of npm run bench: socketlings against learnyounode, each verifying a correct TCP server, and the CPU of
// one verify of every exercise's reference solution. learnyounode is installed by npm into a temporary folder
// (and its progress kept in a temporary HOME), so nothing of it stays behind. Both run with the PATH as it is,
// as a learner has it: where python3 is a launcher script (pyenv), socketlings goes through it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * One run: wall ms, CPU seconds (user + system, of the command and every child it waited for) and peak RSS in KiB
 * (of the largest single process), where /usr/bin/time can tell them.
 */
export function timed(cmd, args, opts) {
  const t = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%U %S %M', cmd, ...args], { encoding: 'utf8', ...opts })
    : spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const [user, sys, rss] = TIME ? (r.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number) : [];
  return {
    ms,
    cpu: TIME ? user + sys : Number.NaN,
    rss: TIME ? rss : Number.NaN,
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

/** Where python3 leads on this PATH: the file found, and whether it is a launcher script rather than a binary. */
export function pythonOnPath(env) {
  const which = spawnSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8', env }).stdout.trim();
  let script = false;
  try {
    script = readFileSync(which).subarray(0, 2).toString() === '#!';
  } catch {
    // Not found: the figures below will say so by failing.
  }
  return { which, script };
}

/**
 * Install learnyounode into a temporary folder and choose its TCP server exercise (TIME SERVER). Returns how to
 * run its verify on its own reference solution, and how to clean up.
 */
export function learnyounode() {
  const dir = mkdtempSync(join(tmpdir(), 'sl-learnyounode-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(
    npm,
    ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', 'learnyounode'],
    { encoding: 'utf8' },
  );
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`npm install learnyounode failed:\n${install.stderr}`);
  }
  const pkg = join(dir, 'node_modules', 'learnyounode');
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  const bin = join(pkg, 'bin', 'learnyounode');
  const program = join(dir, 'time-server.js');
  copyFileSync(join(pkg, 'exercises', 'time_server', 'solution', 'solution.js'), program);
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
  const sel = spawnSync(process.execPath, [bin, 'select', 'TIME SERVER'], {
    encoding: 'utf8',
    env,
    cwd: dir,
  });
  if (sel.status !== 0) throw new Error(`learnyounode select failed:\n${sel.stderr}`);
  return {
    version,
    case: { cmd: process.execPath, args: [bin, 'verify', program], env, cwd: dir },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The built-in course's exercises, each with its reference solution. */
export function exercises(root) {
  const manifest = parse(readFileSync(join(root, 'lessons', 'course.yaml'), 'utf8'));
  return manifest.lessons.flatMap((l) =>
    (l.exercises ?? []).map((e) => ({
      id: e.id,
      lesson: basename(l.dir),
      solution: join(root, e.dir, 'solution', e.file),
    })),
  );
}

/** CPU of one verify per exercise, one at a time (so that none waits for a core another verify holds). */
export function verifyCpu(cli, root, env) {
  const rows = [];
  for (const ex of exercises(root)) {
    const r = timed(process.execPath, [cli, 'verify', ex.id, '--file', ex.solution], { env, cwd: root });
    if (r.status !== 0)
      throw new Error(`verify ${ex.id} of its reference solution: exit ${r.status}\n${r.stdout}`);
    rows.push({ id: ex.id, cpu: r.cpu, ms: r.ms });
  }
  return rows;
}
