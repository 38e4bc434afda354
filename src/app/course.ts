// Loading a course pack: schema first, then small rules, collecting every error so an author fixes them in one go.
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { cachedChecked, schemaOf } from '../grading/schema/checked-cache.js';
import type { DocLink, FrontMatter, Hints, Lang } from '../grading/schema/course.js';
import type { Grader } from '../grading/schema/grader.js';
import {
  type FileError,
  formatFileError,
  LIMITS,
  type Loaded,
  loadChecked,
  MAX_MARKDOWN_LEAD,
  markdownTooDeepAt,
  parseFrontMatter,
  readText,
} from '../grading/schema/load.js';
import { fileLang, loadText } from '../grading/schema/load-text.js';
import { UserError } from './errors.js';
import { PACKAGE_DIR } from './locate.js';
import { appText } from './messages.js';

function markdownTooDeep(): { message: string; fix: string } {
  const t = loadText();
  return { message: t.markdownTooDeep(MAX_MARKDOWN_LEAD), fix: t.markdownTooDeepFix };
}

export interface Exercise {
  id: string;
  /** 0-based position in teaching order across the course. */
  index: number;
  lessonId: string;
  dir: string;
  /** The learner's file name. */
  file: string;
  stubPath: string;
  solutionPath: string;
  graderPath: string;
  /** Present when the course was loaded with `graders: true`; otherwise see `graderOf`. */
  grader?: Grader;
  titles: Partial<Record<Lang, string>>;
  /** The documentation its text relies on, per language (front matter `docs`). */
  docs: Partial<Record<Lang, DocLink[]>>;
  /** Present when the course was loaded with `graders: true`, or once asked for; see `hintsOf`. */
  hints?: Hints;
  hintsPath: string;
  /** The pack's languages: each must have hints. */
  languages: readonly Lang[];
}

export interface Lesson {
  id: string;
  index: number;
  dir: string;
  titles: Partial<Record<Lang, string>>;
  /** The documentation the lesson relies on, per language (front matter `docs`). */
  docs: Partial<Record<Lang, DocLink[]>>;
  exercises: Exercise[];
}

export interface Course {
  root: string;
  id: string;
  version: string;
  title: Partial<Record<Lang, string>>;
  languages: Lang[];
  lessons: Lesson[];
  exercises: Exercise[];
}

/** The course shipped in the package: the package root is itself a pack. */
export function builtinCourseDir(): string {
  return PACKAGE_DIR;
}

export const MANIFEST = join('lessons', 'course.yaml');

type Titles = Partial<Record<Lang, string>>;
type Docs = Partial<Record<Lang, DocLink[]>>;

let builtinReal: string | undefined;
function builtinRoot(): string {
  builtinReal ??= realpathSync.native(builtinCourseDir());
  return builtinReal;
}

/** How a file is named in messages: relative to the working folder when it is below it. */
export function shownPath(abs: string, cwd = process.cwd()): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

export interface LoadOptions {
  /**
   * Validate every grader now. A learner's verify needs one grader, so it loads that one alone (see graderOf);
   * dev check, doctor and the build load all of them. The same goes for hints files: one is read when asked for.
   */
  graders?: boolean;
}

