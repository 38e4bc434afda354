// Grading one submission (a student's folder) against an assignment, through the one grading pipeline.
import { existsSync } from 'node:fs';
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
import { seedFor, threshold } from './assignment.js';
import { type Course, type Exercise, pick } from './course.js';
import { UserError } from './errors.js';
import { gradeExercise, pinnedInterpreter } from './grade.js';
import { appText } from './messages.js';
import { exerciseFile, findWorkspace } from './workspace.js';

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
  onExercise?: (e: ScoredExercise) => void;
}

/** Where a student's file for an exercise is: the workspace layout, else the lesson folder, else the top. */
export function submissionFile(course: Course, folder: string, ex: Exercise): string | undefined {
  const ws = findWorkspace(folder);
  const candidates = [
    ...(ws && ws.root === folder ? [exerciseFile(ws, course.lessons, ex)] : []),
    join(folder, basename(course.lessons.find((l) => l.id === ex.lessonId)?.dir ?? ''), ex.file),
    join(folder, ex.file),
  ];
  return candidates.find((f) => existsSync(f));
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
  const seed = seedFor(r.assignment, r.student, r.seed);
  const title = pick(ex.titles, r.lang, r.course.languages) ?? ex.id;
  const needsFile = !r.assignment.run || /\{(file|name)\}/.test(r.assignment.run);
  const file = needsFile ? submissionFile(r.course, r.folder, ex) : undefined;
  const result =
    needsFile && !file
      ? missing(ex, ex.file, seed, r.lang)
      : await gradeExercise({
          course: r.course,
          coursePath: r.coursePath,
          exercise: ex,
          file,
          run: r.assignment.run,
          python: r.assignment.python,
          interpreter: r.interpreter,
          seed,
          lang: r.lang,
          cwd: r.folder,
          timeScale: r.timeScale * r.assignment.time_scale * entry.time_scale,
        });
  const scored = scoreExercise(result, title, entry.points);
  r.onExercise?.(scored);
  return scored;
}

export function assemble(r: SubmissionRequest, exercises: ScoredExercise[], startedAt: Date): GradeReport {
  const points = round(exercises.reduce((a, e) => a + e.points, 0));
  const max = round(exercises.reduce((a, e) => a + e.maxPoints, 0));
  const need = threshold(r.assignment);
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
