// npm run bench:battery: how long the fixture battery's gradings take, against the time their named budgets allow.
// Each fixture is verified several times in both modes (Linux's /proc, and the portable way); the median of the
// grading's own time (the result's duration, not the CLI's start-up) is printed beside the bound its budgets give,
// and how often the grader judged again (rerun) or stretched a budget because the machine was busy. A test cannot
// hold these bounds on a shared machine; a run here shows when a change makes a grading wait longer than it must.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** [exercise, fixture, ms the whole grading may take: the budgets it waits on, plus the program's own time] */
const CASES = [
  ['echo-server', 'passes', 6000],
  ['echo-server', 'binds_late', 8000],
  ['echo-server', 'floods_stdout', 15000],
  ['echo-server', 'never_binds', 9000],
  ['echo-server', 'binds_wrong_port', 9000],
  ['echo-server', 'exits_immediately', 4000],
  ['echo-server', 'crashes_with_traceback', 4000],
  ['echo-server', 'empty_file', 4000],
  ['echo-server', 'hangs_on_accept', 8000],
  ['echo-server', 'hangs_after_reply', 8000],
  ['echo-server', 'recv_once', 8000],
  ['echo-server', 'closes_early', 4000],
  ['echo-server', 'wrong_bytes', 4000],
  ['echo-server', 'ignores_half_close', 8000],
  ['echo-server', 'forks_grandchild', 6000],
  ['tcp-client', 'passes', 4000],
  ['tcp-client', 'empty_file', 4000],
  ['tcp-client', 'never_connects', 9000],
  ['tcp-client', 'hardcoded_port', 4000],
  ['tcp-client', 'wrong_bytes', 4000],
  ['tcp-client', 'never_closes', 8000],
];
const MODES =
  process.platform === 'linux'
    ? [
        ['linux', {}],
        ['portable', { SOCKETLINGS_PORTABLE: '1' }],
      ]
    : [['portable', {}]];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`socketlings bench:battery: median of ${RUNS} gradings each, seed 11`);
console.log('');
console.log(
  `${'fixture'.padEnd(40)} ${'mode'.padEnd(9)} ${'median'.padStart(9)} ${'bound'.padStart(8)} ${'reruns'.padStart(7)} ${'stretched'.padStart(10)}`,
);
let over = 0;
for (const [exercise, file, within] of CASES)
  for (const [mode, env] of MODES) {
    const durations = [];
    let reruns = 0;
    let stretched = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = spawnSync(
        process.execPath,
        [
          CLI,
          'verify',
          exercise,
          '--json',
          '--seed',
          '11',
          '--file',
          join(ROOT, 'test', 'fixtures', 'programs', exercise, `${file}.py`),
        ],
        { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', SOCKETLINGS_LANG: 'en', ...env } },
      );
      const result = JSON.parse(r.stdout);
      durations.push(result.duration);
      reruns += result.rerun?.length ?? 0;
      stretched += result.stretched ?? 0;
    }
    const m = median(durations);
    if (m > within) over++;
    console.log(
      `${`${exercise}/${file}`.padEnd(40)} ${mode.padEnd(9)} ${`${m.toFixed(0)} ms`.padStart(9)} ${`≤${within}`.padStart(8)} ${String(reruns).padStart(7)} ${`${stretched} ms`.padStart(10)}${m > within ? ' OVER' : ''}`,
    );
  }
const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
console.log('');
console.log(`${over} over their bound; load average ${load} on ${cpus().length} cores`);
