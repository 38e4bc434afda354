// npm run bench: start-up and grading times, as medians of several runs with bare `node -e 0` measured in the
// same run as the floor. The machine is shared and noisy, so ratios to the floor matter more than seconds. In the
// same run: socketlings against learnyounode on a correct TCP server, and the CPU of one verify per exercise.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { courseLine, wholeCourse } from './course.mjs';
import { learnyounode, median, pythonOnPath, timed, verifyCpu } from './versus.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const env = { ...process.env, NO_COLOR: '1', SOCKETLINGS_LANG: 'en' };

/** Interleave the commands run by run, so a burst of load on the machine hits all of them alike. */
function measure(cases) {
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let i = 0; i < RUNS + 1; i++) {
    for (const c of cases) {
      const r = timed(c.cmd, c.args, { env: { ...env, ...c.env }, cwd: c.cwd ?? ROOT });
      if (c.expect !== undefined && r.status !== c.expect)
        throw new Error(`${c.name}: exit ${r.status}, wanted ${c.expect}\n${r.stdout}\n${r.stderr}`);
      if (i > 0) samples.get(c.name).push(r); // the first round warms the disk cache
    }
  }
  return new Map(
    [...samples].map(([k, v]) => [
      k,
      {
        ms: median(v.map((x) => x.ms)),
        cpu: median(v.map((x) => x.cpu)),
        rss: Math.max(...v.map((x) => x.rss)),
      },
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
// As a learner runs it: in a workspace made by `init`, whose own files (socketlings.json, the progress file) are
// checked on every command, with the reference solution in place of the stub.
const workspace = join(mkdtempSync(join(tmpdir(), 'sl-bench-ws-')), 'ws');
spawnSync(process.execPath, [CLI, 'init', workspace], { env, stdio: 'ignore' });
copyFileSync(
  solution('04-tcp-servers', 'tcp-server', 'tcp_server.py'),
  join(workspace, '04-tcp-servers', 'tcp_server.py'),
);
cases.push({
  name: 'verify tcp-server (workspace)',
  cmd: process.execPath,
  args: [CLI, 'verify', 'tcp-server'],
  cwd: workspace,
  expect: 0,
  target: 3,
});
// learnyounode's TIME SERVER with its own solution, run by run beside socketlings' tcp-server.
const lyn = learnyounode();
cases.push({ name: `learnyounode ${lyn.version} verify`, ...lyn.case, expect: 0 });

let results;
let perExercise;
try {
  results = measure(cases);
  perExercise = verifyCpu(CLI, ROOT, env);
} finally {
  lyn.cleanup();
  rmSync(dirname(workspace), { recursive: true, force: true });
}

const course = await wholeCourse();
const floor = results.get('node -e 0 (floor)').ms;
const py = results.get('python3 -c pass').ms;
console.log(`socketlings bench: median of ${RUNS} runs each, interleaved; floor = bare node`);
console.log('');
console.log(
  `${'what'.padEnd(32)} ${'median'.padStart(9)} ${'× floor'.padStart(8)} ${'target'.padStart(7)} ${'CPU'.padStart(8)} ${'peak RSS'.padStart(10)}`,
);
for (const c of cases) {
  const r = results.get(c.name);
  const ratio = r.ms / floor;
  const mark = c.target === undefined ? '' : ratio <= c.target ? ' ok' : ' OVER';
  console.log(
    `${c.name.padEnd(32)} ${`${r.ms.toFixed(0)} ms`.padStart(9)} ${ratio.toFixed(2).padStart(8)} ${(c.target ? `≤${c.target}` : '').padStart(7)} ${(Number.isNaN(r.cpu) ? '' : `${r.cpu.toFixed(2)} s`).padStart(8)} ${(Number.isNaN(r.rss) ? '' : `${(r.rss / 1024).toFixed(0)} MiB`).padStart(10)}${mark}`,
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

// Against learnyounode: a correct TCP server verified, with the PATH as the learner has it.
const onPath = pythonOnPath(env);
const ours = results.get('verify tcp-server (solution)');
const theirs = results.get(`learnyounode ${lyn.version} verify`);
console.log('');
console.log(`python3 on PATH: ${onPath.which}${onPath.script ? ' (a launcher script)' : ''}`);
console.log(
  `verify of a correct TCP server, median of ${RUNS}: socketlings ${ours.ms.toFixed(0)} ms, learnyounode ${lyn.version} ${theirs.ms.toFixed(0)} ms; learnyounode / socketlings = ${(theirs.ms / ours.ms).toFixed(2)} (target ≥ 2)${theirs.ms / ours.ms >= 2 ? ' ok' : ' SHORT'}`,
);
console.log(
  `CPU of that verify, median: socketlings ${ours.cpu.toFixed(2)} s (target ≤ 0.45)${ours.cpu <= 0.45 ? ' ok' : ' OVER'}, learnyounode ${theirs.cpu.toFixed(2)} s`,
);
const version = results.get('socketlings --version');
console.log(
  `--version cold start: ${version.ms.toFixed(0)} ms against bare node ${floor.toFixed(0)} ms = ${(version.ms / floor).toFixed(2)} (target ≤ 1.3)${version.ms / floor <= 1.3 ? ' ok' : ' OVER'}`,
);

// The CPU of one verify of each exercise's reference solution, one at a time.
console.log('');
console.log(`CPU of one verify per exercise (${perExercise.length}, user + system, Python included):`);
const cols = 3;
for (let i = 0; i < perExercise.length; i += cols)
  console.log(
    perExercise
      .slice(i, i + cols)
      .map((x) => `  ${x.id.padEnd(22)} ${x.cpu.toFixed(2)} s`)
      .join(''),
  );
const cpus = perExercise.map((x) => x.cpu);
console.log(
  `median ${median(cpus).toFixed(2)} s, lowest ${Math.min(...cpus).toFixed(2)} s, highest ${Math.max(...cpus).toFixed(2)} s`,
);
