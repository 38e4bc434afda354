// npm run bench:course, and part of npm run bench: every reference solution of the course graded through the
// pipeline `dev check` uses (one interpreter found once, as a grading session does), 8 at a time, as wall time.
// Three rounds with three seeds; the median is the figure. The first round takes the exercises in course order;
// later ones take the longest first (by the time each took the round before), as a scheduler that knows its jobs
// does, so that a long exercise does not start last. The machine is shared, so the load is printed with it, and
// the slowest exercises, which bound the wall time when the pool runs dry.
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET_MS = 10_000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function wholeCourse({ rounds = 3, jobs = 8 } = {}) {
  const { loadCourse } = await import(join(ROOT, 'dist', 'app', 'course.js'));
  const { gradeExercise, pinnedInterpreter } = await import(join(ROOT, 'dist', 'app', 'grade.js'));
  const { pool } = await import(join(ROOT, 'dist', 'app', 'pool.js'));
  const course = loadCourse(ROOT, ROOT, { graders: true });
  if (!course.ok) throw new Error('the built-in course does not load');
  const interpreter = pinnedInterpreter(undefined, undefined, ROOT);
  const walls = [];
  const took = new Map();
  for (let round = 0; round < rounds; round++) {
    const last = (id) => took.get(id)?.at(-1) ?? 0;
    const order =
      round === 0
        ? course.value.exercises
        : [...course.value.exercises].sort((a, b) => last(b.id) - last(a.id));
    const t = process.hrtime.bigint();
    const results = await pool(order, jobs, async (exercise) => {
      const start = process.hrtime.bigint();
      const r = await gradeExercise({
        interpreter,
        course: course.value,
        exercise,
        file: exercise.solutionPath,
        lang: 'en',
        cwd: exercise.dir,
        seed: round + 1,
      });
      took.set(exercise.id, [
        ...(took.get(exercise.id) ?? []),
        Number(process.hrtime.bigint() - start) / 1e6,
      ]);
      return r;
    });
    walls.push(Number(process.hrtime.bigint() - t) / 1e6);
    const bad = results.filter((r) => r.status !== 'pass' && r.status !== 'skip');
    if (bad.length) {
      const why = bad.map((r) => {
        const c = r.checks.find((x) => x.status !== 'pass');
        return `${r.exercise} (seed ${r.seed}): ${c?.id}: ${c?.message} ${c?.actual ?? ''}`;
      });
      throw new Error(`reference solutions failing:\n${why.join('\n')}`);
    }
  }
  const slowest = [...took]
    .map(([id, ms]) => [id, median(ms)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  return { ms: median(walls), walls, n: course.value.exercises.length, slowest };
}

/** One line for the figure, with the load it was measured under. */
export function courseLine(c) {
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  const rounds = c.walls.map((w) => (w / 1000).toFixed(2)).join(', ');
  return `every reference solution (${c.n}), 8 at a time: ${(c.ms / 1000).toFixed(2)} s median of ${c.walls.length} (${rounds}; target ≤ ${TARGET_MS / 1000} s)${c.ms <= TARGET_MS ? ' ok' : ' OVER'}; load average ${load} on ${cpus().length} cores`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const c = await wholeCourse();
  console.log(courseLine(c));
  console.log(`slowest (median ms): ${c.slowest.map(([id, ms]) => `${id} ${Math.round(ms)}`).join(', ')}`);
}
