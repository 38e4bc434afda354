// A learner's session in their workspace: the course, the workspace, and progress, loaded together.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Lang } from '../grading/lang.js';
import { readText } from '../grading/schema/load.js';
import type { Progress } from '../grading/schema/progress.js';
import type { Course, Exercise } from './course.js';
import { UserError } from './errors.js';
import { appText } from './messages.js';
import { currentExercise, isDone, loadProgress, markDone, markPending, updateProgress } from './progress.js';
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
  if (!isDone(s.progress, ex.id)) update(s, (p) => markDone(p, ex.id));
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
