// The quality gate of a course pack: the schema and rules hold, every stub fails its grader, every reference
// solution passes it. It grades through the same pipeline as a learner's verify, so the two cannot disagree.
import { cpus } from 'node:os';
import type { Lang } from '../grading/lang.js';
import type { ExerciseResult } from '../grading/results.js';
import { freshSeed } from '../grading/rng.js';
import type { Course, Exercise } from './course.js';
import { gradeExercise } from './grade.js';
import { pool } from './pool.js';

export interface ExerciseVerdict {
  exercise: Exercise;
  stub: ExerciseResult;
  solution: ExerciseResult;
  /** Empty when the exercise is sound. */
  problems: string[];
}

export interface DevCheckOptions {
  course: Course;
  coursePath?: string | undefined;
  lang: Lang;
  cwd: string;
  seed?: number | undefined;
  jobs?: number | undefined;
  timeScale?: number;
  /** Called as each exercise finishes, for progress output. */
  onVerdict?: (v: ExerciseVerdict) => void;
}

export async function devCheck(o: DevCheckOptions): Promise<ExerciseVerdict[]> {
  const seed = o.seed ?? freshSeed();
  // Graders mostly wait on sockets and on Python starting, so a few more jobs than cores keeps the machine busy.
  const jobs = o.jobs ?? Math.max(2, cpus().length * 2);
  return pool(o.course.exercises, jobs, async (exercise) => {
    const common = {
      course: o.course,
      coursePath: o.coursePath,
      exercise,
      lang: o.lang,
      cwd: exercise.dir,
      seed,
      timeScale: o.timeScale ?? 1,
    };
    const [stub, solution] = await Promise.all([
      gradeExercise({ ...common, file: exercise.stubPath }),
      gradeExercise({ ...common, file: exercise.solutionPath }),
    ]);
    const problems: string[] = [];
    if (stub.status === 'pass') problems.push('the stub passes its grader: the exercise asks for nothing');
    if (stub.status === 'error') problems.push(`grading the stub hit a grader error: ${firstMessage(stub)}`);
    if (solution.status !== 'pass' && solution.status !== 'skip')
      problems.push(`the reference solution does not pass: ${firstMessage(solution)} (seed ${seed})`);
    const v = { exercise, stub, solution, problems };
    o.onVerdict?.(v);
    return v;
  });
}

function firstMessage(r: ExerciseResult): string {
  const c = r.checks.find((x) => x.status === 'fail' || x.status === 'error');
  return c ? `${c.id}: ${c.message.split('\n')[0]}` : r.status;
}
