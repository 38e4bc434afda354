// The picker: every lesson (to read) and every exercise (to work on) with done / current / to-do marks, the
// current exercise chosen when the list opens. Pure, so the prompt tests drive it with @inquirer/testing.
import type { Course } from '../app/course.js';
import { pick } from '../app/course.js';
import { isDone } from '../app/progress.js';
import type { Lang } from '../grading/lang.js';
import type { Progress } from '../grading/schema/progress.js';
import type { Choice } from './ask.js';
import { padEnd } from './layout.js';

export type Picked = { kind: 'lesson'; id: string } | { kind: 'exercise'; id: string } | { kind: 'back' };

export function pickerChoices(
  course: Course,
  p: Progress,
  currentId: string | undefined,
  lang: Lang,
  back: string,
  unicode = true,
): Choice<Picked>[] {
  const [done, now, todo] = unicode ? ['✓', '▶', '·'] : ['v', '>', '-'];
  const idWidth = Math.max(0, ...course.exercises.map((e) => e.id.length));
  const out: Choice<Picked>[] = [];
  for (const l of course.lessons) {
    out.push({
      name: `${String(l.index + 1).padStart(2)}. ${pick(l.titles, lang, course.languages) ?? l.id}`,
      value: { kind: 'lesson', id: l.id },
    });
    for (const e of l.exercises) {
      const mark = isDone(p, e.id) ? done : e.id === currentId ? now : todo;
      out.push({
        name: `      ${mark} ${padEnd(e.id, idWidth)}  ${pick(e.titles, lang, course.languages) ?? ''}`,
        value: { kind: 'exercise', id: e.id },
      });
    }
  }
  out.push({ name: back, value: { kind: 'back' } });
  return out;
}
