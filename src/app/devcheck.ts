// The quality gate of a course pack: the schema and rules hold, every stub fails its grader, every reference
// solution passes it. It grades through the same pipeline as a learner's verify, so the two cannot disagree.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lang } from '../grading/lang.js';
import { type ExerciseResult, undecided } from '../grading/results.js';
import { freshSeed } from '../grading/rng.js';
import { scoreExercise } from '../grading/score.js';
import type { Course, Exercise } from './course.js';
import { type GradeRequest, gradeExercise, pinnedInterpreter } from './grade.js';
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
  // Found once: a launcher script (a pyenv shim) would otherwise start a shell and more before every program.
  const interpreter = pinnedInterpreter(undefined, undefined, o.cwd);
  return pool(o.course.exercises, jobs, async (exercise) => {
    const common = {
      interpreter,
      course: o.course,
      coursePath: o.coursePath,
      exercise,
      lang: o.lang,
      cwd: exercise.dir,
      seed,
      timeScale: o.timeScale ?? 1,
    };
    const [stub, solution, falsifiable] = await Promise.all([
      gradeExercise({ ...common, file: exercise.stubPath }),
      gradeSolution({ ...common, file: exercise.solutionPath }),
      falsifiabilityProblems(common, exercise, otherSeed(seed)),
    ]);
    const problems: string[] = [...falsifiable];
    if (stub.status === 'pass') problems.push('the stub passes its grader: the exercise asks for nothing');
    if (stub.status === 'error') problems.push(`grading the stub hit a grader error: ${firstMessage(stub)}`);
    if (solution.status !== 'pass' && solution.status !== 'skip')
      problems.push(`the reference solution does not pass: ${firstMessage(solution)} (seed ${seed})`);
    const v = { exercise, stub, solution, problems };
    o.onVerdict?.(v);
    return v;
  });
}

/**
 * A reference solution's grading. A check the machine left undecidable (too busy to judge it in two runs, as a dev
 * check grading five programs per exercise at once on two cores can be) is no verdict: graded again, up to twice.
 * A grader that fails its own solution still fails it; a machine that was busy once does not.
 */
async function gradeSolution(req: GradeRequest, onTry?: () => void): Promise<ExerciseResult> {
  onTry?.();
  let r = await gradeExercise(req);
  for (let again = 0; again < 2 && undecided(r); again++) {
    onTry?.();
    r = await gradeExercise(req);
  }
  return r;
}

function firstMessage(r: ExerciseResult): string {
  const c = r.checks.find((x) => x.status === 'fail' || x.status === 'error');
  return c ? `${c.id}: ${c.message.split('\n')[0]}` : r.status;
}

/** A seed other than `seed`, for the program that replays another run's output. */
function otherSeed(seed: number): number {
  return (seed + 0x9e3779b9) % 0x100000000;
}

/**
 * Every check must be falsifiable (design rule 10): a program that does nothing, and one that prints what the
 * reference solution printed for another seed whatever happens, must both score 0. The second is made here: the
 * solution runs with the other seed, its stdout is recorded, and a program that writes exactly that is graded.
 */
async function falsifiabilityProblems(
  common: Omit<GradeRequest, 'file'>,
  exercise: Exercise,
  seed: number,
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-devcheck-'));
  try {
    let printed: string[] = [];
    const recorded = await gradeSolution(
      {
        ...common,
        seed,
        file: exercise.solutionPath,
        onEvent: (e) => {
          if (e.who === 'program' && e.kind === 'stdout') printed.push(e.text);
        },
      },
      // What the last try printed: a try judged again leaves nothing behind.
      () => {
        printed = [];
      },
    );
    const nothing = join(dir, 'does_nothing.py');
    writeFileSync(nothing, '# A program that does nothing at all.\n');
    const constant = join(dir, 'prints_another_run.py');
    // The transcript keeps lines as they were printed; the program writes them back, whatever it is sent.
    writeFileSync(
      constant,
      `# Prints what the reference solution printed for seed ${seed}, and nothing else.\nimport sys\nsys.stdout.write(${JSON.stringify(printed.map((l) => `${l}\n`).join(''))})\n`,
    );
    const [none, replay] = await Promise.all([
      gradeExercise({ ...common, file: nothing }),
      gradeExercise({ ...common, file: constant }),
    ]);
    const problems: string[] = [];
    if (recorded.status !== 'pass' && recorded.status !== 'skip')
      problems.push(`the reference solution does not pass with seed ${seed}: ${firstMessage(recorded)}`);
    for (const [what, r] of [
      ['a program that does nothing', none],
      [`a program that prints what the solution printed for seed ${seed}`, replay],
    ] as const) {
      if (r.status === 'skip') continue;
      const scored = scoreExercise(r, exercise.id, 100);
      if (scored.points > 0) {
        const earned = scored.checks.filter((c) => c.points > 0).map((c) => c.id);
        problems.push(
          `${what} scores ${scored.points} of 100 (checks ${earned.join(', ')}): every check must need the program to act`,
        );
      }
      if (r.status === 'error') problems.push(`grading ${what} hit a grader error: ${firstMessage(r)}`);
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
