// The learner-facing view of a result: one line per check, and for a failure the story of what happened on the
// wire. Pure: result in, text out.
import { arrow, type CheckResult, type ExerciseResult, type TranscriptEntry } from '../grading/results.js';
import type { Lang } from '../grading/schema/course.js';
import { uiText } from './i18n.js';
import { guardLines, safeText } from './safe-text.js';
import type { Style } from './style.js';

const MAX_TRANSCRIPT = 30;

export function transcriptLine(e: TranscriptEntry, s: Style, lang: Lang): string {
  const t = uiText(lang);
  const text = safeText(e.text);
  if (e.who === 'program') return `${s.cyan(`[${t.yourProgram}]`)} ${e.kind}: ${text}`;
  if (e.who === 'grader') return s.dim(`[grader] ${text}`);
  const what = e.kind === 'send' || e.kind === 'recv' ? text : `${e.kind}${text ? ` ${text}` : ''}`;
  return `${s.yellow(`[${e.who}]`)} ${arrow(e)} ${what}`;
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function renderCheck(c: CheckResult, s: Style, lang: Lang): string[] {
  const t = uiText(lang);
  const mark = { pass: s.ok, fail: s.bad, skip: s.skip, error: s.error }[c.status];
  const head = `  ${mark} ${safeText(c.title)}`;
  const message = safeText(c.message);
  if (c.status === 'pass') return [head];
  if (c.status === 'skip') return [`${head} ${s.dim(`(${message})`)}`];
  const out = [head, indent(c.status === 'error' ? s.red(message) : message, '      ')];
  if (c.diff) out.push(...c.diff.map((l) => `      ${safeText(l)}`));
  else {
    if (c.expected !== undefined)
      out.push(indent(`${s.dim(`${t.expected}:`)} ${safeText(c.expected)}`, '      '));
    if (c.actual !== undefined) out.push(indent(`${s.dim(`${t.actual}:`)} ${safeText(c.actual)}`, '      '));
  }
  if (c.transcript.length) {
    out.push(`      ${s.dim(`${t.transcript}:`)}`);
    const shown = c.transcript.slice(-MAX_TRANSCRIPT);
    if (c.transcript.length > shown.length)
      out.push(`        ${s.dim(t.morePeerLines(c.transcript.length - shown.length))}`);
    for (const e of shown) out.push(`        ${transcriptLine(e, s, lang)}`);
  }
  if (c.hint) out.push(indent(`${s.bold(`${t.hint}:`)} ${safeText(c.hint)}`, '      '));
  if (c.replay) out.push(indent(`${s.dim(`${t.replay}:`)} ${safeText(c.replay)}`, '      '));
  return out;
}

export function renderResult(r: ExerciseResult, title: string, s: Style, lang: Lang): string {
  const t = uiText(lang);
  const lines = [`${s.bold(r.exercise)} ${s.dim('—')} ${safeText(title)}`];
  for (const c of r.checks) lines.push(...renderCheck(c, s, lang));
  if (r.dropped) {
    for (const stream of ['stdout', 'stderr'] as const)
      if (r.dropped[stream]) lines.push(s.dim(`  ${t.outputCut(stream, r.dropped[stream])}`));
  }
  const passed = r.checks.filter((c) => c.status === 'pass').length;
  const word = {
    pass: s.green(t.passed),
    fail: s.red(t.failed),
    skip: s.yellow(t.skipped),
    error: s.red(t.graderError),
  }[r.status];
  lines.push(
    '',
    `${word} · ${t.checksPassed(passed, r.checks.length)} · ${t.seed} ${r.seed} · ${(r.duration / 1000).toFixed(2)} s`,
  );
  return `${guardLines(lines.join('\n'))}\n`;
}
