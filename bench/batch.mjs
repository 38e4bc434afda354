// npm run bench:batch — 100 synthetic submissions × the whole course, graded in one batch on this machine.
// The mix: correct programs, wrong ones (the stubs and the course's own wrong-program fixtures), programs that
// hang, and programs that flood stdout. Prints the total wall time, the median per submission, the peak RSS, and
// the number of wrong verdicts, which must be zero; once without the sandbox and once with it (the default), and
// what the sandbox adds to one program start.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { defaultJobs } from '../dist/app/batch.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const N = Number(process.env.BENCH_STUDENTS ?? 100);
// The grade command's own default unless BENCH_JOBS says otherwise.
const JOBS = process.env.BENCH_JOBS ?? String(defaultJobs());
const manifest = parse(readFileSync(join(ROOT, 'lessons', 'course.yaml'), 'utf8'));
// BENCH_EXERCISES=32: the course's first 32 exercises only (the course as it was when the target was set).
const exercises = manifest.lessons
  .flatMap((l) => (l.exercises ?? []).map((e) => ({ ...e, lesson: basename(l.dir) })))
  .slice(0, Number(process.env.BENCH_EXERCISES ?? Number.POSITIVE_INFINITY));
// The target, 250 s for 100 submissions × 32 exercises, in proportion to the gradings of this run.
const TARGET = (250 * N * exercises.length) / (100 * 32);

const HANG = '# Never does anything on the wire.\nimport time\nwhile True:\n    time.sleep(1)\n';
const FLOOD = '# Prints 1 MB and leaves.\nimport sys\nsys.stdout.write(("x" * 1023 + "\\n") * 1024)\n';

const work = mkdtempSync(join(tmpdir(), 'sl-batch-'));
const subs = join(work, 'submissions');
const kinds = [];
for (let i = 0; i < N; i++) {
  // 40 % correct, 30 % wrong, 15 % hanging, 15 % flooding
  const kind = i % 20 < 8 ? 'correct' : i % 20 < 14 ? 'wrong' : i % 20 < 17 ? 'hang' : 'flood';
  const student = `s${String(i).padStart(3, '0')}-${kind}`;
  kinds.push({ student, kind });
  for (const [k, ex] of exercises.entries()) {
    const dir = join(subs, student, ex.lesson);
    mkdirSync(dir, { recursive: true });
    const target = join(dir, ex.file);
    if (kind === 'correct') copyFileSync(join(ROOT, ex.dir, 'solution', ex.file), target);
    else if (kind === 'hang') writeFileSync(target, HANG);
    else if (kind === 'flood') writeFileSync(target, FLOOD);
    else {
      // Wrong: the stub, or one of the exercise's wrong-program fixtures, varying with the student.
      const fx = join(ROOT, 'test', 'fixtures', 'exercises', ex.id);
      const fails = existsSync(fx)
        ? readdirSync(fx).filter(
            (f) => f.startsWith('fail_') && !readFileSync(join(fx, f), 'utf8').includes('# seed:'),
          )
        : [];
      const pickIdx = (i + k) % (fails.length + 1);
      copyFileSync(pickIdx === fails.length ? join(ROOT, ex.dir, ex.file) : join(fx, fails[pickIdx]), target);
    }
  }
}

// The assignment: the exercises above, each worth its default points.
const assignment = join(work, 'assignment.yaml');
writeFileSync(
  assignment,
  `format: 1\ntitle: bench\nexercises:\n${exercises.map((e) => `  - { id: ${e.id} }\n`).join('')}`,
);

/** One batch over the same class, with the given extra arguments; the verdicts are checked against the kinds. */
function batch(mode, extra) {
  const out = join(work, `out-${mode}`);
  const t = Date.now();
  const machine0 = machineBusy();
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '%M %U %S'] : [];
  const r = spawnSync(
    time[0] ?? process.execPath,
    [
      ...time.slice(1),
      ...(time.length ? [process.execPath] : []),
      CLI,
      'grade',
      '--submissions',
      subs,
      '--assignment',
      assignment,
      '--out',
      out,
      '--jobs',
      JOBS,
      ...extra,
    ],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
  );
  const wall = (Date.now() - t) / 1000;
  const machine1 = machineBusy();
  // Every process's CPU meanwhile, the sandboxed programs' included (a program killed with its sandbox may never
  // be counted in the grade command's own CPU), and whatever else the machine ran.
  const machineCpu = machine0 && machine1 ? machine1 - machine0 : Number.NaN;
  const [rss, user, sys] = time.length ? (r.stderr.trim().split('\n').at(-1) ?? '').split(' ') : [];
  const rssKiB = Number(rss ?? Number.NaN);
  // CPU of the grade command and everything it waited for (workers, sandboxes, programs).
  const cpu = Number(user ?? Number.NaN) + Number(sys ?? Number.NaN);
  let wrong = 0;
  let command = '';
  const durations = [];
  // Where the time goes: each kind's gradings, their summed duration, and what load added (reruns, budgets
  // stretched because the machine, not the program, was slow).
  const spent = new Map();
  for (const { student, kind } of kinds) {
    const file = join(out, student, 'report.json');
    if (!existsSync(file)) {
      wrong += exercises.length;
      console.log(`[${mode}] no report for ${student}: ${r.stderr.slice(-500)}`);
      continue;
    }
    const report = JSON.parse(readFileSync(file, 'utf8'));
    durations.push(report.duration / 1000);
    command ||= report.exercises.find((e) => e.result?.command)?.result.command ?? '';
    for (const e of report.exercises) {
      const k = spent.get(kind) ?? { n: 0, ms: 0, reruns: 0, stretched: 0 };
      k.n++;
      k.ms += e.result?.duration ?? 0;
      k.reruns += e.result?.rerun?.length ?? 0;
      k.stretched += e.result?.stretched ?? 0;
      spent.set(kind, k);
      const full = e.points >= e.maxPoints;
      const ok = kind === 'correct' ? full : kind === 'wrong' ? !full : e.points === 0;
      if (!ok) {
        wrong++;
        console.log(
          `[${mode}] wrong verdict: ${student} ${e.id} ${e.points}/${e.maxPoints} (seed ${e.result?.seed})`,
        );
        for (const c of e.checks ?? [])
          if (c.status !== 'pass') console.log(`  ${c.id}: ${c.status} ${c.message}`);
      }
    }
  }
  durations.sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)] ?? Number.NaN;
  return { mode, wall, cpu, machineCpu, rssKiB, wrong, median, command, status: r.status, spent };
}

