// Grading one submission (a student's folder) against an assignment, through the one grading pipeline.
import { basename, join } from 'node:path';
import type { Lang } from '../grading/lang.js';
import type { ExerciseResult } from '../grading/results.js';
import type { Assignment } from '../grading/schema/assignment.js';
import {
  type GradeReport,
  reportStatus,
  round,
  type ScoredExercise,
  scoreExercise,
} from '../grading/score.js';
import { exerciseSeed, threshold } from './assignment.js';
import { type Course, type Exercise, pick } from './course.js';
import { fileSha } from './digest.js';
import { UserError } from './errors.js';
import { type GradeRequest, gradeExercise, pinnedInterpreter } from './grade.js';
import { appText } from './messages.js';
import { isStub } from './stub.js';
import { type FileVerdict, firstSubmissionFile } from './submission-files.js';

export interface SubmissionRequest {
  course: Course;
  coursePath?: string | undefined;
  assignment: Assignment;
  folder: string;
  student: string;
  lang: Lang;
  seed?: number | undefined;
  timeScale: number;
  /** The interpreter found once for the session; found here when left out. */
  interpreter?: string[] | undefined;
  /** The file to grade, instead of looking for it in the folder (verify in the sandbox). */
  file?: string | undefined;
  /** Run each program in the sandbox (wire/sandbox.ts), showing it these folders besides the system's. */
  sandbox?: GradeRequest['sandbox'];
  onExercise?: (e: ScoredExercise) => void;
}

/**
 * Where a student's file for an exercise is: in its lesson folder (the workspace layout), else at the top; and
 * whether it may be graded (see checkSubmissionFile). The student's socketlings.json is not read: the layout
 * alone decides, so a damaged one costs nothing.
 */
export function submissionFile(
  course: Course,
  folder: string,
  ex: Exercise,
  lang: Lang = 'en',
): FileVerdict | undefined {
  const lesson = basename(course.lessons.find((l) => l.id === ex.lessonId)?.dir ?? '');
  return firstSubmissionFile(folder, [join(folder, lesson, ex.file), join(folder, ex.file)], lang);
}

/** A file that is there but may not be graded: zero for the exercise, with the reason. */
function refused(ex: Exercise, reason: string, seed: number, lang: Lang): ExerciseResult {
  const t = appText(lang);
  const r = missing(ex, ex.file, seed, lang);
  const check = r.checks[0];
  if (check) {
    check.message = t.fileRefused(ex.file, reason);
    check.hint = t.fileRefusedHint;
  }
  return r;
}

function missing(ex: Exercise, file: string, seed: number, lang: Lang): ExerciseResult {
  return {
    exercise: ex.id,
    status: 'fail',
    seed,
    command: '',
    file,
    duration: 0,
    checks: [
      {
        id: 'file-present',
        title: appText(lang).fileCheck(ex.file),
        status: 'fail',
        message: appText(lang).fileMissing(file),
        transcript: [],
        duration: 0,
      },
    ],
  };
}

export async function gradeOneExercise(
  r: SubmissionRequest,
  entry: Assignment['exercises'][number],
): Promise<ScoredExercise> {
  const ex = r.course.exercises.find((e) => e.id === entry.id);
  if (!ex) throw new UserError(appText(r.lang).noExercise(entry.id));
  const title = pick(ex.titles, r.lang, r.course.languages) ?? ex.id;
  const needsFile = !r.assignment.run || /\{(file|name)\}/.test(r.assignment.run);
  const found = needsFile
    ? r.file
      ? ({ ok: true, path: r.file } as const)
      : submissionFile(r.course, r.folder, ex, r.lang)
    : undefined;
  // Inputs follow the file graded (see exerciseSeed); a run command with no file is graded with the base seed.
  const seed = exerciseSeed(r.assignment, r.student, r.seed, found?.ok ? fileSha(found.path) : undefined);
  const result =
    needsFile && !found
      ? missing(ex, ex.file, seed, r.lang)
      : found && !found.ok
        ? refused(ex, found.reason, seed, r.lang)
        : await gradeExercise({
            course: r.course,
            coursePath: r.coursePath,
            exercise: ex,
            file: found?.ok ? found.path : undefined,
            run: r.assignment.run,
            python: r.assignment.python,
            interpreter: r.interpreter,
            seed,
            lang: r.lang,
            cwd: r.folder,
            folder: r.folder,
            timeScale: r.timeScale * r.assignment.time_scale * entry.time_scale,
            sandbox: r.sandbox,
          });
  const scored = scoreExercise(result, title, entry.points);
  r.onExercise?.(scored);
  return scored;
}

/** The exercises whose graded file is the untouched stub, marked so (see app/stub.ts). */
function markStubs(r: SubmissionRequest, exercises: ScoredExercise[]): ScoredExercise[] {
  if (r.assignment.run && !/\{(file|name)\}/.test(r.assignment.run)) return exercises;
  return exercises.map((e) => {
    const ex = r.course.exercises.find((x) => x.id === e.id);
    const found = r.file
      ? ({ ok: true, path: r.file } as const)
      : ex && submissionFile(r.course, r.folder, ex);
    return ex && found?.ok && isStub(ex, found.path) ? { ...e, stub: true } : e;
  });
}

export function assemble(r: SubmissionRequest, scored: ScoredExercise[], startedAt: Date): GradeReport {
  const exercises = markStubs(r, scored);
  const points = round(exercises.reduce((a, e) => a + e.points, 0));
  const max = round(exercises.reduce((a, e) => a + e.maxPoints, 0));
  const need = threshold(r.assignment);
  // Where a cgroup could not be made for one program, the report says so rather than the rule.
  const ran = exercises.map((e) => e.result.sandbox).filter((x) => x !== undefined);
  const sandbox = ran.find((x) => x.memoryBy === 'per process') ?? ran[0];
  return {
    student: r.student,
    assignment: r.assignment.title,
    feedback: r.assignment.feedback,
    exercises,
    points,
    maxPoints: max,
    threshold: need,
    status: reportStatus(exercises, points, need),
    duration: Date.now() - startedAt.getTime(),
    startedAt: startedAt.toISOString(),
    ...(sandbox ? { sandbox } : {}),
  };
}

export async function gradeSubmission(r: SubmissionRequest): Promise<GradeReport> {
  const started = new Date();
  const req = {
    ...r,
    interpreter: r.interpreter ?? pinnedInterpreter(r.assignment.python, r.assignment.run, r.folder),
  };
  const exercises: ScoredExercise[] = [];
  for (const entry of r.assignment.exercises) exercises.push(await gradeOneExercise(req, entry));
  return assemble(req, exercises, started);
}
