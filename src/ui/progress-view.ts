// The learner's map of the course: lessons, exercises with done / current / to-do marks, and a bar. Pure.
import type { Course } from '../app/course.js';
import { pick } from '../app/course.js';
import { doneCount, isDone } from '../app/progress.js';
import type { Lang } from '../grading/lang.js';
import type { Progress } from '../grading/schema/progress.js';
import { uiText } from './i18n.js';
import { padEnd } from './layout.js';
import type { Style } from './style.js';

export function bar(done: number, total: number, width = 30): string {
  const full = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

export function renderProgress(
  course: Course,
  p: Progress,
  currentId: string | undefined,
  lang: Lang,
  s: Style,
): string {
  const t = uiText(lang);
  const done = doneCount(course, p);
  const total = course.exercises.length;
  const lines = [`${bar(done, total)} ${t.progressTitle(done, total)}`, ''];
  for (const l of course.lessons) {
    const title = pick(l.titles, lang, course.languages) ?? l.id;
    lines.push(`${String(l.index + 1).padStart(2)}  ${s.bold(title)}`);
    for (const e of l.exercises) {
      const mark = isDone(p, e.id) ? s.ok : e.id === currentId ? s.yellow('▶') : s.dim('·');
      const name = e.id === currentId ? s.bold(e.id) : e.id;
      lines.push(`      ${mark} ${padEnd(name, 20)} ${s.dim(pick(e.titles, lang, course.languages) ?? '')}`);
    }
  }
  lines.push('', currentId ? t.currentIs(currentId) : t.allDone);
  return `${lines.join('\n')}\n`;
}
