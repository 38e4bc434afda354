// Finding the workspace around the current folder, and where each exercise's file lives in it.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadJsonFile } from '../grading/schema/load.js';
import { WorkspaceManifest } from '../grading/schema/workspace.js';
import type { Exercise, Lesson } from './course.js';
import { UserError } from './errors.js';

export const WORKSPACE_FILE = 'socketlings.json';

export interface Workspace {
  root: string;
  manifest: WorkspaceManifest;
}

/** The nearest folder at or above `cwd` with a socketlings.json, if any. */
export function findWorkspace(cwd: string): Workspace | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const file = join(dir, WORKSPACE_FILE);
    if (existsSync(file)) {
      const m = loadJsonFile(file, WorkspaceManifest);
      if (!m.ok) {
        const e = m.errors[0];
        throw new UserError(
          `${file}: ${e?.where ? `${e.where}: ` : ''}${e?.message ?? 'invalid'}`,
          e?.fix ?? 'fix the file',
        );
      }
      return { root: dir, manifest: m.value };
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Lesson folders in a workspace keep the pack's folder names, so `01-sockets/` sorts in teaching order. */
export function lessonFolder(ws: Workspace, lesson: Pick<Lesson, 'dir'>): string {
  return join(ws.root, basename(lesson.dir));
}

export function exerciseFile(ws: Workspace, lessons: Lesson[], ex: Exercise): string {
  const lesson = lessons.find((l) => l.id === ex.lessonId);
  return join(lesson ? lessonFolder(ws, lesson) : ws.root, ex.file);
}
