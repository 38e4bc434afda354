// `socketlings doctor`: everything a bug report needs, checked live.
import { doctorReport } from '../../app/doctor.js';
import { EXIT } from '../../app/errors.js';
import { fitText, widthOf } from '../../ui/fit.js';
import { uiText } from '../../ui/i18n.js';
import { layout, padEnd } from '../../ui/layout.js';
import { styleFor } from '../../ui/style.js';
import type { CommandContext } from '../context.js';
import { version } from '../version.js';

export async function doctor(ctx: CommandContext, o: { json?: boolean | undefined }): Promise<number> {
  const r = await doctorReport({ course: ctx.course, cwd: ctx.cwd, lang: ctx.lang, version: version() });
  const healthy =
    r.python.found &&
    r.python.supported &&
    r.course.valid &&
    Object.values(r.selfTest).every((x) => x.status !== 'fail');
  if (o.json) {
    ctx.out.write(`${JSON.stringify(r, null, 2)}\n`);
    return healthy ? EXIT.ok : EXIT.failed;
  }
  const s = styleFor(ctx.out);
  const t = uiText(ctx.lang);
  const mark = { ok: s.ok, skip: s.skip, fail: s.bad };
  const width = widthOf(ctx.out);
  // A value too long for the line wraps under its own column (on a terminal; piped, a line stays a line).
  const row = (k: string, v: string) =>
    v
      .split('\n')
      .flatMap((part) =>
        // A part on a line of its own is indented here, under the value's column, and only here.
        width === undefined
          ? [part.trimStart()]
          : layout([{ text: part.trimStart() }], Math.max(20, width - 15)),
      )
      .map((l, i) => (i === 0 ? `  ${padEnd(k, 12)} ${l}` : `${' '.repeat(15)}${l}`))
      .join('\n');
  const lines = [
    s.bold(t.doctorTitle),
    row('socketlings', r.socketlings),
    row('node', `${r.node.version} (${r.node.path})`),
    row('platform', r.platform),
    row(
      'python',
      !r.python.found
        ? `${mark.fail} ${t.notFound}; tried ${r.python.tried.join(', ')}`
        : r.python.supported
          ? `${r.python.version} (${r.python.path}) via \`${r.python.command}\` from ${r.python.from}`
          : `${mark.fail} ${r.python.version} (${r.python.path}) via \`${r.python.command}\` from ${r.python.from}: ${t.pythonTooOldDoctor(r.python.oldest)}\n→ ${t.pythonTooOldNext(r.python.oldest)}`,
    ),
    row(
      t.course,
      r.course.valid
        ? `${mark.ok} ${r.course.id} ${r.course.version}${r.course.builtin ? ' (built-in)' : ''}: ${r.course.lessons} lessons, ${r.course.exercises} exercises`
        : `${mark.fail} ${t.invalid}${t.colon}${r.course.dir}`,
    ),
    ...(r.course.errors ?? []).map((e) => `      ${e.replace(/\n/g, '\n      ')}`),
    row('language', r.lang),
    row(
      'sandbox',
      `${mark[r.sandbox.status]} ${r.sandbox.detail}${r.sandbox.fix ? `\n→ ${r.sandbox.fix}` : ''}`,
    ),
    row(
      'readiness',
      t.readinessRow(t.methodText[r.methods.readiness] ?? '', t.methodText[r.methods.runReadiness] ?? ''),
    ),
    row('cleanup', t.methodText[r.methods.cleanup === 'proc' ? 'procCleanup' : r.methods.cleanup] ?? ''),
    ...(r.methods.portable ? [row('', t.portableWhy(r.methods.why))] : []),
    `  ${t.selfTest}`,
    ...Object.entries(r.selfTest).map(
      ([k, v]) => `    ${mark[v.status]} ${k.padEnd(10)} ${v.status}: ${v.detail}`,
    ),
    '',
    s.dim(t.pasteHint),
  ];
  ctx.out.write(`${fitText(lines.join('\n'), width, 13)}\n`);
  return healthy ? EXIT.ok : EXIT.failed;
}
