// `socketlings init`: a workspace with the exercise stubs in numbered lesson folders, a README for the learner,
// a .gitignore, the workspace manifest and empty progress. It never overwrites anything.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Lang } from '../grading/lang.js';
import type { WorkspaceManifest } from '../grading/schema/workspace.js';
import { cliCommand } from '../wire/invocation.js';
import { type Course, pick } from './course.js';
import { UserError } from './errors.js';
import { workspaceRootOf } from './locate.js';
import { appText } from './messages.js';
import { emptyProgress, saveProgress } from './progress.js';
import { WORKSPACE_FILE, type Workspace } from './workspace.js';

export interface InitOptions {
  course: Course;
  /** --course as given, or undefined for the built-in course. */
  coursePath?: string | undefined;
  dir: string;
  cwd: string;
  lang: Lang;
}

export interface InitResult {
  workspace: Workspace;
  files: string[];
}

/** Refuses a folder that has anything in it or lies inside a workspace; the folder a workspace would be made in. */
export function checkInitTarget(o: Pick<InitOptions, 'cwd' | 'dir' | 'lang'>): string {
  const t = appText(o.lang);
  const root = resolve(o.cwd, o.dir);
  if (existsSync(root) && readdirSync(root).length > 0)
    throw new UserError(t.initExists(o.dir), t.initExistsNext);
  if (workspaceRootOf(dirname(root))) throw new UserError(t.initNested(o.dir), t.initNestedNext);
  return root;
}

export function initWorkspace(o: InitOptions): InitResult {
  const t = appText(o.lang);
  const root = checkInitTarget(o);
  mkdirSync(root, { recursive: true });
  const files: string[] = [];
  const write = (rel: string, text: string) => {
    writeFileSync(join(root, rel), text);
    files.push(rel);
  };
  for (const lesson of o.course.lessons) {
    if (lesson.exercises.length === 0) continue;
    const folder = basename(lesson.dir);
    mkdirSync(join(root, folder), { recursive: true });
    for (const ex of lesson.exercises) {
      copyFileSync(ex.stubPath, join(root, folder, ex.file));
      files.push(join(folder, ex.file));
    }
  }
  const manifest: WorkspaceManifest = {
    format: 1,
    course: {
      id: o.course.id,
      version: o.course.version,
      ...(o.coursePath ? { path: relative(root, resolve(o.cwd, o.coursePath)) || '.' } : {}),
    },
    lang: o.lang,
  };
  write(WORKSPACE_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  write('.gitignore', '__pycache__/\n*.pyc\n*.sock\n.socketlings/*.tmp\n');
  write(
    'README.md',
    t.workspaceReadme(
      pick(o.course.title, o.lang, o.course.languages) ?? o.course.id,
      o.course.exercises[0]?.id ?? '',
      cliCommand(),
    ),
  );
  const workspace = { root, manifest };
  saveProgress(workspace, emptyProgress(o.course.id));
  files.push('.socketlings/progress.json');
  return { workspace, files };
}
