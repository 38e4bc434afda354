// npm run bench: start-up and grading times, as medians of several runs with bare `node -e 0` measured in the
// same run as the floor. The machine is shared and noisy, so ratios to the floor matter more than seconds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { courseLine, wholeCourse } from './course.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const env = { ...process.env, NO_COLOR: '1', SOCKETLINGS_LANG: 'en' };

/** One run: wall ms, and peak RSS in KiB where /usr/bin/time can tell it. */
function once(cmd, args, extraEnv = {}) {
  const t = process.hrtime.bigint();
  const opts = { env: { ...env, ...extraEnv }, encoding: 'utf8', cwd: ROOT };
  const r = TIME ? spawnSync(TIME, ['-f', '%M', cmd, ...args], opts) : spawnSync(cmd, args, opts);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const rss = TIME ? Number(r.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { ms, rss, status: r.status };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Interleave the commands run by run, so a burst of load on the machine hits all of them alike. */
function measure(cases) {
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let i = 0; i < RUNS + 1; i++) {
    for (const c of cases) {
      const r = once(c.cmd, c.args, c.env);
      if (c.expect !== undefined && r.status !== c.expect)
        throw new Error(`${c.name}: exit ${r.status}, wanted ${c.expect}`);
      if (i > 0) samples.get(c.name).push(r); // the first round warms the disk cache
    }
  }
  return new Map(
    [...samples].map(([k, v]) => [
      k,
      { ms: median(v.map((x) => x.ms)), rss: Math.max(...v.map((x) => x.rss)) },
    ]),
  );
}

const solution = (lesson, id, file) => join(ROOT, 'lessons', lesson, id, 'solution', file);
const cases = [
  { name: 'node -e 0 (floor)', cmd: process.execPath, args: ['-e', '0'] },
  { name: 'python3 -c pass', cmd: 'python3', args: ['-c', 'pass'] },
  { name: 'socketlings --version', cmd: process.execPath, args: [CLI, '--version'], expect: 0, target: 1.3 },
  { name: 'socketlings list', cmd: process.execPath, args: [CLI, 'list'], expect: 0 },
  // Lessons are laid out live at the terminal's width ($COLUMNS when piped, as here).
  ...[60, 80, 140].map((cols) => ({
    name: `socketlings read 4 (${cols} cols)`,
    cmd: process.execPath,
    args: [CLI, 'read', '4'],
    env: { COLUMNS: String(cols) },
    expect: 0,
    target: 2.5,
  })),
  {
    name: 'socketlings read 4 zh-CN (80)',
    cmd: process.execPath,
    args: [CLI, 'read', '4', '--lang', 'zh-CN'],
    env: { COLUMNS: '80' },
    expect: 0,
    target: 2.5,
  },
  {
    name: 'verify tcp-server (solution)',
    cmd: process.execPath,
    args: [CLI, 'verify', 'tcp-server', '--file', solution('04-tcp-servers', 'tcp-server', 'tcp_server.py')],
    expect: 0,
    target: 3,
  },
  {
    name: 'verify udp-server (solution)',
    cmd: process.execPath,
    args: [CLI, 'verify', 'udp-server', '--file', solution('07-udp', 'udp-server', 'udp_server.py')],
    expect: 0,
    target: 3,
  },
];
// The portable way (macOS, Windows): the Python launcher's reports instead of /proc. It may cost at most 1.2×.
for (const c of cases.filter((x) => x.name.startsWith('verify ')))
  cases.push({ ...c, name: c.name.replace('(solution)', '(portable)'), env: { SOCKETLINGS_PORTABLE: '1' } });

const results = measure(cases);

const course = await wholeCourse();
const floor = results.get('node -e 0 (floor)').ms;
const py = results.get('python3 -c pass').ms;
console.log(`socketlings bench: median of ${RUNS} runs each, interleaved; floor = bare node`);
console.log('');
console.log(
  `${'what'.padEnd(32)} ${'median'.padStart(9)} ${'× floor'.padStart(8)} ${'target'.padStart(7)} ${'peak RSS'.padStart(10)}`,
);
for (const c of cases) {
  const r = results.get(c.name);
  const ratio = r.ms / floor;
  const mark = c.target === undefined ? '' : ratio <= c.target ? ' ok' : ' OVER';
  console.log(
    `${c.name.padEnd(32)} ${`${r.ms.toFixed(0)} ms`.padStart(9)} ${ratio.toFixed(2).padStart(8)} ${(c.target ? `≤${c.target}` : '').padStart(7)} ${(Number.isNaN(r.rss) ? '' : `${(r.rss / 1024).toFixed(0)} MiB`).padStart(10)}${mark}`,
  );
}
console.log('');
// The machine is shared: the line says how loaded it was, so the figure can be read fairly.
console.log(courseLine(course));
for (const name of ['verify tcp-server (solution)', 'verify udp-server (solution)']) {
  const r = results.get(name);
  console.log(
    `${name}: ${(r.ms - py).toFixed(0)} ms beyond one Python start (${py.toFixed(0)} ms), ${((r.ms - py) / floor).toFixed(2)} × floor`,
  );
}
for (const id of ['tcp-server', 'udp-server']) {
  const linux = results.get(`verify ${id} (solution)`).ms;
  const portable = results.get(`verify ${id} (portable)`).ms;
  const ratio = portable / linux;
  console.log(
    `verify ${id}, portable / Linux mode: ${portable.toFixed(0)} / ${linux.toFixed(0)} ms = ${ratio.toFixed(2)} (target ≤ 1.2)${ratio <= 1.2 ? ' ok' : ' OVER'}`,
  );
}