export function loadCourse(root: string, cwd = process.cwd(), opts: LoadOptions = {}): Loaded<Course> {
  const show = (p: string) => shownPath(p, cwd);
  const manifestPath = join(root, MANIFEST);
  if (!existsSync(manifestPath)) {
    return {
      ok: false,
      errors: [
        {
          file: show(manifestPath),
          where: '',
          message: 'this folder is not a course pack: it has no lessons/course.yaml',
          fix: 'pass the folder that contains lessons/course.yaml, or create one with `socketlings dev new DIR`',
        },
      ],
    };
  }
  const m = loadChecked(manifestPath, 'course', show(manifestPath));
  if (!m.ok) return m;
  const manifest = m.value;
  const errors: FileError[] = [];
  const mfile = show(manifestPath);
  const realRoot = realpathSync.native(root);

  /** Resolve a manifest path, refusing anything that could leave the pack. */
  const inside = (p: string, where: string): string | undefined => {
    if (isAbsolute(p) || p.split(/[\\/]/).includes('..')) {
      errors.push({
        file: mfile,
        where,
        message: `"${p}" points outside the pack`,
        fix: 'use a path relative to the pack folder, without ".." and not starting with "/"',
      });
      return undefined;
    }
    const abs = join(root, p);
    if (existsSync(abs)) {
      const real = realpathSync.native(abs);
      if (real !== realRoot && !real.startsWith(realRoot + sep)) {
        errors.push({
          file: mfile,
          where,
          message: `"${p}" is a link to a place outside the pack`,
          fix: 'copy the file into the pack instead of linking to it',
        });
        return undefined;
      }
    }
    return abs;
  };
  const mustExist = (abs: string, where: string, what: string): boolean => {
    if (lstatSync(abs, { throwIfNoEntry: false })?.isFile()) return true;
    errors.push({
      file: show(abs),
      where: '',
      message: `missing ${what} (required by ${mfile} at ${where})`,
      fix: `create ${show(abs)}`,
    });
    return false;
  };
  const titlesOf = (dir: string, where: string, what: string, into = errors) => {
    const errors = into;
    const titles: Partial<Record<Lang, string>> = {};
    const docs: Partial<Record<Lang, DocLink[]>> = {};
    for (const lang of manifest.languages) {
      const file = join(dir, `${lang}.md`);
      if (!mustExist(file, where, `${lang} ${what}`)) continue;
      const text = readText(file, show(file), LIMITS.lesson);
      if (!text.ok) {
        errors.push(...text.errors);
        continue;
      }
      // Checked at build time, this very text: its front matter is known.
      const checked = cachedChecked('front-matter', text.value);
      if (checked) {
        const meta = checked.value as FrontMatter;
        titles[lang] = meta.title;
        if (meta.docs) docs[lang] = meta.docs;
        continue;
      }
      const deep = markdownTooDeepAt(text.value);
      if (deep !== undefined) {
        errors.push({ file: show(file), where: `line ${deep}`, ...markdownTooDeep() });
        continue;
      }
      const fm = parseFrontMatter(show(file), text.value, schemaOf('front-matter') as typeof FrontMatter);
      if (fm.ok) {
        titles[lang] = fm.value.meta.title;
        if (fm.value.meta.docs) docs[lang] = fm.value.meta.docs;
      } else errors.push(...fm.errors);
    }
    return { titles, docs };
  };

  // The built-in course was checked whole when it was built: a command that needs a title or two reads only
  // those texts, each checked against the build's cache like any other file (an edited one is checked in full,
  // and a problem in it is reported when it is read). Everything else is checked here, as for any pack.
  const lazy = !opts.graders && realRoot === builtinRoot();
  const setTexts = (holder: { titles: Titles; docs: Docs }, dir: string, where: string, what: string) => {
    if (!lazy) {
      Object.assign(holder, titlesOf(dir, where, what));
      return;
    }
    let read: { titles: Titles; docs: Docs } | undefined;
    const texts = () => {
      if (read) return read;
      const found: FileError[] = [];
      const got = titlesOf(dir, where, what, found);
      if (found.length) {
        const t = appText(fileLang());
        throw new UserError(
          t.packProblems(root, found.length, found.map(formatFileError).join('\n')),
          t.builtinBroken,
        );
      }
      read = got;
      return got;
    };
    for (const key of ['titles', 'docs'] as const) {
      const settle = (v: unknown) =>
        Object.defineProperty(holder, key, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      Object.defineProperty(holder, key, {
        enumerable: true,
        configurable: true,
        get() {
          const v = texts()[key];
          settle(v);
          return v;
        },
        set: settle,
      });
    }
  };

  const seenLessons = new Map<string, string>();
  const seenExercises = new Map<string, string>();
  const unique = (seen: Map<string, string>, id: string, where: string, kind: string) => {
    const first = seen.get(id);
    if (first !== undefined) {
      errors.push({
        file: mfile,
        where: `${where}.id`,
        message: `duplicate ${kind} id "${id}" (first used at ${first})`,
        fix: `give each ${kind} its own id`,
      });
    } else seen.set(id, where);
  };

  const lessons: Lesson[] = [];
  const exercises: Exercise[] = [];
  manifest.lessons.forEach((l, li) => {
    const lw = `lessons.${li}`;
    unique(seenLessons, l.id, lw, 'lesson');
    const dir = inside(l.dir, `${lw}.dir`);
    const lesson: Lesson = { id: l.id, index: li, dir: dir ?? root, titles: {}, docs: {}, exercises: [] };
    if (dir) setTexts(lesson, dir, `${lw}.dir`, 'lesson text');
    l.exercises.forEach((e, ei) => {
      const ew = `${lw}.exercises.${ei}`;
      unique(seenExercises, e.id, ew, 'exercise');
      const edir = inside(e.dir, `${ew}.dir`);
      const graderRel = e.grader ?? `graders/${e.id}.yaml`;
      const graderPath = inside(graderRel, `${ew}.grader`);
      if (!edir || !graderPath) return;
      const stubPath = join(edir, e.file);
      const solutionPath = join(edir, 'solution', e.file);
      const { titles, docs } = lazy ? { titles: {}, docs: {} } : titlesOf(edir, `${ew}.dir`, 'exercise text');
      // A rule for pack authors; the built-in course is held to it by `dev check`, which loads it in full.
      if (mustExist(stubPath, `${ew}.file`, 'stub') && !lazy) {
        const stub = readText(stubPath);
        if (stub.ok && !stub.value.includes('TODO')) {
          errors.push({
            file: show(stubPath),
            where: '',
            message: 'the stub has no TODO marker',
            fix: 'mark the place the learner must change with a "# TODO" comment',
          });
        }
      }
      mustExist(solutionPath, `${ew}.file`, 'reference solution');
      let hints: Hints | undefined;
      const hintsPath = join(edir, 'hints.yaml');
      if (mustExist(hintsPath, `${ew}.dir`, 'hints file') && opts.graders) {
        const h = loadHints(hintsPath, manifest.languages, show(hintsPath));
        if (h.ok) hints = h.value;
        else errors.push(...h.errors);
      }
      let grader: Grader | undefined;
      if (mustExist(graderPath, `${ew}.grader`, 'grader') && opts.graders) {
        const g = loadChecked(graderPath, 'grader', show(graderPath));
        if (g.ok) grader = g.value;
        else errors.push(...g.errors);
      }
      const ex: Exercise = {
        id: e.id,
        index: exercises.length,
        lessonId: l.id,
        dir: edir,
        file: e.file,
        stubPath,
        solutionPath,
        graderPath,
        ...(grader ? { grader } : {}),
        titles,
        docs,
        ...(hints ? { hints } : {}),
        hintsPath,
        languages: manifest.languages,
      };
      if (lazy) setTexts(ex, edir, `${ew}.dir`, 'exercise text');
      lesson.exercises.push(ex);
      exercises.push(ex);
    });
    lessons.push(lesson);
  });

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      root,
      id: manifest.id,
      version: manifest.version,
      title: manifest.title,
      languages: manifest.languages,
      lessons,
      exercises,
    },
  };
}

