// Choosing the course pack and finding lessons and exercises in it by what the user typed.
import { resolve } from 'node:path';
import type { Hints, Lang } from '../grading/schema/course.js';
import type { Grader } from '../grading/schema/grader.js';
import { formatFileError } from '../grading/schema/load.js';
import {
  builtinCourseDir,
  type Course,
  type Exercise,
  graderOf,
  hintsOf,
  type Lesson,
  loadCourse,
} from './course.js';
import { UserError } from './errors.js';
import { appText } from './messages.js';
import { closest } from './suggest.js';
import { findWorkspace } from './workspace.js';

export interface CourseChoice {
  /** --course DIR, if given. */
  course?: string | undefined;
  cwd: string;
  lang: Lang;
}

/** --course if given; else the pack the surrounding workspace was made from; else the built-in course. */
export function courseDir(o: Pick<CourseChoice, 'course' | 'cwd'>): string {
  if (o.course) return resolve(o.cwd, o.course);
  const ws = findWorkspace(o.cwd, { below: true });
  if (ws?.manifest.course.path) return resolve(ws.root, ws.manifest.course.path);
  return builtinCourseDir();
}

export function openCourse(o: CourseChoice): Course {
  const t = appText(o.lang);
  const dir = courseDir(o);
  const r = loadCourse(dir, o.cwd);
  if (r.ok) return r.value;
  const shown = r.errors.slice(0, 20).map(formatFileError).join('\n');
  const more = r.errors.length > 20 ? `\n${t.andMore(r.errors.length - 20)}` : '';
  throw new UserError(
    t.packProblems(o.course ?? dir, r.errors.length, shown + more),
    o.course ? t.packFixNext : t.builtinBroken,
  );
}

/** A lesson by id, or by its number in the course (1-based). */
export function findLesson(course: Course, key: string): Lesson | undefined {
  if (/^\d+$/.test(key)) return course.lessons[Number(key) - 1];
  return course.lessons.find((l) => l.id === key);
}

export function findExercise(course: Course, key: string): Exercise | undefined {
  return course.exercises.find((e) => e.id === key);
}

/** The next step after an unknown id: the closest known ones, else the list. */
export function suggest(ids: string[], key: string, lang: Lang): string {
  const t = appText(lang);
  const close = closest(ids, key);
  return close.length ? t.didYouMean(close.join(' / ')) : t.seeList;
}

export function mustFindExercise(course: Course, key: string, lang: Lang): Exercise {
  const ex = findExercise(course, key);
  if (ex) return ex;
  throw new UserError(
    appText(lang).noExercise(key),
    suggest(
      course.exercises.map((e) => e.id),
      key,
      lang,
    ),
  );
}

/** What `read` shows: a lesson (id or number) or an exercise text, with suggestions from both when unknown. */
export function mustFindText(course: Course, key: string, lang: Lang): Lesson | Exercise {
  const found = findLesson(course, key) ?? findExercise(course, key);
  if (found) return found;
  const ids = [...course.lessons.map((l) => l.id), ...course.exercises.map((e) => e.id)];
  throw new UserError(appText(lang).noLesson(key), suggest(ids, key, lang));
}

export function mustFindLesson(course: Course, key: string, lang: Lang): Lesson {
  const l = findLesson(course, key);
  if (l) return l;
  throw new UserError(
    appText(lang).noLesson(key),
    suggest(
      course.lessons.map((x) => x.id),
      key,
      lang,
    ),
  );
}

/** An exercise's hints, or a UserError naming the broken hints file. */
export function mustLoadHints(ex: Exercise, course: Course, lang: Lang, cwd = process.cwd()): Hints {
  const h = hintsOf(ex, cwd);
  if (h.ok) return h.value;
  const t = appText(lang);
  const builtin = resolve(course.root) === resolve(builtinCourseDir());
  throw new UserError(
    t.packProblems(course.root, h.errors.length, h.errors.map(formatFileError).join('\n')),
    builtin ? t.builtinBroken : t.packFixNext,
  );
}

/** The exercise's grader, or a UserError naming the file and what is wrong in it. */
export function mustLoadGrader(
  ex: Exercise,
  o: Pick<CourseChoice, 'cwd' | 'lang' | 'course'>,
  /** The folder of the course the exercise is from: only the built-in course's problems call for a reinstall. */
  courseRoot?: string,
): Grader {
  const g = graderOf(ex, o.cwd);
  if (g.ok) return g.value;
  const t = appText(o.lang);
  const root = courseRoot ?? (o.course ? resolve(o.cwd, o.course) : builtinCourseDir());
  const builtin = resolve(root) === resolve(builtinCourseDir());
  throw new UserError(
    t.packProblems(o.course ?? root, g.errors.length, g.errors.map(formatFileError).join('\n')),
    builtin ? t.builtinBroken : t.packFixNext,
  );
}
