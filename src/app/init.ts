// `socketlings init`: a workspace with the exercise stubs in numbered lesson folders, a README for the learner,
// a .gitignore, the workspace manifest and empty progress, and a copy of the TEST-ONLY certificates (with their
// README) that lesson 15's TLS program reads from `tls/`. It never overwrites anything.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Lang } from '../grading/lang.js';
import type { WorkspaceManifest } from '../grading/schema/workspace.js';
import { cliCommand } from '../wire/invocation.js';
import { TEST_CERTS_DIR } from '../wire/tls.js';
import { type Course, pick } from './course.js';
import { UserError } from './errors.js';
import { workspaceRootOf } from './locate.js';
import { appText } from './messages.js';
import { emptyProgress, saveProgress } from './progress.js';
import { WORKSPACE_FILE, type Workspace } from './workspace.js';

/** Where the workspace keeps its copy of the TEST-ONLY certificates (lesson 15 reads them from there). */
export const TLS_FOLDER = 'tls';

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
  /** Files that were there already and were left as they were (the learner's guide then goes elsewhere). */
  kept: string[];
}

/**
 * What a folder may already hold for init to make a workspace in it: what `git init` and a hosted repository's
 * first commit leave (git's own files, a README, a licence). Anything else may be someone's work.
 */
const REPOSITORY_FILES =
  /^(\.git|\.gitignore|\.gitattributes|readme(\..*)?|licen[cs]e(\..*)?|copying(\..*)?)$/i;

/** The learner's guide, beside a README the repository already has. */
export const GUIDE_BESIDE_README = 'SOCKETLINGS.md';

/**
 * Create `root` and the folders above it that are missing, one at a time: a folder that cannot be made is said
 * with why. (Node's recursive mkdir never returns under /proc.)
 */
function makeFolders(root: string, shown: string, lang: Lang): void {
  const missing: string[] = [];
  for (let dir = root; !existsSync(dir); dir = dirname(dir)) {
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      const t = appText(lang);
      throw new UserError(
        t.initCannotCreate(shown, (err as NodeJS.ErrnoException).code ?? String(err)),
        t.initCannotCreateNext,
      );
    }
  }
}

/** Refuses a folder that has anything in it or lies inside a workspace; the folder a workspace would be made in. */
export function checkInitTarget(o: Pick<InitOptions, 'cwd' | 'dir' | 'lang'>): string {
  const t = appText(o.lang);
  const root = resolve(o.cwd, o.dir);
  if (existsSync(root) && readdirSync(root).some((f) => !REPOSITORY_FILES.test(f)))
    throw new UserError(t.initExists(o.dir), t.initExistsNext);
  if (workspaceRootOf(dirname(root))) throw new UserError(t.initNested(o.dir), t.initNestedNext);
  return root;
}

export function initWorkspace(o: InitOptions): InitResult {
  const t = appText(o.lang);
  const root = checkInitTarget(o);
  makeFolders(root, o.dir, o.lang);
  const files: string[] = [];
  const kept: string[] = [];
  // Only the repository files above can be there already; those are kept as they are.
  const write = (rel: string, text: string) => {
    if (existsSync(join(root, rel))) kept.push(rel);
    else {
      writeFileSync(join(root, rel), text, { flag: 'wx' });
      files.push(rel);
    }
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
  // Every certificate and key the pack ships, found by name, so that new ones come along.
  const certs = existsSync(TEST_CERTS_DIR)
    ? readdirSync(TEST_CERTS_DIR).filter((f) => /\.(pem|key)$/.test(f) || f === 'README.md')
    : [];
  if (certs.length) mkdirSync(join(root, TLS_FOLDER));
  for (const f of certs.sort()) {
    copyFileSync(join(TEST_CERTS_DIR, f), join(root, TLS_FOLDER, f));
    files.push(join(TLS_FOLDER, f));
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
  const hasReadme = existsSync(join(root, 'README.md'));
  if (hasReadme) kept.push('README.md');
  write(
    hasReadme ? GUIDE_BESIDE_README : 'README.md',
    t.workspaceReadme(
      pick(o.course.title, o.lang, o.course.languages) ?? o.course.id,
      o.course.exercises[0]?.id ?? '',
      cliCommand(),
    ),
  );
  const workspace = { root, manifest };
  saveProgress(workspace, emptyProgress(o.course.id));
  files.push('.socketlings/progress.json');
  return { workspace, files, kept };
}