/** The exercise's grader, read and validated on first use. */
export function graderOf(ex: Exercise, cwd = process.cwd()): Loaded<Grader> {
  if (ex.grader) return { ok: true, value: ex.grader };
  const g = loadChecked(ex.graderPath, 'grader', shownPath(ex.graderPath, cwd));
  if (g.ok) ex.grader = g.value;
  return g;
}

/** A hints file, with hints in every language of the pack. */
function loadHints(path: string, languages: readonly Lang[], shown: string): Loaded<Hints> {
  const h = loadChecked(path, 'hints', shown);
  if (!h.ok) return h;
  const missing = languages.filter((lang) => !h.value[lang]?.length);
  if (missing.length === 0) return h;
  return {
    ok: false,
    errors: missing.map((lang) => ({
      file: shown,
      where: lang,
      message: `no ${lang} hints`,
      fix: `add a list of at least one hint under "${lang}:"`,
    })),
  };
}

/** An exercise's hints, read when first asked for unless the course was loaded with everything. */
export function hintsOf(ex: Exercise, cwd = process.cwd()): Loaded<Hints> {
  if (ex.hints) return { ok: true, value: ex.hints };
  const h = loadHints(ex.hintsPath, ex.languages, shownPath(ex.hintsPath, cwd));
  if (h.ok) ex.hints = h.value;
  return h;
}

/** A title in the wanted language, else the pack's first language. */
export function pick<T>(
  byLang: Partial<Record<Lang, T>>,
  lang: Lang,
  languages: readonly Lang[],
): T | undefined {
  return byLang[lang] ?? byLang[languages[0] ?? 'en'] ?? Object.values(byLang)[0];
}
