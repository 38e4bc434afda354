// A learner's session in their workspace: the course, the workspace, and progress, loaded together.

import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Lang } from '../grading/lang.js';
import type { ExerciseResult, TranscriptEntry } from '../grading/results.js';
import { readText } from '../grading/schema/load.js';
import type { Progress } from '../grading/schema/progress.js';
import type { Course, Exercise } from './course.js';
import { UserError } from './errors.js';
import { writesHalted } from './files.js';
import { gradeExercise, timeScaleFromEnv } from './grade.js';
import type { SandboxPlan } from './isolated.js';
import { appText } from './messages.js';
import {
  currentExercise,
  loadProgress,
  markDone,
  markPending,
  markQuiz,
  updateProgress,
} from './progress.js';
import { mustLoadHints, openCourse } from './select.js';
import { exerciseFile, findWorkspace, type Workspace } from './workspace.js';

export interface Session {
  course: Course;
  ws: Workspace;
  progress: Progress;
  /** Set when progress could not be read and was kept aside. */
  recovered?: { backup: string; reason: string } | undefined;
}

export function openSession(o: { cwd: string; lang: Lang; course?: string | undefined }): Session {
  const t = appText(o.lang);
  const ws = findWorkspace(o.cwd, { below: true });
  if (!ws) throw new UserError(t.notWorkspace, t.notWorkspaceNext);
  const course = openCourse(o);
  const { progress, recovered } = loadProgress(ws, course);
  return { course, ws, progress, recovered };
}

/** Record a change to progress: merged under the workspace lock into what is on disk now (see updateProgress). */
export function update(s: Session, change: (p: Progress) => Progress): void {
  s.progress = updateProgress(s.ws, s.course, change, s.progress);
}

export function fileOf(s: Session, ex: Exercise): string {
  return exerciseFile(s.ws, s.course.lessons, ex);
}

export function current(s: Session): Exercise | undefined {
  return currentExercise(s.course, s.progress);
}

export function setCurrent(s: Session, ex: Exercise): void {
  if (s.progress.current !== ex.id) update(s, (p) => ({ ...p, current: ex.id }));
}

export function recordPass(s: Session, ex: Exercise): void {
  update(s, (p) => markDone(p, ex.id));
}

/**
 * Where a command runs, as the CLI gives it to every command: callers pass their context whole, so none can drop
 * the course pack or the language.
 */
export interface Where {
  lang: Lang;
  /** Where the learner is: paths in the result are shown from here. */
  cwd: string;
  /** --course as typed, so a broken pack is named as the learner named it. */
  course?: string | undefined;
}

export interface VerifyInSession {
  /** Where SOCKETLINGS_TIME_SCALE is read (default: this process's environment). */
  env?: NodeJS.ProcessEnv | undefined;
  seed?: number | undefined;
  onEvent?: ((e: TranscriptEntry) => void) | undefined;
  /** Run the program in the sandbox `grade` uses. */
  sandbox?: boolean | undefined;
  /** With `sandbox`: the user and limits it runs with (see sandboxPlan). */
  plan?: SandboxPlan | undefined;
  /** Make it the current exercise first (default); a re-check of every exercise leaves the current one alone. */
  makeCurrent?: boolean | undefined;
}

/**
 * Grade the learner's own file for an exercise of their workspace and record a pass: what `verify`, the menu and
 * watch mode all do, built here once so none of them can grade differently (another course pack, another time
 * scale). A missing file is said with the way to put it back.
 */
export async function verifyInSession(
  s: Session,
  ex: Exercise,
  where: Where,
  o: VerifyInSession = {},
): Promise<ExerciseResult> {
  const file = fileOf(s, ex);
  const timeScale = timeScaleFromEnv(o.env ?? process.env, where.lang);
  if (o.makeCurrent !== false) setCurrent(s, ex);
  if (!existsSync(file)) {
    const t = appText(where.lang);
    throw new UserError(t.noFile(relative(where.cwd, file) || file), t.noFileReset(ex.id));
  }
  const grade = o.sandbox ? (await import('./isolated.js')).verifyIsolated : gradeExercise;
  const result = await grade({
    course: s.course,
    coursePath: where.course,
    exercise: ex,
    file,
    lang: where.lang,
    cwd: where.cwd,
    timeScale,
    seed: o.seed,
    ...(o.plan ? { plan: o.plan } : {}),
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
  });
  // Cut short by Ctrl+C: the program was stopped by our own signal, and the result says nothing about it.
  if (result.status === 'pass' && !writesHalted()) recordPass(s, ex);
  return result;
}

/** Keep which check-yourself questions of a lesson the learner had right. */
export function recordQuiz(s: Session, lessonId: string, right: number[], total: number): void {
  update(s, (p) => markQuiz(p, lessonId, right, total));
}

/** The next hint to show (1-based count after this one), remembering that it was shown. */
export function nextHint(s: Session, ex: Exercise, lang: Lang): { shown: string[]; total: number } {
  const all = mustLoadHints(ex, s.course, lang);
  const hints = all[lang] ?? all[s.course.languages[0] ?? 'en'] ?? [];
  const seen = Math.min(hints.length, (s.progress.hints[ex.id] ?? 0) + 1);
  update(s, (p) => ({ ...p, hints: { ...p.hints, [ex.id]: Math.max(seen, p.hints[ex.id] ?? 0) } }));
  return { shown: hints.slice(0, seen), total: hints.length };
}

/** Put the stub back over the learner's file, and mark the exercise to do again. */
export function resetExercise(s: Session, ex: Exercise): void {
  mkdirSync(dirname(fileOf(s, ex)), { recursive: true }); // the learner may have deleted the lesson folder too
  copyFileSync(ex.stubPath, fileOf(s, ex));
  update(s, (p) => markPending(p, ex.id));
}

export function solutionText(ex: Exercise): string {
  if (!existsSync(ex.solutionPath)) return '';
  const text = readText(ex.solutionPath);
  return text.ok ? text.value : '';
}
