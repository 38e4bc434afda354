// Reading and writing progress. Writes are atomic (a temporary file renamed over the old one), and a file that
// cannot be read is kept aside, never silently replaced.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { schemas } from '../grading/schema/lazy.js';
import { formatFileError, LIMITS, notAFile, readText, validate } from '../grading/schema/load.js';
import type { Progress as ProgressT } from '../grading/schema/progress.js';
import { type Course, type Exercise, shownPath } from './course.js';
import { UserError } from './errors.js';
import { noteUnsaved, writeAtomic } from './files.js';
import { LockTimeout, withLock } from './lock.js';
import type { Workspace } from './workspace.js';

export const PROGRESS_FILE = join('.socketlings', 'progress.json');

export interface LoadedProgress {
  progress: ProgressT;
  /** Set when the file was unreadable: where the old one was kept, and why. */
  recovered?: { backup: string; reason: string };
}

export function progressPath(ws: Workspace): string {
  return join(ws.root, PROGRESS_FILE);
}

export function emptyProgress(courseId: string): ProgressT {
  return { format: 1, course: courseId, exercises: {}, hints: {} };
}

export function loadProgress(ws: Workspace, course: Course): LoadedProgress {
  const file = progressPath(ws);
  if (!existsSync(file)) return { progress: emptyProgress(course.id) };
  // A folder or a FIFO in its place is not a damaged file to set aside: the learner must see it and decide.
  const odd = notAFile(statSync(file));
  if (odd) throw new UserError(formatFileError({ file: shownPath(file), where: '', ...odd }));
  const text = readText(file, shownPath(file), LIMITS.json);
  if (!text.ok) throw new UserError(text.errors.map(formatFileError).join('\n'));
  let reason: string | undefined;
  try {
    const v = validate(file, JSON.parse(text.value), schemas.progress());
    if (v.ok) {
      if (v.value.course === course.id) return { progress: v.value };
      reason = `it belongs to the course "${v.value.course}", not "${course.id}"`;
    } else reason = v.errors.map((e) => `${e.where}: ${e.message}`).join('; ');
  } catch (err) {
    reason = `invalid JSON: ${(err as Error).message}`;
  }
  const backup = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(file, backup);
  } catch {
    // A read-only workspace: the file stays where it is, and nothing will be saved over it.
    return { progress: emptyProgress(course.id), recovered: { backup: file, reason } };
  }
  return { progress: emptyProgress(course.id), recovered: { backup, reason } };
}

/**
 * Read the progress on disk, apply `change`, and write the result, holding the workspace's progress lock, so two
 * commands recording at once both keep their change (each merges into what the other wrote). When the workspace
 * cannot be written (read-only, or another process holds the lock far too long), the change stays in memory for
 * this command and `unsavedNote` says why.
 */
export function updateProgress(
  ws: Workspace,
  course: Course,
  change: (p: ProgressT) => ProgressT,
  fallback: ProgressT,
): ProgressT {
  const file = progressPath(ws);
  try {
    mkdirSync(dirname(file), { recursive: true });
    return withLock(file, () => {
      const next = change(loadProgress(ws, course).progress);
      saveProgress(ws, next);
      return next;
    });
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (!(err instanceof LockTimeout) && code === undefined) throw err;
    noteUnsaved(shownPath(file), err instanceof LockTimeout ? 'locked' : (code ?? 'error'));
    return change(fallback);
  }
}

/** Write atomically: readers see the old file or the new one, never half of one. */
export function saveProgress(ws: Workspace, p: ProgressT): void {
  const file = progressPath(ws);
  mkdirSync(dirname(file), { recursive: true });
  writeAtomic(file, `${JSON.stringify(p, null, 2)}\n`);
}

export function isDone(p: ProgressT, id: string): boolean {
  return p.exercises[id]?.status === 'done';
}

/** Passed: the first pass's time is kept, and the last one's noted. */
export function markDone(p: ProgressT, id: string, now = new Date()): ProgressT {
  const at = p.exercises[id]?.at ?? now.toISOString();
  return {
    ...p,
    exercises: { ...p.exercises, [id]: { status: 'done', at, last: now.toISOString() } },
  };
}

/** When an exercise last passed, if it did. */
export function lastPass(p: ProgressT, id: string): Date | undefined {
  const e = p.exercises[id];
  return e ? new Date(e.last ?? e.at) : undefined;
}

/** Record a lesson's check-yourself answers: which questions (1-based) the learner had right, of how many. */
export function markQuiz(
  p: ProgressT,
  lessonId: string,
  right: number[],
  total: number,
  now = new Date(),
): ProgressT {
  const sorted = [...new Set(right)].sort((a, b) => a - b);
  return { ...p, quiz: { ...p.quiz, [lessonId]: { right: sorted, total, at: now.toISOString() } } };
}

export function markPending(p: ProgressT, id: string): ProgressT {
  const { [id]: _, ...rest } = p.exercises;
  return { ...p, exercises: rest, hints: { ...p.hints, [id]: 0 } };
}

/**
 * The exercise to work on: the chosen current one while it is not done, else the first not done after it, else
 * the first not done from the start. Undefined when all are done.
 */
export function currentExercise(course: Pick<Course, 'exercises'>, p: ProgressT): Exercise | undefined {
  const all = course.exercises;
  const start = Math.max(
    0,
    all.findIndex((e) => e.id === p.current),
  );
  const after = all.slice(start).find((e) => !isDone(p, e.id));
  return after ?? all.find((e) => !isDone(p, e.id));
}

/** The exercise after `id` in teaching order, whether done or not. */
export function nextAfter(course: Pick<Course, 'exercises'>, id: string): Exercise | undefined {
  const i = course.exercises.findIndex((e) => e.id === id);
  return i < 0 ? undefined : course.exercises[i + 1];
}

export function doneCount(course: Pick<Course, 'exercises'>, p: ProgressT): number {
  return course.exercises.filter((e) => isDone(p, e.id)).length;
}
