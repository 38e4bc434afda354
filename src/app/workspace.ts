// Finding the workspace around the current folder, and where each exercise's file lives in it.
import { basename, join } from 'node:path';
import { schemas } from '../grading/schema/lazy.js';
import { loadJsonFile } from '../grading/schema/load.js';
import type { WorkspaceManifest } from '../grading/schema/workspace.js';
import type { Exercise, Lesson } from './course.js';
import { UserError } from './errors.js';
import { writeAtomic } from './files.js';
import { learnerWorkspaceRoot, WORKSPACE_FILE, workspaceRootOf } from './locate.js';

export { WORKSPACE_FILE };

export interface Workspace {
  root: string;
  manifest: WorkspaceManifest;
}

/**
 * The nearest folder at or above `cwd` with a socketlings.json, if any; with `below`, else the workspace `init`
 * made in `cwd` (see learnerWorkspaceRoot): what a learner's commands use.
 */
export function findWorkspace(cwd: string, o: { below?: boolean } = {}): Workspace | undefined {
  const root = o.below ? learnerWorkspaceRoot(cwd) : workspaceRootOf(cwd);
  if (!root) return undefined;
  const file = join(root, WORKSPACE_FILE);
  const m = loadJsonFile(file, schemas.workspace());
  if (!m.ok) {
    const e = m.errors[0];
    throw new UserError(
      `${file}: ${e?.where ? `${e.where}: ` : ''}${e?.message ?? 'invalid'}`,
      e?.fix ?? 'fix the file',
    );
  }
  return { root, manifest: m.value };
}

/** Lesson folders in a workspace keep the pack's folder names, so `01-sockets/` sorts in teaching order. */
export function lessonFolder(ws: Workspace, lesson: Pick<Lesson, 'dir'>): string {
  return join(ws.root, basename(lesson.dir));
}

export function exerciseFile(ws: Workspace, lessons: Lesson[], ex: Exercise): string {
  const lesson = lessons.find((l) => l.id === ex.lessonId);
  return join(lesson ? lessonFolder(ws, lesson) : ws.root, ex.file);
}

/** Rewrite socketlings.json atomically (e.g. after a language switch). */
export function saveWorkspaceManifest(ws: Workspace): void {
  writeAtomic(join(ws.root, WORKSPACE_FILE), `${JSON.stringify(ws.manifest, null, 2)}\n`);
}
