// The learner's map of the course: per lesson what is done (exercises, check-yourself questions) and how long ago
// the last pass was, then its exercises with done / current / to-do marks. Laid out at the terminal's width.
// Pure: course, progress and the clock in, text out.
import type { Course } from '../app/course.js';
import { pick } from '../app/course.js';
import { doneCount, isDone, lastPass } from '../app/progress.js';
import type { Lang } from '../grading/lang.js';
import type { Progress } from '../grading/schema/progress.js';
import { type UiText, uiText } from './i18n.js';
import { width as displayWidth, layout, padEnd, type Run } from './layout.js';
import type { Style } from './style.js';

export function bar(done: number, total: number, width = 30): string {
  const full = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

export interface ProgressOptions {
  /** Columns to fit (default 80). */
  width?: number | undefined;
  /** Now, for "2 h ago". */
  now?: Date | undefined;
  /** Check-yourself questions per lesson id, where known. */
  questions?: Record<string, number> | undefined;
}

/** How long ago, in the largest unit that is at least 1: "3 min ago", "2 h ago", "5 days ago". */
export function ago(then: Date, now: Date, t: UiText): string {
  const min = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 60_000));
  if (min < 1) return t.justNow;
  if (min < 60) return t.minutesAgo(min);
  const h = Math.floor(min / 60);
  if (h < 48) return t.hoursAgo(h);
  return t.daysAgo(Math.floor(h / 24));
}

/** A row of fixed columns then text that wraps under its own start. */
function row(lead: string, runs: Run[], w: number): string[] {
  const pad = displayWidth(lead);
  const [first = '', ...rest] = layout(runs, Math.max(10, w - pad));
  return [lead + first, ...rest.map((l) => ' '.repeat(pad) + l)];
}

export function renderProgress(
  course: Course,
  p: Progress,
  currentId: string | undefined,
  lang: Lang,
  s: Style,
  o: ProgressOptions = {},
): string {
  const t = uiText(lang);
  const w = Math.max(30, o.width ?? 80);
  const now = o.now ?? new Date();
  const done = doneCount(course, p);
  const total = course.exercises.length;
  const title = t.progressTitle(done, total);
  const barWidth = Math.max(10, Math.min(30, w - displayWidth(title) - 3));
  const lines = [...row(`${bar(done, total, barWidth)} `, [{ text: title }], w), ''];
  const idWidth = Math.min(Math.max(0, ...course.exercises.map((e) => e.id.length)), Math.floor(w / 3));
  for (const l of course.lessons) {
    lines.push(
      ...row(
        `${String(l.index + 1).padStart(2)}  `,
        [{ text: pick(l.titles, lang, course.languages) ?? l.id, paint: s.bold }],
        w,
      ),
    );
    const facts: string[] = [];
    if (l.exercises.length)
      facts.push(t.lessonExercises(l.exercises.filter((e) => isDone(p, e.id)).length, l.exercises.length));
    const quiz = p.quiz?.[l.id];
    const asked = o.questions?.[l.id] ?? quiz?.total;
    if (asked) facts.push(t.lessonQuiz(quiz?.right.filter((n) => n <= asked).length ?? 0, asked));
    const last = l.exercises
      .map((e) => lastPass(p, e.id))
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    if (last) facts.push(t.lastPassAgo(ago(last, now, t)));
    if (facts.length) lines.push(...row('    ', [{ text: facts.join(' · '), paint: s.dim }], w));
    for (const e of l.exercises) {
      const mark = isDone(p, e.id) ? s.ok : e.id === currentId ? s.yellow('▶') : s.dim('·');
      const name = padEnd(e.id, idWidth);
      const lead = `      ${mark} ${e.id === currentId ? s.bold(name) : name}  `;
      lines.push(...row(lead, [{ text: pick(e.titles, lang, course.languages) ?? '', paint: s.dim }], w));
    }
  }
  lines.push('', ...row('', [{ text: currentId ? t.currentIs(currentId) : t.allDone }], w));
  return `${lines.join('\n')}\n`;
}

/** `progress --json`: the shape documented in README.md ("Progress"), stable for scripts. */
export function progressJson(
  course: Course,
  p: Progress,
  currentId: string | undefined,
  lang: Lang,
  questions: Record<string, number>,
) {
  return {
    format: 1,
    course: course.id,
    current: currentId ?? null,
    done: course.exercises.filter((e) => isDone(p, e.id)).map((e) => e.id),
    total: course.exercises.length,
    lessons: course.lessons.map((l) => {
      const quiz = p.quiz?.[l.id];
      const passes = l.exercises.map((e) => lastPass(p, e.id)?.getTime() ?? 0);
      const last = Math.max(0, ...passes);
      return {
        id: l.id,
        number: l.index + 1,
        title: pick(l.titles, lang, course.languages) ?? l.id,
        exercises: l.exercises.map((e) => ({
          id: e.id,
          done: isDone(p, e.id),
          firstPass: p.exercises[e.id]?.at ?? null,
          lastPass: lastPass(p, e.id)?.toISOString() ?? null,
        })),
        quiz: {
          questions: questions[l.id] ?? quiz?.total ?? 0,
          right: quiz?.right ?? [],
          at: quiz?.at ?? null,
        },
        lastPass: last ? new Date(last).toISOString() : null,
      };
    }),
    progress: p,
  };
}
