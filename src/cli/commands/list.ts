// `socketlings list`: lessons and exercises in teaching order.
import { pick } from '../../app/course.js';
import { EXIT } from '../../app/errors.js';
import { openCourse } from '../../app/select.js';
import { widthOf } from '../../ui/fit.js';
import { uiText } from '../../ui/i18n.js';
import { width as displayWidth, layout } from '../../ui/layout.js';
import { styleFor } from '../../ui/style.js';
import type { CommandContext } from '../context.js';

export async function list(ctx: CommandContext, o: { json?: boolean | undefined }): Promise<number> {
  const course = openCourse(ctx);
  const title = <T>(t: Partial<Record<'en' | 'zh-CN', T>>) => pick(t, ctx.lang, course.languages);
  if (o.json) {
    const data = {
      course: { id: course.id, version: course.version, title: title(course.title) },
      lessons: course.lessons.map((l) => ({
        id: l.id,
        number: l.index + 1,
        title: title(l.titles),
        exercises: l.exercises.map((e) => ({ id: e.id, title: title(e.titles), file: e.file })),
      })),
    };
    ctx.out.write(`${JSON.stringify(data, null, 2)}\n`);
    return EXIT.ok;
  }
  const s = styleFor(ctx.out);
  const t = uiText(ctx.lang);
  const width = widthOf(ctx.out);
  const idWidth = Math.max(
    ...course.lessons.map((l) => l.id.length),
    ...course.exercises.map((e) => e.id.length + 4),
  );
  // Fixed columns first, then the title, wrapped under itself when the line is too narrow for it.
  const row = (lead: string, text: string, note = '') => {
    if (width === undefined) return [`${lead}${text}${note}`];
    const pad = Math.min(displayWidth(lead), Math.floor(width / 2));
    const [first = '', ...rest] = layout(
      [{ text }, ...(note ? [{ text: note, paint: s.dim }] : [])],
      width - displayWidth(lead),
      width - pad,
    );
    return [lead + first, ...rest.map((l) => ' '.repeat(pad) + l)];
  };
  const lines = [
    ...row('', `${s.bold(title(course.title) ?? course.id)} ${s.dim(`(${course.id} ${course.version})`)}`),
    '',
  ];
  for (const l of course.lessons) {
    const n = String(l.index + 1).padStart(2);
    lines.push(
      ...row(
        `${n}  ${s.bold(l.id.padEnd(idWidth))}  `,
        title(l.titles) ?? '',
        l.exercises.length ? '' : ` ${t.noExercises}`,
      ),
    );
    for (const e of l.exercises)
      lines.push(...row(`      ${s.cyan(e.id.padEnd(idWidth - 4))}  `, title(e.titles) ?? ''));
  }
  ctx.out.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