/** The machine's busy CPU time so far, from /proc/stat (s); undefined where there is none. */
function machineBusy() {
  if (!existsSync('/proc/stat')) return undefined;
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq (then steal, the hypervisor's): busy is the first seven but idle and
  // iowait, in clock ticks (100 a second).
  const busy = f.slice(0, 7).reduce((a, b) => a + b, 0) - (f[3] ?? 0) - (f[4] ?? 0);
  return busy / 100;
}

/**
 * What the sandbox adds to each program start: the median of starting `python3 -c pass` bare and inside the
 * program sandbox (bwrap with its namespaces and binds, then prlimit), measured alternately in one run.
 */
async function startCost() {
  const { sandboxSupport, sandboxCommand, sandboxEnv, runtimeFolders, DEFAULT_DISK } = await import(
    '../dist/wire/sandbox.js'
  );
  const s = sandboxSupport();
  if (!s.ok) return undefined;
  const py = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
    encoding: 'utf8',
  }).stdout.trim();
  const ro = runtimeFolders(py);
  const [command, ...args] = sandboxCommand(
    s.bwrap,
    {
      kind: 'program',
      cwd: work,
      run: undefined,
      own: undefined,
      ro,
      env: sandboxEnv({}, 'C.UTF-8'),
      diskBytes: DEFAULT_DISK,
    },
    [py, '-c', 'pass'],
  );
  const bare = [];
  const boxed = [];
  for (let i = 0; i < 15; i++) {
    let t = process.hrtime.bigint();
    spawnSync(py, ['-c', 'pass']);
    bare.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    spawnSync(command, args);
    boxed.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const med = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { bare: med(bare), boxed: med(boxed) };
}

// Both modes over the same class, one after the other in this run; the order alternates with BENCH_ORDER.
const modes = (process.env.BENCH_MODES ?? 'no-sandbox,sandbox').split(',');
const runs = modes.map((m) => batch(m, m === 'no-sandbox' ? ['--no-sandbox'] : []));
const cost = await startCost();

console.log(`socketlings batch bench: ${N} submissions × ${exercises.length} exercises, --jobs ${JOBS}`);
for (const x of runs) {
  console.log(`  [${x.mode}]`);
  console.log(
    `    total wall time         ${x.wall.toFixed(1)} s (target ≤ ${TARGET.toFixed(0)} s: 250 s for 100 × 32, in proportion)`,
  );
  console.log(`    median per submission   ${x.median.toFixed(1)} s (graded alongside others)`);
  console.log(
    `    CPU time                ${Number.isNaN(x.cpu) ? 'n/a' : `${x.cpu.toFixed(1)} s (user + system)`}`,
  );
  console.log(
    `    peak RSS                ${Number.isNaN(x.rssKiB) ? 'n/a' : `${(x.rssKiB / 1024).toFixed(0)} MiB (largest single process)`}`,
  );
  console.log(
    `    both cores busy         ${Number.isNaN(x.cpu) ? 'n/a' : `${((100 * x.cpu) / (x.wall * cpus().length)).toFixed(0)} % of ${cpus().length} cores × wall time`}`,
  );
  console.log(
    `    the machine's CPU       ${Number.isNaN(x.machineCpu) ? 'n/a' : `${x.machineCpu.toFixed(1)} s, ${((100 * x.machineCpu) / (x.wall * cpus().length)).toFixed(0)} % of ${cpus().length} cores × wall time (/proc/stat: every process, this bench's own included)`}`,
  );
  console.log(`    wrong verdicts          ${x.wrong} (target 0)`);
  console.log(
    '    where the time goes     (gradings, summed grading time, mean each, reruns, budget stretched)',
  );
  for (const [kind, k] of x.spent)
    console.log(
      `      ${kind.padEnd(8)} ${String(k.n).padStart(5)} ${`${(k.ms / 1000).toFixed(0)} s`.padStart(7)} ${`${(k.ms / k.n / 1000).toFixed(2)} s`.padStart(8)} ${String(k.reruns).padStart(5)} ${`${(k.stretched / 1000).toFixed(0)} s`.padStart(6)}`,
    );
  console.log(`    programs ran as         ${x.command.split(' ')[0]}`);
  console.log(`    exit code               ${x.status}`);
}
const plain = runs.find((x) => x.mode === 'no-sandbox');
const boxed = runs.find((x) => x.mode === 'sandbox');
if (plain && boxed)
  console.log(
    `  sandboxed / unsandboxed wall time: ${(boxed.wall / plain.wall).toFixed(2)}× (target ≤ 1.25×)`,
  );
if (cost)
  console.log(
    `  program start, median of 15: bare ${cost.bare.toFixed(1)} ms, sandboxed ${cost.boxed.toFixed(1)} ms (+${(cost.boxed - cost.bare).toFixed(1)} ms)`,
  );
console.log(
  `  load average at the end: ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (process.env.BENCH_KEEP) console.log(`  kept: ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exitCode = runs.every((x) => x.wrong === 0) ? 0 : 1;
