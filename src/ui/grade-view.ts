// The instructor's and student's view of a grade: points per exercise, and for failures the same explanation
// verify gives (full feedback) or only which checks failed (summary feedback). Pure.
import type { Lang } from '../grading/lang.js';
import { safeText } from '../grading/safe-text.js';
import { sandboxLine } from '../grading/sandbox-text.js';
import type { GradeReport } from '../grading/score.js';
import { uiText } from './i18n.js';
import { renderResult } from './report.js';
import type { Style } from './style.js';

export function renderGrade(r: GradeReport, s: Style, lang: Lang): string {
  const t = uiText(lang);
  const who = `${r.assignment}${r.student ? ` · ${r.student}` : ''}`;
  const lines = [s.bold(safeText(who, { oneLine: true })), ''];
  const width = Math.max(...r.exercises.map((e) => e.id.length));
  for (const e of r.exercises) {
    const mark = e.points >= e.maxPoints ? s.ok : e.points > 0 ? s.yellow('◐') : s.bad;
    lines.push(
      `  ${mark} ${e.id.padEnd(width)}  ${`${e.points}/${e.maxPoints}`.padStart(9)}  ${s.dim(safeText(e.title))}`,
    );
  }
  lines.push('');
  for (const e of r.exercises) {
    if (e.result.status === 'pass' || e.result.status === 'skip') continue;
    if (r.feedback === 'full') lines.push(renderResult(e.result, e.title, s, lang));
    else {
      const failed = e.result.checks.filter((c) => c.status === 'fail' || c.status === 'error');
      lines.push(`${s.bold(e.id)}: ${safeText(failed.map((c) => c.title).join('; '))}`);
    }
  }
  const verdict =
    r.status === 'pass'
      ? s.green(t.passed)
      : r.status === 'error'
        ? s.red(t.graderError)
        : s.red(t.gradeBelow);
  const need = t.passAt(r.threshold);
  lines.push(`${verdict} · ${r.points}/${r.maxPoints} (${need}) · ${(r.duration / 1000).toFixed(1)} s`);
  if (r.notIsolated) lines.push(s.yellow(`⚠ ${r.notIsolated}`));
  if (r.sandbox) lines.push(s.dim(sandboxLine(r.sandbox, lang)));
  return `${lines.join('\n')}\n`;
}
